package cache_test

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/cache"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// The benchmarks compare each backend used directly with the same backend behind the cache,
// side by side in one run: memory vs cache over memory, etcd (an embedded single member on
// loopback, no fsync) vs cache over etcd.

type benchTarget struct {
	name   string
	cached bool
	etcd   bool
	// headRev makes the cache learn etcd's revision from the header of a one-key read
	// instead of the backend's Stats (which counts every resource's keys).
	headRev bool
}

var benchTargets = []benchTarget{
	{name: "memory"},
	{name: "cache-memory", cached: true},
	{name: "etcd", etcd: true},
	{name: "cache-etcd", cached: true, etcd: true},
	{name: "cache-etcd-headrev", cached: true, etcd: true, headRev: true},
}

// etcdBackend is the etcd store with the client it uses.
type etcdBackend struct {
	*etcd.Store
	cli *clientv3.Client
}

// newBackend returns a fresh backend of the target's kind.
func newBackend(b *testing.B, t benchTarget) store.Interface {
	b.Helper()
	if t.etcd {
		srv := etcdtest.Start(b, etcdtest.Options{})
		cli := srv.Client(b)
		s, err := etcd.New(etcd.Options{Client: cli, Resources: storetest.Resources(), Clock: clock.Real(), WatchBuffer: 1 << 20})
		if err != nil {
			b.Fatal(err)
		}
		return etcdBackend{s, cli}
	}
	s, err := memory.New(memory.Options{Resources: storetest.Resources(), MaxObjectSize: -1, WatchBuffer: 1 << 20, MaxHistory: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// front returns the store the benchmark uses: the backend, or a ready cache in front of it.
func front(b *testing.B, t benchTarget, be store.Interface) store.Interface {
	b.Helper()
	if !t.cached {
		return be
	}
	opts := cache.Options{Resources: storetest.Resources(), Eager: true, WatchBuffer: 1 << 20}
	if eb, ok := be.(etcdBackend); ok && t.headRev {
		opts.CurrentRevision = func(ctx context.Context) (int64, error) {
			resp, err := eb.cli.Get(ctx, "/cellkit-revision-probe") // linearizable: etcd's current revision
			if err != nil {
				return 0, err
			}
			return resp.Header.Revision, nil
		}
	}
	c, err := cache.New(be, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	if _, err := c.List(context.Background(), storetest.Widgets, "", store.ListOptions{Consistency: store.Any, Limit: 1}); err != nil {
		b.Fatal(err) // waits for the first list
	}
	return c
}

func benchWidget(i int) *storetest.Widget {
	return &storetest.Widget{
		ObjectMeta: meta.ObjectMeta{
			Namespace:   fmt.Sprintf("ns-%d", i%10),
			Name:        fmt.Sprintf("widget-%06d", i),
			Labels:      map[string]string{"app": fmt.Sprintf("app-%d", i%100), "tier": "backend"},
			Annotations: map[string]string{"owner": "team-a", "description": "a widget used by the benchmarks"},
		},
		Spec: storetest.WidgetSpec{
			Node:  fmt.Sprintf("node-%d", i%100),
			Size:  int64(i),
			Tags:  []string{"one", "two", "three"},
			Attrs: map[string]string{"region": "eu-west-1", "zone": "b"},
			Data:  "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz",
		},
	}
}

// fill creates n widgets with 16 concurrent writers.
func fill(b *testing.B, s store.Interface, n int) {
	b.Helper()
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				if _, err := ws.Create(context.Background(), benchWidget(i)); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkList10k lists 10k widgets (10 namespaces, 100 nodes, 100 app labels), whole and
// through selectors, from each backend directly and through the cache (Latest reads, the
// default, and Any).
func BenchmarkList10k(b *testing.B) {
	cases := []struct {
		name string
		ns   string
		opts store.ListOptions
		want int
	}{
		{"all", "", store.ListOptions{}, 10_000},
		{"all-any", "", store.ListOptions{Consistency: store.Any}, 10_000},
		{"namespace", "ns-3", store.ListOptions{}, 1_000},
		{"label-1pct", "", store.ListOptions{Labels: labels.SelectorFromSet(labels.Set{"app": "app-42"})}, 100},
		{"indexed-field-1pct", "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.node", "node-42")}, 100},
		{"plain-field-0pct", "", store.ListOptions{Fields: fields.OneTermEqualSelector("status.phase", "Gone")}, 0},
	}
	for _, target := range benchTargets {
		b.Run(target.name, func(b *testing.B) {
			be := newBackend(b, target)
			fill(b, be, 10_000)
			s := store.For[*storetest.Widget](front(b, target, be), storetest.Widgets)
			for _, tc := range cases {
				b.Run(tc.name, func(b *testing.B) {
					ctx := context.Background()
					b.ReportAllocs()
					b.ResetTimer()
					cpu0 := cpuTime()
					for i := 0; i < b.N; i++ {
						l, err := s.List(ctx, tc.ns, tc.opts)
						if err != nil {
							b.Fatal(err)
						}
						if len(l.Items) != tc.want {
							b.Fatalf("%d items, want %d", len(l.Items), tc.want)
						}
					}
					b.StopTimer()
					b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
				})
			}
		})
	}
}

// latencies is a histogram of delivery latencies with 8 buckets per power of two of
// microseconds.
type latencies [8 * 40]uint32

func (h *latencies) add(d time.Duration) {
	us := float64(d) / float64(time.Microsecond)
	i := 0
	if us > 1 {
		i = int(math.Log2(us) * 8)
	}
	h[min(i, len(h)-1)]++
}

func (h *latencies) merge(o *latencies) {
	for i := range h {
		h[i] += o[i]
	}
}

// quantile returns the upper bound of the bucket holding quantile q.
func (h *latencies) quantile(q float64) time.Duration {
	var total uint64
	for _, n := range h {
		total += uint64(n)
	}
	want := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i, n := range h {
		seen += uint64(n)
		if seen >= want && n > 0 {
			return time.Duration(math.Exp2(float64(i+1)/8) * float64(time.Microsecond))
		}
	}
	return 0
}

// BenchmarkWatchFanout measures watch delivery: watchers of every change of the resource
// ("all") or of one node's widgets through the spec.node index ("node", one watcher per node,
// each write reaching one watcher), with shared objects, while widgets are updated at 1,000
// writes/s through the store under test. Latency runs from the write call to the watcher's
// receive. b.N is the number of writes; writes the store refuses (etcd overloaded by 10,000
// watch streams times them out) are counted in failed-writes and expected by no watcher.
func BenchmarkWatchFanout(b *testing.B) {
	type tc struct {
		watchers int
		byNode   bool
	}
	cases := []tc{{100, false}, {10_000, false}, {10_000, true}}
	for _, target := range benchTargets {
		for _, c := range cases {
			mode := "all"
			if c.byNode {
				mode = "node"
			}
			b.Run(fmt.Sprintf("%s/watchers=%d/%s/rate=1000", target.name, c.watchers, mode), func(b *testing.B) {
				benchFanout(b, target, c.watchers, c.byNode, 1000)
			})
		}
	}
}

func benchFanout(b *testing.B, target benchTarget, watchers int, byNode bool, rate int) {
	s := front(b, target, newBackend(b, target))
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	nObjs := 100
	if byNode {
		nObjs = watchers
	}
	objs := make([]*storetest.Widget, nObjs)
	for i := range objs {
		w := benchWidget(i)
		w.Namespace = "bench"
		w.Spec.Node = fmt.Sprintf("node-%d", i)
		o, err := ws.Create(ctx, w)
		if err != nil {
			b.Fatal(err)
		}
		o.ResourceVersion = "" // unconditional updates
		objs[i] = o
	}
	var delivered atomic.Int64
	hists := make([]latencies, watchers)
	var wg sync.WaitGroup
	for i := 0; i < watchers; i++ {
		opts := store.WatchOptions{SharedObjects: true}
		if byNode {
			opts.Fields = fields.OneTermEqualSelector("spec.node", fmt.Sprintf("node-%d", i))
		}
		w, err := s.Watch(ctx, storetest.Widgets, "", opts)
		if err != nil {
			b.Fatal(err)
		}
		wg.Add(1)
		go func(w watch.Interface[runtime.Object], h *latencies) {
			defer wg.Done()
			for ev := range w.ResultChan() {
				if ev.Type != watch.Modified {
					continue
				}
				h.add(time.Duration(time.Now().UnixNano() - ev.Object.(*storetest.Widget).Spec.Size))
				delivered.Add(1)
			}
		}(w, &hists[i])
	}
	b.ResetTimer()
	start := time.Now()
	cpu0 := cpuTime()
	interval := time.Second / time.Duration(rate)
	// Writes are issued on schedule by up to 64 concurrent writers (many clients), so a
	// write that waits does not hold back the next one.
	slots := make(chan struct{}, 64)
	var writes sync.WaitGroup
	var failed atomic.Int64 // writes the store refused (an overloaded etcd times out)
	var lastErr atomic.Value
	for i := 0; i < b.N; i++ {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		slots <- struct{}{}
		writes.Add(1)
		o := objs[i%len(objs)].DeepCopy()
		o.Spec.Size = time.Now().UnixNano()
		go func() {
			defer writes.Done()
			if _, err := ws.Update(ctx, o); err != nil {
				failed.Add(1)
				lastErr.Store(err)
			}
			<-slots
		}()
	}
	writes.Wait()
	writeTime := time.Since(start)
	ok := int64(b.N) - failed.Load()
	if ok == 0 {
		b.Fatalf("every write failed, the last with: %v", lastErr.Load())
	}
	want := ok
	if !byNode {
		want *= int64(watchers)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for delivered.Load() < want {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d events delivered within 2 minutes of the last write", delivered.Load(), want)
		}
		time.Sleep(100 * time.Microsecond)
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	cancel()
	wg.Wait()
	var all latencies
	for i := range hists {
		all.merge(&hists[i])
	}
	b.ReportMetric(float64(ok)/writeTime.Seconds(), "writes/s")
	b.ReportMetric(float64(failed.Load()), "failed-writes")
	b.ReportMetric(float64(want)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(want), "cpu-ns/event")
	b.ReportMetric(float64(all.quantile(0.5))/1e6, "p50-ms")
	b.ReportMetric(float64(all.quantile(0.99))/1e6, "p99-ms")
}
