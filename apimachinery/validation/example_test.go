package validation_test

import (
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

func ExampleIsDNS1123Label() {
	fmt.Println(validation.IsDNS1123Label("my-name"))
	fmt.Println(validation.IsDNS1123Label("my.name"))
	// Output:
	// []
	// [must not contain dots]
}

func ExampleValidateObjectMeta() {
	m := meta.ObjectMeta{Name: "Web", Labels: map[string]string{"app": "web"}}
	errs := validation.ValidateObjectMeta(&m, true, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
	for _, e := range errs {
		fmt.Println(e.Type, "at", e.Field)
	}
	// Output:
	// Invalid value at metadata.name
	// Required value at metadata.namespace
}
