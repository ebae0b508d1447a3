package backend

import (
	"errors"
	"testing"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

func TestReadRevision(t *testing.T) {
	gr := schema.GroupResource{Resource: "pods"}
	const current, compacted = 50, 20
	tests := []struct {
		name string
		c    store.Consistency
		rev  int64
		want int64
		is   func(error) bool
	}{
		{"latest", store.Latest, 0, current, nil},
		{"any", store.Any, 0, current, nil},
		{"latest with a revision", store.Latest, 3, 0, apierrors.IsBadRequest},
		{"not older than, past", store.NotOlderThan, 10, current, nil},
		{"not older than, future", store.NotOlderThan, 51, 0, apierrors.IsTooLargeResourceVersion},
		{"not older than, negative", store.NotOlderThan, -1, 0, apierrors.IsBadRequest},
		{"exact in history", store.Exact, 30, 30, nil},
		{"exact at the compaction point", store.Exact, compacted, compacted, nil},
		{"exact compacted", store.Exact, 19, 0, apierrors.IsResourceExpired},
		{"exact future", store.Exact, 51, 0, apierrors.IsTooLargeResourceVersion},
		{"exact zero", store.Exact, 0, 0, apierrors.IsBadRequest},
		{"unknown consistency", store.Consistency(9), 0, 0, apierrors.IsBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadRevision("test", "get", gr, tt.c, tt.rev, current, compacted)
			if tt.is == nil {
				if err != nil || got != tt.want {
					t.Fatalf("got %d, %v; want %d, nil", got, err, tt.want)
				}
				return
			}
			if !tt.is(err) {
				t.Fatalf("got %d, %v; want an error of the expected kind", got, err)
			}
		})
	}
}

func TestStatusOf(t *testing.T) {
	st := StatusOf(apierrors.NewResourceExpired("gone"))
	if st.Code != 410 || st.Reason != apierrors.StatusReasonExpired || st.Kind != "Status" || st.APIVersion != "v1" {
		t.Fatalf("expired: %+v", st)
	}
	st = StatusOf(errors.New("disk on fire"))
	if st.Code != 500 || st.Reason != "InternalError" || st.Message != "disk on fire" {
		t.Fatalf("plain error: %+v", st)
	}
}
