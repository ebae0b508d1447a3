package disk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store/internal/backend"

	rt "github.com/cellkit/cellkit/apimachinery/runtime"
)

// load prepares the buckets of a new database or checks those of an existing one, then reads
// every object and the history into memory.
func (s *Store) load() error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return err
		}
		switch f := m.Get(keyFormat); {
		case f == nil && m.Get(keyRev) != nil:
			return fmt.Errorf("%w: meta bucket without format", ErrCorrupt)
		case f == nil:
			for k, v := range map[string][]byte{string(keyFormat): []byte(formatVersion), string(keyRev): u64(0), string(keyCompacted): u64(0)} {
				if err := m.Put([]byte(k), v); err != nil {
					return err
				}
			}
		case string(f) != formatVersion:
			return fmt.Errorf("database format %q, want %q", f, formatVersion)
		}
		if _, err := tx.CreateBucketIfNotExists(historyBucket); err != nil {
			return err
		}
		for _, t := range s.tables {
			if _, err := tx.CreateBucketIfNotExists(t.bucket); err != nil {
				return err
			}
		}
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if bytes.HasPrefix(name, []byte("o/")) && s.tableOfBucket(string(name)) == nil {
				return fmt.Errorf("database holds resource bucket %q that Options.Resources does not list", name)
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	return s.db.View(func(tx *bolt.Tx) error {
		m := tx.Bucket(metaBucket)
		var err error
		if s.rev, err = readU64(m.Get(keyRev)); err != nil {
			return fmt.Errorf("revision: %w", err)
		}
		if s.compacted, err = readU64(m.Get(keyCompacted)); err != nil {
			return fmt.Errorf("compacted revision: %w", err)
		}
		if s.compacted > s.rev {
			return fmt.Errorf("%w: compacted revision %d above revision %d", ErrCorrupt, s.compacted, s.rev)
		}
		if err := s.loadObjects(tx); err != nil {
			return err
		}
		return s.loadHistory(tx)
	})
}

func (s *Store) tableOfBucket(name string) *table {
	for _, t := range s.tables {
		if string(t.bucket) == name {
			return t
		}
	}
	return nil
}

// rawObject is an object value read at open, decoded by the workers.
type rawObject struct {
	t   *table
	key string
	rev int64
	js  []byte // aliases the read transaction's memory
	obj rt.MetaObject
	err error
}

// decodeObject decodes the JSON of an object of t stored under key at rev, and checks that it
// is what the key says.
func decodeObject(t *table, key string, rev int64, js []byte) (rt.MetaObject, error) {
	obj := t.res.New()
	if err := json.Unmarshal(js, obj); err != nil {
		return nil, fmt.Errorf("%w: object %s %s: %v", ErrCorrupt, t.res.GroupResource, key, err)
	}
	m := obj.GetObjectMeta()
	if m.Namespace+"/"+m.Name != key {
		return nil, fmt.Errorf("%w: object under key %s %s is %s/%s", ErrCorrupt, t.res.GroupResource, key, m.Namespace, m.Name)
	}
	if want := backend.FormatRevision(rev); m.ResourceVersion != want {
		return nil, fmt.Errorf("%w: object %s %s has resourceVersion %q, stored at %s", ErrCorrupt, t.res.GroupResource, key, m.ResourceVersion, want)
	}
	if gvk := obj.GetObjectKind().GroupVersionKind(); gvk != t.res.Kind {
		return nil, fmt.Errorf("%w: object %s %s has kind %s", ErrCorrupt, t.res.GroupResource, key, gvk)
	}
	return obj, nil
}

// loadObjects reads every current object, decoding on all cores.
func (s *Store) loadObjects(tx *bolt.Tx) error {
	var raws []rawObject
	for _, t := range s.tables {
		c := tx.Bucket(t.bucket).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			rev, js, err := splitObjectValue(v)
			if err != nil {
				return fmt.Errorf("object %s %s: %w", t.res.GroupResource, k, err)
			}
			if rev > s.rev {
				return fmt.Errorf("%w: object %s %s at revision %d above the store's %d", ErrCorrupt, t.res.GroupResource, k, rev, s.rev)
			}
			raws = append(raws, rawObject{t: t, key: string(k), rev: rev, js: js})
		}
	}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	chunk := (len(raws) + workers - 1) / max(workers, 1)
	for lo := 0; lo < len(raws); lo += chunk {
		hi := min(lo+chunk, len(raws))
		wg.Add(1)
		go func(part []rawObject) {
			defer wg.Done()
			for i := range part {
				part[i].obj, part[i].err = decodeObject(part[i].t, part[i].key, part[i].rev, part[i].js)
				part[i].js = nil
			}
		}(raws[lo:hi])
	}
	wg.Wait()
	for _, r := range raws {
		if r.err != nil {
			return r.err
		}
		m := r.obj.GetObjectMeta()
		r.t.addVersion(nil, m.Namespace, m.Name, version{Rev: r.rev, Obj: r.obj, Idx: r.t.res.IndexValues(r.obj)})
		r.t.live++
	}
	return nil
}

// loadHistory reads the history, checks that it is contiguous and agrees with the current
// objects, and rebuilds the kept versions of every key it touches.
func (s *Store) loadHistory(tx *bolt.Tx) error {
	type keyed struct {
		t        *table
		ns, name string
		evs      []*event
		versions []version
	}
	byKey := map[string]*keyed{}
	var order []*keyed
	c := tx.Bucket(historyBucket).Cursor()
	want := s.compacted + 1
	for k, v := c.First(); k != nil; k, v = c.Next() {
		rev, err := readU64(k)
		if err != nil {
			return fmt.Errorf("history key: %w", err)
		}
		if rev != want {
			return fmt.Errorf("%w: history not contiguous: revision %d where %d was expected", ErrCorrupt, rev, want)
		}
		want++
		r, err := decodeHistoryRecord(v)
		if err != nil {
			return fmt.Errorf("history revision %d: %w", rev, err)
		}
		t := s.tableOfBucket(r.Bucket)
		if t == nil {
			return fmt.Errorf("history revision %d: resource bucket %q that Options.Resources does not list", rev, r.Bucket)
		}
		key := r.NS + "/" + r.Name
		kk := byKey[r.Bucket+"\x00"+key]
		if kk == nil {
			kk = &keyed{t: t, ns: r.NS, name: r.Name}
			byKey[r.Bucket+"\x00"+key] = kk
			order = append(order, kk)
			// The state before the first kept change.
			switch r.Type {
			case watch.Modified:
				prev, err := decodeObject(t, key, r.PrevRev, r.Prev)
				if err != nil {
					return fmt.Errorf("history revision %d: previous state: %w", rev, err)
				}
				kk.versions = append(kk.versions, version{Rev: r.PrevRev, Obj: prev, Idx: t.res.IndexValues(prev)})
			case watch.Deleted:
				prev, err := decodeObject(t, key, rev, r.Obj)
				if err != nil {
					return fmt.Errorf("history revision %d: %w", rev, err)
				}
				prev.GetObjectMeta().ResourceVersion = backend.FormatRevision(r.PrevRev)
				kk.versions = append(kk.versions, version{Rev: r.PrevRev, Obj: prev, Idx: t.res.IndexValues(prev)})
			}
		}
		var before rt.MetaObject
		var beforeIdx []string
		if n := len(kk.versions); n > 0 {
			before, beforeIdx = kk.versions[n-1].Obj, kk.versions[n-1].Idx
			if kk.versions[n-1].Rev != r.PrevRev && r.Type != watch.Added {
				return fmt.Errorf("%w: history revision %d: previous revision %d, kept state is at %d", ErrCorrupt, rev, r.PrevRev, kk.versions[n-1].Rev)
			}
		}
		if (before == nil) != (r.Type == watch.Added) {
			return fmt.Errorf("%w: history revision %d: %s change of a key that is %s", ErrCorrupt, rev, r.Type, map[bool]string{true: "absent", false: "present"}[before == nil])
		}
		ev := &event{Change: backend.Change{Rev: rev, Type: r.Type, Prev: before, PrevIdx: beforeIdx}, t: t, at: r.At}
		obj, err := decodeObject(t, key, rev, r.Obj)
		if err != nil {
			return fmt.Errorf("history revision %d: %w", rev, err)
		}
		ev.Obj = obj
		if r.Type == watch.Deleted {
			kk.versions = append(kk.versions, version{Rev: rev})
		} else {
			ev.Idx = t.res.IndexValues(obj)
			kk.versions = append(kk.versions, version{Rev: rev, Obj: obj, Idx: ev.Idx})
		}
		kk.evs = append(kk.evs, ev)
		s.history = append(s.history, ev)
	}
	if want != s.rev+1 {
		return fmt.Errorf("%w: history ends at revision %d, the store is at %d", ErrCorrupt, want-1, s.rev)
	}
	// Objects written after the compaction point must be the last change of their key.
	for _, t := range s.tables {
		for key, e := range t.keys {
			if r := e.Latest().Rev; r > s.compacted {
				kk := byKey[string(t.bucket)+"\x00"+key]
				if kk == nil || kk.versions[len(kk.versions)-1].Rev != r {
					return fmt.Errorf("%w: object %s %s at revision %d is not the last kept change of its key", ErrCorrupt, t.res.GroupResource, key, r)
				}
			}
		}
	}
	for _, kk := range order {
		e := kk.t.lookup(kk.ns, kk.name)
		last := kk.versions[len(kk.versions)-1]
		switch {
		case last.Obj == nil && e != nil:
			return fmt.Errorf("%w: %s %s/%s was deleted at revision %d but is stored", ErrCorrupt, kk.t.res.GroupResource, kk.ns, kk.name, last.Rev)
		case last.Obj != nil && (e == nil || e.Latest().Rev != last.Rev):
			return fmt.Errorf("%w: %s %s/%s was last written at revision %d but is not stored at it", ErrCorrupt, kk.t.res.GroupResource, kk.ns, kk.name, last.Rev)
		}
		if e != nil {
			// Share the current object with the history instead of keeping two copies.
			kk.versions[len(kk.versions)-1] = *e.Latest()
			kk.evs[len(kk.evs)-1].Obj = e.Latest().Obj
			kk.t.dropEntry(e)
		}
		var ne *entry
		for _, v := range kk.versions {
			ne = kk.t.addVersion(ne, kk.ns, kk.name, v)
		}
		for _, ev := range kk.evs {
			ev.e = ne
		}
	}
	return nil
}

// dropEntry removes e and its index entries from t.
func (t *table) dropEntry(e *entry) {
	for _, v := range e.Versions {
		for i, val := range v.Idx {
			if b := t.index[i][val]; b != nil {
				delete(b, e)
				if len(b) == 0 {
					delete(t.index[i], val)
				}
			}
		}
	}
	delete(t.keys, e.Key())
	t.keysChanged()
}
