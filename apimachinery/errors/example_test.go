package errors_test

import (
	"encoding/json"
	"errors"
	"fmt"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

func ExampleNewNotFound() {
	err := fmt.Errorf("reconcile default/web: %w",
		apierrors.NewNotFound(schema.GroupResource{Resource: "pods"}, "web"))
	fmt.Println(err)
	fmt.Println(apierrors.IsNotFound(err), apierrors.IsConflict(err), apierrors.StatusCodeForError(err))
	// Output:
	// reconcile default/web: pods "web" not found
	// true false 404
}

func ExampleNewConflict() {
	err := apierrors.NewConflict(schema.GroupResource{Group: "apps", Resource: "deployments"}, "web",
		errors.New(apierrors.OptimisticLockErrorMsg))
	fmt.Println(err)
	fmt.Println(apierrors.IsConflict(errors.Join(errors.New("retry budget exhausted"), err)))
	// Output:
	// Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again
	// true
}

func ExampleNewInvalid() {
	errs := field.ErrorList{field.Required(field.NewPath("spec", "containers").Index(0).Child("image"), "")}
	err := apierrors.NewInvalid(schema.GroupKind{Kind: "Pod"}, "web", errs)
	body, _ := json.Marshal(apierrors.ToStatus(err))
	fmt.Println(string(body))
	// Output:
	// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \"web\" is invalid: spec.containers[0].image: Required value","reason":"Invalid","details":{"name":"web","kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers[0].image"}]},"code":422}
}

func ExampleFromObject() {
	// A client decoded this body from a 410 response to a watch.
	var s meta.Status
	_ = json.Unmarshal([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}`), &s)
	err := apierrors.FromObject(s)
	fmt.Println(err, apierrors.IsResourceExpired(err), apierrors.IsGone(err))
	// Output: too old resource version: 1 (5) true false
}
