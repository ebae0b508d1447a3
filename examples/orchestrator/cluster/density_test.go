package cluster_test

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/examples/orchestrator/cluster"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

var (
	densityNodes = flag.Int("density.nodes", 500, "hollow nodes of BenchmarkDensity")
	densityPods  = flag.Int("density.pods", 15000, "pods BenchmarkDensity creates through Deployments")
	densityDeps  = flag.Int("density.deployments", 30, "Deployments BenchmarkDensity spreads the pods over")
	densityCopy  = flag.Bool("density.copy", false, "controller managers' informers copy objects instead of sharing the store's")
)

// BenchmarkDensity is the orchestrator's density test, in the spirit of Kubernetes' density
// and kubemark tests: a full cluster in one process (memory store, registry, scheduler, two
// controller managers, 500 hollow node agents) gets 15,000 pods through 30 Deployments. It
// reports pod startup latency (from the pod's creation to the first time it is seen Running
// and Ready, both observed by one watch on the real clock) at p50, p90 and p99, the throughput
// of the whole pipeline, and the heap of the whole process once everything runs (the control
// plane and the 500 hollow agents together).
//
//	go test ./examples/orchestrator/cluster -run '^$' -bench Density -benchtime 1x -timeout 30m
func BenchmarkDensity(b *testing.B) {
	for range b.N {
		r := densityOnce(b, *densityNodes, *densityPods, *densityDeps)
		b.ReportMetric(r.p50, "p50-ms")
		b.ReportMetric(r.p90, "p90-ms")
		b.ReportMetric(r.p99, "p99-ms")
		b.ReportMetric(r.podsPerSec, "pods/s")
		b.ReportMetric(r.heapMiB, "heap-MiB")
	}
}

type densityResult struct {
	p50, p90, p99, podsPerSec, heapMiB float64
}

func densityOnce(b testing.TB, nodes, pods, deps int) densityResult {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	scheme, err := apis.NewScheme()
	if err != nil {
		b.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		b.Fatal(err)
	}
	m, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		b.Fatal(err)
	}
	c, err := cluster.New(cluster.Options{Backend: m, Scheme: scheme, Nodes: nodes, ControllerManagers: 2, CopyInformerObjects: *densityCopy})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	defer c.Stop()
	s := c.Store()
	if err := c.Eventually(ctx, 5*time.Minute, "nodes ready", func(ctx context.Context) (bool, string, error) {
		l, err := store.For[*corev1.Node](s, cluster.NodesResource).List(ctx, "", store.ListOptions{})
		if err != nil {
			return false, "", err
		}
		ready := 0
		for _, n := range l.Items {
			if cluster.NodeStatus(n) == "Ready" {
				ready++
			}
		}
		return ready == nodes, fmt.Sprintf("%d/%d nodes ready", ready, nodes), nil
	}); err != nil {
		b.Fatal(err)
	}

	// One watch observes every pod: its creation and the first moment it runs ready.
	l, err := s.List(ctx, cluster.PodsResource, "", store.ListOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	created, running := map[string]time.Time{}, map[string]time.Time{}
	allRunning := make(chan struct{})
	watchDone := make(chan error, 1)
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go func() {
		// A watcher that falls behind is closed with 429 by the store; resume from the last
		// revision seen, as an informer would.
		rev := l.Revision
		for {
			w, err := s.Watch(wctx, cluster.PodsResource, "density", store.WatchOptions{Revision: rev})
			if err != nil {
				watchDone <- err
				return
			}
			for ev := range w.ResultChan() {
				now := time.Now()
				if ev.Type == watch.Error {
					if ev.Status != nil && ev.Status.Code == 429 {
						break
					}
					watchDone <- fmt.Errorf("pod watch failed: %v", ev.Status)
					return
				}
				p, ok := ev.Object.(*corev1.Pod)
				if !ok {
					continue
				}
				if r, err := strconv.ParseInt(p.ResourceVersion, 10, 64); err == nil {
					rev = r
				}
				mu.Lock()
				if _, seen := created[p.Name]; !seen {
					created[p.Name] = now
				}
				if _, seen := running[p.Name]; !seen && p.Status.Phase == corev1.PodRunning && cluster.PodReady(p) {
					running[p.Name] = now
					if len(running) == pods {
						close(allRunning)
					}
				}
				mu.Unlock()
			}
			w.Stop()
			if wctx.Err() != nil {
				watchDone <- nil
				return
			}
		}
	}()

	begin := time.Now()
	per := pods / deps
	for i := range deps {
		n := int32(per)
		if i == deps-1 {
			n = int32(pods - per*(deps-1))
		}
		lbl := map[string]string{"app": fmt.Sprintf("density-%d", i)}
		d := &appsv1.Deployment{
			ObjectMeta: meta.ObjectMeta{Namespace: "density", Name: fmt.Sprintf("density-%d", i)},
			Spec: appsv1.DeploymentSpec{
				Replicas: &n, Selector: &meta.LabelSelector{MatchLabels: lbl},
				Template: corev1.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: lbl}, Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: "pause", Image: "registry.k8s.io/pause:3.10",
						Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
							corev1.ResourceCPU: resource.MustParse("10m"), corev1.ResourceMemory: resource.MustParse("10Mi")}}}},
				}},
			},
		}
		if _, err := store.For[*appsv1.Deployment](s, cluster.DeploymentsResource).Create(ctx, d); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-allRunning:
	case err := <-watchDone:
		b.Fatalf("watch ended before every pod ran: %v", err)
	case <-ctx.Done():
		mu.Lock()
		b.Fatalf("only %d of %d pods running after %v", len(running), pods, time.Since(begin))
	}
	elapsed := time.Since(begin)

	mu.Lock()
	lat := make([]time.Duration, 0, len(running))
	for name, r := range running {
		lat = append(lat, r.Sub(created[name]))
	}
	mu.Unlock()
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("%d nodes, %d pods in %d deployments: all running after %v; startup p50 %.0f ms p90 %.0f ms p99 %.0f ms; heap in use %.0f MiB",
		nodes, pods, deps, elapsed.Round(time.Millisecond), q(0.5), q(0.9), q(0.99), float64(ms.HeapInuse)/(1<<20))
	return densityResult{p50: q(0.5), p90: q(0.9), p99: q(0.99), podsPerSec: float64(pods) / elapsed.Seconds(), heapMiB: float64(ms.HeapInuse) / (1 << 20)}
}

// TestDensitySmall runs the density pipeline at a size fit for every test run, so the
// benchmark's code cannot rot: 20 nodes, 200 pods in 4 Deployments, all must run.
func TestDensitySmall(t *testing.T) {
	if testing.Short() {
		t.Skip("a 20-node cluster on the real clock; skipped with -short")
	}
	r := densityOnce(t, 20, 200, 4)
	if r.p50 <= 0 || r.p99 < r.p90 || r.p90 < r.p50 {
		t.Errorf("startup latencies p50 %v p90 %v p99 %v ms: not measured or not ordered", r.p50, r.p90, r.p99)
	}
}
