package v1

import (
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registry"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// AddToScheme registers every kind of the core group's version v1 (each with its list kind, and
// Binding, the kind of the bindings resource and the pods/binding subresource) and every
// resource that serves them, with the plural, singular and short names, categories, scope,
// subresources and verbs that kube-apiserver reports in discovery. Calling it again on the same
// scheme is a no-op.
//
// Subresources are listed as Kubernetes 1.33 serves them, without the feature-gated pods/resize
// and pods/checkpoint. The kinds of subresources of other groups (policy/v1 Eviction for
// pods/eviction, autoscaling/v1 Scale for replicationcontrollers/scale) are registered by
// those groups.
func AddToScheme(s *runtime.Scheme) error {
	kinds := []runtime.Object{
		&Pod{}, &PodList{},
		&Node{}, &NodeList{},
		&Namespace{}, &NamespaceList{},
		&Service{}, &ServiceList{},
		&Endpoints{}, &EndpointsList{},
		&ConfigMap{}, &ConfigMapList{},
		&Secret{}, &SecretList{},
		&ServiceAccount{}, &ServiceAccountList{},
		&Event{}, &EventList{},
		&PersistentVolume{}, &PersistentVolumeList{},
		&PersistentVolumeClaim{}, &PersistentVolumeClaimList{},
		&ResourceQuota{}, &ResourceQuotaList{},
		&LimitRange{}, &LimitRangeList{},
		&ReplicationController{}, &ReplicationControllerList{},
		&PodTemplate{}, &PodTemplateList{},
		&Binding{},
	}
	all := []string{"all"}
	status := []string{"status"}
	resources := []registry.Resource{
		{Plural: "bindings", Kind: "Binding", Singular: "binding", Namespaced: true, Verbs: []string{"create"}, NoList: true},
		{Plural: "configmaps", Kind: "ConfigMap", Singular: "configmap", Namespaced: true, ShortNames: []string{"cm"}},
		{Plural: "endpoints", Kind: "Endpoints", Singular: "endpoints", Namespaced: true, ShortNames: []string{"ep"}},
		{Plural: "events", Kind: "Event", Singular: "event", Namespaced: true, ShortNames: []string{"ev"}},
		{Plural: "limitranges", Kind: "LimitRange", Singular: "limitrange", Namespaced: true, ShortNames: []string{"limits"}},
		{Plural: "namespaces", Kind: "Namespace", Singular: "namespace", ShortNames: []string{"ns"},
			Subresources: []string{"finalize", "status"}, Verbs: registry.VerbsWithout("deletecollection")},
		{Plural: "nodes", Kind: "Node", Singular: "node", ShortNames: []string{"no"}, Subresources: []string{"proxy", "status"}},
		{Plural: "persistentvolumeclaims", Kind: "PersistentVolumeClaim", Singular: "persistentvolumeclaim", Namespaced: true,
			ShortNames: []string{"pvc"}, Subresources: status},
		{Plural: "persistentvolumes", Kind: "PersistentVolume", Singular: "persistentvolume", ShortNames: []string{"pv"},
			Subresources: status},
		{Plural: "pods", Kind: "Pod", Singular: "pod", Namespaced: true, ShortNames: []string{"po"}, Categories: all,
			Subresources: []string{"attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "status"}},
		{Plural: "podtemplates", Kind: "PodTemplate", Singular: "podtemplate", Namespaced: true},
		{Plural: "replicationcontrollers", Kind: "ReplicationController", Singular: "replicationcontroller", Namespaced: true,
			ShortNames: []string{"rc"}, Categories: all, Subresources: []string{"scale", "status"}},
		{Plural: "resourcequotas", Kind: "ResourceQuota", Singular: "resourcequota", Namespaced: true,
			ShortNames: []string{"quota"}, Subresources: status},
		{Plural: "secrets", Kind: "Secret", Singular: "secret", Namespaced: true},
		{Plural: "serviceaccounts", Kind: "ServiceAccount", Singular: "serviceaccount", Namespaced: true,
			ShortNames: []string{"sa"}, Subresources: []string{"token"}},
		{Plural: "services", Kind: "Service", Singular: "service", Namespaced: true, ShortNames: []string{"svc"}, Categories: all,
			Subresources: []string{"proxy", "status"}},
	}
	return registry.Register(s, SchemeGroupVersion(), kinds, resources)
}
