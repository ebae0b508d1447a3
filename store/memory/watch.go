package memory

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Watch fan-out
//
// A write appends its change to the history under mu, releases mu, and then hands every change
// not yet handed out to the watchers (dispatch), under dispatchMu, in revision order. Handing a
// change to a watcher appends a pointer to the watcher's buffer: no copy, no blocking. Each
// watcher has a goroutine that filters the changes it was handed by its selectors, types them
// (selector transitions), copies the object unless the watch shares objects, and sends the
// event to the consumer. A watcher whose buffer is full is unregistered and, once its goroutine
// has delivered what it was given, gets an Error event telling it to resume.
//
// Watchers are registered in routes so that a change reaches only the watchers that may care:
// watchers of one object by name, watchers selecting an indexed field by its value (old and new
// value of the change), watchers of one namespace by namespace, the rest for every change.

type nsName struct{ ns, name string }

type watcherSet map[*watcher]struct{}

type routes struct {
	all   watcherSet
	ns    map[string]watcherSet
	name  map[nsName]watcherSet
	field []map[string]watcherSet
}

func newRoutes(indexes int) routes {
	r := routes{all: watcherSet{}, ns: map[string]watcherSet{}, name: map[nsName]watcherSet{}}
	for i := 0; i < indexes; i++ {
		r.field = append(r.field, map[string]watcherSet{})
	}
	return r
}

func (r *routes) set(rt backend.Route, create bool) watcherSet {
	var m map[string]watcherSet
	key := rt.NS
	switch rt.Kind {
	case backend.RouteAll:
		return r.all
	case backend.RouteName:
		set := r.name[nsName{rt.NS, rt.Name}]
		if set == nil && create {
			set = watcherSet{}
			r.name[nsName{rt.NS, rt.Name}] = set
		}
		return set
	case backend.RouteNS:
		m = r.ns
	case backend.RouteField:
		m, key = r.field[rt.Field], rt.Value
	}
	set := m[key]
	if set == nil && create {
		set = watcherSet{}
		m[key] = set
	}
	return set
}

func (r *routes) add(w *watcher) { r.set(w.route, true)[w] = struct{}{} }

func (r *routes) remove(w *watcher) {
	set := r.set(w.route, false)
	if set == nil {
		return
	}
	delete(set, w)
	if len(set) == 0 {
		switch w.route.Kind {
		case backend.RouteNS:
			delete(r.ns, w.route.NS)
		case backend.RouteName:
			delete(r.name, nsName{w.route.NS, w.route.Name})
		case backend.RouteField:
			delete(r.field[w.route.Field], w.route.Value)
		}
	}
}

// dispatch makes sure every change up to rev, and whatever else is pending, was handed to the
// watchers.
func (s *Store) dispatch(rev int64) {
	if s.dispatched.Load() >= rev {
		return
	}
	s.dispatchMu.Lock()
	s.dispatchLocked()
	s.dispatchMu.Unlock()
}

// dispatchLocked hands every pending change to the watchers. Callers hold dispatchMu.
func (s *Store) dispatchLocked() {
	var batch []*event
	for {
		s.mu.RLock()
		d := s.dispatched.Load()
		if d >= s.rev {
			s.mu.RUnlock()
			return
		}
		// Compaction never passes dispatched, so the pending changes are all in the history.
		batch = append(batch[:0], s.history[d-s.compacted:s.rev-s.compacted]...)
		s.mu.RUnlock()
		if s.watchers.Load() == 0 {
			s.dispatched.Store(batch[len(batch)-1].Rev)
			continue
		}
		for _, ev := range batch {
			s.route(ev)
			s.dispatched.Store(ev.Rev)
		}
	}
}

func (s *Store) route(ev *event) {
	r := &ev.t.routes
	for w := range r.all {
		w.push(ev)
	}
	if len(r.ns) > 0 {
		for w := range r.ns[ev.e.NS] {
			w.push(ev)
		}
	}
	if len(r.name) > 0 {
		for w := range r.name[nsName{ev.e.NS, ev.e.Name}] {
			w.push(ev)
		}
	}
	for i, m := range r.field {
		if len(m) == 0 {
			continue
		}
		var nv, pv string
		hasNew, hasPrev := ev.Idx != nil, ev.PrevIdx != nil
		if hasNew {
			nv = ev.Idx[i]
			for w := range m[nv] {
				w.push(ev)
			}
		}
		if hasPrev {
			if pv = ev.PrevIdx[i]; !hasNew || pv != nv {
				for w := range m[pv] {
					w.push(ev)
				}
			}
		}
	}
}

// item is one entry of a watcher's buffer: a change, or a synthetic initial event.
type item struct {
	ev *event
	// For initial events (ev == nil): the object of an Added event, or nil for the bookmark
	// that ends the initial events at rev.
	obj runtime.MetaObject
	rev int64
}

type watcher struct {
	s     *Store
	t     *table
	sel   backend.Selector
	opts  store.WatchOptions
	route backend.Route
	backend.Stream

	progress      atomic.Bool
	bookmarkTimer clock.Timer  // used by run only
	fail          *meta.Status // set for a watch that only reports an error

	q backend.Queue[item]
}

var (
	_ watch.Interface[runtime.Object] = (*watcher)(nil)
	_ store.ProgressRequester         = (*watcher)(nil)
)

// RequestProgress implements store.ProgressRequester.
func (w *watcher) RequestProgress() {
	w.progress.Store(true)
	w.Notify()
}

// push hands a change to the watcher. Callers hold Store.dispatchMu.
func (w *watcher) push(ev *event) {
	w.q.Lock()
	if !w.q.PushLocked(item{ev: ev}) {
		w.t.routes.remove(w)
		w.q.Unlock()
		w.s.log.V(4).Info("closing slow watcher", "resource", w.t.res.GroupResource.String(), "buffer", w.s.watchBuffer)
		w.Notify()
		return
	}
	w.q.Unlock()
	w.Notify()
}

// Watch implements store.Interface.
func (s *Store) Watch(ctx context.Context, gr schema.GroupResource, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	const op = "watch"
	if err := ctxErr(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	if err := t.res.WatchStart(namespace, opts); err != nil {
		return nil, err
	}
	w := &watcher{
		s:    s,
		t:    t,
		sel:  t.res.Selector(namespace, opts.Labels, opts.Fields),
		opts: opts,
	}
	w.Init(ctx, nil)
	w.route = w.sel.Route()

	s.dispatchMu.Lock()
	var d int64
	for {
		s.dispatchLocked()
		s.mu.RLock()
		d = s.dispatched.Load()
		if opts.Revision > s.rev {
			head := s.rev
			s.mu.RUnlock()
			s.dispatchMu.Unlock()
			return nil, tooLarge(op, gr, opts.Revision, head)
		}
		if opts.Revision <= d {
			break // holding s.mu's read lock
		}
		s.mu.RUnlock() // writes landed since dispatchLocked: dispatch them too
	}
	lastRev := d
	switch {
	case opts.Revision != 0 && opts.Revision < s.compacted && !opts.SendInitialEvents:
		st := statusOf(expired(op, gr, opts.Revision, s.compacted))
		w.fail = &st
	case opts.SendInitialEvents:
		for _, e := range t.candidates(&w.sel) {
			if o := e.At(d); o != nil && w.sel.Matches(o) {
				w.q.Fill(item{obj: o})
			}
		}
		if opts.Bookmarks {
			w.q.Fill(item{rev: d})
		}
	case opts.Revision != 0:
		lastRev = opts.Revision
		for _, ev := range s.history[opts.Revision-s.compacted : d-s.compacted] {
			if ev.t == t && (namespace == "" || ev.e.NS == namespace) {
				w.q.Fill(item{ev: ev})
			}
		}
	}
	s.mu.RUnlock()
	w.q.Limit(s.watchBuffer)
	if w.fail == nil {
		t.routes.add(w)
	}
	s.watchers.Add(1)
	s.dispatchMu.Unlock()
	go w.run(lastRev)
	return w, nil
}

// statusOf returns the Status of an API error.
func statusOf(err error) meta.Status { return backend.StatusOf(err) }

func (w *watcher) run(lastRev int64) {
	defer func() {
		w.s.dispatchMu.Lock()
		w.t.routes.remove(w)
		w.s.dispatchMu.Unlock()
		w.s.watchers.Add(-1)
		w.End()
	}()
	if w.fail != nil {
		w.Send(watch.NewError[runtime.Object](w.fail))
		return
	}
	var tick <-chan time.Time
	if w.opts.Bookmarks {
		timer := w.s.clock.NewTimer(w.s.bookmarkEvery)
		defer timer.Stop()
		tick = timer.C()
		w.bookmarkTimer = timer
	}
	var batch []item
	bookmarkDue := false
	var lastBookmark int64 = -1
	for {
		d := w.s.dispatched.Load() // before looking at the buffer: see the bookmark rule below
		w.q.Lock()
		var overflow bool
		batch, overflow = w.q.TakeLocked(batch)
		w.q.Unlock()
		for i := range batch {
			var ok bool
			if lastRev, ok = w.deliver(batch[i], lastRev); !ok {
				return
			}
		}
		clear(batch)
		if len(batch) > 0 {
			continue
		}
		if overflow {
			st := watch.SlowWatcherStatus(w.s.watchBuffer)
			w.Send(watch.NewError[runtime.Object](st))
			return
		}
		// The buffer was empty after d was read: every change up to d for this watcher was
		// pushed before d was published, so it has been delivered.
		if progress := w.progress.Swap(false); progress || bookmarkDue {
			rev := max(d, lastRev)
			if progress || rev > lastBookmark {
				if !w.Send(watch.Event[runtime.Object]{Type: watch.Bookmark, Object: w.t.res.Bookmark(rev, false)}) {
					return
				}
				lastBookmark = rev
			}
			if bookmarkDue {
				w.bookmarkTimer.Reset(w.s.bookmarkEvery)
				bookmarkDue = false
			}
		}
		select {
		case <-w.Wake():
		case <-tick:
			bookmarkDue = true
		case <-w.Stopped():
			return
		case <-w.Done():
			return
		}
	}
}

// deliver sends the event of one buffer item, if the watcher's selectors let it through. It
// returns the revision the stream has reached and false when the watcher must stop.
func (w *watcher) deliver(it item, lastRev int64) (int64, bool) {
	ev := it.ev
	if ev == nil {
		if it.obj == nil {
			lastRev = it.rev // the bookmark ending the initial events
		}
		return lastRev, w.Send(w.t.res.InitialEvent(it.obj, it.rev, w.opts.SharedObjects))
	}
	if ev.Rev <= lastRev {
		return lastRev, true // already covered by a replay
	}
	lastRev = ev.Rev
	if w.sel.NS != "" && ev.e.NS != w.sel.NS {
		return lastRev, true
	}
	out, ok := w.sel.Event(&ev.Change, w.opts.SharedObjects)
	if !ok {
		return lastRev, true
	}
	return lastRev, w.Send(out)
}
