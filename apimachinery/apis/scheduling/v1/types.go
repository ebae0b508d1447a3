package v1

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// GroupName is the API group of this package.
const GroupName = "scheduling.k8s.io"

// Priority bounds and the built-in classes.
const (
	// DefaultPriorityWhenNoDefaultClassExists is the priority of pods that name no class when
	// no class is the global default.
	DefaultPriorityWhenNoDefaultClassExists = 0
	// HighestUserDefinablePriority is the largest Value a user-created class may have.
	HighestUserDefinablePriority = int32(1_000_000_000)
	// SystemCriticalPriority is the base priority of the system classes.
	SystemCriticalPriority = 2 * HighestUserDefinablePriority
	// SystemPriorityClassPrefix starts the names reserved for system classes.
	SystemPriorityClassPrefix = "system-"
	// SystemClusterCritical is the class of pods the cluster cannot run without.
	SystemClusterCritical = SystemPriorityClassPrefix + "cluster-critical"
	// SystemNodeCritical is the class of pods a node cannot run without; it ranks above
	// SystemClusterCritical (by 1000).
	SystemNodeCritical = SystemPriorityClassPrefix + "node-critical"
)

// PriorityClass maps a priority class name to a priority value. It is not namespaced.
type PriorityClass struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Value is the priority of pods of this class; higher schedules first.
	Value int32 `json:"value"`
	// GlobalDefault makes this the class of pods that name none. At most one class may set it.
	GlobalDefault bool `json:"globalDefault,omitempty"`
	// Description says when to use this class.
	Description string `json:"description,omitempty"`
	// PreemptionPolicy says whether pods of this class may preempt lower-priority pods;
	// PreemptLowerPriority when unset.
	PreemptionPolicy *corev1.PreemptionPolicy `json:"preemptionPolicy,omitempty"`
}

// PriorityClassList is a list of PriorityClass objects.
type PriorityClassList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the priority classes.
	Items []PriorityClass `json:"items"`
}
