package main

import (
	"bytes"
	"errors"
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
	// Source is the gofmt'd content; nil when the package has no object type to generate for,
	// in which case Write removes a stale file.
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
// file is not rewritten.
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

// Generate loads the package in dir (ignoring its previously generated file, output) and
// returns the interning file for it.
func Generate(dir, output string) (*Result, error) {
	res, err := GenerateAll([]string{dir}, output)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// GenerateAll is Generate for several package directories of one module, in the order given,
// with a single go list call for the export data of all of them.
func GenerateAll(dirs []string, output string) ([]*Result, error) {
	if len(dirs) == 0 {
		return nil, nil
	}
	abs := make([]string, len(dirs))
	for i, dir := range dirs {
		a, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
		abs[i] = a
	}
	ex, err := listExports(abs)
	if err != nil {
		return nil, err
	}
	out := make([]*Result, len(abs))
	for i, dir := range abs {
		pkg, err := load(dir, output, ex)
		if err != nil {
			return nil, err
		}
		src, err := newGenerator(pkg).generate()
		if err != nil {
			return nil, fmt.Errorf("generate %s: %w", pkg.Path(), err)
		}
		out[i] = &Result{Path: filepath.Join(dir, output), Source: src}
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
	listing, err := goList(dirs[0], args...)
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

// load parses and type-checks the package in dir without the file named output, reading
// imports from the export data the go command builds.
func load(dir, output string, ex *exports) (*types.Package, error) {
	bp, err := build.ImportDir(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	importPath := ex.importPaths[filepath.Clean(dir)]
	if importPath == "" {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			importPath = ex.importPaths[real]
		}
	}
	if importPath == "" {
		return nil, fmt.Errorf("load %s: go list gave no import path", dir)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		if name == output {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, fmt.Errorf("load: %w", err)
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
		Error:    func(err error) { typeErrs = append(typeErrs, err) },
	}
	pkg, _ := conf.Check(importPath, fset, files, nil)
	if len(typeErrs) > 0 {
		return nil, fmt.Errorf("load %s: %w", dir, errors.Join(typeErrs...))
	}
	return pkg, nil
}

func goList(dir string, args ...string) (string, error) {
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
