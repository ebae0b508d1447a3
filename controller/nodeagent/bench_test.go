package nodeagent_test

import (
	"context"
	"fmt"
	goruntime "runtime"
	"sort"
	"testing"
	"time"

	"github.com/go-logr/logr/funcr"

	"github.com/cellkit/cellkit/apimachinery/apis"
	coordv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// BenchmarkBindToRunning110 fills one agent (hollow runtime, real clock) with 110 pods created
// already bound to it, and measures the time from each pod's creation to the first status
// that shows it Running and Ready, and the time until all 110 are. Each iteration then deletes
// the pods outright and waits for the runtime to be empty.
func BenchmarkBindToRunning110(b *testing.B) {
	const n = 110
	scheme, err := apis.NewScheme()
	if err != nil {
		b.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		b.Fatal(err)
	}
	backend, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		b.Fatal(err)
	}
	reg, err := registry.New(backend, registry.Options{Scheme: scheme})
	if err != nil {
		b.Fatal(err)
	}
	rt, err := hollow.New(hollow.Options{})
	if err != nil {
		b.Fatal(err)
	}
	agent, err := nodeagent.New(reg, nodeagent.Options{NodeName: "node-a", Runtime: rt, Logger: funcr.New(func(prefix, args string) {
		b.Log(prefix, args)
	}, funcr.Options{})})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- agent.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	pods := store.For[*corev1.Pod](reg, nodeagent.PodsResource)
	// Wait for the agent to be up (its lease exists) before timing anything.
	leases := store.For[*coordv1.Lease](reg, nodeagent.LeasesResource)
	for {
		if _, err := leases.Get(ctx, nodeagent.LeaseNamespace, "node-a", store.GetOptions{}); err == nil {
			break
		}
		time.Sleep(time.Millisecond)
	}

	var lat []time.Duration
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, err := pods.Watch(ctx, "default", store.WatchOptions{})
		if err != nil {
			b.Fatal(err)
		}
		created := make(map[string]time.Time, n)
		start := time.Now()
		for j := 0; j < n; j++ {
			p := newPod(fmt.Sprintf("p-%d-%d", i, j), "node-a", "nginx")
			created[p.Name] = time.Now()
			if _, err := pods.Create(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
		runningPods := 0
		for runningPods < n {
			ev, ok := <-w.ResultChan()
			if !ok {
				b.Fatal("watch ended")
			}
			if ev.Type != watch.Modified {
				continue
			}
			t, ok := created[ev.Object.Name]
			if ok && isRunningReady(ev.Object) {
				lat = append(lat, time.Since(t))
				delete(created, ev.Object.Name)
				runningPods++
			}
		}
		total += time.Since(start)
		w.Stop()
		b.StopTimer()
		for j := 0; j < n; j++ {
			zero := int64(0)
			if _, err := pods.Delete(ctx, "default", fmt.Sprintf("p-%d-%d", i, j), store.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
				b.Fatal(err)
			}
		}
		for rt.Running() > 0 {
			time.Sleep(time.Millisecond) // benchmark cleanup between iterations, not a test wait
		}
		b.StartTimer()
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.9), "p90-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "all110-ms")
}

// BenchmarkAgents100x30 runs 100 agents (hollow runtimes, real clock) in one process on one
// store and binds 30 pods to each: it reports the time until all 3,000 are Running and Ready,
// the pod startup latency (creation to Running) and the heap held by the running agents.
func BenchmarkAgents100x30(b *testing.B) {
	const nodes, perNode = 100, 30
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		scheme, err := apis.NewScheme()
		if err != nil {
			b.Fatal(err)
		}
		res, err := builtin.Resources(scheme)
		if err != nil {
			b.Fatal(err)
		}
		backend, err := memory.New(memory.Options{Resources: res, WatchBuffer: 20000})
		if err != nil {
			b.Fatal(err)
		}
		reg, err := registry.New(backend, registry.Options{Scheme: scheme})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var ms0 goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&ms0)
		done := make(chan error, nodes)
		for n := 0; n < nodes; n++ {
			rt, err := hollow.New(hollow.Options{})
			if err != nil {
				b.Fatal(err)
			}
			a, err := nodeagent.New(reg, nodeagent.Options{NodeName: fmt.Sprintf("node-%d", n), Runtime: rt})
			if err != nil {
				b.Fatal(err)
			}
			go func() { done <- a.Run(ctx) }()
		}
		leases := store.For[*coordv1.Lease](reg, nodeagent.LeasesResource)
		for {
			l, err := leases.List(ctx, nodeagent.LeaseNamespace, store.ListOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if len(l.Items) == nodes {
				break
			}
			time.Sleep(time.Millisecond)
		}
		pods := store.For[*corev1.Pod](reg, nodeagent.PodsResource)
		w, err := pods.Watch(ctx, "default", store.WatchOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		created := make(map[string]time.Time, nodes*perNode)
		for j := 0; j < perNode; j++ {
			for n := 0; n < nodes; n++ {
				p := newPod(fmt.Sprintf("p-%d-%d", n, j), fmt.Sprintf("node-%d", n), "nginx")
				created[p.Name] = time.Now()
				if _, err := pods.Create(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
		}
		var lat []time.Duration
		for len(lat) < nodes*perNode {
			ev, ok := <-w.ResultChan()
			if !ok {
				b.Fatal("watch ended")
			}
			if t, ok := created[ev.Object.Name]; ok && ev.Type == watch.Modified && isRunningReady(ev.Object) {
				lat = append(lat, time.Since(t))
				delete(created, ev.Object.Name)
			}
		}
		elapsed := time.Since(start)
		b.StopTimer()
		var ms1 goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&ms1)
		w.Stop()
		cancel()
		for n := 0; n < nodes; n++ {
			<-done
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
		b.ReportMetric(float64(elapsed.Milliseconds()), "all-ms")
		b.ReportMetric(q(0.5), "p50-ms")
		b.ReportMetric(q(0.9), "p90-ms")
		b.ReportMetric(q(0.99), "p99-ms")
		b.ReportMetric(float64(ms1.HeapInuse-ms0.HeapInuse)/(1<<20), "heap-MiB")
		b.StartTimer()
	}
}
