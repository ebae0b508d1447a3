package v1_test

import (
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
)

// The resources below are those of kube-apiserver's /api/v1 discovery document.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	all := []string{"all"}
	status := []string{"status"}
	registrytest.Check(t, corev1.AddToScheme, corev1.SchemeGroupVersion(), []string{
		"Binding", "ConfigMap", "ConfigMapList", "Endpoints", "EndpointsList", "Event", "EventList",
		"LimitRange", "LimitRangeList", "Namespace", "NamespaceList", "Node", "NodeList",
		"PersistentVolume", "PersistentVolumeList", "PersistentVolumeClaim", "PersistentVolumeClaimList",
		"Pod", "PodList", "PodTemplate", "PodTemplateList", "ReplicationController", "ReplicationControllerList",
		"ResourceQuota", "ResourceQuotaList", "Secret", "SecretList", "Service", "ServiceList",
		"ServiceAccount", "ServiceAccountList",
	}, []registrytest.Want{
		{Plural: "bindings", Singular: "binding", Kind: "Binding", Namespaced: true, Verbs: []string{"create"}},
		{Plural: "configmaps", Singular: "configmap", Kind: "ConfigMap", ListKind: "ConfigMapList", Namespaced: true,
			ShortNames: []string{"cm"}, Verbs: full},
		{Plural: "endpoints", Singular: "endpoints", Kind: "Endpoints", ListKind: "EndpointsList", Namespaced: true,
			ShortNames: []string{"ep"}, Verbs: full},
		{Plural: "events", Singular: "event", Kind: "Event", ListKind: "EventList", Namespaced: true,
			ShortNames: []string{"ev"}, Verbs: full},
		{Plural: "limitranges", Singular: "limitrange", Kind: "LimitRange", ListKind: "LimitRangeList", Namespaced: true,
			ShortNames: []string{"limits"}, Verbs: full},
		{Plural: "namespaces", Singular: "namespace", Kind: "Namespace", ListKind: "NamespaceList",
			ShortNames: []string{"ns"}, Subresources: []string{"finalize", "status"},
			Verbs: []string{"create", "delete", "get", "list", "patch", "update", "watch"}},
		{Plural: "nodes", Singular: "node", Kind: "Node", ListKind: "NodeList", ShortNames: []string{"no"},
			Subresources: []string{"proxy", "status"}, Verbs: full},
		{Plural: "persistentvolumeclaims", Singular: "persistentvolumeclaim", Kind: "PersistentVolumeClaim",
			ListKind: "PersistentVolumeClaimList", Namespaced: true, ShortNames: []string{"pvc"}, Subresources: status, Verbs: full},
		{Plural: "persistentvolumes", Singular: "persistentvolume", Kind: "PersistentVolume",
			ListKind: "PersistentVolumeList", ShortNames: []string{"pv"}, Subresources: status, Verbs: full},
		{Plural: "pods", Singular: "pod", Kind: "Pod", ListKind: "PodList", Namespaced: true, ShortNames: []string{"po"},
			Categories: all, Subresources: []string{"attach", "binding", "ephemeralcontainers", "eviction", "exec", "log",
				"portforward", "proxy", "status"}, Verbs: full},
		{Plural: "podtemplates", Singular: "podtemplate", Kind: "PodTemplate", ListKind: "PodTemplateList", Namespaced: true,
			Verbs: full},
		{Plural: "replicationcontrollers", Singular: "replicationcontroller", Kind: "ReplicationController",
			ListKind: "ReplicationControllerList", Namespaced: true, ShortNames: []string{"rc"}, Categories: all,
			Subresources: []string{"scale", "status"}, Verbs: full},
		{Plural: "resourcequotas", Singular: "resourcequota", Kind: "ResourceQuota", ListKind: "ResourceQuotaList",
			Namespaced: true, ShortNames: []string{"quota"}, Subresources: status, Verbs: full},
		{Plural: "secrets", Singular: "secret", Kind: "Secret", ListKind: "SecretList", Namespaced: true, Verbs: full},
		{Plural: "serviceaccounts", Singular: "serviceaccount", Kind: "ServiceAccount", ListKind: "ServiceAccountList",
			Namespaced: true, ShortNames: []string{"sa"}, Subresources: []string{"token"}, Verbs: full},
		{Plural: "services", Singular: "service", Kind: "Service", ListKind: "ServiceList", Namespaced: true,
			ShortNames: []string{"svc"}, Categories: all, Subresources: []string{"proxy", "status"}, Verbs: full},
	})
}
