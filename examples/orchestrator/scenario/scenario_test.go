package scenario_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/examples/orchestrator/cluster"
	"github.com/cellkit/cellkit/examples/orchestrator/scenario"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/memory"
)

// TestMain checks for leaked goroutines. The ignores are the keep-alive connections between
// the members of the embedded etcd, which can outlive their Close (see store/etcd's tests);
// nothing of the orchestrator uses net/http.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreAnyFunction("net/http.(*conn).serve"),
		goleak.IgnoreAnyFunction("net/http.(*connReader).backgroundRead"),
	)
}

// start is the epoch of every fake clock: the store stamps objects with it.
var start = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func newScheme(t testing.TB) (*runtime.Scheme, []store.Resource) {
	t.Helper()
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	return scheme, res
}

// testTimings are Kubernetes' node and eviction timings shrunk five- to tenfold, so that a node
// loss plays out in well under a minute of fake time. The fake clock runs about twenty times
// faster than real time in Eventually, so each grace period below is still a few hundred
// milliseconds of real time: a component starved that long by a loaded machine would look dead.
func testTimings() cluster.Timings {
	return cluster.Timings{
		NodeLeaseDuration:         8 * time.Second,
		NodeRenewInterval:         time.Second,
		NodeStatusUpdateFrequency: time.Second,
		NodeMonitorPeriod:         500 * time.Millisecond,
		NodeMonitorGracePeriod:    8 * time.Second,
		DefaultTolerationSeconds:  3,
		LeaderLease:               6 * time.Second,
		LeaderRenewDeadline:       4 * time.Second,
		LeaderRetryPeriod:         time.Second,
		SchedulerBackoff:          200 * time.Millisecond,
	}
}

func startCluster(t *testing.T, backend store.Interface, scheme *runtime.Scheme, fc *clock.Fake, managers int) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cluster.Options{
		Backend: backend, Scheme: scheme, Nodes: 3, ControllerManagers: managers,
		Timings: testTimings(), Clock: fc, Tick: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := c.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("components failed: %v", err)
		}
		cancel()
	})
	return c
}

func runScenario(t *testing.T, backend store.Interface, scheme *runtime.Scheme, fc *clock.Fake) {
	t.Helper()
	c := startCluster(t, backend, scheme, fc, 2)
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	rep, err := scenario.Run(ctx, c, scenario.Options{Out: &out, Bound: 90 * time.Second})
	if err != nil {
		t.Fatalf("scenario: %v\n%s", err, out.String())
	}
	if len(rep.Steps) != 8 {
		t.Fatalf("scenario ran %d steps, want 8\n%s", len(rep.Steps), out.String())
	}
	// Rolling updates of 10 replicas with maxSurge=1, maxUnavailable=1: the monitor checked every
	// observed state; these are the extremes it saw.
	if rep.MinAvailable < 9 || rep.MaxPods > 11 {
		t.Errorf("rollout extremes: fewest available %d (want >= 9), most pods %d (want <= 11)", rep.MinAvailable, rep.MaxPods)
	}
	if rep.MaxPods < 11 {
		t.Errorf("rollout never surged (most pods asked for %d): the rollout did not use maxSurge", rep.MaxPods)
	}
	if rep.Moved == 0 {
		t.Errorf("the failed node %s ran no pods: the node-loss step proved nothing", rep.FailedNode)
	}
	// Node loss: Unknown after the grace period, evicted after the toleration; replaced within
	// grace + toleration + a margin for the monitor period, scheduling and start-up.
	tm := testTimings()
	bound := tm.NodeMonitorGracePeriod + time.Duration(tm.DefaultTolerationSeconds)*time.Second + 5*time.Second
	if took := rep.Steps[5].Took; took > bound {
		t.Errorf("node loss took %v to repair, want at most %v", took, bound)
	}
	for _, want := range []string{"POD", "REPLICASET", "DEPLOYMENT", "Terminating", "node.kubernetes.io/unreachable:NoExecute"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("narration lacks %q", want)
		}
	}
	if testing.Verbose() {
		t.Log(out.String())
	}
}

func TestScenarioMemory(t *testing.T) {
	scheme, res := newScheme(t)
	fc := clock.NewFake(start)
	m, err := memory.New(memory.Options{Resources: res, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	runScenario(t, m, scheme, fc)
}

func TestScenarioEtcd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real etcd; skipped with -short")
	}
	scheme, res := newScheme(t)
	fc := clock.NewFake(start)
	srv := etcdtest.Start(t, etcdtest.Options{})
	e, err := etcd.New(etcd.Options{Client: srv.Client(t), Resources: res, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	runScenario(t, e, scheme, fc)
}

// TestDiskResume stops the whole orchestrator and its disk store, opens the store again and
// starts a new orchestrator on it: the deployment and its pods are the same objects, and the
// cluster converges again without creating or deleting a pod.
func TestDiskResume(t *testing.T) {
	scheme, res := newScheme(t)
	path := filepath.Join(t.TempDir(), "cellkit.db")
	fc := clock.NewFake(start)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	open := func() *disk.Store {
		d, err := disk.Open(disk.Options{Path: path, Resources: res, Clock: fc})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	podUIDs := func(s store.Interface) map[string]string {
		l, err := store.For[*corev1.Pod](s, cluster.PodsResource).List(ctx, "demo", store.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, p := range l.Items {
			out[p.Name] = string(p.UID)
		}
		return out
	}

	d := open()
	c1, err := cluster.New(cluster.Options{Backend: d, Scheme: scheme, Timings: testTimings(), Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	if err := c1.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := scenario.Up(ctx, c1, scenario.Options{Out: &out, Bound: time.Minute}); err != nil {
		t.Fatalf("first run: %v\n%s", err, out.String())
	}
	before := podUIDs(c1.Store())
	if err := c1.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(ctx); err != nil {
		t.Fatal(err)
	}

	// The process is gone; time passes; a new one opens the same file.
	fc.Step(time.Second)
	d = open()
	defer d.Close(context.Background())
	c2, err := cluster.New(cluster.Options{Backend: d, Scheme: scheme, Timings: testTimings(), Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c2.Stop()
	out.Reset()
	if _, err := scenario.Up(ctx, c2, scenario.Options{Out: &out, Bound: time.Minute}); err != nil {
		t.Fatalf("second run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "resuming") {
		t.Errorf("the second run did not find the deployment:\n%s", out.String())
	}
	after := podUIDs(c2.Store())
	if len(before) != 6 || !mapsEqual(before, after) {
		t.Errorf("pods changed across the restart:\nbefore %v\nafter  %v", before, after)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestEventuallyReportsWhatItSaw(t *testing.T) {
	scheme, res := newScheme(t)
	fc := clock.NewFake(start)
	m, err := memory.New(memory.Options{Resources: res, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(cluster.Options{Backend: m, Scheme: scheme, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Eventually(context.Background(), 2*time.Second, "the impossible", func(context.Context) (bool, string, error) {
		return false, "still impossible", nil
	})
	if !errors.Is(err, cluster.ErrNotConverged) || !strings.Contains(err.Error(), "still impossible") {
		t.Errorf("Eventually: %v", err)
	}
	if got := fc.Now().Sub(start); got < 2*time.Second || got > 3*time.Second {
		t.Errorf("Eventually moved the fake clock by %v, want about its bound of 2s", got)
	}
}
