package store_test

import (
	"context"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// The loop of every consumer: list, then watch from the list's revision.
func ExampleFor() {
	ctx := context.Background()
	s, err := memory.New(memory.Options{Resources: storetest.Resources()})
	if err != nil {
		panic(err)
	}
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)

	for _, name := range []string{"b", "a"} {
		w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name}}
		created, err := widgets.Create(ctx, w)
		if err != nil {
			panic(err)
		}
		fmt.Println("created", created.Name, "at revision", created.ResourceVersion, "generation", created.Generation)
	}
	l, err := widgets.List(ctx, "default", store.ListOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("listed", len(l.Items), "widgets at revision", l.Revision, "first", l.Items[0].Name)

	w, err := widgets.Watch(ctx, "default", store.WatchOptions{Revision: l.Revision})
	if err != nil {
		panic(err)
	}
	defer w.Stop()
	_, err = widgets.GuaranteedUpdate(ctx, "default", "a", func(cur *storetest.Widget) (*storetest.Widget, error) {
		cur.Status.Phase = "Ready"
		return cur, nil
	}, store.UpdateOptions{})
	if err != nil {
		panic(err)
	}
	ev := <-w.ResultChan()
	fmt.Println(ev.Type, ev.Object.Name, ev.Object.Status.Phase, "at revision", ev.Object.ResourceVersion)
	// Output:
	// created b at revision 1 generation 1
	// created a at revision 2 generation 1
	// listed 2 widgets at revision 2 first a
	// MODIFIED a Ready at revision 3
}

// A watch with a selector sees an object that starts to match as ADDED and one that stops
// matching as DELETED.
func ExampleTyped_Watch() {
	ctx := context.Background()
	s, _ := memory.New(memory.Options{Resources: storetest.Resources()})
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	onNode1, _ := widgets.Watch(ctx, "", store.WatchOptions{Fields: fields.OneTermEqualSelector("spec.node", "node-1")})
	defer onNode1.Stop()

	w, _ := widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"}})
	w.Spec.Node = "node-1"
	w, _ = widgets.Update(ctx, w) // moves onto node-1
	w.Spec.Node = "node-2"
	_, _ = widgets.Update(ctx, w) // moves away
	for i := 0; i < 2; i++ {
		ev := <-onNode1.ResultChan()
		fmt.Println(ev.Type, ev.Object.Name, ev.Object.ResourceVersion)
	}
	// Output:
	// ADDED web 2
	// DELETED web 3
}

// Watches can start with the current state, ended by a bookmark.
func ExampleWatchOptions_sendInitialEvents() {
	ctx := context.Background()
	s, _ := memory.New(memory.Options{Resources: storetest.Resources()})
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	_, _ = widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"}})

	w, _ := widgets.Watch(ctx, "default", store.WatchOptions{SendInitialEvents: true, Bookmarks: true})
	defer w.Stop()
	for ev := range w.ResultChan() {
		if ev.Type == watch.Bookmark {
			fmt.Println(ev.Type, ev.Object.ResourceVersion, ev.Object.Annotations[store.InitialEventsEndAnnotation])
			break
		}
		fmt.Println(ev.Type, ev.Object.Name)
	}
	// Output:
	// ADDED web
	// BOOKMARK 1 true
}

// A shared update copies no object on a backend that supports it: the function reads the
// stored object and returns a shallow copy that replaces only the field it sets.
func ExampleTyped_GuaranteedUpdateShared() {
	ctx := context.Background()
	s, err := memory.New(memory.Options{Resources: storetest.Resources()})
	if err != nil {
		panic(err)
	}
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "a"}, Spec: storetest.WidgetSpec{Tags: []string{"x"}}}
	if _, err := widgets.Create(ctx, w); err != nil {
		panic(err)
	}
	out, err := widgets.GuaranteedUpdateShared(ctx, "default", "a", func(cur *storetest.Widget) (*storetest.Widget, error) {
		if cur.Spec.Node != "" {
			return cur, nil // nothing to write
		}
		next := *cur // shares Tags and everything else with the stored object
		next.Spec.Node = "n1"
		return &next, nil
	}, store.UpdateOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Spec.Node, out.Spec.Tags, "at revision", out.ResourceVersion)
	// Output:
	// n1 [x] at revision 2
}
