// Package v1 holds the core API group's version v1 types: Pod, Node, Namespace, Service,
// Endpoints, ConfigMap, Secret, ServiceAccount, Event, PersistentVolume, PersistentVolumeClaim,
// ResourceQuota, LimitRange, ReplicationController, PodTemplate and Binding, each with its List
// type, and the pieces they share (containers, volumes, probes, affinity, tolerations, object
// references, resource lists). Type names, JSON field names, pointer-ness, omitempty and the
// patchStrategy/patchMergeKey tags follow Kubernetes, so a manifest written for Kubernetes
// decodes into these types and encodes back to equivalent JSON, and strategic merge patches can
// be driven by the struct tags.
//
// Usage: import as corev1. Build or decode an object, read and change it, and hand it to a store
// or client:
//
//	pod := &corev1.Pod{
//		TypeMeta:   meta.TypeMeta{APIVersion: "v1", Kind: "Pod"},
//		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
//		Spec: corev1.PodSpec{Containers: []corev1.Container{{
//			Name:  "nginx",
//			Image: "nginx:1.27",
//			Resources: corev1.ResourceRequirements{
//				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")},
//			},
//		}}},
//	}
//
// Defaulting, validation and scheme registration live elsewhere; this package is the data.
//
// Concurrency and ownership: values are plain data without locks. An object obtained from a
// shared cache (an informer, a store's watch) must be treated as read-only; DeepCopy it before
// changing it. DeepCopy, DeepCopyInto and (for kinds and lists) DeepCopyObject are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen

import "github.com/cellkit/cellkit/apimachinery/schema"

// GroupName is the API group of this package: the core group, which is the empty string.
const GroupName = ""

// Version is the API version of this package.
const Version = "v1"

// SchemeGroupVersion returns the group and version of this package, written "v1" on the wire.
func SchemeGroupVersion() schema.GroupVersion {
	return schema.GroupVersion{Group: GroupName, Version: Version}
}
