package etcd_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/storetest"
)

// The benchmarks run against an embedded single-member etcd in the same process (loopback
// gRPC), without fsync unless the name says so: they measure the backend and etcd's request
// path, not the disk. ns/op includes etcd's own CPU, which shares the machine.

func benchStore(b *testing.B, fsync bool) (*etcd.Store, store.Typed[*storetest.Widget]) {
	b.Helper()
	srv := etcdtest.Start(b, etcdtest.Options{Fsync: fsync})
	s, err := etcd.New(etcd.Options{Client: srv.Client(b), Resources: storetest.Resources(), Clock: clock.Real(), WatchBuffer: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	return s, store.For[*storetest.Widget](s, storetest.Widgets)
}

func benchWidget(ns, name string, i int) *storetest.Widget {
	return &storetest.Widget{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name,
			Labels:      map[string]string{"app": fmt.Sprintf("app-%d", i%100), "tier": "backend"},
			Annotations: map[string]string{"owner": "team-a", "note": "benchmark object"}},
		Spec: storetest.WidgetSpec{Node: fmt.Sprintf("node-%d", i%100), Size: int64(i)},
	}
}

// fill creates n widgets over 10 namespaces with 16 concurrent writers.
func fill(b *testing.B, ws store.Typed[*storetest.Widget], n int) {
	b.Helper()
	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				if _, err := ws.Create(ctx, benchWidget(fmt.Sprintf("ns-%d", i%10), fmt.Sprintf("w-%05d", i), i)); err != nil {
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

func BenchmarkCreate(b *testing.B) {
	for _, tc := range []struct {
		name     string
		fsync    bool
		parallel bool
	}{{"serial", false, false}, {"parallel", false, true}, {"serial/fsync", true, false}, {"parallel/fsync", true, true}} {
		b.Run(tc.name, func(b *testing.B) {
			_, ws := benchStore(b, tc.fsync)
			ctx := context.Background()
			var n atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			if !tc.parallel {
				for i := 0; i < b.N; i++ {
					if _, err := ws.Create(ctx, benchWidget("ns", fmt.Sprintf("w-%d", i), i)); err != nil {
						b.Fatal(err)
					}
				}
				return
			}
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := int(n.Add(1))
					if _, err := ws.Create(ctx, benchWidget("ns", fmt.Sprintf("w-%d", i), i)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkUpdate(b *testing.B) {
	_, ws := benchStore(b, false)
	fill(b, ws, 100)
	ctx := context.Background()
	b.Run("update", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			w := benchWidget(fmt.Sprintf("ns-%d", i%10), fmt.Sprintf("w-%05d", i%100), i)
			if _, err := ws.Update(ctx, w); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("guaranteed update", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, err := ws.GuaranteedUpdate(ctx, fmt.Sprintf("ns-%d", i%10), fmt.Sprintf("w-%05d", i%100), func(w *storetest.Widget) (*storetest.Widget, error) {
				w.Spec.Size++
				return w, nil
			}, store.UpdateOptions{})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGet(b *testing.B) {
	_, ws := benchStore(b, false)
	fill(b, ws, 1000)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		c    store.Consistency
	}{{"latest", store.Latest}, {"any", store.Any}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := ws.Get(ctx, fmt.Sprintf("ns-%d", i%10), fmt.Sprintf("w-%05d", i%1000), store.GetOptions{Consistency: tc.c}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkList10k(b *testing.B) {
	_, ws := benchStore(b, false)
	fill(b, ws, 10_000)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		ns   string
		opts store.ListOptions
		want int
	}{
		{"all", "", store.ListOptions{}, 10_000},
		{"namespace", "ns-3", store.ListOptions{}, 1_000},
		{"label 1pct", "", store.ListOptions{Labels: labels.SelectorFromSet(labels.Set{"app": "app-42"})}, 100},
		{"page of 500", "", store.ListOptions{Limit: 500}, 500},
	} {
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

// BenchmarkWatchFanout measures one write delivered to every watcher: each op is a create,
// done when all watchers got its event.
func BenchmarkWatchFanout(b *testing.B) {
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("watchers=%d", n), func(b *testing.B) {
			_, ws := benchStore(b, false)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var got sync.WaitGroup
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				w, err := ws.Watch(ctx, "ns", store.WatchOptions{})
				if err != nil {
					b.Fatal(err)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for ev := range w.ResultChan() {
						if ev.Type == watch.Added {
							got.Done()
						}
					}
				}()
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				got.Add(n)
				if _, err := ws.Create(ctx, benchWidget("ns", fmt.Sprintf("w-%d", i), i)); err != nil {
					b.Fatal(err)
				}
				got.Wait()
			}
			b.ReportMetric(float64(b.N*n)/time.Since(start).Seconds(), "events/s")
			b.StopTimer()
			cancel()
			wg.Wait()
		})
	}
}
