package backend

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/storetest"
)

// testResources returns the storetest resources checked by NewResources.
func testResources(t *testing.T) (widgets, gizmos *Resource) {
	t.Helper()
	res, err := NewResources(storetest.Resources())
	if err != nil {
		t.Fatal(err)
	}
	return res[storetest.Widgets], res[storetest.Gizmos]
}

func widget(ns, name, node, phase string, lbls map[string]string) *storetest.Widget {
	w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Labels: lbls}}
	w.Spec.Node, w.Status.Phase = node, phase
	return w
}

func mustLabels(t *testing.T, s string) labels.Selector {
	t.Helper()
	l, err := labels.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// mustFields parses s; "" is no selector (nil).
func mustFields(t *testing.T, s string) fields.Selector {
	t.Helper()
	if s == "" {
		return nil
	}
	f, err := fields.ParseSelector(s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSelectorMatches(t *testing.T) {
	widgets, _ := testResources(t)
	obj := widget("ns1", "a", "n1", "Running", map[string]string{"app": "web"})
	cases := []struct {
		name   string
		labels string
		fields string
		want   bool
		empty  bool
	}{
		{name: "no selectors", want: true, empty: true},
		{name: "label matches", labels: "app=web", want: true},
		{name: "label differs", labels: "app=db", want: false},
		{name: "indexed field matches", fields: "spec.node=n1", want: true},
		{name: "plain field differs", fields: "status.phase=Pending", want: false},
		{name: "metadata name", fields: "metadata.name=a", want: true},
		{name: "metadata namespace differs", fields: "metadata.namespace=ns2", want: false},
		{name: "both match", labels: "app", fields: "spec.node!=n2", want: true},
		{name: "label matches field not", labels: "app", fields: "spec.node=n2", want: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var l labels.Selector
			var f fields.Selector
			if tc.labels != "" {
				l = mustLabels(t, tc.labels)
			}
			if tc.fields != "" {
				f = mustFields(t, tc.fields)
			}
			s := widgets.Selector("ns1", l, f)
			if got := s.Matches(obj); got != tc.want {
				t.Errorf("Matches = %v, want %v", got, tc.want)
			}
			if got := s.Empty(); got != tc.empty {
				t.Errorf("Empty = %v, want %v", got, tc.empty)
			}
		})
	}
}

func TestSelectorDropsEmptySelectors(t *testing.T) {
	widgets, _ := testResources(t)
	s := widgets.Selector("ns1", labels.Everything(), fields.Everything())
	if s.Labels != nil || s.Fields != nil || !s.Empty() {
		t.Errorf("empty selectors kept: labels %v fields %v", s.Labels, s.Fields)
	}
}

func TestSelectorRoute(t *testing.T) {
	widgets, gizmos := testResources(t)
	cases := []struct {
		name   string
		res    *Resource
		ns     string
		fields string
		want   Route
	}{
		{"everything", widgets, "", "", Route{Kind: RouteAll}},
		{"namespace", widgets, "ns1", "", Route{Kind: RouteNS, NS: "ns1"}},
		{"name in namespace", widgets, "ns1", "metadata.name=a", Route{Kind: RouteName, NS: "ns1", Name: "a"}},
		{"name across namespaces", widgets, "", "metadata.name=a", Route{Kind: RouteAll}},
		{"cluster-scoped name", gizmos, "", "metadata.name=g", Route{Kind: RouteName, Name: "g"}},
		{"indexed field wins over name", widgets, "ns1", "metadata.name=a,spec.node=n1", Route{Kind: RouteField, Field: 0, Value: "n1"}},
		{"indexed field not equal", widgets, "ns1", "spec.node!=n1", Route{Kind: RouteNS, NS: "ns1"}},
		{"plain field", widgets, "ns1", "status.phase=x", Route{Kind: RouteNS, NS: "ns1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := mustFields(t, tc.fields)
			s := tc.res.Selector(tc.ns, nil, f)
			if d := cmp.Diff(tc.want, s.Route()); d != "" {
				t.Errorf("Route (-want +got):\n%s", d)
			}
			i, v, ok := s.Indexed()
			if wantOK := tc.want.Kind == RouteField; ok != wantOK || ok && (i != tc.want.Field || v != tc.want.Value) {
				t.Errorf("Indexed = %d %q %v, want the route's field", i, v, ok)
			}
		})
	}
}

func TestBookmark(t *testing.T) {
	widgets, _ := testResources(t)
	for _, end := range []bool{false, true} {
		o := widgets.Bookmark(42, end)
		want := &storetest.Widget{
			TypeMeta:   meta.TypeMeta{APIVersion: storetest.Group + "/v1", Kind: "Widget"},
			ObjectMeta: meta.ObjectMeta{ResourceVersion: "42"},
		}
		if end {
			want.Annotations = map[string]string{store.InitialEventsEndAnnotation: "true"}
		}
		if d := cmp.Diff(runtime.MetaObject(want), o); d != "" {
			t.Errorf("Bookmark(42, %v) (-want +got):\n%s", end, d)
		}
	}
}
