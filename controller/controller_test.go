package controller

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/workqueue"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// call is one reconcile seen by a scripted reconciler.
type call struct {
	item string
	at   time.Duration // fake time since start
	ctx  context.Context
}

// script is a reconciler whose answers tests choose per call. Each call is announced on calls;
// the reconciler then waits for its answer on answers.
type script struct {
	fc      *clock.Fake
	start   time.Time
	calls   chan call
	answers chan func(ctx context.Context) (Result, error)
}

func newScript(fc *clock.Fake) *script {
	return &script{fc: fc, start: fc.Now(), calls: make(chan call), answers: make(chan func(context.Context) (Result, error))}
}

func (s *script) Reconcile(ctx context.Context, item string) (Result, error) {
	s.calls <- call{item: item, at: s.fc.Now().Sub(s.start), ctx: ctx}
	f := <-s.answers
	return f(ctx)
}

func answer(res Result, err error) func(context.Context) (Result, error) {
	return func(context.Context) (Result, error) { return res, err }
}

// fakeMetrics counts everything by name.
type fakeMetrics struct {
	mu sync.Mutex
	v  map[string]float64
}

type fakeMetric struct {
	m    *fakeMetrics
	name string
}

func (f fakeMetric) add(d float64) { f.m.mu.Lock(); f.m.v[f.name] += d; f.m.mu.Unlock() }
func (f fakeMetric) Inc()          { f.add(1) }
func (f fakeMetric) Dec()          { f.add(-1) }
func (f fakeMetric) Observe(float64) {
	f.m.mu.Lock()
	f.m.v[f.name+"_count"]++
	f.m.mu.Unlock()
}

func (m *fakeMetrics) NewReconcilesMetric(name, result string) CounterMetric {
	return fakeMetric{m, name + "/reconciles/" + result}
}
func (m *fakeMetrics) NewReconcileErrorsMetric(name string) CounterMetric {
	return fakeMetric{m, name + "/errors"}
}
func (m *fakeMetrics) NewTerminalErrorsMetric(name string) CounterMetric {
	return fakeMetric{m, name + "/terminal"}
}
func (m *fakeMetrics) NewPanicsMetric(name string) CounterMetric {
	return fakeMetric{m, name + "/panics"}
}
func (m *fakeMetrics) NewReconcileTimeMetric(name string) HistogramMetric {
	return fakeMetric{m, name + "/time"}
}
func (m *fakeMetrics) NewActiveWorkersMetric(name string) GaugeMetric {
	return fakeMetric{m, name + "/active"}
}

func (m *fakeMetrics) snapshot() map[string]float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]float64{}
	for k, v := range m.v {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

type harness struct {
	t      *testing.T
	fc     *clock.Fake
	s      *script
	c      *Controller[string]
	m      *fakeMetrics
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, opts Options[string]) *harness {
	t.Helper()
	fc := clock.NewFake(time.Unix(1000, 0))
	h := &harness{t: t, fc: fc, s: newScript(fc), m: &fakeMetrics{v: map[string]float64{}}}
	opts.Name = "test"
	opts.Clock = fc
	opts.Metrics = h.m
	c, err := New[string](h.s, opts)
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- c.Run(ctx) }()
	t.Cleanup(h.stop)
	return h
}

func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	// Unblock a reconcile that waits for an answer.
	go func() {
		for range h.s.calls {
		}
	}()
	for {
		select {
		case err := <-h.done:
			if err != nil {
				h.t.Errorf("Run: %v", err)
			}
			close(h.s.calls)
			return
		case h.s.answers <- answer(Result{}, nil):
		}
	}
}

func (h *harness) next() call {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	select {
	case c := <-h.s.calls:
		return c
	case <-ctx.Done():
		h.t.Fatal("no reconcile came")
		return call{}
	}
}

// waiters blocks until the fake clock has n waiters, or fails.
func (h *harness) waiters(n int) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.fc.BlockUntilWaiters(ctx, n); err != nil {
		h.t.Fatalf("waiting for %d timers: %v (have %d)", n, err, h.fc.Waiters())
	}
}

// barrier reconciles a marker item and holds it: with one worker, every earlier reconcile has
// then been fully processed (Forget, re-adds and Done included). release answers it.
func (h *harness) barrier() {
	h.t.Helper()
	h.c.Enqueue("barrier")
	if c := h.next(); c.item != "barrier" {
		h.t.Fatalf("reconciled %q, want the barrier", c.item)
	}
}

func (h *harness) release() { h.s.answers <- answer(Result{}, nil) }

// The default rate limiter retries a failing item after 5ms, 10ms, 20ms, ... exactly: at one
// nanosecond before each deadline the retry is still pending, at the deadline it runs.
func TestRetryBackoffSequence(t *testing.T) {
	h := start(t, Options[string]{})
	h.c.Enqueue("a")
	want := []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond, 160 * time.Millisecond}
	var gaps []time.Duration
	prev := h.next()
	for i, d := range want {
		h.s.answers <- answer(Result{}, fmt.Errorf("attempt %d failed", i))
		h.waiters(1)
		h.fc.Step(d - time.Nanosecond)
		if got := h.fc.Waiters(); got != 1 {
			t.Fatalf("retry %d ran before its %v backoff", i, d)
		}
		h.fc.Step(time.Nanosecond)
		c := h.next()
		gaps = append(gaps, c.at-prev.at)
		prev = c
	}
	if n := h.c.Queue().NumRequeues("a"); n != len(want) {
		t.Errorf("NumRequeues = %d, want %d", n, len(want))
	}
	h.s.answers <- answer(Result{}, nil) // success: Forget
	h.barrier()
	if diff := cmp.Diff(want, gaps); diff != "" {
		t.Errorf("backoff sequence (-want +got):\n%s", diff)
	}
	if n := h.c.Queue().NumRequeues("a"); n != 0 {
		t.Errorf("NumRequeues after success = %d, want 0 (Forget)", n)
	}
	got := h.m.snapshot()
	for _, k := range []string{"test/time_count"} {
		delete(got, k)
	}
	wantM := map[string]float64{
		"test/reconciles/error":   6,
		"test/errors":             6,
		"test/reconciles/success": 1,
		"test/active":             1, // the barrier
	}
	if diff := cmp.Diff(wantM, got); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
}

func TestTerminalErrorIsNotRetried(t *testing.T) {
	h := start(t, Options[string]{})
	h.c.Enqueue("a")
	h.next()
	h.s.answers <- answer(Result{}, Terminal(errors.New("spec is invalid")))
	h.barrier()
	if w := h.fc.Waiters(); w != 0 {
		t.Errorf("%d timers pending after a terminal error, want none (no retry)", w)
	}
	if n := h.c.Queue().NumRequeues("a"); n != 0 {
		t.Errorf("NumRequeues = %d, want 0", n)
	}
	m := h.m.snapshot()
	if m["test/terminal"] != 1 || m["test/errors"] != 1 || m["test/reconciles/terminal_error"] != 1 {
		t.Errorf("metrics %v: want one terminal error counted", m)
	}
	h.release()
	// A change of the object reconciles it again.
	h.c.Enqueue("a")
	if c := h.next(); c.item != "a" {
		t.Errorf("reconciled %q, want a", c.item)
	}
	h.s.answers <- answer(Result{}, nil)
	h.barrier()
}

func TestTerminal(t *testing.T) {
	base := errors.New("bad spec")
	err := fmt.Errorf("reconcile x: %w", Terminal(base))
	if !IsTerminal(err) || !errors.Is(err, base) || !errors.Is(err, ErrTerminal) {
		t.Errorf("wrapped terminal error %v: IsTerminal=%v Is(base)=%v", err, IsTerminal(err), errors.Is(err, base))
	}
	if IsTerminal(base) {
		t.Error("plain error is terminal")
	}
	if Terminal(nil) != nil {
		t.Error("Terminal(nil) is not nil")
	}
}

func TestPanicIsRecoveredAndRetried(t *testing.T) {
	h := start(t, Options[string]{})
	h.c.Enqueue("a")
	h.next()
	h.s.answers <- func(context.Context) (Result, error) { panic("boom") }
	h.waiters(1) // the retry timer: the panic became an error
	h.fc.Step(5 * time.Millisecond)
	if c := h.next(); c.item != "a" {
		t.Fatalf("reconciled %q after the panic, want a", c.item)
	}
	h.s.answers <- answer(Result{}, nil)
	h.barrier()
	if m := h.m.snapshot(); m["test/panics"] != 1 || m["test/reconciles/error"] != 1 {
		t.Errorf("metrics %v: want one panic counted as an error", m)
	}
}

func TestPanicError(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	cause := errors.New("cause")
	c, err := New[string](Func[string](func(ctx context.Context, item string) (Result, error) {
		if item == "err" {
			panic(cause)
		}
		panic(fmt.Sprintf("bad %s", item))
	}), Options[string]{Name: "p", Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Queue().ShutDown()
	_, err = c.reconcile(context.Background(), "x")
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "bad x" || len(pe.Stack) == 0 {
		t.Fatalf("reconcile error %v, want a *PanicError with value and stack", err)
	}
	if got, want := err.Error(), "reconcile panicked: bad x"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	_, err = c.reconcile(context.Background(), "err")
	if !errors.Is(err, cause) {
		t.Errorf("panic with an error: %v does not unwrap to it", err)
	}
}

func TestRequeueAfterIsHonoured(t *testing.T) {
	h := start(t, Options[string]{})
	h.c.Enqueue("a")
	h.next()
	h.s.answers <- answer(Result{}, errors.New("first attempt fails"))
	h.waiters(1)
	h.fc.Step(5 * time.Millisecond)
	h.next()
	h.s.answers <- answer(Result{RequeueAfter: 30 * time.Second}, nil)
	h.waiters(1)
	if n := h.c.Queue().NumRequeues("a"); n != 0 {
		t.Errorf("NumRequeues = %d after RequeueAfter, want 0 (Forget)", n)
	}
	h.fc.Step(30*time.Second - time.Nanosecond)
	if h.fc.Waiters() != 1 {
		t.Fatal("requeued before 30s")
	}
	h.fc.Step(time.Nanosecond)
	c := h.next()
	if want := 5*time.Millisecond + 30*time.Second; c.at != want {
		t.Errorf("requeued at %v, want %v", c.at, want)
	}
	h.s.answers <- answer(Result{}, nil)
	h.barrier()
	if m := h.m.snapshot(); m["test/reconciles/requeue_after"] != 1 {
		t.Errorf("metrics %v: want one requeue_after", m)
	}
}

func TestReconcileTimeout(t *testing.T) {
	h := start(t, Options[string]{ReconcileTimeout: time.Minute})
	h.c.Enqueue("a")
	c := h.next()
	h.waiters(1) // the timeout timer
	h.fc.Step(time.Minute - time.Nanosecond)
	if c.ctx.Err() != nil {
		t.Fatal("context cancelled before the timeout")
	}
	h.fc.Step(time.Nanosecond)
	if !errors.Is(context.Cause(c.ctx), ErrReconcileTimeout) {
		t.Fatalf("cause %v, want ErrReconcileTimeout", context.Cause(c.ctx))
	}
	h.s.answers <- func(ctx context.Context) (Result, error) { return Result{}, context.Cause(ctx) }
	h.waiters(1) // the retry
	h.fc.Step(5 * time.Millisecond)
	if c := h.next(); c.item != "a" || c.ctx.Err() != nil {
		t.Errorf("retry of %q with context error %v", c.item, c.ctx.Err())
	}
	h.s.answers <- answer(Result{}, nil)
}

func TestOneItemNeverTwiceAtOnce(t *testing.T) {
	h := start(t, Options[string]{Workers: 4})
	h.c.Enqueue("a")
	first := h.next()
	h.c.Enqueue("a") // while a is processing
	h.c.Enqueue("b")
	if c := h.next(); c.item != "b" {
		t.Fatalf("second concurrent reconcile is %q, want b", c.item)
	}
	h.s.answers <- answer(Result{}, nil) // answers whichever reads first; both succeed
	h.s.answers <- answer(Result{}, nil)
	if c := h.next(); c.item != "a" {
		t.Fatalf("after Done, reconciled %q, want a again", c.item)
	}
	h.s.answers <- answer(Result{}, nil)
	_ = first
}

func TestRunWaitsForSyncAndNamesWhatDidNot(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	c, err := New[string](Func[string](func(context.Context, string) (Result, error) { return Result{}, nil }),
		Options[string]{Name: "sync", Clock: fc, CacheSyncTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ready, never := newSyncer(true), newSyncer(false)
	c.WaitFor("for widgets", ready)
	c.WaitFor("owns gizmos", never)
	done := make(chan error, 1)
	go func() { done <- c.Run(context.Background()) }()
	if err := fc.BlockUntilWaiters(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	fc.Step(time.Minute)
	err = <-done
	if !errors.Is(err, ErrNotSynced) {
		t.Fatalf("Run: %v, want ErrNotSynced", err)
	}
	if want := `run controller "sync": caches did not sync within 1m0s: owns gizmos`; err.Error() != want {
		t.Errorf("Run error %q, want %q", err, want)
	}
	if err := c.Run(context.Background()); !errors.Is(err, ErrStarted) {
		t.Errorf("second Run: %v, want ErrStarted", err)
	}
}

type syncer struct{ ch chan struct{} }

func newSyncer(synced bool) syncer {
	s := syncer{ch: make(chan struct{})}
	if synced {
		close(s.ch)
	}
	return s
}

func (s syncer) Synced() <-chan struct{} { return s.ch }
func (s syncer) HasSynced() bool {
	select {
	case <-s.ch:
		return true
	default:
		return false
	}
}

func TestGracefulShutdownCancelsRunningReconciles(t *testing.T) {
	h := start(t, Options[string]{Workers: 2})
	h.c.Enqueue("a")
	c := h.next()
	h.cancel()
	h.cancel = nil
	<-c.ctx.Done() // the running reconcile sees the shutdown
	h.s.answers <- func(ctx context.Context) (Result, error) { return Result{}, ctx.Err() }
	if err := <-h.done; err != nil {
		t.Errorf("Run: %v", err)
	}
	close(h.s.calls)
	if !h.c.Queue().ShuttingDown() {
		t.Error("queue not shut down after Run")
	}
	// goleak (TestMain) checks that no worker is left.
}

func TestNewValidatesOptions(t *testing.T) {
	r := Func[string](func(context.Context, string) (Result, error) { return Result{}, nil })
	badLimiter, _ := workqueue.NewMaxOfLimiter[string](workqueue.DefaultControllerRateLimiter[string](nil))
	tests := []struct {
		name string
		r    Reconciler[string]
		opts Options[string]
		want string
	}{
		{"no name", r, Options[string]{}, "name is required"},
		{"nil reconciler", nil, Options[string]{Name: "x"}, "nil reconciler"},
		{"negative workers", r, Options[string]{Name: "x", Workers: -1}, "workers -1 is negative"},
		{"negative timeout", r, Options[string]{Name: "x", ReconcileTimeout: -time.Second}, "reconcile timeout -1s is negative"},
		{"negative sync timeout", r, Options[string]{Name: "x", CacheSyncTimeout: -time.Second}, "cache sync timeout -1s is negative"},
		{"custom limiter", r, Options[string]{Name: "x", RateLimiter: badLimiter}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.r, tt.opts)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				c.Queue().ShutDown()
				return
			}
			if !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New: %v, want ErrInvalidOptions mentioning %q", err, tt.want)
			}
		})
	}
}
