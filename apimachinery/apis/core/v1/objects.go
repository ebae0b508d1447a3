package v1

import (
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// ObjectReference points at an object, possibly a field of it.
type ObjectReference struct {
	// Kind of the object.
	Kind string `json:"kind,omitempty"`
	// Namespace of the object.
	Namespace string `json:"namespace,omitempty"`
	// Name of the object.
	Name string `json:"name,omitempty"`
	// UID of the object.
	UID meta.UID `json:"uid,omitempty"`
	// APIVersion of the object.
	APIVersion string `json:"apiVersion,omitempty"`
	// ResourceVersion of the object the reference was made to.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// FieldPath points at a part of the object, such as spec.containers{name}.
	FieldPath string `json:"fieldPath,omitempty"`
}

// LocalObjectReference names an object in the same namespace.
type LocalObjectReference struct {
	// Name of the object.
	Name string `json:"name,omitempty"`
}

// TypedLocalObjectReference names an object of a kind in the same namespace.
type TypedLocalObjectReference struct {
	// APIGroup of the object; nil for the core group.
	APIGroup *string `json:"apiGroup"`
	// Kind of the object.
	Kind string `json:"kind"`
	// Name of the object.
	Name string `json:"name"`
}

// SecretReference names a secret in any namespace.
type SecretReference struct {
	// Name of the secret.
	Name string `json:"name,omitempty"`
	// Namespace of the secret.
	Namespace string `json:"namespace,omitempty"`
}

// ReplicationController keeps a number of replicas of a pod template running. It is the
// predecessor of ReplicaSet.
type ReplicationController struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired behavior.
	Spec ReplicationControllerSpec `json:"spec,omitempty"`
	// Status is the observed state.
	Status ReplicationControllerStatus `json:"status,omitempty"`
}

// ReplicationControllerList is a list of ReplicationControllers.
type ReplicationControllerList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the replication controllers.
	Items []ReplicationController `json:"items"`
}

// ReplicationControllerSpec is the desired behavior of a replication controller.
type ReplicationControllerSpec struct {
	// Replicas is the desired number of pods (default 1).
	Replicas *int32 `json:"replicas,omitempty"`
	// MinReadySeconds a pod must be ready before it counts as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// Selector of the pods; defaults to the template's labels.
	Selector map[string]string `json:"selector,omitempty"`
	// Template of the pods.
	Template *PodTemplateSpec `json:"template,omitempty"`
}

// ReplicationControllerStatus is the observed state of a replication controller.
type ReplicationControllerStatus struct {
	// Replicas is the number of pods.
	Replicas int32 `json:"replicas"`
	// FullyLabeledReplicas match the template's labels.
	FullyLabeledReplicas int32 `json:"fullyLabeledReplicas,omitempty"`
	// ReadyReplicas are ready.
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`
	// AvailableReplicas have been ready for MinReadySeconds.
	AvailableReplicas int32 `json:"availableReplicas,omitempty"`
	// ObservedGeneration is the generation the status reflects.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions of the controller.
	Conditions []ReplicationControllerCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
}

// ReplicationControllerCondition is one condition of a replication controller.
type ReplicationControllerCondition struct {
	// Type of the condition.
	Type ReplicationControllerConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// LastTransitionTime is when the status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable message.
	Message string `json:"message,omitempty"`
}

// ConfigMap holds configuration data for pods.
type ConfigMap struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Immutable forbids changing Data and BinaryData.
	Immutable *bool `json:"immutable,omitempty"`
	// Data holds UTF-8 values.
	Data map[string]string `json:"data,omitempty"`
	// BinaryData holds binary values (base64 on the wire).
	BinaryData map[string][]byte `json:"binaryData,omitempty"`
}

// ConfigMapList is a list of ConfigMaps.
type ConfigMapList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the config maps.
	Items []ConfigMap `json:"items"`
}

// Secret holds secret data for pods.
type Secret struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Immutable forbids changing Data.
	Immutable *bool `json:"immutable,omitempty"`
	// Data holds the values (base64 on the wire).
	Data map[string][]byte `json:"data,omitempty"`
	// StringData is write-only convenience: its entries are merged into Data on write.
	StringData map[string]string `json:"stringData,omitempty"`
	// Type of the secret, which fixes the keys it must have.
	Type SecretType `json:"type,omitempty"`
}

// SecretList is a list of Secrets.
type SecretList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the secrets.
	Items []Secret `json:"items"`
}

// ServiceAccount is an identity for processes that run in pods.
type ServiceAccount struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Secrets the service account's pods may use (deprecated for tokens).
	Secrets []ObjectReference `json:"secrets,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	// ImagePullSecrets added to the service account's pods.
	ImagePullSecrets []LocalObjectReference `json:"imagePullSecrets,omitempty"`
	// AutomountServiceAccountToken is the default for the service account's pods.
	AutomountServiceAccountToken *bool `json:"automountServiceAccountToken,omitempty"`
}

// ServiceAccountList is a list of ServiceAccounts.
type ServiceAccountList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the service accounts.
	Items []ServiceAccount `json:"items"`
}

// Event reports something that happened to an object.
type Event struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata"`
	// InvolvedObject is the object the event is about.
	InvolvedObject ObjectReference `json:"involvedObject"`
	// Reason is a short CamelCase reason (Scheduled, BackOff, ...).
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable description.
	Message string `json:"message,omitempty"`
	// Source is the component that reported the event.
	Source EventSource `json:"source,omitempty"`
	// FirstTimestamp is when the event was first seen.
	FirstTimestamp meta.Time `json:"firstTimestamp,omitempty"`
	// LastTimestamp is when the event was last seen.
	LastTimestamp meta.Time `json:"lastTimestamp,omitempty"`
	// Count is how many times the event occurred.
	Count int32 `json:"count,omitempty"`
	// Type is Normal or Warning.
	Type string `json:"type,omitempty"`
	// EventTime is when the event was first observed, with microseconds.
	EventTime meta.MicroTime `json:"eventTime,omitempty"`
	// Series is set for an event that repeats.
	Series *EventSeries `json:"series,omitempty"`
	// Action taken or failed on the object.
	Action string `json:"action,omitempty"`
	// Related is a second object involved.
	Related *ObjectReference `json:"related,omitempty"`
	// ReportingController is the component that emitted the event (kubernetes.io/kubelet).
	ReportingController string `json:"reportingComponent"`
	// ReportingInstance is the instance of the component (a host name).
	ReportingInstance string `json:"reportingInstance"`
}

// EventList is a list of Events.
type EventList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the events.
	Items []Event `json:"items"`
}

// EventSource names the component that reported an event.
type EventSource struct {
	// Component that reported the event.
	Component string `json:"component,omitempty"`
	// Host the component runs on.
	Host string `json:"host,omitempty"`
}

// EventSeries is the repeat data of an event.
type EventSeries struct {
	// Count of occurrences so far.
	Count int32 `json:"count,omitempty"`
	// LastObservedTime is the time of the last occurrence.
	LastObservedTime meta.MicroTime `json:"lastObservedTime,omitempty"`
}

// ResourceQuota limits the aggregate resource use of a namespace.
type ResourceQuota struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the quota.
	Spec ResourceQuotaSpec `json:"spec,omitempty"`
	// Status is the quota's use.
	Status ResourceQuotaStatus `json:"status,omitempty"`
}

// ResourceQuotaList is a list of ResourceQuotas.
type ResourceQuotaList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the quotas.
	Items []ResourceQuota `json:"items"`
}

// ResourceQuotaSpec is a quota.
type ResourceQuotaSpec struct {
	// Hard limits per named resource.
	Hard ResourceList `json:"hard,omitempty"`
	// Scopes the quota applies to; all objects when empty.
	Scopes []ResourceQuotaScope `json:"scopes,omitempty"`
	// ScopeSelector selects scopes with expressions.
	ScopeSelector *ScopeSelector `json:"scopeSelector,omitempty"`
}

// ScopeSelector is an intersection of scope requirements.
type ScopeSelector struct {
	// MatchExpressions are ANDed.
	MatchExpressions []ScopedResourceSelectorRequirement `json:"matchExpressions,omitempty"`
}

// ScopedResourceSelectorRequirement relates a scope to values with an operator.
type ScopedResourceSelectorRequirement struct {
	// ScopeName is the scope.
	ScopeName ResourceQuotaScope `json:"scopeName"`
	// Operator is In, NotIn, Exists or DoesNotExist.
	Operator ScopeSelectorOperator `json:"operator"`
	// Values for In and NotIn.
	Values []string `json:"values,omitempty"`
}

// ResourceQuotaStatus is the use of a quota.
type ResourceQuotaStatus struct {
	// Hard is the enforced limit.
	Hard ResourceList `json:"hard,omitempty"`
	// Used is the current use.
	Used ResourceList `json:"used,omitempty"`
}

// LimitRange sets per-object resource limits and defaults in a namespace.
type LimitRange struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec holds the limits.
	Spec LimitRangeSpec `json:"spec,omitempty"`
}

// LimitRangeList is a list of LimitRanges.
type LimitRangeList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the limit ranges.
	Items []LimitRange `json:"items"`
}

// LimitRangeSpec holds the limits of a LimitRange.
type LimitRangeSpec struct {
	// Limits per kind of object.
	Limits []LimitRangeItem `json:"limits"`
}

// LimitRangeItem holds the limits for one kind of object.
type LimitRangeItem struct {
	// Type is Pod, Container or PersistentVolumeClaim.
	Type LimitType `json:"type"`
	// Max usage per resource.
	Max ResourceList `json:"max,omitempty"`
	// Min usage per resource.
	Min ResourceList `json:"min,omitempty"`
	// Default limit per resource.
	Default ResourceList `json:"default,omitempty"`
	// DefaultRequest per resource.
	DefaultRequest ResourceList `json:"defaultRequest,omitempty"`
	// MaxLimitRequestRatio is the largest allowed limit/request ratio.
	MaxLimitRequestRatio ResourceList `json:"maxLimitRequestRatio,omitempty"`
}
