package v1_test

import (
	"testing"

	discoveryv1 "github.com/cellkit/cellkit/apimachinery/apis/discovery/v1"
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	registrytest.Check(t, discoveryv1.AddToScheme, discoveryv1.SchemeGroupVersion(), []string{"EndpointSlice", "EndpointSliceList"},
		[]registrytest.Want{
			{Plural: "endpointslices", Singular: "endpointslice", Kind: "EndpointSlice", ListKind: "EndpointSliceList",
				Namespaced: true, Verbs: full},
		})
}
