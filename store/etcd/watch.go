package etcd

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Watches
//
// Every Watch opens its own etcd watch stream (a clientv3.Watcher of its own) on the key range
// of its namespace or resource, from the revision after the one asked for, with WithPrevKV so
// that updates and deletes carry the state before them: that is what types selector
// transitions (an update that makes an object match is ADDED, one that makes it stop matching
// is DELETED with its last matching state) and what a DELETED event carries. Its own stream
// makes RequestProgress (etcd's progress request, answered once every event up to the
// store's current revision was sent) concern this watch alone; periodic bookmarks are
// progress requests sent when the store's clock says the bookmark interval passed.
//
// One goroutine per watch moves etcd's responses into a buffer and from the buffer to the
// consumer. When the consumer falls more than WatchBuffer events behind, the etcd watch is
// closed, the buffered events are delivered, and an Error event with a TooManyRequests
// status ends the stream; the consumer resumes from the last revision it got. etcd's own
// compaction of a revision the watch needs ends the stream with an Expired error, as does an
// update or delete whose previous state etcd could no longer send.

type watcher struct {
	s      *Store
	t      *table
	sel    selector
	opts   store.WatchOptions
	out    chan watch.Event[runtime.Object]
	stopCh chan struct{}
	once   sync.Once
	prog   chan struct{} // RequestProgress calls, capacity 1
}

var (
	_ watch.Interface[runtime.Object] = (*watcher)(nil)
	_ store.ProgressRequester         = (*watcher)(nil)
)

// ResultChan implements watch.Interface.
func (w *watcher) ResultChan() <-chan watch.Event[runtime.Object] { return w.out }

// Stop implements watch.Interface.
func (w *watcher) Stop() { w.once.Do(func() { close(w.stopCh) }) }

// RequestProgress implements store.ProgressRequester.
func (w *watcher) RequestProgress() {
	select {
	case w.prog <- struct{}{}:
	default:
	}
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
	if err := t.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	if opts.Revision < 0 {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: watch %s: negative revision %d", gr, opts.Revision))
	}
	head, err := s.head(ctx)
	if err != nil {
		return nil, mapErr(ctx, op, gr, "", err)
	}
	if opts.Revision > head {
		return nil, tooLarge(op, gr, opts.Revision, head)
	}
	w := &watcher{
		s:      s,
		t:      t,
		sel:    newSelector(t, opts.Labels, opts.Fields),
		opts:   opts,
		out:    make(chan watch.Event[runtime.Object], 16),
		stopCh: make(chan struct{}),
		prog:   make(chan struct{}, 1),
	}
	scope := t.scope(namespace)
	var initial []watch.Event[runtime.Object]
	from := head // the stream delivers the changes after from
	switch {
	case opts.SendInitialEvents:
		start, end := scope, clientv3.GetPrefixRangeEnd(scope)
		if k, ok := w.sel.singleKey(namespace); ok {
			start, end = k, k+"\x00"
		}
		items, rev, _, _, err := s.scan(ctx, op, t, start, end, readPlan{}, &w.sel, 0)
		if err != nil {
			return nil, err
		}
		initial = make([]watch.Event[runtime.Object], 0, len(items)+1)
		for _, o := range items {
			initial = append(initial, watch.Event[runtime.Object]{Type: watch.Added, Object: o})
		}
		initial = append(initial, watch.Event[runtime.Object]{Type: watch.Bookmark, Object: w.bookmark(rev, true)})
		from = rev
	case opts.Revision != 0:
		from = opts.Revision
	}
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	ew := clientv3.NewWatcher(s.client)
	key, end := scope, clientv3.GetPrefixRangeEnd(scope)
	if k, ok := w.sel.singleKey(namespace); ok {
		key, end = k, k+"\x00" // one object: etcd sends only its changes
	}
	eopts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithRev(from + 1), clientv3.WithPrevKV()}
	if opts.Bookmarks {
		eopts = append(eopts, clientv3.WithProgressNotify())
	}
	ch := ew.Watch(wctx, key, eopts...)
	s.watchers.Add(1)
	go w.run(ctx, wctx, cancel, ew, ch, initial, from)
	return w, nil
}

func (w *watcher) bookmark(rev int64, initialEnd bool) runtime.MetaObject {
	o := w.t.res.New()
	o.GetObjectKind().SetGroupVersionKind(w.t.res.Kind)
	m := o.GetObjectMeta()
	m.ResourceVersion = backend.FormatRevision(rev)
	if initialEnd {
		m.Annotations = map[string]string{store.InitialEventsEndAnnotation: "true"}
	}
	return o
}

// statusOf returns the Status of an API error.
func statusOf(err error) *meta.Status {
	st := backend.StatusOf(err)
	return &st
}

// run is the goroutine of a watch: it owns the etcd watch and the buffer.
// ctx is the caller's (its end ends the stream), uctx the etcd watch's, which cancel ends.
func (w *watcher) run(ctx, uctx context.Context, cancel context.CancelFunc, ew clientv3.Watcher, in clientv3.WatchChan, buf []watch.Event[runtime.Object], lastRev int64) {
	gr := w.t.res.GroupResource
	closeUpstream := func() {
		cancel()
		_ = ew.Close()
	}
	defer func() {
		closeUpstream()
		w.s.watchers.Add(-1)
		close(w.out)
	}()
	limit := len(buf) + w.s.watchBuffer
	var tick <-chan time.Time
	var timer interface {
		Reset(time.Duration) bool
		Stop() bool
	}
	if w.opts.Bookmarks {
		tm := w.s.clock.NewTimer(w.s.bookmarkEvery)
		defer tm.Stop()
		tick, timer = tm.C(), tm
	}
	var final *meta.Status // the error that ends the stream once buf is delivered
	ended := false
	end := func(st *meta.Status) {
		final, ended, in = st, true, nil
		closeUpstream()
	}
	// pending > 0 is a progress request waiting for etcd's answer: a bookmark at a revision
	// at least pending. etcd drops progress requests while the watcher catches up with old
	// revisions, so an unanswered request is repeated every progressRetry.
	var pending int64
	var retry *time.Timer
	var retryC <-chan time.Time
	defer func() {
		if retry != nil {
			retry.Stop()
		}
	}()
	bookmarkAt := func(rev int64) {
		buf = append(buf, watch.Event[runtime.Object]{Type: watch.Bookmark, Object: w.bookmark(rev, false)})
		pending, retryC = 0, nil
	}
	askProgress := func() {
		if ended {
			return
		}
		h, err := w.s.head(uctx)
		if err != nil {
			if uctx.Err() == nil {
				end(statusOf(mapErr(uctx, "watch", gr, "", err)))
			}
			return
		}
		if h <= lastRev {
			bookmarkAt(lastRev) // nothing after lastRev exists yet: the stream is complete
			return
		}
		pending = max(pending, h)
		if err := ew.RequestProgress(uctx); err != nil {
			if uctx.Err() == nil {
				end(statusOf(mapErr(uctx, "watch", gr, "", err)))
			}
			return
		}
		if retry == nil {
			retry = time.NewTimer(progressRetry)
		} else {
			retry.Reset(progressRetry)
		}
		retryC = retry.C
	}
	for {
		var outCh chan watch.Event[runtime.Object]
		var head watch.Event[runtime.Object]
		if len(buf) > 0 {
			outCh, head = w.out, buf[0]
		} else if ended {
			if final != nil {
				select {
				case w.out <- watch.NewError[runtime.Object](final):
				case <-w.stopCh:
				case <-ctx.Done():
				}
			}
			return
		}
		select {
		case outCh <- head:
			buf[0] = watch.Event[runtime.Object]{}
			buf = buf[1:]
		case resp, ok := <-in:
			switch {
			case !ok:
				if ctx.Err() != nil || uctx.Err() != nil {
					return // stopped or the caller's ctx is done
				}
				end(statusOf(apierrors.NewServiceUnavailable(fmt.Sprintf("etcd: watch %s: stream closed by etcd", gr))))
				continue
			case resp.CompactRevision != 0:
				w.s.noteCompacted(resp.CompactRevision)
				end(statusOf(expired("watch", gr, lastRev, resp.CompactRevision)))
				continue
			case resp.Err() != nil:
				end(statusOf(mapErr(ctx, "watch", gr, "", resp.Err())))
				continue
			case resp.IsProgressNotify():
				r := resp.Header.Revision
				if r >= lastRev && (pending > 0 && r >= pending || w.opts.Bookmarks) {
					lastRev = r
					bookmarkAt(r)
				}
				continue
			}
			for _, ev := range resp.Events {
				out, keep, err := w.convert(ev)
				if err != nil {
					end(statusOf(err))
					break
				}
				lastRev = ev.Kv.ModRevision
				if keep {
					buf = append(buf, out)
				}
			}
			if ended {
				continue
			}
			if len(buf) > limit {
				w.s.log.V(4).Info("closing slow watcher", "resource", gr.String(), "buffer", w.s.watchBuffer)
				end(watch.SlowWatcherStatus(w.s.watchBuffer))
				continue
			}
			if pending > 0 && lastRev >= pending {
				bookmarkAt(lastRev) // the events of every revision up to lastRev were delivered
			}
		case <-w.prog:
			askProgress()
		case <-tick:
			timer.Reset(w.s.bookmarkEvery)
			askProgress()
		case <-retryC:
			retryC = nil
			if pending > 0 && !ended {
				if err := ew.RequestProgress(uctx); err != nil && uctx.Err() == nil {
					end(statusOf(mapErr(uctx, "watch", gr, "", err)))
					continue
				}
				retry.Reset(progressRetry)
				retryC = retry.C
			}
		case <-w.stopCh:
			return
		case <-ctx.Done():
			return
		}
	}
}

// progressRetry is how often an unanswered progress request is repeated: the period of etcd's
// loop that brings lagging watchers up to date (progress requests are dropped until then).
// It paces requests to etcd rather than anything the consumer observes, so it runs on real
// time even when the store is given a fake clock.
const progressRetry = 100 * time.Millisecond

// convert turns an etcd event into the watch event this watcher delivers, if any.
func (w *watcher) convert(ev *clientv3.Event) (watch.Event[runtime.Object], bool, error) {
	gr := w.t.res.GroupResource
	rev := ev.Kv.ModRevision
	key := string(ev.Kv.Key)
	var prev runtime.MetaObject
	if ev.PrevKv != nil {
		p, err := w.t.decode(key, ev.PrevKv.Value, rev) // stamped with the event's revision
		if err != nil {
			return watch.Event[runtime.Object]{}, false, corrupt("watch", gr, err)
		}
		prev = p
	}
	if ev.Type == mvccpb.DELETE {
		if prev == nil {
			return watch.Event[runtime.Object]{}, false, expired("watch", gr, rev-1, rev)
		}
		if !w.sel.matches(prev) {
			return watch.Event[runtime.Object]{}, false, nil
		}
		return watch.Event[runtime.Object]{Type: watch.Deleted, Object: prev}, true, nil
	}
	obj, err := w.t.decode(key, ev.Kv.Value, rev)
	if err != nil {
		return watch.Event[runtime.Object]{}, false, corrupt("watch", gr, err)
	}
	is := w.sel.matches(obj)
	if ev.IsCreate() {
		if !is {
			return watch.Event[runtime.Object]{}, false, nil
		}
		return watch.Event[runtime.Object]{Type: watch.Added, Object: obj}, true, nil
	}
	if prev == nil {
		// The state before the update was compacted before etcd could send it: the
		// transition cannot be typed.
		return watch.Event[runtime.Object]{}, false, expired("watch", gr, rev-1, rev)
	}
	was := w.sel.matches(prev)
	switch {
	case was && is:
		return watch.Event[runtime.Object]{Type: watch.Modified, Object: obj}, true, nil
	case is:
		return watch.Event[runtime.Object]{Type: watch.Added, Object: obj}, true, nil
	case was:
		return watch.Event[runtime.Object]{Type: watch.Deleted, Object: prev}, true, nil
	}
	return watch.Event[runtime.Object]{}, false, nil
}
