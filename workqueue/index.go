package workqueue

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"unsafe"
)

// index maps items to their entries and owns the entries' storage. It
// replaces a map[T]*entry[T] for three reasons: the slot array holds no
// pointers, so the garbage collector never scans it however large the
// queue grows; a slot is 8 bytes, so eight share a cache line; and
// getOrInsert finds or places an item in one probe sequence.
//
// The table is open addressing with linear probing. A slot is 0 when empty,
// else the upper 32 bits of the item's hash (the tag) above the entry id
// plus one. The home slot of a hash is the top log2(len(slots)) bits of the
// tag, so slots can be moved on growth and deletion without rehashing items
// or touching entries. Deletion shifts later members of the probe run back
// into the hole (Knuth's algorithm R), so there are no tombstones and a
// lookup stops at the first empty slot. The load factor stays at or below
// 3/4.
//
// Entries live in fixed-size chunks that are never moved or freed, so an
// *entry stays valid for the queue's lifetime; removed entries go on a free
// list of ids and are reused by later inserts. Beside its entries a chunk
// holds their boxes (see box): most entries have none, and keeping the
// pointers out of the entries keeps the entries small.
type index[T comparable] struct {
	seed   maphash.Seed
	sseed  stringSeed // keys of hashString, derived from seed
	slots  []uint64
	shift  uint // 32 - log2(len(slots)): tag >> shift is the home slot
	n      int  // items in the table
	chunks []*chunk[T]
	next   uint32   // ids below next have been handed out at least once
	free   []uint32 // ids of removed entries
}

// chunk holds chunkSize entries and their boxes.
type chunk[T comparable] struct {
	entries [chunkSize]entry[T]
	boxes   [chunkSize]*box[T] // the box of the entry with the same index, if boxed
}

const (
	chunkBits = 7
	chunkSize = 1 << chunkBits
	minSlots  = 16
)

func newIndex[T comparable]() index[T] {
	seed := maphash.MakeSeed()
	return index[T]{
		seed:  seed,
		sseed: stringSeed{maphash.String(seed, "k0"), maphash.String(seed, "k1"), maphash.String(seed, "k2")},
		slots: make([]uint64, minSlots),
		shift: 32 - 4, // log2(minSlots)
	}
}

// hash returns item's hash. It reads only the seeds, which never change,
// so it may be called without the queue's lock. Strings, the usual keys,
// take hashString; the choice depends only on T, so one queue always
// hashes an item the same way.
func (x *index[T]) hash(item T) uint64 {
	if s, ok := any(item).(string); ok {
		return hashString(x.sseed, s)
	}
	return maphash.Comparable(x.seed, item)
}

// stringSeed holds the three random keys of hashString.
type stringSeed struct{ k0, k1, k2 uint64 }

// hashString is a keyed 64-bit hash of s in the construction of wyhash and
// of the Go runtime's fallback memhash: 16-byte blocks are folded into the
// running value by a 64x64->128-bit multiply whose halves are xored; the
// last 17-32 bytes go through two independent multiplies (so short keys
// wait for two multiplies in a row, not three), and the length with the
// last 16 bytes. Every operand of a multiply is xored with a random key of the
// queue, so no input can zero a product without knowing the keys (the
// known weakness of this construction with public constants). It is about
// twice as fast as maphash.String for controller keys (20-60 bytes), which
// matters because the hash is most of the cost of a merged Add.
func hashString(k stringSeed, s string) uint64 {
	n := len(s)
	p := unsafe.Slice(unsafe.StringData(s), n)
	le := binary.LittleEndian
	seed := k.k0
	var a, b, x uint64
	switch {
	case n > 16:
		q := p
		for ; len(q) > 32; q = q[16:] {
			seed = mix(le.Uint64(q)^k.k1, le.Uint64(q[8:])^seed)
		}
		x = mix(le.Uint64(q)^k.k2, le.Uint64(q[8:])^seed)
		a, b = le.Uint64(p[n-16:]), le.Uint64(p[n-8:])
	case n >= 8:
		a, b = le.Uint64(p), le.Uint64(p[n-8:])
	case n >= 4:
		a, b = uint64(le.Uint32(p)), uint64(le.Uint32(p[n-4:]))
	case n > 0:
		a = uint64(p[0])<<16 | uint64(p[n>>1])<<8 | uint64(p[n-1])
		b = a
	}
	hi, lo := bits.Mul64(a^k.k1, b^seed^uint64(n))
	return mix(lo^x^k.k2, hi^k.k1)
}

// mix multiplies a and b to 128 bits and folds the halves.
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// entry returns the entry with the given id.
func (x *index[T]) entry(id uint32) *entry[T] {
	return &x.chunks[id>>chunkBits].entries[id&(chunkSize-1)]
}

// boxOf returns the box field of the entry with the given id.
func (x *index[T]) boxOf(id uint32) **box[T] {
	return &x.chunks[id>>chunkBits].boxes[id&(chunkSize-1)]
}

// lookup returns item's entry, or nil. h must be hash(item) (tests may pass
// any function of item).
func (x *index[T]) lookup(item T, h uint64) *entry[T] {
	tag := uint32(h >> 32)
	mask := len(x.slots) - 1
	for i := int(tag >> x.shift); ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return nil
		}
		if uint32(s>>32) == tag {
			if e := x.entry(uint32(s) - 1); e.item == item {
				return e
			}
		}
	}
}

// getOrInsert returns item's entry and false, or inserts a fresh entry for
// item (with item set, heapIdx -1, prio 0 and no flags) and returns it and
// true. h must be hash(item) (tests may pass any function of item).
func (x *index[T]) getOrInsert(item T, h uint64) (*entry[T], bool) {
	tag := uint32(h >> 32)
	mask := len(x.slots) - 1
	i := int(tag >> x.shift)
	for ; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			break
		}
		if uint32(s>>32) == tag {
			if e := x.entry(uint32(s) - 1); e.item == item {
				return e, false
			}
		}
	}
	if 4*(x.n+1) > 3*len(x.slots) {
		x.grow()
		// Find the new insertion point; item is known to be absent.
		mask = len(x.slots) - 1
		for i = int(tag >> x.shift); x.slots[i] != 0; i = (i + 1) & mask {
		}
	}
	id := x.alloc()
	e := x.entry(id)
	e.item = item
	e.tag = tag
	x.slots[i] = uint64(tag)<<32 | uint64(id+1)
	x.n++
	return e, true
}

// alloc returns the id of an unused entry.
func (x *index[T]) alloc() uint32 {
	if n := len(x.free); n > 0 {
		id := x.free[n-1]
		x.free = x.free[:n-1]
		return id
	}
	id := x.next
	if id&(chunkSize-1) == 0 {
		c := new(chunk[T])
		for i := range c.entries {
			c.entries[i].id = id + uint32(i)
			c.entries[i].heapIdx = -1
		}
		x.chunks = append(x.chunks, c)
	}
	x.next++
	return id
}

// grow doubles the slot array, re-placing slots by their tags.
func (x *index[T]) grow() {
	old := x.slots
	x.slots = make([]uint64, 2*len(old))
	x.shift--
	mask := len(x.slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := int(uint32(s>>32) >> x.shift)
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}

// remove deletes e, which must be in the table and have no box, and frees
// it: its fields are reset (keeping the ring sequence and idle generation,
// so stale ring slots naming it stay stale) and its id may be handed out
// again.
func (x *index[T]) remove(e *entry[T]) {
	want := uint64(e.tag)<<32 | uint64(e.id+1)
	mask := len(x.slots) - 1
	hole := int(e.tag >> x.shift)
	for x.slots[hole] != want {
		hole = (hole + 1) & mask
	}
	// Algorithm R: move back every later member of the run whose home is
	// not cyclically in (hole, j], i.e. that would be unreachable across
	// the hole.
	for j := (hole + 1) & mask; ; j = (j + 1) & mask {
		s := x.slots[j]
		if s == 0 {
			break
		}
		home := int(uint32(s>>32) >> x.shift)
		if (hole <= j && (hole < home && home <= j)) || (hole > j && (hole < home || home <= j)) {
			continue
		}
		x.slots[hole] = s
		hole = j
	}
	x.slots[hole] = 0
	x.n--
	*e = entry[T]{id: e.id, seq: e.seq, idleGen: e.idleGen + 1, heapIdx: -1}
	x.free = append(x.free, e.id)
}
