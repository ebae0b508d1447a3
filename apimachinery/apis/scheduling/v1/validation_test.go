package v1_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	schedulingv1 "github.com/cellkit/cellkit/apimachinery/apis/scheduling/v1"
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

func TestValidatePriorityClass(t *testing.T) {
	pc := func(name string, value int32) *schedulingv1.PriorityClass {
		p := &schedulingv1.PriorityClass{ObjectMeta: meta.ObjectMeta{Name: name}, Value: value}
		schedulingv1.DefaultPriorityClass(p)
		return p
	}
	tests := []struct {
		name string
		pc   *schedulingv1.PriorityClass
		want []fe
	}{
		{name: "user class", pc: pc("high", 1000)},
		{name: "user maximum", pc: pc("top", schedulingv1.HighestUserDefinablePriority)},
		{name: "above user maximum", pc: pc("top", schedulingv1.HighestUserDefinablePriority+1), want: []fe{{field.ErrorTypeForbidden, "value"}}},
		{name: "system cluster critical", pc: pc("system-cluster-critical", schedulingv1.SystemCriticalPriority)},
		{name: "system node critical", pc: pc("system-node-critical", schedulingv1.SystemCriticalPriority+1000)},
		{name: "system node critical wrong value", pc: pc("system-node-critical", 5), want: []fe{{field.ErrorTypeForbidden, "metadata.name"}}},
		{name: "unknown system class", pc: pc("system-mine", 5), want: []fe{{field.ErrorTypeForbidden, "metadata.name"}}},
		{name: "namespaced", pc: func() *schedulingv1.PriorityClass { p := pc("a", 1); p.Namespace = "x"; return p }(),
			want: []fe{{field.ErrorTypeForbidden, "metadata.namespace"}}},
		{name: "preemption policy", pc: func() *schedulingv1.PriorityClass {
			p := pc("a", 1)
			p.PreemptionPolicy = vptr(corev1.PreemptionPolicy("Sometimes"))
			return p
		}(), want: []fe{{field.ErrorTypeNotSupported, "preemptionPolicy"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarize(schedulingv1.ValidatePriorityClass(tt.pc))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidatePriorityClassUpdate(t *testing.T) {
	old := &schedulingv1.PriorityClass{ObjectMeta: meta.ObjectMeta{Name: "high", ResourceVersion: "1"}, Value: 10}
	schedulingv1.DefaultPriorityClass(old)
	n := old.DeepCopy()
	n.Description = "changed"
	if errs := schedulingv1.ValidatePriorityClassUpdate(n, old); len(errs) > 0 {
		t.Errorf("description change: %v", errs)
	}
	n.Value = 11
	n.PreemptionPolicy = vptr(corev1.PreemptNever)
	want := []fe{{field.ErrorTypeForbidden, "value"}, {field.ErrorTypeInvalid, "preemptionPolicy"}}
	if diff := cmp.Diff(want, summarize(schedulingv1.ValidatePriorityClassUpdate(n, old))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDefaultPriorityClass(t *testing.T) {
	s := runtime.NewScheme()
	if err := schedulingv1.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	l := &schedulingv1.PriorityClassList{Items: []schedulingv1.PriorityClass{{}, {PreemptionPolicy: vptr(corev1.PreemptNever)}}}
	s.Default(l)
	want := []*corev1.PreemptionPolicy{vptr(corev1.PreemptLowerPriority), vptr(corev1.PreemptNever)}
	got := []*corev1.PreemptionPolicy{l.Items[0].PreemptionPolicy, l.Items[1].PreemptionPolicy}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	again := l.DeepCopy()
	s.Default(again)
	if diff := cmp.Diff(l, again); diff != "" {
		t.Errorf("not idempotent:\n%s", diff)
	}
}

func TestTestdataValidatesAfterDefaulting(t *testing.T) {
	docs, err := apitest.ReadManifests("testdata/priorityclass.yaml", "PriorityClass")
	if err != nil || len(docs) == 0 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	for _, d := range docs {
		var pc schedulingv1.PriorityClass
		if err := apitest.DecodeStrict(d.JSON, &pc); err != nil {
			t.Fatal(err)
		}
		schedulingv1.DefaultPriorityClass(&pc)
		if errs := schedulingv1.ValidatePriorityClass(&pc); len(errs) > 0 {
			t.Errorf("document %d: %v", d.Index, errs.ToAggregate())
		}
	}
}
