package v1

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// Validation: the Validate<Kind> functions check an apps/v1 object as the Kubernetes API server
// does after defaulting and return every problem as a field.ErrorList with Kubernetes' paths and
// messages. Validate<Kind>Update checks an update of old to new, including the rules for new:
// the selector of every workload is immutable.

func metaPath() *field.Path { return field.NewPath("metadata") }

// validateSelectorAndTemplate checks a workload's selector (required, not empty, well formed),
// that it selects the template's labels, the template itself, and that the template's restart
// policy is Always.
func validateSelectorAndTemplate(sel *meta.LabelSelector, tmpl *corev1.PodTemplateSpec, kind string, spec *field.Path) field.ErrorList {
	var errs field.ErrorList
	sp := spec.Child("selector")
	tp := spec.Child("template")
	if sel == nil {
		errs = append(errs, field.Required(sp, ""))
	} else {
		errs = append(errs, labels.ValidateLabelSelector(sel, sp)...)
		if len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
			errs = append(errs, field.Invalid(sp, sel, "empty selector is invalid for "+kind))
		}
		if s, err := labels.LabelSelectorAsSelector(sel); err != nil {
			errs = append(errs, field.Invalid(sp, sel, "invalid label selector"))
		} else if !s.Empty() && !s.Matches(labels.Set(tmpl.Labels)) {
			errs = append(errs, field.Invalid(tp.Child("metadata", "labels"), tmpl.Labels, "`selector` does not match template `labels`"))
		}
	}
	errs = append(errs, corev1.ValidatePodTemplateSpec(tmpl, tp)...)
	errs = append(errs, corev1.ValidateTemplateRestartPolicy(tmpl.Spec.RestartPolicy, tp.Child("spec", "restartPolicy"), corev1.RestartPolicyAlways)...)
	if tmpl.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(tp.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in "+titleKind(kind)+" is not Supported"))
	}
	return errs
}

// titleKind names a kind in messages as Kubernetes does (workloads built on replica sets say
// ReplicaSet).
func titleKind(kind string) string {
	switch kind {
	case "daemonset":
		return "DaemonSet"
	case "statefulset":
		return "StatefulSet"
	}
	return "ReplicaSet"
}

// validateIntOrPercent checks a non-negative count or a percentage such as "25%".
func validateIntOrPercent(v *intstr.IntOrString, path *field.Path) field.ErrorList {
	if v == nil {
		return nil
	}
	if v.Type == intstr.String {
		if len(validation.IsValidPercent(v.StrVal)) > 0 {
			return field.ErrorList{field.Invalid(path, v.StrVal, "must be an integer or percentage (e.g '5%')")}
		}
		return nil
	}
	return validation.ValidateNonnegativeField(int64(v.IntVal), path)
}

// percentOrCount returns the percentage of a "N%" value, or the count of an integer value.
func percentOrCount(v *intstr.IntOrString) (n int, percent bool) {
	if v == nil {
		return 0, false
	}
	if v.Type == intstr.String {
		n, err := strconv.Atoi(strings.TrimSuffix(v.StrVal, "%"))
		if err != nil {
			return -1, true
		}
		return n, true
	}
	return int(v.IntVal), false
}

func validateNotMoreThan100Percent(v *intstr.IntOrString, path *field.Path) field.ErrorList {
	if n, pct := percentOrCount(v); pct && n > 100 {
		return field.ErrorList{field.Invalid(path, v.StrVal, "must not be greater than 100%")}
	}
	return nil
}

func isZero(v *intstr.IntOrString) bool {
	n, _ := percentOrCount(v)
	return v != nil && n == 0
}

func validateOptionalNonnegative(v *int32, path *field.Path) field.ErrorList {
	if v == nil {
		return nil
	}
	return validation.ValidateNonnegativeField(int64(*v), path)
}

// ValidateDeployment checks a deployment: metadata, a selector that matches the template,
// replicas, minReadySeconds, revisionHistoryLimit and progressDeadlineSeconds, and the strategy
// (maxSurge and maxUnavailable counts or percentages, not both zero).
func ValidateDeployment(d *Deployment) field.ErrorList {
	errs := validation.ValidateObjectMeta(&d.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, validateDeploymentSpec(&d.Spec, field.NewPath("spec"))...)
}

func validateDeploymentSpec(s *DeploymentSpec, sp *field.Path) field.ErrorList {
	errs := validateOptionalNonnegative(s.Replicas, sp.Child("replicas"))
	errs = append(errs, validateSelectorAndTemplate(s.Selector, &s.Template, "deployment", sp)...)
	errs = append(errs, validation.ValidateNonnegativeField(int64(s.MinReadySeconds), sp.Child("minReadySeconds"))...)
	errs = append(errs, validateOptionalNonnegative(s.RevisionHistoryLimit, sp.Child("revisionHistoryLimit"))...)
	if pd := s.ProgressDeadlineSeconds; pd != nil {
		errs = append(errs, validation.ValidateNonnegativeField(int64(*pd), sp.Child("progressDeadlineSeconds"))...)
		if *pd <= s.MinReadySeconds {
			errs = append(errs, field.Invalid(sp.Child("progressDeadlineSeconds"), *pd, "must be greater than minReadySeconds"))
		}
	}
	stp := sp.Child("strategy")
	switch s.Strategy.Type {
	case RecreateDeploymentStrategyType:
		if s.Strategy.RollingUpdate != nil {
			errs = append(errs, field.Forbidden(stp.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
		}
	case RollingUpdateDeploymentStrategyType:
		if ru := s.Strategy.RollingUpdate; ru != nil {
			rp := stp.Child("rollingUpdate")
			errs = append(errs, validateIntOrPercent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
			errs = append(errs, validateIntOrPercent(ru.MaxSurge, rp.Child("maxSurge"))...)
			if isZero(ru.MaxUnavailable) && isZero(ru.MaxSurge) {
				errs = append(errs, field.Invalid(rp.Child("maxUnavailable"), ru.MaxUnavailable.String(), "may not be 0 when `maxSurge` is 0"))
			}
			errs = append(errs, validateNotMoreThan100Percent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
		}
	case "":
		errs = append(errs, field.Required(stp.Child("type"), ""))
	default:
		errs = append(errs, field.NotSupported(stp.Child("type"), s.Strategy.Type,
			[]string{string(RecreateDeploymentStrategyType), string(RollingUpdateDeploymentStrategyType)}))
	}
	if p := s.PodReplacementPolicy; p != nil && *p != TerminationStarted && *p != TerminationComplete {
		errs = append(errs, field.NotSupported(sp.Child("podReplacementPolicy"), *p, []string{string(TerminationComplete), string(TerminationStarted)}))
	}
	return errs
}

func validateSelectorUpdate(n, o *meta.LabelSelector) field.ErrorList {
	return validation.ValidateImmutableField(n, o, field.NewPath("spec", "selector"))
}

// ValidateDeploymentUpdate checks an update of a deployment; the selector is immutable.
func ValidateDeploymentUpdate(n, o *Deployment) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	errs = append(errs, validateDeploymentSpec(&n.Spec, field.NewPath("spec"))...)
	return append(errs, validateSelectorUpdate(n.Spec.Selector, o.Spec.Selector)...)
}

// ValidateReplicaSet checks a replica set: metadata, replicas, minReadySeconds, a selector
// that matches the template.
func ValidateReplicaSet(rs *ReplicaSet) field.ErrorList {
	errs := validation.ValidateObjectMeta(&rs.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, validateReplicaSetSpec(&rs.Spec, field.NewPath("spec"))...)
}

func validateReplicaSetSpec(s *ReplicaSetSpec, sp *field.Path) field.ErrorList {
	errs := validateOptionalNonnegative(s.Replicas, sp.Child("replicas"))
	errs = append(errs, validation.ValidateNonnegativeField(int64(s.MinReadySeconds), sp.Child("minReadySeconds"))...)
	return append(errs, validateSelectorAndTemplate(s.Selector, &s.Template, "deployment", sp)...)
}

// ValidateReplicaSetUpdate checks an update of a replica set; the selector is immutable.
func ValidateReplicaSetUpdate(n, o *ReplicaSet) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	errs = append(errs, validateReplicaSetSpec(&n.Spec, field.NewPath("spec"))...)
	return append(errs, validateSelectorUpdate(n.Spec.Selector, o.Spec.Selector)...)
}

// ValidateDaemonSet checks a daemon set: metadata, a selector that matches the template, the
// update strategy (maxUnavailable and maxSurge not both zero) and the history limit.
func ValidateDaemonSet(ds *DaemonSet) field.ErrorList {
	errs := validation.ValidateObjectMeta(&ds.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, validateDaemonSetSpec(&ds.Spec, field.NewPath("spec"))...)
}

func validateDaemonSetSpec(s *DaemonSetSpec, sp *field.Path) field.ErrorList {
	errs := validateSelectorAndTemplate(s.Selector, &s.Template, "daemonset", sp)
	errs = append(errs, validation.ValidateNonnegativeField(int64(s.MinReadySeconds), sp.Child("minReadySeconds"))...)
	errs = append(errs, validateOptionalNonnegative(s.RevisionHistoryLimit, sp.Child("revisionHistoryLimit"))...)
	up := sp.Child("updateStrategy")
	switch s.UpdateStrategy.Type {
	case OnDeleteDaemonSetStrategyType:
	case RollingUpdateDaemonSetStrategyType:
		ru := s.UpdateStrategy.RollingUpdate
		rp := up.Child("rollingUpdate")
		if ru == nil {
			errs = append(errs, field.Required(rp, ""))
			break
		}
		errs = append(errs, validateIntOrPercent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
		errs = append(errs, validateIntOrPercent(ru.MaxSurge, rp.Child("maxSurge"))...)
		errs = append(errs, validateNotMoreThan100Percent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
		errs = append(errs, validateNotMoreThan100Percent(ru.MaxSurge, rp.Child("maxSurge"))...)
		if (ru.MaxUnavailable == nil || isZero(ru.MaxUnavailable)) && (ru.MaxSurge == nil || isZero(ru.MaxSurge)) {
			var bad any = ru.MaxUnavailable
			if ru.MaxUnavailable != nil {
				bad = ru.MaxUnavailable.String()
			}
			errs = append(errs, field.Invalid(rp.Child("maxUnavailable"), bad, "may not be 0 when `maxSurge` is 0"))
		}
	case "":
		errs = append(errs, field.Required(up.Child("type"), ""))
	default:
		errs = append(errs, field.NotSupported(up.Child("type"), s.UpdateStrategy.Type,
			[]string{string(OnDeleteDaemonSetStrategyType), string(RollingUpdateDaemonSetStrategyType)}))
	}
	return errs
}

// ValidateDaemonSetUpdate checks an update of a daemon set; the selector is immutable.
func ValidateDaemonSetUpdate(n, o *DaemonSet) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	errs = append(errs, validateDaemonSetSpec(&n.Spec, field.NewPath("spec"))...)
	return append(errs, validateSelectorUpdate(n.Spec.Selector, o.Spec.Selector)...)
}

// ValidateStatefulSet checks a stateful set: metadata, replicas, a selector that matches the
// template, pod management policy, update strategy, volume claim templates, claim retention
// policy and ordinals.
func ValidateStatefulSet(ss *StatefulSet) field.ErrorList {
	errs := validation.ValidateObjectMeta(&ss.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, validateStatefulSetSpec(&ss.Spec, field.NewPath("spec"))...)
}

func validateStatefulSetSpec(s *StatefulSetSpec, sp *field.Path) field.ErrorList {
	errs := validateOptionalNonnegative(s.Replicas, sp.Child("replicas"))
	// Containers mount the claims made from the volume claim templates by the templates'
	// names, so the template is checked as if each claim were one of its volumes.
	tmpl := &s.Template
	if len(s.VolumeClaimTemplates) > 0 {
		tmpl = s.Template.DeepCopy()
		for _, c := range s.VolumeClaimTemplates {
			if !slices.ContainsFunc(tmpl.Spec.Volumes, func(v corev1.Volume) bool { return v.Name == c.Name }) {
				tmpl.Spec.Volumes = append(tmpl.Spec.Volumes, corev1.Volume{Name: c.Name, VolumeSource: corev1.VolumeSource{
					PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: c.Name},
				}})
			}
		}
	}
	errs = append(errs, validateSelectorAndTemplate(s.Selector, tmpl, "statefulset", sp)...)
	errs = append(errs, validation.ValidateNonnegativeField(int64(s.MinReadySeconds), sp.Child("minReadySeconds"))...)
	errs = append(errs, validateOptionalNonnegative(s.RevisionHistoryLimit, sp.Child("revisionHistoryLimit"))...)
	if s.ServiceName != "" {
		for _, msg := range validation.IsDNS1123Label(s.ServiceName) {
			errs = append(errs, field.Invalid(sp.Child("serviceName"), s.ServiceName, msg))
		}
	}
	switch s.PodManagementPolicy {
	case OrderedReadyPodManagement, ParallelPodManagement:
	case "":
		errs = append(errs, field.Required(sp.Child("podManagementPolicy"), ""))
	default:
		errs = append(errs, field.NotSupported(sp.Child("podManagementPolicy"), s.PodManagementPolicy,
			[]string{string(OrderedReadyPodManagement), string(ParallelPodManagement)}))
	}
	up := sp.Child("updateStrategy")
	switch s.UpdateStrategy.Type {
	case OnDeleteStatefulSetStrategyType:
		if s.UpdateStrategy.RollingUpdate != nil {
			errs = append(errs, field.Invalid(up.Child("rollingUpdate"), s.UpdateStrategy.RollingUpdate,
				"only allowed for updateStrategy 'RollingUpdate'"))
		}
	case RollingUpdateStatefulSetStrategyType:
		if ru := s.UpdateStrategy.RollingUpdate; ru != nil {
			rp := up.Child("rollingUpdate")
			errs = append(errs, validateOptionalNonnegative(ru.Partition, rp.Child("partition"))...)
			if ru.MaxUnavailable != nil {
				errs = append(errs, validateIntOrPercent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
				errs = append(errs, validateNotMoreThan100Percent(ru.MaxUnavailable, rp.Child("maxUnavailable"))...)
				if isZero(ru.MaxUnavailable) {
					errs = append(errs, field.Invalid(rp.Child("maxUnavailable"), ru.MaxUnavailable.String(), "must be greater than 0"))
				}
			}
		}
	case "":
		errs = append(errs, field.Required(up.Child("type"), ""))
	default:
		errs = append(errs, field.NotSupported(up.Child("type"), s.UpdateStrategy.Type,
			[]string{string(OnDeleteStatefulSetStrategyType), string(RollingUpdateStatefulSetStrategyType)}))
	}
	names := map[string]bool{}
	for i := range s.VolumeClaimTemplates {
		c := &s.VolumeClaimTemplates[i]
		cp := sp.Child("volumeClaimTemplates").Index(i)
		np := cp.Child("metadata", "name")
		if c.Name == "" {
			errs = append(errs, field.Required(np, ""))
		} else {
			for _, msg := range validation.IsDNS1123Subdomain(c.Name) {
				errs = append(errs, field.Invalid(np, c.Name, msg))
			}
			if names[c.Name] {
				errs = append(errs, field.Duplicate(np, c.Name))
			}
			names[c.Name] = true
		}
		errs = append(errs, corev1.ValidatePersistentVolumeClaimSpec(&c.Spec, cp.Child("spec"))...)
	}
	if p := s.PersistentVolumeClaimRetentionPolicy; p != nil {
		pp := sp.Child("persistentVolumeClaimRetentionPolicy")
		supported := []string{string(DeletePersistentVolumeClaimRetentionPolicyType), string(RetainPersistentVolumeClaimRetentionPolicyType)}
		for _, f := range []struct {
			name string
			v    PersistentVolumeClaimRetentionPolicyType
		}{{"whenDeleted", p.WhenDeleted}, {"whenScaled", p.WhenScaled}} {
			switch f.v {
			case RetainPersistentVolumeClaimRetentionPolicyType, DeletePersistentVolumeClaimRetentionPolicyType:
			default:
				errs = append(errs, field.NotSupported(pp.Child(f.name), f.v, supported))
			}
		}
	}
	if o := s.Ordinals; o != nil {
		errs = append(errs, validation.ValidateNonnegativeField(int64(o.Start), sp.Child("ordinals", "start"))...)
	}
	return errs
}

// ValidateStatefulSetUpdate checks an update of a stateful set: only replicas, ordinals,
// template, updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and
// minReadySeconds may change.
func ValidateStatefulSetUpdate(n, o *StatefulSet) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	errs = append(errs, validateStatefulSetSpec(&n.Spec, field.NewPath("spec"))...)
	mutated := o.Spec.DeepCopy()
	mutated.Replicas = n.Spec.Replicas
	mutated.Ordinals = n.Spec.Ordinals
	mutated.Template = n.Spec.Template
	mutated.UpdateStrategy = n.Spec.UpdateStrategy
	mutated.RevisionHistoryLimit = n.Spec.RevisionHistoryLimit
	mutated.PersistentVolumeClaimRetentionPolicy = n.Spec.PersistentVolumeClaimRetentionPolicy
	mutated.MinReadySeconds = n.Spec.MinReadySeconds
	if !semanticEqual(mutated, &n.Spec) {
		errs = append(errs, field.Forbidden(field.NewPath("spec"), "updates to statefulset spec for fields other than 'replicas', "+
			"'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"))
	}
	return errs
}

// ValidateControllerRevision checks a controller revision: metadata and a non-negative revision.
func ValidateControllerRevision(cr *ControllerRevision) field.ErrorList {
	errs := validation.ValidateObjectMeta(&cr.ObjectMeta, true, validation.NameIsDNSSubdomain, metaPath())
	return append(errs, validation.ValidateNonnegativeField(cr.Revision, field.NewPath("revision"))...)
}

// ValidateControllerRevisionUpdate checks an update of a controller revision: its data is
// immutable.
func ValidateControllerRevisionUpdate(n, o *ControllerRevision) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, metaPath())
	errs = append(errs, validation.ValidateNonnegativeField(n.Revision, field.NewPath("revision"))...)
	return append(errs, validation.ValidateImmutableField(n.Data, o.Data, field.NewPath("data"))...)
}

// semanticEqual reports whether a and b encode to the same JSON: quantities compare by value
// (each encodes in its canonical form) and a nil list or map equals an empty one, as in
// Kubernetes' semantic equality. Values that cannot be encoded are unequal.
func semanticEqual(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
