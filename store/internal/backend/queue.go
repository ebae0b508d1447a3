package backend

import "sync"

// Queue is a watcher's buffer of the items a backend's dispatcher hands it, bounded so that a
// slow consumer never blocks writers or other watchers: the dispatcher appends (Push, no copy,
// no wait), the watcher's goroutine takes everything at once (Take) and delivers it. A push
// beyond the limit marks the queue overflowed instead; the dispatcher then stops routing to the
// watcher, which delivers what it holds and ends with watch.SlowWatcherStatus, an error the
// consumer recovers from by resuming.
//
// The embedded mutex guards the queue; a watcher may guard more of its own fields with it.
// Methods ending in Locked need it held.
type Queue[T any] struct {
	sync.Mutex
	items    []T
	limit    int
	overflow bool
}

// Fill appends an item the watch starts with (initial events, replayed history) before the
// watcher is registered; these do not count against the buffer. Call Limit after the last.
func (q *Queue[T]) Fill(it T) { q.items = append(q.items, it) }

// Limit lets the queue hold buffer items beyond those it was filled with.
func (q *Queue[T]) Limit(buffer int) { q.limit = len(q.items) + buffer }

// PushLocked appends it and reports true, or, when the queue is full, marks it overflowed and
// reports false.
func (q *Queue[T]) PushLocked(it T) bool {
	if len(q.items) >= q.limit {
		q.overflow = true
		return false
	}
	q.items = append(q.items, it)
	return true
}

// TakeLocked returns the queued items, leaving the queue empty with spare's array (emptied)
// for the next ones, and whether the queue overflowed.
func (q *Queue[T]) TakeLocked(spare []T) ([]T, bool) {
	out := q.items
	q.items = spare[:0]
	return out, q.overflow
}

// LenLocked is the number of queued items.
func (q *Queue[T]) LenLocked() int { return len(q.items) }

// OverflowLocked reports whether a push found the queue full.
func (q *Queue[T]) OverflowLocked() bool { return q.overflow }
