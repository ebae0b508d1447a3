package v1_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Every kind is a runtime.MetaObject and every list a runtime.ListObject.
var (
	_ runtime.MetaObject = (*appsv1.Deployment)(nil)
	_ runtime.ListObject = (*appsv1.DeploymentList)(nil)
	_ runtime.MetaObject = (*appsv1.ReplicaSet)(nil)
	_ runtime.ListObject = (*appsv1.ReplicaSetList)(nil)
	_ runtime.MetaObject = (*appsv1.DaemonSet)(nil)
	_ runtime.ListObject = (*appsv1.DaemonSetList)(nil)
	_ runtime.MetaObject = (*appsv1.StatefulSet)(nil)
	_ runtime.ListObject = (*appsv1.StatefulSetList)(nil)
	_ runtime.MetaObject = (*appsv1.ControllerRevision)(nil)
	_ runtime.ListObject = (*appsv1.ControllerRevisionList)(nil)
)

// DeepCopyObject must return an independent object of the same kind that keeps its apiVersion
// and kind.
func TestObjectKind(t *testing.T) {
	objects := []runtime.Object{
		&appsv1.Deployment{},
		&appsv1.DeploymentList{},
		&appsv1.ReplicaSet{},
		&appsv1.ReplicaSetList{},
		&appsv1.DaemonSet{},
		&appsv1.DaemonSetList{},
		&appsv1.StatefulSet{},
		&appsv1.StatefulSetList{},
		&appsv1.ControllerRevision{},
		&appsv1.ControllerRevisionList{},
	}
	gv := schema.GroupVersion{Group: appsv1.GroupName, Version: "v1"}
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
