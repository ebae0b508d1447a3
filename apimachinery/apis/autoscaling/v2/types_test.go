package v2_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	autoscalingv2 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v2"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*autoscalingv2.HorizontalPodAutoscaler).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.HorizontalPodAutoscalerSpec).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.HorizontalPodAutoscalerStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.HorizontalPodAutoscalerList).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.HorizontalPodAutoscalerCondition).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.HorizontalPodAutoscalerBehavior).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.HPAScalingRules).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.HPAScalingPolicy).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.CrossVersionObjectReference).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.MetricSpec).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.ObjectMetricSource).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.PodsMetricSource).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.ResourceMetricSource).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.ContainerResourceMetricSource).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.ExternalMetricSource).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.MetricIdentifier).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.MetricTarget).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.MetricStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.ObjectMetricStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.PodsMetricStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.ResourceMetricStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.ContainerResourceMetricStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.ExternalMetricStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv2.MetricValueStatus).DeepCopy),
	}, apitest.Options{})
}

func TestManifests(t *testing.T) {
	examples := filepath.Join("testdata", "kubernetes-examples")
	apitest.CheckManifests[autoscalingv2.HorizontalPodAutoscaler](t, filepath.Join(examples, "horizontal-pod-autoscaler.yaml"), "HorizontalPodAutoscaler", 1)
	apitest.CheckManifests[autoscalingv2.HorizontalPodAutoscaler](t, filepath.Join(examples, "gpu-horizontal-pod-autoscaler.yaml"), "HorizontalPodAutoscaler", 1)
	apitest.CheckManifests[autoscalingv2.HorizontalPodAutoscaler](t, filepath.Join("testdata", "hpa.yaml"), "HorizontalPodAutoscaler", 1)
}

func TestMetricTargetQuantities(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr bool
	}{
		{name: "string quantity", in: `{"type":"AverageValue","averageValue":"500Mi"}`, want: `{"type":"AverageValue","averageValue":"500Mi"}`},
		{name: "number becomes canonical string", in: `{"type":"AverageValue","averageValue":20}`, want: `{"type":"AverageValue","averageValue":"20"}`},
		{name: "fraction becomes milli", in: `{"type":"Value","value":0.5}`, want: `{"type":"Value","value":"500m"}`},
		{name: "utilization", in: `{"type":"Utilization","averageUtilization":80}`, want: `{"type":"Utilization","averageUtilization":80}`},
		{name: "bad quantity", in: `{"type":"Value","value":"lots"}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mt autoscalingv2.MetricTarget
			err := apitest.DecodeStrict([]byte(tt.in), &mt)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			out, err := json.Marshal(mt)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("json.Marshal = %s, want %s", out, tt.want)
			}
		})
	}
}

func TestStatusWireFormat(t *testing.T) {
	got, err := json.Marshal(autoscalingv2.HorizontalPodAutoscalerStatus{})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"desiredReplicas":0,"currentMetrics":null}`; string(got) != want {
		t.Errorf("empty status encodes as %s, want %s", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"HorizontalPodAutoscaler","spec":{"scaleTargetRef":{"kind":"Deployment","name":"w"},"maxReplicas":3,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}],"behavior":{"scaleDown":{"selectPolicy":"Disabled","tolerance":"0.05"}}}}`))
	f.Add([]byte(`{"status":{"currentMetrics":[{"type":"External","external":{"metric":{"name":"q"},"current":{"value":"1e3"}}}],"desiredReplicas":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := apitest.CheckJSONStable(data, (*autoscalingv2.HorizontalPodAutoscaler).DeepCopy); err != nil {
			t.Fatal(err)
		}
	})
}

func ExampleHorizontalPodAutoscaler() {
	target := resource.MustParse("500Mi")
	hpa := autoscalingv2.HorizontalPodAutoscaler{
		ObjectMeta: meta.ObjectMeta{Name: "web"},
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web"},
			MaxReplicas:    10,
			Metrics: []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ResourceMetricSourceType,
				Resource: &autoscalingv2.ResourceMetricSource{
					Name:   "memory",
					Target: autoscalingv2.MetricTarget{Type: autoscalingv2.AverageValueMetricType, AverageValue: &target},
				},
			}},
		},
	}
	out, _ := json.Marshal(hpa.Spec.Metrics)
	fmt.Println(string(out))
	// Output:
	// [{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}}]
}
