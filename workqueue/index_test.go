package workqueue

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hashFuncs are the hash functions the index is tested with. The index
// takes the hash as an argument, so tests can force collisions: any
// function of the item is valid, only the probe lengths change.
var hashFuncs = map[string]func(x *index[int], k int) uint64{
	"maphash": func(x *index[int], k int) uint64 { return x.hash(k) },
	// Every item has the same tag: one long run, every probe compares items.
	"all collide": func(*index[int], int) uint64 { return 0xdead_beef_0000_0000 },
	// Homes at the very end and the very start of any table: runs wrap
	// around the end of the slot array and meet items whose home is slot 0.
	"wrap around": func(_ *index[int], k int) uint64 {
		return uint64([]uint32{0xffff_ffff, 0xf000_0000, 0, 0xfe00_0000}[k&3]) << 32
	},
	// Eight homes spread over the table, colliding in groups.
	"few homes": func(_ *index[int], k int) uint64 { return uint64(k%8) << 61 },
}

// checkIndex verifies the index against model (item -> entry it was given)
// and the table's structural invariants.
func checkIndex(t *testing.T, x *index[int], model map[int]*entry[int], hash func(*index[int], int) uint64) {
	t.Helper()
	if x.n != len(model) {
		t.Fatalf("index holds %d items, model %d", x.n, len(model))
	}
	if 4*x.n > 3*len(x.slots) {
		t.Fatalf("load factor above 3/4: %d items in %d slots", x.n, len(x.slots))
	}
	mask := len(x.slots) - 1
	occupied := 0
	for i, s := range x.slots {
		if s == 0 {
			continue
		}
		occupied++
		e := x.entry(uint32(s) - 1)
		if e.tag != uint32(s>>32) {
			t.Fatalf("slot %d tag %#x, its entry %#x", i, uint32(s>>32), e.tag)
		}
		if model[e.item] != e {
			t.Fatalf("slot %d names entry of item %d, which the model does not hold there", i, e.item)
		}
		// No empty slot between an item's home and its slot, else lookups
		// would stop short of it.
		for j := int(e.tag >> x.shift); j != i; j = (j + 1) & mask {
			if x.slots[j] == 0 {
				t.Fatalf("item %d in slot %d is cut off from its home by empty slot %d", e.item, i, j)
			}
		}
	}
	if occupied != x.n {
		t.Fatalf("%d occupied slots, %d items", occupied, x.n)
	}
	for k, want := range model {
		if got := x.lookup(k, hash(x, k)); got != want {
			t.Fatalf("lookup(%d) = %p, want %p", k, got, want)
		}
	}
}

func TestIndex(t *testing.T) {
	for name, hash := range hashFuncs {
		t.Run(name, func(t *testing.T) {
			x := newIndex[int]()
			model := map[int]*entry[int]{}
			insert := func(k int) {
				e, fresh := x.getOrInsert(k, hash(&x, k))
				if want := model[k]; want != nil {
					if fresh || e != want {
						t.Fatalf("getOrInsert(%d) of a held item = %p, fresh %v; want %p", k, e, fresh, want)
					}
					return
				}
				if !fresh || e.item != k || e.heapIdx != -1 || e.flags != 0 || e.prio != 0 {
					t.Fatalf("getOrInsert(%d) of a new item: fresh %v, entry %+v", k, fresh, *e)
				}
				model[k] = e
			}
			remove := func(k int) {
				e := model[k]
				e.prio, e.flags, e.seq = 7, flagInRing, 41 // dirty it: remove must reset
				gen := e.idleGen
				x.remove(e)
				delete(model, k)
				if got := x.lookup(k, hash(&x, k)); got != nil {
					t.Fatalf("lookup(%d) after remove = %+v", k, *got)
				}
				if e.item != 0 || e.prio != 0 || e.flags != 0 || e.heapIdx != -1 || e.seq != 41 || e.idleGen != gen+1 {
					t.Fatalf("removed entry not reset as documented: %+v", *e)
				}
			}
			const n = 500 // grows the table from 16 to 1024 slots
			for k := range n {
				insert(k)
				insert(k / 2) // held: must return the same entry
			}
			checkIndex(t, &x, model, hash)
			if len(x.slots) != 1024 {
				t.Errorf("%d items in %d slots, want 1024", n, len(x.slots))
			}
			for k := 0; k < n; k += 3 {
				remove(k)
			}
			checkIndex(t, &x, model, hash)
			// Re-inserting reuses freed entries instead of allocating.
			chunks := len(x.chunks)
			for k := 0; k < n; k += 3 {
				insert(k)
			}
			checkIndex(t, &x, model, hash)
			if len(x.chunks) != chunks {
				t.Errorf("re-inserting %d removed items allocated %d chunks", (n+2)/3, len(x.chunks)-chunks)
			}
			for k := range n {
				remove(k)
			}
			checkIndex(t, &x, model, hash)
			if diff := cmp.Diff(make([]uint64, len(x.slots)), x.slots); diff != "" {
				t.Errorf("slots not all empty after removing everything (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIndexStringKeys(t *testing.T) {
	x := newIndex[string]()
	keys := map[string]*entry[string]{}
	for i := range 3000 {
		k := fmt.Sprintf("namespace-%d/object-%d", i%97, i)
		e, fresh := x.getOrInsert(k, x.hash(k))
		if !fresh || e.item != k {
			t.Fatalf("getOrInsert(%q) = %+v, fresh %v", k, *e, fresh)
		}
		keys[k] = e
	}
	for k, want := range keys {
		// A copy with different backing memory must find the same entry.
		c := string([]byte(k))
		if got := x.lookup(c, x.hash(c)); got != want {
			t.Fatalf("lookup(%q) = %p, want %p", k, got, want)
		}
		if x.hash(c) != x.hash(k) {
			t.Fatalf("hash(%q) differs between equal strings", k)
		}
	}
	if got := x.lookup("namespace-0/object-3000", x.hash("namespace-0/object-3000")); got != nil {
		t.Errorf("lookup of an absent key = %+v", *got)
	}
}

// FuzzIndex drives the index with random inserts, removals and lookups
// under each hash function and compares it with a map after every step.
func FuzzIndex(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Add([]byte{1, 0x05, 0x45, 0x85, 0xc5, 0x06, 0x05, 0x46, 0x86})
	f.Add([]byte{2, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x50, 0x52, 0x54, 0x11, 0x90, 0x92})
	f.Add([]byte{3, 0x00, 0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0x40, 0x48, 0x08, 0x18, 0x28})
	names := []string{"maphash", "all collide", "wrap around", "few homes"}
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) == 0 {
			return
		}
		hash := hashFuncs[names[int(ops[0])%len(names)]]
		x := newIndex[int]()
		model := map[int]*entry[int]{}
		for _, op := range ops[1:] {
			k := int(op & 0x3f)
			switch op >> 6 {
			case 0, 1: // insert (twice as likely, so the table grows)
				e, fresh := x.getOrInsert(k, hash(&x, k))
				if want := model[k]; want != nil {
					if fresh || e != want {
						t.Fatalf("getOrInsert(%d) of a held item = %p fresh %v, want %p", k, e, fresh, want)
					}
				} else {
					if !fresh || e.item != k {
						t.Fatalf("getOrInsert(%d) of a new item = %+v fresh %v", k, *e, fresh)
					}
					model[k] = e
				}
			case 2: // remove, if held
				if e := model[k]; e != nil {
					x.remove(e)
					delete(model, k)
				}
			case 3: // lookup
				if got, want := x.lookup(k, hash(&x, k)), model[k]; got != want {
					t.Fatalf("lookup(%d) = %p, want %p", k, got, want)
				}
			}
			checkIndex(t, &x, model, hash)
		}
	})
}

// TestHashString checks the string hash the index uses for string items:
// every byte and the length count, no collisions among many similar keys,
// tags (the top bits, which pick home slots) spread evenly, and the seed
// changes everything.
func TestHashString(t *testing.T) {
	for _, seed := range []stringSeed{
		{0x9e37_79b9_7f4a_7c15, 0xbf58_476d_1ce4_e5b9, 0x94d0_49bb_1331_11eb},
		{1, 2, 3},
		{0xd1b5_4a32_d192_ed03, 0xaef1_7502_108e_f2d9, 0x2545_f491_4f6c_dd1d},
	} {
		seen := map[uint64]string{}
		add := func(s string) {
			h := hashString(seed, s)
			if prev, ok := seen[h]; ok && prev != s {
				t.Fatalf("seed %+v: %q and %q collide on %#x", seed, prev, s, h)
			}
			seen[h] = s
		}
		// Every length 0..80 (each branch and loop count) with one byte
		// changed at every position: a hash that ignored a byte or the
		// length would collide here.
		base := []byte("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-/abcdefghijklmnop")
		for n := 0; n <= len(base); n++ {
			add(string(base[:n]))
			for i := range n {
				b := append([]byte(nil), base[:n]...)
				b[i] ^= 0x01
				add(string(b))
			}
		}
		add("\x00")
		add("\x00\x00")
		// Controller keys: tags must spread over the top bits.
		const n, buckets = 1 << 17, 1 << 10
		var count [buckets]int
		for i := range n {
			k := fmt.Sprintf("namespace-%d/object-%d", i%97, i)
			add(k)
			count[hashString(seed, k)>>(64-10)]++
		}
		mean := n / buckets // 128; a standard deviation is about 11
		for b, c := range count {
			if c < mean/2 || c > mean*3/2 {
				t.Fatalf("seed %+v: tag bucket %d holds %d of %d keys, want about %d", seed, b, c, n, mean)
			}
		}
	}
	for _, seed := range []stringSeed{{1, 2, 4}, {1, 3, 3}, {2, 2, 3}} {
		if hashString(seed, "namespace-1/object-1") == hashString(stringSeed{1, 2, 3}, "namespace-1/object-1") {
			t.Errorf("key %+v does not change the hash", seed)
		}
	}
}
