package v1

import (
	"strconv"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// ValidatePodDisruptionBudget checks a disruption budget as the Kubernetes API server does:
// namespaced metadata with a DNS-subdomain name; at most one of minAvailable and
// maxUnavailable, each a non-negative count or a percentage of at most 100%; a well-formed
// selector; a known unhealthy-pod eviction policy.
func ValidatePodDisruptionBudget(pdb *PodDisruptionBudget) field.ErrorList {
	errs := validation.ValidateObjectMeta(&pdb.ObjectMeta, true, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(errs, validatePDBSpec(&pdb.Spec, field.NewPath("spec"))...)
}

// ValidatePodDisruptionBudgetUpdate checks an update of a disruption budget; in policy/v1
// the whole spec, selector included, may change.
func ValidatePodDisruptionBudgetUpdate(n, o *PodDisruptionBudget) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, field.NewPath("metadata"))
	return append(errs, validatePDBSpec(&n.Spec, field.NewPath("spec"))...)
}

func validatePDBSpec(s *PodDisruptionBudgetSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.MinAvailable != nil && s.MaxUnavailable != nil {
		errs = append(errs, field.Invalid(p, s, "minAvailable and maxUnavailable cannot be both set"))
	}
	errs = append(errs, validateIntOrPercent(s.MinAvailable, p.Child("minAvailable"))...)
	errs = append(errs, validateIntOrPercent(s.MaxUnavailable, p.Child("maxUnavailable"))...)
	errs = append(errs, labels.ValidateLabelSelector(s.Selector, p.Child("selector"))...)
	if u := s.UnhealthyPodEvictionPolicy; u != nil && *u != IfHealthyBudget && *u != AlwaysAllow {
		errs = append(errs, field.NotSupported(p.Child("unhealthyPodEvictionPolicy"), *u, []string{string(AlwaysAllow), string(IfHealthyBudget)}))
	}
	return errs
}

// validateIntOrPercent checks a non-negative count or a percentage from 0% to 100%.
func validateIntOrPercent(v *intstr.IntOrString, p *field.Path) field.ErrorList {
	if v == nil {
		return nil
	}
	if v.Type == intstr.Int {
		return validation.ValidateNonnegativeField(int64(v.IntVal), p)
	}
	if len(validation.IsValidPercent(v.StrVal)) > 0 {
		return field.ErrorList{field.Invalid(p, v.StrVal, "must be an integer or percentage (e.g '5%')")}
	}
	if n, err := strconv.Atoi(strings.TrimSuffix(v.StrVal, "%")); err != nil || n > 100 {
		return field.ErrorList{field.Invalid(p, v.StrVal, "must not be greater than 100%")}
	}
	return nil
}

// ValidateEviction checks an eviction: it names the pod to evict (a DNS subdomain in a
// namespace) and, when it carries delete options, their grace period is not negative.
func ValidateEviction(e *Eviction) field.ErrorList {
	errs := validation.ValidateObjectMeta(&e.ObjectMeta, true, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
	if o := e.DeleteOptions; o != nil && o.GracePeriodSeconds != nil && *o.GracePeriodSeconds < 0 {
		errs = append(errs, field.Invalid(field.NewPath("deleteOptions", "gracePeriodSeconds"), *o.GracePeriodSeconds, validation.IsNegativeErrorMsg))
	}
	return errs
}
