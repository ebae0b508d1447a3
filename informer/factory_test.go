package informer_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

func TestFactorySharesInformers(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	w := mkWidget("a", "x", "", nil)
	w.ManagedFields = []meta.ManagedFieldsEntry{{Manager: "m"}}
	seed(t, s, w, mkWidget("b", "y", "", nil))
	if _, err := store.For[*storetest.Gizmo](s, storetest.Gizmos).Create(context.Background(), &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}}); err != nil {
		t.Fatal(err)
	}
	f, err := informer.NewFactory(informer.StoreSources(s), informer.FactoryOptions{
		Seed: 1,
		Transform: func(obj runtime.MetaObject) (runtime.MetaObject, error) {
			obj.GetObjectMeta().ManagedFields = nil
			return obj, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	all1, err := informer.Shared[*widget](f, storetest.Widgets, informer.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	all2, err := informer.Shared[*widget](f, storetest.Widgets, informer.Scope{Labels: labels.Everything()})
	if err != nil {
		t.Fatal(err)
	}
	nsA, err := informer.Shared[*widget](f, storetest.Widgets, informer.Scope{Namespace: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if all1 != all2 {
		t.Error("two users of the same resource and scope got different informers")
	}
	if nsA == all1 {
		t.Error("a namespaced scope shares the cluster-wide informer")
	}
	if _, err := informer.Shared[*storetest.Gizmo](f, storetest.Widgets, informer.Scope{}); !errors.Is(err, informer.ErrTypeMismatch) {
		t.Errorf("asking for another type: %v, want ErrTypeMismatch", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.Start(ctx)
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := f.WaitForSync(wctx); err != nil {
		t.Fatal(err)
	}
	if got := all1.Lister().Len(); got != 2 {
		t.Errorf("cluster-wide informer holds %d objects, want 2", got)
	}
	if got := nsA.Lister().Len(); got != 1 {
		t.Errorf("namespace a informer holds %d objects, want 1", got)
	}
	if x, _ := all1.Lister().Namespace("a").Get("x"); x == nil || x.ManagedFields != nil {
		t.Errorf("factory transform not applied: %+v", x)
	}
	// An informer asked for after Start runs at the next Start.
	gz, err := informer.Shared[*storetest.Gizmo](f, storetest.Gizmos, informer.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	f.Start(ctx)
	f.Start(ctx) // idempotent
	if err := f.WaitForSync(wctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := gz.Lister().Get("g"); !ok {
		t.Error("late informer did not sync the gizmo")
	}
	cancel()
	f.Wait()
}

func TestFactoryValidation(t *testing.T) {
	if _, err := informer.NewFactory(nil, informer.FactoryOptions{}); !errors.Is(err, informer.ErrInvalidOptions) {
		t.Errorf("nil sources: %v", err)
	}
	s := informer.StoreSources(newStore(t, memory.Options{}))
	if _, err := informer.NewFactory(s, informer.FactoryOptions{MinWatchTimeout: -1}); !errors.Is(err, informer.ErrInvalidOptions) {
		t.Errorf("negative watch timeout: %v", err)
	}
	if _, err := informer.NewFactory(s, informer.FactoryOptions{Backoff: informer.Backoff{Jitter: -1}}); !errors.Is(err, informer.ErrInvalidOptions) {
		t.Errorf("bad backoff: %v", err)
	}
}

type fakeMetric struct {
	mu   sync.Mutex
	n    int
	last float64
}

func (m *fakeMetric) Inc()              { m.mu.Lock(); m.n++; m.mu.Unlock() }
func (m *fakeMetric) Set(v float64)     { m.mu.Lock(); m.last = v; m.mu.Unlock() }
func (m *fakeMetric) Observe(v float64) { m.mu.Lock(); m.n++; m.last = v; m.mu.Unlock() }
func (m *fakeMetric) get() (int, float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n, m.last
}

type fakeProvider struct {
	mu sync.Mutex
	m  map[string]*fakeMetric
}

func (p *fakeProvider) metric(kind, name string) *fakeMetric {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]*fakeMetric{}
	}
	k := kind + "/" + name
	if p.m[k] == nil {
		p.m[k] = &fakeMetric{}
	}
	return p.m[k]
}

func (p *fakeProvider) NewListsMetric(n string) informer.CounterMetric { return p.metric("lists", n) }
func (p *fakeProvider) NewListDurationMetric(n string) informer.HistogramMetric {
	return p.metric("listdur", n)
}
func (p *fakeProvider) NewWatchesMetric(n string) informer.CounterMetric {
	return p.metric("watches", n)
}
func (p *fakeProvider) NewWatchDurationMetric(n string) informer.HistogramMetric {
	return p.metric("watchdur", n)
}
func (p *fakeProvider) NewEventsMetric(n string) informer.CounterMetric { return p.metric("events", n) }
func (p *fakeProvider) NewItemsMetric(n string) informer.GaugeMetric    { return p.metric("items", n) }
func (p *fakeProvider) NewLastRevisionMetric(n string) informer.GaugeMetric {
	return p.metric("rev", n)
}
func (p *fakeProvider) NewErrorsMetric(n string) informer.CounterMetric { return p.metric("errors", n) }

func TestMetricsAndBookmarks(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	storeClock := clock.NewFake(time.Unix(0, 0))
	s := newStore(t, memory.Options{Clock: storeClock, BookmarkInterval: time.Second})
	seed(t, s, mkWidget("a", "x", "", nil), mkWidget("a", "y", "", nil))
	p := &fakeProvider{}
	inf, err := informer.New[*widget](informer.ForResource(s, storetest.Widgets), informer.Options[*widget]{Name: "w", Metrics: p})
	if err != nil {
		t.Fatal(err)
	}
	stop := started(t, inf)
	ctx := ctxT(t)
	if err := informer.WaitForSync(ctx, inf); err != nil {
		t.Fatal(err)
	}
	d, err := widgets(s).Delete(ctx, "a", "x", store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := inf.WaitForRevision(ctx, rev(t, d)); err != nil {
		t.Fatal(err)
	}
	// A write to another resource moves the store's revision; only a bookmark tells the
	// informer, which must then reflect it.
	g, err := store.For[*storetest.Gizmo](s, storetest.Gizmos).Create(ctx, &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}})
	if err != nil {
		t.Fatal(err)
	}
	gRev := rev(t, &widget{ObjectMeta: g.ObjectMeta})
	if err := storeClock.BlockUntilWaiters(ctx, 1); err != nil {
		t.Fatal(err)
	}
	storeClock.Step(time.Second)
	if err := inf.WaitForRevision(ctx, gRev); err != nil {
		t.Fatal(err)
	}
	stop()
	for _, c := range []struct {
		kind   string
		wantN  int
		wantV  float64
		checkV bool
	}{
		{"lists", 1, 0, false},
		{"listdur", 1, 0, false},
		{"watches", 1, 0, false},
		{"watchdur", 1, 0, false},
		{"events", 1, 0, false},
		{"items", 0, 1, true},
		{"rev", 0, float64(gRev), true},
		{"errors", 0, 0, false},
	} {
		n, v := p.metric(c.kind, "w").get()
		if n != c.wantN || (c.checkV && v != c.wantV) {
			t.Errorf("metric %s: count %d value %v, want count %d value %v", c.kind, n, v, c.wantN, c.wantV)
		}
	}
}

// blockedSources lists nothing for gizmos until released, so their informers cannot sync.
type blockedSources struct {
	s       store.Interface
	release chan struct{}
}

type blockedSource struct {
	informer.Source
	release chan struct{}
}

func (b blockedSources) Source(gr schema.GroupResource) (informer.Source, error) {
	src := informer.ForResource(b.s, gr)
	if gr != storetest.Gizmos {
		return src, nil
	}
	return blockedSource{src, b.release}, nil
}

func (b blockedSource) List(ctx context.Context, ns string, o store.ListOptions) (*store.List, error) {
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return b.Source.List(ctx, ns, o)
}

func TestFactoryUnsyncedNamesWhatIsMissing(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	seed(t, s, mkWidget("a", "x", "", nil))
	src := blockedSources{s: s, release: make(chan struct{})}
	f, err := informer.NewFactory(src, informer.FactoryOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	w, err := informer.Shared[*widget](f, storetest.Widgets, informer.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := informer.Shared[*storetest.Gizmo](f, storetest.Gizmos, informer.Scope{Labels: labels.SelectorFromSet(labels.Set{"tier": "db"}), Fields: fields.OneTermEqualSelector("metadata.name", "g")}); err != nil {
		t.Fatal(err)
	}
	if got := f.Unsynced(); len(got) != 0 {
		t.Errorf("before Start: Unsynced = %q, want nothing (only started informers count)", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); f.Wait() }()
	f.Start(ctx)
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := informer.WaitForSync(wctx, w); err != nil {
		t.Fatal(err)
	}
	want := []string{storetest.Gizmos.String() + " labels=tier=db fields=metadata.name=g"}
	if got := f.Unsynced(); !slices.Equal(got, want) {
		t.Errorf("Unsynced = %q, want %q", got, want)
	}
	close(src.release)
	if err := f.WaitForSync(wctx); err != nil {
		t.Fatal(err)
	}
	if got := f.Unsynced(); len(got) != 0 {
		t.Errorf("after sync: Unsynced = %q, want nothing", got)
	}
}
