package disk_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/storetest"
)

// A write is on disk when Create returns: a store opened again on the same file has it,
// and watching from an earlier revision replays the history kept on disk.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "disk-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "store.db")

	s, err := disk.Open(disk.Options{Path: path, Resources: storetest.Resources()})
	if err != nil {
		panic(err)
	}
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	w, _ := widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"}})
	w.Status.Phase = "Running"
	_, _ = widgets.Update(ctx, w)
	_ = s.Close(ctx)

	s, err = disk.Open(disk.Options{Path: path, Resources: storetest.Resources()})
	if err != nil {
		panic(err)
	}
	defer s.Close(ctx)
	widgets = store.For[*storetest.Widget](s, storetest.Widgets)
	got, _ := widgets.Get(ctx, "default", "web", store.GetOptions{})
	fmt.Println(got.Name, got.Status.Phase, got.ResourceVersion)

	ch, _ := widgets.Watch(ctx, "default", store.WatchOptions{Revision: 1})
	ev := <-ch.ResultChan()
	fmt.Println(ev.Type, ev.Object.Name, ev.Object.ResourceVersion, ev.Object.Status.Phase)
	ch.Stop()
	// Output:
	// web Running 2
	// MODIFIED web 2 Running
}
