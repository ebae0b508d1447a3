package backend

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store/storetest"
)

// atRev returns a copy of w with resourceVersion rv.
func atRev(w *storetest.Widget, rv string) *storetest.Widget {
	c := w.DeepCopy()
	c.ResourceVersion = rv
	return c
}

func TestSelectorEventTransitions(t *testing.T) {
	widgets, _ := testResources(t)
	sel := widgets.Selector("ns1", nil, fields.OneTermEqualSelector("spec.node", "n1"))
	on1 := atRev(widget("ns1", "a", "n1", "", nil), "5")
	on2 := atRev(widget("ns1", "a", "n2", "", nil), "5")
	on1Later := atRev(widget("ns1", "a", "n1", "Running", nil), "7")
	on2Later := atRev(widget("ns1", "a", "n2", "", nil), "7")
	cases := []struct {
		name     string
		change   func() *Change
		wantType watch.EventType // "" when the watcher gets nothing
		wantObj  runtime.Object
	}{
		{"added matching", func() *Change { return &Change{Rev: 5, Type: watch.Added, Obj: on1} }, watch.Added, on1},
		{"added not matching", func() *Change { return &Change{Rev: 5, Type: watch.Added, Obj: on2} }, "", nil},
		{"modified, matches before and after", func() *Change { return &Change{Rev: 7, Type: watch.Modified, Prev: on1, Obj: on1Later} }, watch.Modified, on1Later},
		{"modified into the selector", func() *Change { return &Change{Rev: 7, Type: watch.Modified, Prev: on2, Obj: atRev(on1, "7")} }, watch.Added, atRev(on1, "7")},
		{"modified out of the selector", func() *Change { return &Change{Rev: 7, Type: watch.Modified, Prev: on1, Obj: on2Later} }, watch.Deleted, atRev(on1, "7")},
		{"modified, matches neither", func() *Change { return &Change{Rev: 7, Type: watch.Modified, Prev: on2, Obj: on2Later} }, "", nil},
		{"deleted matching", func() *Change { return &Change{Rev: 7, Type: watch.Deleted, Prev: on1, Obj: atRev(on1, "7")} }, watch.Deleted, atRev(on1, "7")},
		{"deleted not matching", func() *Change { return &Change{Rev: 7, Type: watch.Deleted, Prev: on2, Obj: atRev(on2, "7")} }, "", nil},
	}
	for _, tc := range cases {
		for _, share := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				c := tc.change()
				got, ok := sel.Event(c, share)
				if tc.wantType == "" {
					if ok {
						t.Fatalf("got %s event, want none", got.Type)
					}
					return
				}
				if !ok {
					t.Fatalf("got no event, want %s", tc.wantType)
				}
				if got.Type != tc.wantType {
					t.Errorf("type %s, want %s", got.Type, tc.wantType)
				}
				if d := cmp.Diff(tc.wantObj, got.Object); d != "" {
					t.Errorf("object (-want +got):\n%s", d)
				}
				stored := map[runtime.Object]bool{c.Obj: true}
				if c.Prev != nil {
					stored[c.PrevAtRev()] = true
				}
				if stored[got.Object] != share {
					t.Errorf("share %v: event object is the stored one: %v", share, stored[got.Object])
				}
			})
		}
	}
}

func TestPrevAtRevBuiltOnce(t *testing.T) {
	prev := atRev(widget("ns1", "a", "n1", "", nil), "5")
	c := &Change{Rev: 9, Type: watch.Modified, Prev: prev}
	first := c.PrevAtRev()
	if first.GetObjectMeta().ResourceVersion != "9" {
		t.Errorf("resourceVersion %q, want 9", first.GetObjectMeta().ResourceVersion)
	}
	if prev.ResourceVersion != "5" {
		t.Errorf("the stored previous state was modified: resourceVersion %q", prev.ResourceVersion)
	}
	if c.PrevAtRev() != first {
		t.Errorf("PrevAtRev built a second object")
	}
}
