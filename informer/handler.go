package informer

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Handler receives the changes of an informer's objects. An informer calls the methods of one
// handler from one goroutine, one call at a time, in the order the changes happened; each
// handler has its own goroutine and buffer, so a slow handler delays only itself.
//
// Objects are shared with the cache and the other handlers: never modify them.
type Handler[T runtime.MetaObject] interface {
	// OnAdd is called for an object that entered the cache. isInInitialList is true when it
	// was part of the state the handler started from: the informer's first list, or the cache
	// content when the handler was added after the informer started.
	OnAdd(obj T, isInInitialList bool)
	// OnUpdate is called when an object changed, and on resync (then old and new are the same
	// object).
	OnUpdate(old, new T)
	// OnDelete is called when an object left the cache. See Deleted.
	OnDelete(d Deleted[T])
}

// Deleted describes a deleted object. When the informer saw the delete, Object is the object's
// last state (with the resourceVersion of the delete) and FinalStateUnknown is false. When the
// delete happened while the informer was disconnected and it learned of it by relisting,
// Object is the last state the informer knew, which may be older than the real final state,
// and FinalStateUnknown is true. Either way Object is a T: no cast is ever needed.
type Deleted[T runtime.MetaObject] struct {
	Object            T
	FinalStateUnknown bool
}

// HandlerFuncs adapts functions to Handler; nil functions ignore their calls.
type HandlerFuncs[T runtime.MetaObject] struct {
	AddFunc    func(obj T, isInInitialList bool)
	UpdateFunc func(old, new T)
	DeleteFunc func(d Deleted[T])
}

// OnAdd calls AddFunc when set.
func (f HandlerFuncs[T]) OnAdd(obj T, isInInitialList bool) {
	if f.AddFunc != nil {
		f.AddFunc(obj, isInInitialList)
	}
}

// OnUpdate calls UpdateFunc when set.
func (f HandlerFuncs[T]) OnUpdate(old, new T) {
	if f.UpdateFunc != nil {
		f.UpdateFunc(old, new)
	}
}

// OnDelete calls DeleteFunc when set.
func (f HandlerFuncs[T]) OnDelete(d Deleted[T]) {
	if f.DeleteFunc != nil {
		f.DeleteFunc(d)
	}
}

// HandlerOptions configure one handler.
type HandlerOptions struct {
	// ResyncPeriod, when positive, makes the informer call OnUpdate(obj, obj) for every cached
	// object every ResyncPeriod, so a handler can re-check the world. It must be 0 or at least
	// MinResyncPeriod.
	ResyncPeriod time.Duration
}

// MinResyncPeriod is the shortest resync period a handler may ask for.
const MinResyncPeriod = time.Second

type notificationKind uint8

const (
	notifyAdd notificationKind = iota
	notifyUpdate
	notifyDelete
)

type notification[T runtime.MetaObject] struct {
	kind     notificationKind
	flag     bool // isInInitialList for adds, FinalStateUnknown for deletes
	old, obj T
}

// listener is one handler with its unbounded buffer and goroutine.
type listener[T runtime.MetaObject] struct {
	h      Handler[T]
	resync time.Duration

	mu      sync.Mutex
	queue   []notification[T]
	head    int
	queued  uint64 // notifications ever enqueued
	removed bool
	spare   []notification[T] // an emptied buffer, for the next batch

	// mark is the count of processed notifications at which the handler is synced; negative
	// until the informer synced. Written under mu, read without it by checkSynced.
	mark      atomic.Int64
	processed atomic.Uint64
	synced    atomic.Bool
	syncedCh  chan struct{}
	signal    chan struct{} // capacity 1: something was enqueued or marked
	stop      chan struct{} // closed on removal
	stopOnce  sync.Once
	done      chan struct{} // closed when run returned (if it was started)
	started   bool          // guarded by the informer's lock
}

func newListener[T runtime.MetaObject](h Handler[T], resync time.Duration) *listener[T] {
	l := &listener[T]{
		h: h, resync: resync,
		signal:   make(chan struct{}, 1),
		syncedCh: make(chan struct{}),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	l.mark.Store(-1)
	return l
}

func (l *listener[T]) wake() {
	select {
	case l.signal <- struct{}{}:
	default:
	}
}

func (l *listener[T]) enqueue(n notification[T]) {
	l.mu.Lock()
	if !l.removed {
		l.queue = append(l.queue, n)
		l.queued++
	}
	l.mu.Unlock()
	l.wake()
}

// enqueueAll enqueues ns in order, in one critical section.
func (l *listener[T]) enqueueAll(ns []notification[T]) {
	l.mu.Lock()
	if !l.removed {
		l.queue = append(l.queue, ns...)
		l.queued += uint64(len(ns))
	}
	l.mu.Unlock()
	l.wake()
}

// markSynced records that the handler is synced once it processed everything enqueued so far.
func (l *listener[T]) markSynced() {
	l.mu.Lock()
	if l.mark.Load() < 0 {
		l.mark.Store(int64(l.queued))
	}
	l.mu.Unlock()
	l.checkSynced()
}

// checkSynced closes syncedCh once the marked count of notifications was processed. The mark
// is stored before markSynced calls it and processed is added to before run calls it, so
// whichever comes last sees both.
func (l *listener[T]) checkSynced() {
	if l.synced.Load() {
		return
	}
	if m := l.mark.Load(); m >= 0 && l.processed.Load() >= uint64(m) && l.synced.CompareAndSwap(false, true) {
		close(l.syncedCh)
	}
}

// take removes and returns every queued notification, handing the queue a spare buffer, so
// that run delivers a burst (an initial list, a resync) without a lock per notification.
// release gives the batch's buffer back once delivered.
func (l *listener[T]) take() []notification[T] {
	l.mu.Lock()
	defer l.mu.Unlock()
	batch := l.queue[l.head:]
	l.queue, l.head, l.spare = l.spare, 0, nil
	return batch
}

// release clears a delivered batch and keeps its buffer as the spare, unless it is large (a
// burst's buffer is let go).
func (l *listener[T]) release(batch []notification[T]) {
	if cap(batch) > 1024 {
		return
	}
	clear(batch)
	l.mu.Lock()
	if l.spare == nil && !l.removed {
		l.spare = batch[:0]
	}
	l.mu.Unlock()
}

func (l *listener[T]) remove() {
	l.stopOnce.Do(func() {
		l.mu.Lock()
		l.removed = true
		l.queue, l.head = nil, 0
		l.mu.Unlock()
		close(l.stop)
	})
}

// run delivers notifications until stop (the informer stopped) or removal.
func (l *listener[T]) run(stop <-chan struct{}) {
	defer close(l.done)
	for {
		for {
			batch := l.take()
			if len(batch) == 0 {
				l.release(batch)
				break
			}
			for i := range batch {
				select {
				case <-stop:
					return
				case <-l.stop:
					return
				default:
				}
				n := batch[i]
				batch[i] = notification[T]{}
				switch n.kind {
				case notifyAdd:
					l.h.OnAdd(n.obj, n.flag)
				case notifyUpdate:
					l.h.OnUpdate(n.old, n.obj)
				case notifyDelete:
					l.h.OnDelete(Deleted[T]{Object: n.obj, FinalStateUnknown: n.flag})
				}
				l.processed.Add(1)
				l.checkSynced()
			}
			l.release(batch)
		}
		select {
		case <-stop:
			return
		case <-l.stop:
			return
		case <-l.signal:
		}
	}
}

// Registration is a handler added to an informer.
type Registration interface {
	// HasSynced reports whether the informer has synced and the handler has processed every
	// notification of the state it started from (its initial list).
	HasSynced() bool
	// Synced returns a channel that is closed once HasSynced is true.
	Synced() <-chan struct{}
}

func (l *listener[T]) HasSynced() bool         { return l.synced.Load() }
func (l *listener[T]) Synced() <-chan struct{} { return l.syncedCh }
