package watch

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// relay is the watcher behind Filter, Map, Cast and Proxy: one goroutine reads the upstream
// channel, transforms each event and writes it to out. The goroutine exits, stops the upstream
// and closes out when the upstream closes, the transform ends the stream, ctx is done, or Stop is
// called; nothing else keeps it alive, so a stopped relay never leaks.
type relay[T any] struct {
	out   chan Event[T]
	stop  chan struct{}
	ended chan struct{}
	once  sync.Once
}

func (r *relay[T]) ResultChan() <-chan Event[T] { return r.out }

func (r *relay[T]) Stop() { r.once.Do(func() { close(r.stop) }) }

// step is a relay's transform: the event to emit (when emit is true) and whether the stream ends
// after it.
type step[A, B any] func(Event[A]) (out Event[B], emit, last bool)

func startRelay[A, B any](ctx context.Context, in <-chan Event[A], stopUpstream func(), fn step[A, B]) *relay[B] {
	r := &relay[B]{out: make(chan Event[B]), stop: make(chan struct{}), ended: make(chan struct{})}
	go func() {
		defer close(r.ended)
		defer close(r.out)
		if stopUpstream != nil {
			defer stopUpstream()
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-r.stop:
				return
			case ev, ok := <-in:
				if !ok {
					return
				}
				out, emit, last := fn(ev)
				if emit {
					select {
					case r.out <- out:
					case <-ctx.Done():
						return
					case <-r.stop:
						return
					}
				}
				if last {
					return
				}
			}
		}
	}()
	return r
}

// Filter returns a watch of the events of w for which fn returns keep = true, each replaced by
// the event fn returns (so fn may also modify events, for example change their type when an
// object leaves a selector). fn runs on the relay's goroutine, one event at a time.
//
// The returned watch owns w: it stops w when it ends, which it does when w's channel closes, ctx
// is done or its Stop is called.
func Filter[T any](ctx context.Context, w Interface[T], fn func(Event[T]) (out Event[T], keep bool)) Interface[T] {
	return startRelay(ctx, w.ResultChan(), w.Stop, func(ev Event[T]) (Event[T], bool, bool) {
		out, keep := fn(ev)
		return out, keep, false
	})
}

// Map returns a watch of w's events with every object converted by fn. Error events pass
// through with their Status (fn is not called for them). When fn fails, the returned watch emits
// an Error event with an InternalError Status (code 500) naming the event and the error, and
// ends, as a stream that cannot be read further must.
//
// The returned watch owns w, like Filter's.
func Map[A, B any](ctx context.Context, w Interface[A], fn func(A) (B, error)) Interface[B] {
	return startRelay(ctx, w.ResultChan(), w.Stop, func(ev Event[A]) (Event[B], bool, bool) {
		if ev.Type == Error {
			st := ev.ErrorStatus()
			if st == nil {
				st = internalErrorStatus("error event without a status")
			}
			return NewError[B](st), true, true
		}
		obj, err := fn(ev.Object)
		if err != nil {
			return NewError[B](internalErrorStatus(fmt.Sprintf("convert %s event: %v", ev.Type, err))), true, true
		}
		return Event[B]{Type: ev.Type, Object: obj}, true, false
	})
}

// Cast returns a typed watch of w's events whose objects must be of type B, for example
// Cast[*corev1.Pod](ctx, w) over a store's untyped watch. An object of another type ends the
// stream with an Error event that names both types (see Map).
func Cast[B, A any](ctx context.Context, w Interface[A]) Interface[B] {
	return Map(ctx, w, func(a A) (B, error) {
		b, ok := any(a).(B)
		if !ok {
			var zero B
			return zero, fmt.Errorf("unexpected object type %T, want %v", a, reflect.TypeFor[B]())
		}
		return b, nil
	})
}

// Objects is Cast for the common case of an untyped store watch.
func Objects[T runtime.Object](ctx context.Context, w ObjectInterface) Interface[T] {
	return Cast[T](ctx, w)
}

func internalErrorStatus(msg string) *meta.Status {
	st := apierrors.NewInternalError(errors.New("watch: " + msg)).Status()
	return &st
}

// Proxy is a watch fed by a channel the producer owns: the bridge from code that produces events
// on a channel to an Interface. The producer sends on its channel and closes it when the stream
// ends; it must also stop sending once Done is closed, which happens when the consumer calls Stop,
// ctx is done, or the producer's channel closed.
type Proxy[T any] struct {
	r *relay[T]
}

var _ Interface[int] = (*Proxy[int])(nil)

// NewProxy returns a watch that forwards the events of src until src closes, ctx is done or Stop
// is called.
func NewProxy[T any](ctx context.Context, src <-chan Event[T]) *Proxy[T] {
	return &Proxy[T]{r: startRelay(ctx, src, nil, func(ev Event[T]) (Event[T], bool, bool) {
		return ev, true, false
	})}
}

// ResultChan implements Interface.
func (p *Proxy[T]) ResultChan() <-chan Event[T] { return p.r.out }

// Stop implements Interface.
func (p *Proxy[T]) Stop() { p.r.Stop() }

// Done is closed once the proxy has ended and will read no more from the producer's channel.
func (p *Proxy[T]) Done() <-chan struct{} { return p.r.ended }

// ConditionFunc reports whether the condition a caller waits for holds after ev. An error ends
// the wait.
type ConditionFunc[T any] func(ev Event[T]) (done bool, err error)

// Until consumes the events of w until every condition has held, in order: conds[0] sees events
// until it returns true, then conds[1] sees the events after that one, and so on. It returns the
// last event it consumed. Until owns w and stops it before returning.
//
// It fails with an error wrapping ctx.Err() when ctx is done first, ErrClosed when the stream ends
// first, the event's error (see EventError; test it with the predicates of apimachinery/errors)
// when an Error event arrives (conditions never see Error events), or the error of a condition.
func Until[T any](ctx context.Context, w Interface[T], conds ...ConditionFunc[T]) (Event[T], error) {
	defer w.Stop()
	var last Event[T]
	ch := w.ResultChan()
	for i := 0; i < len(conds); {
		select {
		case <-ctx.Done():
			return last, fmt.Errorf("watch: until: %w", ctx.Err())
		case ev, ok := <-ch:
			if !ok {
				return last, fmt.Errorf("watch: until: %w", ErrClosed)
			}
			last = ev
			if ev.Type == Error {
				return last, fmt.Errorf("watch: until: %w", EventError(ev))
			}
			done, err := conds[i](ev)
			if err != nil {
				return last, fmt.Errorf("watch: until: condition %d: %w", i, err)
			}
			if done {
				i++
			}
		}
	}
	return last, nil
}
