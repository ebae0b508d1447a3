package v2

import (
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registry"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Version is the API version of this package.
const Version = "v2"

// SchemeGroupVersion returns the group and version of this package, written "autoscaling/v2" on the wire.
func SchemeGroupVersion() schema.GroupVersion {
	return schema.GroupVersion{Group: GroupName, Version: Version}
}

// AddToScheme registers every kind of the autoscaling group's version v2, each with its list kind, and every
// resource that serves them, with the plural, singular and short names, categories, scope,
// subresources and verbs that kube-apiserver reports in discovery. Calling it again on the same
// scheme is a no-op.
//
// Kubernetes prefers autoscaling/v2 over v1; apimachinery/apis sets that priority.
func AddToScheme(s *runtime.Scheme) error {
	kinds := []runtime.Object{
		&HorizontalPodAutoscaler{}, &HorizontalPodAutoscalerList{},
	}
	all := []string{"all"}
	resources := []registry.Resource{
		{Plural: "horizontalpodautoscalers", Kind: "HorizontalPodAutoscaler", Singular: "horizontalpodautoscaler",
			Namespaced: true, ShortNames: []string{"hpa"}, Categories: all, Subresources: []string{"status"}},
	}
	return registry.Register(s, SchemeGroupVersion(), kinds, resources)
}
