package memory_test

import (
	"context"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// benchWidget is a widget of about 600 bytes of JSON, with labels, annotations and a spec.
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

func benchStore(b *testing.B, opts memory.Options) *memory.Store {
	b.Helper()
	opts.Resources = storetest.Resources()
	s, err := memory.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func fill(b *testing.B, s *memory.Store, n int) []*storetest.Widget {
	b.Helper()
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	out := make([]*storetest.Widget, n)
	for i := range out {
		o, err := ws.Create(context.Background(), benchWidget(i))
		if err != nil {
			b.Fatal(err)
		}
		out[i] = o
	}
	return out
}

func BenchmarkCreate(b *testing.B) {
	for _, size := range []struct {
		name  string
		limit int
	}{{"sizecheck", 0}, {"nosizecheck", -1}} {
		b.Run(size.name, func(b *testing.B) {
			s := benchStore(b, memory.Options{MaxObjectSize: size.limit})
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			objs := make([]*storetest.Widget, b.N)
			for i := range objs {
				objs[i] = benchWidget(i)
			}
			ctx := context.Background()
			b.ReportAllocs()
			m := meterCPU(b)
			for i := 0; i < b.N; i++ {
				if _, err := ws.Create(ctx, objs[i]); err != nil {
					b.Fatal(err)
				}
			}
			m.stop()
		})
	}
}

func BenchmarkUpdate(b *testing.B) {
	for _, size := range []struct {
		name  string
		limit int
	}{{"sizecheck", 0}, {"nosizecheck", -1}} {
		b.Run(size.name, func(b *testing.B) {
			s := benchStore(b, memory.Options{MaxObjectSize: size.limit})
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			objs := fill(b, s, 1000)
			ctx := context.Background()
			b.ReportAllocs()
			m := meterCPU(b)
			for i := 0; i < b.N; i++ {
				o := objs[i%len(objs)]
				o.Spec.Size++
				out, err := ws.Update(ctx, o) // conditional: carries the last resourceVersion
				if err != nil {
					b.Fatal(err)
				}
				objs[i%len(objs)] = out
			}
			m.stop()
		})
	}
}

// BenchmarkSmallObject measures the engine rather than the deep copy: a Gizmo copies with one
// allocation, a benchmark Widget (four maps, a slice) with six.
func BenchmarkSmallObject(b *testing.B) {
	ctx := context.Background()
	gizmo := func(i int) *storetest.Gizmo {
		return &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: fmt.Sprintf("gizmo-%06d", i)}, Value: "v"}
	}
	for _, size := range []struct {
		name  string
		limit int
	}{{"sizecheck", 0}, {"nosizecheck", -1}} {
		b.Run("update/"+size.name, func(b *testing.B) {
			s := benchStore(b, memory.Options{MaxObjectSize: size.limit})
			gs := store.For[*storetest.Gizmo](s, storetest.Gizmos)
			objs := make([]*storetest.Gizmo, 1000)
			for i := range objs {
				o, err := gs.Create(ctx, gizmo(i))
				if err != nil {
					b.Fatal(err)
				}
				objs[i] = o
			}
			b.ReportAllocs()
			m := meterCPU(b)
			for i := 0; i < b.N; i++ {
				o := objs[i%len(objs)]
				o.Value = strconv.Itoa(i)
				out, err := gs.Update(ctx, o)
				if err != nil {
					b.Fatal(err)
				}
				objs[i%len(objs)] = out
			}
			m.stop()
		})
	}
	b.Run("get", func(b *testing.B) {
		s := benchStore(b, memory.Options{})
		gs := store.For[*storetest.Gizmo](s, storetest.Gizmos)
		names := make([]string, 10_000)
		for i := range names {
			o, err := gs.Create(ctx, gizmo(i))
			if err != nil {
				b.Fatal(err)
			}
			names[i] = o.Name
		}
		b.ReportAllocs()
		m := meterCPU(b)
		for i := 0; i < b.N; i++ {
			if _, err := gs.Get(ctx, "", names[(i*7919)%len(names)], store.GetOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		m.stop()
	})
}

func BenchmarkGuaranteedUpdate(b *testing.B) {
	s := benchStore(b, memory.Options{MaxObjectSize: -1})
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	objs := fill(b, s, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	m := meterCPU(b)
	defer m.stop()
	for i := 0; i < b.N; i++ {
		o := objs[i%len(objs)]
		if _, err := ws.GuaranteedUpdate(ctx, o.Namespace, o.Name, func(cur *storetest.Widget) (*storetest.Widget, error) {
			cur.Spec.Size++
			return cur, nil
		}, store.UpdateOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	s := benchStore(b, memory.Options{})
	objs := fill(b, s, 10_000)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	ctx := context.Background()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		m := meterCPU(b)
		for i := 0; i < b.N; i++ {
			o := objs[(i*7919)%len(objs)]
			if _, err := ws.Get(ctx, o.Namespace, o.Name, store.GetOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		m.stop()
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		m := meterCPU(b)
		defer m.stop()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(len(objs))
			for pb.Next() {
				o := objs[i%len(objs)]
				i += 7919
				if _, err := ws.Get(ctx, o.Namespace, o.Name, store.GetOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

func BenchmarkList10k(b *testing.B) {
	s := benchStore(b, memory.Options{})
	fill(b, s, 10_000)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	ctx := context.Background()
	cases := []struct {
		name string
		ns   string
		opts store.ListOptions
		want int
	}{
		{"all", "", store.ListOptions{}, 10_000},
		{"namespace", "ns-3", store.ListOptions{}, 1_000},
		{"label 1pct", "", store.ListOptions{Labels: labels.SelectorFromSet(labels.Set{"app": "app-42"})}, 100},
		{"indexed field 1pct", "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.node", "node-42")}, 100},
		{"plain field 0pct", "", store.ListOptions{Fields: fields.OneTermEqualSelector("status.phase", "Gone")}, 0},
		{"page of 500", "", store.ListOptions{Limit: 500}, 500},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			m := meterCPU(b)
			defer m.stop()
			for i := 0; i < b.N; i++ {
				l, err := ws.List(ctx, tc.ns, tc.opts)
				if err != nil {
					b.Fatal(err)
				}
				if len(l.Items) != tc.want {
					b.Fatalf("%d items, want %d", len(l.Items), tc.want)
				}
			}
		})
	}
}

// cpuTime returns the CPU time (user and system, every thread) the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reports the CPU time per operation next to the wall time: on a shared, loaded
// machine wall time measures the neighbours, CPU time measures the code (GC included).
type cpuMeter struct {
	b     *testing.B
	start time.Duration
}

func meterCPU(b *testing.B) *cpuMeter {
	b.ResetTimer()
	return &cpuMeter{b: b, start: cpuTime()}
}

func (m *cpuMeter) stop() {
	m.b.StopTimer()
	used := cpuTime() - m.start
	m.b.ReportMetric(float64(used.Nanoseconds())/float64(m.b.N), "cpu-ns/op")
	if used > 0 {
		m.b.ReportMetric(float64(m.b.N)/used.Seconds(), "ops/cpu-s")
	}
}

// histogram counts latencies in buckets of about 19% width (4 per power of two of µs).
type histogram [4 * 40]uint32

func (h *histogram) add(d time.Duration) {
	us := uint64(d / time.Microsecond)
	if us < 4 {
		h[us]++
		return
	}
	n := bits.Len64(us) // 3..
	sub := (us >> (n - 3)) & 3
	i := int(n)*4 + int(sub)
	if i >= len(h) {
		i = len(h) - 1
	}
	h[i]++
}

// upper returns the upper bound of bucket i.
func upper(i int) time.Duration {
	if i < 4 {
		return time.Duration(i+1) * time.Microsecond
	}
	n, sub := i/4, uint64(i%4)
	lo := (4 | sub) << (n - 3)
	return time.Duration(lo+(uint64(1)<<(n-3))) * time.Microsecond
}

func (h *histogram) merge(o *histogram) {
	for i := range h {
		h[i] += o[i]
	}
}

func (h *histogram) quantile(q float64) time.Duration {
	var total uint64
	for _, c := range h {
		total += uint64(c)
	}
	if total == 0 {
		return 0
	}
	want := uint64(float64(total) * q)
	var seen uint64
	for i, c := range h {
		seen += uint64(c)
		if seen > want {
			return upper(i)
		}
	}
	return upper(len(h) - 1)
}

// BenchmarkWatchFanout writes b.N updates, each stamped with its send time in Spec.Size, and
// measures how fast and how soon the watchers get them. "all" watchers watch the whole
// resource (every write reaches every watcher); "node" watchers each watch spec.node=<own
// node> through the field index, like node agents (every write reaches one watcher).
// rate=max writes as fast as possible (events/s is deliveries per second); rate=1000 paces
// the writes at 1,000 per second (latency under a steady load).
func BenchmarkWatchFanout(b *testing.B) {
	type tc struct {
		watchers int
		mode     string
		rate     int
		shared   bool
	}
	var cases []tc
	for _, n := range []int{1, 100, 10_000} {
		cases = append(cases, tc{n, "all", 0, false}, tc{n, "all", 0, true}, tc{n, "all", 1000, true})
	}
	cases = append(cases, tc{10_000, "node", 0, false}, tc{10_000, "node", 1000, false})
	for _, c := range cases {
		rate := "max"
		if c.rate > 0 {
			rate = fmt.Sprint(c.rate)
		}
		name := fmt.Sprintf("watchers=%d/%s/rate=%s/shared=%v", c.watchers, c.mode, rate, c.shared)
		b.Run(name, func(b *testing.B) { benchFanout(b, c.watchers, c.mode == "node", c.rate, c.shared) })
	}
}

func benchFanout(b *testing.B, watchers int, byNode bool, rate int, shared bool) {
	s := benchStore(b, memory.Options{MaxObjectSize: -1, WatchBuffer: 1 << 20, MaxHistory: 1 << 20})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	nObjs := 100
	if byNode {
		nObjs = watchers
	}
	objs := make([]*storetest.Widget, nObjs)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	for i := range objs {
		w := benchWidget(i)
		w.Spec.Node = fmt.Sprintf("node-%d", i)
		o, err := ws.Create(ctx, w)
		if err != nil {
			b.Fatal(err)
		}
		o.ResourceVersion = "" // unconditional updates
		objs[i] = o
	}
	var delivered atomic.Int64
	hists := make([]histogram, watchers)
	var wg sync.WaitGroup
	for i := 0; i < watchers; i++ {
		opts := store.WatchOptions{SharedObjects: shared}
		if byNode {
			opts.Fields = fields.OneTermEqualSelector("spec.node", fmt.Sprintf("node-%d", i))
		}
		w, err := s.Watch(ctx, storetest.Widgets, "", opts)
		if err != nil {
			b.Fatal(err)
		}
		wg.Add(1)
		go func(w watch.Interface[runtime.Object], h *histogram) {
			defer wg.Done()
			for ev := range w.ResultChan() {
				if ev.Type != watch.Modified {
					continue
				}
				sent := ev.Object.(*storetest.Widget).Spec.Size
				h.add(time.Duration(time.Now().UnixNano() - sent))
				delivered.Add(1)
			}
		}(w, &hists[i])
	}
	want := int64(b.N)
	if !byNode {
		want *= int64(watchers)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	cpu0 := cpuTime()
	interval := time.Duration(0)
	if rate > 0 {
		interval = time.Second / time.Duration(rate)
	}
	for i := 0; i < b.N; i++ {
		if interval > 0 {
			if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
				time.Sleep(d)
			}
		}
		o := objs[i%len(objs)]
		o.Spec.Size = time.Now().UnixNano()
		if _, err := s.Update(ctx, storetest.Widgets, o); err != nil {
			b.Fatal(err)
		}
	}
	for delivered.Load() < want {
		time.Sleep(100 * time.Microsecond)
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	cancel()
	wg.Wait()
	var all histogram
	for i := range hists {
		all.merge(&hists[i])
	}
	b.ReportMetric(float64(want)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(want), "cpu-ns/event")
	b.ReportMetric(float64(all.quantile(0.5))/1e6, "p50-ms")
	b.ReportMetric(float64(all.quantile(0.99))/1e6, "p99-ms")
}

// BenchmarkListPaged100k lists 100k objects in pages of 500 at a past revision (one write
// after the fill), as an informer's initial list does: each op is the whole paginated list,
// 200 pages, every page after the first continuing at the first page's revision; quiet, and with
// a create between pages (a new key must enter the sorted order before the next page).
func BenchmarkListPaged100k(b *testing.B) {
	b.Run("quiet", func(b *testing.B) { benchListPaged(b, false) })
	b.Run("create between pages", func(b *testing.B) { benchListPaged(b, true) })
}

func benchListPaged(b *testing.B, churn bool) {
	const n, limit = 100_000, 500
	s := benchStore(b, memory.Options{})
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	ctx := context.Background()
	objs := fill(b, s, n)
	past, err := strconv.ParseInt(objs[n-1].ResourceVersion, 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	upd := objs[0].DeepCopy()
	upd.Spec.Size = -1
	if _, err := ws.Update(ctx, upd); err != nil {
		b.Fatal(err)
	}
	created := 0
	b.ReportAllocs()
	m := meterCPU(b)
	defer m.stop()
	for i := 0; i < b.N; i++ {
		opts := store.ListOptions{Consistency: store.Exact, Revision: past, Limit: limit}
		got := 0
		for {
			l, err := ws.List(ctx, "", opts)
			if err != nil {
				b.Fatal(err)
			}
			got += len(l.Items)
			if l.Continue == "" {
				break
			}
			if l.RemainingItemCount == nil || *l.RemainingItemCount != int64(n-got) {
				b.Fatalf("after %d items: remainingItemCount %v, want %d", got, l.RemainingItemCount, n-got)
			}
			opts = store.ListOptions{Limit: limit, Continue: l.Continue}
			if churn {
				created++
				if _, err := ws.Create(ctx, benchWidget(n+created)); err != nil {
					b.Fatal(err)
				}
			}
		}
		if got != n {
			b.Fatalf("%d items, want %d", got, n)
		}
	}
}
