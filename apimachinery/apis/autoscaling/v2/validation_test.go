package v2_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	autoscalingv2 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v2"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
	"github.com/cellkit/cellkit/internal/apitest"
)

// fe is the part of a field error the tests compare: its type and path.
type fe struct {
	Type  field.ErrorType
	Field string
}

func summarize(errs field.ErrorList) []fe {
	var out []fe
	for _, e := range errs {
		out = append(out, fe{e.Type, e.Field})
	}
	return out
}

func vptr[T any](v T) *T { return &v }

var quantityCmp = cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })

func hpa() *autoscalingv2.HorizontalPodAutoscaler {
	h := &autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
			MaxReplicas:    10,
			Behavior:       &autoscalingv2.HorizontalPodAutoscalerBehavior{},
		},
	}
	autoscalingv2.DefaultHorizontalPodAutoscaler(h)
	return h
}

func TestDefaultHorizontalPodAutoscaler(t *testing.T) {
	got := hpa()
	want := autoscalingv2.HorizontalPodAutoscalerSpec{
		ScaleTargetRef: got.Spec.ScaleTargetRef, MinReplicas: vptr(int32(1)), MaxReplicas: 10,
		Metrics: []autoscalingv2.MetricSpec{{Type: autoscalingv2.ResourceMetricSourceType, Resource: &autoscalingv2.ResourceMetricSource{
			Name: corev1.ResourceCPU, Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: vptr(int32(80))},
		}}},
		Behavior: &autoscalingv2.HorizontalPodAutoscalerBehavior{
			ScaleUp: &autoscalingv2.HPAScalingRules{
				StabilizationWindowSeconds: vptr(int32(0)), SelectPolicy: vptr(autoscalingv2.MaxChangePolicySelect),
				Policies: []autoscalingv2.HPAScalingPolicy{{Type: autoscalingv2.PodsScalingPolicy, Value: 4, PeriodSeconds: 15}, {Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}},
			},
			ScaleDown: &autoscalingv2.HPAScalingRules{
				SelectPolicy: vptr(autoscalingv2.MaxChangePolicySelect),
				Policies:     []autoscalingv2.HPAScalingPolicy{{Type: autoscalingv2.PercentScalingPolicy, Value: 100, PeriodSeconds: 15}},
			},
		},
	}
	if diff := cmp.Diff(want, got.Spec, quantityCmp); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	again := got.DeepCopy()
	autoscalingv2.DefaultHorizontalPodAutoscaler(again)
	if diff := cmp.Diff(got, again, quantityCmp); diff != "" {
		t.Errorf("not idempotent:\n%s", diff)
	}
	// Without a behavior, none is made up; given metrics are kept.
	h := &autoscalingv2.HorizontalPodAutoscaler{Spec: autoscalingv2.HorizontalPodAutoscalerSpec{Metrics: []autoscalingv2.MetricSpec{{Type: autoscalingv2.PodsMetricSourceType}}}}
	s := runtime.NewScheme()
	if err := autoscalingv2.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	s.Default(h)
	if h.Spec.Behavior != nil || len(h.Spec.Metrics) != 1 || h.Spec.Metrics[0].Type != autoscalingv2.PodsMetricSourceType {
		t.Errorf("defaulted spec = %+v", h.Spec)
	}
}

func TestValidateHorizontalPodAutoscaler(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*autoscalingv2.HorizontalPodAutoscaler)
		want   []fe
	}{
		{name: "valid", mutate: func(*autoscalingv2.HorizontalPodAutoscaler) {}},
		{name: "min above max", mutate: func(h *autoscalingv2.HorizontalPodAutoscaler) { h.Spec.MinReplicas = vptr(int32(11)) },
			want: []fe{{field.ErrorTypeInvalid, "spec.maxReplicas"}}},
		{name: "missing target ref name", mutate: func(h *autoscalingv2.HorizontalPodAutoscaler) { h.Spec.ScaleTargetRef.Name = "" },
			want: []fe{{field.ErrorTypeRequired, "spec.scaleTargetRef.name"}}},
		{name: "metric type without its source", mutate: func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics[0].Type = autoscalingv2.PodsMetricSourceType
		},
			want: []fe{{field.ErrorTypeRequired, "spec.metrics[0].pods"}, {field.ErrorTypeForbidden, "spec.metrics[0]"}}},
		{name: "unknown metric type", mutate: func(h *autoscalingv2.HorizontalPodAutoscaler) { h.Spec.Metrics[0].Type = "Magic" },
			want: []fe{{field.ErrorTypeNotSupported, "spec.metrics[0].type"}}},
		{name: "resource target needs utilization or value", mutate: func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics[0].Resource.Target.AverageUtilization = nil
		}, want: []fe{{field.ErrorTypeRequired, "spec.metrics[0].resource.target.averageUtilization"}}},
		{name: "negative quantity", mutate: func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Metrics = append(h.Spec.Metrics, autoscalingv2.MetricSpec{Type: autoscalingv2.PodsMetricSourceType, Pods: &autoscalingv2.PodsMetricSource{
				Metric: autoscalingv2.MetricIdentifier{Name: "rps"},
				Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: vptr(resource.MustParse("-1"))},
			}})
		}, want: []fe{{field.ErrorTypeInvalid, "spec.metrics[1].pods.target.averageValue"}}},
		{name: "behavior limits", mutate: func(h *autoscalingv2.HorizontalPodAutoscaler) {
			h.Spec.Behavior.ScaleUp.StabilizationWindowSeconds = vptr(int32(3601))
			h.Spec.Behavior.ScaleUp.SelectPolicy = vptr(autoscalingv2.ScalingPolicySelect("Avg"))
			h.Spec.Behavior.ScaleDown.Policies = []autoscalingv2.HPAScalingPolicy{{Type: "Nodes", Value: 0, PeriodSeconds: 1801}}
		}, want: []fe{
			{field.ErrorTypeInvalid, "spec.behavior.scaleUp.stabilizationWindowSeconds"}, {field.ErrorTypeNotSupported, "spec.behavior.scaleUp.selectPolicy"},
			{field.ErrorTypeNotSupported, "spec.behavior.scaleDown.policies[0].type"}, {field.ErrorTypeInvalid, "spec.behavior.scaleDown.policies[0].value"},
			{field.ErrorTypeInvalid, "spec.behavior.scaleDown.policies[0].periodSeconds"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := hpa()
			tt.mutate(h)
			if diff := cmp.Diff(tt.want, summarize(autoscalingv2.ValidateHorizontalPodAutoscaler(h))); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, autoscalingv2.ValidateHorizontalPodAutoscaler(h))
			}
		})
	}
}

func TestTestdataValidatesAfterDefaulting(t *testing.T) {
	var files []string
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return nil
	})
	checked := 0
	for _, f := range files {
		docs, err := apitest.ReadManifests(f, "HorizontalPodAutoscaler")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			var h autoscalingv2.HorizontalPodAutoscaler
			if err := apitest.DecodeStrict(d.JSON, &h); err != nil {
				t.Fatal(err)
			}
			if h.Namespace == "" {
				h.Namespace = "default"
			}
			autoscalingv2.DefaultHorizontalPodAutoscaler(&h)
			checked++
			if errs := autoscalingv2.ValidateHorizontalPodAutoscaler(&h); len(errs) > 0 {
				t.Errorf("%s document %d: %v", f, d.Index, errs.ToAggregate())
			}
		}
	}
	if checked < 3 {
		t.Errorf("checked %d documents, want at least 3", checked)
	}
}
