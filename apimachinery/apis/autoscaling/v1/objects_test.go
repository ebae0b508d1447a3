package v1_test

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	autoscalingv1 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Every kind is a runtime.MetaObject and every list a runtime.ListObject.
var (
	_ runtime.MetaObject = (*autoscalingv1.Scale)(nil)
	_ runtime.MetaObject = (*autoscalingv1.HorizontalPodAutoscaler)(nil)
	_ runtime.ListObject = (*autoscalingv1.HorizontalPodAutoscalerList)(nil)
)

// DeepCopyObject must return an independent object of the same kind that keeps its apiVersion
// and kind.
func TestObjectKind(t *testing.T) {
	objects := []runtime.Object{
		&autoscalingv1.Scale{},
		&autoscalingv1.HorizontalPodAutoscaler{},
		&autoscalingv1.HorizontalPodAutoscalerList{},
	}
	gv := schema.GroupVersion{Group: autoscalingv1.GroupName, Version: "v1"}
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
