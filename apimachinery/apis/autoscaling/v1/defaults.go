package v1

import "github.com/cellkit/cellkit/apimachinery/runtime"

// DefaultHorizontalPodAutoscaler sets minReplicas 1, as the Kubernetes API server does. (An
// unset targetCPUUtilizationPercentage stays unset; the autoscaler then aims at 80%.) It only
// sets an unset field, so applying it twice equals applying it once.
func DefaultHorizontalPodAutoscaler(h *HorizontalPodAutoscaler) {
	if h == nil {
		return
	}
	if h.Spec.MinReplicas == nil {
		one := int32(1)
		h.Spec.MinReplicas = &one
	}
}

// RegisterDefaults registers DefaultHorizontalPodAutoscaler with s, for the kind and every item
// of its list.
func RegisterDefaults(s *runtime.Scheme) error {
	if err := s.AddDefaultingFunc(&HorizontalPodAutoscaler{}, func(o runtime.Object) {
		DefaultHorizontalPodAutoscaler(o.(*HorizontalPodAutoscaler))
	}); err != nil {
		return err
	}
	return s.AddDefaultingFunc(&HorizontalPodAutoscalerList{}, func(o runtime.Object) {
		for i := range o.(*HorizontalPodAutoscalerList).Items {
			DefaultHorizontalPodAutoscaler(&o.(*HorizontalPodAutoscalerList).Items[i])
		}
	})
}
