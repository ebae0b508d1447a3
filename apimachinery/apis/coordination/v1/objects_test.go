package v1_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Every kind is a runtime.MetaObject and every list a runtime.ListObject.
var (
	_ runtime.MetaObject = (*coordinationv1.Lease)(nil)
	_ runtime.ListObject = (*coordinationv1.LeaseList)(nil)
)

// DeepCopyObject must return an independent object of the same kind that keeps its apiVersion
// and kind.
func TestObjectKind(t *testing.T) {
	objects := []runtime.Object{
		&coordinationv1.Lease{},
		&coordinationv1.LeaseList{},
	}
	gv := schema.GroupVersion{Group: coordinationv1.GroupName, Version: "v1"}
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
