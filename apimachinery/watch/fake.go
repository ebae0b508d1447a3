package watch

import (
	"context"
	"fmt"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Fake is a watch driven by hand, for tests: the test plays the producer with Send (or Add,
// Modify, Delete, Bookmark, Error) and Close, and the code under test consumes it through
// ResultChan and Stop. It starts no goroutine.
//
// Sends block until the consumer takes the event (or it fits in the buffer), the context is done,
// or the watch is stopped or closed. All methods are safe for concurrent use.
type Fake[T any] struct {
	ch       chan Event[T]
	stopped  chan struct{} // closed by Stop
	quit     chan struct{} // closed by Stop or Close: wakes blocked senders
	stopOnce sync.Once
	quitOnce sync.Once

	mu     sync.RWMutex // senders hold it shared; closing ch holds it exclusively
	closed bool
}

var _ Interface[int] = (*Fake[int])(nil)

// NewFake returns a Fake whose channel buffers up to buffer events (0: every send waits for the
// consumer).
func NewFake[T any](buffer int) *Fake[T] {
	if buffer < 0 {
		buffer = 0
	}
	return &Fake[T]{
		ch:      make(chan Event[T], buffer),
		stopped: make(chan struct{}),
		quit:    make(chan struct{}),
	}
}

// ResultChan implements Interface.
func (f *Fake[T]) ResultChan() <-chan Event[T] { return f.ch }

// Stop implements Interface: the consumer is done. Blocked and later sends return ErrStopped.
func (f *Fake[T]) Stop() {
	f.stopOnce.Do(func() { close(f.stopped) })
	f.close()
}

// Close ends the stream from the producer's side: the channel is closed after the events already
// buffered. Later sends return ErrClosed. Close is idempotent.
func (f *Fake[T]) Close() { f.close() }

func (f *Fake[T]) close() {
	f.quitOnce.Do(func() { close(f.quit) })
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.closed = true
		close(f.ch)
	}
}

// Stopped is closed once the consumer called Stop.
func (f *Fake[T]) Stopped() <-chan struct{} { return f.stopped }

// Send delivers ev to the consumer. It returns ErrStopped after Stop, ErrClosed after Close, and
// an error wrapping ctx.Err() when ctx is done first.
func (f *Fake[T]) Send(ctx context.Context, ev Event[T]) error {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if err := f.endErr(); err != nil {
		return fmt.Errorf("watch: fake send %s: %w", ev.Type, err)
	}
	select {
	case f.ch <- ev:
		return nil
	case <-f.quit:
		return fmt.Errorf("watch: fake send %s: %w", ev.Type, f.endErr())
	case <-ctx.Done():
		return fmt.Errorf("watch: fake send %s: %w", ev.Type, ctx.Err())
	}
}

func (f *Fake[T]) endErr() error {
	select {
	case <-f.stopped:
		return ErrStopped
	default:
	}
	select {
	case <-f.quit:
		return ErrClosed
	default:
		return nil
	}
}

// Add sends an Added event for obj.
func (f *Fake[T]) Add(ctx context.Context, obj T) error {
	return f.Send(ctx, Event[T]{Type: Added, Object: obj})
}

// Modify sends a Modified event for obj.
func (f *Fake[T]) Modify(ctx context.Context, obj T) error {
	return f.Send(ctx, Event[T]{Type: Modified, Object: obj})
}

// Delete sends a Deleted event for obj.
func (f *Fake[T]) Delete(ctx context.Context, obj T) error {
	return f.Send(ctx, Event[T]{Type: Deleted, Object: obj})
}

// Bookmark sends a Bookmark event for obj.
func (f *Fake[T]) Bookmark(ctx context.Context, obj T) error {
	return f.Send(ctx, Event[T]{Type: Bookmark, Object: obj})
}

// Error sends an Error event carrying status.
func (f *Fake[T]) Error(ctx context.Context, status *meta.Status) error {
	return f.Send(ctx, NewError[T](status))
}
