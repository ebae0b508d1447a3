package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
)

// Defaults of the durations, the values Kubernetes components use.
const (
	DefaultLeaseDuration = 15 * time.Second
	DefaultRenewDeadline = 10 * time.Second
	DefaultRetryPeriod   = 2 * time.Second
)

// Leases is the resource of coordination/v1 Lease objects.
var Leases = schema.GroupResource{Group: coordinationv1.GroupName, Resource: "leases"}

var (
	// ErrInvalidOptions is wrapped by every error about invalid options.
	ErrInvalidOptions = errors.New("invalid leader election options")
	// ErrLeadershipLost is returned by Run when the elector led and could not renew its lease
	// within the renew deadline.
	ErrLeadershipLost = errors.New("leadership lost")
	// ErrStarted is returned by Run when called twice.
	ErrStarted = errors.New("leader elector already started")
)

// Clock is the time source of an Elector. Both cellkit clocks satisfy it.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) clock.Timer
	AfterFunc(d time.Duration, f func()) clock.Timer
}

// Client reads and writes the Lease. Every store's typed view of Leases satisfies it (see
// ForStore); a wrapper can inject faults in tests.
type Client interface {
	Get(ctx context.Context, namespace, name string, opts store.GetOptions) (*coordinationv1.Lease, error)
	Create(ctx context.Context, obj *coordinationv1.Lease) (*coordinationv1.Lease, error)
	// Update must fail with a Conflict error when obj's resourceVersion is not the stored one.
	Update(ctx context.Context, obj *coordinationv1.Lease) (*coordinationv1.Lease, error)
}

var _ Client = store.Typed[*coordinationv1.Lease]{}

// ForStore returns the Client of the Leases of s.
func ForStore(s store.Interface) Client { return store.For[*coordinationv1.Lease](s, Leases) }

// Callbacks are called as leadership changes. OnStartedLeading is required.
type Callbacks struct {
	// OnStartedLeading runs in its own goroutine when the elector becomes leader. Its context
	// is cancelled when leadership ends (lost, or Run's context done); it must then stop
	// every leader-only activity and return. Run does not return, release the lease or call
	// OnStoppedLeading before it has returned.
	OnStartedLeading func(ctx context.Context)
	// OnStoppedLeading, when set, is called after OnStartedLeading returned.
	OnStoppedLeading func()
	// OnNewLeader, when set, is called with the identity of every holder the elector
	// observes, including itself, when it changes. It is called from Run's goroutine and
	// must not block.
	OnNewLeader func(identity string)
}

// Options configure an Elector. Durations obey LeaseDuration > RenewDeadline > RetryPeriod > 0.
type Options struct {
	// Client reads and writes the Lease. Required (ForStore adapts any store).
	Client Client
	// Namespace and Name name the Lease. Name is required.
	Namespace, Name string
	// Identity names this candidate; it must be unique among candidates. Required.
	Identity string
	// LeaseDuration is how long, after a candidate last saw the lease change, it waits before
	// taking over. Default DefaultLeaseDuration.
	LeaseDuration time.Duration
	// RenewDeadline is how long the leader keeps trying to renew before it gives up and stops
	// leading. It must be below LeaseDuration, so the leader stops before anyone else may
	// start. Default DefaultRenewDeadline.
	RenewDeadline time.Duration
	// RetryPeriod is the interval between attempts to acquire or renew. It must be below
	// RenewDeadline. Default DefaultRetryPeriod.
	RetryPeriod time.Duration
	// JitterFactor spreads the attempts of candidates that are not leading: each waits a
	// random duration between RetryPeriod and RetryPeriod*(1+JitterFactor) before its next
	// attempt, so a fleet of replicas started together does not poll the Lease in step
	// (Kubernetes' components use 1.2). Renewals by the leader are never jittered. Zero, the
	// default, waits exactly RetryPeriod; failover then takes at most LeaseDuration plus two
	// RetryPeriods, and with jitter at most LeaseDuration + RetryPeriod*(2+JitterFactor).
	// Negative values are invalid.
	JitterFactor float64
	// Seed seeds the jitter; zero derives one from Identity, so each candidate draws its own
	// sequence reproducibly.
	Seed uint64
	// ReleaseOnCancel makes the leader, when Run's context ends, clear the holder so another
	// candidate takes over at its next attempt instead of after LeaseDuration.
	ReleaseOnCancel bool
	// Callbacks are called as leadership changes.
	Callbacks Callbacks
	// Clock is the time source. Nil means the real clock.
	Clock Clock
	// Logger receives transitions at V(1) and failed attempts at V(4). Default discard.
	Logger logr.Logger
}

// Elector takes part in the election of one Lease. Create it with New and call Run.
type Elector struct {
	opts    Options
	clock   Clock
	log     logr.Logger
	started atomic.Bool
	leading atomic.Bool

	mu           sync.Mutex
	observedRV   string
	observedTime time.Time
	leader       string

	// rand draws the jitter; only the goroutine of Run uses it.
	rand *rand.Rand

	// armed, when set (by tests), is called each time the elector starts waiting for its
	// next attempt.
	armed func()
}

// New validates opts and returns an elector.
func New(opts Options) (*Elector, error) {
	if opts.LeaseDuration == 0 {
		opts.LeaseDuration = DefaultLeaseDuration
	}
	if opts.RenewDeadline == 0 {
		opts.RenewDeadline = DefaultRenewDeadline
	}
	if opts.RetryPeriod == 0 {
		opts.RetryPeriod = DefaultRetryPeriod
	}
	var problems []error
	if opts.Client == nil {
		problems = append(problems, errors.New("client is required"))
	}
	if opts.Name == "" {
		problems = append(problems, errors.New("lease name is required"))
	}
	if opts.Identity == "" {
		problems = append(problems, errors.New("identity is required"))
	}
	if opts.Callbacks.OnStartedLeading == nil {
		problems = append(problems, errors.New("OnStartedLeading is required"))
	}
	switch {
	case opts.RetryPeriod < 0 || opts.RenewDeadline < 0 || opts.LeaseDuration < 0:
		problems = append(problems, fmt.Errorf("durations must not be negative (lease %v, renew deadline %v, retry period %v)", opts.LeaseDuration, opts.RenewDeadline, opts.RetryPeriod))
	case opts.LeaseDuration <= opts.RenewDeadline:
		problems = append(problems, fmt.Errorf("lease duration %v must be greater than renew deadline %v", opts.LeaseDuration, opts.RenewDeadline))
	case opts.RenewDeadline <= opts.RetryPeriod:
		problems = append(problems, fmt.Errorf("renew deadline %v must be greater than retry period %v", opts.RenewDeadline, opts.RetryPeriod))
	}
	if opts.JitterFactor < 0 || math.IsNaN(opts.JitterFactor) || math.IsInf(opts.JitterFactor, 0) {
		problems = append(problems, fmt.Errorf("jitter factor %v must be a finite number >= 0", opts.JitterFactor))
	}
	if opts.LeaseDuration%time.Second != 0 || opts.LeaseDuration/time.Second > math.MaxInt32 {
		problems = append(problems, fmt.Errorf("lease duration %v must be a whole number of seconds (Lease objects store seconds)", opts.LeaseDuration))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("new leader elector: %w: %w", ErrInvalidOptions, errors.Join(problems...))
	}
	e := &Elector{opts: opts, clock: opts.Clock, log: opts.Logger}
	seed := opts.Seed
	if seed == 0 {
		h := fnv.New64a()
		_, _ = h.Write([]byte(opts.Identity))
		seed = h.Sum64()
	}
	e.rand = rand.New(rand.NewPCG(seed, seed>>1|1))
	if e.clock == nil {
		e.clock = clock.Real()
	}
	if e.log.GetSink() == nil {
		e.log = logr.Discard()
	}
	e.log = e.log.WithValues("lease", opts.Namespace+"/"+opts.Name, "identity", opts.Identity)
	return e, nil
}

// IsLeader reports whether the elector currently leads (between a successful acquire and
// the moment it stops renewing).
func (e *Elector) IsLeader() bool { return e.leading.Load() }

// Leader returns the identity of the holder the elector last observed ("" if none).
func (e *Elector) Leader() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.leader
}

// Run campaigns until it becomes leader, then runs OnStartedLeading and renews the lease until
// ctx ends or a renewal fails for RenewDeadline. Either way it cancels the leader context,
// waits for OnStartedLeading to return, calls OnStoppedLeading, releases the lease if
// ReleaseOnCancel is set and ctx ended, and returns: nil when ctx ended, ErrLeadershipLost
// when the lease was lost. A process that lost leadership should exit or call Run again with
// a fresh Elector.
func (e *Elector) Run(ctx context.Context) error {
	if !e.started.CompareAndSwap(false, true) {
		return fmt.Errorf("run leader election: %w", ErrStarted)
	}
	if !e.acquire(ctx) {
		return nil
	}
	leaderCtx, cancel := context.WithCancel(ctx)
	workDone := make(chan struct{})
	go func() {
		defer close(workDone)
		e.opts.Callbacks.OnStartedLeading(leaderCtx)
	}()
	lost := e.renew(ctx)
	e.leading.Store(false)
	cancel()
	<-workDone
	if e.opts.Callbacks.OnStoppedLeading != nil {
		e.opts.Callbacks.OnStoppedLeading()
	}
	if lost {
		e.log.V(1).Info("leadership lost")
		return fmt.Errorf("run leader election for %s/%s: %w", e.opts.Namespace, e.opts.Name, ErrLeadershipLost)
	}
	if e.opts.ReleaseOnCancel {
		e.release(ctx)
	}
	return nil
}

// wait blocks for d on the clock, returning false when ctx ends first.
func (e *Elector) wait(ctx context.Context, d time.Duration) bool {
	t := e.clock.NewTimer(d)
	defer t.Stop()
	if e.armed != nil {
		e.armed()
	}
	select {
	case <-t.C():
		return true
	case <-ctx.Done():
		return false
	}
}

func (e *Elector) acquire(ctx context.Context) bool {
	for {
		if ctx.Err() != nil {
			return false
		}
		if e.tryAcquireOrRenew(ctx) {
			e.leading.Store(true)
			e.log.V(1).Info("acquired lease")
			return true
		}
		if !e.wait(ctx, e.retryWait()) {
			return false
		}
	}
}

// retryWait is how long a candidate that is not leading waits before its next attempt.
func (e *Elector) retryWait() time.Duration {
	d := e.opts.RetryPeriod
	if e.opts.JitterFactor > 0 {
		d += time.Duration(e.rand.Float64() * e.opts.JitterFactor * float64(d))
	}
	return d
}

// renew keeps the lease until ctx ends (returns false) or no renewal succeeded for
// RenewDeadline (returns true).
func (e *Elector) renew(ctx context.Context) (lost bool) {
	last := e.clock.Now()
	for {
		if !e.wait(ctx, e.opts.RetryPeriod) {
			return false
		}
		deadline := last.Add(e.opts.RenewDeadline)
		attemptCtx, cancel := context.WithCancel(ctx)
		t := e.clock.AfterFunc(deadline.Sub(e.clock.Now()), cancel)
		ok := e.tryAcquireOrRenew(attemptCtx)
		t.Stop()
		cancel()
		if ctx.Err() != nil {
			return false
		}
		now := e.clock.Now()
		if ok {
			last = now
			continue
		}
		if !now.Before(deadline) {
			return true
		}
	}
}

// tryAcquireOrRenew makes one attempt to take or keep the lease, with optimistic concurrency
// on its resourceVersion.
func (e *Elector) tryAcquireOrRenew(ctx context.Context) bool {
	now := e.clock.Now()
	seconds := int32(e.opts.LeaseDuration / time.Second)
	id := e.opts.Identity
	mine := coordinationv1.LeaseSpec{
		HolderIdentity:       &id,
		LeaseDurationSeconds: &seconds,
		AcquireTime:          micro(now),
		RenewTime:            micro(now),
		LeaseTransitions:     ptr(int32(0)),
	}
	lease, err := e.opts.Client.Get(ctx, e.opts.Namespace, e.opts.Name, store.GetOptions{})
	if apierrors.IsNotFound(err) {
		created, err := e.opts.Client.Create(ctx, &coordinationv1.Lease{
			ObjectMeta: meta.ObjectMeta{Namespace: e.opts.Namespace, Name: e.opts.Name},
			Spec:       mine,
		})
		if err != nil {
			e.log.V(4).Info("creating lease failed", "err", err.Error())
			return false
		}
		e.observe(created, now)
		return true
	}
	if err != nil {
		e.log.V(4).Info("reading lease failed", "err", err.Error())
		return false
	}
	e.observe(lease, now)
	holder := deref(lease.Spec.HolderIdentity)
	duration := e.opts.LeaseDuration
	if d := deref(lease.Spec.LeaseDurationSeconds); d > 0 {
		duration = time.Duration(d) * time.Second // the holder's promise wins
	}
	e.mu.Lock()
	expires := e.observedTime.Add(duration)
	e.mu.Unlock()
	if holder != "" && holder != id && now.Before(expires) {
		return false
	}
	next := lease.DeepCopy()
	if holder == id {
		mine.AcquireTime = lease.Spec.AcquireTime
		mine.LeaseTransitions = ptr(deref(lease.Spec.LeaseTransitions))
	} else {
		mine.LeaseTransitions = ptr(deref(lease.Spec.LeaseTransitions) + 1)
	}
	mine.Strategy, mine.PreferredHolder = lease.Spec.Strategy, lease.Spec.PreferredHolder
	next.Spec = mine
	updated, err := e.opts.Client.Update(ctx, next)
	if err != nil {
		e.log.V(4).Info("updating lease failed", "err", err.Error(), "conflict", apierrors.IsConflict(err))
		return false
	}
	e.observe(updated, now)
	return true
}

// observe records the lease as seen at now; a changed lease restarts the expiry count.
func (e *Elector) observe(l *coordinationv1.Lease, now time.Time) {
	e.mu.Lock()
	changed := l.ResourceVersion != e.observedRV
	if changed {
		e.observedRV = l.ResourceVersion
		e.observedTime = now
	}
	holder := deref(l.Spec.HolderIdentity)
	newLeader := holder != e.leader
	e.leader = holder
	e.mu.Unlock()
	if newLeader && holder != "" && e.opts.Callbacks.OnNewLeader != nil {
		e.opts.Callbacks.OnNewLeader(holder)
	}
}

// release clears the holder of a lease this elector holds, so others need not wait for it
// to expire. It is bounded by RenewDeadline.
func (e *Elector) release(ctx context.Context) {
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	t := e.clock.AfterFunc(e.opts.RenewDeadline, cancel)
	defer t.Stop()
	lease, err := e.opts.Client.Get(rctx, e.opts.Namespace, e.opts.Name, store.GetOptions{})
	if err != nil || deref(lease.Spec.HolderIdentity) != e.opts.Identity {
		return
	}
	next := lease.DeepCopy()
	now := e.clock.Now()
	next.Spec.HolderIdentity = nil
	next.Spec.LeaseDurationSeconds = ptr(int32(1))
	next.Spec.RenewTime = micro(now)
	next.Spec.AcquireTime = micro(now)
	if updated, err := e.opts.Client.Update(rctx, next); err == nil {
		e.observe(updated, now)
		e.log.V(1).Info("released lease")
	} else {
		e.log.V(4).Info("releasing lease failed", "err", err.Error())
	}
}

func micro(t time.Time) *meta.MicroTime {
	m := meta.NewMicroTime(t)
	return &m
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
