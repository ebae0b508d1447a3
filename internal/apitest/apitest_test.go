package apitest

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

type leaf struct {
	Name  string
	Count *int32
	When  time.Time
}

type sample struct {
	Flag    bool
	N       int64
	F       float64
	S       string
	P       *string
	Leaf    leaf
	Leaves  []leaf
	Ptrs    []*leaf
	ByName  map[string]leaf
	Nested  map[string][]string
	Bytes   []byte
	Budget  *intstr.IntOrString
	Raw     runtime.RawExtension
	Amount  *resource.Quantity
	Self    *sample
	private []int
}

func (s *sample) deepCopy() *sample {
	if s == nil {
		return nil
	}
	out := *s
	if s.P != nil {
		p := *s.P
		out.P = &p
	}
	out.Leaf = s.Leaf.deepCopy()
	if s.Leaves != nil {
		out.Leaves = make([]leaf, len(s.Leaves))
		for i := range s.Leaves {
			out.Leaves[i] = s.Leaves[i].deepCopy()
		}
	}
	if s.Ptrs != nil {
		out.Ptrs = make([]*leaf, len(s.Ptrs))
		for i, p := range s.Ptrs {
			if p != nil {
				c := p.deepCopy()
				out.Ptrs[i] = &c
			}
		}
	}
	if s.ByName != nil {
		out.ByName = make(map[string]leaf, len(s.ByName))
		for k, v := range s.ByName {
			out.ByName[k] = v.deepCopy()
		}
	}
	if s.Nested != nil {
		out.Nested = make(map[string][]string, len(s.Nested))
		for k, v := range s.Nested {
			out.Nested[k] = slices.Clone(v)
		}
	}
	out.Bytes = slices.Clone(s.Bytes)
	out.Budget = s.Budget.DeepCopy()
	s.Raw.DeepCopyInto(&out.Raw)
	if s.Amount != nil {
		q := s.Amount.DeepCopy()
		out.Amount = &q
	}
	out.Self = s.Self.deepCopy()
	return &out
}

func (l leaf) deepCopy() leaf {
	if l.Count != nil {
		c := *l.Count
		l.Count = &c
	}
	return l
}

func TestCheckCopy(t *testing.T) {
	tests := []struct {
		name    string
		copyFn  func(*sample) *sample
		wantErr string
	}{
		{name: "deep copy passes", copyFn: (*sample).deepCopy},
		{name: "same pointer", copyFn: func(s *sample) *sample { return s }, wantErr: "returned its receiver"},
		{name: "shallow copy", copyFn: func(s *sample) *sample { c := *s; return &c }, wantErr: "changed the original"},
		{name: "shared map", copyFn: func(s *sample) *sample { c := s.deepCopy(); c.ByName = s.ByName; return c }, wantErr: "changed the original"},
		{name: "shared inner slice of map", copyFn: func(s *sample) *sample {
			c := s.deepCopy()
			c.Nested = maps.Clone(s.Nested)
			return c
		}, wantErr: "changed the original"},
		{name: "shared pointer in slice", copyFn: func(s *sample) *sample {
			c := s.deepCopy()
			c.Ptrs = slices.Clone(s.Ptrs)
			return c
		}, wantErr: "changed the original"},
		{name: "shared quantity pointer", copyFn: func(s *sample) *sample { c := s.deepCopy(); c.Amount = s.Amount; return c }, wantErr: "changed the original"},
		{name: "shared raw bytes", copyFn: func(s *sample) *sample { c := s.deepCopy(); c.Raw.Raw = s.Raw.Raw; return c }, wantErr: "changed the original"},
		{name: "lost field", copyFn: func(s *sample) *sample { c := s.deepCopy(); c.S = ""; return c }, wantErr: "differs from the original"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			for seed := int64(1); seed <= 8 && err == nil; seed++ {
				err = CheckCopy(seed, Options{}, []cmp.Option{cmp.AllowUnexported(sample{})}, "copy", tt.copyFn)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("CheckCopy: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("CheckCopy error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestFillerDeterministicAndNonZero(t *testing.T) {
	var a, b, c sample
	if err := NewFiller(7, Options{}).Fill(&a); err != nil {
		t.Fatal(err)
	}
	if err := NewFiller(7, Options{}).Fill(&b); err != nil {
		t.Fatal(err)
	}
	if err := NewFiller(8, Options{}).Fill(&c); err != nil {
		t.Fatal(err)
	}
	opt := cmp.AllowUnexported(sample{})
	if diff := cmp.Diff(a, b, opt); diff != "" {
		t.Errorf("same seed gave different values (-a +b):\n%s", diff)
	}
	if cmp.Equal(a, c, opt) {
		t.Error("different seeds gave equal values")
	}
	if a.P == nil || a.Leaves == nil || a.ByName == nil || a.Budget == nil || len(a.Raw.Raw) == 0 || a.Leaf.When.IsZero() || a.Amount == nil || a.Amount.IsZero() {
		t.Errorf("filler left a field zero: %+v", a)
	}
	if a.private != nil {
		t.Error("filler set an unexported field")
	}
	if a.Leaf.When.Nanosecond() != 0 || a.Leaf.When.Location() != time.UTC {
		t.Errorf("time %v is not whole seconds in UTC", a.Leaf.When)
	}
	depth := 0
	for s := &a; s != nil; s = s.Self {
		depth++
	}
	if depth > 7 {
		t.Errorf("recursive type filled %d deep, want at most MaxDepth+1", depth)
	}
}

func TestFillRejectsNonPointer(t *testing.T) {
	var s sample
	if err := NewFiller(1, Options{}).Fill(s); err == nil {
		t.Error("Fill(value) succeeded, want an error")
	}
	if err := NewMutator(1, Options{}).Mutate((*sample)(nil)); err == nil {
		t.Error("Mutate(nil) succeeded, want an error")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want any
	}{
		{name: "scalar", in: "x", want: "x"},
		{name: "drops null and empties", in: map[string]any{"a": nil, "b": map[string]any{}, "c": []any{}, "d": 1.0}, want: map[string]any{"d": 1.0}},
		{name: "nested empty becomes nil", in: map[string]any{"a": map[string]any{"b": map[string]any{"c": nil}}}, want: nil},
		{name: "list keeps empty element position", in: []any{map[string]any{}, "x"}, want: []any{map[string]any{}, "x"}},
		{name: "keeps false and zero", in: map[string]any{"f": false, "z": 0.0, "s": ""}, want: map[string]any{"f": false, "z": 0.0, "s": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Normalize(tt.in)); diff != "" {
				t.Errorf("Normalize (-want +got):\n%s", diff)
			}
		})
	}
}

type manifest struct {
	Kind       string            `json:"kind"`
	APIVersion string            `json:"apiVersion"`
	Meta       map[string]string `json:"metadata,omitempty"`
	Count      int               `json:"count,omitempty"`
}

func TestReadManifestsAndRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.yaml")
	content := "kind: A\napiVersion: v1\ncount: 2\n---\n# comment only\n---\nkind: B\napiVersion: v1\nextra: 1\n---   \nkind: A\napiVersion: v1\nmetadata: {}\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	docs, err := ReadManifests(path, "A")
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{docs[0].Index, docs[1].Index}; len(docs) != 2 || !slices.Equal(got, []int{0, 3}) {
		t.Fatalf("ReadManifests gave %d documents %+v, want A documents 0 and 3", len(docs), docs)
	}
	for _, d := range docs {
		diff, _, err := RoundTrip[manifest](d.JSON)
		if err != nil {
			t.Fatalf("document %d: %v", d.Index, err)
		}
		if diff != "" {
			t.Errorf("document %d round trip (-in +out):\n%s", d.Index, diff)
		}
	}
	all, err := ReadManifests(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("ReadManifests() gave %d documents, want 3", len(all))
	}
	if _, _, err := RoundTrip[manifest](all[1].JSON); err == nil || !strings.Contains(err.Error(), "unknown field") {
		t.Errorf("RoundTrip of a document with an unknown field: err = %v, want unknown field", err)
	}
	for name, in := range map[string]string{
		"trailing data":   `{"kind":"A"} {}`,
		"wrong case":      `{"Kind":"A"}`,
		"duplicate field": `{"kind":"A","kind":"B"}`,
	} {
		if _, _, err := RoundTrip[manifest]([]byte(in)); err == nil {
			t.Errorf("RoundTrip with %s succeeded, want an error", name)
		}
	}
}

func TestCheckJSONStable(t *testing.T) {
	id := func(m *manifest) *manifest { c := *m; return &c }
	if err := CheckJSONStable([]byte(`{"kind":"A","count":3}`), id); err != nil {
		t.Errorf("stable input: %v", err)
	}
	if err := CheckJSONStable([]byte(`{"kind":`), id); err != nil {
		t.Errorf("undecodable input must be accepted, got %v", err)
	}
	type timed struct {
		T *meta.Time `json:"t,omitempty"`
	}
	copyTimed := func(v *timed) *timed { c := *v; c.T = v.T.DeepCopy(); return &c }
	if err := CheckJSONStable([]byte(`{"t":""}`), copyTimed); err != nil {
		t.Errorf("empty time must be accepted as the same meaning as null: %v", err)
	}
	bad := func(m *manifest) *manifest { return &manifest{} }
	if err := CheckJSONStable([]byte(`{"kind":"A"}`), bad); err == nil {
		t.Error("a deep copy that loses data passed")
	}
}

func TestFuzzCorpusEntry(t *testing.T) {
	got := string(FuzzCorpusEntry([]byte("{\"a\":\n1}")))
	want := "go test fuzz v1\n[]byte(\"{\\\"a\\\":\\n1}\")\n"
	if got != want {
		t.Errorf("FuzzCorpusEntry = %q, want %q", got, want)
	}
}

func TestExportedStructs(t *testing.T) {
	got, err := ExportedStructs(".")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Case", "Document", "Filler", "Mutator", "Options"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ExportedStructs (-want +got):\n%s", diff)
	}
	got, err = ExportedStructs(filepath.Join("testdata", "structs"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Grouped", "Wire"}, got); diff != "" {
		t.Errorf("ExportedStructs(testdata/structs) (-want +got):\n%s", diff)
	}
	if _, err := ExportedStructs(filepath.Join("testdata", "missing")); err == nil {
		t.Error("ExportedStructs of a missing directory succeeded")
	}
}

// truncating writes only the first byte of itself: a type that loses data on encoding.
type truncating string

func (s truncating) MarshalJSON() ([]byte, error) {
	if len(s) > 1 {
		s = s[:1]
	}
	return json.Marshal(string(s))
}

func TestRoundTripAddedZeros(t *testing.T) {
	type withRequired struct {
		CPU   *resource.Quantity `json:"cpu,omitempty"`
		Name  string             `json:"name,omitempty"`
		Count int                `json:"count"`
		Ptr   *int               `json:"ptr,omitempty"`
		T     truncating         `json:"t,omitempty"`
	}
	tests := []struct {
		name     string
		in       string
		wantDiff bool
	}{
		{name: "required zero added", in: `{"name":"a"}`},
		{name: "input zero kept", in: `{"name":"a","count":0}`},
		{name: "input pointer zero kept", in: `{"ptr":0}`},
		{name: "omitted zero dropped", in: `{"name":"","count":1}`},
		{name: "changed value is a difference", in: `{"t":"abc"}`, wantDiff: true},
		{name: "numeric quantity written as string", in: `{"cpu":0.5}`},
		{name: "whole numeric quantity", in: `{"cpu":20}`},
		{name: "non-canonical quantity string", in: `{"cpu":".5"}`},
		{name: "canonical quantity and short string", in: `{"cpu":"1","t":"a"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diff, _, err := RoundTrip[withRequired]([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if (diff != "") != tt.wantDiff {
				t.Errorf("diff = %q, want a difference: %v", diff, tt.wantDiff)
			}
		})
	}
}
