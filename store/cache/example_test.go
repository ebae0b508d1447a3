package cache_test

import (
	"context"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/cache"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// A cache in front of a memory store: the list by an indexed field and the watch are served
// from the cache's memory, the writes go to the backend.
func ExampleNew() {
	ctx := context.Background()
	backend, err := memory.New(memory.Options{Resources: storetest.Resources()})
	if err != nil {
		panic(err)
	}
	c, err := cache.New(backend, cache.Options{Resources: storetest.Resources()})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	widgets := store.For[*storetest.Widget](c, storetest.Widgets)
	for i, node := range []string{"node-1", "node-2", "node-1"} {
		w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("w%d", i)}}
		w.Spec.Node = node
		if _, err := widgets.Create(ctx, w); err != nil {
			panic(err)
		}
	}
	onNode1 := fields.OneTermEqualSelector("spec.node", "node-1")
	l, err := widgets.List(ctx, "", store.ListOptions{Fields: onNode1})
	if err != nil {
		panic(err)
	}
	for _, w := range l.Items {
		fmt.Println(w.Name, "on", w.Spec.Node, "at", w.ResourceVersion)
	}
	w, err := widgets.Watch(ctx, "", store.WatchOptions{Revision: l.Revision, Fields: onNode1})
	if err != nil {
		panic(err)
	}
	defer w.Stop()
	moved, _ := widgets.GuaranteedUpdate(ctx, "default", "w1", func(w *storetest.Widget) (*storetest.Widget, error) {
		w.Spec.Node = "node-1"
		return w, nil
	}, store.UpdateOptions{})
	ev := <-w.ResultChan()
	fmt.Println(ev.Type, ev.Object.Name, "at", ev.Object.ResourceVersion, "==", moved.ResourceVersion)
	// Output:
	// w0 on node-1 at 1
	// w2 on node-1 at 3
	// ADDED w1 at 4 == 4
}
