package v1

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Every kind is a runtime.MetaObject and every list a runtime.ListObject.
var (
	_ runtime.MetaObject = (*Binding)(nil)
	_ runtime.MetaObject = (*ConfigMap)(nil)
	_ runtime.MetaObject = (*Endpoints)(nil)
	_ runtime.MetaObject = (*Event)(nil)
	_ runtime.MetaObject = (*LimitRange)(nil)
	_ runtime.MetaObject = (*Namespace)(nil)
	_ runtime.MetaObject = (*Node)(nil)
	_ runtime.MetaObject = (*PersistentVolume)(nil)
	_ runtime.MetaObject = (*PersistentVolumeClaim)(nil)
	_ runtime.MetaObject = (*Pod)(nil)
	_ runtime.MetaObject = (*PodTemplate)(nil)
	_ runtime.MetaObject = (*ReplicationController)(nil)
	_ runtime.MetaObject = (*ResourceQuota)(nil)
	_ runtime.MetaObject = (*Secret)(nil)
	_ runtime.MetaObject = (*Service)(nil)
	_ runtime.MetaObject = (*ServiceAccount)(nil)

	_ runtime.ListObject = (*ConfigMapList)(nil)
	_ runtime.ListObject = (*EndpointsList)(nil)
	_ runtime.ListObject = (*EventList)(nil)
	_ runtime.ListObject = (*LimitRangeList)(nil)
	_ runtime.ListObject = (*NamespaceList)(nil)
	_ runtime.ListObject = (*NodeList)(nil)
	_ runtime.ListObject = (*PersistentVolumeClaimList)(nil)
	_ runtime.ListObject = (*PersistentVolumeList)(nil)
	_ runtime.ListObject = (*PodList)(nil)
	_ runtime.ListObject = (*PodTemplateList)(nil)
	_ runtime.ListObject = (*ReplicationControllerList)(nil)
	_ runtime.ListObject = (*ResourceQuotaList)(nil)
	_ runtime.ListObject = (*SecretList)(nil)
	_ runtime.ListObject = (*ServiceAccountList)(nil)
	_ runtime.ListObject = (*ServiceList)(nil)
)

// TestObjectAccessors checks that kind and metadata access go through to the embedded fields and
// that DeepCopyObject returns an independent copy of the same type.
func TestObjectAccessors(t *testing.T) {
	pod := &Pod{ObjectMeta: meta.ObjectMeta{Name: "a", Labels: map[string]string{"k": "v"}}}
	var obj runtime.MetaObject = pod
	obj.GetObjectKind().SetGroupVersionKind(SchemeGroupVersion().WithKind("Pod"))
	if pod.APIVersion != "v1" || pod.Kind != "Pod" {
		t.Errorf("SetGroupVersionKind wrote apiVersion %q kind %q", pod.APIVersion, pod.Kind)
	}
	obj.GetObjectMeta().Namespace = "ns"
	if pod.Namespace != "ns" {
		t.Errorf("GetObjectMeta does not point into the pod")
	}
	cp, ok := obj.DeepCopyObject().(*Pod)
	if !ok {
		t.Fatalf("DeepCopyObject returned %T", obj.DeepCopyObject())
	}
	cp.Labels["k"] = "changed"
	if pod.Labels["k"] != "v" {
		t.Error("changing the DeepCopyObject copy changed the original")
	}
	if got := cp.GetObjectKind().GroupVersionKind(); got != (schema.GroupVersionKind{Version: "v1", Kind: "Pod"}) {
		t.Errorf("copy kind = %v", got)
	}

	list := &PodList{ListMeta: meta.ListMeta{ResourceVersion: "7"}, Items: []Pod{*pod}}
	var lo runtime.ListObject = list
	if lo.GetListMeta().ResourceVersion != "7" {
		t.Errorf("GetListMeta().ResourceVersion = %q", lo.GetListMeta().ResourceVersion)
	}
	lcp := lo.DeepCopyObject().(*PodList)
	lcp.Items[0].Name = "b"
	if list.Items[0].Name != "a" {
		t.Error("changing the list copy changed the original")
	}
	var nilPod *Pod
	if nilPod.DeepCopyObject() != nil {
		t.Error("DeepCopyObject of a nil *Pod is a non-nil interface")
	}
}
