package main

import (
	"fmt"
	"path/filepath"

	"github.com/cellkit/cellkit/internal/gentool"
)

// Result is the generated file of one package (nil Source: no object type to generate for,
// Write removes a stale file).
type Result = gentool.Result

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
// loaded with one go list call (gentool.LoadAll).
func GenerateAll(dirs []string, output string) ([]*Result, error) {
	pkgs, err := gentool.LoadAll(dirs, gentool.LoadOptions{Output: output})
	if err != nil || len(pkgs) == 0 {
		return nil, err
	}
	out := make([]*Result, len(pkgs))
	for i, p := range pkgs {
		src, err := newGenerator(p.Types).generate()
		if err != nil {
			return nil, fmt.Errorf("generate %s: %w", p.Types.Path(), err)
		}
		out[i] = &Result{Path: filepath.Join(p.Dir, output), Source: src}
	}
	return out, nil
}
