package v1

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// GroupName is the API group of this package.
const GroupName = "apps"

// Well-known labels and annotations of the apps controllers.
const (
	// ControllerRevisionHashLabelKey labels the pods of a DaemonSet or StatefulSet with the
	// hash of the ControllerRevision they were made from.
	ControllerRevisionHashLabelKey = "controller-revision-hash"
	// StatefulSetRevisionLabel is the label of a StatefulSet pod's revision.
	StatefulSetRevisionLabel = ControllerRevisionHashLabelKey
	// DeprecatedRollbackTo is the annotation of the old rollback request of extensions/v1beta1.
	DeprecatedRollbackTo = "deprecated.deployment.rollback.to"
	// DeprecatedTemplateGeneration is the annotation that carried a DaemonSet's template
	// generation before ControllerRevisions.
	DeprecatedTemplateGeneration = "deprecated.daemonset.template.generation"
	// StatefulSetPodNameLabel labels each StatefulSet pod with its own name.
	StatefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name"
	// PodIndexLabel labels each StatefulSet pod with its ordinal.
	PodIndexLabel = "apps.kubernetes.io/pod-index"
	// DefaultDeploymentUniqueLabelKey is the label a Deployment adds to its ReplicaSets and
	// their pods, holding the hash of the pod template, so ReplicaSets never overlap.
	DefaultDeploymentUniqueLabelKey = "pod-template-hash"
	// DefaultDaemonSetUniqueLabelKey is the label that tells old DaemonSet pods from new ones
	// during an update.
	DefaultDaemonSetUniqueLabelKey = ControllerRevisionHashLabelKey
)

// StatefulSet manages pods with stable identities: pod N of set "web" is always "web-N", keeps
// its PersistentVolumeClaims, and is created, updated and deleted in ordinal order.
type StatefulSet struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired state of the set.
	Spec StatefulSetSpec `json:"spec,omitempty"`
	// Status is the observed state of the set; it may lag.
	Status StatefulSetStatus `json:"status,omitempty"`
}

// PodManagementPolicyType says how a StatefulSet orders pod creation and deletion.
type PodManagementPolicyType string

// The pod management policies.
const (
	// OrderedReadyPodManagement creates pods in increasing ordinal, each once the previous is
	// ready, and deletes them in decreasing ordinal.
	OrderedReadyPodManagement PodManagementPolicyType = "OrderedReady"
	// ParallelPodManagement creates and deletes pods all at once.
	ParallelPodManagement PodManagementPolicyType = "Parallel"
)

// StatefulSetUpdateStrategy says how a StatefulSet replaces pods when the template changes.
type StatefulSetUpdateStrategy struct {
	// Type is RollingUpdate (the default) or OnDelete.
	Type StatefulSetUpdateStrategyType `json:"type,omitempty"`
	// RollingUpdate tunes a RollingUpdate; only with that type.
	RollingUpdate *RollingUpdateStatefulSetStrategy `json:"rollingUpdate,omitempty"`
}

// StatefulSetUpdateStrategyType is the kind of a StatefulSet update.
type StatefulSetUpdateStrategyType string

// The StatefulSet update strategies.
const (
	// RollingUpdateStatefulSetStrategyType replaces pods one by one in reverse ordinal order.
	RollingUpdateStatefulSetStrategyType StatefulSetUpdateStrategyType = "RollingUpdate"
	// OnDeleteStatefulSetStrategyType replaces a pod only when someone deletes it.
	OnDeleteStatefulSetStrategyType StatefulSetUpdateStrategyType = "OnDelete"
)

// RollingUpdateStatefulSetStrategy tunes a StatefulSet rolling update.
type RollingUpdateStatefulSetStrategy struct {
	// Partition keeps pods with an ordinal below it at the old revision; 0 when unset.
	Partition *int32 `json:"partition,omitempty"`
	// MaxUnavailable is how many pods, a count or a percentage, may be unavailable during the
	// update; 1 when unset (alpha in Kubernetes).
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
}

// PersistentVolumeClaimRetentionPolicyType says what happens to a StatefulSet pod's claims.
type PersistentVolumeClaimRetentionPolicyType string

// The claim retention policies.
const (
	// RetainPersistentVolumeClaimRetentionPolicyType keeps the claims.
	RetainPersistentVolumeClaimRetentionPolicyType PersistentVolumeClaimRetentionPolicyType = "Retain"
	// DeletePersistentVolumeClaimRetentionPolicyType deletes the claims.
	DeletePersistentVolumeClaimRetentionPolicyType PersistentVolumeClaimRetentionPolicyType = "Delete"
)

// StatefulSetPersistentVolumeClaimRetentionPolicy says what happens to the claims made from
// VolumeClaimTemplates when the set is deleted or scaled down.
type StatefulSetPersistentVolumeClaimRetentionPolicy struct {
	// WhenDeleted applies when the StatefulSet is deleted; Retain when unset.
	WhenDeleted PersistentVolumeClaimRetentionPolicyType `json:"whenDeleted,omitempty"`
	// WhenScaled applies to the claims of pods removed by a scale-down; Retain when unset.
	WhenScaled PersistentVolumeClaimRetentionPolicyType `json:"whenScaled,omitempty"`
}

// StatefulSetOrdinals sets the numbering of StatefulSet pods.
type StatefulSetOrdinals struct {
	// Start is the ordinal of the first pod; pods are numbered Start to Start+Replicas-1.
	Start int32 `json:"start"`
}

// StatefulSetSpec is the desired state of a StatefulSet.
type StatefulSetSpec struct {
	// Replicas is the desired number of pods; 1 when unset.
	Replicas *int32 `json:"replicas,omitempty"`
	// Selector selects the set's pods; it must match the template's labels.
	Selector *meta.LabelSelector `json:"selector"`
	// Template is the pod template; each pod gets its own name and claims.
	Template corev1.PodTemplateSpec `json:"template"`
	// VolumeClaimTemplates are claims each pod gets its own copy of, named
	// <claim>-<set>-<ordinal>.
	VolumeClaimTemplates []corev1.PersistentVolumeClaim `json:"volumeClaimTemplates,omitempty"`
	// ServiceName is the headless Service that gives the pods their DNS names.
	ServiceName string `json:"serviceName"`
	// PodManagementPolicy is OrderedReady (the default) or Parallel.
	PodManagementPolicy PodManagementPolicyType `json:"podManagementPolicy,omitempty"`
	// UpdateStrategy says how pods are replaced when Template changes.
	UpdateStrategy StatefulSetUpdateStrategy `json:"updateStrategy,omitempty"`
	// RevisionHistoryLimit is how many old ControllerRevisions to keep; 10 when unset.
	RevisionHistoryLimit *int32 `json:"revisionHistoryLimit,omitempty"`
	// MinReadySeconds is how long a new pod must be ready to count as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// PersistentVolumeClaimRetentionPolicy says what happens to the claims on deletion and
	// scale-down; claims are retained when unset.
	PersistentVolumeClaimRetentionPolicy *StatefulSetPersistentVolumeClaimRetentionPolicy `json:"persistentVolumeClaimRetentionPolicy,omitempty"`
	// Ordinals sets the first ordinal; 0 when unset.
	Ordinals *StatefulSetOrdinals `json:"ordinals,omitempty"`
}

// StatefulSetStatus is the observed state of a StatefulSet.
type StatefulSetStatus struct {
	// ObservedGeneration is the generation of the set this status reflects.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Replicas is the number of pods the controller created.
	Replicas int32 `json:"replicas"`
	// ReadyReplicas is the number of pods with a Ready condition.
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`
	// CurrentReplicas is the number of pods at CurrentRevision.
	CurrentReplicas int32 `json:"currentReplicas,omitempty"`
	// UpdatedReplicas is the number of pods at UpdateRevision.
	UpdatedReplicas int32 `json:"updatedReplicas,omitempty"`
	// CurrentRevision is the revision the set is rolling from, or its only revision when no
	// update is in progress.
	CurrentRevision string `json:"currentRevision,omitempty"`
	// UpdateRevision is the revision the set is rolling to.
	UpdateRevision string `json:"updateRevision,omitempty"`
	// CollisionCount counts hash collisions of ControllerRevision names; the controller mixes
	// it into the next name.
	CollisionCount *int32 `json:"collisionCount,omitempty"`
	// Conditions are the latest observations of the set.
	Conditions []StatefulSetCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
	// AvailableReplicas is the number of pods ready for at least MinReadySeconds.
	AvailableReplicas int32 `json:"availableReplicas"`
}

// StatefulSetConditionType is the type of a StatefulSet condition.
type StatefulSetConditionType string

// StatefulSetCondition is one observation of a StatefulSet.
type StatefulSetCondition struct {
	// Type is the condition's type.
	Type StatefulSetConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status corev1.ConditionStatus `json:"status"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a one-word CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable account of the last transition.
	Message string `json:"message,omitempty"`
}

// StatefulSetList is a list of StatefulSet objects.
type StatefulSetList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the stateful sets.
	Items []StatefulSet `json:"items"`
}

// Deployment rolls out a pod template declaratively through ReplicaSets.
type Deployment struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired state of the deployment.
	Spec DeploymentSpec `json:"spec,omitempty"`
	// Status is the observed state of the deployment; it may lag.
	Status DeploymentStatus `json:"status,omitempty"`
}

// DeploymentSpec is the desired state of a Deployment.
type DeploymentSpec struct {
	// Replicas is the desired number of pods; 1 when unset.
	Replicas *int32 `json:"replicas,omitempty"`
	// Selector selects the deployment's pods; it must match the template's labels and, in
	// apps/v1, cannot change.
	Selector *meta.LabelSelector `json:"selector"`
	// Template is the pod template.
	Template corev1.PodTemplateSpec `json:"template"`
	// Strategy says how old pods are replaced by new ones.
	Strategy DeploymentStrategy `json:"strategy,omitempty" patchStrategy:"retainKeys"`
	// MinReadySeconds is how long a new pod must be ready to count as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// RevisionHistoryLimit is how many old ReplicaSets to keep for rollback; 10 when unset.
	RevisionHistoryLimit *int32 `json:"revisionHistoryLimit,omitempty"`
	// Paused stops the controller from rolling out template changes.
	Paused bool `json:"paused,omitempty"`
	// ProgressDeadlineSeconds is how long a rollout may make no progress before the
	// Progressing condition turns False with reason ProgressDeadlineExceeded; 600 when unset.
	ProgressDeadlineSeconds *int32 `json:"progressDeadlineSeconds,omitempty"`
	// PodReplacementPolicy says when replacement pods are created: as soon as old pods start
	// terminating, or only once they have fully terminated (alpha in Kubernetes).
	PodReplacementPolicy *DeploymentPodReplacementPolicy `json:"podReplacementPolicy,omitempty"`
}

// DeploymentPodReplacementPolicy says when a Deployment creates replacement pods.
type DeploymentPodReplacementPolicy string

// The Deployment pod replacement policies.
const (
	// TerminationStarted creates replacement pods as soon as old pods have a
	// deletionTimestamp, so the total may exceed replicas plus the surge.
	TerminationStarted DeploymentPodReplacementPolicy = "TerminationStarted"
	// TerminationComplete creates replacement pods only once old pods are Succeeded or Failed.
	TerminationComplete DeploymentPodReplacementPolicy = "TerminationComplete"
)

// DeploymentStrategy says how a Deployment replaces pods.
type DeploymentStrategy struct {
	// Type is RollingUpdate (the default) or Recreate.
	Type DeploymentStrategyType `json:"type,omitempty"`
	// RollingUpdate tunes a RollingUpdate; only with that type.
	RollingUpdate *RollingUpdateDeployment `json:"rollingUpdate,omitempty"`
}

// DeploymentStrategyType is the kind of a Deployment update.
type DeploymentStrategyType string

// The Deployment strategies.
const (
	// RecreateDeploymentStrategyType deletes every old pod before creating new ones.
	RecreateDeploymentStrategyType DeploymentStrategyType = "Recreate"
	// RollingUpdateDeploymentStrategyType scales the new ReplicaSet up and old ones down
	// gradually, within MaxSurge and MaxUnavailable.
	RollingUpdateDeploymentStrategyType DeploymentStrategyType = "RollingUpdate"
)

// RollingUpdateDeployment tunes a Deployment rolling update. MaxSurge and MaxUnavailable may not
// both be zero.
type RollingUpdateDeployment struct {
	// MaxUnavailable is how many pods, a count or a percentage of the desired replicas
	// (rounded down), may be unavailable during the update; 25% when unset.
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	// MaxSurge is how many pods, a count or a percentage of the desired replicas (rounded up),
	// may exist above the desired replicas during the update; 25% when unset.
	MaxSurge *intstr.IntOrString `json:"maxSurge,omitempty"`
}

// DeploymentStatus is the observed state of a Deployment.
type DeploymentStatus struct {
	// ObservedGeneration is the generation of the deployment this status reflects.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Replicas is the number of non-terminating pods of all its ReplicaSets.
	Replicas int32 `json:"replicas,omitempty"`
	// UpdatedReplicas is the number of non-terminating pods with the current template.
	UpdatedReplicas int32 `json:"updatedReplicas,omitempty"`
	// ReadyReplicas is the number of non-terminating pods with a Ready condition.
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`
	// AvailableReplicas is the number of pods ready for at least MinReadySeconds.
	AvailableReplicas int32 `json:"availableReplicas,omitempty"`
	// UnavailableReplicas is the number of pods still needed for the deployment to be fully
	// available: desired replicas minus AvailableReplicas, floored at zero.
	UnavailableReplicas int32 `json:"unavailableReplicas,omitempty"`
	// TerminatingReplicas is the number of terminating pods (with a deletionTimestamp, not yet
	// in phase Succeeded or Failed); nil when not tracked.
	TerminatingReplicas *int32 `json:"terminatingReplicas,omitempty"`
	// Conditions are the latest observations of the deployment.
	Conditions []DeploymentCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
	// CollisionCount counts hash collisions of ReplicaSet names; the controller mixes it into
	// the next name.
	CollisionCount *int32 `json:"collisionCount,omitempty"`
}

// DeploymentConditionType is the type of a Deployment condition.
type DeploymentConditionType string

// The Deployment condition types.
const (
	// DeploymentAvailable: at least the minimum number of pods (desired minus maxUnavailable)
	// are available.
	DeploymentAvailable DeploymentConditionType = "Available"
	// DeploymentProgressing: the rollout is making progress or has finished, as opposed to
	// stuck past its progress deadline.
	DeploymentProgressing DeploymentConditionType = "Progressing"
	// DeploymentReplicaFailure: a pod of a ReplicaSet could not be created or deleted.
	DeploymentReplicaFailure DeploymentConditionType = "ReplicaFailure"
)

// DeploymentCondition is one observation of a Deployment.
type DeploymentCondition struct {
	// Type is the condition's type.
	Type DeploymentConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status corev1.ConditionStatus `json:"status"`
	// LastUpdateTime is when the condition was last written.
	LastUpdateTime meta.Time `json:"lastUpdateTime,omitempty"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a one-word CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable account of the last transition.
	Message string `json:"message,omitempty"`
}

// DeploymentList is a list of Deployment objects.
type DeploymentList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the deployments.
	Items []Deployment `json:"items"`
}

// DaemonSetUpdateStrategy says how a DaemonSet replaces pods when the template changes.
type DaemonSetUpdateStrategy struct {
	// Type is RollingUpdate (the default) or OnDelete.
	Type DaemonSetUpdateStrategyType `json:"type,omitempty"`
	// RollingUpdate tunes a RollingUpdate; only with that type.
	RollingUpdate *RollingUpdateDaemonSet `json:"rollingUpdate,omitempty"`
}

// DaemonSetUpdateStrategyType is the kind of a DaemonSet update.
type DaemonSetUpdateStrategyType string

// The DaemonSet update strategies.
const (
	// RollingUpdateDaemonSetStrategyType replaces pods node by node within MaxUnavailable and
	// MaxSurge.
	RollingUpdateDaemonSetStrategyType DaemonSetUpdateStrategyType = "RollingUpdate"
	// OnDeleteDaemonSetStrategyType replaces a pod only when someone deletes it.
	OnDeleteDaemonSetStrategyType DaemonSetUpdateStrategyType = "OnDelete"
)

// RollingUpdateDaemonSet tunes a DaemonSet rolling update. MaxSurge and MaxUnavailable may not
// both be zero.
type RollingUpdateDaemonSet struct {
	// MaxUnavailable is how many nodes' pods, a count or a percentage of the desired pods
	// (rounded up), may be unavailable during the update; 1 when unset.
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	// MaxSurge is how many nodes, a count or a percentage (rounded up), may run an old and a
	// new pod at once during the update; 0 when unset.
	MaxSurge *intstr.IntOrString `json:"maxSurge,omitempty"`
}

// DaemonSetSpec is the desired state of a DaemonSet.
type DaemonSetSpec struct {
	// Selector selects the set's pods; it must match the template's labels.
	Selector *meta.LabelSelector `json:"selector"`
	// Template is the pod template; one pod runs on every node it fits.
	Template corev1.PodTemplateSpec `json:"template"`
	// UpdateStrategy says how pods are replaced when Template changes.
	UpdateStrategy DaemonSetUpdateStrategy `json:"updateStrategy,omitempty"`
	// MinReadySeconds is how long a new pod must be ready to count as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// RevisionHistoryLimit is how many old ControllerRevisions to keep; 10 when unset.
	RevisionHistoryLimit *int32 `json:"revisionHistoryLimit,omitempty"`
}

// DaemonSetStatus is the observed state of a DaemonSet.
type DaemonSetStatus struct {
	// CurrentNumberScheduled is the number of nodes that run a daemon pod and should.
	CurrentNumberScheduled int32 `json:"currentNumberScheduled"`
	// NumberMisscheduled is the number of nodes that run a daemon pod and should not.
	NumberMisscheduled int32 `json:"numberMisscheduled"`
	// DesiredNumberScheduled is the number of nodes that should run a daemon pod.
	DesiredNumberScheduled int32 `json:"desiredNumberScheduled"`
	// NumberReady is the number of nodes whose daemon pod is ready.
	NumberReady int32 `json:"numberReady"`
	// ObservedGeneration is the generation of the set this status reflects.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// UpdatedNumberScheduled is the number of nodes running an up-to-date daemon pod.
	UpdatedNumberScheduled int32 `json:"updatedNumberScheduled,omitempty"`
	// NumberAvailable is the number of nodes whose daemon pod has been ready for at least
	// MinReadySeconds.
	NumberAvailable int32 `json:"numberAvailable,omitempty"`
	// NumberUnavailable is the number of nodes that should run an available daemon pod and
	// do not.
	NumberUnavailable int32 `json:"numberUnavailable,omitempty"`
	// CollisionCount counts hash collisions of ControllerRevision names.
	CollisionCount *int32 `json:"collisionCount,omitempty"`
	// Conditions are the latest observations of the set.
	Conditions []DaemonSetCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
}

// DaemonSetConditionType is the type of a DaemonSet condition.
type DaemonSetConditionType string

// DaemonSetCondition is one observation of a DaemonSet.
type DaemonSetCondition struct {
	// Type is the condition's type.
	Type DaemonSetConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status corev1.ConditionStatus `json:"status"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a one-word CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable account of the last transition.
	Message string `json:"message,omitempty"`
}

// DaemonSet runs one pod on every node its template's scheduling constraints allow.
type DaemonSet struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired state of the set.
	Spec DaemonSetSpec `json:"spec,omitempty"`
	// Status is the observed state of the set; it may lag.
	Status DaemonSetStatus `json:"status,omitempty"`
}

// DaemonSetList is a list of DaemonSet objects.
type DaemonSetList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the daemon sets.
	Items []DaemonSet `json:"items"`
}

// ReplicaSet keeps a number of identical pods running.
type ReplicaSet struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired state of the set.
	Spec ReplicaSetSpec `json:"spec,omitempty"`
	// Status is the observed state of the set; it may lag.
	Status ReplicaSetStatus `json:"status,omitempty"`
}

// ReplicaSetList is a list of ReplicaSet objects.
type ReplicaSetList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the replica sets.
	Items []ReplicaSet `json:"items"`
}

// ReplicaSetSpec is the desired state of a ReplicaSet.
type ReplicaSetSpec struct {
	// Replicas is the desired number of pods; 1 when unset.
	Replicas *int32 `json:"replicas,omitempty"`
	// MinReadySeconds is how long a new pod must be ready to count as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// Selector selects the set's pods; it must match the template's labels.
	Selector *meta.LabelSelector `json:"selector"`
	// Template is the pod template used to create missing pods.
	Template corev1.PodTemplateSpec `json:"template,omitempty"`
}

// ReplicaSetStatus is the observed state of a ReplicaSet.
type ReplicaSetStatus struct {
	// Replicas is the number of non-terminating pods.
	Replicas int32 `json:"replicas"`
	// FullyLabeledReplicas is the number of non-terminating pods whose labels match the
	// template's.
	FullyLabeledReplicas int32 `json:"fullyLabeledReplicas,omitempty"`
	// ReadyReplicas is the number of non-terminating pods with a Ready condition.
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`
	// AvailableReplicas is the number of pods ready for at least MinReadySeconds.
	AvailableReplicas int32 `json:"availableReplicas,omitempty"`
	// TerminatingReplicas is the number of terminating pods; nil when not tracked.
	TerminatingReplicas *int32 `json:"terminatingReplicas,omitempty"`
	// ObservedGeneration is the generation of the set this status reflects.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are the latest observations of the set.
	Conditions []ReplicaSetCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
}

// ReplicaSetConditionType is the type of a ReplicaSet condition.
type ReplicaSetConditionType string

// The ReplicaSet condition types.
const (
	// ReplicaSetReplicaFailure: a pod could not be created or deleted.
	ReplicaSetReplicaFailure ReplicaSetConditionType = "ReplicaFailure"
)

// ReplicaSetCondition is one observation of a ReplicaSet.
type ReplicaSetCondition struct {
	// Type is the condition's type.
	Type ReplicaSetConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status corev1.ConditionStatus `json:"status"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a one-word CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable account of the last transition.
	Message string `json:"message,omitempty"`
}

// ControllerRevision is an immutable snapshot of state, such as a DaemonSet's or StatefulSet's
// pod template, that a controller can roll back to. Its Data cannot change after creation.
type ControllerRevision struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Data is the serialized state, a JSON object the owning controller understands.
	Data runtime.RawExtension `json:"data,omitempty"`
	// Revision is the revision number; higher is newer.
	Revision int64 `json:"revision"`
}

// ControllerRevisionList is a list of ControllerRevision objects.
type ControllerRevisionList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the controller revisions.
	Items []ControllerRevision `json:"items"`
}
