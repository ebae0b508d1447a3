package controller

import (
	"context"
	"errors"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/storetest"
)

var widgetGVK = testGV.WithKind("Widget")

func TestSetControllerRef(t *testing.T) {
	owner := &meta.ObjectMeta{Name: "p", UID: "uid-p"}
	child := &meta.ObjectMeta{Name: "c", OwnerReferences: []meta.OwnerReference{{Kind: "Other", Name: "x", UID: "uid-x"}}}
	if err := SetControllerRef(child, owner, widgetGVK); err != nil {
		t.Fatal(err)
	}
	if err := SetControllerRef(child, owner, widgetGVK); err != nil {
		t.Fatalf("setting the same controller again: %v", err)
	}
	if len(child.OwnerReferences) != 2 || meta.GetControllerOf(child).UID != "uid-p" {
		t.Errorf("owner references %+v, want the plain one and one controller ref to p", child.OwnerReferences)
	}
	err := SetControllerRef(child, &meta.ObjectMeta{Name: "q", UID: "uid-q"}, widgetGVK)
	var owned *AlreadyOwnedError
	if !errors.As(err, &owned) || owned.Owner.Name != "p" {
		t.Errorf("another controller: %v, want *AlreadyOwnedError naming p", err)
	}
}

func TestClaimChildren(t *testing.T) {
	ctx := context.Background()
	s := testStore(t)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	owner := mustCreate(t, s, storetest.Widgets, widget("ns", "owner", 1, nil))
	mine := meta.NewControllerRef(&owner.ObjectMeta, widgetGVK)
	other := ctlRef("Widget", "someone-else")
	mk := func(name string, app string, ref *meta.OwnerReference) *storetest.Widget {
		w := widget("ns", name, 1, ref)
		w.Labels = map[string]string{"app": app}
		return mustCreate(t, s, storetest.Widgets, w)
	}
	kept := mk("kept", "web", mine)
	released := mk("released", "db", mine)
	adopted := mk("adopted", "web", nil)
	ignored := mk("ignored", "db", nil)
	others := mk("others", "web", other)
	gone := mk("gone", "web", nil)
	replaced := mk("replaced", "web", nil)
	if _, err := ws.Delete(ctx, "ns", "gone", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Delete(ctx, "ns", "replaced", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	mk("replaced", "web", nil) // new UID: the stale candidate must not be adopted
	sel, err := labels.Parse("app=web")
	if err != nil {
		t.Fatal(err)
	}
	claim := Claim{Owner: owner, Kind: widgetGVK, Selector: sel}
	got, err := ClaimChildren(ctx, ws, claim, []*storetest.Widget{kept, released, adopted, ignored, others, gone, replaced})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, w := range got {
		names = append(names, w.Name)
	}
	sort.Strings(names)
	if diff := cmp.Diff([]string{"adopted", "kept"}, names); diff != "" {
		t.Errorf("claimed (-want +got):\n%s", diff)
	}
	controllerOf := func(name string) string {
		w, err := ws.Get(ctx, "ns", name, store.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if ref := meta.GetControllerOf(&w.ObjectMeta); ref != nil {
			return ref.Name
		}
		return ""
	}
	for name, want := range map[string]string{"kept": "owner", "released": "", "adopted": "owner", "ignored": "", "others": "someone-else", "replaced": ""} {
		if got := controllerOf(name); got != want {
			t.Errorf("controller of %s = %q, want %q", name, got, want)
		}
	}

	// CanAdopt failing stops adoption; an owner being deleted adopts nothing.
	orphan := mk("orphan", "web", nil)
	refuse := errors.New("owner was recreated")
	claim.CanAdopt = func(context.Context) error { return refuse }
	if _, err := ClaimChildren(ctx, ws, claim, []*storetest.Widget{orphan}); !errors.Is(err, refuse) {
		t.Errorf("CanAdopt failing: %v", err)
	}
	claim.CanAdopt = nil
	deleting := owner.DeepCopy()
	now := meta.NewTime(time.Unix(1, 0))
	deleting.DeletionTimestamp = &now
	claim.Owner = deleting
	if got, err := ClaimChildren(ctx, ws, claim, []*storetest.Widget{orphan}); err != nil || len(got) != 0 || controllerOf("orphan") != "" {
		t.Errorf("owner being deleted adopted: %v, %v", got, err)
	}
}

func TestFinalizers(t *testing.T) {
	ctx := context.Background()
	s := testStore(t)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	w := mustCreate(t, s, storetest.Widgets, widget("ns", "w", 1, nil))
	w1, err := AddFinalizer(ctx, ws, w, "example.com/cleanup")
	if err != nil {
		t.Fatal(err)
	}
	w2, err := AddFinalizer(ctx, ws, w, "example.com/cleanup") // stale object: re-read, no-op
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w2.Finalizers, []string{"example.com/cleanup"}) || w2.ResourceVersion != w1.ResourceVersion {
		t.Errorf("second add: finalizers %v rv %s (first rv %s); want one finalizer and no write", w2.Finalizers, w2.ResourceVersion, w1.ResourceVersion)
	}
	w3, err := RemoveFinalizer(ctx, ws, w, "example.com/cleanup")
	if err != nil || len(w3.Finalizers) != 0 {
		t.Fatalf("remove: %v, %v", w3.Finalizers, err)
	}
	if _, err := ws.Delete(ctx, "ns", "w", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, storetest.Widgets, widget("ns", "w", 1, nil))
	if _, err := AddFinalizer(ctx, ws, w, "x"); err == nil {
		t.Error("adding a finalizer to a recreated object (other UID) succeeded")
	}
}

func TestUpdateStatusKeepsConcurrentChanges(t *testing.T) {
	ctx := context.Background()
	s := testStore(t)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	mustCreate(t, s, storetest.Widgets, widget("ns", "w", 1, nil))
	mustUpdate(t, s, storetest.Widgets, "ns", "w", func(w *storetest.Widget) { w.Spec.Size = 5 })
	calls := 0
	out, err := UpdateStatus(ctx, ws, "ns", "w", func(w *storetest.Widget) {
		calls++
		if calls == 1 { // a writer gets in between our read and our write
			mustUpdate(t, s, storetest.Widgets, "ns", "w", func(w *storetest.Widget) { w.Spec.Node = "n1" })
		}
		w.Status.Phase = "Ready"
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || out.Status.Phase != "Ready" || out.Spec.Size != 5 || out.Spec.Node != "n1" {
		t.Errorf("after %d calls: %+v / %+v; want a retry that keeps both spec changes", calls, out.Spec, out.Status)
	}
	if _, err := UpdateStatus(ctx, ws, "ns", "missing", func(*storetest.Widget) {}); err == nil {
		t.Error("status update of a missing object succeeded")
	}
}

func TestExpectations(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	e := NewExpectations(fc, time.Minute)
	steps := []struct {
		name string
		do   func()
		want bool
	}{
		{"unknown key", func() {}, true},
		{"expect 2 creations, 1 deletion", func() { e.Expect("k", 2, 1) }, false},
		{"one creation seen", func() { e.CreationObserved("k") }, false},
		{"second creation seen", func() { e.CreationObserved("k") }, false},
		{"deletion seen", func() { e.DeletionObserved("k") }, true},
		{"new expectations", func() { e.Expect("k", 1, 0) }, false},
		{"just before expiry", func() { fc.Step(time.Minute - time.Nanosecond) }, false},
		{"expired", func() { fc.Step(time.Nanosecond) }, true},
		{"reset, then deleted", func() { e.Expect("k", 3, 0); e.Delete("k") }, true},
	}
	for _, st := range steps {
		st.do()
		if got := e.Satisfied("k"); got != st.want {
			t.Errorf("%s: Satisfied = %v, want %v", st.name, got, st.want)
		}
	}
}
