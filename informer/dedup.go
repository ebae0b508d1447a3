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
// content, in a table of the values seen before; when an equal one is there (equal as
// reflect.DeepEqual says, so nil and empty stay apart), the object is changed to point at it,
// and the copy it had becomes garbage. A value that is new has its own parts shared first and
// then becomes canonical (a slice without spare capacity). Objects keep their exact content;
// they only stop owning memory that another cached object holds too.
//
// This is sound because cached objects are immutable (see Lister): a reader that deep-copies
// an object before changing it, as the rules demand, never sees the sharing. Strings are left
// alone: decoders allocate them, but a deep copy already shares them.
//
// The built-in API types have generated interning code (an InternRefs method written by
// internal/interngen into zz_generated.intern.go): it walks the object without reflection,
// hashes each value's content (strings by their bytes) into one reused buffer, compares with
// generated equality, and allocates nothing when it finds a value (about 1 µs and no
// allocation per pod, against 4-6 µs and 11 allocations for the reflective walk; see
// docs/performance.md). Other types are walked by reflection, with the same decisions. The two
// paths hash differently, so a value is shared only with values seen by the same path: objects
// of one type always take the same one.
//
// Dedup changes the object it is given, so it is for informers that cache their own copies
// (the default); with Options.SharedObjects it must not be used (it would write to the
// store's objects, and there is nothing to save there). Transform is safe for concurrent use
// (one Dedup may serve several informers, for example through FactoryOptions.Transform); calls
// are serialised by a mutex.
type Dedup struct {
	mu  sync.Mutex
	tab dedupTable
	// reflective makes Object ignore generated InternRefs methods (tests compare both paths).
	reflective bool
	// fields caches, per struct type, the indexes of its exported fields that can hold
	// something to share (a map, slice or pointer, directly or inside).
	fields map[reflect.Type][]int
	// refs caches whether a type can hold something to share.
	refs map[reflect.Type]bool
	// h and entry are reused hashers of the reflective walk (one per depth for map entries),
	// guarded by mu.
	h     maphash.Hash
	entry [dedupMaxDepth + 2]maphash.Hash
}

// internTable is the table generated InternRefs methods (internal/interngen) work with. It is
// an unnamed interface type, spelled exactly as in the generated files, so that the API
// packages need not import this one.
type internTable = interface {
	InternSeed() maphash.Seed
	InternBuffer() *[]byte
	InternLookup(sum uint64, prev bool) []any
	InternShared(sum uint64, canonical any, fromPrev bool)
	InternAdded(sum uint64, canonical any)
}

// interner is an object with generated interning code.
type interner interface {
	InternRefs(t internTable)
}

// dedupTable holds the canonical values of a Dedup in two generations, keyed by content hash.
// Its methods are called with the Dedup's lock held; a value is only ever found by a lookup
// of the same path (generated or reflective) that added it, as the two hash differently.
type dedupTable struct {
	seed      maphash.Seed
	max       int
	cur, prev map[uint64][]any
	buf       []byte
	stats     DedupStats
}

var _ internTable = (*dedupTable)(nil)

// InternSeed returns the seed of the table's hashes.
func (t *dedupTable) InternSeed() maphash.Seed { return t.seed }

// InternBuffer returns the reused buffer that generated code hashes in.
func (t *dedupTable) InternBuffer() *[]byte { return &t.buf }

// InternLookup returns the canonical values whose content hash is sum, of the current
// generation, or of the previous one when prev. Callers look in the previous generation only
// when the current one has no equal value, which saves a lookup per hit.
func (t *dedupTable) InternLookup(sum uint64, prev bool) []any {
	if prev {
		return t.prev[sum]
	}
	return t.cur[sum]
}

// InternShared records that a value was replaced by canonical, found in the previous
// generation when fromPrev (it then moves to the current one).
func (t *dedupTable) InternShared(sum uint64, canonical any, fromPrev bool) {
	t.stats.Shared++
	if fromPrev {
		t.insert(sum, canonical)
	}
}

// InternAdded makes canonical a canonical value.
func (t *dedupTable) InternAdded(sum uint64, canonical any) {
	t.stats.Added++
	t.insert(sum, canonical)
}

func (t *dedupTable) insert(sum uint64, c any) {
	if len(t.cur) >= t.max {
		t.prev, t.cur = t.cur, map[uint64][]any{}
	}
	t.cur[sum] = append(t.cur[sum], c)
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
	seed := maphash.MakeSeed()
	d := &Dedup{tab: dedupTable{seed: seed, max: opts.MaxEntries, cur: map[uint64][]any{}},
		fields: map[reflect.Type][]int{}, refs: map[reflect.Type]bool{}}
	d.h.SetSeed(seed)
	for i := range d.entry {
		d.entry[i].SetSeed(seed)
	}
	return d, nil
}

// hasRefs reports whether a value of type t can hold a map, slice or pointer reachable through
// exported fields: only those are worth a walk.
func (d *Dedup) hasRefs(t reflect.Type) bool {
	if r, ok := d.refs[t]; ok {
		return r
	}
	d.refs[t] = false // a recursive type reaches itself only through a pointer, true below
	r := false
	switch t.Kind() {
	case reflect.Map, reflect.Slice, reflect.Pointer:
		r = true
	case reflect.Array:
		r = d.hasRefs(t.Elem())
	case reflect.Struct:
		r = len(d.structFields(t)) > 0
	}
	d.refs[t] = r
	return r
}

// structFields returns the indexes of t's exported fields that can hold something to share.
func (d *Dedup) structFields(t reflect.Type) []int {
	if fs, ok := d.fields[t]; ok {
		return fs
	}
	d.fields[t] = nil
	var fs []int
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && d.hasRefs(f.Type) {
			fs = append(fs, i)
		}
	}
	d.fields[t] = fs
	return fs
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
	if in, ok := obj.(interner); ok && !d.reflective {
		d.mu.Lock()
		defer d.mu.Unlock()
		in.InternRefs(&d.tab) // handles a nil pointer
		return
	}
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
	s := d.tab.stats
	s.Entries = 0
	for _, vs := range d.tab.cur {
		s.Entries += len(vs)
	}
	for _, vs := range d.tab.prev {
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
		for _, i := range d.structFields(v.Type()) {
			d.child(v.Field(i), depth+1)
		}
	case reflect.Array, reflect.Slice:
		if !d.hasRefs(v.Type().Elem()) {
			return
		}
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
	d.h.Reset()
	d.hash(&d.h, v, depth)
	sum := d.h.Sum64()
	for _, e := range d.tab.InternLookup(sum, false) {
		if c := reflect.ValueOf(e); c.Type() == v.Type() && equal(c, v, depth) {
			d.tab.InternShared(sum, e, false)
			return c, true
		}
	}
	for _, e := range d.tab.InternLookup(sum, true) {
		if c := reflect.ValueOf(e); c.Type() == v.Type() && equal(c, v, depth) {
			d.tab.InternShared(sum, e, true)
			return c, true
		}
	}
	d.walk(v, depth)
	if v.Kind() == reflect.Slice && v.Cap() > v.Len() {
		// A canonical slice has no spare capacity, so that an append to one object's slice
		// (which the rules forbid anyway) can never write into another object's.
		c := v.Slice3(0, v.Len(), v.Len())
		d.tab.InternAdded(sum, c.Interface())
		return c, true
	}
	d.tab.InternAdded(sum, v.Interface())
	return v, false
}

// equal reports whether a and b, of one type, are equal as reflect.DeepEqual says (nil and
// empty maps and slices differ, NaN differs from itself, funcs are equal only when both are
// nil), without its allocations. It errs only towards "not equal" (past the depth bound, for
// channels and unsafe pointers), which merely shares less.
func equal(a, b reflect.Value, depth int) bool {
	if depth > dedupMaxDepth {
		return false
	}
	switch a.Kind() {
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() == b.Float()
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	case reflect.String:
		return a.String() == b.String()
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return a.UnsafePointer() == b.UnsafePointer() || equal(a.Elem(), b.Elem(), depth+1)
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		ea, eb := a.Elem(), b.Elem()
		return ea.Type() == eb.Type() && equal(ea, eb, depth+1)
	case reflect.Struct:
		for i := range a.NumField() {
			if !equal(a.Field(i), b.Field(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Len() != b.Len() {
			return false
		}
		if a.UnsafePointer() == b.UnsafePointer() {
			return true
		}
		if a.Type().Elem().Kind() == reflect.Uint8 {
			return string(a.Bytes()) == string(b.Bytes())
		}
		fallthrough
	case reflect.Array:
		for i := range a.Len() {
			if !equal(a.Index(i), b.Index(i), depth+1) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Len() != b.Len() {
			return false
		}
		if a.UnsafePointer() == b.UnsafePointer() {
			return true
		}
		if !a.CanInterface() { // a map behind an unexported field cannot lend its entries
			it := a.MapRange()
			for it.Next() {
				bv := b.MapIndex(it.Key())
				if !bv.IsValid() || !equal(it.Value(), bv, depth+1) {
					return false
				}
			}
			return true
		}
		k, e := reflect.New(a.Type().Key()).Elem(), reflect.New(a.Type().Elem()).Elem()
		var it reflect.MapIter
		it.Reset(a)
		for it.Next() {
			k.SetIterKey(&it)
			e.SetIterValue(&it)
			bv := b.MapIndex(k)
			if !bv.IsValid() || !equal(e, bv, depth+1) {
				return false
			}
		}
		return true
	case reflect.Func:
		return a.IsNil() && b.IsNil()
	default: // channels, unsafe pointers
		return false
	}
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
		// Deeper maps use deeper hashers. A map behind an unexported field cannot lend its
		// entries to holders, so it is read with copies.
		eh := &d.entry[min(depth, dedupMaxDepth+1)]
		if !v.CanInterface() {
			it := v.MapRange()
			for it.Next() {
				eh.Reset()
				d.hash(eh, it.Key(), depth+1)
				d.hash(eh, it.Value(), depth+1)
				sum += eh.Sum64()
			}
			writeUint64(h, sum)
			return
		}
		// One key and one value holder per map instead of a copy per entry.
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		var it reflect.MapIter
		it.Reset(v)
		for it.Next() {
			k.SetIterKey(&it)
			e.SetIterValue(&it)
			eh.Reset()
			d.hash(eh, k, depth+1)
			d.hash(eh, e, depth+1)
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
