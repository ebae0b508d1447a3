package v1_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*policyv1.PodDisruptionBudget).DeepCopy),
		apitest.DeepCopyCase((*policyv1.PodDisruptionBudgetSpec).DeepCopy),
		apitest.DeepCopyCase((*policyv1.PodDisruptionBudgetStatus).DeepCopy),
		apitest.DeepCopyCase((*policyv1.PodDisruptionBudgetList).DeepCopy),
		apitest.DeepCopyCase((*policyv1.Eviction).DeepCopy),
	}, apitest.Options{})
}

func TestManifests(t *testing.T) {
	apitest.CheckManifests[policyv1.PodDisruptionBudget](t,
		filepath.Join("testdata", "kubernetes-examples", "cockroachdb-statefulset.yaml"), "PodDisruptionBudget", 1)
	own := filepath.Join("testdata", "policy.yaml")
	apitest.CheckManifests[policyv1.PodDisruptionBudget](t, own, "PodDisruptionBudget", 2)
	apitest.CheckManifests[policyv1.Eviction](t, own, "Eviction", 1)
}

// Normalize treats {} as absent, but for a budget a nil selector selects nothing and an empty
// one selects every pod; check that the distinction survives decoding and encoding.
func TestSelectorNilVersusEmpty(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		wantNil    bool
		wantOutput string
	}{
		{name: "absent", in: `{"spec":{"minAvailable":1}}`, wantNil: true, wantOutput: `{"minAvailable":1}`},
		{name: "null", in: `{"spec":{"selector":null}}`, wantNil: true, wantOutput: `{}`},
		{name: "empty", in: `{"spec":{"selector":{}}}`, wantOutput: `{"selector":{}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pdb policyv1.PodDisruptionBudget
			if err := apitest.DecodeStrict([]byte(tt.in), &pdb); err != nil {
				t.Fatal(err)
			}
			if got := pdb.Spec.Selector == nil; got != tt.wantNil {
				t.Errorf("selector nil = %v, want %v", got, tt.wantNil)
			}
			out, err := json.Marshal(pdb.Spec)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.wantOutput {
				t.Errorf("spec encodes as %s, want %s", out, tt.wantOutput)
			}
		})
	}
}

func TestBudgetValues(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantMin   *intstr.IntOrString
		wantMax   *intstr.IntOrString
		wantError bool
	}{
		{name: "percentage", in: `{"minAvailable":"67%"}`, wantMin: ptr(intstr.FromString("67%"))},
		{name: "count", in: `{"maxUnavailable":1}`, wantMax: ptr(intstr.FromInt32(1))},
		{name: "zero count is kept", in: `{"maxUnavailable":0}`, wantMax: ptr(intstr.FromInt32(0))},
		{name: "fraction is an error", in: `{"maxUnavailable":1.5}`, wantError: true},
		{name: "object is an error", in: `{"minAvailable":{}}`, wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var spec policyv1.PodDisruptionBudgetSpec
			err := json.Unmarshal([]byte(tt.in), &spec)
			if (err != nil) != tt.wantError {
				t.Fatalf("error = %v, want error %v", err, tt.wantError)
			}
			if tt.wantError {
				return
			}
			if diff := cmp.Diff(tt.wantMin, spec.MinAvailable); diff != "" {
				t.Errorf("minAvailable (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantMax, spec.MaxUnavailable); diff != "" {
				t.Errorf("maxUnavailable (-want +got):\n%s", diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestStatusWritesCountsEvenWhenZero(t *testing.T) {
	got, err := json.Marshal(policyv1.PodDisruptionBudgetStatus{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}`
	if string(got) != want {
		t.Errorf("empty status encodes as %s, want %s", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"PodDisruptionBudget","spec":{"minAvailable":"50%","selector":{"matchLabels":{"a":"b"}}},"status":{"disruptedPods":{"p":"2026-01-01T00:00:00Z"},"conditions":[{"type":"DisruptionAllowed","status":"True","lastTransitionTime":null,"reason":"","message":""}]}}`))
	f.Add([]byte(`{"kind":"Eviction","metadata":{"name":"p"},"deleteOptions":{"gracePeriodSeconds":0,"dryRun":["All"]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := apitest.CheckJSONStable(data, (*policyv1.PodDisruptionBudget).DeepCopy); err != nil {
			t.Fatal(err)
		}
		if err := apitest.CheckJSONStable(data, (*policyv1.Eviction).DeepCopy); err != nil {
			t.Fatal(err)
		}
	})
}

func ExamplePodDisruptionBudget() {
	pdb := policyv1.PodDisruptionBudget{
		ObjectMeta: meta.ObjectMeta{Name: "zk"},
		Spec: policyv1.PodDisruptionBudgetSpec{
			MaxUnavailable: ptr(intstr.FromInt32(1)),
			Selector:       &meta.LabelSelector{MatchLabels: map[string]string{"app": "zookeeper"}},
		},
		Status: policyv1.PodDisruptionBudgetStatus{
			DisruptedPods: map[string]meta.Time{"zk-1": meta.NewTime(time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC))},
		},
	}
	spec, _ := json.Marshal(pdb.Spec)
	status, _ := json.Marshal(pdb.Status)
	fmt.Println(string(spec))
	fmt.Println(string(status))
	// Output:
	// {"selector":{"matchLabels":{"app":"zookeeper"}},"maxUnavailable":1}
	// {"disruptedPods":{"zk-1":"2026-11-22T06:00:00Z"},"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}
}
