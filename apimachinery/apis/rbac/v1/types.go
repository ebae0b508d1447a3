package v1

import "github.com/cellkit/cellkit/apimachinery/meta"

// GroupName is the API group of this package.
const GroupName = "rbac.authorization.k8s.io"

// Well-known values of rules and subjects.
const (
	// APIGroupAll matches every API group in a PolicyRule.
	APIGroupAll = "*"
	// ResourceAll matches every resource in a PolicyRule.
	ResourceAll = "*"
	// VerbAll matches every verb in a PolicyRule.
	VerbAll = "*"
	// NonResourceAll matches every non-resource URL in a PolicyRule.
	NonResourceAll = "*"

	// GroupKind is the Subject kind of a group of users.
	GroupKind = "Group"
	// ServiceAccountKind is the Subject kind of a service account.
	ServiceAccountKind = "ServiceAccount"
	// UserKind is the Subject kind of a user.
	UserKind = "User"

	// AutoUpdateAnnotationKey is the annotation that, when "false", stops the API server from
	// reconciling a bootstrap role or binding to its default.
	AutoUpdateAnnotationKey = "rbac.authorization.kubernetes.io/autoupdate"
)

// PolicyRule allows Verbs on the resources it names, or on NonResourceURLs.
type PolicyRule struct {
	// Verbs are the allowed verbs (get, list, watch, create, update, patch, delete, ...); "*"
	// allows all.
	Verbs []string `json:"verbs"`
	// APIGroups are the API groups of Resources; "" is the core group, "*" every group.
	APIGroups []string `json:"apiGroups,omitempty"`
	// Resources are resource names, with "resource/subresource" for subresources; "*" is all.
	Resources []string `json:"resources,omitempty"`
	// ResourceNames, when set, limit the rule to objects with these names.
	ResourceNames []string `json:"resourceNames,omitempty"`
	// NonResourceURLs are URL paths such as "/healthz", with a trailing "*" as a prefix match.
	// Only ClusterRoles may use them, and only with no Resources in the same rule.
	NonResourceURLs []string `json:"nonResourceURLs,omitempty"`
}

// Subject is a user, group or service account a binding grants a role to.
type Subject struct {
	// Kind is User, Group or ServiceAccount.
	Kind string `json:"kind"`
	// APIGroup is "" for ServiceAccount and "rbac.authorization.k8s.io" for User and Group.
	APIGroup string `json:"apiGroup,omitempty"`
	// Name is the name of the subject.
	Name string `json:"name"`
	// Namespace is the namespace of a ServiceAccount subject.
	Namespace string `json:"namespace,omitempty"`
}

// RoleRef names the role a binding grants. It cannot change after the binding is created.
type RoleRef struct {
	// APIGroup is the group of the role, rbac.authorization.k8s.io.
	APIGroup string `json:"apiGroup"`
	// Kind is Role or ClusterRole.
	Kind string `json:"kind"`
	// Name is the name of the role.
	Name string `json:"name"`
}

// Role is a namespaced set of rules.
type Role struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Rules are the permissions of the role.
	Rules []PolicyRule `json:"rules"`
}

// RoleBinding grants a Role, or a ClusterRole within the binding's namespace, to subjects.
type RoleBinding struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Subjects are who the role is granted to.
	Subjects []Subject `json:"subjects,omitempty"`
	// RoleRef is the granted role.
	RoleRef RoleRef `json:"roleRef"`
}

// RoleBindingList is a list of RoleBinding objects.
type RoleBindingList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the role bindings.
	Items []RoleBinding `json:"items"`
}

// RoleList is a list of Role objects.
type RoleList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the roles.
	Items []Role `json:"items"`
}

// ClusterRole is a cluster-wide set of rules, granted cluster-wide by a ClusterRoleBinding or
// within one namespace by a RoleBinding.
type ClusterRole struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Rules are the permissions of the role. With an AggregationRule the controller owns them.
	Rules []PolicyRule `json:"rules"`
	// AggregationRule, when set, makes Rules the union of the rules of the ClusterRoles it
	// selects.
	AggregationRule *AggregationRule `json:"aggregationRule,omitempty"`
}

// AggregationRule selects the ClusterRoles whose rules an aggregated ClusterRole carries.
type AggregationRule struct {
	// ClusterRoleSelectors select ClusterRoles by label; a role matching any selector counts.
	ClusterRoleSelectors []meta.LabelSelector `json:"clusterRoleSelectors,omitempty"`
}

// ClusterRoleBinding grants a ClusterRole to subjects across the whole cluster.
type ClusterRoleBinding struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Subjects are who the role is granted to.
	Subjects []Subject `json:"subjects,omitempty"`
	// RoleRef is the granted ClusterRole.
	RoleRef RoleRef `json:"roleRef"`
}

// ClusterRoleBindingList is a list of ClusterRoleBinding objects.
type ClusterRoleBindingList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the cluster role bindings.
	Items []ClusterRoleBinding `json:"items"`
}

// ClusterRoleList is a list of ClusterRole objects.
type ClusterRoleList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the cluster roles.
	Items []ClusterRole `json:"items"`
}
