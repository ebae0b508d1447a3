package storetest

import (
	"errors"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
)

// sharedUpdateTests run Typed.GuaranteedUpdateShared: on a backend implementing
// store.SharedUpdater without copies, on any other through GuaranteedUpdate. Either way the
// update functions follow the sharing rules (never modify current, return a shallow copy that
// replaces what it changes), and the outcome must be the one GuaranteedUpdate's contract gives.
var sharedUpdateTests = []test{
	{"writes a shallow copy and leaves current as it was", func(t *testing.T, h *harness) {
		a := h.create(t, richWidget("ns1", "a"))
		var seen, seenBefore *Widget
		out, err := h.widgets.GuaranteedUpdateShared(h.ctx, "ns1", "a", func(cur *Widget) (*Widget, error) {
			seen, seenBefore = cur, cur.DeepCopy()
			next := *cur
			next.Spec.Node = "n2"
			next.Labels = map[string]string{"app": "web", "tier": "front"}
			return &next, nil
		}, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(a, seenBefore); d != "" {
			t.Errorf("update function got (-stored +got):\n%s", d)
		}
		if d := cmp.Diff(seenBefore, seen); d != "" {
			t.Errorf("the object the update function got changed after the write (-before +after):\n%s", d)
		}
		want := a.DeepCopy()
		want.Spec.Node = "n2"
		want.Labels = map[string]string{"app": "web", "tier": "front"}
		want.ResourceVersion = strconv.FormatInt(h.revision(t), 10)
		if out.Generation < a.Generation {
			t.Errorf("generation went from %d to %d", a.Generation, out.Generation)
		}
		want.Generation = out.Generation // a registry counts spec changes, a backend need not
		if d := cmp.Diff(want, out); d != "" {
			t.Errorf("result (-want +got):\n%s", d)
		}
		if d := cmp.Diff(want, h.stored(t)); d != "" {
			t.Errorf("stored (-want +got):\n%s", d)
		}
	}},
	{"retries on conflict with the current object", func(t *testing.T, h *harness) {
		h.create(t, richWidget("ns1", "a"))
		var calls atomic.Int32
		out, err := h.widgets.GuaranteedUpdateShared(h.ctx, "ns1", "a", func(cur *Widget) (*Widget, error) {
			if calls.Add(1) == 1 {
				other := cur.DeepCopy()
				other.Spec.Tags = append(other.Spec.Tags, "other")
				if _, err := h.widgets.Update(h.ctx, other); err != nil {
					return nil, err
				}
			}
			next := *cur
			next.Spec.Tags = append(append([]string(nil), cur.Spec.Tags...), "mine")
			return &next, nil
		}, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 2 {
			t.Errorf("update function ran %d times, want 2", calls.Load())
		}
		if d := cmp.Diff([]string{"t1", "t2", "other", "mine"}, out.Spec.Tags); d != "" {
			t.Errorf("tags (-want +got):\n%s", d)
		}
	}},
	{"returning current writes nothing", func(t *testing.T, h *harness) {
		a := h.create(t, richWidget("ns1", "a"))
		before := h.revision(t)
		out, err := h.widgets.GuaranteedUpdateShared(h.ctx, "ns1", "a", func(cur *Widget) (*Widget, error) {
			return cur, nil
		}, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h.unchanged(t, "shared update returning current", before)
		if d := cmp.Diff(a, out); d != "" {
			t.Errorf("no-op result differs from the stored object (-want +got):\n%s", d)
		}
	}},
	{"an equal copy writes nothing", func(t *testing.T, h *harness) {
		h.create(t, richWidget("ns1", "a"))
		before := h.revision(t)
		if _, err := h.widgets.GuaranteedUpdateShared(h.ctx, "ns1", "a", func(cur *Widget) (*Widget, error) {
			next := *cur
			next.Spec.Node = cur.Spec.Node
			return &next, nil
		}, store.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		h.unchanged(t, "shared update returning an equal copy", before)
	}},
	{"errors and bad results write nothing", func(t *testing.T, h *harness) {
		a := h.create(t, richWidget("ns1", "a"))
		errBoom := errors.New("boom")
		uid := meta.UID("not-the-uid")
		cases := []struct {
			name string
			fn   func(cur *Widget) (*Widget, error)
			opts store.UpdateOptions
			want func(t *testing.T, err error)
		}{
			{"function error", func(*Widget) (*Widget, error) { return nil, errBoom }, store.UpdateOptions{},
				func(t *testing.T, err error) {
					if !errors.Is(err, errBoom) {
						t.Fatalf("error %v, want one wrapping the function's", err)
					}
				}},
			{"changed key", func(cur *Widget) (*Widget, error) { next := *cur; next.Name = "b"; return &next, nil }, store.UpdateOptions{},
				func(t *testing.T, err error) { wantErr(t, "changed key", err, isBadRequest) }},
			{"failed precondition", func(cur *Widget) (*Widget, error) { next := *cur; next.Spec.Node = "n9"; return &next, nil },
				store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &uid}},
				func(t *testing.T, err error) { wantErr(t, "failed precondition", err, isConflict) }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := h.revision(t)
				_, err := h.widgets.GuaranteedUpdateShared(h.ctx, "ns1", "a", tc.fn, tc.opts)
				tc.want(t, err)
				h.unchanged(t, tc.name, before)
				if d := cmp.Diff(a, h.stored(t)); d != "" {
					t.Errorf("stored object changed (-want +got):\n%s", d)
				}
			})
		}
	}},
	{"missing object is NotFound", func(t *testing.T, h *harness) {
		_, err := h.widgets.GuaranteedUpdateShared(h.ctx, "ns1", "nope", func(cur *Widget) (*Widget, error) { return cur, nil }, store.UpdateOptions{})
		wantErr(t, "shared update of a missing object", err, isNotFound)
	}},
}
