package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	cstore "github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/storetest"
)

// results holds writes/s by workload and implementation, for the table TestMain prints.
type results struct {
	mu sync.Mutex
	m  map[string]map[string][]float64
}

func (r *results) record(workload, impl string, v float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]map[string][]float64{}
	}
	if r.m[workload] == nil {
		r.m[workload] = map[string][]float64{}
	}
	r.m[workload][impl] = append(r.m[workload][impl], v)
}

// median of the runs (-count) of one workload: fsync latency on shared machines varies
// from run to run, the median is steadier than any one run.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = append([]float64(nil), v...)
	sort.Float64s(v)
	return v[len(v)/2]
}

func (r *results) print() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.m) == 0 {
		return
	}
	var names []string
	for w := range r.m {
		names = append(names, w)
	}
	sort.Strings(names)
	fmt.Printf("\n%-28s %14s %14s %10s  (medians of %d runs)\n", "workload", "disk writes/s", "etcd writes/s", "disk/etcd", len(r.m[names[0]]["disk"]))
	for _, w := range names {
		d, e := median(r.m[w]["disk"]), median(r.m[w]["etcd"])
		ratio := "-"
		if d > 0 && e > 0 {
			ratio = fmt.Sprintf("%.2fx", d/e)
		}
		fmt.Printf("%-28s %14.0f %14.0f %10s\n", w, d, e, ratio)
	}
}

var table results

// TestMain prints the side-by-side table after the benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	table.print()
	os.Exit(code)
}

func widget(prefix string, i int) *storetest.Widget {
	return &storetest.Widget{
		ObjectMeta: meta.ObjectMeta{
			Namespace:   fmt.Sprintf("ns-%d", i%10),
			Name:        fmt.Sprintf("%s-%07d", prefix, i),
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

// run does n creates, then n updates of the created objects, on writers goroutines and
// reports creates/s and updates/s.
func run(b *testing.B, s cstore.Interface, impl, prefix string, writers int) {
	ws := cstore.For[*storetest.Widget](s, storetest.Widgets)
	ctx := context.Background()
	each := func(n int, op func(i int) error) time.Duration {
		var next atomic.Int64
		var wg sync.WaitGroup
		var failed atomic.Pointer[error]
		start := time.Now()
		for g := 0; g < writers; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= n || failed.Load() != nil {
						return
					}
					if err := op(i); err != nil {
						failed.Store(&err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if p := failed.Load(); p != nil {
			b.Fatal(*p)
		}
		return time.Since(start)
	}
	b.ResetTimer()
	d := each(b.N, func(i int) error {
		_, err := ws.Create(ctx, widget(prefix, i))
		return err
	})
	u := each(b.N, func(i int) error {
		w := widget(prefix, i)
		w.Status.Phase = "Updated"
		_, err := ws.Update(ctx, w)
		return err
	})
	b.StopTimer()
	creates, updates := float64(b.N)/d.Seconds(), float64(b.N)/u.Seconds()
	b.ReportMetric(creates, "creates/s")
	b.ReportMetric(updates, "updates/s")
	if b.N < 100 {
		return // the testing package's first, one-iteration probe: too short to compare
	}
	table.record(fmt.Sprintf("create/writers=%d", writers), impl, creates)
	table.record(fmt.Sprintf("update/writers=%d", writers), impl, updates)
}

// BenchmarkWrites creates and then updates objects of about 600 bytes of JSON through the
// store contract, every write fsynced before it is acknowledged.
func BenchmarkWrites(b *testing.B) {
	srv := etcdtest.Start(b, etcdtest.Options{Fsync: true})
	client := srv.Client(b)
	var runs atomic.Int64
	for _, writers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("writers=%d/impl=disk", writers), func(b *testing.B) {
			s, err := disk.Open(disk.Options{Path: filepath.Join(b.TempDir(), "store.db"), Resources: storetest.Resources()})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close(context.Background())
			run(b, s, "disk", "w", writers)
		})
		b.Run(fmt.Sprintf("writers=%d/impl=etcd", writers), func(b *testing.B) {
			s, err := etcd.New(etcd.Options{Client: client, Resources: storetest.Resources()})
			if err != nil {
				b.Fatal(err)
			}
			// One etcd serves every run: each run writes its own names.
			run(b, s, "etcd", fmt.Sprintf("r%d", runs.Add(1)), writers)
		})
	}
}
