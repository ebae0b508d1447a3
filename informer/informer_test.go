package informer_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/informer/informertest"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// zeroSource makes rand.Float64 return 0: no jitter, watch timeouts of exactly MinWatchTimeout.
type zeroSource struct{}

func (zeroSource) Uint64() uint64 { return 0 }

// spy wraps a source and reports every call.
type spy struct {
	inner   informer.Source
	lists   chan store.ListOptions
	watches chan store.WatchOptions
	// listErr and watchErr, when set, fail the calls instead of passing them on.
	listErr, watchErr func(store.ListOptions, store.WatchOptions) error
}

func newSpy(inner informer.Source) *spy {
	return &spy{inner: inner, lists: make(chan store.ListOptions, 100), watches: make(chan store.WatchOptions, 100)}
}

func (s *spy) List(ctx context.Context, ns string, o store.ListOptions) (*store.List, error) {
	s.lists <- o
	if s.listErr != nil {
		if err := s.listErr(o, store.WatchOptions{}); err != nil {
			return nil, err
		}
	}
	return s.inner.List(ctx, ns, o)
}

func (s *spy) Watch(ctx context.Context, ns string, o store.WatchOptions) (watch.Interface[runtime.Object], error) {
	s.watches <- o
	if s.watchErr != nil {
		if err := s.watchErr(store.ListOptions{}, o); err != nil {
			return nil, err
		}
	}
	return s.inner.Watch(ctx, ns, o)
}

func none[T any](t *testing.T, ch chan T, what string) {
	t.Helper()
	select {
	case v := <-ch:
		t.Fatalf("unexpected %s: %+v", what, v)
	default:
	}
}

// started runs inf until the test ends and returns a function that stops it and waits.
func started[T runtime.MetaObject](t *testing.T, inf *informer.Informer[T]) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- inf.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func seed(t *testing.T, s store.Interface, objs ...*widget) []*widget {
	t.Helper()
	var out []*widget
	for _, o := range objs {
		c, err := widgets(s).Create(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func TestListFailuresBackOffOnTheClock(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	sp := newSpy(informer.ForResource(s, storetest.Widgets))
	fails := 3
	var hook []error
	sp.listErr = func(store.ListOptions, store.WatchOptions) error {
		if fails > 0 {
			fails--
			return apierrors.NewServiceUnavailable("down")
		}
		return nil
	}
	c := clock.NewFake(time.Unix(0, 0))
	inf, err := informer.New[*widget](sp, informer.Options[*widget]{
		Clock: c, Rand: rand.New(zeroSource{}),
		WatchErrorHandler: func(err error) { hook = append(hook, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := started(t, inf)
	ctx := ctxT(t)
	<-sp.lists
	for _, wait := range []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond} {
		if err := c.BlockUntilWaiters(ctx, 1); err != nil {
			t.Fatal(err)
		}
		c.Step(wait - time.Millisecond)
		none(t, sp.lists, "list before the backoff elapsed")
		c.Step(time.Millisecond)
		<-sp.lists
	}
	if err := informer.WaitForSync(ctx, inf); err != nil {
		t.Fatal(err)
	}
	stop()
	if len(hook) != 3 || !apierrors.IsServiceUnavailable(hook[0]) {
		t.Errorf("hook got %v, want 3 ServiceUnavailable errors", hook)
	}
}

func TestShortWatchesNeverSpin(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	inner := informer.ForResource(s, storetest.Widgets)
	watches := make(chan struct{}, 10)
	src := informer.SourceFuncs{
		ListFunc: inner.List,
		WatchFunc: func(ctx context.Context, ns string, o store.WatchOptions) (watch.Interface[runtime.Object], error) {
			watches <- struct{}{}
			f := watch.NewFake[runtime.Object](0)
			f.Close() // the server ends every watch at once, without an event
			return f, nil
		},
	}
	c := clock.NewFake(time.Unix(0, 0))
	inf, err := informer.New[*widget](src, informer.Options[*widget]{Clock: c, Rand: rand.New(zeroSource{})})
	if err != nil {
		t.Fatal(err)
	}
	started(t, inf)
	ctx := ctxT(t)
	for _, wait := range []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond} {
		<-watches
		// Under load, BlockUntilWaiters may see the ended watch's own timeout timer (stopped an
		// instant later) instead of the backoff timer; then the steps below come before the
		// backoff timer exists, and the round is repeated once it does.
		for stepped := false; !stepped; {
			if err := c.BlockUntilWaiters(ctx, 1); err != nil {
				t.Fatal(err)
			}
			c.Step(wait - time.Millisecond)
			none(t, watches, "watch before the backoff elapsed")
			c.Step(time.Millisecond)
			select {
			case <-watches:
				watches <- struct{}{} // the next round starts with this watch
				stepped = true
			case <-time.After(200 * time.Millisecond):
			case <-ctx.Done():
				t.Fatal("no watch after the backoff elapsed")
			}
		}
	}
	<-watches
}

func TestWatchTimeoutResumesWithoutRelist(t *testing.T) {
	for _, mode := range []informer.InitialList{informer.ListThenWatch, informer.StreamingList} {
		t.Run(map[informer.InitialList]string{informer.ListThenWatch: "list", informer.StreamingList: "streaming"}[mode], func(t *testing.T) {
			t.Cleanup(func() { goleak.VerifyNone(t) })
			s := newStore(t, memory.Options{})
			objs := seed(t, s, mkWidget("a", "x", "", nil))
			sp := newSpy(informer.ForResource(s, storetest.Widgets))
			c := clock.NewFake(time.Unix(0, 0))
			inf, err := informer.New[*widget](sp, informer.Options[*widget]{Clock: c, Rand: rand.New(zeroSource{}), MinWatchTimeout: time.Minute, InitialList: mode})
			if err != nil {
				t.Fatal(err)
			}
			started(t, inf)
			ctx := ctxT(t)
			if mode == informer.ListThenWatch {
				<-sp.lists
			}
			first := <-sp.watches
			wantFirst := store.WatchOptions{Revision: rev(t, objs[0]), Bookmarks: true}
			if mode == informer.StreamingList {
				wantFirst = store.WatchOptions{SendInitialEvents: true, Bookmarks: true}
			}
			if diff := cmp.Diff(wantFirst, first); diff != "" {
				t.Errorf("first watch (-want +got):\n%s", diff)
			}
			up := objs[0].DeepCopy()
			up.Spec.Size = 9
			up, err = widgets(s).Update(ctx, up)
			if err != nil {
				t.Fatal(err)
			}
			if err := inf.WaitForRevision(ctx, rev(t, up)); err != nil {
				t.Fatal(err)
			}
			if err := c.BlockUntilWaiters(ctx, 1); err != nil {
				t.Fatal(err)
			}
			c.Step(time.Minute - time.Nanosecond)
			none(t, sp.watches, "reconnect before the watch timeout")
			c.Step(time.Nanosecond)
			second := <-sp.watches
			if diff := cmp.Diff(store.WatchOptions{Revision: rev(t, up), Bookmarks: true}, second); diff != "" {
				t.Errorf("reconnect must resume from the last revision seen (-want +got):\n%s", diff)
			}
			none(t, sp.lists, "relist after a watch timeout")
		})
	}
}

func TestResyncPerHandler(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	seed(t, s, mkWidget("a", "x", "", nil), mkWidget("b", "y", "", nil))
	c := clock.NewFake(time.Unix(0, 0))
	inf, err := informer.New[*widget](informer.ForResource(s, storetest.Widgets), informer.Options[*widget]{Clock: c, Rand: rand.New(zeroSource{})})
	if err != nil {
		t.Fatal(err)
	}
	resynced := informertest.NewRecorder[*widget]()
	plain := informertest.NewRecorder[*widget]()
	r1, err := inf.AddHandler(resynced, informer.HandlerOptions{ResyncPeriod: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := inf.AddHandler(plain, informer.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	started(t, inf)
	ctx := ctxT(t)
	if err := informer.WaitForSync(ctx, inf, r1, r2); err != nil {
		t.Fatal(err)
	}
	// waiters: the watch timeout and the resync ticker
	if err := c.BlockUntilWaiters(ctx, 2); err != nil {
		t.Fatal(err)
	}
	c.Step(time.Minute)
	for resynced.Len() < 4 {
		<-resynced.Changed()
	}
	want := []informertest.Record{
		{Op: informertest.Add, Key: "a/x", RV: "1", Initial: true},
		{Op: informertest.Add, Key: "b/y", RV: "2", Initial: true},
		{Op: informertest.Update, Key: "a/x", RV: "1", OldRV: "1"},
		{Op: informertest.Update, Key: "b/y", RV: "2", OldRV: "2"},
	}
	got := resynced.Records()
	sortRecords(got[2:])
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resynced handler (-want +got):\n%s", diff)
	}
	if plain.Len() != 2 {
		t.Errorf("handler without resync got %v", plain.Records())
	}
}

func sortRecords(r []informertest.Record) {
	for i := range r {
		for j := i + 1; j < len(r); j++ {
			if r[j].Key < r[i].Key {
				r[i], r[j] = r[j], r[i]
			}
		}
	}
}

func TestHandlers(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	seed(t, s, mkWidget("a", "x", "", nil), mkWidget("a", "y", "", nil))
	inf, err := informer.New[*widget](informer.ForResource(s, storetest.Widgets), informer.Options[*widget]{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)

	// A slow handler blocks in its first call; it must hold up neither the cache nor others.
	release := make(chan struct{})
	slow := informertest.NewRecorder[*widget]()
	var once sync.Once
	slowReg, err := inf.AddHandler(informer.HandlerFuncs[*widget]{
		AddFunc: func(obj *widget, initial bool) {
			once.Do(func() { <-release })
			slow.OnAdd(obj, initial)
		},
		UpdateFunc: slow.OnUpdate,
		DeleteFunc: slow.OnDelete,
	}, informer.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	early := informertest.NewRecorder[*widget]()
	earlyReg, err := inf.AddHandler(early, informer.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := started(t, inf)
	if err := informer.WaitForSync(ctx, inf, earlyReg); err != nil {
		t.Fatal(err)
	}
	if slowReg.HasSynced() {
		t.Error("the blocked handler reports synced before processing its initial list")
	}

	late := informertest.NewRecorder[*widget]()
	lateReg, err := inf.AddHandler(late, informer.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := informer.WaitForSync(ctx, lateReg); err != nil {
		t.Fatal(err)
	}
	removed := informertest.NewRecorder[*widget]()
	removedReg, err := inf.AddHandler(removed, informer.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := informer.WaitForSync(ctx, removedReg); err != nil {
		t.Fatal(err)
	}
	if err := inf.RemoveHandler(removedReg); err != nil {
		t.Fatal(err)
	}
	if err := inf.RemoveHandler(removedReg); err == nil {
		t.Error("removing a handler twice succeeded")
	}

	created := seed(t, s, mkWidget("a", "z", "", nil))[0]
	del, err := widgets(s).Delete(ctx, "a", "x", store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := inf.WaitForRevision(ctx, rev(t, del)); err != nil {
		t.Fatal(err)
	}
	if err := late.WaitForRV(ctx, "a/x", del.ResourceVersion); err != nil {
		t.Fatal(err)
	}
	if err := early.WaitForRV(ctx, "a/x", del.ResourceVersion); err != nil {
		t.Fatal(err)
	}
	if slow.Len() != 0 {
		t.Errorf("blocked handler recorded %v", slow.Records())
	}
	close(release)
	if err := slow.WaitForRV(ctx, "a/x", del.ResourceVersion); err != nil {
		t.Fatal(err)
	}
	stop()

	initial := []informertest.Record{
		{Op: informertest.Add, Key: "a/x", RV: "1", Initial: true},
		{Op: informertest.Add, Key: "a/y", RV: "2", Initial: true},
	}
	after := []informertest.Record{
		{Op: informertest.Add, Key: "a/z", RV: created.ResourceVersion},
		{Op: informertest.Delete, Key: "a/x", RV: del.ResourceVersion},
	}
	want := append(append([]informertest.Record(nil), initial...), after...)
	for name, r := range map[string]*informertest.Recorder[*widget]{"early": early, "late": late, "slow": slow} {
		got := r.Records()
		sortRecords(got[:2]) // the initial list of a late handler comes in map order
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s handler (-want +got):\n%s", name, diff)
		}
	}
	if got := removed.Records(); len(got) != 2 {
		t.Errorf("removed handler got %d records after its removal: %v", len(got)-2, got)
	}
}

func TestTransformDropsManagedFields(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	w := mkWidget("a", "x", "", nil)
	w.ManagedFields = []meta.ManagedFieldsEntry{{Manager: "kubectl", Operation: "Apply"}}
	seed(t, s, w)
	var hook []error
	fail := true
	c := clock.NewFake(time.Unix(0, 0))
	inf, err := informer.New[*widget](informer.ForResource(s, storetest.Widgets), informer.Options[*widget]{
		Clock: c, Rand: rand.New(zeroSource{}),
		Transform: func(obj *widget) (*widget, error) {
			if fail {
				fail = false
				return nil, errors.New("boom")
			}
			obj.ManagedFields = nil
			return obj, nil
		},
		WatchErrorHandler: func(err error) { hook = append(hook, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var seen []*widget
	var mu sync.Mutex
	reg, err := inf.AddHandler(informer.HandlerFuncs[*widget]{AddFunc: func(obj *widget, _ bool) {
		mu.Lock()
		seen = append(seen, obj)
		mu.Unlock()
	}}, informer.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stop := started(t, inf)
	ctx := ctxT(t)
	if err := c.BlockUntilWaiters(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if inf.HasSynced() {
		t.Fatal("synced although the transform failed")
	}
	c.Step(800 * time.Millisecond)
	if err := informer.WaitForSync(ctx, reg); err != nil {
		t.Fatal(err)
	}
	stop()
	got, _ := inf.Lister().Namespace("a").Get("x")
	if got == nil || got.ManagedFields != nil || len(seen) != 1 || seen[0] != got {
		t.Errorf("cached %+v, handler saw %v: want one object without managedFields shared by both", got, seen)
	}
	if len(hook) != 1 || hook[0].Error() != "informer: list: informer: transform a/x: boom" {
		t.Errorf("hook got %v", hook)
	}
}

func TestListerAndIndexes(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	seed(t, s,
		mkWidget("a", "x", "n1", map[string]string{"app": "web"}),
		mkWidget("a", "y", "n2", map[string]string{"app": "db"}),
		mkWidget("b", "x", "n1", map[string]string{"app": "web"}),
		mkWidget("b", "z", "", nil),
	)
	byNode := func(w *widget) []string {
		if w.Spec.Node == "" {
			return nil
		}
		return []string{w.Spec.Node}
	}
	inf, err := informer.New[*widget](informer.ForResource(s, storetest.Widgets), informer.Options[*widget]{
		Indexers: map[string]informer.IndexFunc[*widget]{"node": byNode},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := inf.AddIndexers(map[string]informer.IndexFunc[*widget]{"node": byNode}); err == nil {
		t.Error("adding an index twice succeeded")
	}
	if err := inf.AddIndexers(map[string]informer.IndexFunc[*widget]{"app": func(w *widget) []string { return []string{w.Labels["app"]} }}); err != nil {
		t.Fatal(err)
	}
	stop := started(t, inf)
	if err := informer.WaitForSync(ctxT(t), inf); err != nil {
		t.Fatal(err)
	}
	if err := inf.AddIndexers(map[string]informer.IndexFunc[*widget]{"late": byNode}); !errors.Is(err, informer.ErrStarted) {
		t.Errorf("AddIndexers after start: %v, want ErrStarted", err)
	}
	keys := func(ws []*widget) []string {
		var out []string
		for _, w := range ws {
			out = append(out, informer.KeyOf(w).String())
		}
		return out
	}
	web := labels.SelectorFromSet(labels.Set{"app": "web"})
	l := inf.Lister()
	byIndex := func(idx, v string) []string {
		ws, err := l.ByIndex(idx, v)
		if err != nil {
			t.Fatal(err)
		}
		return keys(ws)
	}
	cases := []struct {
		name string
		got  []string
		want []string
	}{
		{"list all", keys(l.List(nil)), []string{"a/x", "a/y", "b/x", "b/z"}},
		{"list by label", keys(l.List(web)), []string{"a/x", "b/x"}},
		{"namespace", keys(l.Namespace("a").List(labels.Everything())), []string{"a/x", "a/y"}},
		{"namespace and label", keys(l.Namespace("b").List(web)), []string{"b/x"}},
		{"empty namespace", keys(l.Namespace("c").List(nil)), nil},
		{"by index", byIndex("node", "n1"), []string{"a/x", "b/x"}},
		{"by index, no match", byIndex("node", "n9"), nil},
		{"by second index", byIndex("app", "db"), []string{"a/y"}},
	}
	for _, tc := range cases {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if _, err := l.ByIndex("nope", "x"); !errors.Is(err, informer.ErrUnknownIndex) {
		t.Errorf("unknown index: %v", err)
	}
	if vals, _ := l.IndexValues("node"); !cmp.Equal(vals, []string{"n1", "n2"}) {
		t.Errorf("index values %v", vals)
	}
	if _, ok := l.Namespace("a").Get("y"); !ok {
		t.Error("Get a/y: missing")
	}
	if _, ok := l.Get("y"); ok {
		t.Error("cluster-scoped Get found a namespaced object")
	}
	// The index follows updates and deletes.
	ctx := ctxT(t)
	y, _ := l.Namespace("a").Get("y")
	y = y.DeepCopy()
	y.Spec.Node = "n1"
	y, err = widgets(s).Update(ctx, y)
	if err != nil {
		t.Fatal(err)
	}
	d, err := widgets(s).Delete(ctx, "b", "x", store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := inf.WaitForRevision(ctx, rev(t, d)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a/x", "a/y"}, byIndex("node", "n1")); diff != "" {
		t.Errorf("index after update and delete (-want +got):\n%s", diff)
	}
	if got := byIndex("node", "n2"); got != nil {
		t.Errorf("stale index entry %v", got)
	}
	stop()
}

func TestStreamingListFallsBack(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	seed(t, s, mkWidget("a", "x", "", nil))
	sp := newSpy(informer.ForResource(s, storetest.Widgets))
	sp.watchErr = func(_ store.ListOptions, o store.WatchOptions) error {
		if o.SendInitialEvents {
			return apierrors.NewBadRequest("sendInitialEvents is not supported")
		}
		return nil
	}
	inf, err := informer.New[*widget](sp, informer.Options[*widget]{InitialList: informer.StreamingList})
	if err != nil {
		t.Fatal(err)
	}
	started(t, inf)
	if err := informer.WaitForSync(ctxT(t), inf); err != nil {
		t.Fatal(err)
	}
	if o := <-sp.watches; !o.SendInitialEvents {
		t.Errorf("first watch %+v did not ask for initial events", o)
	}
	<-sp.lists
	if inf.Lister().Len() != 1 {
		t.Errorf("cache holds %d objects, want 1", inf.Lister().Len())
	}
}

func TestWrongTypeIsAnErrorNotAPanic(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	src := informer.SourceFuncs{
		ListFunc: func(context.Context, string, store.ListOptions) (*store.List, error) {
			return &store.List{Revision: 1, Items: []runtime.MetaObject{&storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g", ResourceVersion: "1"}}}}, nil
		},
	}
	errs := make(chan error, 1)
	c := clock.NewFake(time.Unix(0, 0))
	inf, err := informer.New[*widget](src, informer.Options[*widget]{Clock: c, WatchErrorHandler: func(err error) {
		select {
		case errs <- err:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	started(t, inf)
	if err := <-errs; !errors.Is(err, informer.ErrTypeMismatch) {
		t.Errorf("hook got %v, want ErrTypeMismatch", err)
	}
}

func TestOptionsValidation(t *testing.T) {
	src := informer.ForResource(newStore(t, memory.Options{}), storetest.Widgets)
	cases := []struct {
		name string
		src  informer.Source
		opts informer.Options[*widget]
	}{
		{"nil source", nil, informer.Options[*widget]{}},
		{"negative watch timeout", src, informer.Options[*widget]{MinWatchTimeout: -1}},
		{"bad backoff", src, informer.Options[*widget]{Backoff: informer.Backoff{Factor: 0.1}}},
		{"unknown initial list", src, informer.Options[*widget]{InitialList: 9}},
		{"nothing selector", src, informer.Options[*widget]{Labels: labels.Nothing()}},
		{"nil index func", src, informer.Options[*widget]{Indexers: map[string]informer.IndexFunc[*widget]{"x": nil}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := informer.New[*widget](tc.src, tc.opts); !errors.Is(err, informer.ErrInvalidOptions) {
				t.Errorf("New: %v, want ErrInvalidOptions", err)
			}
		})
	}
	inf, err := informer.New[*widget](src, informer.Options[*widget]{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []time.Duration{-time.Second, time.Millisecond} {
		if _, err := inf.AddHandler(informertest.NewRecorder[*widget](), informer.HandlerOptions{ResyncPeriod: p}); err == nil {
			t.Errorf("resync period %v accepted", p)
		}
	}
	if _, err := inf.AddHandler(nil, informer.HandlerOptions{}); err == nil {
		t.Error("nil handler accepted")
	}
}

func TestRunTwice(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	inf, err := informer.New[*widget](informer.ForResource(newStore(t, memory.Options{}), storetest.Widgets), informer.Options[*widget]{})
	if err != nil {
		t.Fatal(err)
	}
	started(t, inf)
	if err := informer.WaitForSync(ctxT(t), inf); err != nil {
		t.Fatal(err)
	}
	if err := inf.Run(context.Background()); !errors.Is(err, informer.ErrStarted) {
		t.Errorf("second Run: %v, want ErrStarted", err)
	}
}
