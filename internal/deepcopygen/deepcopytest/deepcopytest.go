package deepcopytest

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// Options tune filling and comparing. The zero value works for types built from exported
// fields, meta.Time, meta.MicroTime, intstr.IntOrString and resource.Quantity.
type Options struct {
	// Fill makes a random non-zero value for a type that reflection cannot fill, keyed by the
	// type (for interface-typed fields, the interface type). It is consulted before the built-in
	// fillers.
	Fill map[reflect.Type]func(r *rand.Rand) reflect.Value
	// Seeds is the number of random values per type; 0 means 5.
	Seeds int
	// MaxDepth bounds how deep recursive types are filled; 0 means 6.
	MaxDepth int
	// CmpOptions are passed to cmp.Diff when comparing copies and originals.
	CmpOptions []cmp.Option
}

func (o *Options) seeds() int {
	if o.Seeds <= 0 {
		return 5
	}
	return o.Seeds
}

func (o *Options) maxDepth() int {
	if o.MaxDepth <= 0 {
		return 6
	}
	return o.MaxDepth
}

var (
	timeType      = reflect.TypeOf(time.Time{})
	metaTimeType  = reflect.TypeOf(meta.Time{})
	microTimeType = reflect.TypeOf(meta.MicroTime{})
	intstrType    = reflect.TypeOf(intstr.IntOrString{})
	quantityType  = reflect.TypeOf(resource.Quantity{})
)

// quantities mixes the int64 and math/big representations, decimal and binary formats.
var quantities = []string{"100m", "1", "2Gi", "512Mi", "1.5", "3k", "123456789012345678901234", "1e3", "0.000000001"}

// Fill sets the value ptr points to to random non-zero data drawn from seed: every pointer is
// non-nil, every slice and map has one to three elements, every string and number is non-zero.
// The same seed gives an equal value. It fails on fields it cannot fill (unexported fields,
// funcs, chans, interfaces without an Options.Fill entry).
func Fill(seed int64, ptr any, opts Options) error {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("fill: need a non-nil pointer, got %T", ptr)
	}
	f := filler{r: rand.New(rand.NewSource(seed)), opts: &opts}
	return f.fill(v.Elem(), v.Type().Elem().String(), 0)
}

type filler struct {
	r    *rand.Rand
	opts *Options
}

const letters = "abcdefghijklmnopqrstuvwxyz0123456789"

func (f *filler) str() string {
	b := make([]byte, 1+f.r.Intn(8))
	for i := range b {
		b[i] = letters[f.r.Intn(len(letters))]
	}
	return string(b)
}

func (f *filler) fill(v reflect.Value, path string, depth int) error {
	t := v.Type()
	if fn, ok := f.opts.Fill[t]; ok {
		v.Set(fn(f.r))
		return nil
	}
	switch t {
	case timeType:
		v.Set(reflect.ValueOf(f.time()))
		return nil
	case metaTimeType:
		v.Set(reflect.ValueOf(meta.NewTime(f.time())))
		return nil
	case microTimeType:
		v.Set(reflect.ValueOf(meta.NewMicroTime(f.time().Add(time.Duration(f.r.Intn(1e6)) * time.Microsecond))))
		return nil
	case quantityType:
		v.Set(reflect.ValueOf(resource.MustParse(quantities[f.r.Intn(len(quantities))])))
		return nil
	case intstrType:
		if f.r.Intn(2) == 0 {
			v.Set(reflect.ValueOf(intstr.FromInt32(1 + f.r.Int31n(65535))))
		} else {
			v.Set(reflect.ValueOf(intstr.FromString(f.str())))
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1 + f.r.Int63n(100))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(1 + uint64(f.r.Int63n(100)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1 + float64(f.r.Intn(1000))/8)
	case reflect.String:
		v.SetString(f.str())
	case reflect.Pointer:
		if depth >= f.opts.maxDepth() {
			return nil
		}
		p := reflect.New(t.Elem())
		if err := f.fill(p.Elem(), path, depth+1); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Slice:
		if depth >= f.opts.maxDepth() {
			return nil
		}
		n := 1 + f.r.Intn(3)
		s := reflect.MakeSlice(t, n, n)
		for i := 0; i < n; i++ {
			if err := f.fill(s.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := f.fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		if depth >= f.opts.maxDepth() {
			return nil
		}
		n := 1 + f.r.Intn(3)
		m := reflect.MakeMapWithSize(t, n)
		for i := 0; i < n; i++ {
			k := reflect.New(t.Key()).Elem()
			if err := f.fill(k, path+"[key]", depth+1); err != nil {
				return err
			}
			e := reflect.New(t.Elem()).Elem()
			if err := f.fill(e, path+"[value]", depth+1); err != nil {
				return err
			}
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				return fmt.Errorf("fill %s: unexported field %s of %s; add the type to Options.Fill", path, sf.Name, t)
			}
			if err := f.fill(v.Field(i), path+"."+sf.Name, depth+1); err != nil {
				return err
			}
		}
	case reflect.Interface:
		return fmt.Errorf("fill %s: interface %s; add it to Options.Fill", path, t)
	default:
		return fmt.Errorf("fill %s: cannot fill a %s", path, t)
	}
	return nil
}

func (f *filler) time() time.Time {
	return time.Unix(1e9+f.r.Int63n(1e9), 0).UTC()
}

// Mutate changes every element reachable from ptr through exported fields, pointers, slices,
// maps and interfaces: numbers and strings change, bools flip, times move, and every map gains
// a key. It returns how many leaves it changed. Values of the non-interface types in opts.Fill
// are replaced by a fresh value from their filler.
func Mutate(ptr any, opts Options) int {
	m := mutator{r: rand.New(rand.NewSource(-1)), opts: &opts}
	m.mutate(reflect.ValueOf(ptr).Elem())
	return m.n
}

type mutator struct {
	r    *rand.Rand
	opts *Options
	n    int
}

func (m *mutator) mutate(v reflect.Value) {
	t := v.Type()
	if fn, ok := m.opts.Fill[t]; ok && t.Kind() != reflect.Interface {
		// Interface values are mutated through their dynamic value below instead.
		if v.CanSet() {
			v.Set(fn(m.r))
			m.n++
		}
		return
	}
	switch t {
	case timeType:
		v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Hour)))
		m.n++
		return
	case quantityType:
		q := v.Interface().(resource.Quantity)
		q.Add(resource.MustParse("1"))
		v.Set(reflect.ValueOf(q))
		m.n++
		return
	}
	switch t.Kind() {
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(v.Uint() + 1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.String:
		v.SetString(v.String() + "~")
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			m.mutate(v.Elem())
		}
		return
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			m.mutate(v.Index(i))
		}
		return
	case reflect.Map:
		if v.IsNil() {
			return
		}
		keys := v.MapKeys()
		for _, k := range keys {
			e := reflect.New(t.Elem()).Elem()
			e.Set(v.MapIndex(k))
			m.mutate(e)
			v.SetMapIndex(k, e)
		}
		if len(keys) > 0 {
			// A new key shows up in the original if the map itself is shared.
			k := reflect.New(t.Key()).Elem()
			k.Set(keys[0])
			m.mutate(k)
			v.SetMapIndex(k, v.MapIndex(keys[0]))
			m.n++
		}
		return
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				m.mutate(v.Field(i))
			}
		}
		return
	default:
		return
	}
	m.n++
}

// Aliases returns the paths at which a and b share memory: the same non-nil pointer, map, or
// slice backing array, found by walking both values in parallel, unexported fields included.
// time.Time's location is immutable and not reported.
func Aliases(a, b any) []string {
	var out []string
	walkAliases(reflect.ValueOf(a), reflect.ValueOf(b), "", &out, map[uintptr]bool{})
	return out
}

func walkAliases(a, b reflect.Value, path string, out *[]string, seen map[uintptr]bool) {
	if !a.IsValid() || !b.IsValid() || a.Type() != b.Type() || a.Type() == timeType {
		return
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			*out = append(*out, path)
			return
		}
		if seen[a.Pointer()] {
			return
		}
		seen[a.Pointer()] = true
		walkAliases(a.Elem(), b.Elem(), path, out, seen)
	case reflect.Interface:
		if !a.IsNil() && !b.IsNil() {
			walkAliases(a.Elem(), b.Elem(), path, out, seen)
		}
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			return
		}
		if a.Pointer() == b.Pointer() {
			*out = append(*out, path)
			return
		}
		iter := a.MapRange()
		for iter.Next() {
			walkAliases(iter.Value(), b.MapIndex(iter.Key()), fmt.Sprintf("%s[%v]", path, iter.Key()), out, seen)
		}
	case reflect.Slice:
		if a.Cap() > 0 && b.Cap() > 0 && a.Pointer() == b.Pointer() {
			*out = append(*out, path)
			return
		}
		for i := 0; i < a.Len() && i < b.Len(); i++ {
			walkAliases(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), out, seen)
		}
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			walkAliases(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), out, seen)
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			walkAliases(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name, out, seen)
		}
	}
}

// deepCopy calls ptr's DeepCopy (pointer receiver returning *T, or value receiver returning T)
// and returns the copy as a *T, or an error if the type has no such method.
func deepCopy(ptr reflect.Value) (reflect.Value, error) {
	if m := ptr.MethodByName("DeepCopy"); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
		res := m.Call(nil)[0]
		switch res.Type() {
		case ptr.Type():
			return res, nil
		case ptr.Type().Elem():
			p := reflect.New(res.Type())
			p.Elem().Set(res)
			return p, nil
		}
	}
	return reflect.Value{}, fmt.Errorf("%s has no DeepCopy method returning itself", ptr.Type().Elem())
}

// Check runs the deep-copy property on the type ptr points to, for opts.Seeds random values: the
// copy equals the original, DeepCopyObject (when the type has it) gives an equal value, nothing
// is shared, and mutating every element of the copy leaves the original as it was.
func Check(t testing.TB, ptr any, opts Options) {
	t.Helper()
	typ := reflect.TypeOf(ptr)
	if typ == nil || typ.Kind() != reflect.Pointer {
		t.Fatalf("deepcopytest.Check: need a pointer, got %T", ptr)
	}
	for seed := int64(1); seed <= int64(opts.seeds()); seed++ {
		if err := checkOne(typ.Elem(), seed, opts); err != nil {
			t.Errorf("%s, seed %d: %v", typ.Elem(), seed, err)
		}
	}
}

func checkOne(typ reflect.Type, seed int64, opts Options) error {
	orig := reflect.New(typ)
	if err := Fill(seed, orig.Interface(), opts); err != nil {
		return err
	}
	want := reflect.New(typ)
	if err := Fill(seed, want.Interface(), opts); err != nil {
		return err
	}
	if diff := cmp.Diff(want.Interface(), orig.Interface(), opts.CmpOptions...); diff != "" {
		return fmt.Errorf("fill is not deterministic (-want +got):\n%s", diff)
	}
	cp, err := deepCopy(orig)
	if err != nil {
		return err
	}
	if diff := cmp.Diff(orig.Interface(), cp.Interface(), opts.CmpOptions...); diff != "" {
		return fmt.Errorf("copy differs from original (-orig +copy):\n%s", diff)
	}
	if paths := Aliases(orig.Interface(), cp.Interface()); len(paths) > 0 {
		return fmt.Errorf("copy shares memory with the original at %s", strings.Join(paths, ", "))
	}
	if m := orig.MethodByName("DeepCopyObject"); m.IsValid() {
		obj := m.Call(nil)[0]
		if obj.IsNil() {
			return errors.New("DeepCopyObject returned nil for a non-nil value")
		}
		if diff := cmp.Diff(orig.Interface(), obj.Elem().Interface(), opts.CmpOptions...); diff != "" {
			return fmt.Errorf("DeepCopyObject differs from original (-orig +copy):\n%s", diff)
		}
	}
	if n := Mutate(cp.Interface(), opts); n == 0 {
		return errors.New("mutate changed nothing")
	}
	if cmp.Equal(orig.Interface(), cp.Interface(), opts.CmpOptions...) {
		return errors.New("mutated copy still equals the original")
	}
	if diff := cmp.Diff(want.Interface(), orig.Interface(), opts.CmpOptions...); diff != "" {
		return fmt.Errorf("mutating the copy changed the original (-want +got):\n%s", diff)
	}
	if typ.Kind() == reflect.Struct {
		// A nil receiver copies to nil.
		nilCopy, err := deepCopy(reflect.Zero(reflect.PointerTo(typ)))
		if err != nil || !nilCopy.IsNil() {
			return errors.New("DeepCopy of a nil pointer is not nil")
		}
	}
	return nil
}

// DeepCopyTypes returns the sorted names of the types that the generated file in dir gives a
// DeepCopy method.
func DeepCopyTypes(dir string) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(dir, "zz_generated.deepcopy.go"), nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("deep copy types: %w", err)
	}
	var names []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || fd.Name.Name != "DeepCopyInto" {
			continue
		}
		rt := fd.Recv.List[0].Type
		if star, ok := rt.(*ast.StarExpr); ok {
			rt = star.X
		}
		if id, ok := rt.(*ast.Ident); ok && ast.IsExported(id.Name) {
			names = append(names, id.Name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// CheckPackage runs Check on every value in ptrs and fails if the exported types with generated
// deep copies in dir (see DeepCopyTypes) and the types of ptrs differ.
func CheckPackage(t *testing.T, dir string, opts Options, ptrs ...any) {
	t.Helper()
	names, err := DeepCopyTypes(dir)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, p := range ptrs {
		listed[reflect.TypeOf(p).Elem().Name()] = true
	}
	for _, n := range names {
		if !listed[n] {
			t.Errorf("type %s has a generated deep copy but is not in the CheckPackage list", n)
		}
		delete(listed, n)
	}
	for n := range listed {
		t.Errorf("type %s is in the CheckPackage list but has no generated deep copy", n)
	}
	for _, p := range ptrs {
		t.Run(reflect.TypeOf(p).Elem().Name(), func(t *testing.T) { Check(t, p, opts) })
	}
}
