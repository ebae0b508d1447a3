package v1_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	schedulingv1 "github.com/cellkit/cellkit/apimachinery/apis/scheduling/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*schedulingv1.PriorityClass).DeepCopy),
		apitest.DeepCopyCase((*schedulingv1.PriorityClassList).DeepCopy),
	}, apitest.Options{})
}

func TestManifests(t *testing.T) {
	apitest.CheckManifests[schedulingv1.PriorityClass](t, filepath.Join("testdata", "priorityclass.yaml"), "PriorityClass", 4)
}

func TestWireFormat(t *testing.T) {
	never := corev1.PreemptionPolicy("Never")
	tests := []struct {
		name string
		pc   schedulingv1.PriorityClass
		want string
	}{
		{
			name: "zero value is written",
			pc:   schedulingv1.PriorityClass{ObjectMeta: meta.ObjectMeta{Name: "zero"}},
			want: `{"metadata":{"name":"zero","creationTimestamp":null},"value":0}`,
		},
		{
			name: "every field",
			pc: schedulingv1.PriorityClass{
				Value: -5, GlobalDefault: true, Description: "d", PreemptionPolicy: &never,
			},
			want: `{"metadata":{"creationTimestamp":null},"value":-5,"globalDefault":true,"description":"d","preemptionPolicy":"Never"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(&tt.pc)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("json.Marshal =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestPriorityConstants(t *testing.T) {
	if schedulingv1.SystemCriticalPriority != 2_000_000_000 {
		t.Errorf("SystemCriticalPriority = %d, want 2000000000", schedulingv1.SystemCriticalPriority)
	}
	if schedulingv1.SystemNodeCritical != "system-node-critical" || schedulingv1.SystemClusterCritical != "system-cluster-critical" {
		t.Errorf("system class names = %q, %q", schedulingv1.SystemNodeCritical, schedulingv1.SystemClusterCritical)
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, in := range map[string]string{
		"value overflows int32":  `{"value":3000000000}`,
		"value is a string":      `{"value":"high"}`,
		"globalDefault a string": `{"value":1,"globalDefault":"yes"}`,
		"unknown field":          `{"value":1,"priority":2}`,
	} {
		t.Run(name, func(t *testing.T) {
			var pc schedulingv1.PriorityClass
			if err := apitest.DecodeStrict([]byte(in), &pc); err == nil {
				t.Errorf("decoding %s succeeded, want an error", in)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"PriorityClass","metadata":{"name":"p"},"value":1000,"globalDefault":true,"preemptionPolicy":"Never"}`))
	f.Add([]byte(`{"items":[{"value":-1}],"metadata":{"continue":"x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := apitest.CheckJSONStable(data, (*schedulingv1.PriorityClass).DeepCopy); err != nil {
			t.Fatal(err)
		}
		if err := apitest.CheckJSONStable(data, (*schedulingv1.PriorityClassList).DeepCopy); err != nil {
			t.Fatal(err)
		}
	})
}

func ExamplePriorityClass() {
	never := corev1.PreemptionPolicy("Never")
	pc := schedulingv1.PriorityClass{
		ObjectMeta:       meta.ObjectMeta{Name: "batch"},
		Value:            500,
		PreemptionPolicy: &never,
	}
	fmt.Println(pc.Value < schedulingv1.HighestUserDefinablePriority, *pc.PreemptionPolicy)
	// Output:
	// true Never
}
