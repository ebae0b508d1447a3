package informer_test

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/apis"
	rt "github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/apitest"
)

// builtinObjects returns a zero value of every built-in kind whose type has generated interning
// code, sorted by kind.
func builtinObjects(t *testing.T) []rt.Object {
	t.Helper()
	s, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	var out []rt.Object
	seen := map[reflect.Type]bool{}
	kinds := s.KnownKinds()
	sort.Slice(kinds, func(i, j int) bool { return kinds[i].String() < kinds[j].String() })
	for _, gvk := range kinds {
		typ, ok := s.KnownType(gvk)
		if !ok || seen[typ] {
			continue
		}
		seen[typ] = true
		obj, ok := reflect.New(typ).Interface().(rt.Object)
		if !ok {
			continue
		}
		if _, generated := obj.(interface{ InternRefs(t informer.InternTable) }); generated {
			out = append(out, obj)
		}
	}
	return out
}

// mix sets each exported field of dst (a struct) to src's with probability 1/3, sometimes makes
// a map or slice empty or nil, and otherwise recurses into struct fields, so that objects share
// parts at every level and nil and empty values meet.
func mix(dst, src reflect.Value, r *rand.Rand, depth int) {
	for i := range dst.NumField() {
		if !dst.Type().Field(i).IsExported() {
			continue
		}
		switch f := dst.Field(i); {
		case f.Kind() == reflect.Slice && r.IntN(8) == 0:
			f.Set(reflect.MakeSlice(f.Type(), 0, r.IntN(2))) // empty, not nil
		case f.Kind() == reflect.Map && r.IntN(8) == 0:
			f.Set(reflect.MakeMap(f.Type()))
		case (f.Kind() == reflect.Slice || f.Kind() == reflect.Map || f.Kind() == reflect.Pointer) && r.IntN(8) == 0:
			f.Set(reflect.Zero(f.Type()))
		case r.IntN(3) == 0:
			f.Set(src.Field(i))
		case f.Kind() == reflect.Struct && depth < 3:
			mix(f, src.Field(i), r, depth+1)
		}
	}
}

// objectsFor returns n random objects like proto: copies of a few filled objects with fields
// swapped between them, so that many maps, slices and pointers are equal but not shared.
func objectsFor(t *testing.T, proto rt.Object, seed int64, n int) []rt.Object {
	t.Helper()
	const bases = 4
	base := make([]rt.Object, bases)
	for i := range base {
		base[i] = proto.DeepCopyObject()
		if err := apitest.NewFiller(seed*10+int64(i), apitest.Options{MaxDepth: 7, MaxLen: 2}).Fill(base[i]); err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	out := make([]rt.Object, n)
	for i := range out {
		o, other := base[r.IntN(bases)].DeepCopyObject(), base[r.IntN(bases)].DeepCopyObject()
		if r.IntN(4) != 0 {
			mix(reflect.ValueOf(o).Elem(), reflect.ValueOf(other).Elem(), r, 0)
		}
		out[i] = o
	}
	return out
}

// sharing describes which maps, slices and pointers of objs are the same memory: every one
// reachable through exported fields, in walk order, numbered by the first object that holds it.
func sharing(objs []rt.Object) []string {
	type key struct {
		typ      reflect.Type
		ptr      uintptr
		len, cap int
	}
	ids := map[key]int{}
	var out []string
	var visit func(v reflect.Value, depth int)
	visit = func(v reflect.Value, depth int) {
		if depth > 40 {
			return
		}
		switch v.Kind() {
		case reflect.Map, reflect.Slice, reflect.Pointer:
			if v.IsNil() {
				out = append(out, "nil")
				return
			}
			k := key{typ: v.Type(), ptr: v.Pointer()}
			if v.Kind() == reflect.Slice {
				k.len, k.cap = v.Len(), v.Cap()
			}
			id, ok := ids[k]
			if !ok {
				id = len(ids)
				ids[k] = id
			}
			out = append(out, strconv.Itoa(id))
			switch v.Kind() {
			case reflect.Pointer:
				visit(v.Elem(), depth+1)
			case reflect.Slice:
				for i := range v.Len() {
					visit(v.Index(i), depth+1)
				}
			case reflect.Map:
				keys := v.MapKeys()
				sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
				for _, key := range keys {
					visit(v.MapIndex(key), depth+1)
				}
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					visit(v.Field(i), depth+1)
				}
			}
		}
	}
	for _, o := range objs {
		visit(reflect.ValueOf(o), 0)
	}
	return out
}

// collidingTable is a table in which every value collides with every other: each lookup
// returns all canonical values, so the generated equality alone decides what is shared.
type collidingTable struct {
	seed          maphash.Seed
	buf           []byte
	all           []any
	shared, added uint64
}

func (c *collidingTable) InternSeed() maphash.Seed { return c.seed }
func (c *collidingTable) InternBuffer() *[]byte    { return &c.buf }
func (c *collidingTable) InternLookup(_ uint64, prev bool) []any {
	if prev {
		return nil
	}
	return c.all
}
func (c *collidingTable) InternShared(_ uint64, _ any, _ bool) { c.shared++ }
func (c *collidingTable) InternAdded(_ uint64, canonical any) {
	c.added++
	c.all = append(c.all, canonical)
}

var _ informer.InternTable = (*collidingTable)(nil)

func copies(objs []rt.Object) []rt.Object {
	out := make([]rt.Object, len(objs))
	for i, o := range objs {
		out[i] = o.DeepCopyObject()
	}
	return out
}

// TestDedupGeneratedMatchesReflective runs the generated code and the reflective walk over the
// same random objects of every built-in kind: both must keep every object's content, make the
// same values shared (the same sharing pattern) and count the same, including when the table
// turns over generations.
func TestDedupGeneratedMatchesReflective(t *testing.T) {
	protos := builtinObjects(t)
	if len(protos) < 20 {
		t.Fatalf("only %d built-in kinds have generated interning code", len(protos))
	}
	for _, proto := range protos {
		for _, maxEntries := range []int{0, 7} {
			name := fmt.Sprintf("%T/max=%d", proto, maxEntries)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				objs := objectsFor(t, proto, int64(len(name)), 24)
				// Compare with copies, not objs: a DeepCopy may normalise (RawExtension turns an
				// empty Raw into nil).
				want, gen, ref, col := copies(objs), copies(objs), copies(objs), copies(objs)
				dg := newDedup(t, informer.DedupOptions{MaxEntries: maxEntries})
				dr, err := informer.NewReflectiveDedup(informer.DedupOptions{MaxEntries: maxEntries})
				if err != nil {
					t.Fatal(err)
				}
				ct := &collidingTable{seed: maphash.MakeSeed()}
				for i := range objs {
					dg.Object(gen[i])
					dr.Object(ref[i])
					col[i].(interface{ InternRefs(informer.InternTable) }).InternRefs(ct)
				}
				for i := range objs {
					if diff := cmp.Diff(want[i], gen[i]); diff != "" {
						t.Fatalf("generated path changed object %d (-before +after):\n%s", i, diff)
					}
					if diff := cmp.Diff(want[i], col[i]); diff != "" {
						t.Fatalf("generated path with equality alone changed object %d (-before +after):\n%s", i, diff)
					}
					if diff := cmp.Diff(want[i], ref[i]); diff != "" {
						t.Fatalf("reflective path changed object %d (-before +after):\n%s", i, diff)
					}
				}
				if diff := cmp.Diff(sharing(ref), sharing(gen)); diff != "" {
					t.Errorf("sharing differs (-reflective +generated):\n%s", diff)
				}
				if maxEntries == 0 { // the colliding table has no generations
					if diff := cmp.Diff(sharing(ref), sharing(col)); diff != "" {
						t.Errorf("sharing with equality alone differs (-reflective +generated):\n%s", diff)
					}
					if st := dr.Stats(); ct.shared != st.Shared || ct.added != st.Added {
						t.Errorf("with equality alone: shared %d, added %d; reflective %+v", ct.shared, ct.added, st)
					}
				}
				sg, sr := dg.Stats(), dr.Stats()
				if sg != sr {
					t.Errorf("stats: generated %+v, reflective %+v", sg, sr)
				}
				if sg.Shared == 0 {
					t.Errorf("nothing was shared: %+v", sg)
				}
			})
		}
	}
}
