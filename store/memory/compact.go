package memory

import (
	"context"
	"fmt"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Compact implements store.Interface. It first hands every pending change to the watchers, so
// that no watcher misses a change because it was compacted before delivery.
func (s *Store) Compact(ctx context.Context, revision int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: compact: %w", err)
	}
	s.mu.RLock()
	head := s.rev
	s.mu.RUnlock()
	if revision > head {
		return fmt.Errorf("memory: compact to %d: %w", revision, apierrors.NewTooLargeResourceVersion(uint64(revision), uint64(head), 1))
	}
	s.dispatch(revision)
	s.mu.Lock()
	s.compactLocked(revision)
	s.mu.Unlock()
	return nil
}

// autoCompactLocked enforces the history bounds (count and age) after a write, never beyond the
// changes already handed to watchers. Callers hold s.mu.
func (s *Store) autoCompactLocked() {
	// Count: compact in batches of a sixteenth of the history, so that a write does not pay
	// for a compaction each time; the history holds up to MaxHistory*17/16 changes.
	target := s.rev - s.maxHistory
	if target-s.compacted < max(1, s.maxHistory/16) {
		target = s.compacted
	}
	// Age: every change older than MaxHistoryAge goes.
	if s.maxAge > 0 && len(s.history) > 0 {
		cutoff := s.clock.Now().Add(-s.maxAge)
		for i := 0; i < len(s.history) && s.history[i].at.Before(cutoff); i++ {
			if r := s.history[i].Rev; r > target {
				target = r
			}
		}
	}
	if d := s.dispatched.Load(); target > d {
		target = d
	}
	if target > s.compacted {
		s.compactLocked(target)
	}
}

// compactLocked discards the history up to rev: the changes at or before rev and every version
// older than the state at rev. Reads at rev and later are unaffected. Callers hold s.mu.
func (s *Store) compactLocked(rev int64) {
	if rev <= s.compacted {
		return
	}
	n := int(rev - s.compacted)
	if n > len(s.history) {
		n = len(s.history)
	}
	for _, ev := range s.history[:n] {
		s.prune(ev.t, ev.e, rev)
	}
	s.history = backend.DropFront(s.history, n)
	s.compacted = rev
	if l := s.log.V(4); l.Enabled() {
		l.Info("compacted history", "revision", rev, "kept", len(s.history))
	}
}

// prune drops the versions of e that no read at or after rev can see, and e itself when none is
// left, keeping the field indexes in step.
func (s *Store) prune(t *table, e *entry, rev int64) {
	if !t.index.Prune(e, rev) {
		return
	}
	names := t.byNS[e.NS]
	if names[e.Name] == e {
		delete(names, e.Name)
		if len(names) == 0 {
			delete(t.byNS, e.NS)
		}
	}
	t.sortMu.Lock()
	t.sortedOK = false
	t.sortMu.Unlock()
}
