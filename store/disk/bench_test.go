package disk_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/storetest"
)

// benchObject is a widget of about 600 bytes of JSON (the memory backend's benchmark object).
func benchObject(i int) *storetest.Widget {
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

func benchOpen(b *testing.B, path string, mod func(*disk.Options)) *disk.Store {
	b.Helper()
	opts := disk.Options{Path: path, Resources: storetest.Resources()}
	if mod != nil {
		mod(&opts)
	}
	s, err := disk.Open(opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// parallel runs n calls of op (with the call's index) on writers goroutines.
func parallel(b *testing.B, writers, n int, op func(i int) error) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := op(i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// fill creates n benchmark objects with 256 writers.
func fill(b *testing.B, s *disk.Store, n int) {
	b.Helper()
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	parallel(b, 256, n, func(i int) error {
		_, err := ws.Create(context.Background(), benchObject(i))
		return err
	})
}

// BenchmarkCreate creates objects with 1, 16 and 256 concurrent writers; every create is
// fsynced before it returns.
func BenchmarkCreate(b *testing.B) {
	for _, writers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := benchOpen(b, filepath.Join(b.TempDir(), "s.db"), nil)
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			parallel(b, writers, b.N, func(i int) error {
				_, err := ws.Create(ctx, benchObject(i))
				return err
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
		})
	}
}

// BenchmarkUpdate updates 10k objects (unconditionally) with 1, 16 and 256 writers.
func BenchmarkUpdate(b *testing.B) {
	for _, writers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := benchOpen(b, filepath.Join(b.TempDir(), "s.db"), nil)
			fill(b, s, 10_000)
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			parallel(b, writers, b.N, func(i int) error {
				w := benchObject(i % 10_000)
				w.Status.Phase = fmt.Sprint(i)
				_, err := ws.Update(ctx, w)
				return err
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
		})
	}
}

// BenchmarkGet reads one of 10k objects.
func BenchmarkGet(b *testing.B) {
	s := benchOpen(b, filepath.Join(b.TempDir(), "s.db"), nil)
	fill(b, s, 10_000)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	ctx := context.Background()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			o := benchObject(i % 10_000)
			if _, err := ws.Get(ctx, o.Namespace, o.Name, store.GetOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				o := benchObject(int(n.Add(1)) % 10_000)
				if _, err := ws.Get(ctx, o.Namespace, o.Name, store.GetOptions{}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkList10k lists 10k objects with and without selectors.
func BenchmarkList10k(b *testing.B) {
	s := benchOpen(b, filepath.Join(b.TempDir(), "s.db"), nil)
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

// BenchmarkOpen100k reopens a database of 100k objects (about 60 MB of JSON) with a full
// history of 10k changes: the time a restart takes before the store serves.
func BenchmarkOpen100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "s.db")
	s, err := disk.Open(disk.Options{Path: path, Resources: storetest.Resources()})
	if err != nil {
		b.Fatal(err)
	}
	fill(b, s, 100_000)
	if err := s.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := disk.Open(disk.Options{Path: path, Resources: storetest.Resources()})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st, _ := s.Stats(context.Background())
		if st.Objects[storetest.Widgets] != 100_000 {
			b.Fatalf("%d objects after open, want 100000", st.Objects[storetest.Widgets])
		}
		_ = s.Close(context.Background())
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/open")
}

// BenchmarkWatchFanout delivers updates made at 1,000 writes/s (64 writers, every write
// fsynced) to 1, 100 and 10,000 watchers of the whole resource ("all": every watcher gets
// every event), and to 10,000 watchers that each select one node through the spec.node
// index ("node": one watcher gets each event). Latency runs from the update call to the
// watcher's receipt, so it includes the fsync.
func BenchmarkWatchFanout(b *testing.B) {
	type tc struct {
		watchers int
		byNode   bool
	}
	for _, c := range []tc{{1, false}, {100, false}, {10_000, false}, {10_000, true}} {
		watchers := c.watchers
		mode := map[bool]string{false: "all", true: "node"}[c.byNode]
		b.Run(fmt.Sprintf("watchers=%d/%s/rate=1000", watchers, mode), func(b *testing.B) {
			s := benchOpen(b, filepath.Join(b.TempDir(), "s.db"), func(o *disk.Options) { o.WatchBuffer = 1 << 20 })
			objects := 100
			if c.byNode {
				objects = watchers
			}
			object := func(i int) *storetest.Widget {
				w := benchObject(i)
				w.Spec.Node = fmt.Sprintf("node-%d", i)
				return w
			}
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			parallel(b, 256, objects, func(i int) error {
				_, err := ws.Create(context.Background(), object(i))
				return err
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var delivered atomic.Int64
			lat := make([][]time.Duration, watchers)
			var wg sync.WaitGroup
			for i := 0; i < watchers; i++ {
				opts := store.WatchOptions{SharedObjects: true}
				if c.byNode {
					opts.Fields = fields.OneTermEqualSelector("spec.node", fmt.Sprintf("node-%d", i))
				}
				w, err := ws.Watch(ctx, "", opts)
				if err != nil {
					b.Fatal(err)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for ev := range w.ResultChan() {
						if ev.Type == watch.Modified {
							lat[i] = append(lat[i], time.Duration(time.Now().UnixNano()-ev.Object.Spec.Size))
							delivered.Add(1)
						}
					}
				}()
			}
			b.ResetTimer()
			start := time.Now()
			const every = time.Millisecond
			parallel(b, 64, b.N, func(i int) error {
				if d := time.Until(start.Add(time.Duration(i) * every)); d > 0 {
					time.Sleep(d) // pacing the writes, not waiting for a result
				}
				w := object(i % objects)
				w.Spec.Size = time.Now().UnixNano()
				_, err := ws.Update(ctx, w)
				return err
			})
			want := int64(b.N) * int64(watchers)
			if c.byNode {
				want = int64(b.N)
			}
			for delivered.Load() < want {
				time.Sleep(100 * time.Microsecond)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			cancel()
			wg.Wait()
			var all []time.Duration
			for _, l := range lat {
				all = append(all, l...)
			}
			sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
			b.ReportMetric(float64(want)/elapsed.Seconds(), "events/s")
			b.ReportMetric(float64(all[len(all)/2].Microseconds())/1e3, "p50-ms")
			b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1e3, "p99-ms")
		})
	}
}
