package gentool

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResultLifecycle: a missing file is stale when there is something to write; Write creates
// it, leaves an unchanged file alone, rewrites a changed one, and removes it once there is
// nothing to generate.
func TestResultLifecycle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zz_generated.x.go")
	r := &Result{Path: path, Source: []byte("package p\n")}
	if stale, err := r.Stale(); err != nil || !stale {
		t.Fatalf("missing file: Stale = %v, %v; want true", stale, err)
	}
	if err := r.Write(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "package p\n" {
		t.Fatalf("written %q", got)
	}
	if stale, err := r.Stale(); err != nil || stale {
		t.Fatalf("written file: Stale = %v, %v; want false", stale, err)
	}
	r.Source = []byte("package p // changed\n")
	if stale, _ := r.Stale(); !stale {
		t.Fatal("changed source: not stale")
	}
	if err := r.Write(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "package p // changed\n" {
		t.Fatalf("rewritten %q", got)
	}
	r.Source = nil
	if stale, _ := r.Stale(); !stale {
		t.Fatal("nothing to generate but a file on disk: not stale")
	}
	if err := r.Write(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file not removed: %v", err)
	}
	if stale, _ := r.Stale(); stale {
		t.Fatal("no file and nothing to generate: stale")
	}
}

// TestRun checks the command line: usage errors, generation errors, -check of a stale and of a
// fresh file, and a write.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	src := []byte("package p\n")
	gen := func(d, out string) (*Result, error) {
		if d == "broken" {
			return nil, errors.New("cannot load")
		}
		return &Result{Path: filepath.Join(d, out), Source: src}, nil
	}
	run := func(args ...string) (int, string) {
		var stderr bytes.Buffer
		code := Run("testgen", "zz_generated.test.go", args, &stderr, gen)
		return code, stderr.String()
	}
	if code, msg := run("a", "b"); code != 2 || !strings.Contains(msg, "usage: testgen") {
		t.Errorf("two dirs: %d %q", code, msg)
	}
	if code, _ := run("-nope"); code != 2 {
		t.Errorf("unknown flag: %d", code)
	}
	if code, msg := run("broken"); code != 2 || !strings.Contains(msg, "testgen: cannot load") {
		t.Errorf("generation error: %d %q", code, msg)
	}
	if code, msg := run("-check", dir); code != 1 || !strings.Contains(msg, "stale") {
		t.Errorf("-check of a missing file: %d %q", code, msg)
	}
	if code, msg := run(dir); code != 0 {
		t.Fatalf("write: %d %q", code, msg)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "zz_generated.test.go")); !bytes.Equal(got, src) {
		t.Fatalf("written %q", got)
	}
	if code, msg := run("-check", dir); code != 0 {
		t.Errorf("-check of a fresh file: %d %q", code, msg)
	}
	if code, msg := run("-check", "-o", "other.go", dir); code != 1 {
		t.Errorf("-check -o of a missing file: %d %q", code, msg)
	}
}
