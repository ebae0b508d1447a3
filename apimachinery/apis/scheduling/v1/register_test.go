package v1_test

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
	schedulingv1 "github.com/cellkit/cellkit/apimachinery/apis/scheduling/v1"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	registrytest.Check(t, schedulingv1.AddToScheme, schedulingv1.SchemeGroupVersion(), []string{"PriorityClass", "PriorityClassList"},
		[]registrytest.Want{
			{Plural: "priorityclasses", Singular: "priorityclass", Kind: "PriorityClass", ListKind: "PriorityClassList",
				ShortNames: []string{"pc"}, Verbs: full},
		})
}
