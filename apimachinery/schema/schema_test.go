package schema_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/schema"
)

func TestParseGroupVersion(t *testing.T) {
	tests := []struct {
		in      string
		want    schema.GroupVersion
		wantErr bool
	}{
		{"", schema.GroupVersion{}, false},
		{"v1", schema.GroupVersion{Version: "v1"}, false},
		{"apps/v1", schema.GroupVersion{Group: "apps", Version: "v1"}, false},
		{"rbac.authorization.k8s.io/v1", schema.GroupVersion{Group: "rbac.authorization.k8s.io", Version: "v1"}, false},
		{"autoscaling/v2beta2", schema.GroupVersion{Group: "autoscaling", Version: "v2beta2"}, false},
		{"/v1", schema.GroupVersion{}, true},
		{"apps/", schema.GroupVersion{}, true},
		{"/", schema.GroupVersion{}, true},
		{"a/b/c", schema.GroupVersion{}, true},
		{"apps//v1", schema.GroupVersion{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := schema.ParseGroupVersion(tc.in)
			if tc.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.in)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.in, got.String(), "String is the inverse of parsing")
		})
	}
}

func TestParseGroupResource(t *testing.T) {
	tests := []struct {
		in   string
		want schema.GroupResource
	}{
		{"pods", schema.GroupResource{Resource: "pods"}},
		{"deployments.apps", schema.GroupResource{Group: "apps", Resource: "deployments"}},
		{"roles.rbac.authorization.k8s.io", schema.GroupResource{Group: "rbac.authorization.k8s.io", Resource: "roles"}},
		{"", schema.GroupResource{}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := schema.ParseGroupResource(tc.in)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.in, got.String())
		})
	}
}

func TestAPIVersionAndKind(t *testing.T) {
	tests := []struct {
		apiVersion, kind string
		want             schema.GroupVersionKind
		str              string
	}{
		{"v1", "Pod", schema.GroupVersionKind{Version: "v1", Kind: "Pod"}, "v1, Kind=Pod"},
		{"apps/v1", "Deployment", schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}, "apps/v1, Kind=Deployment"},
		{"bad/a/b", "Pod", schema.GroupVersionKind{Kind: "Pod"}, ", Kind=Pod"},
		{"", "", schema.GroupVersionKind{}, ", Kind="},
	}
	for _, tc := range tests {
		t.Run(tc.str, func(t *testing.T) {
			gvk := schema.FromAPIVersionAndKind(tc.apiVersion, tc.kind)
			assert.Equal(t, tc.want, gvk)
			assert.Equal(t, tc.str, gvk.String())
			if tc.apiVersion != "bad/a/b" {
				av, k := gvk.ToAPIVersionAndKind()
				assert.Equal(t, tc.apiVersion, av)
				assert.Equal(t, tc.kind, k)
			}
		})
	}
	assert.True(t, schema.GroupVersionKind{}.Empty())
	assert.False(t, schema.GroupVersionKind{Kind: "X"}.Empty())
}

func TestConversions(t *testing.T) {
	gv := schema.GroupVersion{Group: "apps", Version: "v1"}
	gvk := gv.WithKind("Deployment")
	assert.Equal(t, gv, gvk.GroupVersion())
	assert.Equal(t, schema.GroupKind{Group: "apps", Kind: "Deployment"}, gvk.GroupKind())
	assert.Equal(t, "Deployment.apps", gvk.GroupKind().String())
	assert.Equal(t, "Pod", schema.GroupKind{Kind: "Pod"}.String())
	assert.Equal(t, schema.GroupVersionKind{Group: "apps", Version: "v2", Kind: "Deployment"}, gvk.GroupKind().WithVersion("v2"))

	gvr := gv.WithResource("deployments")
	assert.Equal(t, "apps/v1, Resource=deployments", gvr.String())
	assert.Equal(t, gv, gvr.GroupVersion())
	assert.Equal(t, schema.GroupResource{Group: "apps", Resource: "deployments"}, gvr.GroupResource())
	assert.Equal(t, gvr, gvr.GroupResource().WithVersion("v1"))
	assert.False(t, gvr.Empty())
	assert.True(t, schema.GroupVersionResource{}.Empty())
	assert.True(t, schema.GroupVersion{}.Empty())
	assert.False(t, schema.GroupVersion{Version: "v1"}.Empty())
}

// FuzzParseGroupVersion: parsing never panics, and what parses prints back to the same string.
func FuzzParseGroupVersion(f *testing.F) {
	for _, s := range []string{"", "v1", "apps/v1", "/", "a/b/c", "x.io/v1beta1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gv, err := schema.ParseGroupVersion(s)
		if err != nil {
			return
		}
		if gv.String() != s {
			t.Fatalf("ParseGroupVersion(%q) = %#v, which prints as %q", s, gv, gv.String())
		}
		if again, err := schema.ParseGroupVersion(gv.String()); err != nil || again != gv {
			t.Fatalf("reparse of %q: %#v, %v", gv.String(), again, err)
		}
	})
}
