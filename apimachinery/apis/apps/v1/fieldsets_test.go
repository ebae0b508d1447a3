package v1_test

import (
	"testing"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/google/go-cmp/cmp"
)

func TestReplicaSetFields(t *testing.T) {
	tests := []struct {
		name string
		rs   *appsv1.ReplicaSet
		want fields.Set
	}{
		{"zero", &appsv1.ReplicaSet{},
			fields.Set{"metadata.name": "", "metadata.namespace": "", "status.replicas": "0"}},
		{"scaled", &appsv1.ReplicaSet{ObjectMeta: meta.ObjectMeta{Name: "web-5d8f", Namespace: "shop"},
			Status: appsv1.ReplicaSetStatus{Replicas: 3}},
			fields.Set{"metadata.name": "web-5d8f", "metadata.namespace": "shop", "status.replicas": "3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := appsv1.ReplicaSetFields(tc.rs)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if !fields.MustParseSelector("status.replicas!=1").Matches(got) {
				t.Error("status.replicas!=1 does not match")
			}
		})
	}
}
