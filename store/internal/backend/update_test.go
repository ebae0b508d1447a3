package backend

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/storetest"
)

func TestCopyIn(t *testing.T) {
	widgets, _ := testResources(t)
	in := widget("ns1", "a", "n1", "", map[string]string{"k": "v"})
	o, err := widgets.CopyIn("create", in)
	if err != nil {
		t.Fatal(err)
	}
	if o == runtime.MetaObject(in) {
		t.Fatal("CopyIn returned the caller's object, want a copy")
	}
	o.GetObjectMeta().Labels["k"] = "changed"
	if in.Labels["k"] != "v" {
		t.Errorf("changing the copy changed the caller's object")
	}
	if o.GetObjectKind().GroupVersionKind() != widgets.Kind {
		t.Errorf("kind %v not filled in", o.GetObjectKind().GroupVersionKind())
	}
	for name, obj := range map[string]runtime.MetaObject{
		"nil":           nil,
		"typed nil":     (*storetest.Widget)(nil),
		"wrong go type": &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}},
	} {
		if _, err := widgets.CopyIn("create", obj); !apierrors.IsBadRequest(err) {
			t.Errorf("%s: error %v, want a BadRequest", name, err)
		}
	}
}

func TestUpdated(t *testing.T) {
	widgets, _ := testResources(t)
	cur := widget("ns1", "a", "n1", "", nil)
	cur.ResourceVersion = "7"
	boom := errors.New("boom")
	cases := []struct {
		name        string
		fn          store.UpdateFunc
		wantChanged bool
		wantErr     func(error) bool
		wantNode    string
	}{
		{"changed", func(o runtime.MetaObject) (runtime.MetaObject, error) {
			o.(*storetest.Widget).Spec.Node = "n2"
			return o, nil
		}, true, nil, "n2"},
		{"unchanged", func(o runtime.MetaObject) (runtime.MetaObject, error) { return o, nil }, false, nil, "n1"},
		{"fn fails", func(runtime.MetaObject) (runtime.MetaObject, error) { return nil, boom }, false, func(err error) bool { return errors.Is(err, boom) }, ""},
		{"nil result", func(runtime.MetaObject) (runtime.MetaObject, error) { return nil, nil }, false, apierrors.IsBadRequest, ""},
		{"key changed", func(o runtime.MetaObject) (runtime.MetaObject, error) {
			o.GetObjectMeta().Name = "b"
			return o, nil
		}, false, apierrors.IsBadRequest, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, changed, err := widgets.Updated("test", "guaranteed update", "ns1", "a", cur, tc.fn)
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("error %v of the wrong kind", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if changed != tc.wantChanged {
				t.Errorf("changed %v, want %v", changed, tc.wantChanged)
			}
			w := got.(*storetest.Widget)
			if w.Spec.Node != tc.wantNode || w.ResourceVersion != "7" {
				t.Errorf("node %q resourceVersion %q, want %q and 7", w.Spec.Node, w.ResourceVersion, tc.wantNode)
			}
			if got == runtime.MetaObject(cur) || cur.Spec.Node != "n1" {
				t.Errorf("the stored object was handed to fn or changed")
			}
		})
	}
}

func TestWatchStart(t *testing.T) {
	widgets, gizmos := testResources(t)
	if err := widgets.WatchStart("ns1", store.WatchOptions{Revision: 3}); err != nil {
		t.Errorf("valid watch: %v", err)
	}
	if err := widgets.WatchStart("ns1", store.WatchOptions{Revision: -1}); !apierrors.IsBadRequest(err) {
		t.Errorf("negative revision: error %v, want a BadRequest", err)
	}
	if err := gizmos.WatchStart("ns1", store.WatchOptions{}); !apierrors.IsBadRequest(err) {
		t.Errorf("namespace of a cluster-scoped resource: error %v, want a BadRequest", err)
	}
}

func TestInitialEvent(t *testing.T) {
	widgets, _ := testResources(t)
	obj := widget("ns1", "a", "n1", "", nil)
	for _, share := range []bool{false, true} {
		ev := widgets.InitialEvent(obj, 0, share)
		if ev.Type != watch.Added || (ev.Object == runtime.Object(obj)) != share {
			t.Errorf("share %v: %s event, stored object handed out %v", share, ev.Type, ev.Object == runtime.Object(obj))
		}
		if d := cmp.Diff(runtime.Object(obj), ev.Object); d != "" {
			t.Errorf("share %v: object (-want +got):\n%s", share, d)
		}
	}
	ev := widgets.InitialEvent(nil, 12, false)
	if d := cmp.Diff(watch.Event[runtime.Object]{Type: watch.Bookmark, Object: widgets.Bookmark(12, true)}, ev); d != "" {
		t.Errorf("initial-events bookmark (-want +got):\n%s", d)
	}
}

func TestPrepareUpdate(t *testing.T) {
	created := meta.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	stored := meta.ObjectMeta{Namespace: "ns1", Name: "a", UID: "u1", GenerateName: "a-", Generation: 3, CreationTimestamp: created, ResourceVersion: "7"}
	rv := func(s string) *string { return &s }
	uid := func(s meta.UID) *meta.UID { return &s }
	cases := []struct {
		name         string
		m            meta.ObjectMeta
		want         int64
		pre          *meta.Preconditions
		wantConflict bool
		wantErr      bool
		wantMeta     meta.ObjectMeta
	}{
		{name: "unconditional, store fields carried over", m: meta.ObjectMeta{Namespace: "ns1", Name: "a"},
			wantMeta: meta.ObjectMeta{Namespace: "ns1", Name: "a", UID: "u1", GenerateName: "a-", Generation: 3, CreationTimestamp: created}},
		{name: "current resourceVersion, own generation kept", m: meta.ObjectMeta{Namespace: "ns1", Name: "a", Generation: 4, GenerateName: "b-"}, want: 7,
			wantMeta: meta.ObjectMeta{Namespace: "ns1", Name: "a", UID: "u1", GenerateName: "b-", Generation: 4, CreationTimestamp: created}},
		{name: "stale resourceVersion", m: meta.ObjectMeta{Namespace: "ns1", Name: "a"}, want: 6, wantConflict: true, wantErr: true},
		{name: "other UID", m: meta.ObjectMeta{Namespace: "ns1", Name: "a", UID: "u2"}, wantErr: true},
		{name: "UID precondition fails", m: meta.ObjectMeta{Namespace: "ns1", Name: "a"}, pre: &meta.Preconditions{UID: uid("u2")}, wantErr: true},
		{name: "resourceVersion precondition fails", m: meta.ObjectMeta{Namespace: "ns1", Name: "a"}, pre: &meta.Preconditions{ResourceVersion: rv("6")}, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.m
			cur := stored
			conflict, err := PrepareUpdate("update", storetest.Widgets, &m, &cur, 7, tc.want, tc.pre)
			if conflict != tc.wantConflict {
				t.Errorf("conflict %v, want %v", conflict, tc.wantConflict)
			}
			if tc.wantErr {
				if !apierrors.IsConflict(err) {
					t.Fatalf("error %v, want a Conflict", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.wantMeta, m); d != "" {
				t.Errorf("metadata (-want +got):\n%s", d)
			}
			if d := cmp.Diff(stored, cur); d != "" {
				t.Errorf("stored metadata changed (-want +got):\n%s", d)
			}
		})
	}
}

func TestDropFront(t *testing.T) {
	big := make([]*int, 2000)
	for i := range big {
		v := i
		big[i] = &v
	}
	backing := big
	got := DropFront(big, 1800)
	if len(got) != 200 || *got[0] != 1800 {
		t.Fatalf("kept %d starting at %d, want 200 starting at 1800", len(got), *got[0])
	}
	if cap(got) >= 1000 {
		t.Errorf("capacity %d kept for 200 elements, want a smaller array", cap(got))
	}
	for i, p := range backing[:1800] {
		if p != nil {
			t.Fatalf("dropped element %d not cleared", i)
		}
	}
	small := []int{1, 2, 3}
	if d := cmp.Diff([]int{3}, DropFront(small, 2)); d != "" {
		t.Errorf("small history (-want +got):\n%s", d)
	}
}
