package v1

import (
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registry"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Version is the API version of this package.
const Version = "v1"

// SchemeGroupVersion returns the group and version of this package, written "apps/v1" on the wire.
func SchemeGroupVersion() schema.GroupVersion {
	return schema.GroupVersion{Group: GroupName, Version: Version}
}

// AddToScheme registers every kind of the apps group's version v1, each with its list kind, and every
// resource that serves them, with the plural, singular and short names, categories, scope,
// subresources and verbs that kube-apiserver reports in discovery. Calling it again on the same
// scheme is a no-op.
//
// The scale subresources serve autoscaling/v1 Scale, registered by that group.
func AddToScheme(s *runtime.Scheme) error {
	kinds := []runtime.Object{
		&ControllerRevision{}, &ControllerRevisionList{},
		&DaemonSet{}, &DaemonSetList{},
		&Deployment{}, &DeploymentList{},
		&ReplicaSet{}, &ReplicaSetList{},
		&StatefulSet{}, &StatefulSetList{},
	}
	all := []string{"all"}
	resources := []registry.Resource{
		{Plural: "controllerrevisions", Kind: "ControllerRevision", Singular: "controllerrevision", Namespaced: true},
		{Plural: "daemonsets", Kind: "DaemonSet", Singular: "daemonset", Namespaced: true, ShortNames: []string{"ds"},
			Categories: all, Subresources: []string{"status"}},
		{Plural: "deployments", Kind: "Deployment", Singular: "deployment", Namespaced: true, ShortNames: []string{"deploy"},
			Categories: all, Subresources: []string{"scale", "status"}},
		{Plural: "replicasets", Kind: "ReplicaSet", Singular: "replicaset", Namespaced: true, ShortNames: []string{"rs"},
			Categories: all, Subresources: []string{"scale", "status"}},
		{Plural: "statefulsets", Kind: "StatefulSet", Singular: "statefulset", Namespaced: true, ShortNames: []string{"sts"},
			Categories: all, Subresources: []string{"scale", "status"}},
	}
	return registry.Register(s, SchemeGroupVersion(), kinds, resources)
}
