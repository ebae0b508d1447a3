package v2_test

import (
	"testing"

	autoscalingv2 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v2"
	"github.com/cellkit/cellkit/apimachinery/apis/internal/registrytest"
)

// The resources below are those of kube-apiserver's discovery document for this group version.
func TestAddToScheme(t *testing.T) {
	full := registrytest.Full()
	all := []string{"all"}
	registrytest.Check(t, autoscalingv2.AddToScheme, autoscalingv2.SchemeGroupVersion(), []string{"HorizontalPodAutoscaler", "HorizontalPodAutoscalerList"},
		[]registrytest.Want{
			{Plural: "horizontalpodautoscalers", Singular: "horizontalpodautoscaler", Kind: "HorizontalPodAutoscaler",
				ListKind: "HorizontalPodAutoscalerList", Namespaced: true, ShortNames: []string{"hpa"}, Categories: all,
				Subresources: []string{"status"}, Verbs: full},
		})
}
