package v1

import (
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// ValidateLease checks a lease as the Kubernetes API server does: namespaced metadata with a
// DNS-subdomain name, a positive leaseDurationSeconds, non-negative leaseTransitions, a known
// strategy, and a preferredHolder only together with a strategy. It returns every problem as a
// field.ErrorList with Kubernetes' paths and messages.
func ValidateLease(l *Lease) field.ErrorList {
	errs := validation.ValidateObjectMeta(&l.ObjectMeta, true, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(errs, validateLeaseSpec(&l.Spec, field.NewPath("spec"))...)
}

// ValidateLeaseUpdate checks an update of a lease: the metadata rules of an update and the
// spec rules of ValidateLease. Every spec field may change; that is how leases are renewed
// and handed over.
func ValidateLeaseUpdate(n, o *Lease) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, field.NewPath("metadata"))
	return append(errs, validateLeaseSpec(&n.Spec, field.NewPath("spec"))...)
}

func validateLeaseSpec(s *LeaseSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if d := s.LeaseDurationSeconds; d != nil && *d <= 0 {
		errs = append(errs, field.Invalid(p.Child("leaseDurationSeconds"), *d, "must be greater than 0"))
	}
	if t := s.LeaseTransitions; t != nil && *t < 0 {
		errs = append(errs, field.Invalid(p.Child("leaseTransitions"), *t, validation.IsNegativeErrorMsg))
	}
	if st := s.Strategy; st != nil && *st != OldestEmulationVersion {
		errs = append(errs, field.NotSupported(p.Child("strategy"), *st, []string{string(OldestEmulationVersion)}))
	}
	if s.PreferredHolder != nil && *s.PreferredHolder != "" && s.Strategy == nil {
		errs = append(errs, field.Forbidden(p.Child("preferredHolder"), "may only be specified if `strategy` is defined"))
	}
	return errs
}
