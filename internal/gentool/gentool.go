package gentool

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Result is the generated file of one package.
type Result struct {
	// Path is where the file goes.
	Path string
	// Source is the gofmt'd content; nil when the package has nothing to generate for, in
	// which case Write removes a stale file.
	Source []byte
}

// Stale reports whether the file on disk differs from Source.
func (r *Result) Stale() (bool, error) {
	old, err := os.ReadFile(r.Path)
	if errors.Is(err, os.ErrNotExist) {
		return r.Source != nil, nil
	}
	if err != nil {
		return false, fmt.Errorf("check %s: %w", r.Path, err)
	}
	return r.Source == nil || !bytes.Equal(old, r.Source), nil
}

// Write writes Source to Path, or removes Path when there is nothing to generate. An unchanged
// file is not rewritten, so its modification time stays.
func (r *Result) Write() error {
	stale, err := r.Stale()
	if err != nil || !stale {
		return err
	}
	if r.Source == nil {
		if err := os.Remove(r.Path); err != nil {
			return fmt.Errorf("remove %s: %w", r.Path, err)
		}
		return nil
	}
	if err := os.WriteFile(r.Path, r.Source, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", r.Path, err)
	}
	return nil
}

// Package is one loaded, type-checked package.
type Package struct {
	// Dir is the package's directory, absolute.
	Dir string
	// Types is the type-checked package.
	Types *types.Package
	// Files are its parsed files (with comments), without the generator's output file.
	Files []*ast.File
}

// LoadOptions say how LoadAll loads.
type LoadOptions struct {
	// Output is the name of the generator's file in each package directory; it is left out,
	// so that a stale or broken previous output never affects the next one.
	Output string
	// Tolerate, when set, reports type errors to ignore: uses of what the left-out output
	// declared (deepcopygen's DeepCopy methods, for example). Every other error fails.
	Tolerate func(types.Error) bool
}

// LoadAll loads the packages in dirs (directories of one module), in the order given. It asks
// the go command for the export data of all of them with a single go list call, which is much
// cheaper than one call per package when they share dependencies, and which makes loading see
// the same packages, build tags and module versions as a build in those directories.
func LoadAll(dirs []string, opts LoadOptions) ([]Package, error) {
	if len(dirs) == 0 {
		return nil, nil
	}
	abs := make([]string, len(dirs))
	for i, dir := range dirs {
		a, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		abs[i] = a
	}
	ex, err := listExports(abs)
	if err != nil {
		return nil, err
	}
	out := make([]Package, len(abs))
	for i, dir := range abs {
		pkg, files, err := load(dir, opts, ex)
		if err != nil {
			return nil, err
		}
		out[i] = Package{Dir: dir, Types: pkg, Files: files}
	}
	return out, nil
}

// exports is what one go list call tells about a set of package directories: the import path of
// each directory and the export data file of every package they depend on.
type exports struct {
	importPaths map[string]string // directory -> import path
	files       map[string]string // import path -> export data file
}

// listExports runs go list -export -deps once for all dirs (absolute paths of one module).
func listExports(dirs []string) (*exports, error) {
	args := append([]string{"-e", "-export", "-deps", "-f", "{{if .DepOnly}}dep{{else}}root{{end}}\t{{.ImportPath}}\t{{.Dir}}\t{{.Export}}"}, dirs...)
	listing, err := GoList(dirs[0], args...)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", strings.Join(dirs, " "), err)
	}
	ex := &exports{importPaths: map[string]string{}, files: map[string]string{}}
	for _, line := range strings.Split(listing, "\n") {
		parts := strings.SplitN(line, "\t", 4)
		if len(parts) != 4 {
			continue // the trailing empty line
		}
		if parts[0] == "root" {
			ex.importPaths[filepath.Clean(parts[2])] = parts[1]
		}
		if parts[3] != "" {
			ex.files[parts[1]] = parts[3]
		}
	}
	return ex, nil
}

// load parses and type-checks the package in dir without the file named opts.Output, reading
// imports from the export data the go command builds.
func load(dir string, opts LoadOptions, ex *exports) (*types.Package, []*ast.File, error) {
	bp, err := build.ImportDir(dir, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("load %s: %w", dir, err)
	}
	importPath := ex.importPaths[filepath.Clean(dir)]
	if importPath == "" {
		// go list reports directories with symbolic links resolved.
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			importPath = ex.importPaths[real]
		}
	}
	if importPath == "" {
		return nil, nil, fmt.Errorf("load %s: go list gave no import path", dir)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		if name == opts.Output {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, nil, fmt.Errorf("load: %w", err)
		}
		files = append(files, f)
	}
	lookup := func(path string) (io.ReadCloser, error) {
		file, ok := ex.files[path]
		if !ok || path == importPath {
			return nil, fmt.Errorf("no export data for %s (does it compile?)", path)
		}
		return os.Open(file)
	}
	var typeErrs []error
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "gc", lookup),
		Error: func(err error) {
			var te types.Error
			if opts.Tolerate != nil && errors.As(err, &te) && opts.Tolerate(te) {
				return
			}
			typeErrs = append(typeErrs, err)
		},
	}
	pkg, _ := conf.Check(importPath, fset, files, nil)
	if len(typeErrs) > 0 {
		return nil, nil, fmt.Errorf("load %s: %w", dir, errors.Join(typeErrs...))
	}
	return pkg, files, nil
}

// GoList runs `go list args...` in dir and returns its standard output; a failure carries the
// command's standard error.
func GoList(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// Run is a generator's main without the process: it parses args (`[-check] [-o file]
// [package-dir]`), generates with generate and writes or checks the result, and returns the exit
// status: 0 ok, 1 stale file in -check mode, 2 usage or generation error. name prefixes every
// message.
func Run(name, defaultOutput string, args []string, stderr io.Writer, generate func(dir, output string) (*Result, error)) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", defaultOutput, "name of the generated file, in the package directory")
	check := fs.Bool("check", false, "do not write; exit 1 if the generated file is missing or stale")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s [-check] [-o file] [package-dir]\n", name)
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
	res, err := generate(dir, *output)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 2
	}
	if *check {
		stale, err := res.Stale()
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			return 2
		}
		if stale {
			fmt.Fprintf(stderr, "%s: %s is stale; run go generate\n", name, res.Path)
			return 1
		}
		return 0
	}
	if err := res.Write(); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 2
	}
	return 0
}
