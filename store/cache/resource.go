package cache

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// ErrClosed is returned (wrapped) by operations that needed the cache after Close.
var ErrClosed = errors.New("cache closed")

// errWaitTimeout is what waitFor returns when the cache did not reach a revision within
// Options.WaitTimeout.
var errWaitTimeout = errors.New("cache did not reach the revision in time")

// errRelist tells the upstream loop to list again.
var errRelist = errors.New("relist")

type nsName struct{ ns, name string }

// entry and version are the cache's keys and the states the window needs (see
// backend.Entry); an entry dropped from the resource is marked Removed and filtered out of
// sorted at the next sort.
type (
	entry   = backend.Entry
	version = backend.Version
)

// event is one change of the window: what watchers are handed.
type event struct {
	backend.Change
	e *entry
}

// resource is the cache of one resource: its objects with the versions the window needs, the
// window of recent changes, the watchers, and the goroutines following the backend.
type resource struct {
	c   *Cache
	res *backend.Resource
	gr  schema.GroupResource

	startOnce sync.Once
	ready     chan struct{} // closed once the first list is in

	// watchMu serializes applying upstream changes (and pushing them to watchers) with the
	// registration of watchers, so a new watcher sees either the state before a change and
	// gets the change pushed, or the state after it. Lock order: watchMu, then mu, then
	// notifyMu.
	watchMu  sync.Mutex
	routes   map[backend.Route]map[*watcher]struct{}
	routeN   [backend.RouteField + 1]int // watchers per route kind
	watchers map[*watcher]struct{}

	// mu guards the state below. Readers hold it for reading and copy objects after
	// releasing it: stored objects are never modified.
	mu      sync.RWMutex
	entries map[nsName]*entry
	index   backend.Index // per indexed field: value -> entries having it in a kept version
	events  []*event      // the window, oldest first
	from    int64         // changes after from are all in events
	rev     int64         // the revision the cache reflects
	floor   int64         // compaction point requested through the cache

	sortMu   sync.Mutex // guards sorted, pending and removedN (taken under mu)
	sorted   []*entry
	pending  []*entry
	removedN int

	applied    atomic.Int64 // the state reflects every change up to it (readers may read it)
	dispatched atomic.Int64 // every change up to it was applied and handed to the watchers

	notifyMu sync.Mutex
	changed  chan struct{} // closed when applied or dispatched advance, or the upstream watch changes
	upGen    int64         // counts upstream watches, so waiters ask the new one for progress
	upstream watch.Interface[runtime.Object]

	progressKick   chan struct{}
	progressSeq    atomic.Int64 // numbers the progress requests of watchers
	progressServed atomic.Int64 // requests up to it were answered: dispatched reached the backend's revision
}

func newResource(c *Cache, r *backend.Resource) *resource {
	rs := &resource{
		c:            c,
		res:          r,
		gr:           r.GroupResource,
		ready:        make(chan struct{}),
		routes:       map[backend.Route]map[*watcher]struct{}{},
		watchers:     map[*watcher]struct{}{},
		entries:      map[nsName]*entry{},
		progressKick: make(chan struct{}, 1),
	}
	rs.resetIndex()
	return rs
}

func (r *resource) resetIndex() {
	r.index = backend.NewIndex(len(r.res.Indexes))
}

// start starts the upstream watch of the resource, once.
func (r *resource) start() {
	r.startOnce.Do(func() {
		r.c.spawn(r.run)
		r.c.spawn(r.progressLoop)
	})
}

// waitReady waits until the first list is in. It reports false when that takes longer than
// the wait bound (the caller then goes to the backend).
func (r *resource) waitReady(ctx context.Context) (bool, error) {
	select {
	case <-r.ready:
		return true, nil
	default:
	}
	t := r.c.clock.NewTimer(r.c.waitTimeout)
	defer t.Stop()
	select {
	case <-r.ready:
		return true, nil
	case <-t.C():
		return false, nil
	case <-ctx.Done():
		return false, ctx.Err()
	case <-r.c.ctx.Done():
		return false, nil
	}
}

// broadcast wakes every waitFor.
func (r *resource) broadcast() {
	r.notifyMu.Lock()
	if r.changed != nil {
		close(r.changed)
		r.changed = nil
	}
	r.notifyMu.Unlock()
}

// following reports whether an upstream watch is open.
func (r *resource) following() bool {
	r.notifyMu.Lock()
	defer r.notifyMu.Unlock()
	return r.upstream != nil
}

// waitFor waits until the counter (applied or dispatched) reached rev. It fails with
// errWaitTimeout after the wait bound, with ctx's error, or with ErrClosed.
func (r *resource) waitFor(ctx context.Context, counter *atomic.Int64, rev int64) error {
	if counter.Load() >= rev {
		return nil
	}
	var timer clock.Timer
	var timeout <-chan time.Time
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	gen := int64(-1)
	for {
		r.notifyMu.Lock()
		if counter.Load() >= rev {
			r.notifyMu.Unlock()
			return nil
		}
		if r.changed == nil {
			r.changed = make(chan struct{})
		}
		ch, g, up := r.changed, r.upGen, r.upstream
		r.notifyMu.Unlock()
		if g != gen {
			gen = g // a new upstream watch: ask it (the old one may have gone before answering)
			if p, ok := up.(store.ProgressRequester); ok {
				p.RequestProgress()
			}
		}
		if timer == nil {
			timer = r.c.clock.NewTimer(r.c.waitTimeout)
			timeout = timer.C()
		}
		select {
		case <-ch:
		case <-timeout:
			return errWaitTimeout
		case <-ctx.Done():
			return ctx.Err()
		case <-r.c.ctx.Done():
			return ErrClosed
		}
	}
}

// sleep waits before the next upstream attempt after failures consecutive failures: not at
// all after the first, then 50 ms doubling up to 5 s, with jitter. It reports false when the
// cache closed meanwhile.
func (r *resource) sleep(failures int) bool {
	if failures <= 1 {
		return r.c.ctx.Err() == nil
	}
	d := min(50*time.Millisecond<<min(failures-2, 10), 5*time.Second)
	d += time.Duration(rand.Int64N(int64(d)/4 + 1))
	t := r.c.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return true
	case <-r.c.ctx.Done():
		return false
	}
}

// run is the upstream goroutine: list, watch from the list's revision, resume from the last
// revision after the watch ends, list again when the backend says the revision expired.
func (r *resource) run() {
	ctx := r.c.ctx
	failures := 0
	needList := true
	for ctx.Err() == nil {
		if needList {
			if err := r.relist(ctx); err != nil {
				failures++
				r.c.log.V(4).Info("upstream list failed", "resource", r.gr.String(), "error", err.Error(), "failures", failures)
				if !r.sleep(failures) {
					return
				}
				continue
			}
			needList = false
		}
		w, err := r.openUpstream(ctx)
		if err != nil {
			if errors.Is(err, errRelist) || apierrors.IsResourceExpired(err) || apierrors.IsTooLargeResourceVersion(err) {
				needList = true
			}
			failures++
			r.c.log.V(4).Info("upstream watch failed", "resource", r.gr.String(), "error", err.Error(), "failures", failures)
			if !r.sleep(failures) {
				return
			}
			continue
		}
		if !r.isReady() {
			close(r.ready)
		}
		got, expired := r.consume(ctx, w)
		w.Stop()
		r.c.upstreams.Add(-1)
		r.notifyMu.Lock()
		r.upstream = nil
		r.notifyMu.Unlock()
		if expired {
			needList = true
		}
		if got {
			failures = 0
		} else {
			failures++
		}
		r.c.log.V(4).Info("upstream watch ended", "resource", r.gr.String(), "revision", r.dispatched.Load(), "expired", expired)
		if !r.sleep(failures) {
			return
		}
	}
}

// relistPage is the page size of the upstream list.
const relistPage = 5000

// relist replaces the cache's state by a fresh list from the backend. Watchers that were
// served before a relist that skipped revisions get an Expired error: the changes between
// their revision and the list's are unknown.
func (r *resource) relist(ctx context.Context) error {
	var items []runtime.MetaObject
	var rev int64
	opts := store.ListOptions{Limit: relistPage}
	for {
		l, err := r.c.backend.List(ctx, r.gr, "", opts)
		if err != nil {
			return fmt.Errorf("cache: list %s: %w", r.gr, err)
		}
		if rev == 0 {
			rev = l.Revision
		}
		items = append(items, l.Items...)
		if l.Continue == "" {
			break
		}
		opts = store.ListOptions{Limit: relistPage, Continue: l.Continue}
	}
	entries := make(map[nsName]*entry, len(items))
	sorted := make([]*entry, 0, len(items))
	for _, o := range items {
		m := o.GetObjectMeta()
		orev, err := strconv.ParseInt(m.ResourceVersion, 10, 64)
		if err != nil {
			return fmt.Errorf("cache: list %s: object %s/%s has resourceVersion %q", r.gr, m.Namespace, m.Name, m.ResourceVersion)
		}
		e := &entry{NS: m.Namespace, Name: m.Name, Versions: []version{{Rev: orev, Obj: o, Idx: r.res.IndexValues(o)}}}
		entries[nsName{e.NS, e.Name}] = e
		sorted = append(sorted, e)
	}
	sort.Slice(sorted, func(i, j int) bool { return backend.EntryLess(sorted[i], sorted[j]) })

	r.watchMu.Lock()
	r.mu.Lock()
	old := r.rev
	if r.sameState(entries) {
		// Nothing this resource holds changed between the cache's revision and the list's:
		// no watcher missed anything, and the window stays whole.
		r.rev = max(r.rev, rev)
		rev = r.rev
		r.mu.Unlock()
	} else {
		r.entries = entries
		r.resetIndex()
		for _, e := range sorted {
			r.index.Add(e, e.Versions[0].Idx)
		}
		r.sortMu.Lock()
		r.sorted, r.pending, r.removedN = sorted, nil, 0
		r.sortMu.Unlock()
		clear(r.events)
		r.events = nil
		r.from, r.rev = rev, rev
		r.mu.Unlock()
		st := backend.StatusOf(backend.Expired("watch", r.gr, old, rev))
		for w := range r.watchers {
			w.end(&st)
		}
	}
	r.applied.Store(rev)
	r.dispatched.Store(rev)
	r.watchMu.Unlock()
	r.broadcast()
	r.c.log.V(4).Info("listed", "resource", r.gr.String(), "revision", rev, "objects", len(items))
	return nil
}

// sameState reports whether the current objects of the cache are exactly those of entries
// (same keys at the same revisions). Callers hold mu.
func (r *resource) sameState(entries map[nsName]*entry) bool {
	n := 0
	for k, e := range r.entries {
		l := e.Latest()
		if l.Obj == nil {
			continue
		}
		n++
		ne := entries[k]
		if ne == nil || ne.Versions[0].Rev != l.Rev {
			return false
		}
	}
	return n == len(entries)
}

func (r *resource) isReady() bool {
	select {
	case <-r.ready:
		return true
	default:
		return false
	}
}

// openUpstream starts the upstream watch from the cache's revision. A cache at revision 0
// (a store never written) watches from "now" and checks that the store is still at 0, as
// "now" could otherwise be after a write the list did not see.
func (r *resource) openUpstream(ctx context.Context) (watch.Interface[runtime.Object], error) {
	rev := r.dispatched.Load()
	w, err := r.c.backend.Watch(ctx, r.gr, "", store.WatchOptions{Revision: rev, SharedObjects: true})
	if err != nil {
		return nil, fmt.Errorf("cache: watch %s from %d: %w", r.gr, rev, err)
	}
	if rev == 0 {
		cur, err := r.c.revs.get(ctx)
		if err != nil || cur != 0 {
			w.Stop()
			if err != nil {
				return nil, err
			}
			return nil, errRelist
		}
	}
	r.c.upstreams.Add(1)
	r.notifyMu.Lock()
	r.upstream = w
	r.upGen++
	if r.changed != nil {
		close(r.changed)
		r.changed = nil
	}
	r.notifyMu.Unlock()
	return w, nil
}

// maxBatch bounds the upstream events applied under one lock.
const maxBatch = 256

// consume applies the events of an upstream watch until it ends. It reports whether any
// event came and whether the watch ended with Expired.
func (r *resource) consume(ctx context.Context, w watch.Interface[runtime.Object]) (got, expired bool) {
	ch := w.ResultChan()
	batch := make([]watch.Event[runtime.Object], 0, maxBatch)
	for {
		var ev watch.Event[runtime.Object]
		var ok bool
		select {
		case ev, ok = <-ch:
		case <-ctx.Done():
			return got, false
		}
		if !ok {
			return got, false
		}
		got = true
		batch = append(batch[:0], ev)
	more:
		for len(batch) < maxBatch && batch[len(batch)-1].Type != watch.Error {
			select {
			case ev, ok := <-ch:
				if !ok {
					break more
				}
				batch = append(batch, ev)
			default:
				break more
			}
		}
		if st := r.apply(batch); st != nil {
			err := apierrors.FromObject(*st)
			r.c.log.V(4).Info("upstream watch error", "resource", r.gr.String(), "error", err.Error())
			return got, apierrors.IsResourceExpired(err) || apierrors.IsGone(err)
		}
		clear(batch)
	}
}

// apply applies a batch of upstream events and hands the changes to the watchers. It returns
// the status of an Error event that ends the batch, if any.
func (r *resource) apply(batch []watch.Event[runtime.Object]) *meta.Status {
	var final *meta.Status
	evs := make([]*event, 0, len(batch))
	r.watchMu.Lock()
	r.mu.Lock()
	for _, ue := range batch {
		switch ue.Type {
		case watch.Error:
			final = ue.ErrorStatus()
			if final == nil {
				st := backend.StatusOf(fmt.Errorf("cache: watch %s: error event without a status", r.gr))
				final = &st
			}
			continue
		case watch.Added, watch.Modified, watch.Deleted, watch.Bookmark:
		default:
			continue
		}
		obj, ok := ue.Object.(runtime.MetaObject)
		if !ok || obj == nil {
			r.c.log.V(4).Info("upstream event without an object", "resource", r.gr.String(), "type", string(ue.Type))
			continue
		}
		rev, err := strconv.ParseInt(obj.GetObjectMeta().ResourceVersion, 10, 64)
		if err != nil || rev <= r.rev {
			continue // unparsable, or a revision already applied
		}
		if ue.Type == watch.Bookmark {
			r.rev = rev
			continue
		}
		if ev := r.commitLocked(ue.Type, obj, rev); ev != nil {
			evs = append(evs, ev)
		}
		r.rev = rev
	}
	r.trimLocked()
	rev := r.rev
	r.applied.Store(rev)
	r.mu.Unlock()
	r.broadcast() // readers and writers wait for applied only
	if len(evs) > 0 {
		r.route(evs)
	}
	r.dispatched.Store(rev)
	r.watchMu.Unlock()
	r.broadcast()
	return final
}

// commitLocked applies one change at rev and appends it to the window. Callers hold mu.
func (r *resource) commitLocked(typ watch.EventType, obj runtime.MetaObject, rev int64) *event {
	m := obj.GetObjectMeta()
	k := nsName{m.Namespace, m.Name}
	e := r.entries[k]
	ev := &event{Change: backend.Change{Rev: rev}, e: e}
	if e != nil {
		l := e.Latest()
		ev.Prev, ev.PrevIdx = l.Obj, l.Idx
	}
	if typ == watch.Deleted {
		if ev.Prev == nil {
			return nil // nothing to delete: the cache never had it
		}
		ev.Type, ev.Obj = watch.Deleted, obj
		e.Versions = append(e.Versions, version{Rev: rev})
		r.events = append(r.events, ev)
		return ev
	}
	idx := r.res.IndexValues(obj)
	if e == nil {
		e = &entry{NS: m.Namespace, Name: m.Name}
		r.entries[k] = e
		ev.e = e
		r.sortMu.Lock()
		r.pending = append(r.pending, e)
		r.sortMu.Unlock()
	}
	ev.Obj, ev.Idx = obj, idx
	if ev.Prev == nil {
		ev.Type = watch.Added
	} else {
		ev.Type = watch.Modified
	}
	e.Versions = append(e.Versions, version{Rev: rev, Obj: obj, Idx: idx})
	r.index.Add(e, idx)
	r.events = append(r.events, ev)
	return ev
}

// trimLocked drops the oldest changes beyond the history size and those at or before the
// compaction point, with the versions only they needed. Callers hold mu.
func (r *resource) trimLocked() {
	n := 0
	for n < len(r.events) && (len(r.events)-n > r.c.historySize || r.events[n].Rev <= r.floor) {
		ev := r.events[n]
		r.events[n] = nil
		n++
		r.from = ev.Rev
		r.trimEntry(ev.e)
	}
	if n > 0 {
		r.events = r.events[n:]
		if cap(r.events) > 4*len(r.events)+64 {
			r.events = slices.Clone(r.events) // let the dropped prefix go
		}
	}
	if f := min(r.floor, r.rev); f > r.from {
		r.from = f
	}
}

// trimEntry drops the versions of e that no read at or after from needs, and e itself when
// nothing is left. Callers hold mu.
func (r *resource) trimEntry(e *entry) {
	if !r.index.Prune(e, r.from) {
		return
	}
	if r.entries[nsName{e.NS, e.Name}] == e {
		delete(r.entries, nsName{e.NS, e.Name})
	}
	e.Versions = nil
	e.Removed = true
	r.sortMu.Lock()
	r.removedN++
	r.sortMu.Unlock()
}

// sortedEntries returns every entry in key order. Callers hold mu (read or write). New keys
// wait in pending and are merged in on the next call; removed ones are filtered out then.
// Writers (which add to pending) hold mu for writing, so while readers share mu the slice
// changes at most once, in the first call.
func (r *resource) sortedEntries() []*entry {
	r.sortMu.Lock()
	defer r.sortMu.Unlock()
	if r.removedN > 0 {
		kept := r.sorted[:0]
		for _, e := range r.sorted {
			if !e.Removed {
				kept = append(kept, e)
			}
		}
		clear(r.sorted[len(kept):])
		r.sorted = kept
		p := r.pending[:0]
		for _, e := range r.pending {
			if !e.Removed {
				p = append(p, e)
			}
		}
		clear(r.pending[len(p):])
		r.pending = p
		r.removedN = 0
	}
	if len(r.pending) > 0 {
		if len(r.pending) > len(r.sorted)/8 {
			r.sorted = append(r.sorted, r.pending...)
			sort.Slice(r.sorted, func(i, j int) bool { return backend.EntryLess(r.sorted[i], r.sorted[j]) })
		} else {
			r.sorted = backend.MergeSorted(r.sorted, r.pending)
		}
		clear(r.pending)
		r.pending = r.pending[:0]
	}
	return r.sorted
}

// compact drops the history at or before revision from the window (see Cache.Compact).
func (r *resource) compact(revision int64) {
	r.mu.Lock()
	if revision > r.floor {
		r.floor = revision
		r.trimLocked()
	}
	r.mu.Unlock()
}

// progressLoop answers the progress requests of watchers (RequestProgress and periodic
// bookmarks): it learns the backend's current revision, waits until the cache has dispatched
// it, and wakes the watchers that asked, which then send a bookmark at least that new.
func (r *resource) progressLoop() {
	ctx := r.c.ctx
	failures := 0
	for {
		select {
		case <-r.progressKick:
		case <-ctx.Done():
			return
		}
		seq := r.progressSeq.Load()
		rev, err := r.c.revs.get(ctx)
		if err == nil {
			err = r.waitFor(ctx, &r.dispatched, rev)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			r.c.log.V(4).Info("progress request failed", "resource", r.gr.String(), "error", err.Error())
			r.kickProgress()
			if !r.sleep(failures + 1) {
				return
			}
			continue
		}
		failures = 0
		r.progressServed.Store(seq)
		r.watchMu.Lock()
		for w := range r.watchers {
			if w.progressWant.Load() != 0 {
				w.Notify()
			}
		}
		r.watchMu.Unlock()
	}
}

func (r *resource) kickProgress() {
	select {
	case r.progressKick <- struct{}{}:
	default:
	}
}
