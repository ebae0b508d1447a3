package cache

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr/testr"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// faulty is a backend wrapper whose watches of widgets the test controls: it can hold back their events
// (a stalled or lagging watch), end them (a dropped watch, with or without an error event),
// and make the next watches end at once with an error. Everything else goes to the backend.
type faulty struct {
	store.Interface

	mu      sync.Mutex
	held    bool
	gate    chan struct{} // closed and replaced when held changes
	lag     time.Duration // real-time delay of every event, when > 0
	fail    []*meta.Status
	watches []*proxyWatch
	calls   []store.WatchOptions
	called  chan struct{} // closed and replaced at every Watch call
}

func newFaulty(b store.Interface) *faulty {
	return &faulty{Interface: b, gate: make(chan struct{}), called: make(chan struct{})}
}

// hold stops (true) or resumes (false) the delivery of upstream events.
func (f *faulty) hold(h bool) {
	f.mu.Lock()
	f.held = h
	close(f.gate)
	f.gate = make(chan struct{})
	f.mu.Unlock()
}

func (f *faulty) state() (bool, chan struct{}, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.held, f.gate, f.lag
}

// drop ends every open watch, with an Error event carrying st when st is not nil.
func (f *faulty) drop(st *meta.Status) {
	f.mu.Lock()
	ws := f.watches
	f.watches = nil
	f.mu.Unlock()
	for _, w := range ws {
		w.kill(st)
	}
}

// dropUpstream ends the open watches that are a cache's upstream (shared objects, no
// selectors), with an Error event carrying st when st is not nil.
func (f *faulty) dropUpstream(st *meta.Status) {
	f.mu.Lock()
	var ws []*proxyWatch
	kept := f.watches[:0]
	for _, w := range f.watches {
		if w.opts.SharedObjects && w.opts.Labels == nil && w.opts.Fields == nil {
			ws = append(ws, w)
		} else {
			kept = append(kept, w)
		}
	}
	f.watches = kept
	f.mu.Unlock()
	for _, w := range ws {
		w.kill(st)
	}
}

// failNext makes the next watches end at once with an Error event of these statuses.
func (f *faulty) failNext(st ...*meta.Status) {
	f.mu.Lock()
	f.fail = append(f.fail, st...)
	f.mu.Unlock()
}

// waitCalls waits until Watch was called n times.
func (f *faulty) waitCalls(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		got, ch := len(f.calls), f.called
		f.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("%d watch calls within 10s, want %d", got, n)
		}
	}
}

// watchCalls returns the options of every Watch call so far.
func (f *faulty) watchCalls() []store.WatchOptions {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]store.WatchOptions(nil), f.calls...)
}

func (f *faulty) Watch(ctx context.Context, gr schema.GroupResource, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	if gr != storetest.Widgets {
		return f.Interface.Watch(ctx, gr, namespace, opts) // only widget watches are faulty
	}
	f.mu.Lock()
	f.calls = append(f.calls, opts)
	close(f.called)
	f.called = make(chan struct{})
	var fail *meta.Status
	if len(f.fail) > 0 {
		fail, f.fail = f.fail[0], f.fail[1:]
	}
	f.mu.Unlock()
	if fail != nil {
		fw := watch.NewFake[runtime.Object](1)
		_ = fw.Error(ctx, fail) // fits in the buffer
		fw.Close()
		return fw, nil
	}
	inner, err := f.Interface.Watch(ctx, gr, namespace, opts)
	if err != nil {
		return nil, err
	}
	p := &proxyWatch{f: f, opts: opts, inner: inner, out: make(chan watch.Event[runtime.Object]), stop: make(chan struct{}), killCh: make(chan *meta.Status, 1), done: make(chan struct{})}
	f.mu.Lock()
	f.watches = append(f.watches, p)
	f.mu.Unlock()
	go p.run()
	return p, nil
}

type proxyWatch struct {
	f      *faulty
	opts   store.WatchOptions
	inner  watch.Interface[runtime.Object]
	out    chan watch.Event[runtime.Object]
	stop   chan struct{}
	once   sync.Once
	killCh chan *meta.Status
	done   chan struct{} // closed when run returns
}

func (p *proxyWatch) ResultChan() <-chan watch.Event[runtime.Object] { return p.out }
func (p *proxyWatch) Stop()                                          { p.once.Do(func() { close(p.stop) }) }

// kill ends the watch (with an Error event carrying st, if any) and returns once it ended.
func (p *proxyWatch) kill(st *meta.Status) {
	select {
	case p.killCh <- st:
	case <-p.done:
	}
	<-p.done
}

func (p *proxyWatch) RequestProgress() {
	if pr, ok := p.inner.(store.ProgressRequester); ok {
		pr.RequestProgress()
	}
}

type timedEvent struct {
	ev watch.Event[runtime.Object]
	at time.Time
}

func (p *proxyWatch) run() {
	defer close(p.done)
	defer close(p.out)
	defer p.inner.Stop()
	in := p.inner.ResultChan()
	var q []timedEvent
	var lagTimer *time.Timer
	defer func() {
		if lagTimer != nil {
			lagTimer.Stop()
		}
	}()
	for {
		held, gate, lag := p.f.state()
		var outCh chan watch.Event[runtime.Object]
		var head watch.Event[runtime.Object]
		var lagC <-chan time.Time
		if len(q) > 0 && !held {
			if wait := time.Until(q[0].at.Add(lag)); lag > 0 && wait > 0 {
				if lagTimer == nil {
					lagTimer = time.NewTimer(wait)
				} else {
					lagTimer.Reset(wait)
				}
				lagC = lagTimer.C
			} else {
				outCh, head = p.out, q[0].ev
			}
		}
		if in == nil && len(q) == 0 {
			return
		}
		select {
		case ev, ok := <-in:
			if !ok {
				in = nil
				continue
			}
			q = append(q, timedEvent{ev: ev, at: time.Now()})
		case outCh <- head:
			q = q[1:]
		case <-lagC:
		case <-gate:
		case st := <-p.killCh:
			if st != nil {
				select {
				case p.out <- watch.NewError[runtime.Object](st):
				case <-p.stop:
				}
			}
			return
		case <-p.stop:
			return
		}
	}
}

// setup is a cache over a faulty memory backend with the suite's resources and a fake clock.
type setup struct {
	mem    *memory.Store
	f      *faulty
	c      *Cache
	clock  *clock.Fake
	ctx    context.Context
	direct store.Typed[*storetest.Widget] // the backend, bypassing the cache
	cached store.Typed[*storetest.Widget]
}

func newSetup(t *testing.T, opts Options) *setup {
	t.Helper()
	fc := clock.NewFake(storetest.Epoch)
	mem, err := memory.New(memory.Options{Resources: storetest.Resources(), Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	f := newFaulty(mem)
	opts.Resources = storetest.Resources()
	opts.Logger = testr.NewWithOptions(t, testr.Options{Verbosity: 4})
	if opts.Clock == nil {
		opts.Clock = fc
	}
	c, err := New(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if opts.Eager {
		// Wait for the first lists, so that the window starts before the test's writes.
		for _, r := range c.resources {
			if ok, err := r.waitReady(ctx); !ok || err != nil {
				t.Fatalf("resource %s not ready: %v", r.gr, err)
			}
		}
	}
	return &setup{
		mem: mem, f: f, c: c, clock: fc, ctx: ctx,
		direct: store.For[*storetest.Widget](mem, storetest.Widgets),
		cached: store.For[*storetest.Widget](c, storetest.Widgets),
	}
}

func widget(ns, name, node string) *storetest.Widget {
	return &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name}, Spec: storetest.WidgetSpec{Node: node}}
}

// blockUntilWaiters waits until the fake clock has n waiters, failing the test after 10s.
func (s *setup) blockUntilWaiters(t *testing.T, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	if err := s.clock.BlockUntilWaiters(ctx, n); err != nil {
		t.Fatalf("waiting for %d timers on the clock: %v", n, err)
	}
}

// result is the outcome of an operation run in the background.
type result[T any] struct {
	v   T
	err error
}

func async[T any](fn func() (T, error)) <-chan result[T] {
	ch := make(chan result[T], 1)
	go func() {
		v, err := fn()
		ch <- result[T]{v, err}
	}()
	return ch
}

func await[T any](t *testing.T, ch <-chan result[T]) (T, error) {
	t.Helper()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(10 * time.Second):
		t.Fatal("operation did not return within 10s")
	}
	panic("unreachable")
}
