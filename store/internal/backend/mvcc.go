package backend

import (
	"slices"
	"sort"

	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Version is one state of a key: the object written at Rev, or a tombstone (Obj == nil) when
// the key was deleted at Rev. Objects are immutable once stored.
type Version struct {
	Rev int64
	Obj runtime.MetaObject
	Idx []string // values of the resource's indexed fields of Obj, nil for tombstones
}

// Entry is one key of a resource with its kept versions, oldest first; the last is the
// current state. The memory, disk and cache backends keep their objects as entries, guarded by
// their own locks.
type Entry struct {
	NS, Name string
	Versions []Version
	// Removed marks an entry dropped from its resource while a sorted slice of the backend
	// may still hold it (the cache filters those out lazily).
	Removed bool
}

// Latest returns the current state of e.
func (e *Entry) Latest() *Version { return &e.Versions[len(e.Versions)-1] }

// At returns the object of the key at rev: the newest version written at or before rev, or nil
// when there is none or it is a tombstone.
func (e *Entry) At(rev int64) runtime.MetaObject {
	for i := len(e.Versions) - 1; i >= 0; i-- {
		if e.Versions[i].Rev <= rev {
			return e.Versions[i].Obj
		}
	}
	return nil
}

// Key returns "namespace/name", the key continue tokens carry.
func (e *Entry) Key() string { return e.NS + "/" + e.Name }

// EntryLess orders entries by namespace, then name: the order of lists and continue tokens.
func EntryLess(a, b *Entry) bool {
	if a.NS != b.NS {
		return a.NS < b.NS
	}
	return a.Name < b.Name
}

// MergeSorted inserts add, new entries in any order, into sorted, which is in key order, and
// returns the result: O(len(add) log len(sorted)) comparisons and one pass of moves (each old
// entry moves at most once), instead of a full sort when keys appear between two reads.
func MergeSorted(sorted, add []*Entry) []*Entry {
	sort.Slice(add, func(i, j int) bool { return EntryLess(add[i], add[j]) })
	n, k := len(sorted), len(add)
	sorted = slices.Grow(sorted, k)[:n+k]
	hi := n // sorted[:hi] holds the old entries not moved yet
	for j := k - 1; j >= 0; j-- {
		pos := sort.Search(hi, func(i int) bool { return EntryLess(add[j], sorted[i]) })
		copy(sorted[pos+j+1:hi+j+1], sorted[pos:hi])
		sorted[pos+j] = add[j]
		hi = pos
	}
	return sorted
}

// Index holds the field indexes of a resource: for each of its Indexes, in order, the entries
// that have a value in one of their kept versions.
type Index []map[string]map[*Entry]struct{}

// NewIndex returns an empty index of n fields.
func NewIndex(n int) Index {
	x := make(Index, n)
	for i := range x {
		x[i] = map[string]map[*Entry]struct{}{}
	}
	return x
}

// Add records that e has the indexed values idx (nil for a tombstone: nothing to record).
func (x Index) Add(e *Entry, idx []string) {
	for i, v := range idx {
		b := x[i][v]
		if b == nil {
			b = map[*Entry]struct{}{}
			x[i][v] = b
		}
		b[e] = struct{}{}
	}
}

// Prune drops the versions of e that no read at or after rev can see (those before the state
// at rev, and that state too when it is a tombstone) and removes e from the index buckets of
// values only the dropped versions had. It reports whether it dropped every version: the
// caller then removes e from its resource.
func (x Index) Prune(e *Entry, rev int64) (empty bool) {
	i := len(e.Versions) - 1
	for i >= 0 && e.Versions[i].Rev > rev {
		i--
	}
	if i < 0 {
		return false // every version is newer than rev
	}
	if e.Versions[i].Obj == nil {
		i++ // a tombstone at or before rev: nobody reads the deleted key at rev or later
	}
	if i == 0 {
		return false
	}
	kept := e.Versions[i:]
	for _, d := range e.Versions[:i] {
		for f, v := range d.Idx {
			if hasIndexValue(kept, f, v) {
				continue
			}
			if b := x[f][v]; b != nil {
				delete(b, e)
				if len(b) == 0 {
					delete(x[f], v)
				}
			}
		}
	}
	n := copy(e.Versions, kept)
	clear(e.Versions[n:])
	e.Versions = e.Versions[:n]
	return n == 0
}

func hasIndexValue(vs []Version, f int, v string) bool {
	for _, k := range vs {
		if k.Idx != nil && k.Idx[f] == v {
			return true
		}
	}
	return false
}

// Keys is what Candidates reads of a resource's entries (an interface rather than two
// funcs, so a List allocates no method values).
type Keys interface {
	// Lookup returns the entry of a key, nil when there is none.
	Lookup(ns, name string) *Entry
	// Sorted returns every entry in key order.
	Sorted() []*Entry
}

// Candidates returns the entries of a resource that may match sel, in key order: the index
// bucket of an indexed field the field selector pins, else the one object a pinned name
// designates, else the selector's namespace range of sorted (every entry in key order).
// Callers hold the lock guarding the entries.
func Candidates(sel *Selector, x Index, keys Keys) []*Entry {
	if i, v, ok := sel.Indexed(); ok {
		b := x[i][v]
		out := make([]*Entry, 0, len(b))
		for e := range b {
			if sel.NS == "" || e.NS == sel.NS {
				out = append(out, e)
			}
		}
		sort.Slice(out, func(i, j int) bool { return EntryLess(out[i], out[j]) })
		return out
	}
	if name, ok := sel.ExactName(); ok {
		if sel.NS != "" || !sel.Res.Namespaced {
			if e := keys.Lookup(sel.NS, name); e != nil {
				return []*Entry{e}
			}
			return nil
		}
		var out []*Entry
		for _, e := range keys.Sorted() {
			if e.Name == name {
				out = append(out, e)
			}
		}
		return out
	}
	all := keys.Sorted()
	if sel.NS == "" {
		return all
	}
	lo := sort.Search(len(all), func(i int) bool { return all[i].NS >= sel.NS })
	hi := lo + sort.Search(len(all)-lo, func(i int) bool { return all[lo+i].NS > sel.NS })
	return all[lo:hi]
}

// DropFront removes the first n elements of a backend's history h (zeroing them, so the
// objects they held can be collected) and returns the rest, moved to a smaller array once the
// kept part fills less than a quarter of a large one.
func DropFront[T any](h []T, n int) []T {
	clear(h[:n])
	h = h[n:]
	if cap(h) > 1024 && len(h) < cap(h)/4 {
		h = append(make([]T, 0, 2*len(h)+64), h...)
	}
	return h
}
