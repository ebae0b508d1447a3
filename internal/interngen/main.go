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
	fs := flag.NewFlagSet("interngen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", defaultOutput, "name of the generated file, in the package directory")
	check := fs.Bool("check", false, "do not write; exit 1 if the generated file is missing or stale")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: interngen [-check] [-o file] [package-dir]\n")
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
		fmt.Fprintf(stderr, "interngen: %v\n", err)
		return 2
	}
	if *check {
		stale, err := res.Stale()
		if err != nil {
			fmt.Fprintf(stderr, "interngen: %v\n", err)
			return 2
		}
		if stale {
			fmt.Fprintf(stderr, "interngen: %s is stale; run go generate\n", res.Path)
			return 1
		}
		return 0
	}
	if err := res.Write(); err != nil {
		fmt.Fprintf(stderr, "interngen: %v\n", err)
		return 2
	}
	return 0
}
