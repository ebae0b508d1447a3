package v1_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	rbacv1 "github.com/cellkit/cellkit/apimachinery/apis/rbac/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Every kind is a runtime.MetaObject and every list a runtime.ListObject.
var (
	_ runtime.MetaObject = (*rbacv1.Role)(nil)
	_ runtime.ListObject = (*rbacv1.RoleList)(nil)
	_ runtime.MetaObject = (*rbacv1.RoleBinding)(nil)
	_ runtime.ListObject = (*rbacv1.RoleBindingList)(nil)
	_ runtime.MetaObject = (*rbacv1.ClusterRole)(nil)
	_ runtime.ListObject = (*rbacv1.ClusterRoleList)(nil)
	_ runtime.MetaObject = (*rbacv1.ClusterRoleBinding)(nil)
	_ runtime.ListObject = (*rbacv1.ClusterRoleBindingList)(nil)
)

// DeepCopyObject must return an independent object of the same kind that keeps its apiVersion
// and kind.
func TestObjectKind(t *testing.T) {
	objects := []runtime.Object{
		&rbacv1.Role{},
		&rbacv1.RoleList{},
		&rbacv1.RoleBinding{},
		&rbacv1.RoleBindingList{},
		&rbacv1.ClusterRole{},
		&rbacv1.ClusterRoleList{},
		&rbacv1.ClusterRoleBinding{},
		&rbacv1.ClusterRoleBindingList{},
	}
	gv := schema.GroupVersion{Group: rbacv1.GroupName, Version: "v1"}
	for _, obj := range objects {
		kind := reflectName(obj)
		t.Run(kind, func(t *testing.T) {
			gvk := gv.WithKind(kind)
			obj.GetObjectKind().SetGroupVersionKind(gvk)
			cp := obj.DeepCopyObject()
			if diff := cmp.Diff(gvk, cp.GetObjectKind().GroupVersionKind()); diff != "" {
				t.Errorf("kind of the copy (-want +got):\n%s", diff)
			}
			cp.GetObjectKind().SetGroupVersionKind(gv.WithKind("Other"))
			if got := obj.GetObjectKind().GroupVersionKind().Kind; got != kind {
				t.Errorf("changing the copy's kind changed the original's to %q", got)
			}
		})
	}
}

func reflectName(obj runtime.Object) string { return reflect.TypeOf(obj).Elem().Name() }
