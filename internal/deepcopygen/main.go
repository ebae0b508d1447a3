// Command deepcopygen writes deep-copy methods for the API types of one Go package.
//
// It is run by go generate from the package's doc.go:
//
//	//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//
// For every named struct, map and slice type of the package (exported ones, and unexported ones
// that exported types reach) it writes DeepCopyInto(out *T) and DeepCopy(), and for every struct
// that embeds meta.TypeMeta and has a meta.ObjectMeta or meta.ListMeta field it also writes
// DeepCopyObject() runtime.Object. The output goes to zz_generated.deepcopy.go in the package
// directory, gofmt'd and deterministic, so CI can run `go generate ./... && git diff --exit-code`;
// `-check` compares instead of writing and exits with status 1 when the file is stale.
//
// A type that already has a hand-written DeepCopyInto is left alone and its method is used by the
// types that contain it. A type whose doc comment has the line `+cellkit:deepcopy-gen=false` is
// skipped. Fields of func or chan type, of interface types without a DeepCopy method that returns
// the interface, and of types from other packages that hold references but have no DeepCopyInto
// are errors: deepcopygen never writes a copy that silently shares memory.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it parses args, generates and reports, and returns the exit
// status (0 ok, 1 stale file in -check mode, 2 usage or generation error).
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("deepcopygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", defaultOutput, "name of the generated file, in the package directory")
	check := fs.Bool("check", false, "do not write; exit 1 if the generated file is missing or stale")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: deepcopygen [-check] [-o file] [package-dir]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	dir := "."
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	res, err := Generate(dir, *output)
	if err != nil {
		fmt.Fprintf(stderr, "deepcopygen: %v\n", err)
		return 2
	}
	if *check {
		stale, err := res.Stale()
		if err != nil {
			fmt.Fprintf(stderr, "deepcopygen: %v\n", err)
			return 2
		}
		if stale {
			fmt.Fprintf(stderr, "deepcopygen: %s is stale; run go generate\n", res.Path)
			return 1
		}
		return 0
	}
	if err := res.Write(); err != nil {
		fmt.Fprintf(stderr, "deepcopygen: %v\n", err)
		return 2
	}
	return 0
}
