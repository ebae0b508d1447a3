package scheduler

import (
	"context"
	"flag"
	"fmt"
	"math"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/scheduler"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

var scale = flag.Float64("scale", 1, "fraction of kube-scheduler's workload sizes to run (nodes and pods)")

var (
	podsGR  = schema.GroupResource{Resource: "pods"}
	nodesGR = schema.GroupResource{Resource: "nodes"}
)

const zoneKey = "topology.kubernetes.io/zone"

// workload mirrors a scheduler_perf test case: node count, initial pods (scheduled first, not
// measured), measured pods, and how to make each.
type workload struct {
	name              string
	nodes, init, meas int
	node              func(i int) *corev1.Node
	initPod, measPod  func(i int) *corev1.Pod
	threshold         float64 // kube-scheduler's CI threshold in pods/s, 0 for none
}

func defaultNode(i int) *corev1.Node {
	return st.Node(fmt.Sprintf("node-%05d", i)).Label(zoneKey, fmt.Sprintf("zone-%d", i%3)).
		Capacity("cpu", "4", "memory", "32Gi", "pods", "110").Obj()
}

// fromTemplate returns a pod maker in the way of scheduler_perf's pod templates: the pod is
// built (and its quantities parsed) once, and every pod is a deep copy of it with its own
// name.
func fromTemplate(prefix string, build func(name string) *corev1.Pod) func(i int) *corev1.Pod {
	tmpl := build(prefix)
	return func(i int) *corev1.Pod {
		p := tmpl.DeepCopy()
		p.Name = fmt.Sprintf("%s-%06d", prefix, i)
		p.UID = ""
		return p
	}
}

func basicPod(prefix string) func(i int) *corev1.Pod {
	return fromTemplate(prefix, func(name string) *corev1.Pod {
		return st.Pod(name).Req("cpu", "100m", "memory", "500Mi").Obj()
	})
}

func workloads() []workload {
	anti := func(prefix string) func(int) *corev1.Pod {
		return fromTemplate(prefix, func(name string) *corev1.Pod {
			return st.Pod(name).Label("color", "green").Req("cpu", "100m", "memory", "500Mi").
				PodAntiAffinity(st.Term(corev1.LabelHostname, "color", "green")).Obj()
		})
	}
	aff := func(prefix string) func(int) *corev1.Pod {
		return fromTemplate(prefix, func(name string) *corev1.Pod {
			return st.Pod(name).Label("foo", "bar").Req("cpu", "100m", "memory", "500Mi").
				PodAffinity(st.Term(zoneKey, "foo", "bar")).Obj()
		})
	}
	nodeAff := func(prefix string) func(int) *corev1.Pod {
		return fromTemplate(prefix, func(name string) *corev1.Pod {
			return st.Pod(name).Req("cpu", "100m", "memory", "500Mi").
				RequiredNodeAffinity(zoneKey, corev1.NodeSelectorOpIn, "zone-0", "zone-1").Obj()
		})
	}
	spread := func(prefix string, action corev1.UnsatisfiableConstraintAction) func(int) *corev1.Pod {
		return fromTemplate(prefix, func(name string) *corev1.Pod {
			return st.Pod(name).Label("app", "spread").Req("cpu", "100m", "memory", "500Mi").
				Spread(5, zoneKey, action, "app", "spread").Obj()
		})
	}
	low := fromTemplate("low", func(name string) *corev1.Pod {
		return st.Pod(name).Req("cpu", "900m", "memory", "500Mi").Priority(1).Obj()
	})
	high := fromTemplate("high", func(name string) *corev1.Pod {
		return st.Pod(name).Req("cpu", "3", "memory", "500Mi").Priority(100).Obj()
	})
	return []workload{
		{"SchedulingBasic", 5000, 1000, 10000, defaultNode, basicPod("init"), basicPod("meas"), 680},
		{"SchedulingPodAntiAffinity", 5000, 1000, 2000, defaultNode, anti("init"), anti("meas"), 60},
		{"SchedulingPodAffinity", 5000, 5000, 5000, defaultNode, aff("init"), aff("meas"), 35},
		{"SchedulingNodeAffinity", 5000, 5000, 10000, defaultNode, nodeAff("init"), nodeAff("meas"), 220},
		{"TopologySpreading", 5000, 5000, 5000, defaultNode, spread("init", corev1.DoNotSchedule), spread("meas", corev1.DoNotSchedule), 460},
		{"PreferredTopologySpreading", 5000, 5000, 5000, defaultNode, spread("init", corev1.ScheduleAnyway), spread("meas", corev1.ScheduleAnyway), 340},
		{"PreemptionBasic", 1000, 4000, 1000, defaultNode, low, high, 0},
	}
}

type result struct {
	cpuPerPod  time.Duration // process CPU (scheduler, store, informers, harness) per measured pod
	podsPerSec float64
	p50, p99   time.Duration
	bound      int
	nodesUsed  int
	lowerBound int
}

func newStore(tb testing.TB) store.Interface {
	codecs, err := apis.NewCodecs(runtime.CodecOptions{Strict: true, Default: true})
	if err != nil {
		tb.Fatal(err)
	}
	res, err := builtin.Resources(codecs.Scheme)
	if err != nil {
		tb.Fatal(err)
	}
	// A deep watch buffer: the harness creates thousands of pods in a burst.
	s, err := memory.New(memory.Options{Resources: res, WatchBuffer: 1 << 20})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// run executes one workload with the profile and options (Store, Profiles and Parallelism are
// set here) and returns the measured phase's figures.
func run(tb testing.TB, w workload, prof framework.Profile, opts scheduler.Options) result {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	n := func(x int) int { return max(1, int(math.Round(float64(x)**scale))) }
	nodes, initN, measN := n(w.nodes), n(w.init), n(w.meas)
	s := newStore(tb)
	podsT := store.For[*corev1.Pod](s, podsGR)
	nodesT := store.For[*corev1.Node](s, nodesGR)
	var nodeObjs []*corev1.Node
	for i := 0; i < nodes; i++ {
		nd := w.node(i)
		nd.Status.Capacity = nd.Status.Allocatable
		if _, err := nodesT.Create(ctx, nd); err != nil {
			tb.Fatal(err)
		}
		nodeObjs = append(nodeObjs, nd)
	}
	// The harness only reads the events: it shares the store's objects, as an informer would,
	// and reads the store's own stream (a typed watch would add a relay goroutine per event).
	wt, err := s.Watch(ctx, podsGR, "", store.WatchOptions{SharedObjects: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer wt.Stop()
	opts.Store, opts.Profiles, opts.Parallelism = s, []framework.Profile{prof}, 2
	sch, err := scheduler.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- sch.Run(runCtx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			tb.Error(err)
		}
	}()
	// Consume the watch continuously (a stalled consumer would be cut off by the store).
	var mu sync.Mutex
	created := map[string]time.Time{}
	boundAt := map[string]time.Time{}
	placed := map[string]string{}
	// group says which created set (0 initial, 1 measured) a pod is in; boundIn counts the
	// bound pods of each, so that waiting costs nothing per event.
	group := map[string]int{}
	var boundIn [2]int
	notify := make(chan struct{}, 1)
	watchErr := make(chan string, 1)
	go func() {
		for ev := range wt.ResultChan() {
			if ev.Type == watch.Error {
				watchErr <- fmt.Sprintf("watch error event: %+v", ev.Object)
				return
			}
			p, ok := ev.Object.(*corev1.Pod)
			if !ok {
				watchErr <- fmt.Sprintf("watch event of type %T", ev.Object)
				return
			}
			mu.Lock()
			if ev.Type == watch.Deleted {
				if _, ok := placed[p.Name]; ok {
					delete(placed, p.Name)
					if g, ok := group[p.Name]; ok {
						boundIn[g]--
					}
				}
			} else if p.Spec.NodeName != "" {
				if _, seen := placed[p.Name]; !seen {
					boundAt[p.Name] = time.Now()
					if g, ok := group[p.Name]; ok {
						boundIn[g]++
					}
				}
				placed[p.Name] = p.Spec.NodeName
			}
			mu.Unlock()
			select {
			case notify <- struct{}{}:
			default:
			}
		}
	}()
	wait := func(g int, want int) {
		for {
			mu.Lock()
			got := boundIn[g]
			mu.Unlock()
			if got >= want {
				return
			}
			select {
			case <-notify:
			case e := <-watchErr:
				tb.Fatal(e)
			case <-ctx.Done():
				tb.Fatalf("%s: %d of %d pods bound before the timeout", w.name, got, want)
			}
		}
	}
	create := func(g int, mk func(int) *corev1.Pod, count int) map[string]bool {
		names := map[string]bool{}
		for i := 0; i < count; i++ {
			p := mk(i)
			p.UID = ""
			p.Spec.Containers[0].Image = "app:v1"
			mu.Lock()
			created[p.Name] = time.Now()
			group[p.Name] = g
			mu.Unlock()
			if _, err := podsT.Create(ctx, p); err != nil {
				tb.Fatal(err)
			}
			names[p.Name] = true
		}
		return names
	}
	create(0, w.initPod, initN)
	wait(0, initN)
	start := time.Now()
	cpu0 := cpuTime()
	measNames := create(1, w.measPod, measN)
	wait(1, measN)
	elapsed := time.Since(start)
	cpuPerPod := time.Duration((cpuTime() - cpu0) / int64(measN))
	mu.Lock()
	defer mu.Unlock()
	var lat []time.Duration
	for nm := range measNames {
		if b, ok := boundAt[nm]; ok {
			lat = append(lat, b.Sub(created[nm]))
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := result{podsPerSec: float64(measN) / elapsed.Seconds(), bound: len(lat), cpuPerPod: cpuPerPod}
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	used := map[string]bool{}
	var cpu int64
	for nm, node := range placed {
		used[node] = true
		_ = nm
	}
	for _, p := range append(podsOf(w.initPod, initN), podsOf(w.measPod, measN)...) {
		if _, ok := placed[p.Name]; ok {
			cpu += p.Spec.Containers[0].Resources.Requests.Cpu().MilliValue()
		}
	}
	r.nodesUsed = len(used)
	r.lowerBound = int(math.Ceil(float64(cpu) / float64(nodeObjs[0].Status.Allocatable.Cpu().MilliValue())))
	return r
}

func podsOf(mk func(int) *corev1.Pod, n int) []*corev1.Pod {
	out := make([]*corev1.Pod, n)
	for i := range out {
		out[i] = mk(i)
	}
	return out
}

// variants switch one technique off at a time against "default" (everything on: sampling,
// equivalence classes, score caching, node reservations).
var variants = []struct {
	name string
	pct  int32
	opts scheduler.Options
}{
	{"default", 0, scheduler.Options{}},
	{"no-sampling", 100, scheduler.Options{}},
	{"no-equivalence", 0, scheduler.Options{DisableEquivalenceClasses: true}},
	{"no-score-cache", 0, scheduler.Options{DisableScoreCache: true}},
	{"no-reservation", 0, scheduler.Options{DisableNodeReservation: true}},
}

// BenchmarkSchedulerPerf runs every workload with every variant. Each runs once whatever b.N
// is: use -benchtime=1x. Figures: pods/s of the measured phase, process CPU per pod, p50 and
// p99 latency from creation to the observed binding.
func BenchmarkSchedulerPerf(b *testing.B) {
	for _, w := range workloads() {
		for _, v := range variants {
			b.Run(w.name+"/"+v.name, func(b *testing.B) {
				prof := plugins.DefaultProfile()
				prof.PercentageOfNodesToScore = v.pct
				r := run(b, w, prof, v.opts)
				b.ReportMetric(r.podsPerSec, "pods/s")
				b.ReportMetric(1e9/float64(r.cpuPerPod), "pods/cpu-s")
				b.ReportMetric(float64(r.p50.Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(r.p99.Microseconds())/1000, "p99-ms")
				if w.threshold > 0 {
					b.ReportMetric(r.podsPerSec/w.threshold, "x-kube-threshold")
				}
			})
		}
	}
}

// BenchmarkBinPacking schedules SchedulingBasic's pods with MostAllocated and reports the nodes
// used against the lower bound sum(cpu requests) / node cpu.
func BenchmarkBinPacking(b *testing.B) {
	w := workloads()[0]
	w.name = "BinPacking"
	prof, _ := plugins.WithArgs(plugins.DefaultProfile(), plugins.NameNodeResourcesFit,
		&plugins.NodeResourcesFitArgs{ScoringStrategy: &plugins.ScoringStrategy{Type: plugins.MostAllocated}})
	r := run(b, w, prof, scheduler.Options{})
	b.ReportMetric(float64(r.nodesUsed), "nodes-used")
	b.ReportMetric(float64(r.lowerBound), "lower-bound")
	b.ReportMetric(r.podsPerSec, "pods/s")
}

// cpuTime is the process's user+system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
