package workqueue

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cgwq "k8s.io/client-go/util/workqueue"

	"github.com/cellkit/cellkit/workqueue"
)

// queue is what the workloads need from both implementations.
type queue interface {
	Add(string)
	AddAfter(string, time.Duration)
	AddRateLimited(string)
	Forget(string)
	Get() (string, bool)
	Done(string)
	ShutDown()
}

type cellkitQueue struct{ q *workqueue.Queue[string] }

func newCellkit(tb testing.TB) queue {
	q, err := workqueue.New(workqueue.Options[string]{})
	if err != nil {
		tb.Fatal(err)
	}
	return cellkitQueue{q}
}

func (c cellkitQueue) Add(i string)                       { c.q.Add(i) }
func (c cellkitQueue) AddAfter(i string, d time.Duration) { c.q.AddAfter(i, d) }
func (c cellkitQueue) AddRateLimited(i string)            { c.q.AddRateLimited(i) }
func (c cellkitQueue) Forget(i string)                    { c.q.Forget(i) }
func (c cellkitQueue) Done(i string)                      { c.q.Done(i) }
func (c cellkitQueue) ShutDown()                          { c.q.ShutDown() }
func (c cellkitQueue) Get() (string, bool) {
	i, err := c.q.Get(context.Background())
	return i, err == nil
}

// client-go offers one type per feature; each workload uses the cheapest one
// that supports it (the plain queue for Add/Get/Done).
type clientGoPlain struct{ q *cgwq.Typed[string] }

func (c clientGoPlain) Add(i string)                   { c.q.Add(i) }
func (c clientGoPlain) AddAfter(string, time.Duration) { panic("plain queue has no AddAfter") }
func (c clientGoPlain) AddRateLimited(string)          { panic("plain queue has no AddRateLimited") }
func (c clientGoPlain) Forget(string)                  {}
func (c clientGoPlain) Done(i string)                  { c.q.Done(i) }
func (c clientGoPlain) ShutDown()                      { c.q.ShutDown() }
func (c clientGoPlain) Get() (string, bool) {
	i, shut := c.q.Get()
	return i, !shut
}

type clientGoLimited struct {
	q cgwq.TypedRateLimitingInterface[string]
}

func (c clientGoLimited) Add(i string)                       { c.q.Add(i) }
func (c clientGoLimited) AddAfter(i string, d time.Duration) { c.q.AddAfter(i, d) }
func (c clientGoLimited) AddRateLimited(i string)            { c.q.AddRateLimited(i) }
func (c clientGoLimited) Forget(i string)                    { c.q.Forget(i) }
func (c clientGoLimited) Done(i string)                      { c.q.Done(i) }
func (c clientGoLimited) ShutDown()                          { c.q.ShutDown() }
func (c clientGoLimited) Get() (string, bool) {
	i, shut := c.q.Get()
	return i, !shut
}

func newClientGoPlain(testing.TB) queue { return clientGoPlain{cgwq.NewTyped[string]()} }

func newClientGoDelaying(testing.TB) queue {
	// The rate-limiting queue embeds the delaying queue; AddAfter is the
	// delaying queue's.
	return clientGoLimited{cgwq.NewTypedRateLimitingQueue(cgwq.DefaultTypedControllerRateLimiter[string]())}
}

type impl struct {
	name string
	new  func(testing.TB) queue
}

// results collects the last (largest b.N) run of every sub-benchmark so
// TestMain can print ratios.
var results = struct {
	sync.Mutex
	m     map[string]map[string]measure // workload -> impl -> measure
	order []string
}{m: map[string]map[string]measure{}}

type measure struct {
	nsPerOp     float64
	cpuNsPerOp  float64
	allocsPerOp float64
}

// cpuTime returns the CPU time (user+system) the process has used. On a
// shared, loaded machine it measures the work an implementation does per
// operation more steadily than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func record(b *testing.B, workload, implName string, mallocs0 uint64, cpu time.Duration) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	cpuPerOp := float64(cpu.Nanoseconds()) / float64(b.N)
	b.ReportMetric(cpuPerOp, "cpu-ns/op")
	results.Lock()
	defer results.Unlock()
	if results.m[workload] == nil {
		results.m[workload] = map[string]measure{}
		results.order = append(results.order, workload)
	}
	results.m[workload][implName] = measure{
		nsPerOp:     float64(b.Elapsed().Nanoseconds()) / float64(b.N),
		cpuNsPerOp:  cpuPerOp,
		allocsPerOp: float64(ms.Mallocs-mallocs0) / float64(b.N),
	}
}

// run runs one workload against both implementations.
func run(b *testing.B, workload string, impls []impl, body func(b *testing.B, q queue)) {
	for _, im := range impls {
		b.Run("impl="+im.name, func(b *testing.B) {
			q := im.new(b)
			b.ReportAllocs()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ResetTimer()
			cpu0 := cpuTime()
			body(b, q)
			cpu := cpuTime() - cpu0
			b.StopTimer()
			record(b, workload, im.name, ms.Mallocs, cpu)
			q.ShutDown()
		})
	}
}

var (
	plainImpls   = []impl{{"cellkit", newCellkit}, {"client-go", newClientGoPlain}}
	delayedImpls = []impl{{"cellkit", newCellkit}, {"client-go", newClientGoDelaying}}
)

// keys returns n distinct keys shaped like controller keys.
func keys(n int) []string {
	ks := make([]string, n)
	for i := range ks {
		ks[i] = fmt.Sprintf("namespace-%d/object-%d", i%97, i)
	}
	return ks
}

// circulate preloads the queue with keys and has workers goroutines run
// b.N rounds of Get, Done and Add of the same key between them: every round
// is one Add (a new entry, since Done removed it), one Get and one Done. No
// add can merge, so the rounds always complete. Between Get and Done each
// worker computes for work steps (see busy), the stand-in for reconciling.
func circulate(b *testing.B, q queue, workers int, ks []string, work int) {
	for _, k := range ks {
		q.Add(k)
	}
	var wg sync.WaitGroup
	wg.Add(workers)
	sums := make([]uint64, workers)
	for w := range workers {
		n := b.N / workers
		if w < b.N%workers {
			n++
		}
		go func() {
			defer wg.Done()
			for j := 0; j < n; j++ {
				item, ok := q.Get()
				if !ok {
					b.Error("queue shut down early")
					return
				}
				sums[w] += busy(work)
				q.Done(item)
				q.Add(item)
			}
		}()
	}
	wg.Wait()
	for _, s := range sums {
		busySink += s
	}
}

// busy computes for n steps of a linear congruential generator (about
// 0.5 ns a step here) and returns the result, which the caller keeps so
// the compiler cannot drop the loop.
func busy(n int) uint64 {
	x := uint64(n)
	for range n {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

var busySink uint64

// produceConsume adds b.N items (keys from key(i)) from one producer while
// workers Get and Done them; it returns once every item is processed.
func produceConsume(b *testing.B, q queue, workers int, key func(i int) string) {
	var wg sync.WaitGroup
	wg.Add(workers)
	for range workers {
		go func() {
			defer wg.Done()
			for {
				item, ok := q.Get()
				if !ok {
					return
				}
				q.Done(item)
			}
		}()
	}
	for i := 0; i < b.N; i++ {
		q.Add(key(i))
	}
	q.ShutDown() // workers drain what is ready, then return
	wg.Wait()
}

func BenchmarkAddGetDone(b *testing.B) {
	ks := keys(1024)
	for _, workers := range []int{1, 4, 64} {
		name := fmt.Sprintf("workers=%d", workers)
		b.Run(name, func(b *testing.B) {
			run(b, "AddGetDone/"+name, plainImpls, func(b *testing.B, q queue) {
				circulate(b, q, workers, ks, 0)
			})
		})
	}
}

// BenchmarkAddGetDoneWorking is AddGetDone with work between Get and Done
// (work=N: N steps of busy), so that the workers spend most of their time
// outside the queue, as real ones do. Not one of the workloads: it
// checks that what makes a saturated queue fast (workers that step aside,
// see workqueue.Queue's lock) costs nothing when the queue is not
// saturated.
func BenchmarkAddGetDoneWorking(b *testing.B) {
	ks := keys(1024)
	for _, work := range []int{200, 2000} {
		for _, workers := range []int{2, 4} {
			name := fmt.Sprintf("work=%d/workers=%d", work, workers)
			b.Run(name, func(b *testing.B) {
				run(b, "AddGetDoneWorking/"+name, plainImpls, func(b *testing.B, q queue) {
					circulate(b, q, workers, ks, work)
				})
			})
		}
	}
}

// BenchmarkProducerAhead has one producer add distinct keys as fast as it
// can while 4 workers Get and Done them, so the queue grows deep.
func BenchmarkProducerAhead(b *testing.B) {
	ks := keys(1 << 20)
	run(b, "ProducerAhead/workers=4", plainImpls, func(b *testing.B, q queue) {
		produceConsume(b, q, 4, func(i int) string { return ks[i&(len(ks)-1)] })
	})
}

// BenchmarkDuplicateAdds measures adds of items that are already waiting.
// queued: 1024 keys are queued and every add merges with one of them, no
// workers run. workers=4: one producer adds keys drawn from 64 hot keys
// while 4 workers process, so adds merge with waiting or in-flight items
// and contend with the workers for the queue.
func BenchmarkDuplicateAdds(b *testing.B) {
	b.Run("queued", func(b *testing.B) {
		ks := keys(1024)
		run(b, "DuplicateAdds/queued", plainImpls, func(b *testing.B, q queue) {
			b.StopTimer()
			for _, k := range ks {
				q.Add(k)
			}
			b.StartTimer()
			for i := 0; i < b.N; i++ {
				q.Add(ks[i&1023])
			}
		})
	})
	b.Run("workers=4", func(b *testing.B) {
		ks := keys(64)
		run(b, "DuplicateAdds/workers=4", plainImpls, func(b *testing.B, q queue) {
			produceConsume(b, q, 4, func(i int) string { return ks[i&63] })
		})
	})
}

// BenchmarkAddAfter measures AddAfter with 100k delays already pending;
// deadlines are 1-2h out so nothing fires during the run. new-keys: every
// add delays a key not yet in the queue, so the queue keeps growing.
// pending-keys: every add re-delays one of the 100k pending keys with a new
// random deadline; the earlier deadline wins, so about half of the adds move
// an item up the heap and the rest change nothing.
func BenchmarkAddAfter(b *testing.B) {
	const pending = 100_000
	ks := keys(1 << 21)
	rng := rand.New(rand.NewPCG(1, 2))
	delays := make([]time.Duration, 1<<16)
	for i := range delays {
		delays[i] = time.Hour + time.Duration(rng.Int64N(int64(time.Hour)))
	}
	preload := func(b *testing.B, q queue) {
		b.StopTimer()
		for i := 0; i < pending; i++ {
			q.AddAfter(ks[len(ks)-1-i], delays[i&(len(delays)-1)])
		}
		b.StartTimer()
	}
	b.Run("new-keys", func(b *testing.B) {
		run(b, "AddAfter/new-keys", delayedImpls, func(b *testing.B, q queue) {
			preload(b, q)
			for i := 0; i < b.N; i++ {
				q.AddAfter(ks[i&(len(ks)-1)], delays[i&(len(delays)-1)])
			}
		})
	})
	b.Run("pending-keys", func(b *testing.B) {
		run(b, "AddAfter/pending-keys", delayedImpls, func(b *testing.B, q queue) {
			preload(b, q)
			for i := 0; i < b.N; i++ {
				q.AddAfter(ks[len(ks)-1-i%pending], delays[(i*7+3)&(len(delays)-1)])
			}
		})
	})
}

// BenchmarkAddRateLimited churns 1024 keys through AddRateLimited with the
// default controller limiter, forgetting every fourth add.
func BenchmarkAddRateLimited(b *testing.B) {
	ks := keys(1024)
	run(b, "AddRateLimited", delayedImpls, func(b *testing.B, q queue) {
		for i := 0; i < b.N; i++ {
			k := ks[i&1023]
			q.AddRateLimited(k)
			if i&3 == 3 {
				q.Forget(k)
			}
		}
	})
}

func TestMain(m *testing.M) {
	code := m.Run()
	results.Lock()
	defer results.Unlock()
	if len(results.order) > 0 {
		var sb strings.Builder
		fmt.Fprintf(&sb, "\n%-24s %10s %10s %6s | %10s %10s %6s | %7s %7s\n", "workload",
			"ck ns/op", "cg ns/op", "x", "ck cpu-ns", "cg cpu-ns", "x", "ck allc", "cg allc")
		for _, w := range results.order {
			c, g := results.m[w]["cellkit"], results.m[w]["client-go"]
			fmt.Fprintf(&sb, "%-24s %10.1f %10.1f %5.2fx | %10.1f %10.1f %5.2fx | %7.2f %7.2f\n", w,
				c.nsPerOp, g.nsPerOp, g.nsPerOp/c.nsPerOp, c.cpuNsPerOp, g.cpuNsPerOp, g.cpuNsPerOp/c.cpuNsPerOp,
				c.allocsPerOp, g.allocsPerOp)
		}
		fmt.Print(sb.String())
	}
	os.Exit(code)
}
