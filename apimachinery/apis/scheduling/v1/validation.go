package v1

import (
	"fmt"
	"strings"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// systemPriorityClass reports the value a built-in system priority class must have, and
// whether name is one.
func systemPriorityClass(name string) (int32, bool) {
	switch name {
	case SystemClusterCritical:
		return SystemCriticalPriority, true
	case SystemNodeCritical:
		return SystemCriticalPriority + 1000, true
	}
	return 0, false
}

// ValidatePriorityClass checks a priority class as the Kubernetes API server does: cluster
// scoped metadata with a DNS-subdomain name; names starting with "system-" are reserved for
// the built-in system-cluster-critical and system-node-critical classes with their values (and
// not global default); other classes may not exceed HighestUserDefinablePriority; the
// preemption policy is known.
func ValidatePriorityClass(pc *PriorityClass) field.ErrorList {
	mp := field.NewPath("metadata")
	errs := validation.ValidateObjectMeta(&pc.ObjectMeta, false, validation.NameIsDNSSubdomain, mp)
	if strings.HasPrefix(pc.Name, SystemPriorityClassPrefix) {
		want, known := systemPriorityClass(pc.Name)
		var reason string
		switch {
		case !known:
			reason = fmt.Sprintf("%v is not a known system priority class", pc.Name)
		case pc.Value != want:
			reason = fmt.Sprintf("value of %v PriorityClass must be %v", pc.Name, want)
		case pc.GlobalDefault:
			reason = fmt.Sprintf("globalDefault of %v PriorityClass must be false", pc.Name)
		}
		if reason != "" {
			errs = append(errs, field.Forbidden(mp.Child("name"), "priority class names with '"+SystemPriorityClassPrefix+
				"' prefix are reserved for system use only. error: "+reason))
		}
	} else if pc.Value > HighestUserDefinablePriority {
		errs = append(errs, field.Forbidden(field.NewPath("value"), fmt.Sprintf("maximum allowed value of a user defined priority is %v", HighestUserDefinablePriority)))
	}
	if p := pc.PreemptionPolicy; p != nil && *p != corev1.PreemptLowerPriority && *p != corev1.PreemptNever {
		errs = append(errs, field.NotSupported(field.NewPath("preemptionPolicy"), *p,
			[]string{string(corev1.PreemptLowerPriority), string(corev1.PreemptNever)}))
	}
	return errs
}

// ValidatePriorityClassUpdate checks an update of a priority class: the value and the
// preemption policy may not change.
func ValidatePriorityClassUpdate(n, o *PriorityClass) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, field.NewPath("metadata"))
	errs = append(errs, ValidatePriorityClass(n)...)
	if n.Value != o.Value {
		errs = append(errs, field.Forbidden(field.NewPath("value"), "may not be changed in an update."))
	}
	errs = append(errs, validation.ValidateImmutableField(n.PreemptionPolicy, o.PreemptionPolicy, field.NewPath("preemptionPolicy"))...)
	return errs
}
