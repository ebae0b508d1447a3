package v1_test

import (
	"testing"

	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/google/go-cmp/cmp"
)

func TestJobFields(t *testing.T) {
	tests := []struct {
		name     string
		job      *batchv1.Job
		want     fields.Set
		selector string
		matches  bool
	}{
		{"zero", &batchv1.Job{}, fields.Set{"metadata.name": "", "metadata.namespace": "", "status.successful": "0"},
			"status.successful=0", true},
		{"done", &batchv1.Job{ObjectMeta: meta.ObjectMeta{Name: "pi", Namespace: "batch"},
			Status: batchv1.JobStatus{Succeeded: 5}},
			fields.Set{"metadata.name": "pi", "metadata.namespace": "batch", "status.successful": "5"},
			"status.successful=0", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := batchv1.JobFields(tc.job)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if m := fields.MustParseSelector(tc.selector).Matches(got); m != tc.matches {
				t.Errorf("%s matches = %v, want %v", tc.selector, m, tc.matches)
			}
		})
	}
}
