package disk

import "github.com/cellkit/cellkit/store/internal/backend"

// compactLocked drops the in-memory history up to rev and every version no read at or after
// rev can see. The same compaction was written to disk in the batch's transaction. Callers
// hold s.mu.
func (s *Store) compactLocked(rev int64) {
	if rev <= s.compacted {
		return
	}
	n := min(int(rev-s.compacted), len(s.history))
	for _, ev := range s.history[:n] {
		ev.t.prune(ev.e, rev)
	}
	s.history = backend.DropFront(s.history, n)
	s.compacted = rev
	if l := s.log.V(4); l.Enabled() {
		l.Info("compacted history", "revision", rev, "kept", len(s.history))
	}
}

// prune keeps the versions of e from the state at rev on (none when that state is a
// tombstone), dropping e from t when nothing is left, and keeps the indexes in step.
func (t *table) prune(e *entry, rev int64) {
	if t.index.Prune(e, rev) && t.keys[e.Key()] == e {
		delete(t.keys, e.Key())
		t.keysChanged()
	}
}
