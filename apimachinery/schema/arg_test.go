package schema_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/schema"
)

func TestParseResourceArg(t *testing.T) {
	tests := []struct {
		name    string
		arg     string
		wantGVR *schema.GroupVersionResource
		wantGR  schema.GroupResource
	}{
		{"core resource", "pods", nil, schema.GroupResource{Resource: "pods"}},
		{"group resource", "deployments.apps", nil, schema.GroupResource{Group: "apps", Resource: "deployments"}},
		{"fully qualified", "deployments.v1.apps",
			&schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"},
			schema.GroupResource{Group: "v1.apps", Resource: "deployments"}},
		{"dotted group", "leases.v1.coordination.k8s.io",
			&schema.GroupVersionResource{Group: "coordination.k8s.io", Version: "v1", Resource: "leases"},
			schema.GroupResource{Group: "v1.coordination.k8s.io", Resource: "leases"}},
		{"empty", "", nil, schema.GroupResource{}},
		{"trailing dot", "pods.", nil, schema.GroupResource{Resource: "pods"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gvr, gr := schema.ParseResourceArg(tc.arg)
			if diff := cmp.Diff(tc.wantGVR, gvr); diff != "" {
				t.Errorf("GroupVersionResource (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantGR, gr); diff != "" {
				t.Errorf("GroupResource (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseKindArg(t *testing.T) {
	tests := []struct {
		name    string
		arg     string
		wantGVK *schema.GroupVersionKind
		wantGK  schema.GroupKind
	}{
		{"core kind", "Pod", nil, schema.GroupKind{Kind: "Pod"}},
		{"group kind", "Deployment.apps", nil, schema.GroupKind{Group: "apps", Kind: "Deployment"}},
		{"fully qualified", "Deployment.v1.apps",
			&schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"},
			schema.GroupKind{Group: "v1.apps", Kind: "Deployment"}},
		{"dotted group", "Lease.v1.coordination.k8s.io",
			&schema.GroupVersionKind{Group: "coordination.k8s.io", Version: "v1", Kind: "Lease"},
			schema.GroupKind{Group: "v1.coordination.k8s.io", Kind: "Lease"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gvk, gk := schema.ParseKindArg(tc.arg)
			if diff := cmp.Diff(tc.wantGVK, gvk); diff != "" {
				t.Errorf("GroupVersionKind (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantGK, gk); diff != "" {
				t.Errorf("GroupKind (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseArgs: the resource and kind parsers never panic, GroupKind and GroupResource print
// back to their input, and a fully qualified reading prints back to it too.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{"pods", "deployments.apps", "deployments.v1.apps", "leases.v1.coordination.k8s.io", "", ".", "..", "a..b", "Pod."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gvr, gr := schema.ParseResourceArg(s)
		gvk, gk := schema.ParseKindArg(s)
		if gr != schema.ParseGroupResource(s) || gk != schema.ParseGroupKind(s) {
			t.Fatalf("%q: the group readings differ from ParseGroupResource/ParseGroupKind", s)
		}
		if gk.Group != "" && gk.String() != s {
			t.Fatalf("ParseGroupKind(%q) = %#v prints as %q", s, gk, gk.String())
		}
		if (gvr == nil) != (gvk == nil) || (gvr == nil) != (strings.Count(s, ".") < 2) {
			t.Fatalf("%q: full readings %v and %v disagree with the number of dots", s, gvr, gvk)
		}
		if gvr != nil {
			if got := gvr.Resource + "." + gvr.Version + "." + gvr.Group; got != s {
				t.Fatalf("ParseResourceArg(%q) = %#v, which joins to %q", s, *gvr, got)
			}
			if gvk.Kind != gvr.Resource || gvk.Version != gvr.Version || gvk.Group != gvr.Group {
				t.Fatalf("%q: kind reading %#v differs from resource reading %#v", s, *gvk, *gvr)
			}
		}
	})
}
