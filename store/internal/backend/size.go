package backend

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
)

// sizer bounds the JSON size of objects from above without encoding them: a walk of the value
// that counts every string as if each byte needed a six-byte escape, every number at its longest
// and every struct field with its name. When the bound is within the limit the object surely
// fits; only objects whose bound exceeds the limit are encoded to be measured exactly. The walk
// is a few times cheaper than encoding, which matters on the write path.
type sizer struct {
	types sync.Map // reflect.Type -> *typeInfo
}

type fieldInfo struct {
	index int
	name  int // bound of the quoted name, colon and comma
	typ   reflect.Type
	ti    atomic.Pointer[typeInfo] // resolved on first use
}

type typeInfo struct {
	marshaler, addrMarshaler bool // json.Marshaler on the value, or on its address
	text, addrText           bool // encoding.TextMarshaler likewise
	bytes                    bool // a []byte encoded as base64
	fields                   []*fieldInfo
	elem                     atomic.Pointer[typeInfo] // of pointers, slices, arrays, maps; resolved on first use
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// maxDepth bounds the walk; deeper values (or cycles) are measured by encoding.
const maxDepth = 64

func (z *sizer) info(t reflect.Type) *typeInfo {
	if ti, ok := z.types.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{
		marshaler:     t.Implements(marshalerType),
		addrMarshaler: t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(marshalerType),
		text:          t.Implements(textMarshalerType),
		addrText:      t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(textMarshalerType),
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		e := t.Elem()
		ti.bytes = !e.Implements(marshalerType) && !reflect.PointerTo(e).Implements(marshalerType) &&
			!e.Implements(textMarshalerType) && !reflect.PointerTo(e).Implements(textMarshalerType)
	}
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			if !f.IsExported() && !f.Anonymous {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			// Quotes, colon, comma, and two more for a ",string" option.
			ti.fields = append(ti.fields, &fieldInfo{index: i, name: 6*len(name) + 6, typ: f.Type})
		}
	}
	actual, _ := z.types.LoadOrStore(t, ti)
	return actual.(*typeInfo)
}

// elemInfo returns the typeInfo of the element type of ti's type t.
func (z *sizer) elemInfo(ti *typeInfo, t reflect.Type) *typeInfo {
	if e := ti.elem.Load(); e != nil {
		return e
	}
	e := z.info(t.Elem())
	ti.elem.Store(e)
	return e
}

// bound returns an upper bound of the JSON encoding of v, or false when the walk cannot bound
// it (a type encoding/json cannot encode, or nesting deeper than maxDepth).
func (z *sizer) bound(v reflect.Value, depth int) (int, bool) {
	if !v.IsValid() {
		return 4, true
	}
	return z.boundOf(v, z.info(v.Type()), depth)
}

// boundOf is bound with the typeInfo of v's type already at hand.
func (z *sizer) boundOf(v reflect.Value, ti *typeInfo, depth int) (int, bool) {
	if depth > maxDepth {
		return 0, false
	}
	k := v.Kind()
	if (k == reflect.Pointer || k == reflect.Interface || k == reflect.Map || k == reflect.Slice) && v.IsNil() {
		return 4, true
	}
	if ti.marshaler || ti.addrMarshaler && v.CanAddr() {
		m := v
		if !ti.marshaler || k != reflect.Pointer && k != reflect.Interface && v.CanAddr() {
			m = v.Addr() // through a pointer: no copy of the value boxed into an interface
		}
		if !m.CanInterface() {
			return 0, false
		}
		b, err := m.Interface().(json.Marshaler).MarshalJSON()
		if err != nil {
			return 0, false
		}
		return 6 * len(b), true // the encoder may HTML-escape the marshaler's output
	}
	if ti.text || ti.addrText && v.CanAddr() {
		m := v
		if !ti.text || k != reflect.Pointer && k != reflect.Interface && v.CanAddr() {
			m = v.Addr()
		}
		if !m.CanInterface() {
			return 0, false
		}
		b, err := m.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return 0, false
		}
		return 6*len(b) + 2, true
	}
	switch k {
	case reflect.String:
		return 6*v.Len() + 2, true
	case reflect.Bool:
		return 5, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return 22, true
	case reflect.Float32, reflect.Float64:
		return 26, true
	case reflect.Interface:
		return z.bound(v.Elem(), depth+1)
	case reflect.Pointer:
		return z.boundOf(v.Elem(), z.elemInfo(ti, v.Type()), depth+1)
	case reflect.Slice, reflect.Array:
		if ti.bytes {
			return 4*(v.Len()+2)/3 + 4, true // base64
		}
		n := 2
		if v.Len() == 0 {
			return n, true
		}
		ei := z.elemInfo(ti, v.Type())
		for i := 0; i < v.Len(); i++ {
			b, ok := z.boundOf(v.Index(i), ei, depth+1)
			if !ok {
				return 0, false
			}
			n += b + 1
		}
		return n, true
	case reflect.Map:
		n := 2
		if v.Len() == 0 {
			return n, true
		}
		ei := z.elemInfo(ti, v.Type())
		// One addressable key and value for the whole walk (MapIter.Key and Value would
		// allocate a copy of each entry).
		key := reflect.New(v.Type().Key()).Elem()
		val := reflect.New(v.Type().Elem()).Elem()
		var iter reflect.MapIter
		iter.Reset(v)
		for iter.Next() {
			key.SetIterKey(&iter)
			val.SetIterValue(&iter)
			var kb int
			if key.Kind() == reflect.String {
				kb = 6*key.Len() + 2
			} else {
				b, ok := z.bound(key, depth+1)
				if !ok {
					return 0, false
				}
				kb = b + 2
			}
			vb, ok := z.boundOf(val, ei, depth+1)
			if !ok {
				return 0, false
			}
			n += kb + 1 + vb + 1
		}
		return n, true
	case reflect.Struct:
		n := 2
		for _, f := range ti.fields {
			fti := f.ti.Load()
			if fti == nil {
				fti = z.info(f.typ)
				f.ti.Store(fti)
			}
			b, ok := z.boundOf(v.Field(f.index), fti, depth+1)
			if !ok {
				return 0, false
			}
			n += f.name + b
		}
		return n, true
	}
	return 0, false
}
