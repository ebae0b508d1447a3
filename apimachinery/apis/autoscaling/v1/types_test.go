package v1_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	autoscalingv1 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*autoscalingv1.Scale).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv1.ScaleSpec).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv1.ScaleStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv1.CrossVersionObjectReference).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv1.HorizontalPodAutoscaler).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv1.HorizontalPodAutoscalerSpec).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv1.HorizontalPodAutoscalerStatus).DeepCopy),
		apitest.DeepCopyCase((*autoscalingv1.HorizontalPodAutoscalerList).DeepCopy),
	}, apitest.Options{})
}

func TestManifests(t *testing.T) {
	path := filepath.Join("testdata", "autoscaling.yaml")
	apitest.CheckManifests[autoscalingv1.Scale](t, path, "Scale", 2)
	apitest.CheckManifests[autoscalingv1.HorizontalPodAutoscaler](t, path, "HorizontalPodAutoscaler", 1)
}

func TestScaleWireFormat(t *testing.T) {
	tests := []struct {
		name  string
		scale autoscalingv1.Scale
		want  string
	}{
		{
			name:  "zero desired replicas are omitted but observed ones are written",
			scale: autoscalingv1.Scale{},
			want:  `{"metadata":{"creationTimestamp":null},"spec":{},"status":{"replicas":0}}`,
		},
		{
			name: "selector is the string form",
			scale: autoscalingv1.Scale{
				Spec:   autoscalingv1.ScaleSpec{Replicas: 3},
				Status: autoscalingv1.ScaleStatus{Replicas: 2, Selector: "app=web"},
			},
			want: `{"metadata":{"creationTimestamp":null},"spec":{"replicas":3},"status":{"replicas":2,"selector":"app=web"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(&tt.scale)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("json.Marshal =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestScaleDecodeErrors(t *testing.T) {
	for name, in := range map[string]string{
		"replicas as string":     `{"spec":{"replicas":"3"}}`,
		"replicas overflow":      `{"spec":{"replicas":2147483648}}`,
		"selector as an object":  `{"status":{"selector":{"matchLabels":{"a":"b"}}}}`,
		"unknown status field":   `{"status":{"ready":1}}`,
		"last scale time number": `{"kind":"HorizontalPodAutoscaler","status":{"lastScaleTime":5}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var s autoscalingv1.Scale
			var h autoscalingv1.HorizontalPodAutoscaler
			if apitest.DecodeStrict([]byte(in), &s) == nil && apitest.DecodeStrict([]byte(in), &h) == nil {
				t.Errorf("decoding %s succeeded, want an error", in)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web"},"spec":{"replicas":3},"status":{"replicas":1,"selector":"app=web"}}`))
	f.Add([]byte(`{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5,"minReplicas":1},"status":{"lastScaleTime":"2026-01-01T00:00:00Z","currentReplicas":1,"desiredReplicas":2}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := apitest.CheckJSONStable(data, (*autoscalingv1.Scale).DeepCopy); err != nil {
			t.Fatal(err)
		}
		if err := apitest.CheckJSONStable(data, (*autoscalingv1.HorizontalPodAutoscaler).DeepCopy); err != nil {
			t.Fatal(err)
		}
	})
}

func ExampleScale() {
	scale := autoscalingv1.Scale{
		TypeMeta:   meta.TypeMeta{APIVersion: "autoscaling/v1", Kind: "Scale"},
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec:       autoscalingv1.ScaleSpec{Replicas: 5},
		Status:     autoscalingv1.ScaleStatus{Replicas: 3, Selector: "app=web"},
	}
	out, _ := json.Marshal(scale)
	fmt.Println(string(out))
	// Output:
	// {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"web","namespace":"default","creationTimestamp":null},"spec":{"replicas":5},"status":{"replicas":3,"selector":"app=web"}}
}
