package informertest_test

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/informer/informertest"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// An informer over a source that drops a fifth of its watches still delivers every change.
func ExampleSource() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, _ := memory.New(memory.Options{Resources: storetest.Resources()})
	ws := store.For[*storetest.Widget](s, storetest.Widgets)

	hist := informertest.NewHistory()
	hw, _ := s.Watch(ctx, storetest.Widgets, "", store.WatchOptions{})
	go hist.Follow(ctx, hw)

	// One write before the informer starts: a store that was never written lists at revision
	// 0, and an informer resuming "from 0" can only get the current state of what changed
	// meanwhile (initial events), not each change, so Exact would not hold for that window.
	ws.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "seed"}})

	fs := informertest.NewSource(informer.ForResource(s, storetest.Widgets), 42, informertest.Faults{Drop: 0.2})
	inf, _ := informer.New[*storetest.Widget](fs, informer.Options[*storetest.Widget]{
		Backoff: informer.Backoff{Initial: time.Millisecond, Max: 10 * time.Millisecond},
	})
	rec := informertest.NewRecorder[*storetest.Widget]()
	inf.AddHandler(rec, informer.HandlerOptions{})
	done := make(chan struct{})
	go func() { defer close(done); inf.Run(ctx) }()
	informer.WaitForSync(ctx, inf)

	var last *storetest.Widget
	for i := range 50 {
		w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "w" + strconv.Itoa(i%5)}}
		if i < 5 {
			last, _ = ws.Create(ctx, w)
		} else {
			last, _ = ws.Update(ctx, w)
		}
	}
	rec.WaitForRV(ctx, informer.KeyOf(last).String(), last.ResourceVersion)
	rv, _ := strconv.ParseInt(last.ResourceVersion, 10, 64)
	hist.WaitForRV(ctx, informer.KeyOf(last).String(), rv)
	cancel()
	<-done
	fs.Wait()

	fmt.Println("watches dropped:", fs.Stats().Drops > 0)
	fmt.Println("check:", rec.Check(hist.Changes(), informertest.Exact))
	// Output:
	// watches dropped: true
	// check: <nil>
}
