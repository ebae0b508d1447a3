package v1_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
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

func TestValidateLease(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*coordinationv1.Lease)
		want   []fe
	}{
		{name: "valid", mutate: func(*coordinationv1.Lease) {}},
		{name: "namespace required", mutate: func(l *coordinationv1.Lease) { l.Namespace = "" },
			want: []fe{{field.ErrorTypeRequired, "metadata.namespace"}}},
		{name: "durations", mutate: func(l *coordinationv1.Lease) {
			l.Spec.LeaseDurationSeconds = vptr(int32(0))
			l.Spec.LeaseTransitions = vptr(int32(-1))
		}, want: []fe{{field.ErrorTypeInvalid, "spec.leaseDurationSeconds"}, {field.ErrorTypeInvalid, "spec.leaseTransitions"}}},
		{name: "strategy", mutate: func(l *coordinationv1.Lease) {
			l.Spec.Strategy = vptr(coordinationv1.CoordinatedLeaseStrategy("Newest"))
		}, want: []fe{{field.ErrorTypeNotSupported, "spec.strategy"}}},
		{name: "preferred holder needs strategy", mutate: func(l *coordinationv1.Lease) { l.Spec.PreferredHolder = vptr("b") },
			want: []fe{{field.ErrorTypeForbidden, "spec.preferredHolder"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &coordinationv1.Lease{
				ObjectMeta: meta.ObjectMeta{Name: "node-1", Namespace: "kube-node-lease"},
				Spec:       coordinationv1.LeaseSpec{HolderIdentity: vptr("node-1"), LeaseDurationSeconds: vptr(int32(40))},
			}
			tt.mutate(l)
			if diff := cmp.Diff(tt.want, summarize(coordinationv1.ValidateLease(l))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateLeaseUpdate(t *testing.T) {
	old := &coordinationv1.Lease{ObjectMeta: meta.ObjectMeta{Name: "l", Namespace: "d", ResourceVersion: "1"}}
	n := old.DeepCopy()
	n.Spec.HolderIdentity = vptr("b")
	if errs := coordinationv1.ValidateLeaseUpdate(n, old); len(errs) > 0 {
		t.Errorf("holder change: %v", errs)
	}
	n.Namespace = "e"
	if diff := cmp.Diff([]fe{{field.ErrorTypeInvalid, "metadata.namespace"}}, summarize(coordinationv1.ValidateLeaseUpdate(n, old))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRegisterDefaults(t *testing.T) {
	s := runtime.NewScheme()
	if err := coordinationv1.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	if s.Default(&coordinationv1.Lease{}) {
		t.Error("a defaulting func was registered for Lease, which Kubernetes does not default")
	}
}

func TestTestdataValidates(t *testing.T) {
	docs, err := apitest.ReadManifests("testdata/lease.yaml", "Lease")
	if err != nil || len(docs) == 0 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	for _, d := range docs {
		var l coordinationv1.Lease
		if err := apitest.DecodeStrict(d.JSON, &l); err != nil {
			t.Fatal(err)
		}
		if l.Namespace == "" {
			l.Namespace = "default"
		}
		if errs := coordinationv1.ValidateLease(&l); len(errs) > 0 {
			t.Errorf("document %d: %v", d.Index, errs.ToAggregate())
		}
	}
}
