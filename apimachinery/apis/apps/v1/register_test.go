package v1_test

import (
	"testing"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	all := []string{"all"}
	registrytest.Check(t, appsv1.AddToScheme, appsv1.SchemeGroupVersion(), []string{"ControllerRevision", "ControllerRevisionList", "DaemonSet", "DaemonSetList", "Deployment", "DeploymentList", "ReplicaSet", "ReplicaSetList", "StatefulSet", "StatefulSetList"},
		[]registrytest.Want{
			{Plural: "controllerrevisions", Singular: "controllerrevision", Kind: "ControllerRevision",
				ListKind: "ControllerRevisionList", Namespaced: true, Verbs: full},
			{Plural: "daemonsets", Singular: "daemonset", Kind: "DaemonSet", ListKind: "DaemonSetList", Namespaced: true,
				ShortNames: []string{"ds"}, Categories: all, Subresources: []string{"status"}, Verbs: full},
			{Plural: "deployments", Singular: "deployment", Kind: "Deployment", ListKind: "DeploymentList", Namespaced: true,
				ShortNames: []string{"deploy"}, Categories: all, Subresources: []string{"scale", "status"}, Verbs: full},
			{Plural: "replicasets", Singular: "replicaset", Kind: "ReplicaSet", ListKind: "ReplicaSetList", Namespaced: true,
				ShortNames: []string{"rs"}, Categories: all, Subresources: []string{"scale", "status"}, Verbs: full},
			{Plural: "statefulsets", Singular: "statefulset", Kind: "StatefulSet", ListKind: "StatefulSetList", Namespaced: true,
				ShortNames: []string{"sts"}, Categories: all, Subresources: []string{"scale", "status"}, Verbs: full},
		})
}
