package field_test

import (
	"errors"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

func ExamplePath() {
	containers := field.NewPath("spec").Child("containers")
	fmt.Println(containers.Index(0).Child("image"))
	fmt.Println(field.NewPath("metadata", "labels").Key("app"))
	// Output:
	// spec.containers[0].image
	// metadata.labels[app]
}

func ExampleErrorList_ToAggregate() {
	var errs field.ErrorList
	errs = append(errs, field.Required(field.NewPath("spec").Child("containers").Index(0).Child("image"), ""))
	errs = append(errs, field.NotSupported(field.NewPath("spec", "restartPolicy"), "Sometimes", []string{"Always", "Never"}))
	err := fmt.Errorf("validate pod: %w", errs.ToAggregate())
	fmt.Println(err)
	fmt.Println(errors.Is(err, &field.Error{Type: field.ErrorTypeRequired}))
	// Output:
	// validate pod: [spec.containers[0].image: Required value, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never"]
	// true
}
