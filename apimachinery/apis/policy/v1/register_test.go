package v1_test

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	registrytest.Check(t, policyv1.AddToScheme, policyv1.SchemeGroupVersion(), []string{"PodDisruptionBudget", "PodDisruptionBudgetList", "Eviction"},
		[]registrytest.Want{
			{Plural: "poddisruptionbudgets", Singular: "poddisruptionbudget", Kind: "PodDisruptionBudget",
				ListKind: "PodDisruptionBudgetList", Namespaced: true, ShortNames: []string{"pdb"},
				Subresources: []string{"status"}, Verbs: full},
		})
}
