package nodelifecycle

import (
	"context"
	"runtime"
	"sync"

	"errors"
	"github.com/go-logr/logr/funcr"
	"github.com/google/go-cmp/cmp"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/workqueue"
)

// waitPass lets the informers catch up with every write so far, steps the clock to t0+d and
// waits for a monitor pass that started at or after it.
func waitPass(t *testing.T, h *harness, passes <-chan time.Time, d time.Duration) {
	t.Helper()
	h.settle()
	h.at(d)
	timeout := time.After(10 * time.Second)
	for {
		select {
		case at := <-passes:
			if !at.Before(t0.Add(d)) {
				return
			}
		case <-timeout:
			t.Fatalf("no monitor pass at %v", d)
		}
	}
}

// logLines keeps the controller's log lines, to print when a test fails.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) add(prefix, args string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, prefix+" "+args)
}

func (l *logLines) dumpOnFailure(t *testing.T) {
	if !t.Failed() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		t.Log(line)
	}
}

// waitIdle waits until the eviction queue holds exactly delayed delayed items and nothing
// ready or being processed. The queue has no notification, so this yields the processor
// until then (bounded by 10s of real time); it never waits for time to pass.
func waitIdle(t *testing.T, h *harness, delayed int) {
	t.Helper()
	waitQueueIdle(t, h.c.evictor.Queue(), delayed)
}

// waitQueueIdle waits until q holds exactly delayed delayed items and nothing ready or being
// processed, as waitIdle does.
func waitQueueIdle(t *testing.T, q *workqueue.Queue[controller.Request], delayed int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for st := q.Stats(); st.Delayed != delayed || st.Processing != 0 || st.Ready != 0; st = q.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("queue not idle: %+v", st)
		}
		runtime.Gosched()
	}
}

// waitDeleted reads w until the named pod was deleted or is being deleted (the registry
// deletes pods bound to a node gracefully), for at most timeout of real time.
func waitDeleted(t *testing.T, w watch.Interface[*corev1.Pod], name string, timeout time.Duration) bool {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				t.Fatal("pod watch ended")
			}
			if ev.Object.Name == name && (ev.Type == watch.Deleted || (ev.Type == watch.Modified && ev.Object.DeletionTimestamp != nil)) {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

func TestRunEvictsThePodsOfASilentNode(t *testing.T) {
	logs := &logLines{}
	metrics := &countingMetrics{counts: map[string]int{}}
	h := newHarness(t, Options{Logger: funcr.New(logs.add, funcr.Options{Verbosity: 5}), Metrics: metrics})
	defer logs.dumpOnFailure(t)
	passes := make(chan time.Time, 1000)
	h.c.passed = func(at time.Time) { passes <- at }
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("n2", "", corev1.ConditionTrue)
	h.renew("n1")
	h.renew("n2")
	h.addPod("at-once", "n1")
	h.addPod("after-30s", "n1", tolerate(corev1.TaintNodeUnreachable, seconds(30)))
	h.addPod("elsewhere", "n2")
	h.settle()
	w, err := h.pods.Watch(h.ctx, "", store.WatchOptions{Revision: h.s.rev(podsGR)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	ctx, cancel := context.WithCancel(h.ctx)
	done := make(chan error, 1)
	go func() { done <- h.c.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	// What a manager does before it starts the runnables: wait for every cache named.
	syncers := h.c.CacheSyncers()
	if len(syncers) < 5 {
		t.Fatalf("CacheSyncers = %v, want the three informers and the workers' handlers", syncers)
	}
	for _, s := range syncers {
		if err := informer.WaitForSync(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	waitPass(t, h, passes, 0)
	for d := 5 * time.Second; d <= 40*time.Second; d += 5 * time.Second {
		h.renew("n2")
		waitPass(t, h, passes, d)
	}
	if got := h.ready("n1"); got != corev1.ConditionTrue {
		t.Fatalf("Ready of n1 at 40s = %s", got)
	}
	h.renew("n2")
	waitPass(t, h, passes, 45*time.Second)
	if !waitDeleted(t, w, "at-once", 10*time.Second) {
		t.Fatal("the pod without tolerations was not evicted")
	}
	if got := h.ready("n1"); got != corev1.ConditionUnknown {
		t.Fatalf("Ready of n1 at 45s = %s", got)
	}
	// The eviction workers react to the taint concurrently with this test: let them schedule
	// the 30s pod's eviction (a delayed item) while the clock still shows 45s, so that its
	// deadline is exact.
	waitIdle(t, h, 1)
	for d := 50 * time.Second; d < 75*time.Second; d += 5 * time.Second {
		h.renew("n2")
		waitPass(t, h, passes, d)
		if h.evicted("after-30s") {
			t.Fatalf("pod tolerating 30s evicted at %v", d)
		}
	}
	h.renew("n2")
	waitPass(t, h, passes, 75*time.Second)
	if !waitDeleted(t, w, "after-30s", 10*time.Second) {
		t.Fatal("the pod tolerating 30s was not evicted at 75s")
	}
	if h.evicted("elsewhere") {
		t.Fatal("pod of the healthy node evicted")
	}
	// The condition-taint workers gave n1 the unreachable NoSchedule taint meanwhile.
	waitQueueIdle(t, h.c.tainter.Queue(), 0)
	if diff := cmp.Diff([]string{corev1.TaintNodeUnreachable}, h.taintKeys("n1", corev1.TaintEffectNoSchedule)); diff != "" {
		t.Errorf("NoSchedule taints of n1 (-want +got):\n%s", diff)
	}
	for _, name := range []string{"nodelifecycle-eviction", "nodelifecycle-noschedule"} {
		if metrics.get(name+"/success") == 0 {
			t.Errorf("no successful reconcile of %s counted: %v", name, metrics.snapshot())
		}
	}
}

// countingMetrics is a controller.MetricsProvider that counts per name and result.
type countingMetrics struct {
	mu     sync.Mutex
	counts map[string]int
}

type countingMetric struct {
	m   *countingMetrics
	key string
}

func (c countingMetric) Inc() {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	c.m.counts[c.key]++
}
func (c countingMetric) Dec()            {}
func (c countingMetric) Set(float64)     {}
func (c countingMetric) Observe(float64) {}

func (m *countingMetrics) NewReconcilesMetric(name, result string) controller.CounterMetric {
	return countingMetric{m, name + "/" + result}
}
func (m *countingMetrics) NewReconcileErrorsMetric(name string) controller.CounterMetric {
	return countingMetric{m, name + "/errors"}
}
func (m *countingMetrics) NewTerminalErrorsMetric(name string) controller.CounterMetric {
	return countingMetric{m, name + "/terminal"}
}
func (m *countingMetrics) NewPanicsMetric(name string) controller.CounterMetric {
	return countingMetric{m, name + "/panics"}
}
func (m *countingMetrics) NewReconcileTimeMetric(name string) controller.HistogramMetric {
	return countingMetric{m, name + "/time"}
}
func (m *countingMetrics) NewActiveWorkersMetric(name string) controller.GaugeMetric {
	return countingMetric{m, name + "/active"}
}

func (m *countingMetrics) get(key string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counts[key]
}

func (m *countingMetrics) snapshot() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for k, v := range m.counts {
		out[k] = v
	}
	return out
}

func TestRunTwiceFails(t *testing.T) {
	h := newHarness(t, Options{})
	ctx, cancel := context.WithCancel(h.ctx)
	done := make(chan error, 2)
	go func() { done <- h.c.Run(ctx) }()
	go func() { done <- h.c.Run(ctx) }()
	// One of them runs until cancelled, so the first to return is the one that was refused.
	if err := <-done; !errors.Is(err, ErrStarted) {
		t.Errorf("second Run = %v, want ErrStarted", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("first Run: %v", err)
	}
}

func TestNewRejectsInvalidOptions(t *testing.T) {
	h := newHarness(t, Options{})
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"negative workers", Options{Workers: -1}},
		{"grace period not above the monitor period", Options{MonitorPeriod: time.Minute, GracePeriod: 30 * time.Second}},
		{"negative grace period", Options{GracePeriod: -time.Second}},
		{"negative startup grace period", Options{StartupGracePeriod: -time.Second}},
		{"negative eviction rate", Options{EvictionRate: -1}},
		{"negative large cluster threshold", Options{LargeClusterSizeThreshold: -1}},
		{"zone threshold above 1", Options{UnhealthyZoneThreshold: 1.5}},
		{"negative zone threshold", Options{UnhealthyZoneThreshold: -0.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(h.f, h.s, tc.opts)
			if !errors.Is(err, ErrInvalidOptions) {
				t.Errorf("New = %v, want an error wrapping ErrInvalidOptions", err)
			}
		})
	}
	if _, err := New(nil, h.s, Options{}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("New with a nil factory = %v, want ErrInvalidOptions", err)
	}
	if _, err := New(h.f, h.s, Options{}); err == nil {
		t.Error("New after the factory started succeeded; it cannot add its pod index any more")
	}
}
