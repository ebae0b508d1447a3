package manager

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	prom "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/controller/leaderelection"
	ctlprom "github.com/cellkit/cellkit/controller/prometheus"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/workqueue"
	wqprom "github.com/cellkit/cellkit/workqueue/prometheus"
)

// Defaults of Options.
const (
	DefaultCacheSyncTimeout = 2 * time.Minute
	DefaultShutdownTimeout  = 30 * time.Second
)

var (
	// ErrInvalidOptions is wrapped by every error about invalid options.
	ErrInvalidOptions = errors.New("invalid manager options")
	// ErrNotSynced is wrapped by the error of Run when caches did not sync in time.
	ErrNotSynced = errors.New("caches did not sync")
	// ErrShutdownTimeout is wrapped by the error of Run when runnables did not stop within
	// Options.ShutdownTimeout.
	ErrShutdownTimeout = errors.New("shutdown timed out")
	// ErrStarted is returned by Add after Run, and by a second Run.
	ErrStarted = errors.New("manager already started")
)

// Runnable is something the manager runs: Run blocks until ctx is done (returning nil) or a
// fatal error happens. *controller.Controller is one.
type Runnable interface {
	Run(ctx context.Context) error
}

// RunnableFunc adapts a function to Runnable.
type RunnableFunc func(ctx context.Context) error

// Run calls f.
func (f RunnableFunc) Run(ctx context.Context) error { return f(ctx) }

// LeaderElectionRunnable is implemented by runnables that say whether they need leadership.
// Runnables that do not implement it need leadership (as controllers, which must not act
// twice).
type LeaderElectionRunnable interface {
	NeedLeaderElection() bool
}

// CacheSyncer is implemented by runnables whose caches the manager waits for, by name, before
// it starts anything (controllers implement it).
type CacheSyncer interface {
	CacheSyncers() map[string]informer.Syncer
}

type always struct {
	Runnable
}

func (always) NeedLeaderElection() bool { return false }

// WithoutLeaderElection marks r as running on every replica, leader or not.
func WithoutLeaderElection(r Runnable) Runnable { return always{r} }

// LeaderElection configures the manager's election; see package leaderelection.
type LeaderElection struct {
	// Namespace and Name name the Lease; Identity names this replica. Name and Identity are
	// required.
	Namespace, Name, Identity string
	// Durations; zero means the leaderelection defaults.
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
	// ReleaseOnCancel releases the lease on a graceful stop so another replica takes over at
	// once.
	ReleaseOnCancel bool
	// JitterFactor spreads the acquire attempts of standby replicas (see
	// leaderelection.Options.JitterFactor); zero means none.
	JitterFactor float64
	// Client overrides the Lease client (default: the manager's store).
	Client leaderelection.Client
}

// Options configure a Manager.
type Options struct {
	// Store is the store the informers read and the Lease lives in. Required.
	Store store.Interface
	// Scheme maps Go types to kinds and resources. Required.
	Scheme *runtime.Scheme
	// Informers configures the shared informer factory. Its Clock defaults to Clock.
	Informers informer.FactoryOptions
	// LeaderElection, when set, runs leader-only runnables only while this replica holds the
	// Lease. Caches are started and synced before leadership, so failover does not wait
	// for a full list.
	LeaderElection *LeaderElection
	// CacheSyncTimeout bounds the wait for caches. Default DefaultCacheSyncTimeout.
	CacheSyncTimeout time.Duration
	// ShutdownTimeout bounds how long Run waits for runnables to return after it cancelled
	// them. Default DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// Addr, when set, is the address the manager serves /healthz, /readyz and /metrics on.
	Addr string
	// Registry is the Prometheus registry served on /metrics. Nil means a new registry
	// (see Manager.Registry).
	Registry *prom.Registry
	// Clock is the time source. Nil means the real clock.
	Clock clock.Clock
	// Logger receives the manager's logs. Default discard.
	Logger logr.Logger
}

// Check is a health or readiness check; a nil error means healthy.
type Check func(r *http.Request) error

// Manager owns the informer factory of a store, runs runnables (with or without leadership),
// serves health, readiness and metrics, and shuts everything down within a bound. Create it
// with New, Add runnables, then Run.
type Manager struct {
	opts    Options
	clock   clock.Clock
	log     logr.Logger
	factory *informer.Factory
	reg     *prom.Registry
	ctlM    *ctlprom.Provider
	queueM  *wqprom.Provider
	started atomic.Bool
	ready   atomic.Bool
	leading atomic.Bool

	mu       sync.Mutex
	leaders  []Runnable
	others   []Runnable
	syncers  map[string]informer.Syncer
	names    map[string]bool
	healthz  map[string]Check
	readyz   map[string]Check
	listener net.Listener
}

// New validates opts and creates the manager and its informer factory.
func New(opts Options) (*Manager, error) {
	var problems []error
	if opts.Store == nil {
		problems = append(problems, errors.New("store is required"))
	}
	if opts.Scheme == nil {
		problems = append(problems, errors.New("scheme is required"))
	}
	if opts.CacheSyncTimeout < 0 || opts.ShutdownTimeout < 0 {
		problems = append(problems, errors.New("timeouts must not be negative"))
	}
	if le := opts.LeaderElection; le != nil && (le.Name == "" || le.Identity == "") {
		problems = append(problems, errors.New("leader election needs a lease name and an identity"))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("new manager: %w: %w", ErrInvalidOptions, errors.Join(problems...))
	}
	if opts.CacheSyncTimeout == 0 {
		opts.CacheSyncTimeout = DefaultCacheSyncTimeout
	}
	if opts.ShutdownTimeout == 0 {
		opts.ShutdownTimeout = DefaultShutdownTimeout
	}
	var err error
	m := &Manager{opts: opts, clock: opts.Clock, log: opts.Logger, reg: opts.Registry,
		syncers: map[string]informer.Syncer{}, names: map[string]bool{}, healthz: map[string]Check{}, readyz: map[string]Check{}}
	if m.clock == nil {
		m.clock = clock.Real()
	}
	if m.log.GetSink() == nil {
		m.log = logr.Discard()
	}
	if m.reg == nil {
		m.reg = prom.NewRegistry()
	}
	if m.ctlM, err = ctlprom.New(ctlprom.Options{Registerer: m.reg}); err != nil {
		return nil, fmt.Errorf("new manager: %w", err)
	}
	if m.queueM, err = wqprom.New(wqprom.Options{Registerer: m.reg}); err != nil {
		return nil, fmt.Errorf("new manager: %w", err)
	}
	fopts := opts.Informers
	if fopts.Clock == nil {
		fopts.Clock = m.clock
	}
	f, err := informer.NewFactory(informer.StoreSources(opts.Store), fopts)
	if err != nil {
		return nil, fmt.Errorf("new manager: %w", err)
	}
	m.factory = f
	return m, nil
}

// Factory returns the shared informer factory (for controller.NewBuilder).
func (m *Manager) Factory() *informer.Factory { return m.factory }

// ControllerMetrics and QueueMetrics are Prometheus providers registered in the manager's
// registry: pass them as controller.Options Metrics and QueueMetrics so /metrics serves the
// controller_runtime_* and workqueue_* series.
func (m *Manager) ControllerMetrics() controller.MetricsProvider { return m.ctlM }

// QueueMetrics: see ControllerMetrics.
func (m *Manager) QueueMetrics() workqueue.MetricsProvider { return m.queueM }

// Scheme returns the scheme.
func (m *Manager) Scheme() *runtime.Scheme { return m.opts.Scheme }

// Store returns the store.
func (m *Manager) Store() store.Interface { return m.opts.Store }

// Registry returns the Prometheus registry served on /metrics; register the controller and
// workqueue Prometheus providers into it.
func (m *Manager) Registry() *prom.Registry { return m.reg }

// IsLeader reports whether leader-only runnables are running (always true once started
// without leader election).
func (m *Manager) IsLeader() bool { return m.leading.Load() }

// Addr returns the address the HTTP server listens on (useful with port 0), or nil before Run
// started listening or without Options.Addr.
func (m *Manager) Addr() net.Addr {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.listener == nil {
		return nil
	}
	return m.listener.Addr()
}

// Add registers r. It fails with ErrStarted after Run.
func (m *Manager) Add(r Runnable) error {
	if r == nil {
		return fmt.Errorf("add runnable: %w: nil", ErrInvalidOptions)
	}
	if m.started.Load() {
		return fmt.Errorf("add runnable: %w", ErrStarted)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if n, ok := r.(interface{ Name() string }); ok {
		if m.names[n.Name()] {
			return fmt.Errorf("add runnable: %w: two runnables named %q (their metrics would mix)", ErrInvalidOptions, n.Name())
		}
		m.names[n.Name()] = true
	}
	if cs, ok := r.(CacheSyncer); ok {
		prefix := ""
		if n, ok := r.(interface{ Name() string }); ok {
			prefix = n.Name() + ": "
		}
		for name, s := range cs.CacheSyncers() {
			m.syncers[prefix+name] = s
		}
	}
	if le, ok := r.(LeaderElectionRunnable); ok && !le.NeedLeaderElection() {
		m.others = append(m.others, r)
	} else {
		m.leaders = append(m.leaders, r)
	}
	return nil
}

// AddHealthzCheck adds a liveness check served on /healthz.
func (m *Manager) AddHealthzCheck(name string, c Check) {
	m.mu.Lock()
	m.healthz[name] = c
	m.mu.Unlock()
}

// AddReadyzCheck adds a readiness check served on /readyz (which also fails until the caches
// synced).
func (m *Manager) AddReadyzCheck(name string, c Check) {
	m.mu.Lock()
	m.readyz[name] = c
	m.mu.Unlock()
}

// Handler serves /healthz, /readyz and /metrics; Run serves it on Options.Addr.
func (m *Manager) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { m.serveChecks(w, r, m.healthz, true) })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) { m.serveChecks(w, r, m.readyz, m.ready.Load()) })
	mux.Handle("/metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	return mux
}

func (m *Manager) serveChecks(w http.ResponseWriter, r *http.Request, checks map[string]Check, base bool) {
	m.mu.Lock()
	names := make([]string, 0, len(checks))
	for n := range checks {
		names = append(names, n)
	}
	cs := make(map[string]Check, len(checks))
	for n, c := range checks {
		cs[n] = c
	}
	m.mu.Unlock()
	sort.Strings(names)
	var failed []string
	if !base {
		failed = append(failed, "caches: not synced")
	}
	for _, n := range names {
		if err := cs[n](r); err != nil {
			failed = append(failed, n+": "+err.Error())
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if len(failed) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, strings.Join(failed, "\n"))
		return
	}
	fmt.Fprintln(w, "ok")
}

// Run starts the informers, waits for the caches, starts the runnables that do not need
// leadership, and, once leader (at once without election), those that do. It runs until ctx
// ends or the first fatal error (a runnable's error, leadership lost, a cache that did not
// sync, the HTTP server failing), then cancels every runnable, waits for them at most
// ShutdownTimeout, stops the informers and the HTTP server, and returns that first error
// (nil after a normal stop; ErrShutdownTimeout naming the stuck runnables if they did not
// return in time).
func (m *Manager) Run(ctx context.Context) error {
	if !m.started.CompareAndSwap(false, true) {
		return fmt.Errorf("run manager: %w", ErrStarted)
	}
	m.mu.Lock()
	leaders, others := append([]Runnable(nil), m.leaders...), append([]Runnable(nil), m.others...)
	syncers := make(map[string]informer.Syncer, len(m.syncers))
	for k, v := range m.syncers {
		syncers[k] = v
	}
	m.mu.Unlock()

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		firstMu sync.Mutex
		first   error
	)
	fail := func(err error) {
		firstMu.Lock()
		if first == nil {
			first = err
		}
		firstMu.Unlock()
		cancel()
	}

	// The HTTP server.
	var httpDone chan struct{}
	var srv *http.Server
	if m.opts.Addr != "" {
		ln, err := net.Listen("tcp", m.opts.Addr)
		if err != nil {
			return fmt.Errorf("run manager: listen on %s: %w", m.opts.Addr, err)
		}
		m.mu.Lock()
		m.listener = ln
		m.mu.Unlock()
		srv = &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 10 * time.Second}
		httpDone = make(chan struct{})
		go func() {
			defer close(httpDone)
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				fail(fmt.Errorf("run manager: serve http: %w", err))
			}
		}()
	}

	// Informers run until the very end, under their own context.
	infCtx, stopInformers := context.WithCancel(context.WithoutCancel(ctx))
	m.factory.Start(infCtx)

	tracker := &tracker{running: map[string]bool{}}
	if err := m.waitForCaches(runCtx, syncers); err != nil {
		if ctx.Err() == nil {
			fail(err)
		}
	} else {
		m.ready.Store(true)
		for i, r := range others {
			tracker.start(runCtx, fmt.Sprintf("runnable %d (%T)", i, r), r, fail)
		}
		if m.opts.LeaderElection == nil {
			m.leading.Store(true)
			for i, r := range leaders {
				tracker.start(runCtx, fmt.Sprintf("leader runnable %d (%T)", i, r), r, fail)
			}
		} else {
			if err := m.startElection(runCtx, leaders, tracker, fail); err != nil {
				fail(err)
			}
		}
	}
	<-runCtx.Done()

	// Bounded shutdown.
	stopped := make(chan struct{})
	go func() { tracker.wg.Wait(); close(stopped) }()
	timer := m.clock.NewTimer(m.opts.ShutdownTimeout)
	select {
	case <-stopped:
		timer.Stop()
	case <-timer.C():
		stuck := fmt.Errorf("%w after %v: %s still running", ErrShutdownTimeout, m.opts.ShutdownTimeout, strings.Join(tracker.names(), ", "))
		firstMu.Lock()
		if first == nil {
			first = fmt.Errorf("run manager: %w", stuck)
		} else {
			first = fmt.Errorf("%w (and %w)", first, stuck) // the first error stays first
		}
		firstMu.Unlock()
	}
	stopInformers()
	m.factory.Wait()
	if srv != nil {
		_ = srv.Close()
		<-httpDone
	}
	m.ready.Store(false)
	m.leading.Store(false)
	firstMu.Lock()
	defer firstMu.Unlock()
	return first
}

func (m *Manager) waitForCaches(ctx context.Context, syncers map[string]informer.Syncer) error {
	timeout := make(chan struct{})
	t := m.clock.AfterFunc(m.opts.CacheSyncTimeout, func() { close(timeout) })
	defer t.Stop()
	factorySynced := make(chan error, 1)
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { factorySynced <- m.factory.WaitForSync(fctx) }()
	names := make([]string, 0, len(syncers))
	for n := range syncers {
		names = append(names, n)
	}
	sort.Strings(names)
	notSynced := func() error {
		var missing []string
		for _, n := range names {
			if !syncers[n].HasSynced() {
				missing = append(missing, n)
			}
		}
		for _, n := range m.factory.Unsynced() {
			missing = append(missing, "informer "+n)
		}
		return fmt.Errorf("run manager: %w within %v: %s", ErrNotSynced, m.opts.CacheSyncTimeout, strings.Join(missing, ", "))
	}
	for _, n := range names {
		select {
		case <-syncers[n].Synced():
		case <-timeout:
			return notSynced()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	select {
	case err := <-factorySynced:
		if err != nil {
			return err
		}
		return nil
	case <-timeout:
		return notSynced()
	}
}

func (m *Manager) startElection(ctx context.Context, leaders []Runnable, tr *tracker, fail func(error)) error {
	le := m.opts.LeaderElection
	client := le.Client
	if client == nil {
		client = leaderelection.ForStore(m.opts.Store)
	}
	e, err := leaderelection.New(leaderelection.Options{
		Client: client, Namespace: le.Namespace, Name: le.Name, Identity: le.Identity,
		LeaseDuration: le.LeaseDuration, RenewDeadline: le.RenewDeadline, RetryPeriod: le.RetryPeriod,
		ReleaseOnCancel: le.ReleaseOnCancel, JitterFactor: le.JitterFactor, Clock: m.clock, Logger: m.log,
		Callbacks: leaderelection.Callbacks{OnStartedLeading: func(lctx context.Context) {
			m.leading.Store(true)
			inner := &tracker{running: map[string]bool{}}
			for i, r := range leaders {
				inner.start(lctx, fmt.Sprintf("leader runnable %d (%T)", i, r), r, fail)
			}
			<-lctx.Done()
			// Leader-only work stops before the election may let anyone else in.
			inner.wg.Wait()
			m.leading.Store(false)
		}},
	})
	if err != nil {
		return fmt.Errorf("run manager: %w", err)
	}
	tr.start(ctx, "leader election", RunnableFunc(func(ctx context.Context) error {
		return e.Run(ctx)
	}), fail)
	return nil
}

// tracker runs runnables and knows which are still running.
type tracker struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	running map[string]bool
}

func (t *tracker) start(ctx context.Context, name string, r Runnable, fail func(error)) {
	t.wg.Add(1)
	t.mu.Lock()
	t.running[name] = true
	t.mu.Unlock()
	go func() {
		defer t.wg.Done()
		err := r.Run(ctx)
		t.mu.Lock()
		delete(t.running, name)
		t.mu.Unlock()
		if err != nil { // a runnable that returns nil early is done, which is not fatal
			fail(fmt.Errorf("run manager: %s: %w", name, err))
		}
	}()
}

func (t *tracker) names() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.running))
	for n := range t.running {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
