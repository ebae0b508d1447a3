package v1_test

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
	rbacv1 "github.com/cellkit/cellkit/apimachinery/apis/rbac/v1"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	registrytest.Check(t, rbacv1.AddToScheme, rbacv1.SchemeGroupVersion(), []string{"ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList"},
		[]registrytest.Want{
			{Plural: "clusterrolebindings", Singular: "clusterrolebinding", Kind: "ClusterRoleBinding",
				ListKind: "ClusterRoleBindingList", Verbs: full},
			{Plural: "clusterroles", Singular: "clusterrole", Kind: "ClusterRole", ListKind: "ClusterRoleList", Verbs: full},
			{Plural: "rolebindings", Singular: "rolebinding", Kind: "RoleBinding", ListKind: "RoleBindingList",
				Namespaced: true, Verbs: full},
			{Plural: "roles", Singular: "role", Kind: "Role", ListKind: "RoleList", Namespaced: true, Verbs: full},
		})
}
