package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/store"
)

// scribble changes every field of w that could share memory with the store.
func scribble(w *Widget) {
	w.Name = "scribbled"
	w.Labels["app"] = "scribbled"
	w.Labels["new"] = "x"
	w.Annotations["note"] = "scribbled"
	w.Finalizers[0] = "scribbled"
	w.Spec.Tags[0] = "scribbled"
	w.Spec.Attrs["k"] = "scribbled"
	w.Status.Phase = "Scribbled"
}

func richWidget(ns, name string) *Widget {
	w := widget(ns, name, "n1", "app", "web")
	w.Annotations = map[string]string{"note": "orig"}
	w.Finalizers = []string{"keep"}
	w.Spec.Tags = []string{"t1", "t2"}
	w.Spec.Attrs = map[string]string{"k": "v"}
	return w
}

// stored returns the store's current state of ns1/a.
func (h *harness) stored(t *testing.T) *Widget {
	t.Helper()
	w, err := h.widgets.Get(h.ctx, "ns1", "a", store.GetOptions{})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	return w
}

func (h *harness) same(t *testing.T, what string, want *Widget) {
	t.Helper()
	if d := cmp.Diff(want, h.stored(t)); d != "" {
		t.Errorf("after scribbling on %s, the store changed (-want +got):\n%s", what, d)
	}
}

var isolationTests = []test{
	{"objects in and out are copies", func(t *testing.T, h *harness) {
		in := richWidget("ns1", "a")
		out := h.create(t, in)
		want := out.DeepCopy()
		scribble(in)
		h.same(t, "the created object", want)
		scribble(out)
		h.same(t, "create's result", want)

		got := h.stored(t)
		scribble(got)
		h.same(t, "get's result", want)

		l := h.list(t, "ns1", store.ListOptions{})
		scribble(l.Items[0])
		h.same(t, "a list item", want)

		up := want.DeepCopy()
		up.Spec.Size = 7
		upOut := h.update(t, up)
		want = upOut.DeepCopy()
		scribble(up)
		h.same(t, "the updated object", want)
		scribble(upOut)
		h.same(t, "update's result", want)

		var kept *Widget
		guOut, err := h.widgets.GuaranteedUpdate(h.ctx, "ns1", "a", func(cur *Widget) (*Widget, error) {
			cur.Spec.Size = 8
			kept = cur
			return cur, nil
		}, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want = guOut.DeepCopy()
		scribble(kept)
		h.same(t, "the object the update function returned", want)
		scribble(guOut)
		h.same(t, "guaranteed update's result", want)
	}},
	{"watch events are copies", func(t *testing.T, h *harness) {
		w1 := h.watch(t, "ns1", store.WatchOptions{})
		w2 := h.watch(t, "ns1", store.WatchOptions{})
		created := h.create(t, richWidget("ns1", "a"))
		ev1 := next(t, w1)
		scribble(ev1.Object)
		ev2 := next(t, w2)
		if d := cmp.Diff(created, ev2.Object); d != "" {
			t.Errorf("second watcher's event changed by scribbling on the first's (-want +got):\n%s", d)
		}
		h.same(t, "a watch event", created)
		d := h.delete(t, "ns1", "a")
		want := d.DeepCopy()
		scribble(d)
		ev1 = next(t, w1)
		if diff := cmp.Diff(want, ev1.Object); diff != "" {
			t.Errorf("deleted event changed by scribbling on delete's result (-want +got):\n%s", diff)
		}
	}},
}
