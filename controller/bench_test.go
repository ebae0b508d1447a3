package controller_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

const benchObjects = 10_000

// BenchmarkReconcile measures reconciles per second through one controller built with the
// builder over 10k Widgets in the memory store: each iteration enqueues every object and
// waits until all were reconciled. "cache" reconcilers read the object from the informer's
// lister; "status" reconcilers also write its status through the store (GuaranteedUpdate),
// whose change comes back through the informer and is filtered by GenerationChanged.
func BenchmarkReconcile(b *testing.B) {
	for _, mode := range []string{"cache", "status"} {
		for _, workers := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/workers=%d", mode, workers), func(b *testing.B) {
				benchReconcile(b, mode, workers)
			})
		}
	}
}

func benchReconcile(b *testing.B, mode string, workers int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	gv := schema.GroupVersion{Group: storetest.Group, Version: "v1"}
	scheme := runtime.NewScheme()
	if err := errors.Join(scheme.AddKnownTypes(gv, &storetest.Widget{}),
		scheme.AddResource(runtime.ResourceInfo{GroupVersionResource: gv.WithResource("widgets"), Kind: "Widget", Namespaced: true})); err != nil {
		b.Fatal(err)
	}
	s, err := memory.New(memory.Options{Resources: storetest.Resources(), MaxHistory: 1000})
	if err != nil {
		b.Fatal(err)
	}
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	for i := range benchObjects {
		if _, err := ws.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: fmt.Sprintf("ns-%d", i%10), Name: fmt.Sprintf("w-%d", i)}}); err != nil {
			b.Fatal(err)
		}
	}
	f, err := informer.NewFactory(informer.StoreSources(s), informer.FactoryOptions{})
	if err != nil {
		b.Fatal(err)
	}
	inf, err := informer.Shared[*storetest.Widget](f, storetest.Widgets, informer.Scope{})
	if err != nil {
		b.Fatal(err)
	}
	lister := inf.Lister()
	var (
		mu      sync.Mutex
		pending int
		round   = make(chan struct{}, 1)
		active  bool
		n       atomic.Int64
	)
	reconcile := func(ctx context.Context, req controller.Request) (controller.Result, error) {
		w, ok := lister.Namespace(req.Namespace).Get(req.Name)
		if !ok {
			return controller.Result{}, fmt.Errorf("%s not in cache", req)
		}
		if mode == "status" {
			if _, err := controller.UpdateStatus(ctx, ws, w.Namespace, w.Name, func(cur *storetest.Widget) {
				cur.Status.Phase = fmt.Sprintf("round-%d", n.Load())
			}); err != nil {
				return controller.Result{}, err
			}
		}
		mu.Lock()
		if active {
			pending--
			if pending == 0 {
				active = false
				round <- struct{}{}
			}
		}
		mu.Unlock()
		return controller.Result{}, nil
	}
	c, err := controller.NewBuilder(f, scheme).
		For(controller.Object[*storetest.Widget](controller.GenerationChanged[*storetest.Widget]())).
		WithOptions(controller.Options[controller.Request]{Workers: workers}).
		Build(controller.Func[controller.Request](reconcile))
	if err != nil {
		b.Fatal(err)
	}
	f.Start(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	if err := informer.WaitForSync(ctx, inf); err != nil {
		b.Fatal(err)
	}
	// Let the initial list drain before measuring.
	keys := make([]controller.Request, 0, benchObjects)
	for _, w := range lister.List(nil) {
		keys = append(keys, controller.Request{Namespace: w.Namespace, Name: w.Name})
	}
	drain := func() {
		mu.Lock()
		pending, active = len(keys), true
		mu.Unlock()
		for _, k := range keys {
			c.Enqueue(k)
		}
		<-round
	}
	drain()
	b.ResetTimer()
	for i := range b.N {
		n.Store(int64(i))
		drain()
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N*benchObjects)/b.Elapsed().Seconds(), "reconciles/s")
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	f.Wait()
}
