package apitest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// DefaultSeeds is how many seeded values RunDeepCopy checks per type unless Options.Seeds says
// otherwise.
const DefaultSeeds = 16

// Case is the deep-copy check of one type, made by DeepCopyCase.
type Case struct {
	typ reflect.Type
	run func(t *testing.T, seed int64, opts Options, cmpOpts []cmp.Option)
}

// Type is the struct type the case checks.
func (c Case) Type() reflect.Type { return c.typ }

// DeepCopyCase returns the deep-copy check of T through its DeepCopy method, passed as a method
// expression such as (*appsv1.Deployment).DeepCopy. When *T is a runtime.Object, DeepCopyObject
// is checked the same way.
func DeepCopyCase[T any](deepCopy func(*T) *T) Case {
	return Case{
		typ: reflect.TypeFor[T](),
		run: func(t *testing.T, seed int64, opts Options, cmpOpts []cmp.Option) {
			t.Helper()
			if got := deepCopy(nil); got != nil {
				t.Fatalf("DeepCopy(nil) = %v, want nil", got)
			}
			if err := CheckCopy(seed, opts, cmpOpts, "DeepCopy", deepCopy); err != nil {
				t.Fatal(err)
			}
			if _, ok := any(new(T)).(runtime.Object); ok {
				err := CheckCopy(seed, opts, cmpOpts, "DeepCopyObject", func(in *T) *T {
					got := any(in).(runtime.Object).DeepCopyObject()
					out, ok := any(got).(*T)
					if !ok {
						t.Fatalf("DeepCopyObject returned %T, want %T", got, in)
					}
					return out
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		},
	}
}

// CheckCopy fills a T from seed, copies it with copyFn, and returns an error when the copy is not
// equal to the original, or when mutating everything reachable from the copy changes the
// original (the copy shares memory with it). name labels the copy function in errors.
func CheckCopy[T any](seed int64, opts Options, cmpOpts []cmp.Option, name string, copyFn func(*T) *T) error {
	orig, want := new(T), new(T)
	if err := NewFiller(seed, opts).Fill(orig); err != nil {
		return err
	}
	if err := NewFiller(seed, opts).Fill(want); err != nil {
		return err
	}
	if reflect.ValueOf(orig).Elem().IsZero() {
		return fmt.Errorf("seed %d: filler left %T zero", seed, orig)
	}
	if diff := diff(want, orig, cmpOpts); diff != "" {
		return fmt.Errorf("seed %d: filler is not deterministic (-first +second):\n%s", seed, diff)
	}
	cp := copyFn(orig)
	if cp == orig {
		return fmt.Errorf("seed %d: %s returned its receiver", seed, name)
	}
	if diff := diff(orig, cp, cmpOpts); diff != "" {
		return fmt.Errorf("seed %d: %s differs from the original (-orig +copy):\n%s", seed, name, diff)
	}
	if err := NewMutator(seed+1_000_003, opts).Mutate(cp); err != nil {
		return err
	}
	if diff := diff(want, orig, cmpOpts); diff != "" {
		return fmt.Errorf("seed %d: mutating the result of %s changed the original (-before +after):\n%s", seed, name, diff)
	}
	// reflect.DeepEqual stops at the first difference; cmp.Equal would align every mutated
	// slice with an edit script, which is slow on large objects.
	if reflect.DeepEqual(orig, cp) {
		return fmt.Errorf("seed %d: mutator did not change the copy of %T", seed, orig)
	}
	return nil
}

// diff is cmp.Diff with a fast path: reflect.DeepEqual stops early and holds for almost every
// comparison here; cmp (which honours Equal methods such as Quantity's and time.Time's) runs only
// when it does not.
func diff(a, b any, opts []cmp.Option) string {
	if reflect.DeepEqual(a, b) {
		return ""
	}
	return cmp.Diff(a, b, opts...)
}

// RunDeepCopy runs every case over Options.Seeds seeds (DefaultSeeds when zero), and fails when
// the package in dir (usually ".") declares an exported struct type that no case checks, or a
// case checks a type of another package.
func RunDeepCopy(t *testing.T, dir string, cases []Case, opts Options, cmpOpts ...cmp.Option) {
	t.Helper()
	declared, err := ExportedStructs(dir)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.typ.Name()] = true
	}
	var missing, extra []string
	for _, name := range declared {
		if !covered[name] {
			missing = append(missing, name)
		}
	}
	have := map[string]bool{}
	for _, n := range declared {
		have[n] = true
	}
	for name := range covered {
		if !have[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("deep-copy cases do not match the package's struct types: missing %v, unknown %v", missing, extra)
	}
	for _, c := range cases {
		t.Run(c.typ.Name(), func(t *testing.T) {
			seeds := opts.Seeds
			if seeds <= 0 {
				seeds = DefaultSeeds
			}
			for seed := int64(1); seed <= int64(seeds); seed++ {
				c.run(t, seed, opts, cmpOpts)
			}
		})
	}
}

// ExportedStructs lists, sorted, the exported struct types declared in the non-test Go files of
// the package in dir, leaving out, as internal/deepcopygen does, types whose doc comment has the
// line +cellkit:deepcopy-gen=false.
func ExportedStructs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("apitest: list structs: %w", err)
	}
	fset := token.NewFileSet()
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("apitest: list structs: %w", err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if _, isStruct := ts.Type.(*ast.StructType); isStruct && ts.Name.IsExported() &&
					!optedOut(gd.Doc) && !optedOut(ts.Doc) {
					names = append(names, ts.Name.Name)
				}
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

// optedOut reports whether a doc comment carries the deepcopygen opt-out marker.
func optedOut(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, line := range strings.Split(doc.Text(), "\n") {
		if strings.TrimSpace(line) == "+cellkit:deepcopy-gen=false" {
			return true
		}
	}
	return false
}
