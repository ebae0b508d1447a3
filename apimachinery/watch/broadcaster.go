package watch

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// DefaultBuffer is the per-watcher buffer of a Broadcaster whose Options leave Buffer zero.
const DefaultBuffer = 100

// ErrBroadcasterClosed is returned by Send after Close.
var ErrBroadcasterClosed = errors.New("watch: broadcaster closed")

// BroadcasterOptions configures a Broadcaster. The zero value is valid.
type BroadcasterOptions struct {
	// Buffer is how many events each watcher may lag behind before it is closed as a slow
	// watcher. Zero means DefaultBuffer; negative is an error.
	Buffer int
}

// Broadcaster fans events out to many watchers. Each watcher has its own buffer of
// Options.Buffer events; Send never blocks on a watcher.
//
// Slow watcher policy: when a watcher's buffer is full at Send, the event is not delivered to it;
// instead the watcher receives, after the events it already buffered, one Error event whose Status
// is SlowWatcherStatus (reason TooManyRequests, code 429; IsSlowWatcher reports it), and its
// channel is closed. Every event before the Error event was delivered in order without gaps, so
// the consumer recovers by resuming its watch from the last resourceVersion it received. The
// producer and the other watchers are never delayed.
//
// Events are shared, not copied: every watcher receives the same Object, which consumers must
// treat as read-only. A Broadcaster starts no goroutine of its own (a watcher's context is
// observed through context.AfterFunc); all methods are safe for concurrent use.
type Broadcaster[T any] struct {
	buffer int

	mu       sync.Mutex
	watchers []*broadcastWatcher[T] // each knows its index, for O(1) removal
	closed   bool
}

// NewBroadcaster returns a Broadcaster, or an error when the options are invalid.
func NewBroadcaster[T any](opts BroadcasterOptions) (*Broadcaster[T], error) {
	if opts.Buffer < 0 {
		return nil, fmt.Errorf("watch: new broadcaster: negative buffer %d", opts.Buffer)
	}
	if opts.Buffer == 0 {
		opts.Buffer = DefaultBuffer
	}
	return &Broadcaster[T]{buffer: opts.Buffer}, nil
}

type broadcastWatcher[T any] struct {
	b         *Broadcaster[T]
	ch        chan Event[T]
	stopAfter func() bool
	index     int // position in b.watchers; -1 once removed
}

// Watch adds a watcher that receives every event sent after this call. It ends when the consumer
// calls Stop, ctx is done, the watcher falls behind (see the slow watcher policy), or the
// Broadcaster is closed. After Close, Watch returns a watcher whose channel is already closed.
func (b *Broadcaster[T]) Watch(ctx context.Context) Interface[T] {
	// One slot more than the buffer, reserved for the slow-watcher Error event.
	w := &broadcastWatcher[T]{b: b, ch: make(chan Event[T], b.buffer+1), index: -1}
	b.mu.Lock()
	if b.closed {
		close(w.ch)
		b.mu.Unlock()
		return w
	}
	w.index = len(b.watchers)
	b.watchers = append(b.watchers, w)
	// Under b.mu so that removeLocked sees stopAfter; AfterFunc runs w.Stop on its own
	// goroutine, so an already-done ctx cannot deadlock here.
	w.stopAfter = context.AfterFunc(ctx, w.Stop)
	b.mu.Unlock()
	return w
}

func (w *broadcastWatcher[T]) ResultChan() <-chan Event[T] { return w.ch }

func (w *broadcastWatcher[T]) Stop() {
	b := w.b
	b.mu.Lock()
	defer b.mu.Unlock()
	b.removeLocked(w)
}

// removeLocked closes w's channel and forgets w, once.
func (b *Broadcaster[T]) removeLocked(w *broadcastWatcher[T]) {
	if w.index < 0 {
		return
	}
	last := len(b.watchers) - 1
	b.watchers[w.index] = b.watchers[last]
	b.watchers[w.index].index = w.index
	b.watchers[last] = nil
	b.watchers = b.watchers[:last]
	w.index = -1
	close(w.ch)
	if w.stopAfter != nil {
		w.stopAfter()
	}
}

// Send delivers ev to every current watcher without blocking, closing the watchers that fell
// behind. It returns ErrBroadcasterClosed after Close.
func (b *Broadcaster[T]) Send(ev Event[T]) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrBroadcasterClosed
	}
	for i := 0; i < len(b.watchers); {
		w := b.watchers[i]
		// Only Send writes to w.ch, under b.mu, and readers only drain it, so a length below
		// the buffer guarantees room for ev, and then one more slot for the Error event.
		if len(w.ch) < b.buffer {
			w.ch <- ev
			i++
			continue
		}
		w.ch <- NewError[T](SlowWatcherStatus(b.buffer))
		b.removeLocked(w) // moves the last watcher to i, which is visited next
	}
	return nil
}

// Len returns the number of current watchers.
func (b *Broadcaster[T]) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.watchers)
}

// Close ends every watcher (each still receives the events already buffered for it) and makes
// later Sends fail. It is idempotent.
func (b *Broadcaster[T]) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for len(b.watchers) > 0 {
		b.removeLocked(b.watchers[len(b.watchers)-1])
	}
}

// Pump sends every event of src to the broadcaster until src's channel closes (it returns nil),
// ctx is done (an error wrapping ctx.Err()) or the broadcaster is closed (ErrBroadcasterClosed).
// Pump owns src and stops it before returning; it starts no goroutine.
func (b *Broadcaster[T]) Pump(ctx context.Context, src Interface[T]) error {
	defer src.Stop()
	ch := src.ResultChan()
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("watch: pump: %w", ctx.Err())
		case ev, ok := <-ch:
			if !ok {
				return nil
			}
			if err := b.Send(ev); err != nil {
				return fmt.Errorf("watch: pump: %w", err)
			}
		}
	}
}
