package informer_test

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	s, _ := memory.New(memory.Options{Resources: storetest.Resources()})
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	ws.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web", Labels: map[string]string{"tier": "front"}}})

	inf, _ := informer.New[*storetest.Widget](informer.ForResource(s, storetest.Widgets), informer.Options[*storetest.Widget]{})
	var mu sync.Mutex
	var seen []string
	deleted := make(chan struct{})
	reg, _ := inf.AddHandler(informer.HandlerFuncs[*storetest.Widget]{
		AddFunc: func(w *storetest.Widget, initial bool) {
			mu.Lock()
			seen = append(seen, fmt.Sprintf("add %s initial=%t", w.Name, initial))
			mu.Unlock()
		},
		DeleteFunc: func(d informer.Deleted[*storetest.Widget]) {
			mu.Lock()
			seen = append(seen, "delete "+d.Object.Name)
			mu.Unlock()
			close(deleted)
		},
	}, informer.HandlerOptions{})

	done := make(chan struct{})
	go func() { defer close(done); inf.Run(ctx) }()
	informer.WaitForSync(ctx, inf, reg)

	ws.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "db"}})
	last, _ := ws.Delete(ctx, "default", "web", store.DeleteOptions{})
	var rev int64
	fmt.Sscan(last.ResourceVersion, &rev)
	inf.WaitForRevision(ctx, rev) // the cache has the delete
	<-deleted                     // and so has the handler

	for _, w := range inf.Lister().Namespace("default").List(labels.Everything()) {
		fmt.Println("cached:", w.Name)
	}
	cancel()
	<-done // Run returned: every handler goroutine has stopped
	mu.Lock()
	for _, s := range seen {
		fmt.Println(s)
	}
	mu.Unlock()
	// Output:
	// cached: db
	// add web initial=true
	// add db initial=false
	// delete web
}

func ExampleFactory() {
	ctx, cancel := context.WithCancel(context.Background())
	s, _ := memory.New(memory.Options{Resources: storetest.Resources()})
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	for _, name := range []string{"a", "b", "c"} {
		ws.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name}, Spec: storetest.WidgetSpec{Node: "n-" + name}})
	}

	f, _ := informer.NewFactory(informer.StoreSources(s), informer.FactoryOptions{})
	// Two components ask for the same informer and share it.
	byNode, _ := informer.Shared[*storetest.Widget](f, storetest.Widgets, informer.Scope{})
	again, _ := informer.Shared[*storetest.Widget](f, storetest.Widgets, informer.Scope{})
	byNode.AddIndexers(map[string]informer.IndexFunc[*storetest.Widget]{
		"node": func(w *storetest.Widget) []string { return []string{w.Spec.Node} },
	})
	f.Start(ctx)
	f.WaitForSync(ctx)

	onB, _ := again.Lister().ByIndex("node", "n-b")
	nodes, _ := byNode.Lister().IndexValues("node")
	sort.Strings(nodes)
	fmt.Println(byNode == again, len(onB), onB[0].Name, nodes)
	cancel()
	f.Wait()
	// Output:
	// true 1 b [n-a n-b n-c]
}
