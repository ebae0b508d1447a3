package v1

import (
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registry"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Version is the API version of this package.
const Version = "v1"

// SchemeGroupVersion returns the group and version of this package, written "coordination.k8s.io/v1" on the wire.
func SchemeGroupVersion() schema.GroupVersion {
	return schema.GroupVersion{Group: GroupName, Version: Version}
}

// AddToScheme registers every kind of the coordination.k8s.io group's version v1, each with its list kind, and every
// resource that serves them, with the plural, singular and short names, categories, scope,
// subresources and verbs that kube-apiserver reports in discovery. Calling it again on the same
// scheme is a no-op.
func AddToScheme(s *runtime.Scheme) error {
	kinds := []runtime.Object{
		&Lease{}, &LeaseList{},
	}
	resources := []registry.Resource{
		{Plural: "leases", Kind: "Lease", Singular: "lease", Namespaced: true},
	}
	return registry.Register(s, SchemeGroupVersion(), kinds, resources)
}
