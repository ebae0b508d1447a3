package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGolden regenerates the golden package and compares with its committed file; the golden
// package's own tests compile and run that file against reflect.DeepEqual.
func TestGolden(t *testing.T) {
	dir := filepath.Join("internal", "golden")
	res, err := Generate(dir, defaultOutput)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, defaultOutput))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(res.Source), "\n")); diff != "" {
		t.Errorf("generated code differs from %s (-want +got); run go generate ./internal/interngen/...:\n%s", dir, diff)
	}
	again, err := Generate(dir, defaultOutput)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Source, again.Source) {
		t.Error("two runs gave different output")
	}
	if !regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`).Match(res.Source) {
		t.Error("output lacks the generated-code header")
	}
	// Only API objects get the method: NotAnObject has no ObjectMeta.
	methods := regexp.MustCompile(`(?m)^func \(in \*(\w+)\) (\w+)\(`).FindAllStringSubmatch(string(res.Source), -1)
	if len(methods) != 1 || methods[0][1] != "Object" || methods[0][2] != "InternRefs" {
		t.Errorf("methods %v, want only Object.InternRefs", methods)
	}
	if code := run([]string{"-check", dir}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Errorf("-check on the golden package = %d, want 0", code)
	}
	var stderr bytes.Buffer
	if code := run([]string{"-check", "-o", "zz_missing.go", dir}, &bytes.Buffer{}, &stderr); code != 1 || !strings.Contains(stderr.String(), "stale") {
		t.Errorf("-check with a missing file = %d (%q), want 1 and a stale message", code, stderr.String())
	}
}

// TestRepositoryFilesAreFresh checks the committed files of two API packages with one go list
// call (CI's `go generate ./... && git diff --exit-code` covers every package).
func TestRepositoryFilesAreFresh(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	rels := []string{"apimachinery/apis/core/v1", "apimachinery/apis/apps/v1"}
	dirs := make([]string, len(rels))
	for i, rel := range rels {
		dirs[i] = filepath.Join(root, filepath.FromSlash(rel))
	}
	results, err := GenerateAll(dirs, defaultOutput)
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range results {
		if res.Source == nil {
			t.Errorf("%s: nothing generated", rels[i])
			continue
		}
		if !bytes.Contains(res.Source, []byte("func (in *")) {
			t.Errorf("%s: no InternRefs method generated", rels[i])
		}
		if stale, err := res.Stale(); err != nil || stale {
			t.Errorf("%s is stale (err %v): run `go run ./internal/interngen ./%s` from the module root", defaultOutput, err, rels[i])
		}
	}
}

func TestErrorsAndNothingToDo(t *testing.T) {
	_, err := Generate(filepath.Join("testdata", "badfield"), defaultOutput)
	if want := "Object.Spec.Events[i]: cannot intern a value of type chan int"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Generate(badfield) error = %v, want it to contain %q", err, want)
	}
	var stderr bytes.Buffer
	if code := run([]string{filepath.Join("testdata", "badfield")}, &bytes.Buffer{}, &stderr); code != 2 {
		t.Errorf("run(badfield) = %d, want 2 (stderr %q)", code, stderr.String())
	}
	res, err := Generate(filepath.Join("testdata", "noobjects"), defaultOutput)
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != nil {
		t.Errorf("a package without API objects got a file:\n%s", res.Source)
	}
	if stale, err := res.Stale(); err != nil || stale {
		t.Errorf("Stale() = %v, %v for a package that needs no file and has none", stale, err)
	}
	if _, err := Generate(filepath.Join("testdata", "missing"), defaultOutput); err == nil {
		t.Error("Generate on a missing directory succeeded")
	}
	if code := run([]string{"a", "b"}, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
		t.Errorf("run with two directories = %d, want 2", code)
	}
}
