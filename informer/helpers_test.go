package informer_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cellkit/cellkit/apimachinery/labels"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/informer/informertest"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

type widget = storetest.Widget

func newStore(t testing.TB, opts memory.Options) *memory.Store {
	t.Helper()
	opts.Resources = storetest.Resources()
	s, err := memory.New(opts)
	if err != nil {
		t.Fatalf("memory.New: %v", err)
	}
	return s
}

func widgets(s store.Interface) store.Typed[*widget] {
	return store.For[*widget](s, storetest.Widgets)
}

func mkWidget(ns, name, node string, labels map[string]string) *widget {
	return &widget{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Labels: labels}, Spec: storetest.WidgetSpec{Node: node}}
}

func rev(t testing.TB, obj *widget) int64 {
	t.Helper()
	r, err := strconv.ParseInt(obj.ResourceVersion, 10, 64)
	if err != nil {
		t.Fatalf("resourceVersion %q: %v", obj.ResourceVersion, err)
	}
	return r
}

// fastBackoff keeps fault tests quick on the real clock.
var fastBackoff = informer.Backoff{Initial: 100 * time.Microsecond, Max: 2 * time.Millisecond}

// writer applies random creates, updates and deletes to a set of keys.
type writer struct {
	w    store.Typed[*widget]
	rng  *rand.Rand
	keys []string
	ns   string
}

func (wr *writer) step(ctx context.Context) error {
	name := wr.keys[wr.rng.IntN(len(wr.keys))]
	cur, err := wr.w.Get(ctx, wr.ns, name, store.GetOptions{})
	if err != nil {
		_, err = wr.w.Create(ctx, mkWidget(wr.ns, name, fmt.Sprintf("node-%d", wr.rng.IntN(4)), map[string]string{"app": name}))
		return ignoreRace(err)
	}
	if wr.rng.IntN(10) < 3 {
		_, err = wr.w.Delete(ctx, wr.ns, name, store.DeleteOptions{})
		return ignoreRace(err)
	}
	cur.Spec.Size++
	cur.Spec.Node = fmt.Sprintf("node-%d", wr.rng.IntN(4))
	if wr.rng.IntN(3) == 0 { // a label change, which moves the object in a label index
		cur.Labels = map[string]string{"app": name, "color": colors[wr.rng.IntN(len(colors))]}
	}
	cur.ResourceVersion = ""
	_, err = wr.w.Update(ctx, cur)
	return ignoreRace(err)
}

// ignoreRace ignores the failures concurrent writers cause each other (a key created, updated
// or deleted by another writer in between).
func ignoreRace(err error) error {
	if err == nil || isRace(err) {
		return nil
	}
	return err
}

// checkCache waits until the informer's cache equals the store's state at revision at (the
// last write of the test), and fails with the difference when ctx ends first. It waits rather
// than compares once because a source that reorders deliveries (a fault the tests inject)
// can hand the informer a change before an older one: the informer then briefly reports the
// newer revision, and repairs its cache by relisting as soon as the older change arrives out of
// order. rec's change notifications pace the wait; nothing sleeps.
func checkCache(ctx context.Context, t testing.TB, s store.Interface, inf *informer.Informer[*widget], rec *informertest.Recorder[*widget], at int64) {
	t.Helper()
	want, err := widgets(s).List(context.Background(), "", store.ListOptions{Consistency: store.Exact, Revision: at})
	if err != nil {
		t.Fatalf("list store at %d: %v", at, err)
	}
	for {
		ch := rec.Changed()
		diff := cmp.Diff(want.Items, inf.Lister().List(nil))
		if diff == "" {
			checkSelectors(t, want.Items, inf.Lister())
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("cache differs from the store at revision %d (-store +cache):\n%s", at, diff)
		}
	}
}

var colors = []string{"red", "green", "blue"}

// checkSelectors compares lister answers to label selectors (served from the label index when
// the informer has one) with a filter of items, the whole state.
func checkSelectors(t testing.TB, items []*widget, l informer.Lister[*widget]) {
	t.Helper()
	for _, s := range []string{"color=red", "color in (green,blue)", "app in (w1,w2,w3),color!=blue", "app=w0", "app=w5,!color", "color"} {
		sel := labels.MustParse(s)
		var want []*widget
		for _, w := range items {
			if sel.Matches(labels.Set(w.Labels)) {
				want = append(want, w)
			}
		}
		if diff := cmp.Diff(want, l.List(sel), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("List(%s) differs from the state (-want +got):\n%s", s, diff)
		}
		var wantA []*widget
		for _, w := range want {
			if w.Namespace == "a" {
				wantA = append(wantA, w)
			}
		}
		if diff := cmp.Diff(wantA, l.Namespace("a").List(sel), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Namespace(a).List(%s) differs from the state (-want +got):\n%s", s, diff)
		}
	}
}

// converge waits until rec's records pass the check against h, or fails with the last
// discrepancy when ctx ends.
func converge(ctx context.Context, t testing.TB, rec *informertest.Recorder[*widget], h *informertest.History, mode informertest.Mode) {
	t.Helper()
	for {
		ch := rec.Changed()
		err := rec.Check(h.Changes(), mode)
		if err == nil {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("handlers never converged: %v", err)
		}
	}
}
