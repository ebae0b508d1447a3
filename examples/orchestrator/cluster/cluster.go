package cluster

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/go-logr/logr"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/controller/deployment"
	"github.com/cellkit/cellkit/controller/garbagecollector"
	"github.com/cellkit/cellkit/controller/leaderelection"
	"github.com/cellkit/cellkit/controller/manager"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/controller/nodelifecycle"
	"github.com/cellkit/cellkit/controller/record"
	"github.com/cellkit/cellkit/controller/replicaset"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/registry"
)

// ErrRunning is returned when a running component is started again.
var ErrRunning = errors.New("already running")

// ErrUnknownComponent is returned for a node or manager the cluster does not have.
var ErrUnknownComponent = errors.New("unknown component")

// Timings are the durations that decide how fast the cluster notices and repairs failures. The
// zero value of each field means Kubernetes' default.
type Timings struct {
	// NodeLeaseDuration is the leaseDurationSeconds of each node's Lease (default 40 s), and
	// NodeRenewInterval how often its agent renews it (default 10 s).
	NodeLeaseDuration, NodeRenewInterval time.Duration
	// NodeStatusUpdateFrequency is how often an agent posts its node's status (default 10 s).
	NodeStatusUpdateFrequency time.Duration
	// NodeMonitorPeriod is how often the node lifecycle controller checks heartbeats (default
	// 5 s); NodeMonitorGracePeriod how long a node may stay silent before it is Unknown
	// (default 40 s).
	NodeMonitorPeriod, NodeMonitorGracePeriod time.Duration
	// DefaultTolerationSeconds is how long pods tolerate a not-ready or unreachable node
	// before they are evicted (default 300).
	DefaultTolerationSeconds int64
	// LeaderLease, LeaderRenewDeadline and LeaderRetryPeriod configure the controller
	// managers' election (defaults 15 s, 10 s, 2 s).
	LeaderLease, LeaderRenewDeadline, LeaderRetryPeriod time.Duration
	// SchedulerBackoff is the initial backoff of pods that did not fit (default 1 s).
	SchedulerBackoff time.Duration
}

// DemoTimings returns timings that make a small cluster heal within seconds: a silent node is
// Unknown after 4 s and its pods are evicted 2 s later; a stopped leader is replaced within
// about 3 s.
func DemoTimings() Timings {
	return Timings{
		NodeLeaseDuration:         4 * time.Second,
		NodeRenewInterval:         time.Second,
		NodeStatusUpdateFrequency: time.Second,
		NodeMonitorPeriod:         500 * time.Millisecond,
		NodeMonitorGracePeriod:    4 * time.Second,
		DefaultTolerationSeconds:  2,
		LeaderLease:               3 * time.Second,
		LeaderRenewDeadline:       2 * time.Second,
		LeaderRetryPeriod:         500 * time.Millisecond,
		SchedulerBackoff:          200 * time.Millisecond,
	}
}

func (t Timings) withDefaults() Timings {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&t.NodeLeaseDuration, 40*time.Second)
	def(&t.NodeRenewInterval, 10*time.Second)
	def(&t.NodeStatusUpdateFrequency, 10*time.Second)
	def(&t.NodeMonitorPeriod, 5*time.Second)
	def(&t.NodeMonitorGracePeriod, 40*time.Second)
	def(&t.LeaderLease, 15*time.Second)
	def(&t.LeaderRenewDeadline, 10*time.Second)
	def(&t.LeaderRetryPeriod, 2*time.Second)
	def(&t.SchedulerBackoff, time.Second)
	if t.DefaultTolerationSeconds == 0 {
		t.DefaultTolerationSeconds = 300
	}
	return t
}

// Options configure a Cluster.
type Options struct {
	// Backend is the store that holds the cluster's state (memory, disk or etcd). Required.
	// The cluster wraps it in a registry; it never closes it.
	Backend store.Interface
	// Scheme knows the built-in kinds (apis.NewScheme). Required.
	Scheme *runtime.Scheme
	// Nodes is the number of node agents, named node-1 ... node-N. Default 3.
	Nodes int
	// NodeCapacity is every node's capacity (and allocatable). Default 4 cpu, 8Gi memory,
	// 110 pods.
	NodeCapacity corev1.ResourceList
	// ControllerManagers is the number of controller-manager replicas; one leads at a time.
	// Default 1.
	ControllerManagers int
	// Runtime gives the container runtime of a node; it is kept across restarts of that
	// node's agent (a restarted agent finds its containers still running). Default: a hollow
	// runtime per node.
	Runtime func(node string) nodeagent.Runtime
	// Timings; zero fields are Kubernetes' defaults.
	Timings Timings
	// Clock drives every component. Default the real clock.
	Clock clock.Clock
	// Tick is how far Eventually moves a fake clock per step. Default 100 ms.
	Tick time.Duration
	// Logger receives every component's logs, each under its own name. Default discard.
	Logger logr.Logger
	// CopyInformerObjects makes the controller managers' informers keep a copy of every
	// object, as a client of a remote store must. By default they cache the store's own
	// immutable objects (store.WatchOptions.SharedObjects, with a streaming initial list),
	// which every backend in this process serves, and save a copy per change.
	CopyInformerObjects bool
}

func initialList(shared bool) informer.InitialList {
	if shared {
		return informer.StreamingList
	}
	return informer.ListThenWatch
}

// Cluster is a running orchestrator in one process. Create it with New, then Start.
type Cluster struct {
	opts    Options
	timings Timings
	clk     clock.Clock
	store   *registry.Registry

	mu       sync.Mutex
	ctx      context.Context // parent of every component; set by Start
	cancel   context.CancelFunc
	failures []error

	scheduler *component
	managers  []*component
	agents    map[string]*component
	runtimes  map[string]nodeagent.Runtime
	nodes     []string
}

// New validates opts and builds the cluster's components without starting any.
func New(opts Options) (*Cluster, error) {
	if opts.Backend == nil || opts.Scheme == nil {
		return nil, errors.New("cluster: options need a backend and a scheme")
	}
	if opts.Nodes < 0 || opts.ControllerManagers < 0 {
		return nil, fmt.Errorf("cluster: negative count of nodes (%d) or managers (%d)", opts.Nodes, opts.ControllerManagers)
	}
	if opts.Nodes == 0 {
		opts.Nodes = 3
	}
	if opts.ControllerManagers == 0 {
		opts.ControllerManagers = 1
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real()
	}
	if opts.Tick == 0 {
		opts.Tick = 100 * time.Millisecond
	}
	if opts.NodeCapacity == nil {
		opts.NodeCapacity = corev1.ResourceList{
			corev1.ResourceCPU:    mustQuantity("4"),
			corev1.ResourceMemory: mustQuantity("8Gi"),
			corev1.ResourcePods:   mustQuantity("110"),
		}
	}
	t := opts.Timings.withDefaults()
	tol := t.DefaultTolerationSeconds
	reg, err := registry.New(opts.Backend, registry.Options{
		Scheme:                   opts.Scheme,
		Clock:                    opts.Clock,
		Logger:                   opts.Logger.WithName("registry"),
		DefaultTolerationSeconds: &tol,
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c := &Cluster{
		opts: opts, timings: t, clk: opts.Clock, store: reg,
		agents: map[string]*component{}, runtimes: map[string]nodeagent.Runtime{},
	}
	c.scheduler = &component{name: "scheduler", build: c.buildScheduler}
	for i := 1; i <= opts.ControllerManagers; i++ {
		id := fmt.Sprintf("controller-manager-%d", i)
		c.managers = append(c.managers, &component{name: id,
			build:     func() (func(context.Context) error, error) { return c.buildManager(id) },
			restartOn: func(err error) bool { return errors.Is(err, leaderelection.ErrLeadershipLost) },
		})
	}
	for i := 1; i <= opts.Nodes; i++ {
		name := fmt.Sprintf("node-%d", i)
		c.nodes = append(c.nodes, name)
		if opts.Runtime != nil {
			c.runtimes[name] = opts.Runtime(name)
		} else {
			rt, err := hollow.New(hollow.Options{Clock: opts.Clock})
			if err != nil {
				return nil, fmt.Errorf("cluster: runtime of %s: %w", name, err)
			}
			c.runtimes[name] = rt
		}
		c.agents[name] = &component{name: name, build: func() (func(context.Context) error, error) { return c.buildAgent(name) }}
	}
	return c, nil
}

// Store is the registry every component writes through; users of the cluster (the scenario,
// tests, a REST server) use it too.
func (c *Cluster) Store() store.Interface { return c.store }

// Scheme is the cluster's scheme.
func (c *Cluster) Scheme() *runtime.Scheme { return c.opts.Scheme }

// Clock is the cluster's clock.
func (c *Cluster) Clock() clock.Clock { return c.clk }

// Timings are the cluster's timings with defaults filled in.
func (c *Cluster) Timings() Timings { return c.timings }

// Nodes names the cluster's nodes in order.
func (c *Cluster) Nodes() []string { return append([]string(nil), c.nodes...) }

// Runtime is the container runtime of a node.
func (c *Cluster) Runtime(node string) nodeagent.Runtime { return c.runtimes[node] }

func (c *Cluster) buildScheduler() (func(context.Context) error, error) {
	s, err := scheduler.New(scheduler.Options{
		Store:          c.store,
		Clock:          c.clk,
		Logger:         c.opts.Logger.WithName("scheduler"),
		Parallelism:    2,
		InitialBackoff: c.timings.SchedulerBackoff,
		// One scheduler binds at a time (a restarted one starts after the old one stopped), so
		// the reservation protocol that keeps several concurrent schedulers from
		// over-committing a node is not needed; it costs a lease write and a list of the
		// node's pods per binding.
		DisableNodeReservation: true,
	})
	if err != nil {
		return nil, err
	}
	return s.Run, nil
}

func (c *Cluster) buildManager(id string) (func(context.Context) error, error) {
	t := c.timings
	log := c.opts.Logger.WithName(id)
	m, err := manager.New(manager.Options{
		Store:  c.store,
		Scheme: c.opts.Scheme,
		Clock:  c.clk,
		Logger: log,
		// The controllers never modify cached objects (they copy before they write), so the
		// caches can hold the store's own immutable objects instead of a copy per change.
		Informers: informer.FactoryOptions{SharedObjects: !c.opts.CopyInformerObjects, InitialList: initialList(!c.opts.CopyInformerObjects)},
		LeaderElection: &manager.LeaderElection{
			Namespace: "kube-system", Name: "controller-manager", Identity: id,
			LeaseDuration: t.LeaderLease, RenewDeadline: t.LeaderRenewDeadline, RetryPeriod: t.LeaderRetryPeriod,
			ReleaseOnCancel: true,
		},
	})
	if err != nil {
		return nil, err
	}
	events, err := record.New(record.Options{Client: record.ForStore(c.store), Scheme: c.opts.Scheme, Component: "controller-manager", Host: id, Clock: c.clk, Logger: log.WithName("events")})
	if err != nil {
		return nil, err
	}
	f := m.Factory()
	rs, err := replicaset.New(f, c.store, replicaset.Options{Clock: c.clk, Logger: log.WithName("replicaset"), Recorder: events})
	if err != nil {
		return nil, err
	}
	dep, err := deployment.New(f, c.store, deployment.Options{Clock: c.clk, Logger: log.WithName("deployment"), Recorder: events, Scheme: c.opts.Scheme})
	if err != nil {
		return nil, err
	}
	gc, err := garbagecollector.New(f, c.store, garbagecollector.Options{Clock: c.clk, Logger: log.WithName("garbagecollector"), Scheme: c.opts.Scheme, Recorder: events})
	if err != nil {
		return nil, err
	}
	nl, err := nodelifecycle.New(f, c.store, nodelifecycle.Options{
		Clock: c.clk, Logger: log.WithName("nodelifecycle"), Events: events,
		MonitorPeriod: t.NodeMonitorPeriod, GracePeriod: t.NodeMonitorGracePeriod,
	})
	if err != nil {
		return nil, err
	}
	for _, r := range []manager.Runnable{rs, dep, gc, nl} {
		if err := m.Add(r); err != nil {
			return nil, err
		}
	}
	return func(ctx context.Context) error {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); events.Run(ctx) }()
		err := m.Run(ctx)
		wg.Wait()
		return err
	}, nil
}

func (c *Cluster) buildAgent(name string) (func(context.Context) error, error) {
	t := c.timings
	a, err := nodeagent.New(c.store, nodeagent.Options{
		NodeName:              name,
		Runtime:               c.runtimes[name],
		Capacity:              c.opts.NodeCapacity,
		Clock:                 c.clk,
		Logger:                c.opts.Logger.WithName(name),
		LeaseDuration:         t.NodeLeaseDuration,
		RenewInterval:         t.NodeRenewInterval,
		StatusUpdateFrequency: t.NodeStatusUpdateFrequency,
	})
	if err != nil {
		return nil, err
	}
	return a.Run, nil
}

// Start starts every component. Components that fail later are recorded (see Failures) and
// stay stopped. ctx bounds the life of every component.
func (c *Cluster) Start(ctx context.Context) error {
	c.mu.Lock()
	if c.ctx != nil {
		c.mu.Unlock()
		return fmt.Errorf("start cluster: %w", ErrRunning)
	}
	c.ctx, c.cancel = context.WithCancel(ctx)
	c.mu.Unlock()
	all := append([]*component{c.scheduler}, c.managers...)
	for _, n := range c.nodes {
		all = append(all, c.agents[n])
	}
	for _, comp := range all {
		if err := comp.start(c.ctx, c.failed); err != nil {
			c.Stop()
			return err
		}
	}
	return nil
}

func (c *Cluster) failed(name string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failures = append(c.failures, fmt.Errorf("%s: %w", name, err))
	c.opts.Logger.Error(err, "component failed", "component", name)
}

// Failures returns the errors of components that stopped on their own.
func (c *Cluster) Failures() []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]error(nil), c.failures...)
}

// Stop stops every component and waits for all of them. It returns the errors of components
// that failed, joined.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	cancel := c.cancel
	c.mu.Unlock()
	if cancel == nil {
		return nil
	}
	var wg sync.WaitGroup
	all := append([]*component{c.scheduler}, c.managers...)
	for _, n := range c.nodes {
		all = append(all, c.agents[n])
	}
	for _, comp := range all {
		wg.Add(1)
		go func() { defer wg.Done(); _ = comp.stop() }()
	}
	wg.Wait()
	cancel()
	return errors.Join(c.Failures()...)
}

func (c *Cluster) startComponent(comp *component) error {
	c.mu.Lock()
	ctx := c.ctx
	c.mu.Unlock()
	if ctx == nil {
		return fmt.Errorf("start %s: cluster not started", comp.name)
	}
	return comp.start(ctx, c.failed)
}

// StopAgent stops a node's agent, as if the node lost its network: its containers keep running
// in its runtime, its Lease stops being renewed.
func (c *Cluster) StopAgent(node string) error {
	a, ok := c.agents[node]
	if !ok {
		return fmt.Errorf("stop agent %q: %w", node, ErrUnknownComponent)
	}
	return a.stop()
}

// StartAgent starts a stopped node agent again.
func (c *Cluster) StartAgent(node string) error {
	a, ok := c.agents[node]
	if !ok {
		return fmt.Errorf("start agent %q: %w", node, ErrUnknownComponent)
	}
	return c.startComponent(a)
}

// AgentRunning reports whether a node's agent runs.
func (c *Cluster) AgentRunning(node string) bool {
	a, ok := c.agents[node]
	return ok && a.isRunning()
}

// StopScheduler stops the scheduler; pending pods wait until it starts again.
func (c *Cluster) StopScheduler() error { return c.scheduler.stop() }

// StartScheduler starts a fresh scheduler.
func (c *Cluster) StartScheduler() error { return c.startComponent(c.scheduler) }

// Managers is the number of controller-manager replicas.
func (c *Cluster) Managers() int { return len(c.managers) }

// StopManager stops controller-manager replica i (0-based); if it led, another replica takes
// over through leader election.
func (c *Cluster) StopManager(i int) error {
	if i < 0 || i >= len(c.managers) {
		return fmt.Errorf("stop manager %d: %w", i, ErrUnknownComponent)
	}
	return c.managers[i].stop()
}

// ManagerRestarts is how many times controller-manager replica i was restarted because it lost
// its lease (a manager that loses leadership exits and its supervisor starts a fresh one).
func (c *Cluster) ManagerRestarts(i int) int {
	if i < 0 || i >= len(c.managers) {
		return 0
	}
	return c.managers[i].restartCount()
}

// StartManager starts controller-manager replica i again.
func (c *Cluster) StartManager(i int) error {
	if i < 0 || i >= len(c.managers) {
		return fmt.Errorf("start manager %d: %w", i, ErrUnknownComponent)
	}
	return c.startComponent(c.managers[i])
}

// RunningComponents names the components that run, sorted.
func (c *Cluster) RunningComponents() []string {
	var out []string
	all := append([]*component{c.scheduler}, c.managers...)
	for _, n := range c.nodes {
		all = append(all, c.agents[n])
	}
	for _, comp := range all {
		if comp.isRunning() {
			out = append(out, comp.name)
		}
	}
	sort.Strings(out)
	return out
}
