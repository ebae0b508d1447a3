package v1

import (
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// GroupName is the API group of this package.
const GroupName = "policy"

// PodDisruptionBudget limits the voluntary disruption of a set of pods.
type PodDisruptionBudget struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired budget.
	Spec PodDisruptionBudgetSpec `json:"spec,omitempty"`
	// Status is the observed state of the budget.
	Status PodDisruptionBudgetStatus `json:"status,omitempty"`
}

// PodDisruptionBudgetSpec is the budget. At most one of MinAvailable and MaxUnavailable is set.
type PodDisruptionBudgetSpec struct {
	// MinAvailable is how many selected pods, a count or a percentage, must stay available
	// after an eviction.
	MinAvailable *intstr.IntOrString `json:"minAvailable,omitempty"`
	// Selector selects the pods of the budget. A nil selector selects no pods; an empty one
	// selects every pod of the namespace.
	Selector *meta.LabelSelector `json:"selector,omitempty" patchStrategy:"replace"`
	// MaxUnavailable is how many selected pods, a count or a percentage, may be unavailable
	// after an eviction.
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	// UnhealthyPodEvictionPolicy says when running but not ready pods may be evicted;
	// IfHealthyBudget when unset.
	UnhealthyPodEvictionPolicy *UnhealthyPodEvictionPolicyType `json:"unhealthyPodEvictionPolicy,omitempty"`
}

// UnhealthyPodEvictionPolicyType says when unhealthy (running, not ready) pods may be evicted.
type UnhealthyPodEvictionPolicyType string

// The unhealthy pod eviction policies.
const (
	// IfHealthyBudget evicts unhealthy pods only while the application is not disrupted
	// (CurrentHealthy is at least DesiredHealthy).
	IfHealthyBudget UnhealthyPodEvictionPolicyType = "IfHealthyBudget"
	// AlwaysAllow evicts unhealthy pods regardless of the budget.
	AlwaysAllow UnhealthyPodEvictionPolicyType = "AlwaysAllow"
)

// PodDisruptionBudgetStatus is the observed state of a budget. It may lag the pods.
type PodDisruptionBudgetStatus struct {
	// ObservedGeneration is the generation of the budget this status reflects.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// DisruptedPods maps the names of pods the eviction handler admitted but the controller
	// has not yet seen deleted to the time of admission.
	DisruptedPods map[string]meta.Time `json:"disruptedPods,omitempty"`
	// DisruptionsAllowed is how many more pods may be disrupted now.
	DisruptionsAllowed int32 `json:"disruptionsAllowed"`
	// CurrentHealthy is the number of healthy selected pods.
	CurrentHealthy int32 `json:"currentHealthy"`
	// DesiredHealthy is the least number of healthy pods the budget wants.
	DesiredHealthy int32 `json:"desiredHealthy"`
	// ExpectedPods is the number of pods the budget covers.
	ExpectedPods int32 `json:"expectedPods"`
	// Conditions are the observations of the budget, such as DisruptionAllowed.
	Conditions []meta.Condition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
}

// Condition type and reasons of a PodDisruptionBudget.
const (
	// DisruptionAllowedCondition is True while DisruptionsAllowed is above zero.
	DisruptionAllowedCondition = "DisruptionAllowed"
	// SyncFailedReason: the controller could not compute the status.
	SyncFailedReason = "SyncFailed"
	// SufficientPodsReason: enough pods are healthy to allow disruptions.
	SufficientPodsReason = "SufficientPods"
	// InsufficientPodsReason: too few pods are healthy to allow disruptions.
	InsufficientPodsReason = "InsufficientPods"
)

// PodDisruptionBudgetList is a list of PodDisruptionBudget objects.
type PodDisruptionBudgetList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the budgets.
	Items []PodDisruptionBudget `json:"items"`
}

// Eviction asks for the deletion of the pod it names (through the pods/eviction subresource),
// subject to the pod's disruption budgets.
type Eviction struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta names the pod to evict.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// DeleteOptions are the options of the deletion.
	DeleteOptions *meta.DeleteOptions `json:"deleteOptions,omitempty"`
}
