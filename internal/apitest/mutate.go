package apitest

import (
	"fmt"
	"reflect"
)

// Mutator changes every part of a value that a shallow copy could share with its source: the
// target of every pointer, every element of every slice, every entry of every map (and it adds
// one entry to each map). Leaves are changed too, through the same functions as the Filler.
type Mutator struct {
	filler *Filler
}

// NewMutator returns a Mutator drawing new values from seed and opts.
func NewMutator(seed int64, opts Options) *Mutator {
	return &Mutator{filler: NewFiller(seed, opts)}
}

// Mutate changes everything reachable from ptr, which must be a non-nil pointer.
func (m *Mutator) Mutate(ptr any) error {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("apitest: mutate: want a non-nil pointer, got %T", ptr)
	}
	m.mutate(v.Elem(), 0)
	return nil
}

func (m *Mutator) mutate(v reflect.Value, depth int) {
	f := m.filler
	if fn, ok := f.funcs[v.Type()]; ok {
		// The registered function replaces the whole value; a type with shared memory inside
		// (such as RawExtension.Raw) must also have its old backing storage changed in place.
		m.scribble(v)
		fn(f.rand, v)
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1 + f.rand.Int63n(50))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(v.Uint() + 1 + uint64(f.rand.Int63n(50)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.String:
		v.SetString(v.String() + "-" + randString(f.rand))
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		m.mutate(v.Elem(), depth+1)
	case reflect.Slice:
		for i := range v.Len() {
			m.mutate(v.Index(i), depth+1)
		}
	case reflect.Array:
		for i := range v.Len() {
			m.mutate(v.Index(i), depth)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		iter := v.MapRange()
		type kv struct{ k, e reflect.Value }
		var entries []kv
		for iter.Next() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(iter.Value())
			entries = append(entries, kv{iter.Key(), e})
		}
		for _, ent := range entries {
			m.mutate(ent.e, depth+1)
			v.SetMapIndex(ent.k, ent.e)
		}
		k := reflect.New(v.Type().Key()).Elem()
		f.fill(k, depth+1)
		e := reflect.New(v.Type().Elem()).Elem()
		f.fill(e, depth+1)
		v.SetMapIndex(k, e)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				m.mutate(v.Field(i), depth)
			}
		}
	}
}

// scribble overwrites in place the bytes of every []byte directly inside v (a value handled by a
// FillFunc), so that a copy sharing that storage is caught even though the FillFunc then
// replaces the slice header.
func (m *Mutator) scribble(v reflect.Value) {
	switch v.Kind() {
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			for i := range v.Len() {
				v.Index(i).SetUint(v.Index(i).Uint() ^ 0xff)
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				m.scribble(v.Field(i))
			}
		}
	}
}
