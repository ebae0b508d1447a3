package v1_test

import (
	"testing"

	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	registrytest.Check(t, coordinationv1.AddToScheme, coordinationv1.SchemeGroupVersion(), []string{"Lease", "LeaseList"},
		[]registrytest.Want{
			{Plural: "leases", Singular: "lease", Kind: "Lease", ListKind: "LeaseList", Namespaced: true, Verbs: full},
		})
}
