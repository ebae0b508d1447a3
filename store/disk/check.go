package disk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	bolt "go.etcd.io/bbolt"

	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Check verifies that the database and the in-memory state agree and are consistent: the
// stored revision is the store's, no object is newer than it, the history is contiguous from
// the compaction point to the revision and matches the in-memory one, every stored object
// decodes to the object in memory at its revision, the object counts and the field indexes
// match the data. It is meant for tests and for operators after a crash; it reads the whole
// database and takes the read lock for the duration, so writes wait.
func (s *Store) Check(ctx context.Context) error {
	const op = "check"
	if err := s.check(ctx, op, schema.GroupResource{}); err != nil {
		return err
	}
	// The committer runs the check between two batches, when memory and disk agree.
	return s.submit(ctx, op, schema.GroupResource{}, &request{op: opCheck}).err
}

// checkNow runs the check; only the committer calls it, between batches.
func (s *Store) checkNow() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	err := s.db.View(func(tx *bolt.Tx) error {
		rev, err := readU64(tx.Bucket(metaBucket).Get(keyRev))
		if err != nil {
			return err
		}
		if rev != s.rev {
			return fmt.Errorf("revision %d on disk, %d in memory", rev, s.rev)
		}
		return s.checkLocked(tx)
	})
	if err != nil {
		return fmt.Errorf("disk: check: %w", err)
	}
	return nil
}

func (s *Store) checkLocked(tx *bolt.Tx) error {
	compacted, err := readU64(tx.Bucket(metaBucket).Get(keyCompacted))
	if err != nil {
		return err
	}
	if compacted != s.compacted {
		return fmt.Errorf("compacted revision %d on disk, %d in memory", compacted, s.compacted)
	}
	// History.
	c := tx.Bucket(historyBucket).Cursor()
	i := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		rev, err := readU64(k)
		if err != nil {
			return err
		}
		if rev != s.compacted+1+int64(i) {
			return fmt.Errorf("history on disk not contiguous: revision %d at position %d after compaction point %d", rev, i, s.compacted)
		}
		if i >= len(s.history) {
			return fmt.Errorf("history on disk has revision %d beyond the in-memory history", rev)
		}
		r, err := decodeHistoryRecord(v)
		if err != nil {
			return fmt.Errorf("history revision %d: %w", rev, err)
		}
		ev := s.history[i]
		if ev.Rev != rev || ev.Type != r.Type || string(ev.t.bucket) != r.Bucket || ev.e.NS != r.NS || ev.e.Name != r.Name {
			return fmt.Errorf("history revision %d: %s %s %s/%s on disk, %s %s %s/%s in memory", rev, r.Type, r.Bucket, r.NS, r.Name, ev.Type, ev.t.bucket, ev.e.NS, ev.e.Name)
		}
		i++
	}
	if i != len(s.history) || s.compacted+int64(i) != s.rev {
		return fmt.Errorf("history holds %d changes on disk and %d in memory, from %d to revision %d", i, len(s.history), s.compacted, s.rev)
	}
	for _, t := range s.tables {
		gr := t.res.GroupResource
		// Objects.
		b := tx.Bucket(t.bucket)
		n := int64(0)
		if err := b.ForEach(func(k, v []byte) error {
			n++
			rev, js, err := splitObjectValue(v)
			if err != nil {
				return fmt.Errorf("object %s %s: %w", gr, k, err)
			}
			if rev > s.rev {
				return fmt.Errorf("object %s %s at revision %d above the store's %d", gr, k, rev, s.rev)
			}
			if _, err := decodeObject(t, string(k), rev, js); err != nil {
				return err
			}
			e := t.keys[string(k)]
			if e == nil || e.Latest().Obj == nil || e.Latest().Rev != rev {
				return fmt.Errorf("object %s %s at revision %d on disk is not the current one in memory", gr, k, rev)
			}
			// Compared in the stored form: decoding does not restore every Go detail (an
			// empty map decodes as nil), encoding the decoded object restores the bytes.
			mem, err := json.Marshal(e.Latest().Obj)
			if err != nil || !bytes.Equal(mem, js) {
				return fmt.Errorf("object %s %s differs on disk and in memory (%v)", gr, k, err)
			}
			return nil
		}); err != nil {
			return err
		}
		live := int64(0)
		want := backend.NewIndex(len(t.index))
		for key, e := range t.keys {
			if len(e.Versions) == 0 || e.Key() != key {
				return fmt.Errorf("entry %s %s is empty or misfiled", gr, key)
			}
			for j, v := range e.Versions {
				if j > 0 && v.Rev <= e.Versions[j-1].Rev {
					return fmt.Errorf("entry %s %s: versions out of order", gr, key)
				}
				if v.Obj != nil && !reflect.DeepEqual(v.Idx, t.res.IndexValues(v.Obj)) {
					return fmt.Errorf("entry %s %s at %d: index values %v, object has %v", gr, key, v.Rev, v.Idx, t.res.IndexValues(v.Obj))
				}
				want.Add(e, v.Idx)
			}
			if e.Latest().Obj != nil {
				live++
			}
		}
		if live != n || live != t.live {
			return fmt.Errorf("%s: %d objects on disk, %d live in memory, count says %d", gr, n, live, t.live)
		}
		if len(want) > 0 && !reflect.DeepEqual(want, t.index) {
			return fmt.Errorf("%s: field indexes do not match the data", gr)
		}
	}
	return nil
}
