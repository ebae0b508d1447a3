package controller

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/workqueue"
)

// Clock is the time source of a controller: reconcile timeouts, sync timeouts, durations and
// the queue's delays. Both cellkit clocks (internal/clock Real and Fake) satisfy it.
type Clock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) workqueue.Timer
}

// DefaultCacheSyncTimeout is the CacheSyncTimeout used when Options leaves it zero.
const DefaultCacheSyncTimeout = 2 * time.Minute

// Priorities the controller's event handlers use on the queue: fresh changes go ahead of
// the objects of an initial list and of resyncs, so a restart or a resync never delays
// real work.
const (
	PriorityFresh = 0
	PriorityLow   = -1
)

// Options configure a Controller. Every field but Name has a documented zero-value default.
type Options[T comparable] struct {
	// Name names the controller in logs and metrics (and its queue). Required.
	Name string
	// Workers is the number of reconciles that run at once (never two for one item).
	// Default 1; negative is invalid.
	Workers int
	// ReconcileTimeout, when positive, cancels the context of a reconcile that runs longer;
	// its cause is ErrReconcileTimeout. Zero means no timeout; negative is invalid.
	ReconcileTimeout time.Duration
	// CacheSyncTimeout bounds how long Run waits for the sources to sync before it fails
	// with ErrNotSynced. Zero means DefaultCacheSyncTimeout; negative is invalid.
	CacheSyncTimeout time.Duration
	// RateLimiter computes the backoff of items whose reconcile failed. Nil means
	// workqueue.DefaultControllerRateLimiter on Clock (5ms doubling to 1000s per item, at
	// most 10 qps with bursts of 100 overall).
	RateLimiter workqueue.RateLimiter[T]
	// Clock is the time source. Nil means the real clock.
	Clock Clock
	// Metrics creates the controller's metrics; QueueMetrics those of its queue. Nil
	// records none.
	Metrics      MetricsProvider
	QueueMetrics workqueue.MetricsProvider
	// Logger receives the controller's logs: errors of reconciles at V(0), terminal errors
	// at V(0), starts and stops at V(1), each reconcile at V(5). Default discard.
	Logger logr.Logger
}

// Controller runs a Reconciler over the items of a workqueue with a pool of workers.
// Event sources (see Builder, or Enqueue from your own informer handlers) put items on the
// queue; Run starts the workers once the sources have synced. Create it with New.
type Controller[T comparable] struct {
	name    string
	r       Reconciler[T]
	opts    Options[T]
	clock   Clock
	queue   *workqueue.Queue[T]
	m       *metrics
	log     logr.Logger
	started atomic.Bool

	mu      sync.Mutex
	syncers []namedSyncer

	// onEnqueue, when set (by tests, before any event), observes every Enqueue and EnqueueLow.
	onEnqueue func(item T, priority int)
}

type namedSyncer struct {
	name string
	s    informer.Syncer
}

// New returns a controller that reconciles items with r. It fails with ErrInvalidOptions
// when the options are invalid.
func New[T comparable](r Reconciler[T], opts Options[T]) (*Controller[T], error) {
	if r == nil {
		return nil, fmt.Errorf("new controller: %w: nil reconciler", ErrInvalidOptions)
	}
	if opts.Name == "" {
		return nil, fmt.Errorf("new controller: %w: name is required", ErrInvalidOptions)
	}
	switch {
	case opts.Workers < 0:
		return nil, fmt.Errorf("new controller %q: %w: workers %d is negative", opts.Name, ErrInvalidOptions, opts.Workers)
	case opts.ReconcileTimeout < 0:
		return nil, fmt.Errorf("new controller %q: %w: reconcile timeout %v is negative", opts.Name, ErrInvalidOptions, opts.ReconcileTimeout)
	case opts.CacheSyncTimeout < 0:
		return nil, fmt.Errorf("new controller %q: %w: cache sync timeout %v is negative", opts.Name, ErrInvalidOptions, opts.CacheSyncTimeout)
	}
	if opts.Workers == 0 {
		opts.Workers = 1
	}
	if opts.CacheSyncTimeout == 0 {
		opts.CacheSyncTimeout = DefaultCacheSyncTimeout
	}
	c := &Controller[T]{name: opts.Name, r: r, opts: opts, clock: opts.Clock, log: opts.Logger}
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.log.GetSink() == nil {
		c.log = logr.Discard()
	}
	c.log = c.log.WithValues("controller", opts.Name)
	limiter := opts.RateLimiter
	if limiter == nil {
		limiter = workqueue.DefaultControllerRateLimiter[T](c.clock)
	}
	q, err := workqueue.New(workqueue.Options[T]{
		Name:        opts.Name,
		Clock:       c.clock,
		RateLimiter: limiter,
		Metrics:     opts.QueueMetrics,
	})
	if err != nil {
		return nil, fmt.Errorf("new controller %q: %w: %w", opts.Name, ErrInvalidOptions, err)
	}
	c.queue = q
	c.m = newMetrics(opts.Metrics, opts.Name)
	return c, nil
}

// Name returns the controller's name.
func (c *Controller[T]) Name() string { return c.name }

// Queue returns the controller's queue, for event sources that need more than Enqueue.
func (c *Controller[T]) Queue() *workqueue.Queue[T] { return c.queue }

// Enqueue asks for item to be reconciled as a fresh change.
func (c *Controller[T]) Enqueue(item T) {
	if c.onEnqueue != nil {
		c.onEnqueue(item, PriorityFresh)
	}
	c.queue.Add(item)
}

// EnqueueLow asks for item to be reconciled at low priority: after every fresh change that is
// waiting (within the queue's starvation limit). Initial lists and resyncs use it.
func (c *Controller[T]) EnqueueLow(item T) {
	if c.onEnqueue != nil {
		c.onEnqueue(item, PriorityLow)
	}
	_ = c.queue.AddWith(item, workqueue.AddOptions{Priority: PriorityLow})
}

// WaitFor makes Run wait, before it starts the workers, until s has synced; name names it in
// the error when it does not sync in time. Call it before Run.
func (c *Controller[T]) WaitFor(name string, s informer.Syncer) {
	c.mu.Lock()
	c.syncers = append(c.syncers, namedSyncer{name: name, s: s})
	c.mu.Unlock()
}

// CacheSyncers returns the sources Run waits for, by name (see WaitFor). A manager uses them
// to wait for every cache before it starts anything and to name those that did not sync.
func (c *Controller[T]) CacheSyncers() map[string]informer.Syncer {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]informer.Syncer, len(c.syncers))
	for _, s := range c.syncers {
		out[s.name] = s.s
	}
	return out
}

// Run waits for the sources to sync (see WaitFor and Options.CacheSyncTimeout), then runs
// the workers until ctx is done. It then shuts the queue down, lets every running reconcile
// return (their context is cancelled) and returns only when every worker has stopped: nil
// after a normal stop, an error wrapping ErrNotSynced when the sources did not sync, or
// ErrStarted when called twice.
func (c *Controller[T]) Run(ctx context.Context) error {
	if !c.started.CompareAndSwap(false, true) {
		return fmt.Errorf("run controller %q: %w", c.name, ErrStarted)
	}
	defer c.queue.ShutDown()
	c.log.V(1).Info("waiting for caches to sync")
	if err := c.waitForSync(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("run controller %q: %w", c.name, err)
	}
	c.log.V(1).Info("starting workers", "workers", c.opts.Workers)
	var wg sync.WaitGroup
	for range c.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.worker(ctx)
		}()
	}
	<-ctx.Done()
	c.queue.ShutDown()
	wg.Wait()
	c.log.V(1).Info("stopped")
	return nil
}

func (c *Controller[T]) waitForSync(ctx context.Context) error {
	c.mu.Lock()
	syncers := append([]namedSyncer(nil), c.syncers...)
	c.mu.Unlock()
	if len(syncers) == 0 {
		return nil
	}
	timeout := make(chan struct{})
	t := c.clock.AfterFunc(c.opts.CacheSyncTimeout, func() { close(timeout) })
	defer t.Stop()
	for _, s := range syncers {
		select {
		case <-s.s.Synced():
		case <-ctx.Done():
			return ctx.Err()
		case <-timeout:
			var missing []string
			for _, s := range syncers {
				if !s.s.HasSynced() {
					missing = append(missing, s.name)
				}
			}
			if len(missing) == 0 {
				return nil
			}
			sort.Strings(missing)
			return fmt.Errorf("%w within %v: %s", ErrNotSynced, c.opts.CacheSyncTimeout, strings.Join(missing, ", "))
		}
	}
	return nil
}

func (c *Controller[T]) worker(ctx context.Context) {
	for {
		item, err := c.queue.Get(ctx)
		if err != nil {
			return
		}
		c.process(ctx, item)
	}
}

func (c *Controller[T]) process(ctx context.Context, item T) {
	defer c.queue.Done(item)
	c.m.active.Inc()
	defer c.m.active.Dec()
	var start time.Time
	if !c.m.noClockUs {
		start = c.clock.Now()
	}
	res, err := c.reconcile(ctx, item)
	if !c.m.noClockUs {
		c.m.duration.Observe(c.clock.Now().Sub(start).Seconds())
	}
	switch {
	case err != nil && IsTerminal(err):
		c.m.errors.Inc()
		c.m.terminal.Inc()
		c.m.results[ResultTerminalError].Inc()
		c.queue.Forget(item)
		c.log.Error(err, "reconcile failed with a terminal error; not retrying", "item", item)
	case err != nil:
		c.m.errors.Inc()
		c.m.results[ResultError].Inc()
		c.queue.AddRateLimited(item)
		c.log.Error(err, "reconcile failed; retrying with backoff", "item", item)
	case res.RequeueAfter > 0:
		c.m.results[ResultRequeueAfter].Inc()
		c.queue.Forget(item)
		c.queue.AddAfter(item, res.RequeueAfter)
		c.log.V(5).Info("reconciled; requeue after", "item", item, "after", res.RequeueAfter)
	default:
		c.m.results[ResultSuccess].Inc()
		c.queue.Forget(item)
		c.log.V(5).Info("reconciled", "item", item)
	}
}

// reconcile calls the reconciler with the per-reconcile timeout and turns a panic into a
// *PanicError.
func (c *Controller[T]) reconcile(ctx context.Context, item T) (res Result, err error) {
	if c.opts.ReconcileTimeout > 0 {
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		t := c.clock.AfterFunc(c.opts.ReconcileTimeout, func() { cancel(ErrReconcileTimeout) })
		defer func() {
			t.Stop()
			cancel(nil)
		}()
	}
	defer func() {
		if v := recover(); v != nil {
			c.m.panics.Inc()
			res, err = Result{}, &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return c.r.Reconcile(ctx, item)
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }
func (realClock) AfterFunc(d time.Duration, f func()) workqueue.Timer {
	return realTimer{time.AfterFunc(d, f)}
}

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }
