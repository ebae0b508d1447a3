package runtime_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

func TestAddResourceDefaultsAndCopies(t *testing.T) {
	s := newTestScheme(t)
	r, err := s.Resource(appsGV.WithResource("widgets"))
	require.NoError(t, err)
	want := runtime.ResourceInfo{
		GroupVersionResource: appsGV.WithResource("widgets"), Kind: "Widget", ListKind: "WidgetList",
		Singular: "widget", ShortNames: []string{"wd"}, Categories: []string{"all"}, Namespaced: true,
		Subresources: []string{"status", "scale"},
		Verbs:        []string{"get", "list", "watch", "create", "update", "patch", "delete"},
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Resource (-want +got):\n%s", diff)
	}
	assert.Equal(t, appsGV.WithKind("Widget"), r.GroupVersionKind())
	assert.True(t, r.HasSubresource("scale"))
	assert.False(t, r.HasSubresource("log"))
	assert.True(t, r.HasVerb("watch"))

	// The result is a copy: changing it does not change the scheme.
	r.ShortNames[0] = "zz"
	again, err := s.Resource(appsGV.WithResource("widgets"))
	require.NoError(t, err)
	assert.Equal(t, []string{"wd"}, again.ShortNames)

	byKind, err := s.ResourceForKind(coreGV.WithKind("Gizmo"))
	require.NoError(t, err)
	assert.Equal(t, "gizmos", byKind.Resource)
	assert.False(t, byKind.Namespaced)

	_, err = s.ResourceForKind(coreGV.WithKind("GizmoList"))
	assert.ErrorIs(t, err, runtime.ErrNotRegistered)
	_, err = s.Resource(otherGV.WithResource("widgets"))
	assert.ErrorIs(t, err, runtime.ErrNotRegistered)
}

func TestAddResourceErrors(t *testing.T) {
	tests := []struct {
		name    string
		info    runtime.ResourceInfo
		wantErr error
	}{
		{"kind not registered", runtime.ResourceInfo{GroupVersionResource: otherGV.WithResource("things"), Kind: "Thing"},
			runtime.ErrNotRegistered},
		{"kind not in that version", runtime.ResourceInfo{GroupVersionResource: otherGV.WithResource("widgets"), Kind: "Widget"},
			runtime.ErrNotRegistered},
		{"list kind not registered", runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("gizmos2"), Kind: "Gizmo",
			ListKind: "Gizmos"}, runtime.ErrNotRegistered},
		{"no kind", runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("x")}, runtime.ErrInvalidRegistration},
		{"no version", runtime.ResourceInfo{GroupVersionResource: schema.GroupVersionResource{Resource: "x"}, Kind: "Gizmo"},
			runtime.ErrInvalidRegistration},
		{"uppercase plural", runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("Gizmos"), Kind: "Gizmo"},
			runtime.ErrInvalidRegistration},
		{"bad short name", runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("gizmos2"), Kind: "Gizmo",
			Singular: "gizmo2", ShortNames: []string{"g z"}}, runtime.ErrInvalidRegistration},
		{"resource twice", runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("gizmos"), Kind: "Gizmo"},
			runtime.ErrInvalidRegistration},
		{"kind served twice in one version", runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("gizmos2"),
			Kind: "Gizmo", Singular: "gizmo2"}, runtime.ErrInvalidRegistration},
		{"short name taken in group", runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("gadgets"),
			Kind: "GizmoList", ShortNames: []string{"gz"}}, runtime.ErrInvalidRegistration},
		{"singular equals another plural", runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("gadgets"),
			Kind: "GizmoList", Singular: "gizmos"}, runtime.ErrInvalidRegistration},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestScheme(t)
			before := s.Resources()
			err := s.AddResource(tc.info)
			assert.ErrorIs(t, err, tc.wantErr)
			assert.Equal(t, before, s.Resources(), "a failed AddResource changes nothing")
		})
	}
}

func TestResourceFor(t *testing.T) {
	s := newTestScheme(t)
	// Another group with a "widgets" resource, and one more group sharing a short name.
	require.NoError(t, s.AddKnownTypes(otherGV, &Widget{}, &Gizmo{}))
	require.NoError(t, s.AddResource(runtime.ResourceInfo{GroupVersionResource: otherGV.WithResource("widgets"),
		Kind: "Widget", ShortNames: []string{"ow"}}))
	require.NoError(t, s.AddResource(runtime.ResourceInfo{GroupVersionResource: otherGV.WithResource("gizmos"),
		Kind: "Gizmo", ShortNames: []string{"gz"}}))

	tests := []struct {
		name    string
		in      string
		want    schema.GroupVersionResource
		wantErr error
	}{
		{"core plural wins over other group", "gizmos", coreGV.WithResource("gizmos"), nil},
		{"core short name wins", "gz", coreGV.WithResource("gizmos"), nil},
		{"singular", "gizmo", coreGV.WithResource("gizmos"), nil},
		{"kind, any case", "Gizmo", coreGV.WithResource("gizmos"), nil},
		{"upper case plural", "GIZMOS", coreGV.WithResource("gizmos"), nil},
		{"qualified by group", "gizmos.other.test", otherGV.WithResource("gizmos"), nil},
		{"short name qualified by group", "gz.other.test", otherGV.WithResource("gizmos"), nil},
		{"qualified by version and group", "widgets.v2.apps.test", apps2GV.WithResource("widgets"), nil},
		{"preferred version", "widgets.apps.test", appsGV.WithResource("widgets"), nil},
		{"unique short name", "ow", otherGV.WithResource("widgets"), nil},
		{"ambiguous across non-core groups", "widgets", schema.GroupVersionResource{}, runtime.ErrAmbiguousResource},
		{"ambiguous short name", "widget", schema.GroupVersionResource{}, runtime.ErrAmbiguousResource},
		{"unknown", "pods", schema.GroupVersionResource{}, runtime.ErrNotRegistered},
		{"unknown group", "widgets.nope.test", schema.GroupVersionResource{}, runtime.ErrNotRegistered},
		{"unknown version in group", "widgets.v9.apps.test", schema.GroupVersionResource{}, runtime.ErrNotRegistered},
		{"empty", "", schema.GroupVersionResource{}, runtime.ErrNotRegistered},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ResourceFor(tc.in)
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.GroupVersionResource)
		})
	}

	_, err := s.ResourceFor("widgets")
	var amb *runtime.AmbiguousResourceError
	require.ErrorAs(t, err, &amb)
	assert.Equal(t, []schema.GroupVersionResource{appsGV.WithResource("widgets"), otherGV.WithResource("widgets")}, amb.Matches)
	assert.Contains(t, err.Error(), "widgets.apps.test, widgets.other.test")
}

func TestResourcesSorted(t *testing.T) {
	s := newTestScheme(t)
	require.NoError(t, s.SetVersionPriority(apps2GV))
	var got []schema.GroupVersionResource
	for _, r := range s.Resources() {
		got = append(got, r.GroupVersionResource)
	}
	want := []schema.GroupVersionResource{
		coreGV.WithResource("gizmos"), apps2GV.WithResource("widgets"), appsGV.WithResource("widgets"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Resources (-want +got):\n%s", diff)
	}
}

func TestResourcesInCategory(t *testing.T) {
	s := newTestScheme(t)
	require.NoError(t, s.AddResource(runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("gizmolists"),
		Kind: "GizmoList", Categories: []string{"all", "extra"}}))
	names := func(rs []runtime.ResourceInfo) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.GroupVersionResource.String())
		}
		return out
	}
	assert.Equal(t, []string{"v1, Resource=gizmolists", "apps.test/v1, Resource=widgets"}, names(s.ResourcesInCategory("all")))
	require.NoError(t, s.SetVersionPriority(apps2GV))
	assert.Equal(t, []string{"v1, Resource=gizmolists", "apps.test/v2, Resource=widgets"}, names(s.ResourcesInCategory("all")))
	assert.Equal(t, []string{"v1, Resource=gizmolists"}, names(s.ResourcesInCategory("extra")))
	assert.Empty(t, s.ResourcesInCategory("none"))
}
