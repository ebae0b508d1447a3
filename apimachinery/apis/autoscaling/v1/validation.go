package v1

import (
	"strings"

	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// ValidateHorizontalPodAutoscaler checks an autoscaler as the Kubernetes API server does:
// namespaced metadata with a DNS-subdomain name, a scale target with a kind and a name,
// minReplicas of at least 1, maxReplicas of at least 1 and not below minReplicas, and a
// positive CPU target.
func ValidateHorizontalPodAutoscaler(h *HorizontalPodAutoscaler) field.ErrorList {
	errs := validation.ValidateObjectMeta(&h.ObjectMeta, true, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(errs, validateHPASpec(&h.Spec, field.NewPath("spec"))...)
}

func validateHPASpec(s *HorizontalPodAutoscalerSpec, sp *field.Path) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, ValidateCrossVersionObjectReference(s.ScaleTargetRef, sp.Child("scaleTargetRef"))...)
	if m := s.MinReplicas; m != nil && *m < 1 {
		errs = append(errs, field.Invalid(sp.Child("minReplicas"), *m, "must be greater than or equal to 1"))
	}
	if s.MaxReplicas < 1 {
		errs = append(errs, field.Invalid(sp.Child("maxReplicas"), s.MaxReplicas, "must be greater than 0"))
	}
	if m := s.MinReplicas; m != nil && s.MaxReplicas < *m {
		errs = append(errs, field.Invalid(sp.Child("maxReplicas"), s.MaxReplicas, "must be greater than or equal to `minReplicas`"))
	}
	if c := s.TargetCPUUtilizationPercentage; c != nil && *c < 1 {
		errs = append(errs, field.Invalid(sp.Child("targetCPUUtilizationPercentage"), *c, "must be greater than 0"))
	}
	return errs
}

// ValidateHorizontalPodAutoscalerUpdate checks an update of an autoscaler; every spec field
// may change.
func ValidateHorizontalPodAutoscalerUpdate(n, o *HorizontalPodAutoscaler) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, field.NewPath("metadata"))
	return append(errs, validateHPASpec(&n.Spec, field.NewPath("spec"))...)
}

// ValidateCrossVersionObjectReference checks a reference to the scaled object: a kind and a
// name, each usable as a path segment.
func ValidateCrossVersionObjectReference(ref CrossVersionObjectReference, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct{ name, v string }{{"kind", ref.Kind}, {"name", ref.Name}} {
		if f.v == "" {
			errs = append(errs, field.Required(p.Child(f.name), ""))
			continue
		}
		for _, msg := range pathSegmentErrors(f.v) {
			errs = append(errs, field.Invalid(p.Child(f.name), f.v, msg))
		}
	}
	return errs
}

// pathSegmentErrors says why s cannot be one segment of a URL path.
func pathSegmentErrors(s string) []string {
	switch s {
	case ".", "..":
		return []string{"may not be '" + s + "'"}
	}
	var errs []string
	for _, bad := range []string{"/", "%"} {
		if strings.Contains(s, bad) {
			errs = append(errs, "may not contain '"+bad+"'")
		}
	}
	return errs
}

// ValidateScale checks a scale request: a name and a non-negative replica count.
func ValidateScale(s *Scale) field.ErrorList {
	var errs field.ErrorList
	if s.Name == "" {
		errs = append(errs, field.Required(field.NewPath("metadata", "name"), "name or generateName is required"))
	}
	return append(errs, validation.ValidateNonnegativeField(int64(s.Spec.Replicas), field.NewPath("spec", "replicas"))...)
}
