package watch_test

import (
	"context"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/watch"
)

// A Broadcaster fans one stream out to many watchers; Filter narrows one of them and Until waits
// for a condition.
func ExampleBroadcaster() {
	ctx := context.Background()
	b, err := watch.NewBroadcaster[string](watch.BroadcasterOptions{Buffer: 10})
	if err != nil {
		panic(err)
	}
	all := b.Watch(ctx)
	deletes := watch.Filter(ctx, b.Watch(ctx), func(ev watch.Event[string]) (watch.Event[string], bool) {
		return ev, ev.Type == watch.Deleted
	})

	_ = b.Send(watch.Event[string]{Type: watch.Added, Object: "web-1"})
	_ = b.Send(watch.Event[string]{Type: watch.Deleted, Object: "web-1"})
	b.Close()

	for ev := range all.ResultChan() {
		fmt.Println("all:", ev.Type, ev.Object)
	}
	ev, err := watch.Until(ctx, deletes, func(ev watch.Event[string]) (bool, error) {
		return ev.Object == "web-1", nil
	})
	fmt.Println("until:", ev.Type, ev.Object, err)
	// Output:
	// all: ADDED web-1
	// all: DELETED web-1
	// until: DELETED web-1 <nil>
}

// A slow watcher is closed with an Error event it recovers from by resuming.
func ExampleIsSlowWatcher() {
	b, _ := watch.NewBroadcaster[int](watch.BroadcasterOptions{Buffer: 1})
	w := b.Watch(context.Background())
	for i := 1; i <= 3; i++ {
		_ = b.Send(watch.Event[int]{Type: watch.Modified, Object: i})
	}
	for ev := range w.ResultChan() {
		if watch.IsSlowWatcher(ev) {
			fmt.Println("slow watcher closed:", ev.ErrorStatus().Code)
			continue
		}
		fmt.Println(ev.Type, ev.Object)
	}
	// Output:
	// MODIFIED 1
	// slow watcher closed: 429
}
