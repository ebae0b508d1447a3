package v2

import (
	"fmt"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// Limits of autoscaling/v2 behaviors that Kubernetes enforces.
const (
	// MaxPeriodSeconds is the longest period of a scaling policy (30 minutes).
	MaxPeriodSeconds int32 = 1800
	// MaxStabilizationWindowSeconds is the longest stabilization window (one hour).
	MaxStabilizationWindowSeconds int32 = 3600
)

// ValidateHorizontalPodAutoscaler checks an autoscaler as the Kubernetes API server does after
// defaulting: namespaced metadata with a DNS-subdomain name; a scale target with a kind and a
// name; minReplicas of at least 1; maxReplicas of at least 1 and not below minReplicas; each
// metric with the one source its type names and a well-formed target; and the behavior's
// policies, windows and select policies.
func ValidateHorizontalPodAutoscaler(h *HorizontalPodAutoscaler) field.ErrorList {
	errs := validation.ValidateObjectMeta(&h.ObjectMeta, true, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(errs, validateSpec(&h.Spec, field.NewPath("spec"))...)
}

// ValidateHorizontalPodAutoscalerUpdate checks an update of an autoscaler; every spec field
// may change.
func ValidateHorizontalPodAutoscalerUpdate(n, o *HorizontalPodAutoscaler) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, field.NewPath("metadata"))
	return append(errs, validateSpec(&n.Spec, field.NewPath("spec"))...)
}

func validateSpec(s *HorizontalPodAutoscalerSpec, sp *field.Path) field.ErrorList {
	errs := validateReference(s.ScaleTargetRef, sp.Child("scaleTargetRef"))
	if m := s.MinReplicas; m != nil && *m < 1 {
		errs = append(errs, field.Invalid(sp.Child("minReplicas"), *m, "must be greater than or equal to 1"))
	}
	if s.MaxReplicas < 1 {
		errs = append(errs, field.Invalid(sp.Child("maxReplicas"), s.MaxReplicas, "must be greater than 0"))
	}
	if m := s.MinReplicas; m != nil && s.MaxReplicas < *m {
		errs = append(errs, field.Invalid(sp.Child("maxReplicas"), s.MaxReplicas, "must be greater than or equal to `minReplicas`"))
	}
	for i := range s.Metrics {
		errs = append(errs, validateMetric(&s.Metrics[i], sp.Child("metrics").Index(i))...)
	}
	if b := s.Behavior; b != nil {
		bp := sp.Child("behavior")
		errs = append(errs, validateRules(b.ScaleUp, bp.Child("scaleUp"))...)
		errs = append(errs, validateRules(b.ScaleDown, bp.Child("scaleDown"))...)
	}
	return errs
}

func validateReference(ref CrossVersionObjectReference, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for _, f := range []struct{ name, v string }{{"kind", ref.Kind}, {"name", ref.Name}} {
		switch {
		case f.v == "":
			errs = append(errs, field.Required(p.Child(f.name), ""))
		case f.v == "." || f.v == "..":
			errs = append(errs, field.Invalid(p.Child(f.name), f.v, "may not be '"+f.v+"'"))
		case strings.ContainsAny(f.v, "/%"):
			errs = append(errs, field.Invalid(p.Child(f.name), f.v, "may not contain '/' or '%'"))
		}
	}
	return errs
}

func metricSourceTypes() []string {
	return []string{string(ContainerResourceMetricSourceType), string(ExternalMetricSourceType), string(ObjectMetricSourceType),
		string(PodsMetricSourceType), string(ResourceMetricSourceType)}
}

func validateMetric(m *MetricSpec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	set := map[MetricSourceType]bool{
		ObjectMetricSourceType: m.Object != nil, PodsMetricSourceType: m.Pods != nil, ResourceMetricSourceType: m.Resource != nil,
		ContainerResourceMetricSourceType: m.ContainerResource != nil, ExternalMetricSourceType: m.External != nil,
	}
	n := 0
	for _, ok := range set {
		if ok {
			n++
		}
	}
	known := false
	for _, t := range metricSourceTypes() {
		known = known || MetricSourceType(t) == m.Type
	}
	switch {
	case m.Type == "":
		errs = append(errs, field.Required(p.Child("type"), "must specify a metric source type"))
	case !known:
		errs = append(errs, field.NotSupported(p.Child("type"), m.Type, metricSourceTypes()))
	case !set[m.Type]:
		errs = append(errs, field.Required(p.Child(lowerFirst(string(m.Type))), "must populate information for the given metric source"))
	}
	if n > 1 || (n == 1 && known && !set[m.Type]) {
		errs = append(errs, field.Forbidden(p, "must populate information for only the given metric source type"))
	}
	if o := m.Object; o != nil {
		op := p.Child("object")
		errs = append(errs, validateReference(o.DescribedObject, op.Child("describedObject"))...)
		errs = append(errs, validateIdentifier(o.Metric, op.Child("metric"))...)
		errs = append(errs, validateTarget(o.Target, op.Child("target"), false)...)
		if o.Target.Value == nil && o.Target.AverageValue == nil {
			errs = append(errs, field.Required(op.Child("target", "averageValue"), "must set either a target value or averageValue"))
		}
	}
	if ps := m.Pods; ps != nil {
		pp := p.Child("pods")
		errs = append(errs, validateIdentifier(ps.Metric, pp.Child("metric"))...)
		errs = append(errs, validateTarget(ps.Target, pp.Child("target"), false)...)
		if ps.Target.AverageValue == nil {
			errs = append(errs, field.Required(pp.Child("target", "averageValue"), "must specify a positive target averageValue"))
		}
	}
	if r := m.Resource; r != nil {
		rp := p.Child("resource")
		if r.Name == "" {
			errs = append(errs, field.Required(rp.Child("name"), "must specify a resource name"))
		}
		errs = append(errs, validateTarget(r.Target, rp.Child("target"), true)...)
	}
	if r := m.ContainerResource; r != nil {
		rp := p.Child("containerResource")
		if r.Name == "" {
			errs = append(errs, field.Required(rp.Child("name"), "must specify a resource name"))
		}
		if r.Container == "" {
			errs = append(errs, field.Required(rp.Child("container"), "must specify a container"))
		} else {
			for _, msg := range validation.IsDNS1123Label(r.Container) {
				errs = append(errs, field.Invalid(rp.Child("container"), r.Container, msg))
			}
		}
		errs = append(errs, validateTarget(r.Target, rp.Child("target"), true)...)
	}
	if e := m.External; e != nil {
		ep := p.Child("external")
		errs = append(errs, validateIdentifier(e.Metric, ep.Child("metric"))...)
		errs = append(errs, validateTarget(e.Target, ep.Child("target"), false)...)
		if e.Target.Value == nil && e.Target.AverageValue == nil {
			errs = append(errs, field.Required(ep.Child("target", "averageValue"), "must set either a target value for metric or a per-pod target"))
		}
	}
	return errs
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func validateIdentifier(id MetricIdentifier, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	if id.Name == "" {
		errs = append(errs, field.Required(p.Child("name"), "must specify a metric name"))
	} else {
		for _, bad := range []string{"/", "%"} {
			if strings.Contains(id.Name, bad) {
				errs = append(errs, field.Invalid(p.Child("name"), id.Name, "may not contain '"+bad+"'"))
			}
		}
	}
	return append(errs, labels.ValidateLabelSelector(id.Selector, p.Child("selector"))...)
}

// validateTarget checks a metric target: a known type, positive quantities, and for resource
// metrics exactly one of averageUtilization and averageValue.
func validateTarget(t MetricTarget, p *field.Path, resourceMetric bool) field.ErrorList {
	var errs field.ErrorList
	switch t.Type {
	case UtilizationMetricType, ValueMetricType, AverageValueMetricType:
	case "":
		errs = append(errs, field.Required(p.Child("type"), "must specify a metric target type"))
	default:
		errs = append(errs, field.NotSupported(p.Child("type"), t.Type,
			[]string{string(AverageValueMetricType), string(UtilizationMetricType), string(ValueMetricType)}))
	}
	positive := func(q *resource.Quantity, name string) {
		if q != nil && q.Sign() <= 0 {
			errs = append(errs, field.Invalid(p.Child(name), q.String(), "must be positive"))
		}
	}
	positive(t.Value, "value")
	positive(t.AverageValue, "averageValue")
	if u := t.AverageUtilization; u != nil && *u < 1 {
		errs = append(errs, field.Invalid(p.Child("averageUtilization"), *u, "must be greater than 0"))
	}
	if resourceMetric {
		switch {
		case t.AverageUtilization == nil && t.AverageValue == nil:
			errs = append(errs, field.Required(p.Child("averageUtilization"), "must set either a target raw value or a target utilization"))
		case t.AverageUtilization != nil && t.AverageValue != nil:
			errs = append(errs, field.Forbidden(p.Child("averageValue"), "may not set both a target raw value and a target utilization"))
		}
	}
	return errs
}

func validateRules(r *HPAScalingRules, p *field.Path) field.ErrorList {
	if r == nil {
		return nil
	}
	var errs field.ErrorList
	if w := r.StabilizationWindowSeconds; w != nil && (*w < 0 || *w > MaxStabilizationWindowSeconds) {
		errs = append(errs, field.Invalid(p.Child("stabilizationWindowSeconds"), *w,
			fmt.Sprintf("must be greater than or equal to zero and less than or equal to %d", MaxStabilizationWindowSeconds)))
	}
	if sp := r.SelectPolicy; sp != nil {
		switch *sp {
		case MaxChangePolicySelect, MinChangePolicySelect, DisabledPolicySelect:
		default:
			errs = append(errs, field.NotSupported(p.Child("selectPolicy"), *sp,
				[]string{string(DisabledPolicySelect), string(MaxChangePolicySelect), string(MinChangePolicySelect)}))
		}
	}
	if len(r.Policies) == 0 {
		errs = append(errs, field.Required(p.Child("policies"), "must specify at least one Policy"))
	}
	for i, pol := range r.Policies {
		pp := p.Child("policies").Index(i)
		switch pol.Type {
		case PodsScalingPolicy, PercentScalingPolicy:
		default:
			errs = append(errs, field.NotSupported(pp.Child("type"), pol.Type, []string{string(PercentScalingPolicy), string(PodsScalingPolicy)}))
		}
		if pol.Value <= 0 {
			errs = append(errs, field.Invalid(pp.Child("value"), pol.Value, "must be greater than zero"))
		}
		if pol.PeriodSeconds <= 0 || pol.PeriodSeconds > MaxPeriodSeconds {
			errs = append(errs, field.Invalid(pp.Child("periodSeconds"), pol.PeriodSeconds,
				fmt.Sprintf("must be greater than zero and less than or equal to %d", MaxPeriodSeconds)))
		}
	}
	if tol := r.Tolerance; tol != nil && tol.Sign() < 0 {
		errs = append(errs, field.Invalid(p.Child("tolerance"), tol.String(), "must be greater than or equal to 0"))
	}
	return errs
}
