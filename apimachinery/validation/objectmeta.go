package validation

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// TotalAnnotationSizeLimitB is the most bytes the keys and values of an object's annotations may
// take together (256 KiB).
const TotalAnnotationSizeLimitB = 256 * (1 << 10)

// The finalizers that tell the garbage collector how to treat dependents; an object may not
// carry both.
const (
	FinalizerOrphanDependents = "orphan"
	FinalizerDeleteDependents = "foregroundDeletion"
)

// ValidateNameFunc checks the name of an object of some type. When prefix is true, name is a
// generateName prefix that a random suffix will complete, so a trailing "-" is allowed. It
// returns the reasons the name is invalid, or nil.
type ValidateNameFunc func(name string, prefix bool) []string

// maskTrailingDash lets a generateName prefix end in "-" by checking it as if it ended in "a".
func maskTrailingDash(name string) string {
	if len(name) > 1 && strings.HasSuffix(name, "-") {
		return name[:len(name)-1] + "a"
	}
	return name
}

// NameIsDNSSubdomain is a ValidateNameFunc for types whose names are DNS-1123 subdomains (most
// types: ConfigMap, Deployment, Pod, ...).
func NameIsDNSSubdomain(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1123Subdomain(name)
}

// NameIsDNSLabel is a ValidateNameFunc for types whose names are DNS-1123 labels (Namespace,
// Service, ...).
func NameIsDNSLabel(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1123Label(name)
}

// NameIsDNS1035Label is a ValidateNameFunc for types whose names are DNS-1035 labels.
func NameIsDNS1035Label(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1035Label(name)
}

// ValidateNamespaceName checks a namespace name (a DNS-1123 label).
func ValidateNamespaceName(name string, prefix bool) []string { return NameIsDNSLabel(name, prefix) }

// sortedKeys returns the keys of m in order, so that errors come out in a stable order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ValidateLabelName checks a label key (a qualified name); errors are reported at path.
func ValidateLabelName(key string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range IsQualifiedName(key) {
		errs = append(errs, field.Invalid(path, key, msg))
	}
	return errs
}

// ValidateLabels checks every key (a qualified name) and value (a label value) of labels.
// Errors are reported at path (for example metadata.labels) with the bad key or value, as
// Kubernetes does, in key order.
func ValidateLabels(labels map[string]string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sortedKeys(labels) {
		errs = append(errs, ValidateLabelName(k, path)...)
		v := labels[k]
		for _, msg := range IsValidLabelValue(v) {
			errs = append(errs, field.Invalid(path, v, msg))
		}
	}
	return errs
}

// ValidateAnnotations checks that every key of annotations is a qualified name (case does not
// matter) and that keys and values together take at most TotalAnnotationSizeLimitB bytes.
func ValidateAnnotations(annotations map[string]string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, k := range sortedKeys(annotations) {
		for _, msg := range IsQualifiedName(strings.ToLower(k)) {
			errs = append(errs, field.Invalid(path, k, msg))
		}
	}
	if AnnotationsSize(annotations) > TotalAnnotationSizeLimitB {
		errs = append(errs, field.TooLong(path, "", TotalAnnotationSizeLimitB))
	}
	return errs
}

// AnnotationsSize returns the bytes the keys and values of annotations take together.
func AnnotationsSize(annotations map[string]string) int64 {
	var n int64
	for k, v := range annotations {
		n += int64(len(k)) + int64(len(v))
	}
	return n
}

// ValidateNonnegativeField checks that value is not negative.
func ValidateNonnegativeField(value int64, path *field.Path) field.ErrorList {
	if value < 0 {
		return field.ErrorList{field.Invalid(path, value, IsNegativeErrorMsg)}
	}
	return nil
}

// ValidateImmutableField reports an error at path when newVal differs from oldVal (compared
// with reflect.DeepEqual).
func ValidateImmutableField(newVal, oldVal any, path *field.Path) field.ErrorList {
	if reflect.DeepEqual(newVal, oldVal) {
		return nil
	}
	return field.ErrorList{field.Invalid(path, newVal, FieldImmutableErrorMsg)}
}

// isBannedOwner reports whether objects of kind gvk may not own other objects (core/v1 Events,
// which are deleted freely).
func isBannedOwner(gvk schema.GroupVersionKind) bool {
	return gvk == schema.GroupVersionKind{Group: "", Version: "v1", Kind: "Event"}
}

// ValidateOwnerReferences checks that each reference names apiVersion (with a version), kind,
// name and uid, that no Event is an owner, and that at most one reference is the controller.
func ValidateOwnerReferences(refs []meta.OwnerReference, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	firstController := ""
	for _, ref := range refs {
		gvk := schema.FromAPIVersionAndKind(ref.APIVersion, ref.Kind)
		if gvk.Version == "" {
			errs = append(errs, field.Invalid(path.Child("apiVersion"), ref.APIVersion, "version must not be empty"))
		}
		if gvk.Kind == "" {
			errs = append(errs, field.Invalid(path.Child("kind"), ref.Kind, "must not be empty"))
		}
		if ref.Name == "" {
			errs = append(errs, field.Invalid(path.Child("name"), ref.Name, "must not be empty"))
		}
		if ref.UID == "" {
			errs = append(errs, field.Invalid(path.Child("uid"), string(ref.UID), "must not be empty"))
		}
		if isBannedOwner(gvk) {
			errs = append(errs, field.Invalid(path, ref, fmt.Sprintf("%s is disallowed from being an owner", gvk)))
		}
		if ref.Controller != nil && *ref.Controller {
			cur := ref.Kind + "/" + ref.Name
			if firstController != "" {
				errs = append(errs, field.Invalid(path, field.OmitValue,
					fmt.Sprintf("Only one reference can have Controller set to true. Found \"true\" in references for %s and %s", firstController, cur)))
			} else {
				firstController = cur
			}
		}
	}
	return errs
}

// ValidateFinalizers checks that each finalizer is a qualified name and that "orphan" and
// "foregroundDeletion" are not both present.
func ValidateFinalizers(finalizers []string, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, f := range finalizers {
		for _, msg := range IsQualifiedName(f) {
			errs = append(errs, field.Invalid(path, f, msg))
		}
	}
	if slices.Contains(finalizers, FinalizerOrphanDependents) && slices.Contains(finalizers, FinalizerDeleteDependents) {
		errs = append(errs, field.Invalid(path, finalizers,
			fmt.Sprintf("finalizer %s and %s cannot be both set", FinalizerOrphanDependents, FinalizerDeleteDependents)))
	}
	return errs
}

// ValidateObjectMeta checks the metadata of a new object: the name (required; the store fills
// it from generateName before validating) and generateName against nameFn, the namespace
// (required and a DNS label when requiresNamespace, forbidden otherwise), a non-negative
// generation, labels, annotations, owner references and finalizers. path is usually
// field.NewPath("metadata").
func ValidateObjectMeta(m *meta.ObjectMeta, requiresNamespace bool, nameFn ValidateNameFunc, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if m.GenerateName != "" {
		for _, msg := range nameFn(m.GenerateName, true) {
			errs = append(errs, field.Invalid(path.Child("generateName"), m.GenerateName, msg))
		}
	}
	if m.Name == "" {
		errs = append(errs, field.Required(path.Child("name"), "name or generateName is required"))
	} else {
		for _, msg := range nameFn(m.Name, false) {
			errs = append(errs, field.Invalid(path.Child("name"), m.Name, msg))
		}
	}
	if requiresNamespace {
		if m.Namespace == "" {
			errs = append(errs, field.Required(path.Child("namespace"), ""))
		} else {
			for _, msg := range ValidateNamespaceName(m.Namespace, false) {
				errs = append(errs, field.Invalid(path.Child("namespace"), m.Namespace, msg))
			}
		}
	} else if m.Namespace != "" {
		errs = append(errs, field.Forbidden(path.Child("namespace"), "not allowed on this type"))
	}
	errs = append(errs, ValidateNonnegativeField(m.Generation, path.Child("generation"))...)
	errs = append(errs, ValidateLabels(m.Labels, path.Child("labels"))...)
	errs = append(errs, ValidateAnnotations(m.Annotations, path.Child("annotations"))...)
	errs = append(errs, ValidateOwnerReferences(m.OwnerReferences, path.Child("ownerReferences"))...)
	errs = append(errs, ValidateFinalizers(m.Finalizers, path.Child("finalizers"))...)
	return errs
}

// ValidateObjectMetaUpdate checks the metadata of an update of oldMeta to newMeta: the new
// metadata must carry a resourceVersion; generation may not go down; name, namespace, uid,
// creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds may not change; no
// finalizer may be added once deletion has started; labels, annotations, owner references and
// finalizers must be valid.
func ValidateObjectMetaUpdate(newMeta, oldMeta *meta.ObjectMeta, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if oldMeta.DeletionTimestamp != nil {
		var added []string
		for _, f := range newMeta.Finalizers {
			if !slices.Contains(oldMeta.Finalizers, f) && !slices.Contains(added, f) {
				added = append(added, f)
			}
		}
		if len(added) > 0 {
			sort.Strings(added)
			errs = append(errs, field.Forbidden(path.Child("finalizers"),
				fmt.Sprintf("no new finalizers can be added if the object is being deleted, found new finalizers %q", added)))
		}
	}
	if newMeta.ResourceVersion == "" {
		errs = append(errs, field.Invalid(path.Child("resourceVersion"), newMeta.ResourceVersion, "must be specified for an update"))
	}
	if newMeta.Generation < oldMeta.Generation {
		errs = append(errs, field.Invalid(path.Child("generation"), newMeta.Generation, "must not be decremented"))
	}
	errs = append(errs, ValidateImmutableField(newMeta.Name, oldMeta.Name, path.Child("name"))...)
	errs = append(errs, ValidateImmutableField(newMeta.Namespace, oldMeta.Namespace, path.Child("namespace"))...)
	errs = append(errs, ValidateImmutableField(string(newMeta.UID), string(oldMeta.UID), path.Child("uid"))...)
	if !newMeta.CreationTimestamp.Equal(&oldMeta.CreationTimestamp) {
		errs = append(errs, field.Invalid(path.Child("creationTimestamp"), newMeta.CreationTimestamp, FieldImmutableErrorMsg))
	}
	if !newMeta.DeletionTimestamp.Equal(oldMeta.DeletionTimestamp) {
		errs = append(errs, field.Invalid(path.Child("deletionTimestamp"), newMeta.DeletionTimestamp, FieldImmutableErrorMsg))
	}
	if !equalInt64Ptr(newMeta.DeletionGracePeriodSeconds, oldMeta.DeletionGracePeriodSeconds) {
		errs = append(errs, field.Invalid(path.Child("deletionGracePeriodSeconds"), newMeta.DeletionGracePeriodSeconds, FieldImmutableErrorMsg))
	}
	errs = append(errs, ValidateLabels(newMeta.Labels, path.Child("labels"))...)
	errs = append(errs, ValidateAnnotations(newMeta.Annotations, path.Child("annotations"))...)
	errs = append(errs, ValidateOwnerReferences(newMeta.OwnerReferences, path.Child("ownerReferences"))...)
	errs = append(errs, ValidateFinalizers(newMeta.Finalizers, path.Child("finalizers"))...)
	return errs
}

func equalInt64Ptr(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
