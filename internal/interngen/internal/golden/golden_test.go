package golden

import (
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/internal/apitest"
)

// table is a plain implementation of the generated code's table: buckets by hash, or one
// bucket for everything when colliding (so that equality alone decides).
type table struct {
	seed          maphash.Seed
	buf           []byte
	colliding     bool
	buckets       map[uint64][]any
	shared, added int
}

func newTable(colliding bool) *table {
	return &table{seed: maphash.MakeSeed(), colliding: colliding, buckets: map[uint64][]any{}}
}

func (t *table) key(sum uint64) uint64 {
	if t.colliding {
		return 0
	}
	return sum
}

func (t *table) InternSeed() maphash.Seed { return t.seed }
func (t *table) InternBuffer() *[]byte    { return &t.buf }
func (t *table) InternLookup(sum uint64, prev bool) []any {
	if prev {
		return nil
	}
	return t.buckets[t.key(sum)]
}
func (t *table) InternShared(uint64, any, bool) { t.shared++ }
func (t *table) InternAdded(sum uint64, c any) {
	t.added++
	t.buckets[t.key(sum)] = append(t.buckets[t.key(sum)], c)
}

var _ internTable = (*table)(nil)

// fill returns a new Object filled from seed: equal seeds give equal, unshared objects.
func fill(t *testing.T, seed int64) *Object {
	t.Helper()
	o := &Object{}
	if err := apitest.NewFiller(seed, apitest.Options{MaxDepth: 5, MaxLen: 2}).Fill(o); err != nil {
		t.Fatal(err)
	}
	o.Spec.Cplx = complex(float64(seed), 1)
	o.Spec.Any = []int{int(seed % 2)}
	o.hidden = []string{fmt.Sprint(seed % 2)}
	return o
}

// objects returns n objects made of the parts of a few filled ones: each field of the spec
// comes from one of three seeds, so many values are equal without being shared.
func objects(t *testing.T, n int, seed uint64) []*Object {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]*Object, n)
	for i := range out {
		o := fill(t, int64(r.IntN(3)))
		spec := reflect.ValueOf(&o.Spec).Elem()
		for f := range spec.NumField() {
			if r.IntN(2) == 0 {
				spec.Field(f).Set(reflect.ValueOf(fill(t, int64(r.IntN(3))).Spec).Field(f))
			}
		}
		if r.IntN(5) == 0 {
			o.Labels = map[string]string{} // empty, not nil
		}
		if r.IntN(5) == 0 {
			o.Spec.Floats = nil
		}
		out[i] = o
	}
	return out
}

// ref is a map, slice or pointer the walk reaches, with where it was found.
type ref struct {
	v    reflect.Value
	path string
}

// walked collects the references Dedup's walk reaches: exported struct fields, slice and array
// elements, map values that are references, the targets of pointers to structs and arrays.
func walked(v reflect.Value, path string, out *[]ref) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walked(v.Field(i), path+"."+v.Type().Field(i).Name, out)
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			walked(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
	case reflect.Map, reflect.Slice, reflect.Pointer:
		if v.IsNil() {
			return
		}
		*out = append(*out, ref{v, path})
		switch v.Kind() {
		case reflect.Slice:
			for i := range v.Len() {
				walked(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
			}
		case reflect.Map:
			switch v.Type().Elem().Kind() {
			case reflect.Map, reflect.Slice, reflect.Pointer:
				it := v.MapRange()
				for it.Next() {
					walked(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()), out)
				}
			}
		case reflect.Pointer:
			if k := v.Elem().Kind(); k == reflect.Struct || k == reflect.Array {
				walked(v.Elem(), path, out)
			}
		}
	}
}

func same(a, b reflect.Value) bool {
	if a.Kind() == reflect.Slice {
		return a.UnsafePointer() == b.UnsafePointer() && a.Len() == b.Len()
	}
	return a.UnsafePointer() == b.UnsafePointer()
}

// TestInternMatchesDeepEqual interns random objects and checks the generated code against
// reflect.DeepEqual: every object keeps its content, and any two references the walk reaches
// that are of one type and DeepEqual are the same memory (equal values hash alike and compare
// equal), with a hashed table and with one where everything collides (equality alone).
func TestInternMatchesDeepEqual(t *testing.T) {
	for _, colliding := range []bool{false, true} {
		t.Run(fmt.Sprintf("colliding=%t", colliding), func(t *testing.T) {
			objs := objects(t, 12, 5)
			want := objects(t, 12, 5)
			tab := newTable(colliding)
			for _, o := range objs {
				o.InternRefs(tab)
			}
			var refs []ref
			for i := range objs {
				if !reflect.DeepEqual(want[i], objs[i]) {
					t.Fatalf("object %d changed:\nbefore %+v\nafter  %+v", i, want[i], objs[i])
				}
				walked(reflect.ValueOf(objs[i]).Elem(), fmt.Sprintf("obj%d", i), &refs)
			}
			pairs := 0
			for i := range refs {
				for j := i + 1; j < len(refs); j++ {
					a, b := refs[i], refs[j]
					if a.v.Type() != b.v.Type() || !reflect.DeepEqual(a.v.Interface(), b.v.Interface()) {
						continue
					}
					pairs++
					if !same(a.v, b.v) {
						t.Errorf("%s and %s are equal but not shared", a.path, b.path)
					}
				}
			}
			if pairs < 50 || tab.shared == 0 {
				t.Fatalf("only %d equal pairs, %d shared: the data does not exercise sharing", pairs, tab.shared)
			}
		})
	}
}

func TestInternKeepsApart(t *testing.T) {
	qty := func(s string) resource.Quantity { return resource.MustParse(s) }
	nan := math.NaN()
	tests := []struct {
		name string
		a, b Spec
		get  func(*Spec) any
	}{
		{"nil and empty slice", Spec{Floats: nil, Bytes: []byte{}}, Spec{Floats: []float64{}, Bytes: []byte{}}, func(s *Spec) any { return s.Floats }},
		{"nil and empty map", Spec{Flags: map[string]bool{}}, Spec{Flags: nil}, func(s *Spec) any { return s.Flags }},
		{"NaN never equals", Spec{Floats: []float64{nan}}, Spec{Floats: []float64{nan}}, func(s *Spec) any { return s.Floats }},
		{"bool values", Spec{Flags: map[string]bool{"a": true}}, Spec{Flags: map[string]bool{"a": false}}, func(s *Spec) any { return s.Flags }},
		{"nested map values", Spec{Nested: map[string]map[string]int{"a": {"x": 1}}}, Spec{Nested: map[string]map[string]int{"a": {"x": 2}}}, func(s *Spec) any { return s.Nested }},
		{"map keys and values swapped", Spec{Lists: map[string][]string{"a": {"b"}, "b": {"a"}}}, Spec{Lists: map[string][]string{"a": {"a"}, "b": {"b"}}}, func(s *Spec) any { return s.Lists }},
		{"string boundaries", Spec{Named: Names{"ab", "c"}}, Spec{Named: Names{"a", "bc"}}, func(s *Spec) any { return s.Named }},
		{"same value, other form", Spec{Grid: [2][]string{{"1"}}, Floats: []float64{1}, Tree: &Node{Name: "x"}}, Spec{Grid: [2][]string{{"1"}}, Floats: []float64{1}, Tree: &Node{Name: "x", Kids: []*Node{}}}, func(s *Spec) any { return s.Tree }},
		{"time", Spec{When: &meta.Time{}}, Spec{When: ptr(meta.NewTime(time.Unix(1e9, 5)))}, func(s *Spec) any { return s.When }},
		{"pointer to pointer", Spec{PP: ptr(ptr(1))}, Spec{PP: ptr(ptr(2))}, func(s *Spec) any { return s.PP }},
		{"quantity text", Spec{Tree: &Node{Name: "q"}, Qty: qty("1")}, Spec{Tree: &Node{Name: "q"}, Qty: qty("1000m")}, func(s *Spec) any { return s.Qty.String() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := newTable(true)
			a, b := &Object{Spec: tc.a}, &Object{Spec: tc.b}
			wantA, wantB := tc.get(&a.Spec), tc.get(&b.Spec)
			a.InternRefs(tab)
			b.InternRefs(tab)
			if !reflect.DeepEqual(tc.get(&a.Spec), wantA) || !reflect.DeepEqual(tc.get(&b.Spec), wantB) {
				t.Fatalf("content changed: %#v, %#v; want %#v, %#v", tc.get(&a.Spec), tc.get(&b.Spec), wantA, wantB)
			}
			if (tc.get(&a.Spec) == nil) != (wantA == nil) {
				t.Fatal("nil-ness changed")
			}
			va, vb := reflect.ValueOf(tc.get(&a.Spec)), reflect.ValueOf(tc.get(&b.Spec))
			if va.Kind() != reflect.String && !va.IsNil() && !vb.IsNil() && same(va, vb) {
				t.Errorf("different values are shared: %#v and %#v", wantA, wantB)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestNilObject: InternRefs on a nil object does nothing.
func TestNilObject(t *testing.T) {
	tab := newTable(false)
	(*Object)(nil).InternRefs(tab)
	if tab.added+tab.shared != 0 {
		t.Fatalf("a nil object touched the table: %+v", tab)
	}
}
