// Package validation holds the syntax rules Kubernetes applies to names, label keys and values,
// annotation keys, ports, environment variable names, config keys and IP addresses, with
// Kubernetes' limits (63 characters for labels, 253 for subdomains, 256 KiB of annotations) and
// its exact messages, and the checks of object metadata built on them (ValidateObjectMeta,
// ValidateObjectMetaUpdate, ValidateLabels, ValidateAnnotations).
//
// The Is* functions answer one string with the list of rules it breaks ([]string, nil when the
// string is valid); the Validate* functions answer a part of an object with a field.ErrorList
// whose errors carry the path of the offending field.
//
// Usage loop (a type's validation function):
//
//	func ValidateConfigMap(cm *v1.ConfigMap) field.ErrorList {
//		errs := validation.ValidateObjectMeta(&cm.ObjectMeta, true, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
//		for key := range cm.Data {
//			for _, msg := range validation.IsConfigMapKey(key) {
//				errs = append(errs, field.Invalid(field.NewPath("data").Key(key), key, msg))
//			}
//		}
//		return errs
//	}
//
// Concurrency and ownership: every function is pure and safe for concurrent use; inputs are
// only read, and the returned slices belong to the caller. The package has no mutable state.
package validation
