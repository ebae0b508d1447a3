package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// A store with a short history: reads older than the kept history fail with Expired, and a
// field index serves "widgets on node-1" without a scan.
func ExampleNew() {
	ctx := context.Background()
	s, err := memory.New(memory.Options{
		Resources:     storetest.Resources(), // widgets index spec.node
		MaxHistory:    2,
		MaxHistoryAge: time.Hour,
	})
	if err != nil {
		panic(err)
	}
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	for i, node := range []string{"node-1", "node-2", "node-1", "node-3"} {
		w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("w%d", i)}}
		w.Spec.Node = node
		if _, err := widgets.Create(ctx, w); err != nil {
			panic(err)
		}
	}
	l, _ := widgets.List(ctx, "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.node", "node-1")})
	for _, w := range l.Items {
		fmt.Println(w.Name, "on", w.Spec.Node)
	}
	st, _ := s.Stats(ctx)
	fmt.Println("revision", st.Revision, "compacted to", st.CompactedRevision, "objects", st.Objects[storetest.Widgets])
	_, err = widgets.List(ctx, "", store.ListOptions{Consistency: store.Exact, Revision: 1})
	fmt.Println(err)
	// Output:
	// w0 on node-1
	// w2 on node-1
	// revision 4 compacted to 2 objects 4
	// store: list widgets.storetest.cellkit.io: too old resource version: 1 (compacted to 2)
}
