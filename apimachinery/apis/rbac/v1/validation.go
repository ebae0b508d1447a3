package v1

import (
	"strings"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// Validation: the Validate functions check RBAC objects as the Kubernetes API server does and
// return every problem as a field.ErrorList with Kubernetes' paths and messages. Names of RBAC
// objects need only be usable as one URL path segment (so "system:controller:x" is valid).

// NameIsPathSegment is the name rule of RBAC objects: not "." or "..", and no "/" or "%".
func NameIsPathSegment(name string, prefix bool) []string {
	if !prefix {
		switch name {
		case ".", "..":
			return []string{"may not be '" + name + "'"}
		}
	}
	var errs []string
	for _, bad := range []string{"/", "%"} {
		if strings.Contains(name, bad) {
			errs = append(errs, "may not contain '"+bad+"'")
		}
	}
	return errs
}

func metaPath() *field.Path { return field.NewPath("metadata") }

// ValidatePolicyRule checks one rule: it has verbs; it covers either resources (with API groups
// and resources) or non-resource URLs (only in cluster roles), not both.
func ValidatePolicyRule(r PolicyRule, namespaced bool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if len(r.Verbs) == 0 {
		errs = append(errs, field.Required(p.Child("verbs"), "verbs must contain at least one value"))
	}
	if len(r.NonResourceURLs) > 0 {
		if namespaced {
			errs = append(errs, field.Invalid(p.Child("nonResourceURLs"), r.NonResourceURLs, "namespaced rules cannot apply to non-resource URLs"))
		}
		if len(r.APIGroups) > 0 || len(r.Resources) > 0 || len(r.ResourceNames) > 0 {
			errs = append(errs, field.Invalid(p.Child("nonResourceURLs"), r.NonResourceURLs, "rules cannot apply to both regular resources and non-resource URLs"))
		}
		return errs
	}
	if len(r.APIGroups) == 0 {
		errs = append(errs, field.Required(p.Child("apiGroups"), "resource rules must supply at least one api group"))
	}
	if len(r.Resources) == 0 {
		errs = append(errs, field.Required(p.Child("resources"), "resource rules must supply at least one resource"))
	}
	return errs
}

func validateRules(rules []PolicyRule, namespaced bool) field.ErrorList {
	var errs field.ErrorList
	for i, r := range rules {
		errs = append(errs, ValidatePolicyRule(r, namespaced, field.NewPath("rules").Index(i))...)
	}
	return errs
}

// ValidateRole checks a role: namespaced metadata with a path-segment name and valid rules.
func ValidateRole(r *Role) field.ErrorList {
	errs := validation.ValidateObjectMeta(&r.ObjectMeta, true, NameIsPathSegment, metaPath())
	return append(errs, validateRules(r.Rules, true)...)
}

// ValidateRoleUpdate checks an update of a role.
func ValidateRoleUpdate(n, o *Role) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	return append(errs, validateRules(n.Rules, true)...)
}

// ValidateClusterRole checks a cluster role: cluster-scoped metadata with a path-segment name,
// valid rules, and an aggregation rule with at least one valid selector.
func ValidateClusterRole(r *ClusterRole) field.ErrorList {
	errs := validation.ValidateObjectMeta(&r.ObjectMeta, false, NameIsPathSegment, metaPath())
	return append(errs, validateClusterRoleBody(r)...)
}

func validateClusterRoleBody(r *ClusterRole) field.ErrorList {
	errs := validateRules(r.Rules, false)
	if a := r.AggregationRule; a != nil {
		sp := field.NewPath("aggregationRule", "clusterRoleSelectors")
		if len(a.ClusterRoleSelectors) == 0 {
			errs = append(errs, field.Required(sp, "at least one clusterRoleSelector required if aggregationRule is non-nil"))
		}
		for i := range a.ClusterRoleSelectors {
			errs = append(errs, labels.ValidateLabelSelector(&a.ClusterRoleSelectors[i], sp.Index(i))...)
		}
	}
	return errs
}

// ValidateClusterRoleUpdate checks an update of a cluster role.
func ValidateClusterRoleUpdate(n, o *ClusterRole) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	return append(errs, validateClusterRoleBody(n)...)
}

func validateRoleRef(ref RoleRef, kinds []string) field.ErrorList {
	p := field.NewPath("roleRef")
	var errs field.ErrorList
	if ref.APIGroup != GroupName {
		errs = append(errs, field.NotSupported(p.Child("apiGroup"), ref.APIGroup, []string{GroupName}))
	}
	known := false
	for _, k := range kinds {
		known = known || k == ref.Kind
	}
	if !known {
		errs = append(errs, field.NotSupported(p.Child("kind"), ref.Kind, kinds))
	}
	if ref.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	} else {
		for _, msg := range NameIsPathSegment(ref.Name, false) {
			errs = append(errs, field.Invalid(p.Child("name"), ref.Name, msg))
		}
	}
	return errs
}

// ValidateSubject checks a subject: a known kind with the API group it needs, a name, and
// for service accounts a valid name and (in cluster role bindings) a namespace.
func ValidateSubject(s Subject, namespaced bool, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), ""))
	}
	switch s.Kind {
	case ServiceAccountKind:
		if s.Name != "" {
			for _, msg := range validation.IsDNS1123Subdomain(s.Name) {
				errs = append(errs, field.Invalid(p.Child("name"), s.Name, msg))
			}
		}
		if s.APIGroup != "" {
			errs = append(errs, field.NotSupported(p.Child("apiGroup"), s.APIGroup, []string{""}))
		}
		if s.Namespace == "" && !namespaced {
			errs = append(errs, field.Required(p.Child("namespace"), ""))
		}
	case UserKind, GroupKind:
		if s.APIGroup != GroupName {
			errs = append(errs, field.NotSupported(p.Child("apiGroup"), s.APIGroup, []string{GroupName}))
		}
	default:
		errs = append(errs, field.NotSupported(p.Child("kind"), s.Kind, []string{ServiceAccountKind, UserKind, GroupKind}))
	}
	return errs
}

func validateSubjects(subjects []Subject, namespaced bool) field.ErrorList {
	var errs field.ErrorList
	for i, s := range subjects {
		errs = append(errs, ValidateSubject(s, namespaced, field.NewPath("subjects").Index(i))...)
	}
	return errs
}

// ValidateRoleBinding checks a role binding: namespaced metadata, a roleRef to a Role or
// ClusterRole of rbac.authorization.k8s.io, valid subjects.
func ValidateRoleBinding(b *RoleBinding) field.ErrorList {
	errs := validation.ValidateObjectMeta(&b.ObjectMeta, true, NameIsPathSegment, metaPath())
	errs = append(errs, validateRoleRef(b.RoleRef, []string{"Role", "ClusterRole"})...)
	return append(errs, validateSubjects(b.Subjects, true)...)
}

// ValidateRoleBindingUpdate checks an update of a role binding: the roleRef may not change.
func ValidateRoleBindingUpdate(n, o *RoleBinding) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	errs = append(errs, validateRoleRef(n.RoleRef, []string{"Role", "ClusterRole"})...)
	errs = append(errs, validateSubjects(n.Subjects, true)...)
	return append(errs, roleRefUpdate(n.RoleRef, o.RoleRef)...)
}

func roleRefUpdate(n, o RoleRef) field.ErrorList {
	if n != o {
		return field.ErrorList{field.Invalid(field.NewPath("roleRef"), n, "cannot change roleRef")}
	}
	return nil
}

// ValidateClusterRoleBinding checks a cluster role binding: cluster-scoped metadata, a roleRef
// to a ClusterRole, valid subjects (service accounts with a namespace).
func ValidateClusterRoleBinding(b *ClusterRoleBinding) field.ErrorList {
	errs := validation.ValidateObjectMeta(&b.ObjectMeta, false, NameIsPathSegment, metaPath())
	errs = append(errs, validateRoleRef(b.RoleRef, []string{"ClusterRole"})...)
	return append(errs, validateSubjects(b.Subjects, false)...)
}

// ValidateClusterRoleBindingUpdate checks an update of a cluster role binding: the roleRef may
// not change.
func ValidateClusterRoleBindingUpdate(n, o *ClusterRoleBinding) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	errs = append(errs, validateRoleRef(n.RoleRef, []string{"ClusterRole"})...)
	errs = append(errs, validateSubjects(n.Subjects, false)...)
	return append(errs, roleRefUpdate(n.RoleRef, o.RoleRef)...)
}

var _ validation.ValidateNameFunc = NameIsPathSegment
