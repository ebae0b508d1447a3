package runtime_test

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

var _ runtime.Object = (*meta.Status)(nil)

func TestStatusIsAnObject(t *testing.T) {
	st := &meta.Status{Status: meta.StatusFailure, Code: 410, Reason: "Expired",
		Details: &meta.StatusDetails{Name: "x", Causes: []meta.StatusCause{{Message: "m"}}}}
	var obj runtime.Object = st
	cp, ok := obj.DeepCopyObject().(*meta.Status)
	if !ok {
		t.Fatalf("DeepCopyObject returned %T", obj.DeepCopyObject())
	}
	cp.Details.Causes[0].Message = "changed"
	if st.Details.Causes[0].Message != "m" {
		t.Fatal("the copy shares memory with the original")
	}
	var nilStatus *meta.Status
	if nilStatus.DeepCopyObject() != nil {
		t.Fatal("a nil Status must copy to a nil Object")
	}
}
