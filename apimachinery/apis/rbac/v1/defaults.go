package v1

import "github.com/cellkit/cellkit/apimachinery/runtime"

// DefaultSubjects sets the apiGroup of User and Group subjects to rbac.authorization.k8s.io
// when it is empty, as the Kubernetes API server does (ServiceAccount subjects keep the empty
// core group). It only sets unset fields, so applying it twice equals applying it once.
func DefaultSubjects(subjects []Subject) {
	for i := range subjects {
		s := &subjects[i]
		if s.APIGroup == "" && (s.Kind == UserKind || s.Kind == GroupKind) {
			s.APIGroup = GroupName
		}
	}
}

// DefaultRoleBinding defaults the binding's subjects and an empty roleRef apiGroup.
func DefaultRoleBinding(b *RoleBinding) {
	if b == nil {
		return
	}
	DefaultSubjects(b.Subjects)
	if b.RoleRef.APIGroup == "" {
		b.RoleRef.APIGroup = GroupName
	}
}

// DefaultClusterRoleBinding defaults the binding's subjects and an empty roleRef apiGroup.
func DefaultClusterRoleBinding(b *ClusterRoleBinding) {
	if b == nil {
		return
	}
	DefaultSubjects(b.Subjects)
	if b.RoleRef.APIGroup == "" {
		b.RoleRef.APIGroup = GroupName
	}
}

// RegisterDefaults registers the binding defaulting functions with s, for the kinds and every
// item of their lists.
func RegisterDefaults(s *runtime.Scheme) error {
	regs := []struct {
		obj runtime.Object
		fn  func(runtime.Object)
	}{
		{&RoleBinding{}, func(o runtime.Object) { DefaultRoleBinding(o.(*RoleBinding)) }},
		{&RoleBindingList{}, func(o runtime.Object) {
			for i := range o.(*RoleBindingList).Items {
				DefaultRoleBinding(&o.(*RoleBindingList).Items[i])
			}
		}},
		{&ClusterRoleBinding{}, func(o runtime.Object) { DefaultClusterRoleBinding(o.(*ClusterRoleBinding)) }},
		{&ClusterRoleBindingList{}, func(o runtime.Object) {
			for i := range o.(*ClusterRoleBindingList).Items {
				DefaultClusterRoleBinding(&o.(*ClusterRoleBindingList).Items[i])
			}
		}},
	}
	for _, r := range regs {
		if err := s.AddDefaultingFunc(r.obj, r.fn); err != nil {
			return err
		}
	}
	return nil
}
