package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func memStore(t testing.TB) store.Interface {
	t.Helper()
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	s, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// partitionable fails every call while cut is set: the candidate can neither read nor renew.
type partitionable struct {
	Client
	cut atomic.Bool
}

var errPartitioned = errors.New("partitioned")

func (p *partitionable) Get(ctx context.Context, ns, name string, o store.GetOptions) (*coordinationv1.Lease, error) {
	if p.cut.Load() {
		return nil, errPartitioned
	}
	return p.Client.Get(ctx, ns, name, o)
}

func (p *partitionable) Create(ctx context.Context, l *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	if p.cut.Load() {
		return nil, errPartitioned
	}
	return p.Client.Create(ctx, l)
}

func (p *partitionable) Update(ctx context.Context, l *coordinationv1.Lease) (*coordinationv1.Lease, error) {
	if p.cut.Load() {
		return nil, errPartitioned
	}
	return p.Client.Update(ctx, l)
}

// recorder checks, at every transition, that at most one candidate runs leader-only work.
type recorder struct {
	mu         sync.Mutex
	fc         *clock.Fake
	active     map[string]bool
	violations []string
	starts     []term
	started    chan string
}

type term struct {
	id string
	at time.Time
}

func (r *recorder) start(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for other := range r.active {
		r.violations = append(r.violations, fmt.Sprintf("%s started leading at %v while %s still leads", id, r.fc.Now(), other))
	}
	r.active[id] = true
	r.starts = append(r.starts, term{id, r.fc.Now()})
	r.started <- id
}

// waitStart waits until id's leader-only work started (it runs in its own goroutine).
func (el *election) waitStart(id string) {
	el.t.Helper()
	select {
	case got := <-el.rec.started:
		if got != id {
			el.t.Fatalf("leader-only work started by %s, want %s", got, id)
		}
	case <-time.After(20 * time.Second):
		el.t.Fatalf("leader-only work of %s did not start", id)
	}
}

func (r *recorder) stop(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.active, id)
}

func (r *recorder) snapshot() (active []string, starts []term, violations []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id := range r.active {
		active = append(active, id)
	}
	return active, append([]term(nil), r.starts...), append([]string(nil), r.violations...)
}

const (
	ld = 16 * time.Second // a multiple of rp: candidates poll in step, see the package doc
	rd = 10 * time.Second
	rp = 2 * time.Second
)

type candidate struct {
	id      string
	client  *partitionable
	cancel  context.CancelFunc
	done    chan struct{}
	mu      sync.Mutex
	elector *Elector
	release bool
}

type election struct {
	t     *testing.T
	fc    *clock.Fake
	rec   *recorder
	armed chan string
	cands []*candidate
}

// newElection starts n candidates at the same instant, each in a loop that starts a fresh
// elector after losing leadership (as a restarted process would).
func newElection(t *testing.T, n int, client func() Client) *election {
	fc := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	el := &election{t: t, fc: fc, rec: &recorder{fc: fc, active: map[string]bool{}, started: make(chan string, 100)}, armed: make(chan string, 100)}
	for i := range n {
		c := &candidate{id: fmt.Sprintf("c%d", i), client: &partitionable{Client: client()}, done: make(chan struct{})}
		el.cands = append(el.cands, c)
	}
	for _, c := range el.cands {
		ctx, cancel := context.WithCancel(context.Background())
		c.cancel = cancel
		go el.loop(ctx, c)
	}
	el.settle()
	t.Cleanup(el.stop)
	return el
}

func (el *election) loop(ctx context.Context, c *candidate) {
	defer close(c.done)
	for ctx.Err() == nil {
		c.mu.Lock()
		release := c.release
		c.mu.Unlock()
		e, err := New(Options{
			Client: c.client, Namespace: "kube-system", Name: "ctl", Identity: c.id,
			LeaseDuration: ld, RenewDeadline: rd, RetryPeriod: rp, Clock: el.fc, ReleaseOnCancel: release,
			Callbacks: Callbacks{OnStartedLeading: func(ctx context.Context) {
				el.rec.start(c.id)
				<-ctx.Done()
				el.rec.stop(c.id)
			}},
		})
		if err != nil {
			el.t.Error(err)
			return
		}
		e.armed = func() { el.armed <- c.id }
		c.mu.Lock()
		c.elector = e
		c.mu.Unlock()
		err = e.Run(ctx)
		if err != nil && !errors.Is(err, ErrLeadershipLost) {
			el.t.Error(err)
		}
	}
}

// settle waits until every running candidate waits for its next attempt.
func (el *election) settle() {
	el.t.Helper()
	timeout := time.After(20 * time.Second)
	want := 0
	for _, c := range el.cands {
		select {
		case <-c.done:
		default:
			want++
		}
	}
	for range want {
		select {
		case <-el.armed:
		case <-timeout:
			el.t.Fatal("candidates did not settle")
		}
	}
	el.check()
}

// check asserts the safety properties at this step.
func (el *election) check() {
	el.t.Helper()
	_, _, violations := el.rec.snapshot()
	if len(violations) > 0 {
		el.t.Fatalf("two leaders: %s", strings.Join(violations, "; "))
	}
	var leaders []string
	for _, c := range el.cands {
		c.mu.Lock()
		if c.elector != nil && c.elector.IsLeader() {
			leaders = append(leaders, c.id)
		}
		c.mu.Unlock()
	}
	if len(leaders) > 1 {
		el.t.Fatalf("electors %v all believe they lead at %v", leaders, el.fc.Now())
	}
}

func (el *election) step() {
	el.fc.Step(rp)
	el.settle()
}

func (el *election) leader() *candidate {
	for _, c := range el.cands {
		c.mu.Lock()
		lead := c.elector != nil && c.elector.IsLeader()
		c.mu.Unlock()
		if lead {
			return c
		}
	}
	return nil
}

func (el *election) stop() {
	for _, c := range el.cands {
		c.cancel()
	}
	for _, c := range el.cands {
		for {
			select {
			case <-c.done:
			case <-el.armed:
				continue
			}
			break
		}
	}
}

func runFailover(t *testing.T, client func() Client) {
	el := newElection(t, 3, client)
	first := el.leader()
	if first == nil {
		t.Fatal("no leader after the first round")
	}
	el.waitStart(first.id)
	for range 10 {
		el.step()
		if l := el.leader(); l != first {
			t.Fatalf("leader changed from %s to %v without a fault", first.id, l)
		}
	}
	// The leader stops renewing: it stops leading before anyone else starts, and a new
	// leader starts within lease duration + retry period of the last renewal.
	lastRenew := el.fc.Now()
	first.client.cut.Store(true)
	var next *candidate
	for range int((ld+rp)/rp) + 1 {
		el.step()
		if l := el.leader(); l != nil && l != first {
			next = l
			break
		}
	}
	if next == nil {
		t.Fatalf("no failover within %v", ld+rp)
	}
	el.waitStart(next.id)
	if took := el.fc.Now().Sub(lastRenew); took > ld+rp {
		t.Errorf("failover took %v, want at most %v", took, ld+rp)
	}
	first.client.cut.Store(false)
	for range 10 {
		el.step()
		if l := el.leader(); l != next {
			t.Fatalf("leader changed from %s to %v after the old leader came back", next.id, l)
		}
	}
	// The new leader releases on cancel: another takes over at its next attempt.
	next.mu.Lock()
	next.elector.opts.ReleaseOnCancel = true
	next.mu.Unlock()
	next.cancel()
	<-next.done
	released := el.fc.Now()
	el.step()
	third := el.leader()
	if third == nil || third == next {
		t.Fatalf("after release, leader is %v", third)
	}
	el.waitStart(third.id)
	if took := el.fc.Now().Sub(released); took > rp {
		t.Errorf("takeover after release took %v, want at most %v", took, rp)
	}
	for range 5 {
		el.step()
	}
	_, starts, _ := el.rec.snapshot()
	var ids []string
	for _, s := range starts {
		ids = append(ids, s.id)
	}
	if len(ids) != 3 || ids[0] != first.id || ids[1] != next.id || ids[2] != third.id {
		t.Errorf("leader terms %v, want %s, %s, %s", ids, first.id, next.id, third.id)
	}
}

func TestFailoverMemory(t *testing.T) {
	s := memStore(t)
	runFailover(t, func() Client { return ForStore(s) })
}

func TestNewValidates(t *testing.T) {
	c := ForStore(memStore(t))
	cb := Callbacks{OnStartedLeading: func(context.Context) {}}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"missing everything", Options{}, "client is required"},
		{"no identity", Options{Client: c, Name: "l", Callbacks: cb}, "identity is required"},
		{"no name", Options{Client: c, Identity: "a", Callbacks: cb}, "lease name is required"},
		{"no callback", Options{Client: c, Name: "l", Identity: "a"}, "OnStartedLeading is required"},
		{"lease not above renew", Options{Client: c, Name: "l", Identity: "a", Callbacks: cb, LeaseDuration: 10 * time.Second, RenewDeadline: 10 * time.Second}, "lease duration 10s must be greater than renew deadline 10s"},
		{"renew not above retry", Options{Client: c, Name: "l", Identity: "a", Callbacks: cb, RenewDeadline: 2 * time.Second, RetryPeriod: 3 * time.Second}, "renew deadline 2s must be greater than retry period 3s"},
		{"negative", Options{Client: c, Name: "l", Identity: "a", Callbacks: cb, RetryPeriod: -time.Second}, "must not be negative"},
		{"fractional lease", Options{Client: c, Name: "l", Identity: "a", Callbacks: cb, LeaseDuration: 15500 * time.Millisecond}, "whole number of seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts)
			if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want ErrInvalidOptions mentioning %q", err, tt.want)
			}
		})
	}
	if _, err := New(Options{Client: c, Name: "l", Identity: "a", Callbacks: cb}); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// Writes race on the Lease's resourceVersion: of candidates that read the same expired
// lease, exactly one update wins.
func TestOptimisticConcurrency(t *testing.T) {
	s := memStore(t)
	fc := clock.NewFake(time.Unix(0, 0))
	mk := func(id string) *Elector {
		e, err := New(Options{Client: ForStore(s), Namespace: "default", Name: "l", Identity: id, Clock: fc, Callbacks: Callbacks{OnStartedLeading: func(context.Context) {}}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	a, b, c := mk("a"), mk("b"), mk("c")
	ctx := context.Background()
	if !a.tryAcquireOrRenew(ctx) {
		t.Fatal("a could not create the lease")
	}
	if b.tryAcquireOrRenew(ctx) || c.tryAcquireOrRenew(ctx) {
		t.Fatal("b or c took a held lease")
	}
	fc.Step(DefaultLeaseDuration)
	// b and c both saw the lease at the same revision and both find it expired now; a stale
	// update by the slower one must fail on the resourceVersion.
	stale, err := ForStore(s).Get(ctx, "default", "l", store.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !b.tryAcquireOrRenew(ctx) {
		t.Fatal("b could not take the expired lease")
	}
	id := "c"
	stale.Spec.HolderIdentity = &id
	if _, err := ForStore(s).Update(ctx, stale); err == nil {
		t.Fatal("a stale update of the lease succeeded")
	}
	l, _ := ForStore(s).Get(ctx, "default", "l", store.GetOptions{})
	if got := deref(l.Spec.HolderIdentity); got != "b" || deref(l.Spec.LeaseTransitions) != 1 {
		t.Errorf("holder %q transitions %d, want b and 1", got, deref(l.Spec.LeaseTransitions))
	}
}

func TestRetryJitterSpreadsCandidates(t *testing.T) {
	mk := func(id string, jitter float64, seed uint64) *Elector {
		t.Helper()
		e, err := New(Options{Client: ForStore(nil), Name: "ctl", Identity: id, RetryPeriod: 2 * time.Second,
			JitterFactor: jitter, Seed: seed, Callbacks: Callbacks{OnStartedLeading: func(context.Context) {}}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	draws := func(e *Elector) []time.Duration {
		out := make([]time.Duration, 200)
		for i := range out {
			out[i] = e.retryWait()
		}
		return out
	}
	plain := draws(mk("a", 0, 0))
	for _, d := range plain {
		if d != 2*time.Second {
			t.Fatalf("without jitter a candidate waited %v, want exactly the retry period", d)
		}
	}
	a, a2, b := draws(mk("a", 1.2, 0)), draws(mk("a", 1.2, 0)), draws(mk("b", 1.2, 0))
	lo, hi := 2*time.Second, 2*time.Second+time.Duration(1.2*float64(2*time.Second))
	distinct := map[time.Duration]bool{}
	var below, above int
	for _, d := range a {
		if d < lo || d > hi {
			t.Fatalf("jittered wait %v outside [%v, %v]", d, lo, hi)
		}
		distinct[d] = true
		if d < lo+(hi-lo)/2 {
			below++
		} else {
			above++
		}
	}
	if len(distinct) < 150 || below < 50 || above < 50 {
		t.Errorf("jitter not spread: %d distinct waits of 200, %d in the lower half, %d in the upper", len(distinct), below, above)
	}
	if !slices.Equal(a, a2) {
		t.Error("the same identity drew different waits: the jitter is not reproducible")
	}
	if slices.Equal(a, b) {
		t.Error("two identities drew the same waits: candidates would still poll in step")
	}
	for _, bad := range []float64{-0.5, math.NaN(), math.Inf(1)} {
		_, err := New(Options{Client: ForStore(nil), Name: "ctl", Identity: "x", JitterFactor: bad, Callbacks: Callbacks{OnStartedLeading: func(context.Context) {}}})
		if !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("JitterFactor %v: %v, want ErrInvalidOptions", bad, err)
		}
	}
}
