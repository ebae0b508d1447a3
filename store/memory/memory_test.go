package memory_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

func newStore(t *testing.T, cfg storetest.Config) store.Interface {
	t.Helper()
	s, err := memory.New(memory.Options{
		Resources:        cfg.Resources,
		Clock:            cfg.Clock,
		MaxObjectSize:    cfg.MaxObjectSize,
		WatchBuffer:      cfg.WatchBuffer,
		BookmarkInterval: cfg.BookmarkInterval,
		MaxHistoryAge:    -1,
	})
	if err != nil {
		t.Fatalf("new memory store: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	defer goleak.VerifyNone(t)
	storetest.Run(t, newStore)
}

func newWidgetStore(t *testing.T, opts memory.Options) (*memory.Store, *clock.Fake) {
	t.Helper()
	fc := clock.NewFake(storetest.Epoch)
	opts.Resources = storetest.Resources()
	opts.Clock = fc
	s, err := memory.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, fc
}

func w(ns, name, node string) *storetest.Widget {
	return &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name}, Spec: storetest.WidgetSpec{Node: node}}
}

func TestNewRejectsBadOptions(t *testing.T) {
	good := storetest.Resources()
	cases := []struct {
		name string
		opts memory.Options
	}{
		{"no resources", memory.Options{}},
		{"duplicate resource", memory.Options{Resources: append(good, good[0])}},
		{"no New", memory.Options{Resources: []store.Resource{{GroupResource: storetest.Widgets, Kind: good[0].Kind}}}},
		{"no kind", memory.Options{Resources: []store.Resource{{GroupResource: storetest.Widgets, New: good[0].New}}}},
		{"duplicate index", memory.Options{Resources: []store.Resource{{GroupResource: storetest.Widgets, Kind: good[0].Kind, New: good[0].New, Indexes: []string{"a", "a"}}}}},
		{"negative watch buffer", memory.Options{Resources: good, WatchBuffer: -1}},
		{"negative bookmark interval", memory.Options{Resources: good, BookmarkInterval: -time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := memory.New(tc.opts); err == nil {
				t.Fatalf("New accepted %s", tc.name)
			}
		})
	}
}

func TestHistoryBounds(t *testing.T) {
	ctx := context.Background()
	t.Run("count", func(t *testing.T) {
		s, _ := newWidgetStore(t, memory.Options{MaxHistory: 10, MaxHistoryAge: -1})
		ws := store.For[*storetest.Widget](s, storetest.Widgets)
		for i := 0; i < 25; i++ {
			if _, err := ws.Create(ctx, w("ns1", fmt.Sprintf("w%02d", i), "")); err != nil {
				t.Fatal(err)
			}
		}
		st, _ := s.Stats(ctx)
		if st.Revision != 25 || st.CompactedRevision != 15 || st.HistoryEvents != 10 {
			t.Fatalf("stats = %+v, want revision 25, compacted 15, 10 events", st)
		}
		if _, err := ws.List(ctx, "", store.ListOptions{Consistency: store.Exact, Revision: 14}); !apierrors.IsResourceExpired(err) {
			t.Errorf("list below the kept history: %v, want Expired", err)
		}
		l, err := ws.List(ctx, "", store.ListOptions{Consistency: store.Exact, Revision: 15})
		if err != nil || len(l.Items) != 15 {
			t.Errorf("list at the oldest kept revision: %d items, %v; want 15", len(l.Items), err)
		}
	})
	t.Run("age", func(t *testing.T) {
		s, fc := newWidgetStore(t, memory.Options{MaxHistoryAge: time.Minute})
		ws := store.For[*storetest.Widget](s, storetest.Widgets)
		for i := 0; i < 5; i++ {
			if _, err := ws.Create(ctx, w("ns1", fmt.Sprintf("old%d", i), "")); err != nil {
				t.Fatal(err)
			}
		}
		fc.Step(2 * time.Minute)
		if _, err := ws.Create(ctx, w("ns1", "new", "")); err != nil {
			t.Fatal(err)
		}
		st, _ := s.Stats(ctx)
		if st.CompactedRevision != 5 || st.HistoryEvents != 1 {
			t.Fatalf("stats = %+v, want the 5 old changes compacted", st)
		}
	})
	t.Run("none", func(t *testing.T) {
		s, _ := newWidgetStore(t, memory.Options{MaxHistory: -1})
		ws := store.For[*storetest.Widget](s, storetest.Widgets)
		wt, err := ws.Watch(ctx, "ns1", store.WatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer wt.Stop()
		for i := 0; i < 5; i++ {
			if _, err := ws.Create(ctx, w("ns1", fmt.Sprintf("w%d", i), "")); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 5; i++ {
			if ev := <-wt.ResultChan(); ev.Type != watch.Added || ev.Object.Name != fmt.Sprintf("w%d", i) {
				t.Fatalf("event %d = %s %s, want ADDED w%d", i, ev.Type, ev.Object.Name, i)
			}
		}
		st, _ := s.Stats(ctx)
		if st.HistoryEvents > 1 {
			t.Errorf("kept %d changes with MaxHistory < 0", st.HistoryEvents)
		}
	})
}

func TestIndexFollowsCompaction(t *testing.T) {
	ctx := context.Background()
	s, _ := newWidgetStore(t, memory.Options{MaxHistoryAge: -1})
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	x, err := ws.Create(ctx, w("ns1", "x", "n1"))
	if err != nil {
		t.Fatal(err)
	}
	before := x.ResourceVersion
	x.Spec.Node = "n2"
	if _, err := ws.Update(ctx, x); err != nil {
		t.Fatal(err)
	}
	onNode := func(node string, opts store.ListOptions) []string {
		opts.Fields = fields.OneTermEqualSelector("spec.node", node)
		l, err := ws.List(ctx, "", opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range l.Items {
			out = append(out, it.Name)
		}
		return out
	}
	rev, _ := strconv.ParseInt(before, 10, 64)
	if got := onNode("n1", store.ListOptions{Consistency: store.Exact, Revision: rev}); len(got) != 1 {
		t.Errorf("index lost the old value still in history: %v", got)
	}
	if got := onNode("n1", store.ListOptions{}); len(got) != 0 {
		t.Errorf("latest list on n1 = %v, want none", got)
	}
	st, _ := s.Stats(ctx)
	if err := s.Compact(ctx, st.Revision); err != nil {
		t.Fatal(err)
	}
	if got := onNode("n2", store.ListOptions{}); len(got) != 1 {
		t.Errorf("list on n2 after compaction = %v, want x", got)
	}
	if _, err := ws.Delete(ctx, "ns1", "x", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	st, _ = s.Stats(ctx)
	if err := s.Compact(ctx, st.Revision); err != nil {
		t.Fatal(err)
	}
	if got := onNode("n2", store.ListOptions{}); len(got) != 0 {
		t.Errorf("list on n2 after delete and compaction = %v", got)
	}
}

func TestSharedObjectsAreShared(t *testing.T) {
	ctx := context.Background()
	s, _ := newWidgetStore(t, memory.Options{})
	w1, err := s.Watch(ctx, storetest.Widgets, "", store.WatchOptions{SharedObjects: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w1.Stop()
	w2, err := s.Watch(ctx, storetest.Widgets, "", store.WatchOptions{SharedObjects: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Stop()
	if _, err := s.Create(ctx, storetest.Widgets, w("ns1", "a", "")); err != nil {
		t.Fatal(err)
	}
	e1, e2 := <-w1.ResultChan(), <-w2.ResultChan()
	if e1.Object != e2.Object {
		t.Errorf("SharedObjects watchers got different objects %p and %p, want one shared", e1.Object, e2.Object)
	}
	st, _ := s.Stats(ctx)
	if st.Watchers != 2 {
		t.Errorf("stats watchers = %d, want 2", st.Watchers)
	}
}

// A shared GuaranteedUpdate copies nothing: the object the update function returns is the one
// stored, returned, and handed to watchers that share objects; watchers that do not share get
// a copy, and reads get copies.
func TestGuaranteedUpdateSharedCopiesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := newWidgetStore(t, memory.Options{})
	if _, err := s.Create(ctx, storetest.Widgets, w("ns1", "a", "n1")); err != nil {
		t.Fatal(err)
	}
	shared, err := s.Watch(ctx, storetest.Widgets, "", store.WatchOptions{SharedObjects: true})
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Stop()
	copied, err := s.Watch(ctx, storetest.Widgets, "", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Stop()
	var stored, made *storetest.Widget
	out, err := store.For[*storetest.Widget](s, storetest.Widgets).GuaranteedUpdateShared(ctx, "ns1", "a", func(cur *storetest.Widget) (*storetest.Widget, error) {
		stored = cur
		next := *cur
		next.Spec.Node = "n2"
		made = &next
		return made, nil
	}, store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if out != made {
		t.Errorf("result %p is not the object the update function returned (%p)", out, made)
	}
	if stored.Spec.Node != "n1" || stored.ResourceVersion == out.ResourceVersion {
		t.Errorf("the object the update function got was modified: node %q, resourceVersion %s", stored.Spec.Node, stored.ResourceVersion)
	}
	if ev := <-shared.ResultChan(); ev.Object != runtime.Object(made) {
		t.Errorf("shared watcher got %p, want the stored object %p", ev.Object, made)
	}
	if ev := <-copied.ResultChan(); ev.Object == runtime.Object(made) || ev.Object.(*storetest.Widget).Spec.Node != "n2" {
		t.Errorf("copying watcher got %p (node %q), want a copy of %p with node n2", ev.Object, ev.Object.(*storetest.Widget).Spec.Node, made)
	}
	got, err := s.Get(ctx, storetest.Widgets, "ns1", "a", store.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got == runtime.MetaObject(made) {
		t.Error("Get returned the stored object, want a copy")
	}
}
