package v1_test

import (
	"testing"

	autoscalingv1 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v1"
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	all := []string{"all"}
	registrytest.Check(t, autoscalingv1.AddToScheme, autoscalingv1.SchemeGroupVersion(), []string{"HorizontalPodAutoscaler", "HorizontalPodAutoscalerList", "Scale"},
		[]registrytest.Want{
			{Plural: "horizontalpodautoscalers", Singular: "horizontalpodautoscaler", Kind: "HorizontalPodAutoscaler",
				ListKind: "HorizontalPodAutoscalerList", Namespaced: true, ShortNames: []string{"hpa"}, Categories: all,
				Subresources: []string{"status"}, Verbs: full},
		})
}
