package v1

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/apis/batch/v1/cron"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// Validation: ValidateJob and ValidateCronJob check objects as the Kubernetes API server does
// after defaulting, returning every problem as a field.ErrorList with Kubernetes' paths and
// messages. The Update variants check an update of old to new, including the rules for new.
//
// A Job without a selector is accepted unless manualSelector is true: the API server (or the
// store in front of it) generates the selector from the Job's UID, as Kubernetes' job strategy
// does, before the Job is stored.

// Limits of batch/v1 objects that Kubernetes enforces.
const (
	// MaxCronJobNameLength is the longest CronJob name: the Jobs it creates append an
	// 11-character suffix and must stay valid label values.
	MaxCronJobNameLength = 52
	// MaxParallelismForIndexedJob and MaxCompletionsForIndexedJob bound Indexed Jobs.
	MaxParallelismForIndexedJob = 100000
	MaxCompletionsForIndexedJob = 100000
	// MaxPodFailurePolicyRules is the most rules a pod failure policy may have.
	MaxPodFailurePolicyRules = 20
	// MaxSuccessPolicyRules is the most rules a success policy may have.
	MaxSuccessPolicyRules = 20
)

func metaPath() *field.Path { return field.NewPath("metadata") }

// ValidateJob checks a job: its metadata (the name must also be a valid label value, since it
// becomes the job-name label of its pods) and spec.
func ValidateJob(j *Job) field.ErrorList {
	errs := validation.ValidateObjectMeta(&j.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	if j.Name != "" {
		for _, msg := range validation.IsValidLabelValue(j.Name) {
			errs = append(errs, field.Invalid(metaPath().Child("name"), j.Name, msg))
		}
	}
	return append(errs, validateJobSpec(&j.Spec, field.NewPath("spec"), false)...)
}

func nonneg32(v *int32, p *field.Path) field.ErrorList {
	if v == nil {
		return nil
	}
	return validation.ValidateNonnegativeField(int64(*v), p)
}

func validateJobSpec(s *JobSpec, sp *field.Path, inCronJob bool) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, nonneg32(s.Parallelism, sp.Child("parallelism"))...)
	errs = append(errs, nonneg32(s.Completions, sp.Child("completions"))...)
	if s.ActiveDeadlineSeconds != nil {
		errs = append(errs, validation.ValidateNonnegativeField(*s.ActiveDeadlineSeconds, sp.Child("activeDeadlineSeconds"))...)
	}
	errs = append(errs, nonneg32(s.BackoffLimit, sp.Child("backoffLimit"))...)
	errs = append(errs, nonneg32(s.TTLSecondsAfterFinished, sp.Child("ttlSecondsAfterFinished"))...)

	tp := sp.Child("template")
	manual := s.ManualSelector != nil && *s.ManualSelector
	if inCronJob && manual {
		errs = append(errs, field.Forbidden(sp.Child("manualSelector"), "`manualSelector` is not supported in a CronJob's job template"))
	}
	if s.Selector == nil {
		if manual {
			errs = append(errs, field.Required(sp.Child("selector"), ""))
		}
	} else {
		sel := sp.Child("selector")
		errs = append(errs, labels.ValidateLabelSelector(s.Selector, sel)...)
		if len(s.Selector.MatchLabels)+len(s.Selector.MatchExpressions) == 0 {
			errs = append(errs, field.Invalid(sel, s.Selector, "empty selector is invalid for job"))
		} else if ls, err := labels.LabelSelectorAsSelector(s.Selector); err == nil && !ls.Matches(labels.Set(s.Template.Labels)) {
			errs = append(errs, field.Invalid(tp.Child("metadata", "labels"), s.Template.Labels, "`selector` does not match template `labels`"))
		}
	}
	errs = append(errs, corev1.ValidatePodTemplateSpec(&s.Template, tp)...)
	rp := tp.Child("spec", "restartPolicy")
	if s.PodFailurePolicy != nil {
		if rpv := s.Template.Spec.RestartPolicy; rpv != "" && rpv != corev1.RestartPolicyNever {
			errs = append(errs, field.Invalid(rp, rpv, "only \"Never\" is supported when podFailurePolicy is specified"))
		}
	} else {
		errs = append(errs, corev1.ValidateTemplateRestartPolicy(s.Template.Spec.RestartPolicy, rp, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever)...)
	}

	indexed := s.CompletionMode != nil && *s.CompletionMode == IndexedCompletion
	if m := s.CompletionMode; m != nil && *m != NonIndexedCompletion && *m != IndexedCompletion {
		errs = append(errs, field.NotSupported(sp.Child("completionMode"), *m, []string{string(NonIndexedCompletion), string(IndexedCompletion)}))
	}
	if indexed {
		if s.Completions == nil {
			errs = append(errs, field.Required(sp.Child("completions"), "when completion mode is Indexed"))
		} else if *s.Completions > MaxCompletionsForIndexedJob {
			errs = append(errs, field.Invalid(sp.Child("completions"), *s.Completions, fmt.Sprintf("must be less than or equal to %d when completion mode is Indexed", MaxCompletionsForIndexedJob)))
		}
		if s.Parallelism != nil && *s.Parallelism > MaxParallelismForIndexedJob {
			errs = append(errs, field.Invalid(sp.Child("parallelism"), *s.Parallelism, fmt.Sprintf("must be less than or equal to %d when completion mode is Indexed", MaxParallelismForIndexedJob)))
		}
	}
	if s.BackoffLimitPerIndex != nil {
		errs = append(errs, nonneg32(s.BackoffLimitPerIndex, sp.Child("backoffLimitPerIndex"))...)
		if !indexed {
			errs = append(errs, field.Invalid(sp.Child("backoffLimitPerIndex"), *s.BackoffLimitPerIndex, "requires indexed completion mode"))
		}
	}
	if s.MaxFailedIndexes != nil {
		mp := sp.Child("maxFailedIndexes")
		errs = append(errs, nonneg32(s.MaxFailedIndexes, mp)...)
		if s.BackoffLimitPerIndex == nil {
			errs = append(errs, field.Required(sp.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
		}
		if s.Completions != nil && *s.MaxFailedIndexes > *s.Completions {
			errs = append(errs, field.Invalid(mp, *s.MaxFailedIndexes, "must be less than or equal to completions"))
		}
	}
	if p := s.PodReplacementPolicy; p != nil {
		pp := sp.Child("podReplacementPolicy")
		switch {
		case *p != Failed && *p != TerminatingOrFailed:
			errs = append(errs, field.NotSupported(pp, *p, []string{string(Failed), string(TerminatingOrFailed)}))
		case s.PodFailurePolicy != nil && *p != Failed:
			errs = append(errs, field.NotSupported(pp, *p, []string{string(Failed)}))
		}
	}
	if s.PodFailurePolicy != nil {
		errs = append(errs, validatePodFailurePolicy(s, sp.Child("podFailurePolicy"))...)
	}
	if s.SuccessPolicy != nil {
		errs = append(errs, validateSuccessPolicy(s, indexed, sp.Child("successPolicy"))...)
	}
	if s.ManagedBy != nil {
		mb := sp.Child("managedBy")
		if len(*s.ManagedBy) > 63 {
			errs = append(errs, field.TooLong(mb, "", 63))
		} else {
			errs = append(errs, validateDomainPrefixedPath(*s.ManagedBy, mb)...)
		}
	}
	return errs
}

func validatePodFailurePolicy(s *JobSpec, pp *field.Path) field.ErrorList {
	var errs field.ErrorList
	rules := s.PodFailurePolicy.Rules
	rsp := pp.Child("rules")
	if len(rules) > MaxPodFailurePolicyRules {
		errs = append(errs, field.TooMany(rsp, len(rules), MaxPodFailurePolicyRules))
	}
	containers := map[string]bool{}
	for _, c := range s.Template.Spec.Containers {
		containers[c.Name] = true
	}
	for _, c := range s.Template.Spec.InitContainers {
		containers[c.Name] = true
	}
	actions := []string{string(PodFailurePolicyActionCount), string(PodFailurePolicyActionFailIndex), string(PodFailurePolicyActionFailJob), string(PodFailurePolicyActionIgnore)}
	for i, r := range rules {
		p := rsp.Index(i)
		switch r.Action {
		case PodFailurePolicyActionFailJob, PodFailurePolicyActionIgnore, PodFailurePolicyActionCount:
		case PodFailurePolicyActionFailIndex:
			if s.BackoffLimitPerIndex == nil {
				errs = append(errs, field.Forbidden(p.Child("action"), "requires the backoffLimitPerIndex to be set"))
			}
		default:
			errs = append(errs, field.NotSupported(p.Child("action"), r.Action, actions))
		}
		switch {
		case r.OnExitCodes == nil && len(r.OnPodConditions) == 0:
			errs = append(errs, field.Invalid(p, field.OmitValue, "specifying one of OnExitCodes and OnPodConditions is required"))
		case r.OnExitCodes != nil && len(r.OnPodConditions) > 0:
			errs = append(errs, field.Invalid(p, field.OmitValue, "specifying both OnExitCodes and OnPodConditions is not supported"))
		}
		if ec := r.OnExitCodes; ec != nil {
			ep := p.Child("onExitCodes")
			if ec.ContainerName != nil && !containers[*ec.ContainerName] {
				errs = append(errs, field.Invalid(ep.Child("containerName"), *ec.ContainerName, "must be one of the container or initContainer names in the pod template"))
			}
			switch ec.Operator {
			case PodFailurePolicyOnExitCodesOpIn, PodFailurePolicyOnExitCodesOpNotIn:
			default:
				errs = append(errs, field.NotSupported(ep.Child("operator"), ec.Operator,
					[]string{string(PodFailurePolicyOnExitCodesOpIn), string(PodFailurePolicyOnExitCodesOpNotIn)}))
			}
			vp := ep.Child("values")
			if len(ec.Values) == 0 {
				errs = append(errs, field.Invalid(vp, ec.Values, "at least one value is required"))
			} else if len(ec.Values) > 255 {
				errs = append(errs, field.TooMany(vp, len(ec.Values), 255))
			}
			for k, v := range ec.Values {
				if ec.Operator == PodFailurePolicyOnExitCodesOpIn && v == 0 {
					errs = append(errs, field.Invalid(vp.Index(k), v, "must not be 0 for the In operator"))
				}
				if k > 0 && ec.Values[k-1] == v {
					errs = append(errs, field.Duplicate(vp.Index(k), v))
				} else if k > 0 && ec.Values[k-1] > v {
					errs = append(errs, field.Invalid(vp, ec.Values, "must be ordered"))
				}
			}
		}
		for k, c := range r.OnPodConditions {
			cp := p.Child("onPodConditions").Index(k)
			for _, msg := range validation.IsQualifiedName(string(c.Type)) {
				errs = append(errs, field.Invalid(cp.Child("type"), c.Type, msg))
			}
			switch c.Status {
			case corev1.ConditionTrue, corev1.ConditionFalse, corev1.ConditionUnknown:
			default:
				errs = append(errs, field.NotSupported(cp.Child("status"), c.Status,
					[]string{string(corev1.ConditionTrue), string(corev1.ConditionFalse), string(corev1.ConditionUnknown)}))
			}
		}
	}
	return errs
}

func validateSuccessPolicy(s *JobSpec, indexed bool, pp *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !indexed {
		errs = append(errs, field.Invalid(pp, field.OmitValue, "requires indexed completion mode"))
	}
	rsp := pp.Child("rules")
	rules := s.SuccessPolicy.Rules
	switch {
	case len(rules) == 0:
		errs = append(errs, field.Required(rsp, "at least one rules must be specified when the successPolicy is specified"))
	case len(rules) > MaxSuccessPolicyRules:
		errs = append(errs, field.TooMany(rsp, len(rules), MaxSuccessPolicyRules))
	}
	for i, r := range rules {
		p := rsp.Index(i)
		if r.SucceededIndexes == nil && r.SucceededCount == nil {
			errs = append(errs, field.Required(p, "at least one of succeededCount or succeededIndexes must be specified"))
		}
		if c := r.SucceededCount; c != nil {
			if *c <= 0 {
				errs = append(errs, field.Invalid(p.Child("succeededCount"), *c, "must be greater than or equal to 1"))
			} else if s.Completions != nil && *c > *s.Completions {
				errs = append(errs, field.Invalid(p.Child("succeededCount"), *c, "must be less than or equal to the number of completions"))
			}
		}
		if ix := r.SucceededIndexes; ix != nil {
			if err := validateIndexes(*ix, s.Completions); err != "" {
				errs = append(errs, field.Invalid(p.Child("succeededIndexes"), *ix, err))
			}
		}
	}
	return errs
}

// validateIndexes checks a list of completion indexes such as "1,3-5,7": ordered, not
// overlapping, below completions.
func validateIndexes(list string, completions *int32) string {
	if list == "" {
		return "error parsing succeededIndexes: empty list"
	}
	prev := int64(-1)
	for _, part := range strings.Split(list, ",") {
		a, b, isRange := strings.Cut(part, "-")
		lo, err := parseIndex(a)
		if err != "" {
			return err
		}
		hi := lo
		if isRange {
			if hi, err = parseIndex(b); err != "" {
				return err
			}
			if hi <= lo {
				return fmt.Sprintf("error parsing succeededIndexes: non-increasing order, previous: %d, current: %d", lo, hi)
			}
		}
		if lo <= prev {
			return fmt.Sprintf("error parsing succeededIndexes: non-increasing order, previous: %d, current: %d", prev, lo)
		}
		if completions != nil && hi >= int64(*completions) {
			return fmt.Sprintf("error parsing succeededIndexes: too large index: %d", hi)
		}
		prev = hi
	}
	return ""
}

func parseIndex(s string) (int64, string) {
	if s == "" || len(s) > 10 {
		return 0, fmt.Sprintf("error parsing succeededIndexes: cannot convert %q to integer", s)
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Sprintf("error parsing succeededIndexes: cannot convert %q to integer", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n, ""
}

// ValidateJobUpdate checks an update of a job. The selector, completion mode, pod failure
// policy, per-index backoff limit and managedBy are immutable; completions may change only for
// an Indexed job whose completions equal its parallelism before and after (elastic indexed
// jobs); the pod template is immutable except, while the job is suspended and has never
// started, its labels, annotations, node selector, affinity, tolerations and scheduling gates.
func ValidateJobUpdate(n, o *Job) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	sp := field.NewPath("spec")
	errs = append(errs, validateJobSpec(&n.Spec, sp, false)...)
	ns, os := &n.Spec, &o.Spec
	errs = append(errs, validation.ValidateImmutableField(ns.Selector, os.Selector, sp.Child("selector"))...)
	errs = append(errs, validation.ValidateImmutableField(ns.CompletionMode, os.CompletionMode, sp.Child("completionMode"))...)
	errs = append(errs, validation.ValidateImmutableField(ns.PodFailurePolicy, os.PodFailurePolicy, sp.Child("podFailurePolicy"))...)
	errs = append(errs, validation.ValidateImmutableField(ns.BackoffLimitPerIndex, os.BackoffLimitPerIndex, sp.Child("backoffLimitPerIndex"))...)
	errs = append(errs, validation.ValidateImmutableField(ns.ManagedBy, os.ManagedBy, sp.Child("managedBy"))...)
	if !reflect.DeepEqual(ns.Completions, os.Completions) {
		elastic := os.CompletionMode != nil && *os.CompletionMode == IndexedCompletion &&
			reflect.DeepEqual(os.Completions, os.Parallelism) && reflect.DeepEqual(ns.Completions, ns.Parallelism)
		if !elastic {
			errs = append(errs, field.Invalid(sp.Child("completions"), ns.Completions, validation.FieldImmutableErrorMsg))
		}
	}
	mutated := os.Template.DeepCopy()
	if o.Status.StartTime == nil && os.Suspend != nil && *os.Suspend {
		mutated.Labels = ns.Template.Labels
		mutated.Annotations = ns.Template.Annotations
		mutated.Spec.NodeSelector = ns.Template.Spec.NodeSelector
		mutated.Spec.Affinity = ns.Template.Spec.Affinity
		mutated.Spec.Tolerations = ns.Template.Spec.Tolerations
		mutated.Spec.SchedulingGates = ns.Template.Spec.SchedulingGates
	}
	if !semanticEqual(mutated, &ns.Template) {
		errs = append(errs, field.Invalid(sp.Child("template"), field.OmitValue, validation.FieldImmutableErrorMsg))
	}
	return errs
}

// ValidateCronJob checks a cron job: metadata (a name of at most 52 characters), a schedule
// that parses without a time zone prefix, the time zone, the concurrency policy, non-negative
// deadlines and history limits, and the job template.
func ValidateCronJob(c *CronJob) field.ErrorList {
	errs := validation.ValidateObjectMeta(&c.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	if len(c.Name) > MaxCronJobNameLength {
		errs = append(errs, field.Invalid(metaPath().Child("name"), c.Name, fmt.Sprintf("must be no more than %d characters", MaxCronJobNameLength)))
	}
	return append(errs, validateCronJobSpec(&c.Spec, field.NewPath("spec"))...)
}

// ValidateCronJobUpdate checks an update of a cron job.
func ValidateCronJobUpdate(n, o *CronJob) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	return append(errs, validateCronJobSpec(&n.Spec, field.NewPath("spec"))...)
}

func validateCronJobSpec(s *CronJobSpec, sp *field.Path) field.ErrorList {
	var errs field.ErrorList
	schp := sp.Child("schedule")
	switch {
	case s.Schedule == "":
		errs = append(errs, field.Required(schp, ""))
	case strings.Contains(s.Schedule, "TZ"):
		if s.TimeZone != nil {
			errs = append(errs, field.Invalid(schp, s.Schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
		} else {
			errs = append(errs, field.Invalid(schp, s.Schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
		}
	default:
		if _, err := cron.Parse(s.Schedule); err != nil {
			errs = append(errs, field.Invalid(schp, s.Schedule, err.Error()))
		}
	}
	if tz := s.TimeZone; tz != nil {
		tzp := sp.Child("timeZone")
		switch {
		case *tz == "":
			errs = append(errs, field.Invalid(tzp, *tz, "timeZone must be nil or non-empty string"))
		case strings.EqualFold(*tz, "local"), strings.TrimSpace(*tz) != *tz:
			errs = append(errs, field.Invalid(tzp, *tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
		default:
			if _, err := cron.LoadLocation(*tz); err != nil {
				errs = append(errs, field.Invalid(tzp, *tz, err.Error()))
			}
		}
	}
	if s.StartingDeadlineSeconds != nil {
		errs = append(errs, validation.ValidateNonnegativeField(*s.StartingDeadlineSeconds, sp.Child("startingDeadlineSeconds"))...)
	}
	switch s.ConcurrencyPolicy {
	case AllowConcurrent, ForbidConcurrent, ReplaceConcurrent:
	case "":
		errs = append(errs, field.Required(sp.Child("concurrencyPolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(sp.Child("concurrencyPolicy"), s.ConcurrencyPolicy,
			[]string{string(AllowConcurrent), string(ForbidConcurrent), string(ReplaceConcurrent)}))
	}
	errs = append(errs, nonneg32(s.SuccessfulJobsHistoryLimit, sp.Child("successfulJobsHistoryLimit"))...)
	errs = append(errs, nonneg32(s.FailedJobsHistoryLimit, sp.Child("failedJobsHistoryLimit"))...)
	jp := sp.Child("jobTemplate")
	errs = append(errs, validation.ValidateLabels(s.JobTemplate.Labels, jp.Child("metadata", "labels"))...)
	errs = append(errs, validation.ValidateAnnotations(s.JobTemplate.Annotations, jp.Child("metadata", "annotations"))...)
	errs = append(errs, validateJobSpec(&s.JobTemplate.Spec, jp.Child("spec"), true)...)
	return errs
}

// validateDomainPrefixedPath checks a value such as "kueue.x-k8s.io/manager": a DNS subdomain,
// a slash, and a non-empty path of printable characters.
func validateDomainPrefixedPath(v string, p *field.Path) field.ErrorList {
	domain, path, ok := strings.Cut(v, "/")
	if !ok {
		return field.ErrorList{field.Invalid(p, v, "must be a domain-prefixed path (such as \"acme.io/foo\")")}
	}
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Subdomain(domain) {
		errs = append(errs, field.Invalid(p, domain, msg))
	}
	if path == "" {
		errs = append(errs, field.Invalid(p, v, "must be a domain-prefixed path (such as \"acme.io/foo\")"))
	}
	for _, c := range path {
		if c < '!' || c > '~' {
			errs = append(errs, field.Invalid(p, v, "path must contain only printable ASCII characters"))
			break
		}
	}
	return errs
}

// semanticEqual reports whether a and b encode to the same JSON: quantities compare by value
// (each encodes in its canonical form) and a nil list or map equals an empty one, as in
// Kubernetes' semantic equality. Values that cannot be encoded are unequal.
func semanticEqual(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
