package storetest

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
)

var compactTests = []test{
	{"old reads expire, newer ones work", func(t *testing.T, h *harness) {
		for i := 0; i < 6; i++ {
			h.create(t, widget("ns1", fmt.Sprintf("w%d", i), ""))
		}
		tok := h.list(t, "ns1", store.ListOptions{Limit: 2}).Continue
		old := h.revision(t)
		a, _ := h.widgets.Get(h.ctx, "ns1", "w0", store.GetOptions{})
		a.Status.Phase = "After"
		h.update(t, a)
		h.delete(t, "ns1", "w1")
		mid := h.revision(t)
		h.create(t, widget("ns1", "late", ""))
		if err := h.s.Compact(h.ctx, mid); err != nil {
			t.Fatalf("compact: %v", err)
		}
		st, err := h.s.Stats(h.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.CompactedRevision != mid {
			t.Errorf("compacted revision = %d, want %d", st.CompactedRevision, mid)
		}
		_, err = h.widgets.Get(h.ctx, "ns1", "w0", store.GetOptions{Consistency: store.Exact, Revision: old})
		wantErr(t, "get at a compacted revision", err, isExpired)
		_, err = h.widgets.List(h.ctx, "ns1", store.ListOptions{Consistency: store.Exact, Revision: old})
		wantErr(t, "list at a compacted revision", err, isExpired)
		_, err = h.widgets.List(h.ctx, "ns1", store.ListOptions{Limit: 2, Continue: tok})
		wantErr(t, "continue a compacted list", err, isExpired)

		// The state at the compaction point is still readable, deleted keys included.
		l := h.list(t, "ns1", store.ListOptions{Consistency: store.Exact, Revision: mid})
		if d := cmp.Diff([]string{"ns1/w0", "ns1/w2", "ns1/w3", "ns1/w4", "ns1/w5"}, names(l.Items)); d != "" {
			t.Errorf("list at the compaction point (-want +got):\n%s", d)
		}
		if l.Items[0].Status.Phase != "After" {
			t.Errorf("w0 at the compaction point has phase %q, want After", l.Items[0].Status.Phase)
		}
		g, err := h.widgets.Get(h.ctx, "ns1", "w0", store.GetOptions{Consistency: store.Exact, Revision: mid})
		if err != nil || g.Status.Phase != "After" {
			t.Errorf("get at the compaction point = %v, %v", g, err)
		}
		_, err = h.widgets.Get(h.ctx, "ns1", "w1", store.GetOptions{Consistency: store.Exact, Revision: mid})
		wantErr(t, "get of a key deleted before the compaction point", err, isNotFound)

		// Watches from before the compaction point get Expired on the stream.
		w, err := h.widgets.Watch(h.ctx, "ns1", store.WatchOptions{Revision: old})
		if err != nil {
			t.Fatalf("watch from a compacted revision: %v (want an Expired event on the stream)", err)
		}
		ev := next(t, w)
		if ev.Type != watch.Error || !isExpired.is(errorOf(ev)) {
			t.Fatalf("first event = %s %v, want an Expired error", ev.Type, ev.ErrorStatus())
		}
		closed(t, w)
		// With initial events, an old revision only asks for a state at least that new.
		wi, err := h.widgets.Watch(h.ctx, "ns1", store.WatchOptions{Revision: old, SendInitialEvents: true, Bookmarks: true})
		if err != nil {
			t.Fatal(err)
		}
		var initial []string
		for ev := next(t, wi); ev.Type != watch.Bookmark; ev = next(t, wi) {
			if ev.Type != watch.Added {
				t.Fatalf("initial event %s %v", ev.Type, ev.ErrorStatus())
			}
			initial = append(initial, ev.Object.Name)
		}
		wi.Stop()
		if len(initial) != 6 {
			t.Errorf("initial events from a compacted revision: %v, want the 6 current widgets", initial)
		}
		// A watch from the compaction point works and sees the later change.
		w2, err := h.widgets.Watch(h.ctx, "ns1", store.WatchOptions{Revision: mid})
		if err != nil {
			t.Fatal(err)
		}
		defer w2.Stop()
		if got := shortOf(next(t, w2)); got.Name != "late" || got.Type != watch.Added {
			t.Errorf("watch from the compaction point: first event %+v, want ADDED late", got)
		}
	}},
	{"bounds", func(t *testing.T, h *harness) {
		h.create(t, widget("ns1", "a", ""))
		rev := h.revision(t)
		err := h.s.Compact(h.ctx, rev+5)
		wantErr(t, "compact to the future", err, isTooLargeRV)
		if err := h.s.Compact(h.ctx, rev); err != nil {
			t.Fatal(err)
		}
		if err := h.s.Compact(h.ctx, rev-1); err != nil {
			t.Errorf("compacting to an older revision: %v, want a no-op", err)
		}
		st, _ := h.s.Stats(h.ctx)
		if st.CompactedRevision != rev {
			t.Errorf("compacted revision = %d, want %d", st.CompactedRevision, rev)
		}
		if st.Objects[Widgets] != 1 {
			t.Errorf("objects = %v, want 1 widget", st.Objects)
		}
		// Writes carry on after compaction.
		b := h.create(t, widget("ns1", "b", ""))
		if rv(b) != rev+1 {
			t.Errorf("revision after compaction = %d, want %d", rv(b), rev+1)
		}
	}},
}
