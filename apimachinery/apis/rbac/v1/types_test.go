package v1_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	rbacv1 "github.com/cellkit/cellkit/apimachinery/apis/rbac/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*rbacv1.PolicyRule).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.Subject).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.RoleRef).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.Role).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.RoleList).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.RoleBinding).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.RoleBindingList).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.ClusterRole).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.ClusterRoleList).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.AggregationRule).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.ClusterRoleBinding).DeepCopy),
		apitest.DeepCopyCase((*rbacv1.ClusterRoleBindingList).DeepCopy),
	}, apitest.Options{})
}

func TestManifests(t *testing.T) {
	examples := filepath.Join("testdata", "kubernetes-examples")
	own := filepath.Join("testdata", "rbac.yaml")
	t.Run("examples", func(t *testing.T) {
		adapter := filepath.Join(examples, "prometheus-adapter.yaml")
		apitest.CheckManifests[rbacv1.ClusterRole](t, adapter, "ClusterRole", 1)
		apitest.CheckManifests[rbacv1.ClusterRoleBinding](t, adapter, "ClusterRoleBinding", 2)
		apitest.CheckManifests[rbacv1.RoleBinding](t, adapter, "RoleBinding", 1)
		apitest.CheckManifests[rbacv1.ClusterRole](t, filepath.Join(examples, "psp-roles.yaml"), "ClusterRole", 2)
		apitest.CheckManifests[rbacv1.ClusterRoleBinding](t, filepath.Join(examples, "psp-bindings.yaml"), "ClusterRoleBinding", 3)
	})
	t.Run("own", func(t *testing.T) {
		apitest.CheckManifests[rbacv1.ClusterRole](t, own, "ClusterRole", 1)
		apitest.CheckManifests[rbacv1.Role](t, own, "Role", 1)
		apitest.CheckManifests[rbacv1.RoleBinding](t, own, "RoleBinding", 1)
		apitest.CheckManifests[rbacv1.ClusterRoleBinding](t, own, "ClusterRoleBinding", 1)
	})
}

func TestWireFormat(t *testing.T) {
	tests := []struct {
		name string
		obj  any
		want string
	}{
		{
			name: "rules and verbs are written even when empty",
			obj:  &rbacv1.Role{ObjectMeta: meta.ObjectMeta{Name: "r"}},
			want: `{"metadata":{"name":"r","creationTimestamp":null},"rules":null}`,
		},
		{
			name: "policy rule verbs are required",
			obj:  &rbacv1.PolicyRule{},
			want: `{"verbs":null}`,
		},
		{
			name: "role ref fields are required",
			obj:  &rbacv1.RoleBinding{},
			want: `{"metadata":{"creationTimestamp":null},"roleRef":{"apiGroup":"","kind":"","name":""}}`,
		},
		{
			name: "aggregation rule is omitted when nil",
			obj:  &rbacv1.ClusterRole{Rules: []rbacv1.PolicyRule{}},
			want: `{"metadata":{"creationTimestamp":null},"rules":[]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.obj)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("json.Marshal =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"ClusterRole","metadata":{"name":"x"},"rules":[{"verbs":["get"],"nonResourceURLs":["/healthz"]}],"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"a":"b"}}]}}`))
	f.Add([]byte(`{"subjects":[{"kind":"User","name":"jane"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checks := []func([]byte) error{
			func(d []byte) error { return apitest.CheckJSONStable(d, (*rbacv1.ClusterRole).DeepCopy) },
			func(d []byte) error { return apitest.CheckJSONStable(d, (*rbacv1.Role).DeepCopy) },
			func(d []byte) error { return apitest.CheckJSONStable(d, (*rbacv1.RoleBinding).DeepCopy) },
			func(d []byte) error { return apitest.CheckJSONStable(d, (*rbacv1.ClusterRoleBindingList).DeepCopy) },
		}
		for _, check := range checks {
			if err := check(data); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func ExampleRoleBinding() {
	binding := rbacv1.RoleBinding{
		ObjectMeta: meta.ObjectMeta{Name: "read-pods", Namespace: "default"},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Name: "builder", Namespace: "ci"}},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: "pod-reader"},
	}
	out, _ := json.Marshal(binding.Subjects)
	fmt.Println(string(out))
	fmt.Println(binding.RoleRef.APIGroup)
	// Output:
	// [{"kind":"ServiceAccount","name":"builder","namespace":"ci"}]
	// rbac.authorization.k8s.io
}
