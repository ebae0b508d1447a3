package informer_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// A store that was never written lists at revision 0, and a watch from revision 0 means "from
// now". A write that lands between that list and the watch must still reach the cache.
func TestWriteBetweenListAndWatchOfAnEmptyStore(t *testing.T) {
	t.Cleanup(func() { goleak.VerifyNone(t) })
	s := newStore(t, memory.Options{})
	inner := informer.ForResource(s, storetest.Widgets)
	wrote := false
	src := informer.SourceFuncs{
		ListFunc: inner.List,
		WatchFunc: func(ctx context.Context, ns string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
			if !wrote {
				wrote = true
				if _, err := widgets(s).Create(ctx, mkWidget("ns", "between", "n1", nil)); err != nil {
					t.Errorf("create between list and watch: %v", err)
				}
			}
			return inner.Watch(ctx, ns, opts)
		},
	}
	inf, err := informer.New[*widget](src, informer.Options[*widget]{InitialList: informer.ListThenWatch})
	if err != nil {
		t.Fatal(err)
	}
	stop := started(t, inf)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := informer.WaitForSync(ctx, inf); err != nil {
		t.Fatal(err)
	}
	if err := inf.WaitForRevision(ctx, 1); err != nil {
		t.Fatalf("the cache never reached revision 1: %v", err)
	}
	if _, ok := inf.Lister().Namespace("ns").Get("between"); !ok {
		t.Fatal("the object written between the list and the watch is missing")
	}
}
