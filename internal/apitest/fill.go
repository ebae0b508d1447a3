package apitest

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"time"

	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// FillFunc sets v (addressable, of the type it is registered for) from r. It must set a non-zero
// value that differs between calls with different random states often enough to detect change.
type FillFunc func(r *rand.Rand, v reflect.Value)

// Options tunes a Filler and a Mutator. The zero value is usable: depth 6, up to 3 elements per
// slice and map, and the built-in fill functions for time.Time, intstr.IntOrString,
// resource.Quantity and runtime.RawExtension.
type Options struct {
	// MaxDepth bounds how many pointers, slices and maps deep the filler goes, so recursive types
	// end. Values deeper than this are left zero. Zero means 6.
	MaxDepth int
	// MaxLen is the largest length of a filled slice or map (at least 1 is used). Zero means 3.
	MaxLen int
	// Seeds is how many seeded values RunDeepCopy checks per type. Zero means DefaultSeeds.
	Seeds int
	// Funcs fill types the generic walk cannot fill meaningfully, such as types with unexported
	// fields (resource.Quantity) or with invariants between fields. They are used by the filler
	// and by the mutator (which calls them with a different random state). They override the
	// built-in functions for the same type.
	Funcs map[reflect.Type]FillFunc
}

func (o Options) maxDepth() int {
	if o.MaxDepth <= 0 {
		return 6
	}
	return o.MaxDepth
}

func (o Options) maxLen() int {
	if o.MaxLen <= 0 {
		return 3
	}
	return o.MaxLen
}

// builtinFuncs returns the fill functions for the shared types of apimachinery.
func builtinFuncs() map[reflect.Type]FillFunc {
	return map[reflect.Type]FillFunc{
		reflect.TypeOf(time.Time{}): func(r *rand.Rand, v reflect.Value) {
			// Whole seconds in UTC survive meta.Time's second-precision JSON and compare equal.
			v.Set(reflect.ValueOf(time.Unix(1_000_000_000+r.Int63n(1_000_000_000), 0).UTC()))
		},
		reflect.TypeOf(intstr.IntOrString{}): func(r *rand.Rand, v reflect.Value) {
			if r.Intn(2) == 0 {
				v.Set(reflect.ValueOf(intstr.FromInt32(1 + r.Int31n(1000))))
			} else {
				v.Set(reflect.ValueOf(intstr.FromString(fmt.Sprintf("%d%%", 1+r.Intn(100)))))
			}
		},
		reflect.TypeOf(resource.Quantity{}): func(r *rand.Rand, v reflect.Value) {
			formats := []resource.Format{resource.DecimalSI, resource.BinarySI, resource.DecimalExponent}
			q := resource.NewMilliQuantity(1+r.Int63n(1_000_000), formats[r.Intn(len(formats))])
			v.Set(reflect.ValueOf(*q))
		},
		reflect.TypeOf(runtime.RawExtension{}): func(r *rand.Rand, v reflect.Value) {
			raw, _ := json.Marshal(map[string]any{"kind": "Raw", "n": r.Int63()})
			v.Set(reflect.ValueOf(runtime.RawExtension{Raw: raw}))
		},
	}
}

// Filler sets values to seeded random, non-zero data.
type Filler struct {
	rand  *rand.Rand
	opts  Options
	funcs map[reflect.Type]FillFunc
}

// NewFiller returns a Filler whose output is a function of seed and opts only: two Fillers with
// the same seed and options fill equal values.
func NewFiller(seed int64, opts Options) *Filler {
	funcs := builtinFuncs()
	for t, f := range opts.Funcs {
		funcs[t] = f
	}
	return &Filler{rand: rand.New(rand.NewSource(seed)), opts: opts, funcs: funcs}
}

// Fill sets every exported field reachable from ptr, which must be a non-nil pointer, to random
// non-zero data. Interface fields are left nil; unexported fields are left alone.
func (f *Filler) Fill(ptr any) error {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("apitest: fill: want a non-nil pointer, got %T", ptr)
	}
	f.fill(v.Elem(), 0)
	return nil
}

func (f *Filler) fill(v reflect.Value, depth int) {
	if fn, ok := f.funcs[v.Type()]; ok {
		fn(f.rand, v)
		return
	}
	r := f.rand
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1 + r.Int63n(100))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(1 + uint64(r.Int63n(100)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1 + float64(r.Int63n(1000))/8)
	case reflect.String:
		v.SetString(randString(r))
	case reflect.Pointer:
		if depth >= f.opts.maxDepth() {
			return
		}
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		if depth >= f.opts.maxDepth() {
			return
		}
		n := 1 + r.Intn(f.opts.maxLen())
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i), depth)
		}
	case reflect.Map:
		if depth >= f.opts.maxDepth() {
			return
		}
		n := 1 + r.Intn(f.opts.maxLen())
		m := reflect.MakeMapWithSize(v.Type(), n)
		for range n {
			k := reflect.New(v.Type().Key()).Elem()
			f.fill(k, depth+1)
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i), depth)
			}
		}
	}
}

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

func randString(r *rand.Rand) string {
	b := make([]byte, 4+r.Intn(8))
	for i := range b {
		b[i] = letters[r.Intn(len(letters))]
	}
	return string(b)
}
