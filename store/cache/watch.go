package cache

import (
	"context"
	"errors"
	"sort"
	"sync/atomic"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Watch fan-out
//
// The upstream goroutine applies a batch of changes, then hands each change to the watchers
// that may want it (route): a pointer appended to the watcher's buffer, no copy, no
// blocking. Watchers are found by route key: watchers of one object by namespace and name,
// watchers pinning an indexed field by its value (old and new value of the change), watchers
// of one namespace by namespace, the rest for every change. Each watcher has a goroutine that
// filters the changes by its selectors, types them (selector transitions), copies the object
// unless the watch shares objects, and sends the event. A watcher whose buffer is full is
// unrouted and, once its goroutine delivered what it was given, gets a TooManyRequests error.

// addRoute and removeRoute maintain the routes. Callers hold watchMu.
func (r *resource) addRoute(w *watcher) {
	set := r.routes[w.route]
	if set == nil {
		set = map[*watcher]struct{}{}
		r.routes[w.route] = set
	}
	set[w] = struct{}{}
	r.routeN[w.route.Kind]++
}

func (r *resource) removeRoute(w *watcher) {
	set := r.routes[w.route]
	if _, ok := set[w]; !ok {
		return
	}
	delete(set, w)
	if len(set) == 0 {
		delete(r.routes, w.route)
	}
	r.routeN[w.route.Kind]--
}

// route hands a batch of changes, in revision order, to the watchers that may want them:
// watchers of everything get the whole batch at once (one lock and one wake-up per watcher
// per batch), the others each change routed by its keys. Callers hold watchMu.
func (r *resource) route(evs []*event) {
	if r.routeN[backend.RouteAll] > 0 {
		for w := range r.routes[backend.Route{Kind: backend.RouteAll}] {
			w.push(evs...)
		}
	}
	if r.routeN[backend.RouteNS]+r.routeN[backend.RouteName]+r.routeN[backend.RouteField] == 0 {
		return
	}
	for _, ev := range evs {
		r.routeOne(ev)
	}
}

// routeOne hands ev to the watchers of a namespace, an object or an indexed field value it
// concerns. Callers hold watchMu.
func (r *resource) routeOne(ev *event) {
	push := func(k backend.Route) {
		for w := range r.routes[k] {
			w.push(ev)
		}
	}
	if r.routeN[backend.RouteNS] > 0 {
		push(backend.Route{Kind: backend.RouteNS, NS: ev.e.NS})
	}
	if r.routeN[backend.RouteName] > 0 {
		push(backend.Route{Kind: backend.RouteName, NS: ev.e.NS, Name: ev.e.Name})
	}
	if r.routeN[backend.RouteField] > 0 {
		for i := range r.res.Indexes {
			var nv string
			if ev.Idx != nil {
				nv = ev.Idx[i]
				push(backend.Route{Kind: backend.RouteField, Field: i, Value: nv})
			}
			if ev.PrevIdx != nil && (ev.Idx == nil || ev.PrevIdx[i] != nv) {
				push(backend.Route{Kind: backend.RouteField, Field: i, Value: ev.PrevIdx[i]})
			}
		}
	}
}

// item is one entry of a watcher's buffer: a change, or an initial event (ev == nil): the
// object of an Added event, or, when obj is nil, the bookmark ending the initial events at rev.
type item struct {
	ev  *event
	obj runtime.MetaObject
	rev int64
}

type watcher struct {
	r     *resource
	sel   backend.Selector
	opts  store.WatchOptions
	route backend.Route
	backend.Stream

	progressWant  atomic.Int64 // the progress request (a progressSeq) waiting for an answer, 0 if none
	bookmarkTimer clock.Timer  // used by run only

	direct bool // the dispatcher may send events itself (shared objects: no copy to make)

	q      backend.Queue[item] // its lock guards the fields below
	final  *meta.Status        // ends the stream once buf is delivered (relist)
	busy   bool                // the goroutine holds undelivered items or is sending a bookmark
	last   int64               // the revision the stream reached
	closed bool                // out is closed (or about to be)
}

var (
	_ watch.Interface[runtime.Object] = (*watcher)(nil)
	_ store.ProgressRequester         = (*watcher)(nil)
)

// RequestProgress implements store.ProgressRequester: the stream soon carries a bookmark at a
// revision at least the backend's when it was called.
func (w *watcher) RequestProgress() {
	w.askProgress()
}

func (w *watcher) askProgress() {
	seq := w.r.progressSeq.Add(1)
	w.progressWant.CompareAndSwap(0, seq)
	w.r.kickProgress()
}

// push hands changes to the watcher. A watcher of shared objects that has nothing pending
// gets them sent by the caller while its channel has room (no hop through its goroutine);
// the rest is buffered for its goroutine. One that would go beyond its limit is unrouted and
// marked to end with a slow-watcher error. Callers hold watchMu.
func (w *watcher) push(evs ...*event) {
	w.q.Lock()
	if w.direct && !w.busy && w.q.LenLocked() == 0 && !w.q.OverflowLocked() && w.final == nil && !w.closed {
		evs = w.sendDirect(evs)
		if len(evs) == 0 {
			w.q.Unlock()
			return
		}
	}
	for _, ev := range evs {
		if !w.q.PushLocked(item{ev: ev}) {
			w.q.Unlock()
			w.r.removeRoute(w)
			w.r.c.log.V(4).Info("closing slow watcher", "resource", w.r.gr.String(), "buffer", w.r.c.watchBuffer)
			w.Notify()
			return
		}
	}
	w.q.Unlock()
	w.Notify()
}

// sendDirect sends the events of evs while the out channel has room, and returns the rest.
// Callers hold w.q, with nothing buffered or being sent by the goroutine.
func (w *watcher) sendDirect(evs []*event) []*event {
	for len(evs) > 0 {
		ev := evs[0]
		if out, keep := w.convert(ev, w.last); keep {
			select {
			case w.Out() <- out:
			default:
				return evs
			}
		}
		w.last = max(w.last, ev.Rev)
		evs = evs[1:]
	}
	return nil
}

// end makes the watcher's stream end with st after what it was given. Callers hold watchMu.
func (w *watcher) end(st *meta.Status) {
	w.q.Lock()
	w.final = st
	w.q.Unlock()
	w.r.removeRoute(w)
	w.Notify()
}

func (r *resource) watch(ctx context.Context, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	const op = "watch"
	if err := ctx.Err(); err != nil {
		return nil, r.ctxErr(op, err)
	}
	if err := r.res.WatchStart(namespace, opts); err != nil {
		return nil, err
	}
	delegate := func() (watch.Interface[runtime.Object], error) {
		return r.c.backend.Watch(ctx, r.gr, namespace, opts)
	}
	ok, err := r.waitReady(ctx)
	if err != nil {
		return nil, r.ctxErr(op, err)
	}
	if !ok {
		return delegate()
	}
	// start is the revision the stream starts after (initial events: at least it).
	start := opts.Revision
	if start == 0 {
		// "Now" (or the current state) is the backend's revision at the call, which the
		// cache may not have reached yet.
		head, err := r.c.revs.get(ctx)
		if err != nil {
			return nil, r.ctxErr(op, err)
		}
		start = head
	}
	if err := r.reach(ctx, op, start); err != nil {
		if errors.Is(err, errWaitTimeout) || errors.Is(err, ErrClosed) {
			return delegate()
		}
		return nil, err
	}
	w := &watcher{
		r:      r,
		sel:    r.res.Selector(namespace, opts.Labels, opts.Fields),
		opts:   opts,
		route:  backend.Route{Kind: backend.RouteAll},
		direct: opts.SharedObjects,
	}
	w.Init(ctx, r.c.ctx.Done())
	w.route = w.sel.Route()

	r.watchMu.Lock()
	r.mu.RLock()
	var lastRev int64
	if opts.SendInitialEvents {
		lastRev = r.rev
		for _, e := range r.candidates(&w.sel) {
			if o := e.Latest().Obj; o != nil && w.sel.Matches(o) {
				w.q.Fill(item{obj: o})
			}
		}
		if opts.Bookmarks {
			w.q.Fill(item{rev: lastRev})
		}
	} else {
		if start < r.from || start < r.floor {
			// Older than the window: the backend has the history, or says Expired.
			r.mu.RUnlock()
			r.watchMu.Unlock()
			return delegate()
		}
		lastRev = start
		evs := r.events[sort.Search(len(r.events), func(i int) bool { return r.events[i].Rev > start }):]
		for _, ev := range evs {
			if namespace == "" || ev.e.NS == namespace {
				w.q.Fill(item{ev: ev})
			}
		}
	}
	r.mu.RUnlock()
	w.q.Limit(r.c.watchBuffer)
	w.last = lastRev
	if !r.c.spawn(func() { w.run(lastRev) }) {
		r.watchMu.Unlock()
		return delegate()
	}
	r.addRoute(w)
	r.watchers[w] = struct{}{}
	r.c.watchers.Add(1)
	r.watchMu.Unlock()
	return w, nil
}

func (w *watcher) run(lastRev int64) {
	r := w.r
	defer func() {
		r.watchMu.Lock()
		r.removeRoute(w)
		delete(r.watchers, w)
		r.watchMu.Unlock()
		r.c.watchers.Add(-1)
		w.q.Lock()
		w.closed = true // no direct send from here on
		w.q.Unlock()
		w.End()
	}()
	var tick <-chan time.Time
	if w.opts.Bookmarks {
		timer := r.c.clock.NewTimer(r.c.bookmarkEvery)
		defer timer.Stop()
		tick = timer.C()
		w.bookmarkTimer = timer
	}
	var batch []item
	for {
		// Read before looking at the buffer: every change up to d for this watcher was pushed
		// before d was published, so once the buffer is empty they were all delivered.
		d := r.dispatched.Load()
		w.q.Lock()
		var overflow bool
		batch, overflow = w.q.TakeLocked(batch)
		final := w.final
		lastRev = max(lastRev, w.last) // direct sends moved the stream on
		if len(batch) > 0 {
			w.busy = true
		}
		w.q.Unlock()
		for i := range batch {
			var ok bool
			if lastRev, ok = w.deliver(batch[i], lastRev); !ok {
				return
			}
		}
		clear(batch)
		if len(batch) > 0 {
			w.q.Lock()
			w.last = max(w.last, lastRev)
			w.busy = w.q.LenLocked() > 0 // keep the dispatcher out until the buffer is drained
			w.q.Unlock()
			continue
		}
		if overflow {
			w.Send(watch.NewError[runtime.Object](watch.SlowWatcherStatus(r.c.watchBuffer)))
			return
		}
		if final != nil {
			w.Send(watch.NewError[runtime.Object](final))
			return
		}
		if want := w.progressWant.Load(); want != 0 && want <= r.progressServed.Load() {
			w.q.Lock()
			if w.q.LenLocked() > 0 {
				w.q.Unlock()
				continue // deliver what came first
			}
			w.busy = true
			rev := max(d, lastRev, w.last)
			w.q.Unlock()
			w.progressWant.CompareAndSwap(want, 0)
			if !w.Send(watch.Event[runtime.Object]{Type: watch.Bookmark, Object: w.r.res.Bookmark(rev, false)}) {
				return
			}
			lastRev = rev
			w.q.Lock()
			w.last = max(w.last, rev)
			w.busy = w.q.LenLocked() > 0
			w.q.Unlock()
		}
		select {
		case <-w.Wake():
		case <-tick:
			// A periodic bookmark is a progress request: it comes once the cache caught up
			// with the backend's revision of this moment.
			w.bookmarkTimer.Reset(r.c.bookmarkEvery)
			w.askProgress()
		case <-w.Stopped():
			return
		case <-w.Done():
			return
		case <-w.Closed():
			return
		}
	}
}

// deliver sends the event of one buffer item if the watcher's selectors let it through. It
// returns the revision the stream reached and false when the watcher must stop.
func (w *watcher) deliver(it item, lastRev int64) (int64, bool) {
	ev := it.ev
	if ev == nil {
		if it.obj == nil {
			lastRev = it.rev // the bookmark ending the initial events
		}
		return lastRev, w.Send(w.r.res.InitialEvent(it.obj, it.rev, w.opts.SharedObjects))
	}
	out, keep := w.convert(ev, lastRev)
	lastRev = max(lastRev, ev.Rev)
	if !keep {
		return lastRev, true
	}
	return lastRev, w.Send(out)
}

// convert returns the event the watcher gets for ev, if any: none for a change at or before
// lastRev, of another namespace, or outside the selectors before and after; otherwise typed
// by the selector transition.
func (w *watcher) convert(ev *event, lastRev int64) (watch.Event[runtime.Object], bool) {
	if ev.Rev <= lastRev || w.sel.NS != "" && ev.e.NS != w.sel.NS {
		return watch.Event[runtime.Object]{}, false
	}
	return w.sel.Event(&ev.Change, w.opts.SharedObjects)
}
