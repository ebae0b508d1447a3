package informer

import (
	"hash/maphash"
	"math"
	"reflect"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// DedupOptions configure a Dedup. The zero value is the default.
type DedupOptions struct {
	// MaxEntries bounds the table of canonical values: when it holds that many, it becomes
	// the previous generation and a new one starts; values found in the previous generation
	// move to the new one, the others are forgotten with it. So the table never holds more
	// than twice MaxEntries values, and values no live object uses any more (the template of
	// a ReplicaSet scaled to zero) are released after two generations. Default 65,536;
	// negative is an error.
	MaxEntries int
}

// dedupMaxDepth bounds the walk into an object: API objects are far shallower, and a cyclic
// value (which no decoder produces) must not recurse without end.
const dedupMaxDepth = 32

// Dedup is a transform (see Options.Transform) that makes the cached objects of an informer
// share their identical parts, the way replicas of one template are identical: label maps,
// owner references, containers with their resource lists, tolerations, volumes, managedFields
// entries. Every map, slice and pointer reachable through exported fields is looked up, by
// content, in a table of the values seen before; when an equal one is there (reflect.DeepEqual,
// so nil and empty stay apart), the object is changed to point at it, and the copy it had
// becomes garbage. Objects keep their exact content; they only stop owning memory that
// another cached object holds too.
//
// This is sound because cached objects are immutable (see Lister): a reader that deep-copies
// an object before changing it, as the rules demand, never sees the sharing. Strings are left
// alone: decoders allocate them, but a deep copy already shares them.
//
// Dedup changes the object it is given, so it is for informers that cache their own copies
// (the default); with Options.SharedObjects it must not be used (it would write to the
// store's objects, and there is nothing to save there). Transform is safe for concurrent use
// (one Dedup may serve several informers, for example through FactoryOptions.Transform) and
// costs a reflective walk of the object per change; see docs/performance.md.
type Dedup struct {
	mu        sync.Mutex
	seed      maphash.Seed
	max       int
	cur, prev map[uint64][]reflect.Value
	stats     DedupStats
}

// DedupStats count what a Dedup did.
type DedupStats struct {
	// Shared counts the values replaced by an equal value seen before.
	Shared uint64
	// Added counts the values that became canonical.
	Added uint64
	// Entries is the number of canonical values in the table now (both generations).
	Entries int
}

// NewDedup returns an empty Dedup.
func NewDedup(opts DedupOptions) (*Dedup, error) {
	if opts.MaxEntries < 0 {
		return nil, errorf("dedup: negative MaxEntries %d", opts.MaxEntries)
	}
	if opts.MaxEntries == 0 {
		opts.MaxEntries = 1 << 16
	}
	return &Dedup{seed: maphash.MakeSeed(), max: opts.MaxEntries, cur: map[uint64][]reflect.Value{}}, nil
}

// DedupTransform returns d's transform for objects of type T, for Options.Transform.
func DedupTransform[T runtime.MetaObject](d *Dedup) func(T) (T, error) {
	return func(obj T) (T, error) {
		d.Object(obj)
		return obj, nil
	}
}

// Object makes obj (a pointer to a struct, as every API object is) share its identical parts
// with the objects d saw before, in place. Other values are left alone.
func (d *Dedup) Object(obj any) {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.walk(v.Elem(), 0)
}

// Stats returns what d did so far.
func (d *Dedup) Stats() DedupStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.stats
	s.Entries = 0
	for _, vs := range d.cur {
		s.Entries += len(vs)
	}
	for _, vs := range d.prev {
		s.Entries += len(vs)
	}
	return s
}

// walk deduplicates the parts inside v: the exported fields of a struct, the elements of an
// array or slice, the values of a map.
func (d *Dedup) walk(v reflect.Value, depth int) {
	if depth > dedupMaxDepth {
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				d.child(v.Field(i), depth+1)
			}
		}
	case reflect.Array, reflect.Slice:
		for i := range v.Len() {
			d.child(v.Index(i), depth+1)
		}
	case reflect.Map:
		switch v.Type().Elem().Kind() {
		case reflect.Map, reflect.Slice, reflect.Pointer:
		default:
			return // values are copied out of a map; only references are worth sharing
		}
		it := v.MapRange()
		for it.Next() {
			if c, ok := d.canonical(it.Value(), depth+1); ok {
				v.SetMapIndex(it.Key(), c) // replacing the value of an existing key during range is allowed
			}
		}
	case reflect.Pointer:
		if e := v.Elem(); e.Kind() == reflect.Struct || e.Kind() == reflect.Array {
			d.walk(e, depth+1)
		}
	}
}

// child deduplicates the settable field or element v.
func (d *Dedup) child(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Map, reflect.Slice, reflect.Pointer:
		if c, ok := d.canonical(v, depth); ok && v.CanSet() {
			v.Set(c)
		}
	case reflect.Struct, reflect.Array:
		d.walk(v, depth)
	}
}

// canonical returns the value of the table equal to v and true, or registers v (after
// deduplicating inside it, so that values which differ in a part still share their other
// parts) and returns the value registered, with true when that differs from v (a clipped
// slice) and must replace it.
func (d *Dedup) canonical(v reflect.Value, depth int) (reflect.Value, bool) {
	if v.IsNil() || depth > dedupMaxDepth || !v.CanInterface() {
		return v, false
	}
	var h maphash.Hash
	h.SetSeed(d.seed)
	d.hash(&h, v, depth)
	sum := h.Sum64()
	x := v.Interface()
	for _, c := range d.cur[sum] {
		if c.Type() == v.Type() && reflect.DeepEqual(c.Interface(), x) {
			d.stats.Shared++
			return c, true
		}
	}
	for _, c := range d.prev[sum] {
		if c.Type() == v.Type() && reflect.DeepEqual(c.Interface(), x) {
			d.stats.Shared++
			d.insert(sum, c)
			return c, true
		}
	}
	d.walk(v, depth)
	d.stats.Added++
	if v.Kind() == reflect.Slice && v.Cap() > v.Len() {
		// A canonical slice has no spare capacity, so that an append to one object's slice
		// (which the rules forbid anyway) can never write into another object's.
		c := v.Slice3(0, v.Len(), v.Len())
		d.insert(sum, c)
		return c, true
	}
	d.insert(sum, v)
	return v, false
}

func (d *Dedup) insert(sum uint64, c reflect.Value) {
	if len(d.cur) >= d.max {
		d.prev, d.cur = d.cur, map[uint64][]reflect.Value{}
	}
	d.cur[sum] = append(d.cur[sum], c)
}

// hash writes the content of v to h, consistently with reflect.DeepEqual: equal values hash
// equally (maps independently of their order). Unequal values may collide; the caller
// compares.
func (d *Dedup) hash(h *maphash.Hash, v reflect.Value, depth int) {
	if depth > dedupMaxDepth {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeUint64(h, uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		writeUint64(h, v.Uint())
	case reflect.Float32, reflect.Float64:
		writeUint64(h, math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		writeUint64(h, math.Float64bits(real(c)))
		writeUint64(h, math.Float64bits(imag(c)))
	case reflect.String:
		writeUint64(h, uint64(v.Len()))
		h.WriteString(v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		h.WriteByte(1)
		d.hash(h, v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			d.hash(h, v.Field(i), depth+1)
		}
	case reflect.Slice:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		h.WriteByte(1)
		fallthrough
	case reflect.Array:
		writeUint64(h, uint64(v.Len()))
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			h.Write(v.Bytes())
			return
		}
		for i := range v.Len() {
			d.hash(h, v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.IsNil() {
			h.WriteByte(0)
			return
		}
		writeUint64(h, uint64(v.Len()))
		// Order-independent: the sum of the entries' own hashes.
		var sum uint64
		it := v.MapRange()
		for it.Next() {
			var eh maphash.Hash
			eh.SetSeed(d.seed)
			d.hash(&eh, it.Key(), depth+1)
			d.hash(&eh, it.Value(), depth+1)
			sum += eh.Sum64()
		}
		writeUint64(h, sum)
	default:
		// Funcs, channels and unsafe pointers are equal under DeepEqual only when both are
		// nil; hashing nothing is consistent with that.
	}
}

func writeUint64(h *maphash.Hash, x uint64) {
	var b [8]byte
	for i := range b {
		b[i] = byte(x >> (8 * i))
	}
	h.Write(b[:])
}
