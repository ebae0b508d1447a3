package v2

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Defaults of autoscaling/v2 autoscalers, as the Kubernetes API server stores them.
const (
	// DefaultCPUUtilization is the average CPU utilization (percent of requests) an
	// autoscaler without metrics aims at.
	DefaultCPUUtilization int32 = 80
	// DefaultScalingPeriodSeconds is the period of the default scaling policies.
	DefaultScalingPeriodSeconds int32 = 15
)

func ptrTo[T any](v T) *T { return &v }

// DefaultHorizontalPodAutoscaler sets minReplicas 1; with no metrics, one Resource metric
// aiming at 80% average CPU utilization; and, when a behavior is given, fills what it leaves
// out: scale up with no stabilization, selectPolicy Max and the policies "4 pods" and "100%"
// per 15 seconds; scale down with selectPolicy Max and the policy "100%" per 15 seconds (its
// stabilization window stays unset: the controller's default, 300 seconds, applies). It only
// sets unset fields, so applying it twice equals applying it once.
func DefaultHorizontalPodAutoscaler(h *HorizontalPodAutoscaler) {
	if h == nil {
		return
	}
	s := &h.Spec
	if s.MinReplicas == nil {
		s.MinReplicas = ptrTo(int32(1))
	}
	if len(s.Metrics) == 0 {
		s.Metrics = []MetricSpec{{
			Type: ResourceMetricSourceType,
			Resource: &ResourceMetricSource{Name: corev1.ResourceCPU, Target: MetricTarget{
				Type: UtilizationMetricType, AverageUtilization: ptrTo(DefaultCPUUtilization),
			}},
		}}
	}
	if b := s.Behavior; b != nil {
		b.ScaleUp = defaultRules(b.ScaleUp, ptrTo(int32(0)), []HPAScalingPolicy{
			{Type: PodsScalingPolicy, Value: 4, PeriodSeconds: DefaultScalingPeriodSeconds},
			{Type: PercentScalingPolicy, Value: 100, PeriodSeconds: DefaultScalingPeriodSeconds},
		})
		b.ScaleDown = defaultRules(b.ScaleDown, nil, []HPAScalingPolicy{
			{Type: PercentScalingPolicy, Value: 100, PeriodSeconds: DefaultScalingPeriodSeconds},
		})
	}
}

func defaultRules(r *HPAScalingRules, window *int32, policies []HPAScalingPolicy) *HPAScalingRules {
	if r == nil {
		r = &HPAScalingRules{}
	}
	if r.StabilizationWindowSeconds == nil && window != nil {
		r.StabilizationWindowSeconds = window
	}
	if r.SelectPolicy == nil {
		r.SelectPolicy = ptrTo(MaxChangePolicySelect)
	}
	if r.Policies == nil {
		r.Policies = policies
	}
	return r
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
