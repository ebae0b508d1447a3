package backend

import (
	"context"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
)

// StreamBuffer is the capacity of the channel a watch's consumer reads.
const StreamBuffer = 16

// Stream is the delivery end of one watch of a backend: the channel its consumer reads, the
// Stop of watch.Interface, and a wake-up channel for the watcher's goroutine. A backend's
// watcher embeds it (so the watcher is a watch.Interface) and calls Init before use. The
// watcher's goroutine is the only sender and closes the channel with End when it returns.
type Stream struct {
	out    chan watch.Event[runtime.Object]
	wake   chan struct{}
	stop   chan struct{}
	once   sync.Once
	done   <-chan struct{} // the watch's context
	closed <-chan struct{} // the backend's end; nil when it never ends
}

// Init prepares s for a watch under ctx of a backend that ends when closed is closed (nil:
// never).
func (s *Stream) Init(ctx context.Context, closed <-chan struct{}) {
	s.out = make(chan watch.Event[runtime.Object], StreamBuffer)
	s.wake = make(chan struct{}, 1)
	s.stop = make(chan struct{})
	s.done = ctx.Done()
	s.closed = closed
}

// ResultChan implements watch.Interface.
func (s *Stream) ResultChan() <-chan watch.Event[runtime.Object] { return s.out }

// Stop implements watch.Interface. It is idempotent and safe from any goroutine.
func (s *Stream) Stop() { s.once.Do(func() { close(s.stop) }) }

// Out is the consumer's channel, for a sender that selects on it with other cases.
func (s *Stream) Out() chan<- watch.Event[runtime.Object] { return s.out }

// Stopped is closed by Stop.
func (s *Stream) Stopped() <-chan struct{} { return s.stop }

// Done is closed when the watch's context ends.
func (s *Stream) Done() <-chan struct{} { return s.done }

// Closed is closed when the backend ends (nil when it never does).
func (s *Stream) Closed() <-chan struct{} { return s.closed }

// Wake receives after Notify: the watcher's goroutine waits on it for work.
func (s *Stream) Wake() <-chan struct{} { return s.wake }

// Notify wakes the watcher's goroutine without blocking; wake-ups coalesce.
func (s *Stream) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Send delivers ev to the consumer, waiting for room, and reports false when the watch ends
// first (Stop, the context, or the backend's end).
func (s *Stream) Send(ev watch.Event[runtime.Object]) bool {
	select {
	case s.out <- ev: // fast path: room in the buffer, no need to wait on four channels
		return true
	default:
	}
	select {
	case s.out <- ev:
		return true
	case <-s.stop:
	case <-s.done:
	case <-s.closed:
	}
	return false
}

// InitialEvent returns the event of one initial item of a watch with SendInitialEvents:
// Added for obj (the stored object itself when share, else a copy), or, when obj is nil, the
// bookmark at rev that ends the initial events.
func (r *Resource) InitialEvent(obj runtime.MetaObject, rev int64, share bool) watch.Event[runtime.Object] {
	if obj != nil {
		return watch.Event[runtime.Object]{Type: watch.Added, Object: WatchObject(obj, share)}
	}
	return watch.Event[runtime.Object]{Type: watch.Bookmark, Object: r.Bookmark(rev, true)}
}

// End closes the consumer's channel. Only the watcher's goroutine calls it, once, after its
// last Send.
func (s *Stream) End() { close(s.out) }
