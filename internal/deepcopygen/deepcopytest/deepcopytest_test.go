package deepcopytest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

type inner struct {
	Values []string
	Count  *int
}

// good copies correctly; the other types each get one thing wrong.
type good struct {
	Name   string
	Inner  *inner
	Labels map[string][]string
	When   meta.Time
	Port   intstr.IntOrString
}

func (g *good) DeepCopy() *good {
	if g == nil {
		return nil
	}
	out := *g
	if g.Inner != nil {
		in := *g.Inner
		in.Values = append([]string(nil), g.Inner.Values...)
		if g.Inner.Count != nil {
			c := *g.Inner.Count
			in.Count = &c
		}
		out.Inner = &in
	}
	if g.Labels != nil {
		out.Labels = make(map[string][]string, len(g.Labels))
		for k, v := range g.Labels {
			out.Labels[k] = append([]string(nil), v...)
		}
	}
	return &out
}

type sharesPointer struct{ Inner *inner }

func (s *sharesPointer) DeepCopy() *sharesPointer {
	if s == nil {
		return nil
	}
	out := *s
	return &out
}

type sharesMapValues struct{ Labels map[string][]string }

func (s *sharesMapValues) DeepCopy() *sharesMapValues {
	if s == nil {
		return nil
	}
	out := sharesMapValues{Labels: map[string][]string{}}
	for k, v := range s.Labels {
		out.Labels[k] = v
	}
	return &out
}

type dropsField struct {
	A string
	B []int
}

func (d *dropsField) DeepCopy() *dropsField {
	if d == nil {
		return nil
	}
	return &dropsField{A: d.A}
}

type nilNotNil struct{ A int }

func (n *nilNotNil) DeepCopy() *nilNotNil {
	if n == nil {
		return &nilNotNil{}
	}
	out := *n
	return &out
}

type valueSlice []*int

func (v valueSlice) DeepCopy() valueSlice {
	if v == nil {
		return nil
	}
	out := make(valueSlice, len(v))
	for i, p := range v {
		if p != nil {
			c := *p
			out[i] = &c
		}
	}
	return out
}

// recorder is a testing.TB that records failures instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatalf(format string, a ...any) { r.Errorf(format, a...) }

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		ptr  any
		want string // substring of the first failure; "" means no failure
	}{
		{"correct copy", &good{}, ""},
		{"correct named slice with value receiver", new(valueSlice), ""},
		{"shared pointer", &sharesPointer{}, "copy shares memory with the original at .Inner"},
		{"shared map values", &sharesMapValues{}, "copy shares memory with the original at .Labels["},
		{"dropped field", &dropsField{}, "copy differs from original"},
		{"nil receiver", &nilNotNil{}, "DeepCopy of a nil pointer is not nil"},
		{"no DeepCopy method", &inner{}, "has no DeepCopy method"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Check(r, tc.ptr, Options{})
			if tc.want == "" {
				if len(r.errs) > 0 {
					t.Errorf("Check failed: %s", strings.Join(r.errs, "\n"))
				}
				return
			}
			if len(r.errs) == 0 || !strings.Contains(r.errs[0], tc.want) {
				t.Errorf("Check errors = %q, want the first to contain %q", r.errs, tc.want)
			}
		})
	}
}

func TestFill(t *testing.T) {
	var a, b, c good
	for _, p := range []*good{&a, &b} {
		if err := Fill(42, p, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different values (-a +b):\n%s", diff)
	}
	if err := Fill(43, &c, Options{}); err != nil {
		t.Fatal(err)
	}
	if cmp.Equal(a, c) {
		t.Error("different seeds gave equal values")
	}
	if a.Name == "" || a.Inner == nil || a.Inner.Count == nil || len(a.Inner.Values) == 0 || len(a.Labels) == 0 || a.When.IsZero() {
		t.Errorf("Fill left zero parts: %+v", a)
	}

	errTests := []struct {
		name string
		ptr  any
		want string
	}{
		{"not a pointer", good{}, "need a non-nil pointer"},
		{"unexported field", &struct{ x int }{}, "unexported field x"},
		{"interface", &struct{ V fmt.Stringer }{}, "interface fmt.Stringer; add it to Options.Fill"},
		{"func", &struct{ F func() }{}, "cannot fill a func()"},
	}
	for _, tc := range errTests {
		t.Run(tc.name, func(t *testing.T) {
			err := Fill(1, tc.ptr, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Fill error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestMutateReachesEverything(t *testing.T) {
	var a good
	if err := Fill(7, &a, Options{}); err != nil {
		t.Fatal(err)
	}
	cp := a.DeepCopy()
	Mutate(cp, Options{})
	if cp.Name == a.Name || cp.Inner.Values[0] == a.Inner.Values[0] || *cp.Inner.Count == *a.Inner.Count ||
		len(cp.Labels) != len(a.Labels)+1 || cp.When.Equal(&a.When) || cp.Port == a.Port {
		t.Errorf("Mutate missed a part:\norig %+v\ncopy %+v", a, cp)
	}
}

func TestDeepCopyTypes(t *testing.T) {
	names, err := DeepCopyTypes("../internal/golden")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Amounts", "Part", "Sizes", "Widget", "WidgetList", "WidgetSpec", "WidgetStatus", "WidgetTemplate"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("DeepCopyTypes (-want +got):\n%s", diff)
	}
	if _, err := DeepCopyTypes(t.TempDir()); err == nil {
		t.Error("DeepCopyTypes of a dir without a generated file gave no error")
	}
}
