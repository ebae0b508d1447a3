package informer

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"time"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
)

// The reflector is the loop of Run: list (or stream the initial events), watch from the
// revision reached, resume after a dropped watch, relist when the revision expired, and wait
// with jittered exponential backoff after every failure so it never spins.

type outcome uint8

const (
	stopped     outcome = iota // ctx is done
	timedOut                   // our watch timeout: reconnect from the last revision at once
	closed                     // the source ended the stream without error (or as a slow watcher)
	expired                    // the revision is gone: relist
	outOfOrder                 // the stream broke its ordering promise: relist
	failed                     // an error: resume from the last revision after backoff
	unsupported                // the source rejected initial events: fall back to a list
)

// shortWatch is how long a watch that delivered nothing must stay open to count as healthy;
// a shorter one is followed by a backoff wait, so a source that closes every watch at once
// cannot make the informer spin.
const shortWatch = time.Second

func (inf *Informer[T]) reflect(ctx context.Context) {
	bo := newBackoff(inf.backoff, inf.clock, inf.rng)
	needList := true
	streaming := inf.initial == StreamingList
	for ctx.Err() == nil {
		if needList && !streaming {
			if err := inf.list(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				inf.failure(err)
				if !inf.sleep(ctx, bo.step()) {
					return
				}
				continue
			}
			needList = false
		}
		res, healthy, err := inf.watch(ctx, &needList)
		switch res {
		case stopped:
			return
		case timedOut:
			inf.log.V(4).Info("watch timeout, reconnecting", "revision", inf.lastRev.Load())
			continue
		case unsupported:
			inf.log.V(2).Info("source rejected initial events, falling back to list", "err", err.Error())
			streaming = false
			if !needList {
				// The initial events stood in for a watch from revision 0 (see watch): relist,
				// after a backoff wait, until the store has a revision to watch from.
				needList = true
				healthy = false
				break
			}
			continue
		case expired:
			inf.log.V(2).Info("revision expired, relisting", "revision", inf.lastRev.Load())
			needList = true
			inf.failure(err)
		case outOfOrder:
			needList = true
			inf.failure(err)
		case failed:
			inf.failure(err)
			healthy = false
		case closed:
			inf.log.V(4).Info("watch closed, resuming", "revision", inf.lastRev.Load())
		}
		if !healthy && !inf.sleep(ctx, bo.step()) {
			return
		}
	}
}

func (inf *Informer[T]) failure(err error) {
	inf.m.errors.Inc()
	inf.log.V(2).Info("list or watch failed", "err", err.Error())
	if inf.onError != nil {
		inf.onError(err)
	}
}

// sleep waits d on the clock; it returns false when ctx ended first.
func (inf *Informer[T]) sleep(ctx context.Context, d time.Duration) bool {
	t := inf.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C():
		return true
	}
}

func parseRev(obj runtime.MetaObject) (int64, error) {
	rv := obj.GetObjectMeta().ResourceVersion
	rev, err := strconv.ParseInt(rv, 10, 64)
	if err != nil || rev <= 0 {
		return 0, fmt.Errorf("informer: object %s: bad resourceVersion %q", KeyOf(obj), rv)
	}
	return rev, nil
}

func (inf *Informer[T]) convert(o runtime.Object) (T, int64, error) {
	obj, ok := o.(T)
	if !ok || isNil(obj) {
		var zero T
		return zero, 0, fmt.Errorf("informer: %w: got %T (nil: %t), want %T", ErrTypeMismatch, o, ok, zero)
	}
	rev, err := parseRev(obj)
	if err != nil {
		return obj, 0, err
	}
	if inf.transform != nil {
		key := KeyOf(obj)
		out, err := inf.transform(obj)
		if err != nil {
			return obj, 0, fmt.Errorf("informer: transform %s: %w", key, err)
		}
		if isNil(out) {
			return obj, 0, fmt.Errorf("informer: transform %s: returned nil", key)
		}
		if KeyOf(out) != key {
			return obj, 0, fmt.Errorf("informer: transform %s: changed the key to %s", key, KeyOf(out))
		}
		obj = out
	}
	return obj, rev, nil
}

// isNil reports whether obj is a nil pointer (or nil interface).
func isNil[T runtime.MetaObject](obj T) bool {
	v := reflect.ValueOf(obj)
	return !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil())
}

// list reads the complete state, page by page from one snapshot, and replaces the cache with
// it. A continue token that expired mid-way restarts the list in one request.
//
// Pages are read ahead: once the first page arrived with a continue token, a fetcher goroutine
// requests the following pages one after the other and hands them over through a buffer of
// listAhead pages, while this goroutine converts, transforms and stages the items of the
// current page, so that fetching and decoding (network and decoder work in a remote client)
// overlap with processing, and an uneven page on either side does not stall the other. The
// fetcher runs at most listAhead+1 pages ahead of the page being processed (listAhead in the
// buffer, one being fetched), so memory stays bounded by listAhead+2 pages plus the items
// kept. Calls of Source.List never overlap one another (the fetcher requests page N+1 only
// after page N returned, and the restart after an expired token waits for the fetcher to end),
// but they may run on a goroutine other than the informer's, concurrently with Transform.
// Items keep the source's order. Every exit joins the fetcher first: an error, a conversion or
// transform failure or the end of ctx cancels the request in flight (through a context derived
// from ctx) and waits for the fetcher to return, so list leaks no goroutine and returns as
// promptly as the source honours cancellation. An error of page N+1 is returned only after
// page N was processed, as a sequential list would (the fetcher stops at an error); an Expired
// continue token drops what was read and lists again in one request, without read-ahead.
func (inf *Informer[T]) list(ctx context.Context) error {
	start := inf.clock.Now()
	inf.m.lists.Inc()
	lctx, cancel := context.WithCancel(ctx)
	type page struct {
		l   *store.List
		err error
	}
	var pages chan page // the fetcher's pages, closed when it returns; nil when none runs
	join := func() {
		if pages != nil {
			for range pages {
			}
			pages = nil
		}
	}
	defer func() {
		cancel()
		join()
	}()
	opts := store.ListOptions{Labels: inf.labels, Fields: inf.fields, Limit: inf.pageSize}
	var items []T
	var rev int64
	// An initial list (the cache is empty, and only this goroutine writes it) builds the
	// cache's new state as it goes; a relist must compare with the cache at the end.
	var st *staging[T]
	if inf.cache.len() == 0 {
		st = &staging[T]{c: inf.cache.staged()}
	}
	l, err := inf.src.List(lctx, inf.ns, opts)
	continued := false // l and err answer a request with a continue token
	for {
		if err != nil {
			if continued && apierrors.IsResourceExpired(err) {
				join() // the fetcher stopped at the error
				inf.log.V(2).Info("list snapshot expired between pages, listing at once")
				opts = store.ListOptions{Labels: inf.labels, Fields: inf.fields}
				items, rev = nil, 0
				if st != nil {
					st = &staging[T]{c: inf.cache.staged()}
				}
				l, err = inf.src.List(lctx, inf.ns, opts)
				continued = false
				continue
			}
			return fmt.Errorf("informer: list: %w", err)
		}
		if rev == 0 {
			rev = l.Revision
			n := len(l.Items)
			if l.RemainingItemCount != nil {
				n += int(*l.RemainingItemCount)
			}
			items = make([]T, 0, n)
		}
		if l.Continue != "" && pages == nil {
			pages = make(chan page, listAhead)
			go func(opts store.ListOptions, ch chan<- page) {
				defer close(ch)
				for {
					l, err := inf.src.List(lctx, inf.ns, opts)
					select {
					case ch <- page{l, err}:
					case <-lctx.Done():
						return
					}
					if err != nil || l.Continue == "" {
						return
					}
					opts.Continue = l.Continue
				}
			}(store.ListOptions{Labels: opts.Labels, Fields: opts.Fields, Limit: opts.Limit, Continue: l.Continue}, pages)
		}
		for _, o := range l.Items {
			obj, _, err := inf.convert(o)
			if err != nil {
				return fmt.Errorf("informer: list: %w", err)
			}
			if st != nil {
				st.put(len(items), obj)
			}
			items = append(items, obj)
		}
		if l.Continue == "" { // the last page
			break
		}
		p, ok := <-pages
		if !ok {
			// The fetcher ends early only when the context ended (it hands over every
			// page and error before it returns otherwise).
			pages = nil
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("informer: list: %w", err)
			}
			return fmt.Errorf("informer: list: pages ended before the last one")
		}
		l, err, continued = p.l, p.err, true
	}
	if st != nil {
		inf.adopt(st, items, rev)
	} else {
		inf.replace(items, rev)
	}
	inf.m.listDur.Observe(inf.clock.Since(start).Seconds())
	inf.log.V(2).Info("listed", "items", len(items), "revision", rev)
	return nil
}

// listAhead is the number of fetched pages list buffers ahead of the page it processes. Two
// let a page that takes long to process, or to fetch, be absorbed without stalling the other
// side (at 100k pods with Dedup, 290-310 ms with a one-page hand-over, 250-255 with two).
const listAhead = 2

// watch runs one watch: from the last revision, or with the initial events when *needList
// is set (it clears *needList once they are all applied). It reports how it ended, whether it was healthy (delivered something or stayed open a
// while) and the error behind a failure.
func (inf *Informer[T]) watch(ctx context.Context, needList *bool) (outcome, bool, error) {
	initial := *needList
	if !initial && inf.lastRev.Load() == 0 {
		// The list saw a store that was never written (revision 0), and in the store contract
		// a watch from revision 0 means "from now": a write between the list and this watch
		// would be lost. Ask for the current state as initial events instead; it covers them.
		initial = true
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts := store.WatchOptions{
		Labels: inf.labels, Fields: inf.fields,
		Bookmarks: true, SendInitialEvents: initial, SharedObjects: inf.shared,
	}
	if !initial {
		opts.Revision = inf.lastRev.Load()
	}
	start := inf.clock.Now()
	inf.m.watches.Inc()
	w, err := inf.src.Watch(wctx, inf.ns, opts)
	if err != nil {
		if ctx.Err() != nil {
			return stopped, false, nil
		}
		return classify(err, initial)
	}
	defer func() {
		w.Stop()
		inf.m.watchDur.Observe(inf.clock.Since(start).Seconds())
	}()
	timeout := inf.watchTimeout + time.Duration(inf.rng.Float64()*float64(inf.watchTimeout))
	timer := inf.clock.NewTimer(timeout)
	defer timer.Stop()

	var pending []T // initial events not yet applied
	var streamMax int64
	events := 0
	healthy := func() bool { return events > 0 || inf.clock.Since(start) >= shortWatch }
	for {
		var ev watch.Event[runtime.Object]
		var ok bool
		select {
		case <-ctx.Done():
			return stopped, false, nil
		case <-timer.C():
			return timedOut, true, nil
		case ev, ok = <-w.ResultChan():
		}
		if !ok {
			if initial {
				return failed, false, fmt.Errorf("informer: watch: stream ended before the end of the initial events")
			}
			return closed, healthy(), nil
		}
		switch ev.Type {
		case watch.Error:
			st := ev.ErrorStatus()
			if st == nil {
				return failed, healthy(), fmt.Errorf("informer: watch: error event without status")
			}
			if watch.IsSlowWatcher(ev) {
				return closed, healthy(), nil
			}
			res, _, err := classify(apierrors.FromObject(*st), initial)
			return res, healthy(), err
		case watch.Bookmark:
			mo, isMeta := ev.Object.(runtime.MetaObject)
			if !isMeta {
				return failed, healthy(), fmt.Errorf("informer: watch: bookmark of type %T", ev.Object)
			}
			rev, err := parseRev(mo)
			if err != nil && initial && mo.GetObjectMeta().ResourceVersion == "0" {
				// The end of the initial events of a store that was never written.
				rev, err = 0, nil
			}
			if err != nil {
				return failed, healthy(), fmt.Errorf("informer: watch: bookmark: %w", err)
			}
			if initial {
				if mo.GetObjectMeta().Annotations[store.InitialEventsEndAnnotation] != "true" {
					continue
				}
				inf.replace(pending, rev)
				pending, initial, streamMax = nil, false, rev
				*needList = false
				events++
				continue
			}
			if rev < streamMax {
				return outOfOrder, healthy(), fmt.Errorf("informer: watch: %w: bookmark at %d after %d", ErrOutOfOrder, rev, streamMax)
			}
			streamMax = rev
			inf.setRev(rev)
		case watch.Added, watch.Modified, watch.Deleted:
			obj, rev, err := inf.convert(ev.Object)
			if err != nil {
				return failed, healthy(), fmt.Errorf("informer: watch: %w", err)
			}
			if initial {
				if ev.Type != watch.Added {
					return failed, healthy(), fmt.Errorf("informer: watch: %s event among the initial events", ev.Type)
				}
				pending = append(pending, obj)
				continue
			}
			if rev <= streamMax {
				return outOfOrder, healthy(), fmt.Errorf("informer: watch: %w: revision %d after %d", ErrOutOfOrder, rev, streamMax)
			}
			streamMax = rev
			if rev <= inf.lastRev.Load() {
				continue // a change the cache already holds, repeated by the source
			}
			inf.apply(ev.Type == watch.Deleted, obj, rev)
			events++
		default:
			return failed, healthy(), fmt.Errorf("informer: watch: unknown event type %q", ev.Type)
		}
	}
}

// classify maps a list or watch error to an outcome.
func classify(err error, initial bool) (outcome, bool, error) {
	switch {
	case apierrors.IsResourceExpired(err) || apierrors.IsGone(err):
		return expired, false, fmt.Errorf("informer: watch: %w", err)
	case initial && (apierrors.IsBadRequest(err) || apierrors.IsInvalid(err) || apierrors.IsMethodNotSupported(err)):
		return unsupported, false, fmt.Errorf("informer: watch with initial events: %w", err)
	}
	return failed, false, fmt.Errorf("informer: watch: %w", err)
}
