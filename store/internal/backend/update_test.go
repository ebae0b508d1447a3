package backend

import (
	"errors"
	"testing"

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
