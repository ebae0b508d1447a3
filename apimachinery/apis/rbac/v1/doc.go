// Package v1 holds the rbac.authorization.k8s.io/v1 API types: Role and ClusterRole (sets of
// PolicyRules that allow verbs on resources or non-resource URLs), RoleBinding and
// ClusterRoleBinding (grants of a role to Subjects), and AggregationRule (a ClusterRole whose
// rules the controller fills from other ClusterRoles picked by label). Field names, JSON tags and
// pointer-ness follow Kubernetes exactly.
//
// Usage: import as rbacv1 and build the objects an authorizer reads:
//
//	role := &rbacv1.Role{
//		ObjectMeta: meta.ObjectMeta{Name: "pod-reader", Namespace: "default"},
//		Rules: []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"get", "list", "watch"}}},
//	}
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
