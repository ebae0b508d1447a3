package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGolden regenerates the golden package and compares with its committed file. The golden
// package's own tests compile and run that file.
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
		t.Errorf("generated code differs from %s (-want +got); run go generate ./internal/deepcopygen/...:\n%s", dir, diff)
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
	if code := run([]string{"-check", dir}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Errorf("-check on the golden package = %d, want 0", code)
	}
}

// module writes a throwaway module with the given files (path -> content) and returns its root.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["go.mod"] = "module example.com/tmp\n\ngo 1.24\n"
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

var methodRE = regexp.MustCompile(`(?m)^func \(in \*?(\w+)\) (\w+)\(`)

func methods(src []byte) []string {
	var out []string
	for _, m := range methodRE.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1])+"."+string(m[2]))
	}
	sort.Strings(out)
	return out
}

func TestWhichTypesGetMethods(t *testing.T) {
	root := module(t, map[string]string{"p/p.go": `package p

type Str string
type Fn func()
type Ptr *int
type Iface interface{ M() }
type Slice []string
type Map map[string]int
type Arr [2]int
type Generic[T any] struct{ V T }
type Alias = Plain
type Plain struct{ A int }

// Marked is left alone.
//
// +cellkit:deepcopy-gen=false
type Marked struct{ F func() }

type Hand struct{ B []byte }

func (h *Hand) DeepCopyInto(out *Hand) { *out = *h; out.B = append([]byte(nil), h.B...) }

type Uses struct {
	H      Hand
	Hidden reached
}

type reached struct{ S []string }
type unreached struct{ S []string }
`})
	res, err := Generate(filepath.Join(root, "p"), defaultOutput)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Map.DeepCopy", "Map.DeepCopyInto",
		"Plain.DeepCopy", "Plain.DeepCopyInto",
		"Slice.DeepCopy", "Slice.DeepCopyInto",
		"Uses.DeepCopy", "Uses.DeepCopyInto",
		"reached.DeepCopy", "reached.DeepCopyInto",
	}
	if diff := cmp.Diff(want, methods(res.Source)); diff != "" {
		t.Errorf("methods (-want +got):\n%s\n%s", diff, res.Source)
	}
	if !strings.Contains(string(res.Source), "in.H.DeepCopyInto(&out.H)") {
		t.Errorf("the hand-written DeepCopyInto of Hand is not called:\n%s", res.Source)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"func field", "type T struct{ F func() }", "T.F: cannot deep copy a value of type func()"},
		{"chan in slice", "type T struct{ C []chan int }", "T.C[i]: cannot deep copy a value of type chan int"},
		{"empty interface", "type T struct{ V any }", "T.V: interface any needs exactly one DeepCopy method"},
		{"interface without copier", "type I interface{ M() }\ntype T struct{ V I }", "T.V: interface I needs exactly one DeepCopy method"},
		{"pointer map key", "type T struct{ M map[*int]string }", "T.M: map key type *int holds references"},
		{"foreign type with references", "type T struct{ B *bytes.Buffer }", "T.B: type bytes.Buffer holds references but has no DeepCopyInto method"},
		{"type error", "type T struct{ X Undefined }", "undefined: Undefined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := "package p\n\n"
			if strings.Contains(tc.src, "bytes.") {
				src += "import \"bytes\"\n\n"
			}
			root := module(t, map[string]string{"p/p.go": src + tc.src + "\n"})
			_, err := Generate(filepath.Join(root, "p"), defaultOutput)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Generate error = %v, want it to contain %q", err, tc.want)
			}
			var stderr bytes.Buffer
			if code := run([]string{filepath.Join(root, "p")}, &bytes.Buffer{}, &stderr); code != 2 {
				t.Errorf("run = %d, want 2 (stderr %q)", code, stderr.String())
			}
		})
	}
}

func TestInterfaceWithCopier(t *testing.T) {
	root := module(t, map[string]string{"p/p.go": `package p

type Shape interface{ DeepCopyShape() Shape }
type T struct{ S Shape; All []Shape; ByName map[string]Shape }
`})
	res, err := Generate(filepath.Join(root, "p"), defaultOutput)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"out.S = in.S.DeepCopyShape()", "(*out)[i] = (*in)[i].DeepCopyShape()", "outVal = val.DeepCopyShape()"} {
		if !strings.Contains(string(res.Source), want) {
			t.Errorf("output lacks %q:\n%s", want, res.Source)
		}
	}
}

func TestImportNamesDoNotCollide(t *testing.T) {
	root := module(t, map[string]string{
		"a/x/x.go": "package x\n\ntype T struct{ A int }\n",
		"b/x/x.go": "package x\n\ntype T struct{ B int }\n",
		"p/p.go": `package p

import (
	ax "example.com/tmp/a/x"
	bx "example.com/tmp/b/x"
)

type T struct {
	A *ax.T
	B *bx.T
}
`,
	})
	res, err := Generate(filepath.Join(root, "p"), defaultOutput)
	if err != nil {
		t.Fatal(err)
	}
	src := string(res.Source)
	for _, want := range []string{`"example.com/tmp/a/x"`, `x2 "example.com/tmp/b/x"`, "new(x.T)", "new(x2.T)"} {
		if !strings.Contains(src, want) {
			t.Errorf("output lacks %q:\n%s", want, src)
		}
	}
}

// TestCheckAndWrite drives the command: write, check fresh, check stale, rewrite, and removal of
// the file once the package has nothing to generate.
func TestCheckAndWrite(t *testing.T) {
	root := module(t, map[string]string{"p/p.go": "package p\n\ntype T struct{ S []string }\n"})
	dir := filepath.Join(root, "p")
	out := filepath.Join(dir, defaultOutput)
	quiet := func(args ...string) int { return run(args, &bytes.Buffer{}, &bytes.Buffer{}) }

	if code := quiet("-check", dir); code != 1 {
		t.Errorf("-check before generating = %d, want 1", code)
	}
	if code := quiet(dir); code != 0 {
		t.Fatalf("generate = %d", code)
	}
	if code := quiet("-check", dir); code != 0 {
		t.Errorf("-check after generating = %d, want 0", code)
	}
	// A stale file that no longer compiles (it names a removed type) must not stop regeneration.
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte("package p\n\ntype U struct{ M map[string]int }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := quiet("-check", dir); code != 1 {
		t.Errorf("-check after changing the types = %d, want 1", code)
	}
	if code := quiet(dir); code != 0 {
		t.Fatalf("regenerate = %d", code)
	}
	src, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"U.DeepCopy", "U.DeepCopyInto"}, methods(src)); diff != "" {
		t.Errorf("methods after regenerating (-want +got):\n%s", diff)
	}
	// Code elsewhere in the package that calls generated methods does not break loading.
	if err := os.WriteFile(filepath.Join(dir, "use.go"), []byte("package p\n\nfunc clone(u *U) *U { return u.DeepCopy() }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := quiet("-check", dir); code != 0 {
		t.Errorf("-check with a caller of DeepCopy = %d, want 0", code)
	}
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte("package p\n\ntype Name string\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "use.go"))
	if code := quiet(dir); code != 0 {
		t.Fatalf("generate with nothing to do = %d", code)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("stale file not removed: %v", err)
	}
	if code := quiet("-check", dir); code != 0 {
		t.Errorf("-check with nothing to generate = %d, want 0", code)
	}
}

func TestUsage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"a", "b"}, &bytes.Buffer{}, &stderr); code != 2 || !strings.Contains(stderr.String(), "usage") {
		t.Errorf("run with two dirs = %d, %q; want 2 and usage", code, stderr.String())
	}
	if code := run([]string{"-nope"}, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
		t.Errorf("run with an unknown flag = %d, want 2", code)
	}
	if code := run([]string{filepath.Join(t.TempDir(), "missing")}, &bytes.Buffer{}, &bytes.Buffer{}); code != 2 {
		t.Errorf("run on a missing dir = %d, want 2", code)
	}
}

// TestRepositoryFilesAreFresh checks the committed deep-copy files of two real API packages with
// one go list call: apimachinery/meta (plain types) and coordination/v1 (objects with
// DeepCopyObject). It does not walk the whole module: CI runs `go generate ./... && git diff
// --exit-code`, which catches a stale file in any package, and loading every API package here
// would rebuild all of them without -race inside every `go test` run.
func TestRepositoryFilesAreFresh(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	rels := []string{"apimachinery/meta", "apimachinery/apis/coordination/v1"}
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
		if stale, err := res.Stale(); err != nil || stale {
			t.Errorf("%s is stale (err %v): run `go run ./internal/deepcopygen ./%s` from the module root", defaultOutput, err, rels[i])
		}
	}
}

// TestGenerateAllMatchesGenerate: one go list call for several packages, one of which imports
// another, gives the same files as a call per package, in the order of the directories.
func TestGenerateAllMatchesGenerate(t *testing.T) {
	root := module(t, map[string]string{
		"a/a.go": "package a\n\ntype A struct{ N int }\n\ntype L []A\n",
		"b/b.go": "package b\n\nimport \"example.com/tmp/a\"\n\ntype B struct{ A *a.A; M map[string]a.A; S []string }\n",
	})
	dirs := []string{filepath.Join(root, "b"), filepath.Join(root, "a")}
	all, err := GenerateAll(dirs, defaultOutput)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(dirs) {
		t.Fatalf("GenerateAll gave %d results for %d dirs", len(all), len(dirs))
	}
	for i, dir := range dirs {
		one, err := Generate(dir, defaultOutput)
		if err != nil {
			t.Fatal(err)
		}
		if all[i].Path != one.Path || !bytes.Equal(all[i].Source, one.Source) {
			t.Errorf("GenerateAll[%d] = %s\n%s\nGenerate = %s\n%s", i, all[i].Path, all[i].Source, one.Path, one.Source)
		}
	}
	if want := []string{"B.DeepCopy", "B.DeepCopyInto"}; !cmp.Equal(want, methods(all[0].Source)) {
		t.Errorf("methods of b = %v, want %v", methods(all[0].Source), want)
	}
	if res, err := GenerateAll(nil, defaultOutput); err != nil || res != nil {
		t.Errorf("GenerateAll(nil) = %v, %v; want nil, nil", res, err)
	}
}
