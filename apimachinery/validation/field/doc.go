// Package field describes validation failures of individual fields of an object: where (a Path
// such as spec.containers[0].image), what kind (an ErrorType with Kubernetes' wire string, such as
// FieldValueRequired) and why (a detail). Validation functions return an ErrorList; the API
// errors package turns that list into an Invalid Status whose causes are the list's errors, so the
// messages here are exactly what a Kubernetes client shows to its user.
//
// Usage loop:
//
//	func validateSpec(spec *Spec, path *field.Path) field.ErrorList {
//		var errs field.ErrorList
//		for i, c := range spec.Containers {
//			if c.Image == "" {
//				errs = append(errs, field.Required(path.Child("containers").Index(i).Child("image"), ""))
//			}
//		}
//		return errs
//	}
//
//	if err := validateSpec(&obj.Spec, field.NewPath("spec")).ToAggregate(); err != nil { ... }
//
// Concurrency and ownership: a Path is immutable and may be shared and extended from many
// goroutines. Error values are plain data owned by whoever holds them. An ErrorList is an
// ordinary slice: one goroutine appends to it. The package has no mutable global state.
package field
