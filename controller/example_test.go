package controller_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// A controller that marks every Widget "Ready" through the store: it reads the cache, writes
// status, and is done when every widget is ready.
func ExampleBuilder() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	gv := schema.GroupVersion{Group: storetest.Group, Version: "v1"}
	scheme := runtime.NewScheme()
	if err := errors.Join(
		scheme.AddKnownTypes(gv, &storetest.Widget{}),
		scheme.AddResource(runtime.ResourceInfo{GroupVersionResource: gv.WithResource("widgets"), Kind: "Widget", Namespaced: true}),
	); err != nil {
		panic(err)
	}
	s, err := memory.New(memory.Options{Resources: storetest.Resources()})
	if err != nil {
		panic(err)
	}
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	for _, name := range []string{"a", "b"} {
		if _, err := widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name}}); err != nil {
			panic(err)
		}
	}
	factory, err := informer.NewFactory(informer.StoreSources(s), informer.FactoryOptions{})
	if err != nil {
		panic(err)
	}
	ready := make(chan string, 2)
	reconcile := func(ctx context.Context, req controller.Request) (controller.Result, error) {
		_, err := widgets.GuaranteedUpdate(ctx, req.Namespace, req.Name, func(w *storetest.Widget) (*storetest.Widget, error) {
			w.Status.Phase = "Ready"
			return w, nil
		}, store.UpdateOptions{})
		if err == nil {
			ready <- req.String()
		}
		return controller.Result{}, err
	}
	c, err := controller.NewBuilder(factory, scheme).
		Named("widget-status").
		For(controller.Object[*storetest.Widget](controller.GenerationChanged[*storetest.Widget]())).
		Build(controller.Func[controller.Request](reconcile))
	if err != nil {
		panic(err)
	}
	factory.Start(ctx)
	done := make(chan error)
	go func() { done <- c.Run(ctx) }()
	got := map[string]bool{}
	for len(got) < 2 {
		select {
		case r := <-ready:
			got[r] = true
		case <-time.After(10 * time.Second):
			panic("no reconcile")
		}
	}
	cancel()
	fmt.Println(<-done, got)
	factory.Wait()
	// Output:
	// <nil> map[default/a:true default/b:true]
}
