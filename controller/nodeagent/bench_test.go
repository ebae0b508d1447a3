package nodeagent_test

import (
	"context"

	"fmt"
	"github.com/go-logr/logr/funcr"
	"sort"
	"testing"
	"time"

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
