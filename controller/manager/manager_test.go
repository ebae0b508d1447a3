package manager

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	prom "github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/controller/leaderelection"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var testGV = schema.GroupVersion{Group: storetest.Group, Version: "v1"}

func setup(t *testing.T) (store.Interface, *runtime.Scheme) {
	t.Helper()
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(
		scheme.AddKnownTypes(testGV, &storetest.Widget{}),
		scheme.AddResource(runtime.ResourceInfo{GroupVersionResource: testGV.WithResource("widgets"), Kind: "Widget", Namespaced: true}),
	); err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	res = append(res, storetest.Resources()...)
	s, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	return s, scheme
}

func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}

func TestRunsControllersAndStops(t *testing.T) {
	s, scheme := setup(t)
	m, err := New(Options{Store: s, Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	if _, err := widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "a"}}); err != nil {
		t.Fatal(err)
	}
	seen := make(chan controller.Request, 10)
	c, err := controller.NewBuilder(m.Factory(), m.Scheme()).
		For(controller.Object[*storetest.Widget]()).
		WithOptions(controller.Options[controller.Request]{Metrics: m.ControllerMetrics(), QueueMetrics: m.QueueMetrics()}).
		Build(controller.Func[controller.Request](func(_ context.Context, r controller.Request) (controller.Result, error) {
			seen <- r
			return controller.Result{}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Add(c); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx) }()
	if r := wait(t, seen, "reconcile"); r != (controller.Request{Namespace: "ns", Name: "a"}) {
		t.Errorf("reconciled %v", r)
	}
	if !m.IsLeader() {
		t.Error("without election the manager must run leader runnables")
	}
	if err := m.Add(RunnableFunc(func(context.Context) error { return nil })); !errors.Is(err, ErrStarted) {
		t.Errorf("Add after Run: %v, want ErrStarted", err)
	}
	cancel()
	if err := wait(t, done, "Run to return"); err != nil {
		t.Errorf("Run: %v", err)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{`controller_runtime_reconcile_total{controller="widget",result="success"} 1`, `workqueue_adds_total{name="widget"}`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if err := m.Run(ctx); !errors.Is(err, ErrStarted) {
		t.Errorf("second Run: %v, want ErrStarted", err)
	}
}

type neverSynced struct{ ch chan struct{} }

func (neverSynced) HasSynced() bool           { return false }
func (n neverSynced) Synced() <-chan struct{} { return n.ch }

type syncing struct {
	RunnableFunc
	syncers map[string]informer.Syncer
}

func (s syncing) CacheSyncers() map[string]informer.Syncer { return s.syncers }
func (s syncing) Name() string                             { return "widgets" }

func TestCacheSyncTimeoutNamesWhatDidNotSync(t *testing.T) {
	s, scheme := setup(t)
	fc := clock.NewFake(time.Unix(0, 0))
	m, err := New(Options{Store: s, Scheme: scheme, Clock: fc, CacheSyncTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 1)
	r := syncing{
		RunnableFunc: func(ctx context.Context) error { started <- struct{}{}; <-ctx.Done(); return nil },
		syncers:      map[string]informer.Syncer{"for widgets": neverSynced{make(chan struct{})}},
	}
	if err := m.Add(r); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background()) }()
	if err := fc.BlockUntilWaiters(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	fc.Step(time.Minute)
	err = wait(t, done, "Run")
	if !errors.Is(err, ErrNotSynced) || err.Error() != "run manager: caches did not sync within 1m0s: widgets: for widgets" {
		t.Errorf("Run: %v", err)
	}
	select {
	case <-started:
		t.Error("a runnable started before the caches synced")
	default:
	}
}

// stuckLists makes every List of one resource wait until its context ends, so informers of that
// resource never sync.
type stuckLists struct {
	store.Interface
	gr schema.GroupResource
}

func (s stuckLists) List(ctx context.Context, gr schema.GroupResource, ns string, o store.ListOptions) (*store.List, error) {
	if gr == s.gr {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.Interface.List(ctx, gr, ns, o)
}

func TestCacheSyncTimeoutNamesUnsyncedFactoryInformers(t *testing.T) {
	s, scheme := setup(t)
	fc := clock.NewFake(time.Unix(0, 0))
	m, err := New(Options{Store: stuckLists{s, storetest.Widgets}, Scheme: scheme, Clock: fc, CacheSyncTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// An informer of the factory that no controller reports: a plain user of the factory.
	if _, err := informer.Shared[*storetest.Widget](m.Factory(), storetest.Widgets, informer.Scope{Namespace: "shop"}); err != nil {
		t.Fatal(err)
	}
	leases, err := informer.Shared[*coordinationv1.Lease](m.Factory(), schema.GroupResource{Group: "coordination.k8s.io", Resource: "leases"}, informer.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background()) }()
	if err := fc.BlockUntilWaiters(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	<-leases.Synced() // only the stuck informer may be named
	fc.Step(time.Minute)
	err = wait(t, done, "Run")
	want := "run manager: caches did not sync within 1m0s: informer " + storetest.Widgets.String() + " namespace=shop"
	if !errors.Is(err, ErrNotSynced) || err == nil || err.Error() != want {
		t.Errorf("Run: %v\nwant: %s", err, want)
	}
}

func TestFirstFatalErrorStopsEverything(t *testing.T) {
	s, scheme := setup(t)
	m, err := New(Options{Store: s, Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	cancelled := make(chan struct{})
	fire := make(chan struct{})
	if err := errors.Join(
		m.Add(WithoutLeaderElection(RunnableFunc(func(ctx context.Context) error { <-ctx.Done(); close(cancelled); return nil }))),
		m.Add(RunnableFunc(func(ctx context.Context) error { <-fire; return boom })),
		m.Add(RunnableFunc(func(ctx context.Context) error { <-ctx.Done(); return errors.New("second error after cancel") })),
	); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background()) }()
	close(fire)
	err = wait(t, done, "Run")
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "leader runnable 0") {
		t.Errorf("Run: %v, want the first error (boom) naming its runnable", err)
	}
	wait(t, cancelled, "the other runnable to be cancelled")
}

func TestShutdownIsBounded(t *testing.T) {
	s, scheme := setup(t)
	fc := clock.NewFake(time.Unix(0, 0))
	m, err := New(Options{Store: s, Scheme: scheme, Clock: fc, ShutdownTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	running := make(chan struct{})
	if err := m.Add(RunnableFunc(func(ctx context.Context) error { close(running); <-release; return nil })); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	wait(t, running, "runnable")
	cancel()
	if err := fc.BlockUntilWaiters(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	fc.Step(5 * time.Second)
	err = wait(t, done, "Run")
	close(release)
	if !errors.Is(err, ErrShutdownTimeout) || !strings.Contains(err.Error(), "leader runnable 0 (manager.RunnableFunc) still running") {
		t.Errorf("Run: %v, want ErrShutdownTimeout naming the stuck runnable", err)
	}
}

// Two replicas on one store: both run the runnables that need no leadership (and both warm
// their caches), only the leader runs the others; when it stops and releases the lease, the
// other takes over at its next retry.
func TestLeaderElection(t *testing.T) {
	s, scheme := setup(t)
	fc := clock.NewFake(time.Unix(0, 0))
	type replica struct {
		m      *Manager
		cancel context.CancelFunc
		done   chan error
		leader chan struct{}
		always chan struct{}
	}
	mk := func(id string) *replica {
		m, err := New(Options{Store: s, Scheme: scheme, Clock: fc, LeaderElection: &LeaderElection{
			Namespace: "kube-system", Name: "mgr", Identity: id, ReleaseOnCancel: true,
		}})
		if err != nil {
			t.Fatal(err)
		}
		r := &replica{m: m, done: make(chan error, 1), leader: make(chan struct{}, 1), always: make(chan struct{}, 1)}
		if err := errors.Join(
			m.Add(RunnableFunc(func(ctx context.Context) error { r.leader <- struct{}{}; <-ctx.Done(); return nil })),
			m.Add(WithoutLeaderElection(RunnableFunc(func(ctx context.Context) error { r.always <- struct{}{}; <-ctx.Done(); return nil }))),
		); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		r.cancel = cancel
		go func() { r.done <- m.Run(ctx) }()
		return r
	}
	a := mk("a")
	wait(t, a.always, "a's runnable")
	wait(t, a.leader, "a to lead")
	b := mk("b")
	wait(t, b.always, "b's runnable")
	// a renews, b retries: two timers.
	if err := fc.BlockUntilWaiters(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	if b.m.IsLeader() || !a.m.IsLeader() {
		t.Fatalf("leaders: a %v, b %v; want a only", a.m.IsLeader(), b.m.IsLeader())
	}
	select {
	case <-b.leader:
		t.Fatal("b runs leader-only work while a leads")
	default:
	}
	a.cancel()
	if err := wait(t, a.done, "a to stop"); err != nil {
		t.Errorf("a: %v", err)
	}
	fc.Step(leaderRetry)
	wait(t, b.leader, "b to take over")
	b.cancel()
	if err := wait(t, b.done, "b to stop"); err != nil {
		t.Errorf("b: %v", err)
	}
}

const leaderRetry = 2 * time.Second // leaderelection.DefaultRetryPeriod

func TestHandler(t *testing.T) {
	s, scheme := setup(t)
	m, err := New(Options{Store: s, Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	ctr := prom.NewCounter(prom.CounterOpts{Name: "cellkit_test_total", Help: "test"})
	m.Registry().MustRegister(ctr)
	ctr.Inc()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "caches: not synced") {
		t.Errorf("/readyz before sync: %d %q", code, body)
	}
	m.ready.Store(true)
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz after sync: %d", code)
	}
	m.AddHealthzCheck("db", func(*http.Request) error { return errors.New("unreachable") })
	if code, body := get("/healthz"); code != 503 || body != "db: unreachable\n" {
		t.Errorf("/healthz with a failing check: %d %q", code, body)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "cellkit_test_total 1") {
		t.Errorf("/metrics: %d %q", code, body)
	}
}

func TestOptions(t *testing.T) {
	s, scheme := setup(t)
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no store", Options{Scheme: scheme}, "store is required"},
		{"no scheme", Options{Store: s}, "scheme is required"},
		{"negative", Options{Store: s, Scheme: scheme, ShutdownTimeout: -1}, "must not be negative"},
		{"election without identity", Options{Store: s, Scheme: scheme, LeaderElection: &LeaderElection{Name: "x"}}, "lease name and an identity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.opts); !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want %q", err, tt.want)
			}
		})
	}
	m, err := New(Options{Store: s, Scheme: scheme, Addr: "256.0.0.1:bad"})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "listen on 256.0.0.1:bad") {
		t.Errorf("Run with a bad address: %v", err)
	}
}

func TestServesOnAddr(t *testing.T) {
	s, scheme := setup(t)
	m, err := New(Options{Store: s, Scheme: scheme, Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Addr() != nil {
		t.Error("address before Run")
	}
	running := make(chan struct{})
	if err := m.Add(RunnableFunc(func(ctx context.Context) error { close(running); <-ctx.Done(); return nil })); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	wait(t, running, "runnable")
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		resp, err := http.Get("http://" + m.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	cancel()
	if err := wait(t, done, "Run"); err != nil {
		t.Error(err)
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestDuplicateControllerNames(t *testing.T) {
	s, scheme := setup(t)
	m, err := New(Options{Store: s, Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	mk := func() *controller.Controller[controller.Request] {
		c, err := controller.New[controller.Request](controller.Func[controller.Request](func(context.Context, controller.Request) (controller.Result, error) {
			return controller.Result{}, nil
		}), controller.Options[controller.Request]{Name: "widgets"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Queue().ShutDown)
		return c
	}
	if err := m.Add(mk()); err != nil {
		t.Fatal(err)
	}
	if err := m.Add(mk()); !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), `two runnables named "widgets"`) {
		t.Errorf("second controller with the same name: %v", err)
	}
}

// partitioned fails every Lease call once cut.
type partitioned struct {
	leaderelection.Client
	cut chan struct{}
}

func (p partitioned) isCut() bool {
	select {
	case <-p.cut:
		return true
	default:
		return false
	}
}

func (p partitioned) Get(ctx context.Context, ns, name string, o store.GetOptions) (*coordinationv1.Lease, error) {
	if p.isCut() {
		return nil, errors.New("partitioned")
	}
	return p.Client.Get(ctx, ns, name, o)
}

func (p partitioned) Update(ctx context.Context, l *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	if p.isCut() {
		return nil, errors.New("partitioned")
	}
	return p.Client.Update(ctx, l)
}

// A replica that cannot renew its lease stops its leader-only work and fails with
// ErrLeadershipLost; work that needs no leadership is stopped too (the process restarts).
func TestLeadershipLostIsFatal(t *testing.T) {
	s, scheme := setup(t)
	fc := clock.NewFake(time.Unix(0, 0))
	client := partitioned{Client: leaderelection.ForStore(s), cut: make(chan struct{})}
	m, err := New(Options{Store: s, Scheme: scheme, Clock: fc, LeaderElection: &LeaderElection{
		Namespace: "kube-system", Name: "mgr", Identity: "a", Client: client,
	}})
	if err != nil {
		t.Fatal(err)
	}
	leading, stopped := make(chan struct{}), make(chan struct{})
	if err := m.Add(RunnableFunc(func(ctx context.Context) error { close(leading); <-ctx.Done(); close(stopped); return nil })); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background()) }()
	wait(t, leading, "leadership")
	cutAt := fc.Now()
	close(client.cut)
	// Renewals every 2s fail; at the 10s renew deadline the replica gives up, well before
	// its 15s lease could be taken by another.
	bg, bgCancel := context.WithCancel(context.Background())
	defer bgCancel()
	go func() { <-stopped; bgCancel() }() // once stopped, nothing may be waiting on the clock
	for stopping := true; stopping; {
		select {
		case <-stopped:
			stopping = false
			continue
		default:
		}
		_ = fc.BlockUntilWaiters(bg, 1) // returns early once stopped
		select {
		case <-stopped:
			stopping = false
			continue
		default:
		}
		if fc.Now().Sub(cutAt) > time.Minute {
			t.Fatal("leader-only work never stopped")
		}
		fc.Step(time.Second)
	}
	if took := fc.Now().Sub(cutAt); took < 10*time.Second || took > 12*time.Second {
		t.Errorf("leader-only work stopped %v after renewals began failing, want 10s-12s (renew deadline 10s, lease 15s)", took)
	}
	wait(t, stopped, "leader-only work to stop")
	if err := wait(t, done, "Run"); !errors.Is(err, leaderelection.ErrLeadershipLost) {
		t.Errorf("Run: %v, want ErrLeadershipLost", err)
	}
}
