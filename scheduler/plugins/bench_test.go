package plugins_test

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

// benchCluster is 5000 nodes in 10 zones (4 cpu, 16Gi, 110 pods each) with 1000 pods bound
// round-robin, like scheduler_perf's SchedulingBasic initial state.
func benchCluster(b *testing.B, existing func(i int) *corev1.Pod) *framework.Snapshot {
	snap := framework.NewSnapshot()
	for i := 0; i < 5000; i++ {
		n := st.Node(fmt.Sprintf("node-%04d", i)).Label(zone, fmt.Sprintf("zone-%d", i%10)).Capacity("cpu", "4", "memory", "16Gi").Obj()
		if err := snap.AddNode(n); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 1000; i++ {
		p := existing(i)
		p.Spec.NodeName = fmt.Sprintf("node-%04d", (i*7)%5000)
		if err := snap.AddPod(framework.MustPodInfo(p)); err != nil {
			b.Fatal(err)
		}
	}
	return snap
}

func BenchmarkSchedulingCycle5000Nodes(b *testing.B) {
	plain := func(i int) *corev1.Pod {
		return st.Pod(fmt.Sprintf("init-%d", i)).Label("app", fmt.Sprintf("app-%d", i%20)).Req("cpu", "100m", "memory", "500Mi").Obj()
	}
	workloads := []struct {
		name string
		pod  *corev1.Pod
	}{
		{"basic", st.Pod("p").Req("cpu", "100m", "memory", "500Mi").Obj()},
		{"node-affinity", st.Pod("p").Req("cpu", "100m").RequiredNodeAffinity(zone, corev1.NodeSelectorOpIn, "zone-1", "zone-2").Obj()},
		{"pod-anti-affinity", st.Pod("p").Label("app", "app-3").Req("cpu", "100m").PodAntiAffinity(st.Term(corev1.LabelHostname, "app", "app-3")).Obj()},
		{"topology-spread", st.Pod("p").Label("app", "app-3").Req("cpu", "100m").Spread(1, zone, corev1.DoNotSchedule, "app", "app-3").Obj()},
		{"preferred-spread", st.Pod("p").Label("app", "app-3").Req("cpu", "100m").Spread(1, corev1.LabelHostname, corev1.ScheduleAnyway, "app", "app-3").Obj()},
	}
	for _, w := range workloads {
		for _, mode := range []struct {
			name string
			pct  int32
			par  framework.Parallelizer
		}{{"sampled", 0, nil}, {"all-nodes", 100, nil}, {"sampled-parallel2", 0, interleaved(2)}} {
			b.Run(w.name+"/"+mode.name, func(b *testing.B) {
				snap := benchCluster(b, plain)
				prof := plugins.DefaultProfile()
				prof.PercentageOfNodesToScore = mode.pct
				f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: nopBinder()}), prof, framework.Options{Parallelizer: mode.par})
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				b.ReportAllocs()
				b.ResetTimer()
				cpu0 := cpuTime()
				evaluated := 0
				for i := 0; i < b.N; i++ {
					res, err := f.SchedulePod(ctx, framework.NewCycleState(), w.pod, snap)
					if err != nil {
						b.Fatal(err)
					}
					evaluated += res.EvaluatedNodes
				}
				b.StopTimer()
				cpuNs := float64(cpuTime()-cpu0) / float64(b.N)
				b.ReportMetric(float64(evaluated)/float64(b.N), "nodes/op")
				b.ReportMetric(cpuNs, "cpu-ns/op")
				b.ReportMetric(1e9/cpuNs, "pods/cpu-s")
			})
		}
	}
}

// interleaved is the driver's Parallelizer (scheduler.Options.Parallelism): workers goroutines,
// worker w taking pieces w, w+workers, ...
func interleaved(workers int) framework.Parallelizer {
	return func(_ context.Context, n int, work func(int)) {
		var wg sync.WaitGroup
		for w := range min(workers, n) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += workers {
					work(i)
				}
			}()
		}
		wg.Wait()
	}
}

// cpuTime is the process's user+system CPU time in nanoseconds (GC included), so that figures
// on a loaded machine measure our work, not the neighbours'.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
