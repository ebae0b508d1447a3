package v1_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	autoscalingv1 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
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

func hpa() *autoscalingv1.HorizontalPodAutoscaler {
	h := &autoscalingv1.HorizontalPodAutoscaler{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: autoscalingv1.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv1.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
			MaxReplicas:    5,
		},
	}
	autoscalingv1.DefaultHorizontalPodAutoscaler(h)
	return h
}

func TestValidateHorizontalPodAutoscaler(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*autoscalingv1.HorizontalPodAutoscaler)
		want   []fe
	}{
		{name: "valid", mutate: func(*autoscalingv1.HorizontalPodAutoscaler) {}},
		{name: "max below min", mutate: func(h *autoscalingv1.HorizontalPodAutoscaler) { h.Spec.MinReplicas = vptr(int32(6)) },
			want: []fe{{field.ErrorTypeInvalid, "spec.maxReplicas"}}},
		{name: "zero min and max", mutate: func(h *autoscalingv1.HorizontalPodAutoscaler) {
			h.Spec.MinReplicas = vptr(int32(0))
			h.Spec.MaxReplicas = 0
		}, want: []fe{{field.ErrorTypeInvalid, "spec.minReplicas"}, {field.ErrorTypeInvalid, "spec.maxReplicas"}}},
		{name: "target ref", mutate: func(h *autoscalingv1.HorizontalPodAutoscaler) {
			h.Spec.ScaleTargetRef = autoscalingv1.CrossVersionObjectReference{Name: "a/b"}
		}, want: []fe{{field.ErrorTypeRequired, "spec.scaleTargetRef.kind"}, {field.ErrorTypeInvalid, "spec.scaleTargetRef.name"}}},
		{name: "cpu target", mutate: func(h *autoscalingv1.HorizontalPodAutoscaler) { h.Spec.TargetCPUUtilizationPercentage = vptr(int32(0)) },
			want: []fe{{field.ErrorTypeInvalid, "spec.targetCPUUtilizationPercentage"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := hpa()
			tt.mutate(h)
			if diff := cmp.Diff(tt.want, summarize(autoscalingv1.ValidateHorizontalPodAutoscaler(h))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateScale(t *testing.T) {
	s := &autoscalingv1.Scale{Spec: autoscalingv1.ScaleSpec{Replicas: -1}}
	want := []fe{{field.ErrorTypeRequired, "metadata.name"}, {field.ErrorTypeInvalid, "spec.replicas"}}
	if diff := cmp.Diff(want, summarize(autoscalingv1.ValidateScale(s))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDefaults(t *testing.T) {
	s := runtime.NewScheme()
	if err := autoscalingv1.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	l := &autoscalingv1.HorizontalPodAutoscalerList{Items: []autoscalingv1.HorizontalPodAutoscaler{{}, {Spec: autoscalingv1.HorizontalPodAutoscalerSpec{MinReplicas: vptr(int32(3))}}}}
	s.Default(l)
	if diff := cmp.Diff([]*int32{vptr(int32(1)), vptr(int32(3))}, []*int32{l.Items[0].Spec.MinReplicas, l.Items[1].Spec.MinReplicas}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if l.Items[0].Spec.TargetCPUUtilizationPercentage != nil {
		t.Errorf("target CPU defaulted: %v", *l.Items[0].Spec.TargetCPUUtilizationPercentage)
	}
	again := l.DeepCopy()
	s.Default(again)
	if diff := cmp.Diff(l, again); diff != "" {
		t.Errorf("not idempotent:\n%s", diff)
	}
}

func TestTestdataValidatesAfterDefaulting(t *testing.T) {
	docs, err := apitest.ReadManifests("testdata/autoscaling.yaml", "HorizontalPodAutoscaler", "Scale")
	if err != nil || len(docs) == 0 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	for _, d := range docs {
		var errs field.ErrorList
		switch d.Kind {
		case "HorizontalPodAutoscaler":
			var h autoscalingv1.HorizontalPodAutoscaler
			if err := apitest.DecodeStrict(d.JSON, &h); err != nil {
				t.Fatal(err)
			}
			if h.Namespace == "" {
				h.Namespace = "default"
			}
			autoscalingv1.DefaultHorizontalPodAutoscaler(&h)
			errs = autoscalingv1.ValidateHorizontalPodAutoscaler(&h)
		case "Scale":
			var sc autoscalingv1.Scale
			if err := apitest.DecodeStrict(d.JSON, &sc); err != nil {
				t.Fatal(err)
			}
			errs = autoscalingv1.ValidateScale(&sc)
		}
		if len(errs) > 0 {
			t.Errorf("document %d: %v", d.Index, errs.ToAggregate())
		}
	}
}
