package disk

import (
	"context"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Watches pull. The committer appends every persisted change to the in-memory history and
// closes the notify channel; each watcher goroutine then reads the new part of the history
// under the read lock, keeps the changes its selectors let through in its own queue, and sends
// them. Writers never wait for watchers and keep no per-watcher state. A watcher whose
// consumer lets more than WatchBuffer changes queue up is closed with a TooManyRequests error
// after the events it was given; so is one whose unread changes were compacted away.

// watcher is one Watch.
type watcher struct {
	s        *Store
	t        *table
	sel      backend.Selector
	opts     store.WatchOptions
	progress chan struct{}
	route    *route // nil: woken by every commit; else by the route's changes (Stream.Wake)
	backend.Stream
}

// route is an indexed field value of one resource.
type route struct {
	t     *table
	field int
	value string
}

// routeOf returns the route of a selector that pins an indexed field, if any.
func routeOf(t *table, sel *backend.Selector) *route {
	if i, v, ok := sel.Indexed(); ok {
		return &route{t: t, field: i, value: v}
	}
	return nil
}

// wakeRoutes wakes the routed watchers of the indexed values the changes had before or have
// after. Called by the committer after apply.
func (s *Store) wakeRoutes(changes []change) {
	s.routesMu.Lock()
	defer s.routesMu.Unlock()
	if len(s.routes) == 0 {
		return
	}
	wake := func(t *table, idx []string) {
		for i, v := range idx {
			for w := range s.routes[route{t: t, field: i, value: v}] {
				w.Notify()
			}
		}
	}
	for i := range changes {
		c := &changes[i]
		if len(c.t.index) == 0 {
			continue
		}
		wake(c.t, c.req.idx)
		if c.prev != nil {
			wake(c.t, c.t.res.IndexValues(c.prev))
		}
	}
}

// item is one queued event and the revision it belongs to (0 for initial events).
type item struct {
	ev  watch.Event[runtime.Object]
	rev int64
}

// RequestProgress implements store.ProgressRequester.
func (w *watcher) RequestProgress() {
	select {
	case w.progress <- struct{}{}:
	default:
	}
}

// Watch implements store.Interface.
func (s *Store) Watch(ctx context.Context, gr schema.GroupResource, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	const op = "watch"
	if err := s.check(ctx, op, gr); err != nil {
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
		s:        s,
		t:        t,
		sel:      t.res.Selector(namespace, opts.Labels, opts.Fields),
		opts:     opts,
		progress: make(chan struct{}, 1),
	}
	w.Init(ctx, s.done)
	if w.route = routeOf(t, &w.sel); w.route != nil {
		// Registered before the start revision is read: no later change is missed.
		s.routesMu.Lock()
		set := s.routes[*w.route]
		if set == nil {
			set = map[*watcher]struct{}{}
			s.routes[*w.route] = set
		}
		set[w] = struct{}{}
		s.routesMu.Unlock()
	}
	var queue []item
	var fail *meta.Status
	s.mu.RLock()
	head := s.rev
	if opts.Revision > head {
		s.mu.RUnlock()
		w.unroute()
		return nil, tooLarge(op, gr, opts.Revision, head)
	}
	pos := head
	switch {
	case opts.SendInitialEvents:
		for _, e := range t.candidates(&w.sel) {
			if o := e.Latest().Obj; o != nil && w.sel.Matches(o) {
				queue = append(queue, item{ev: t.res.InitialEvent(o, 0, opts.SharedObjects)})
			}
		}
		if opts.Bookmarks {
			queue = append(queue, item{ev: t.res.InitialEvent(nil, head, true)})
		}
	case opts.Revision != 0 && opts.Revision < s.compacted:
		st := statusOf(expired(op, gr, opts.Revision, s.compacted))
		fail = &st
	case opts.Revision != 0:
		pos = opts.Revision // the history after it is read by the watcher's first scan
	}
	s.mu.RUnlock()
	s.closeMu.Lock() // no wg.Add once Close has begun to wait
	if s.closed.Load() {
		s.closeMu.Unlock()
		w.unroute()
		return nil, closedErr(op, gr)
	}
	s.watchers.Add(1)
	s.wg.Add(1)
	s.closeMu.Unlock()
	go w.run(queue, pos, head, fail)
	return w, nil
}

// unroute removes a routed watcher from the store's routes.
func (w *watcher) unroute() {
	if w.route == nil {
		return
	}
	s := w.s
	s.routesMu.Lock()
	defer s.routesMu.Unlock()
	set := s.routes[*w.route]
	delete(set, w)
	if len(set) == 0 {
		delete(s.routes, *w.route)
	}
}

// statusOf returns the Status of an API error.
func statusOf(err error) meta.Status { return backend.StatusOf(err) }

// scan queues the changes after pos that the watcher sees and returns the new position and
// the channel that is closed at the next commit. ok is false when changes after pos were
// compacted away before the watcher read them.
func (w *watcher) scan(queue []item, pos int64) ([]item, int64, <-chan struct{}, bool) {
	s := w.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	if pos < s.compacted {
		return queue, pos, nil, false
	}
	for _, ev := range s.history[pos-s.compacted:] {
		if out, ok := w.filter(ev); ok {
			queue = append(queue, item{ev: out, rev: ev.Rev})
		}
	}
	if w.route != nil {
		return queue, s.rev, w.Wake(), true
	}
	return queue, s.rev, s.notify, true
}

// filter returns the event the watcher gets for ev, if any.
func (w *watcher) filter(ev *event) (watch.Event[runtime.Object], bool) {
	if ev.t != w.t || w.sel.NS != "" && ev.e.NS != w.sel.NS {
		return watch.Event[runtime.Object]{}, false
	}
	if r := w.route; r != nil && (ev.Idx == nil || ev.Idx[r.field] != r.value) && (ev.PrevIdx == nil || ev.PrevIdx[r.field] != r.value) {
		return watch.Event[runtime.Object]{}, false // neither state has the watched value: skip without computing fields
	}
	return w.sel.Event(&ev.Change, w.opts.SharedObjects)
}

// run is the watcher's goroutine. queue holds the initial events, pos is the revision the
// stream has covered, head the store's revision when the watch started: changes up to head
// are replay and do not count against the watch buffer.
func (w *watcher) run(queue []item, pos, head int64, fail *meta.Status) {
	s := w.s
	defer func() {
		w.unroute()
		s.watchers.Add(-1)
		w.End()
		s.wg.Done()
	}()
	if fail != nil {
		w.Send(watch.NewError[runtime.Object](fail))
		return
	}
	var tick <-chan time.Time
	var timer interface {
		Reset(time.Duration) bool
		Stop() bool
	}
	if w.opts.Bookmarks {
		tm := s.clock.NewTimer(s.bookmarkEvery)
		defer tm.Stop()
		tick, timer = tm.C(), tm
	}
	live := 0 // queued changes after head
	for _, it := range queue {
		if it.rev > head {
			live++
		}
	}
	lastBookmark := int64(-1)
	bookmarkDue, progressWanted := false, false
	var notify <-chan struct{}
	rescan := func() bool {
		n := len(queue)
		var ok bool
		queue, pos, notify, ok = w.scan(queue, pos)
		for _, it := range queue[n:] {
			if it.rev > head {
				live++
			}
		}
		if !ok || live > s.watchBuffer {
			if l := s.log.V(4); l.Enabled() {
				l.Info("closing slow watcher", "resource", w.t.res.GroupResource.String(), "buffer", s.watchBuffer, "compacted", !ok)
			}
			w.Send(watch.NewError[runtime.Object](watch.SlowWatcherStatus(s.watchBuffer)))
			return false
		}
		return true
	}
	if !rescan() {
		return
	}
	for {
		if len(queue) == 0 {
			if progressWanted || bookmarkDue {
				// Catch up first: a routed watcher is not woken by changes it does not
				// see, but its bookmark must still carry the newest revision.
				if !rescan() {
					return
				}
				if len(queue) > 0 {
					continue
				}
			}
			if progressWanted || bookmarkDue && pos > lastBookmark {
				if !w.Send(watch.Event[runtime.Object]{Type: watch.Bookmark, Object: w.t.res.Bookmark(pos, false)}) {
					return
				}
				lastBookmark = pos
				progressWanted = false
			}
			if bookmarkDue {
				timer.Reset(s.bookmarkEvery)
				bookmarkDue = false
			}
			select {
			case <-notify:
				if !rescan() {
					return
				}
			case <-w.progress:
				progressWanted = true
				if !rescan() {
					return
				}
			case <-tick:
				bookmarkDue = true
			case <-w.Stopped():
				return
			case <-w.Done():
				return
			case <-w.Closed():
				return
			}
			continue
		}
		select {
		case w.Out() <- queue[0].ev:
			if queue[0].rev > head {
				live--
			}
			queue[0] = item{}
			queue = queue[1:]
		case <-notify:
			if !rescan() {
				return
			}
		case <-w.progress:
			progressWanted = true
			if !rescan() {
				return
			}
		case <-tick:
			bookmarkDue = true
		case <-w.Stopped():
			return
		case <-w.Done():
			return
		case <-w.Closed():
			return
		}
	}
}
