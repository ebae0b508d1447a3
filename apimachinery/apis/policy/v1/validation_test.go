package v1_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
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

func TestValidatePodDisruptionBudget(t *testing.T) {
	tests := []struct {
		name string
		spec policyv1.PodDisruptionBudgetSpec
		want []fe
	}{
		{name: "min available count", spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: vptr(intstr.FromInt32(2))}},
		{name: "max unavailable percent", spec: policyv1.PodDisruptionBudgetSpec{MaxUnavailable: vptr(intstr.FromString("10%"))}},
		{name: "neither", spec: policyv1.PodDisruptionBudgetSpec{}},
		{name: "both", spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: vptr(intstr.FromInt32(1)), MaxUnavailable: vptr(intstr.FromInt32(1))},
			want: []fe{{field.ErrorTypeInvalid, "spec"}}},
		{name: "negative count", spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: vptr(intstr.FromInt32(-1))},
			want: []fe{{field.ErrorTypeInvalid, "spec.minAvailable"}}},
		{name: "over 100 percent", spec: policyv1.PodDisruptionBudgetSpec{MaxUnavailable: vptr(intstr.FromString("101%"))},
			want: []fe{{field.ErrorTypeInvalid, "spec.maxUnavailable"}}},
		{name: "not a percent", spec: policyv1.PodDisruptionBudgetSpec{MaxUnavailable: vptr(intstr.FromString("half"))},
			want: []fe{{field.ErrorTypeInvalid, "spec.maxUnavailable"}}},
		{name: "bad selector and policy", spec: policyv1.PodDisruptionBudgetSpec{
			Selector:                   &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "app", Operator: "Near"}}},
			UnhealthyPodEvictionPolicy: vptr(policyv1.UnhealthyPodEvictionPolicyType("Never")),
		}, want: []fe{{field.ErrorTypeInvalid, "spec.selector.matchExpressions[0].operator"}, {field.ErrorTypeNotSupported, "spec.unhealthyPodEvictionPolicy"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdb := &policyv1.PodDisruptionBudget{ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"}, Spec: tt.spec}
			if diff := cmp.Diff(tt.want, summarize(policyv1.ValidatePodDisruptionBudget(pdb))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateEviction(t *testing.T) {
	e := &policyv1.Eviction{ObjectMeta: meta.ObjectMeta{Name: "web-1", Namespace: "default"}, DeleteOptions: &meta.DeleteOptions{GracePeriodSeconds: vptr(int64(-1))}}
	want := []fe{{field.ErrorTypeInvalid, "deleteOptions.gracePeriodSeconds"}}
	if diff := cmp.Diff(want, summarize(policyv1.ValidateEviction(e))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTestdataValidates(t *testing.T) {
	files := []string{"testdata/policy.yaml", filepath.Join("testdata", "kubernetes-examples", "cockroachdb-statefulset.yaml")}
	checked := 0
	for _, f := range files {
		docs, err := apitest.ReadManifests(f, "PodDisruptionBudget", "Eviction")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			var errs field.ErrorList
			switch d.Kind {
			case "PodDisruptionBudget":
				var o policyv1.PodDisruptionBudget
				if err := apitest.DecodeStrict(d.JSON, &o); err != nil {
					t.Fatal(err)
				}
				if o.Namespace == "" {
					o.Namespace = "default"
				}
				errs = policyv1.ValidatePodDisruptionBudget(&o)
			case "Eviction":
				var o policyv1.Eviction
				if err := apitest.DecodeStrict(d.JSON, &o); err != nil {
					t.Fatal(err)
				}
				if o.Namespace == "" {
					o.Namespace = "default"
				}
				errs = policyv1.ValidateEviction(&o)
			}
			checked++
			if len(errs) > 0 {
				t.Errorf("%s document %d: %v", f, d.Index, errs.ToAggregate())
			}
		}
	}
	if checked < 3 {
		t.Errorf("checked %d documents, want at least 3", checked)
	}
}
