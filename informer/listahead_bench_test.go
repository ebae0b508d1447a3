package informer_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	rt "github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
)

// latencySource serves pods in pages whose continue token is the index of the next pod; each
// request answers after latency (a round trip to a server) with fresh deep copies (as a
// decoder would hand out).
func latencySource(pods []*corev1.Pod, latency time.Duration) informer.Source {
	return informer.SourceFuncs{
		ListFunc: func(ctx context.Context, _ string, opts store.ListOptions) (*store.List, error) {
			if latency > 0 {
				t := time.NewTimer(latency)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					return nil, ctx.Err()
				}
			}
			start := 0
			if opts.Continue != "" {
				var err error
				if start, err = strconv.Atoi(opts.Continue); err != nil || start < 0 || start > len(pods) {
					return nil, fmt.Errorf("bad continue token %q", opts.Continue)
				}
			}
			end := len(pods)
			l := &store.List{Revision: int64(len(pods)) + 1}
			if opts.Limit > 0 && int64(end-start) > opts.Limit {
				end = start + int(opts.Limit)
				rem := int64(len(pods) - end)
				l.Continue, l.RemainingItemCount = strconv.Itoa(end), &rem
			}
			l.Items = make([]rt.MetaObject, end-start)
			for i := range l.Items {
				l.Items[i] = pods[start+i].DeepCopy()
			}
			return l, nil
		},
		WatchFunc: func(context.Context, string, store.WatchOptions) (watch.Interface[rt.Object], error) {
			return watch.NewFake[rt.Object](0), nil
		},
	}
}

// BenchmarkListAheadLatency: initial sync of 20k pods listed in pages of 500 (40 requests)
// from a source that answers each request after a fixed latency, with the Dedup transform.
// list requests the next page while it transforms the current one, so each page's latency
// hides behind the previous page's processing, on one core as on many: compare latency=0
// with the others.
func BenchmarkListAheadLatency(b *testing.B) {
	const n = 20_000
	pods := make([]*corev1.Pod, n)
	for i := range pods {
		pods[i] = benchPod(i)
		pods[i].ResourceVersion = strconv.Itoa(i + 1)
	}
	for _, latency := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond} {
		b.Run("latency="+latency.String(), func(b *testing.B) {
			src := latencySource(pods, latency)
			for range b.N {
				d, err := informer.NewDedup(informer.DedupOptions{})
				if err != nil {
					b.Fatal(err)
				}
				inf, err := informer.New[*corev1.Pod](src, informer.Options[*corev1.Pod]{
					Transform:         informer.DedupTransform[*corev1.Pod](d),
					WatchErrorHandler: func(err error) { b.Errorf("list or watch failed: %v", err) },
				})
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { defer close(done); inf.Run(ctx) }()
				if err := informer.WaitForSync(ctx, inf); err != nil {
					b.Fatal(err)
				}
				if inf.Lister().Len() != n {
					b.Fatalf("synced %d pods, want %d", inf.Lister().Len(), n)
				}
				cancel()
				<-done
			}
		})
	}
}
