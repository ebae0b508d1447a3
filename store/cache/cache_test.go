package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func rvOf(o runtime.MetaObject) int64 {
	n, _ := strconv.ParseInt(o.GetObjectMeta().ResourceVersion, 10, 64)
	return n
}

func TestNewValidatesOptions(t *testing.T) {
	mem, err := memory.New(memory.Options{Resources: storetest.Resources()})
	if err != nil {
		t.Fatal(err)
	}
	res := storetest.Resources()
	tests := []struct {
		name string
		b    store.Interface
		opts Options
	}{
		{"nil backend", nil, Options{Resources: res}},
		{"no resources", mem, Options{}},
		{"resource listed twice", mem, Options{Resources: append(res, res[0])}},
		{"negative history", mem, Options{Resources: res, HistorySize: -1}},
		{"negative watch buffer", mem, Options{Resources: res, WatchBuffer: -1}},
		{"negative bookmark interval", mem, Options{Resources: res, BookmarkInterval: -time.Second}},
		{"negative wait timeout", mem, Options{Resources: res, WaitTimeout: -time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.b, tt.opts)
			if err == nil {
				c.Close()
				t.Fatal("New succeeded, want an error")
			}
		})
	}
}

// TestLatestNeverStale: a Latest read through the cache sees every write that completed
// before it, even when the cache's upstream watch is stalled: it waits for the cache to catch
// up, and when the cache does not within the wait bound, it reads the backend. Any reads the
// cache as it is.
func TestLatestNeverStale(t *testing.T) {
	s := newSetup(t, Options{Eager: true})
	a, err := s.cached.Create(s.ctx, widget("ns1", "a", "n1"))
	if err != nil {
		t.Fatal(err)
	}
	s.f.hold(true) // the upstream watch stalls from here
	a.Status.Phase = "Updated"
	updated, err := s.direct.Update(s.ctx, a)
	if err != nil {
		t.Fatal(err)
	}

	// Any: the cache's state, which the stall keeps old.
	got, err := s.cached.Get(s.ctx, "ns1", "a", store.GetOptions{Consistency: store.Any})
	if err != nil || got.ResourceVersion != a.ResourceVersion {
		t.Fatalf("Any read = %v, %v; want the cached state at %s", got, err, a.ResourceVersion)
	}

	// Latest waits; once the upstream flows again it is served by the cache, fresh.
	getCh := async(func() (*storetest.Widget, error) {
		return s.cached.Get(s.ctx, "ns1", "a", store.GetOptions{})
	})
	s.blockUntilWaiters(t, 1) // the read waits, bounded by a timer
	select {
	case r := <-getCh:
		t.Fatalf("Latest read returned %v, %v while the cache was behind", r.v, r.err)
	default:
	}
	s.f.hold(false)
	got, err = await(t, getCh)
	if err != nil || got.ResourceVersion != updated.ResourceVersion || got.Status.Phase != "Updated" {
		t.Fatalf("Latest read after catching up = %+v, %v; want phase Updated at %s", got, err, updated.ResourceVersion)
	}

	// When the cache does not catch up within the bound, the backend answers.
	s.f.hold(true)
	b, err := s.direct.Create(s.ctx, widget("ns1", "b", "n2"))
	if err != nil {
		t.Fatal(err)
	}
	listCh := async(func() (*store.TypedList[*storetest.Widget], error) {
		return s.cached.List(s.ctx, "ns1", store.ListOptions{})
	})
	s.blockUntilWaiters(t, 1)
	s.clock.Step(DefaultWaitTimeout)
	l, err := await(t, listCh)
	if err != nil {
		t.Fatal(err)
	}
	if l.Revision < rvOf(b) || len(l.Items) != 2 {
		t.Fatalf("Latest list while the cache stalls: revision %d with %d items, want at least %d with 2", l.Revision, len(l.Items), rvOf(b))
	}

	// NotOlderThan a revision the cache cannot reach in time fails with TooLarge.
	nctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	notOlder := async(func() (*storetest.Widget, error) {
		return s.cached.Get(nctx, "ns1", "b", store.GetOptions{Consistency: store.NotOlderThan, Revision: rvOf(b)})
	})
	s.blockUntilWaiters(t, 1)
	s.clock.Step(DefaultWaitTimeout)
	if _, err := await(t, notOlder); !apierrors.IsTooLargeResourceVersion(err) {
		t.Fatalf("NotOlderThan a revision the cache did not reach: %v, want TooLargeResourceVersion", err)
	}
	// A revision beyond the backend's fails at once, without waiting.
	if _, err := s.cached.Get(s.ctx, "ns1", "b", store.GetOptions{Consistency: store.NotOlderThan, Revision: rvOf(b) + 10}); !apierrors.IsTooLargeResourceVersion(err) {
		t.Fatalf("NotOlderThan the future: %v, want TooLargeResourceVersion", err)
	}
	s.f.hold(false)
}

// TestLatestNeverStaleUnderLag: writers write to the backend directly (as another server
// would) while the cache's upstream watch delivers every event late; every Latest read
// through the cache reflects every write acknowledged before the read started.
func TestLatestNeverStaleUnderLag(t *testing.T) {
	s := newSetup(t, Options{Eager: true, Clock: clock.Real()})
	s.f.mu.Lock()
	s.f.lag = 2 * time.Millisecond
	s.f.mu.Unlock()
	const keys, writers, readers, writes = 4, 3, 3, 60
	for k := 0; k < keys; k++ {
		if _, err := s.direct.Create(s.ctx, widget("ns1", fmt.Sprintf("k%d", k), "")); err != nil {
			t.Fatal(err)
		}
	}
	var acked [keys]atomic.Int64 // per key, the newest acknowledged revision
	var done atomic.Bool
	var wg sync.WaitGroup
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(i), 7))
			for n := 0; n < writes; n++ {
				k := rnd.IntN(keys)
				out, err := s.direct.GuaranteedUpdate(s.ctx, "ns1", fmt.Sprintf("k%d", k), func(w *storetest.Widget) (*storetest.Widget, error) {
					w.Spec.Size++
					return w, nil
				}, store.UpdateOptions{})
				if err != nil {
					t.Error(err)
					return
				}
				for r := rvOf(out); ; {
					cur := acked[k].Load()
					if cur >= r || acked[k].CompareAndSwap(cur, r) {
						break
					}
				}
			}
		}()
	}
	var reads atomic.Int64
	var rwg sync.WaitGroup
	for i := 0; i < readers; i++ {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for n := 0; n < 20 || !done.Load(); n++ {
				var before [keys]int64
				for k := range before {
					before[k] = acked[k].Load()
				}
				if i%2 == 0 {
					l, err := s.cached.List(s.ctx, "ns1", store.ListOptions{})
					if err != nil {
						t.Error(err)
						return
					}
					for _, it := range l.Items {
						k, _ := strconv.Atoi(it.Name[1:])
						if rvOf(it) < before[k] {
							t.Errorf("Latest list shows %s at %d, older than the acknowledged write at %d", it.Name, rvOf(it), before[k])
						}
					}
				} else {
					k := i % keys
					got, err := s.cached.Get(s.ctx, "ns1", fmt.Sprintf("k%d", k), store.GetOptions{})
					if err != nil {
						t.Error(err)
						return
					}
					if rvOf(got) < before[k] {
						t.Errorf("Latest get of k%d at %d, older than the acknowledged write at %d", k, rvOf(got), before[k])
					}
				}
				reads.Add(1)
			}
		}()
	}
	wg.Wait()
	done.Store(true)
	rwg.Wait()
	if reads.Load() == 0 {
		t.Fatal("no read ran")
	}
	t.Logf("%d Latest reads checked against %d writes", reads.Load(), writers*writes)
}

// collect reads n events of w, failing after 10s.
func collect(t *testing.T, w watch.Interface[*storetest.Widget], n int) []watch.Event[*storetest.Widget] {
	t.Helper()
	var out []watch.Event[*storetest.Widget]
	for len(out) < n {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				t.Fatalf("watch ended after %d events, want %d", len(out), n)
			}
			out = append(out, ev)
		case <-time.After(10 * time.Second):
			t.Fatalf("got %d events within 10s, want %d", len(out), n)
		}
	}
	return out
}

type short struct {
	Type watch.EventType
	Name string
	RV   int64
}

func shorts(evs []watch.Event[*storetest.Widget]) []short {
	out := make([]short, len(evs))
	for i, ev := range evs {
		if ev.Type == watch.Error {
			out[i] = short{Type: ev.Type, Name: string(ev.ErrorStatus().Reason)}
			continue
		}
		out[i] = short{ev.Type, ev.Object.Name, rvOf(ev.Object)}
	}
	return out
}

// TestWatchersResumeAcrossUpstreamDrops: the upstream watch ends (cleanly, with a
// TooManyRequests error, with an internal error); the cache resumes it from its last
// revision each time and the watches it serves go on without a gap, a repeat or an error.
func TestWatchersResumeAcrossUpstreamDrops(t *testing.T) {
	s := newSetup(t, Options{Eager: true})
	all, err := s.cached.Watch(s.ctx, "", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer all.Stop()
	onN1, err := s.cached.Watch(s.ctx, "", store.WatchOptions{Fields: fields.OneTermEqualSelector("spec.node", "n1")})
	if err != nil {
		t.Fatal(err)
	}
	defer onN1.Stop()
	drops := []*meta.Status{nil, watch.SlowWatcherStatus(1), {Status: meta.StatusFailure, Code: 500, Reason: "InternalError", Message: "boom"}}
	var want, wantN1 []short
	for round, st := range drops {
		for i := 0; i < 3; i++ {
			node := "n1"
			if i == 1 {
				node = "n2"
			}
			w, err := s.cached.Create(s.ctx, widget("ns1", fmt.Sprintf("r%d-%d", round, i), node))
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, short{watch.Added, w.Name, rvOf(w)})
			if node == "n1" {
				wantN1 = append(wantN1, short{watch.Added, w.Name, rvOf(w)})
			}
		}
		// A cached Create returns once the cache applied the write; the watchers may not have
		// been handed it yet (dispatched), and the upstream resumes from dispatched.
		last := want[len(want)-1].RV
		if err := s.c.resources[storetest.Widgets].waitFor(s.ctx, &s.c.resources[storetest.Widgets].dispatched, last); err != nil {
			t.Fatalf("round %d: cache did not dispatch its own writes: %v", round, err)
		}
		before := s.c.resources[storetest.Widgets].dispatched.Load()
		s.f.drop(st)
		// A write made while the upstream is down arrives once it is resumed.
		w, err := s.direct.Create(s.ctx, widget("ns2", fmt.Sprintf("during-%d", round), "n1"))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, short{watch.Added, w.Name, rvOf(w)})
		wantN1 = append(wantN1, short{watch.Added, w.Name, rvOf(w)})
		if err := s.c.resources[storetest.Widgets].waitFor(s.ctx, &s.c.resources[storetest.Widgets].dispatched, rvOf(w)); err != nil {
			t.Fatalf("round %d: cache did not catch up after the drop: %v", round, err)
		}
		calls := s.f.watchCalls()
		if last := calls[len(calls)-1]; last.Revision != before {
			t.Errorf("round %d: upstream resumed from %d, want the cache's revision %d", round, last.Revision, before)
		}
	}
	if d := cmp.Diff(want, shorts(collect(t, all, len(want)))); d != "" {
		t.Errorf("unfiltered watch (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantN1, shorts(collect(t, onN1, len(wantN1)))); d != "" {
		t.Errorf("watch of spec.node=n1 (-want +got):\n%s", d)
	}
	if n := len(s.f.watchCalls()); n != 1+len(drops) {
		t.Errorf("%d upstream watches, want %d (one, then one per drop)", n, 1+len(drops))
	}
}

// TestRelistOnExpired: when the backend answers the resumed upstream watch with Expired, the
// cache lists again. If nothing changed, the watches it serves go on; if something changed
// that they may have missed, they end with Expired and a new watch sees the new state.
func TestRelistOnExpired(t *testing.T) {
	s := newSetup(t, Options{Eager: true})
	expired := &meta.Status{Status: meta.StatusFailure, Code: 410, Reason: apierrors.StatusReasonExpired, Message: "too old"}
	w, err := s.cached.Watch(s.ctx, "ns1", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	a, err := s.cached.Create(s.ctx, widget("ns1", "a", ""))
	if err != nil {
		t.Fatal(err)
	}
	// Nothing changes across the relist: the watch goes on.
	calls := len(s.f.watchCalls())
	s.f.failNext(expired)
	s.f.drop(expired)
	s.f.waitCalls(t, calls+2) // the watch that fails at once, then the one that works
	b, err := s.cached.Create(s.ctx, widget("ns1", "b", ""))
	if err != nil {
		t.Fatal(err)
	}
	want := []short{{watch.Added, "a", rvOf(a)}, {watch.Added, "b", rvOf(b)}}
	if d := cmp.Diff(want, shorts(collect(t, w, 2))); d != "" {
		t.Errorf("events across a relist without changes (-want +got):\n%s", d)
	}

	// A change while the upstream is down, then Expired: the served watch ends with Expired.
	s.f.hold(true)
	c, err := s.direct.Create(s.ctx, widget("ns1", "c", ""))
	if err != nil {
		t.Fatal(err)
	}
	calls = len(s.f.watchCalls())
	s.f.failNext(expired)
	s.f.drop(expired)
	s.f.hold(false)
	s.f.waitCalls(t, calls+2)
	evs := collect(t, w, 1)
	if evs[0].Type != watch.Error || !apierrors.IsResourceExpired(watch.EventError(evs[0])) {
		t.Fatalf("event after a relist that skipped a change: %+v, want an Expired error", shorts(evs))
	}
	got, err := s.cached.Get(s.ctx, "ns1", "c", store.GetOptions{Consistency: store.Any})
	if err != nil || got.ResourceVersion != c.ResourceVersion {
		t.Fatalf("cached c after the relist: %v, %v", got, err)
	}
	l, err := s.cached.List(s.ctx, "ns1", store.ListOptions{Consistency: store.Any})
	if err != nil {
		t.Fatal(err)
	}
	w2, err := s.cached.Watch(s.ctx, "ns1", store.WatchOptions{Revision: l.Revision})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Stop()
	d, err := s.cached.Create(s.ctx, widget("ns1", "d", ""))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]short{{watch.Added, "d", rvOf(d)}}, shorts(collect(t, w2, 1))); diff != "" {
		t.Errorf("watch after the relist (-want +got):\n%s", diff)
	}
}

// TestOlderThanWindowGoesToBackend: watches and exact reads older than the cache's window
// are served by the backend, which still has that history.
func TestOlderThanWindowGoesToBackend(t *testing.T) {
	s := newSetup(t, Options{Eager: true, HistorySize: 4})
	var created []*storetest.Widget
	for i := 0; i < 12; i++ {
		w, err := s.cached.Create(s.ctx, widget("ns1", fmt.Sprintf("w%02d", i), ""))
		if err != nil {
			t.Fatal(err)
		}
		created = append(created, w)
	}
	from := rvOf(created[1])
	calls := len(s.f.watchCalls())
	w, err := s.cached.Watch(s.ctx, "ns1", store.WatchOptions{Revision: from})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	var want []short
	for _, c := range created[2:] {
		want = append(want, short{watch.Added, c.Name, rvOf(c)})
	}
	if d := cmp.Diff(want, shorts(collect(t, w, len(want)))); d != "" {
		t.Errorf("watch from before the window (-want +got):\n%s", d)
	}
	if got := s.f.watchCalls(); len(got) != calls+1 || got[len(got)-1].Revision != from {
		t.Errorf("backend watch calls %+v, want one more from %d", got, from)
	}
	// A watch within the window is the cache's own.
	inWindow, err := s.cached.Watch(s.ctx, "ns1", store.WatchOptions{Revision: rvOf(created[10])})
	if err != nil {
		t.Fatal(err)
	}
	defer inWindow.Stop()
	if d := cmp.Diff([]short{{watch.Added, "w11", rvOf(created[11])}}, shorts(collect(t, inWindow, 1))); d != "" {
		t.Errorf("watch within the window (-want +got):\n%s", d)
	}
	if got := len(s.f.watchCalls()); got != calls+1 {
		t.Errorf("a watch within the window reached the backend")
	}
	// Exact reads before the window: the backend's answer.
	l, err := s.cached.List(s.ctx, "ns1", store.ListOptions{Consistency: store.Exact, Revision: from})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 2 || l.Revision != from {
		t.Errorf("exact list before the window: %d items at %d, want 2 at %d", len(l.Items), l.Revision, from)
	}
	// A paginated list continues across the cache and the backend: the first page is read
	// at a revision the window still holds, the window then moves past it.
	page, err := s.cached.List(s.ctx, "ns1", store.ListOptions{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 6; i++ {
		if _, err := s.cached.Create(s.ctx, widget("ns1", fmt.Sprintf("late%d", i), "")); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for _, it := range page.Items {
		names = append(names, it.Name)
	}
	for page.Continue != "" {
		if page, err = s.cached.List(s.ctx, "ns1", store.ListOptions{Limit: 5, Continue: page.Continue}); err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			names = append(names, it.Name)
		}
	}
	var wantNames []string
	for _, c := range created {
		wantNames = append(wantNames, c.Name)
	}
	if d := cmp.Diff(wantNames, names); d != "" {
		t.Errorf("paginated list across the window's move (-want +got):\n%s", d)
	}
}

// TestWindowMatchesBackend drives random creates, updates and deletes through a cache with a
// small window and checks that every exact list within the window (all objects, and through
// the field index) equals the backend's, and that the cache keeps no more than the window
// needs.
func TestWindowMatchesBackend(t *testing.T) {
	const history = 8
	s := newSetup(t, Options{Eager: true, HistorySize: history})
	rnd := rand.New(rand.NewPCG(1, 2))
	nodes := []string{"n1", "n2", "n3"}
	for step := 0; step < 400; step++ {
		name := fmt.Sprintf("w%d", rnd.IntN(10))
		cur, err := s.direct.Get(s.ctx, "ns1", name, store.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			_, err = s.cached.Create(s.ctx, widget("ns1", name, nodes[rnd.IntN(3)]))
		case err != nil:
		case rnd.IntN(3) == 0:
			_, err = s.cached.Delete(s.ctx, "ns1", name, store.DeleteOptions{})
		default:
			cur.Spec.Node = nodes[rnd.IntN(3)]
			cur.Spec.Size++
			_, err = s.cached.Update(s.ctx, cur)
		}
		if err != nil {
			t.Fatal(err)
		}
		r := s.c.resources[storetest.Widgets]
		r.mu.RLock()
		from, rev := r.from, r.rev
		checkInvariants(t, r)
		r.mu.RUnlock()
		if rev-from > history {
			t.Fatalf("step %d: window (%d, %d] is longer than %d changes", step, from, rev, history)
		}
		if step%20 != 19 {
			continue
		}
		for at := max(from, 1); at <= rev; at++ {
			for _, sel := range []fields.Selector{nil, fields.OneTermEqualSelector("spec.node", "n2")} {
				opts := store.ListOptions{Consistency: store.Exact, Revision: at, Fields: sel}
				want, err := s.direct.List(s.ctx, "", opts)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.cached.List(s.ctx, "", opts)
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("step %d: exact list at %d (selector %v), cache vs backend (-backend +cache):\n%s", step, at, sel, d)
				}
			}
		}
	}
}

// checkInvariants checks the cache's internal state: every entry has a version, every index
// bucket holds exactly the entries having its value in a kept version. Callers hold r.mu.
func checkInvariants(t *testing.T, r *resource) {
	t.Helper()
	for k, e := range r.entries {
		if len(e.Versions) == 0 || e.Removed {
			t.Fatalf("entry %v has no versions or is marked removed", k)
		}
		for i := range r.res.Indexes {
			for _, v := range e.Versions {
				if v.Idx != nil {
					if _, ok := r.index[i][v.Idx[i]][e]; !ok {
						t.Fatalf("entry %v missing from index %d bucket %q", k, i, v.Idx[i])
					}
				}
			}
		}
	}
	for i, m := range r.index {
		for v, b := range m {
			if len(b) == 0 {
				t.Fatalf("empty bucket %q left in index %d", v, i)
			}
			for e := range b {
				if r.entries[nsName{e.NS, e.Name}] != e || !slices.ContainsFunc(e.Versions, func(x version) bool { return x.Idx != nil && x.Idx[i] == v }) {
					t.Fatalf("index %d bucket %q holds %s/%s, which has no such version", i, v, e.NS, e.Name)
				}
			}
		}
	}
}

// TestGuaranteedUpdateFromStaleCache: the first attempt reads the cache; when the cache is
// behind, the write conflicts and the backend's GuaranteedUpdate applies fn to the current
// object, so no update is lost.
func TestGuaranteedUpdateFromStaleCache(t *testing.T) {
	s := newSetup(t, Options{Eager: true})
	a, err := s.cached.Create(s.ctx, widget("ns1", "a", ""))
	if err != nil {
		t.Fatal(err)
	}
	s.f.hold(true)
	a.Spec.Size = 10
	if _, err := s.direct.Update(s.ctx, a); err != nil {
		t.Fatal(err)
	}
	var seen []int64
	res := async(func() (*storetest.Widget, error) {
		return s.cached.GuaranteedUpdate(s.ctx, "ns1", "a", func(w *storetest.Widget) (*storetest.Widget, error) {
			seen = append(seen, w.Spec.Size)
			w.Spec.Size++
			return w, nil
		}, store.UpdateOptions{})
	})
	// The write is done once the backend took it; the cache catching up is waited for, at
	// most the wait bound.
	s.blockUntilWaiters(t, 1)
	s.f.hold(false)
	out, err := await(t, res)
	if err != nil {
		t.Fatal(err)
	}
	if out.Spec.Size != 11 {
		t.Errorf("size after the update = %d, want 11 (the stale cached 0 must not win)", out.Spec.Size)
	}
	if d := cmp.Diff([]int64{0, 10}, seen); d != "" {
		t.Errorf("fn saw (-want +got):\n%s", d)
	}
	// A fresh cache: one attempt, no backend read.
	seen = nil
	if _, err := s.cached.GuaranteedUpdate(s.ctx, "ns1", "a", func(w *storetest.Widget) (*storetest.Widget, error) {
		seen = append(seen, w.Spec.Size)
		w.Spec.Size++
		return w, nil
	}, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int64{11}, seen); d != "" {
		t.Errorf("fn on a fresh cache saw (-want +got):\n%s", d)
	}
}

// TestLinearizabilityWithUpstreamDrops runs the suite's linearizability and watch-guarantee
// check while the cache's upstream watch is dropped again and again.
func TestLinearizabilityWithUpstreamDrops(t *testing.T) {
	var f *faulty
	storetest.RunLinearizability(t, func(t *testing.T, cfg storetest.Config) store.Interface {
		mem, err := memory.New(memory.Options{Resources: cfg.Resources, Clock: cfg.Clock})
		if err != nil {
			t.Fatal(err)
		}
		f = newFaulty(mem)
		c, err := New(f, Options{Resources: cfg.Resources, Eager: true, WatchBuffer: cfg.WatchBuffer, Clock: cfg.Clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return c
	}, storetest.LinearizabilityOptions{
		Fault: func(ctx context.Context, _ store.Interface) {
			st := watch.SlowWatcherStatus(1)
			for i := 0; i < 20; i++ {
				select {
				case <-ctx.Done():
					return
				case <-time.After(5 * time.Millisecond): // spread the drops over the run
				}
				// Drop only the cache's upstream watches (delegated ones would be the
				// suite's own and end with an error it must then see).
				f.dropUpstream(st)
			}
		},
	})
}

// TestCloseEndsEverything: Close ends the watches the cache serves and stops every goroutine
// (TestMain checks for leaks); the cache then hands every call to the backend.
func TestCloseEndsEverything(t *testing.T) {
	s := newSetup(t, Options{})
	w, err := s.cached.Watch(s.ctx, "", store.WatchOptions{Bookmarks: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.cached.Create(s.ctx, widget("ns1", "a", "")); err != nil {
		t.Fatal(err)
	}
	s.c.Close()
	for range w.ResultChan() {
	}
	if _, err := s.cached.Get(s.ctx, "ns1", "a", store.GetOptions{}); err != nil {
		t.Fatalf("get after Close: %v", err)
	}
	s.c.Close() // idempotent
}

// TestStatsCountsServedWatches: Stats is the backend's, with the cache's own watches counted
// instead of its upstream ones.
func TestStatsCountsServedWatches(t *testing.T) {
	s := newSetup(t, Options{Eager: true})
	for i := 0; i < 3; i++ {
		w, err := s.cached.Watch(s.ctx, "", store.WatchOptions{Labels: labels.Everything()})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
	}
	st, err := s.c.Stats(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Watchers != 3 {
		t.Errorf("Stats.Watchers = %d, want 3", st.Watchers)
	}
}

// TestSharedObjects: watches that promise not to modify events receive the one cached
// object (no copy per watcher); the others get their own copies.
func TestSharedObjects(t *testing.T) {
	s := newSetup(t, Options{Eager: true})
	var shared, copied []watch.Interface[*storetest.Widget]
	for i := 0; i < 2; i++ {
		w, err := s.cached.Watch(s.ctx, "", store.WatchOptions{SharedObjects: true})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		shared = append(shared, w)
		w, err = s.cached.Watch(s.ctx, "", store.WatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		copied = append(copied, w)
	}
	if _, err := s.cached.Create(s.ctx, widget("ns1", "a", "n1")); err != nil {
		t.Fatal(err)
	}
	s0, s1 := collect(t, shared[0], 1)[0].Object, collect(t, shared[1], 1)[0].Object
	c0, c1 := collect(t, copied[0], 1)[0].Object, collect(t, copied[1], 1)[0].Object
	if s0 != s1 {
		t.Errorf("shared watchers got different objects %p and %p, want the same", s0, s1)
	}
	if c0 == c1 || c0 == s0 {
		t.Errorf("copying watchers share an object: %p, %p (shared %p)", c0, c1, s0)
	}
	c0.Spec.Node = "scribbled"
	got, err := s.cached.Get(s.ctx, "ns1", "a", store.GetOptions{Consistency: store.Any})
	if err != nil || got.Spec.Node != "n1" || c1.Spec.Node != "n1" || s0.Spec.Node != "n1" {
		t.Errorf("changing a copied event object changed the cache or another event: %v, %v", got, err)
	}
}

// sharedWatches makes every watch of the store a SharedObjects one.
type sharedWatches struct{ store.Interface }

func (s sharedWatches) Watch(ctx context.Context, gr schema.GroupResource, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	opts.SharedObjects = true
	return s.Interface.Watch(ctx, gr, namespace, opts)
}

// TestLinearizabilitySharedObjects runs the suite's linearizability and watch-guarantee
// check with every watch asking for shared objects, the path where the cache's dispatcher
// sends events to watchers itself.
func TestLinearizabilitySharedObjects(t *testing.T) {
	storetest.RunLinearizability(t, func(t *testing.T, cfg storetest.Config) store.Interface {
		mem, err := memory.New(memory.Options{Resources: cfg.Resources, Clock: cfg.Clock})
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(mem, Options{Resources: cfg.Resources, Eager: true, WatchBuffer: cfg.WatchBuffer, Clock: cfg.Clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return sharedWatches{c}
	}, storetest.LinearizabilityOptions{})
}

// TestBookmarksNeverBehindTheStore: a bookmark (periodic or requested) promises every change
// up to its revision; when the cache lags the backend, it comes only once the cache caught
// up with the backend's revision of the moment it was due.
func TestBookmarksNeverBehindTheStore(t *testing.T) {
	for _, periodic := range []bool{false, true} {
		t.Run(fmt.Sprintf("periodic=%v", periodic), func(t *testing.T) {
			s := newSetup(t, Options{Eager: true})
			w, err := s.cached.Watch(s.ctx, "ns1", store.WatchOptions{Bookmarks: periodic})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Stop()
			if periodic {
				s.blockUntilWaiters(t, 1) // the bookmark timer
			}
			s.f.hold(true)
			x, err := s.direct.Create(s.ctx, widget("ns1", "x", ""))
			if err != nil {
				t.Fatal(err)
			}
			if periodic {
				s.clock.Step(store.DefaultBookmarkInterval) // the setup's cache uses the default
			} else {
				w.(store.ProgressRequester).RequestProgress()
			}
			// The progress round waits for the cache (a timer bounds the wait); nothing is
			// delivered meanwhile.
			s.blockUntilWaiters(t, map[bool]int{false: 1, true: 2}[periodic])
			select {
			case ev := <-w.ResultChan():
				t.Fatalf("event %s while the cache lags the store", ev.Type)
			default:
			}
			s.f.hold(false)
			evs := shorts(collect(t, w, 2))
			want := []short{{watch.Added, "x", rvOf(x)}, {watch.Bookmark, "", rvOf(x)}}
			if d := cmp.Diff(want, evs); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
		})
	}
}
