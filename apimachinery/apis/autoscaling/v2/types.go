package v2

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// GroupName is the API group of this package.
const GroupName = "autoscaling"

// HorizontalPodAutoscaler scales a workload between MinReplicas and MaxReplicas on metrics.
type HorizontalPodAutoscaler struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired behaviour of the autoscaler.
	Spec HorizontalPodAutoscalerSpec `json:"spec,omitempty"`
	// Status is the observed state of the autoscaler.
	Status HorizontalPodAutoscalerStatus `json:"status,omitempty"`
}

// HorizontalPodAutoscalerSpec is the desired behaviour of a HorizontalPodAutoscaler.
type HorizontalPodAutoscalerSpec struct {
	// ScaleTargetRef is the scaled workload; it must have a scale subresource.
	ScaleTargetRef CrossVersionObjectReference `json:"scaleTargetRef"`
	// MinReplicas is the lower bound of replicas; 1 when unset. 0 is allowed with an Object or
	// External metric (alpha in Kubernetes).
	MinReplicas *int32 `json:"minReplicas,omitempty"`
	// MaxReplicas is the upper bound of replicas; it may not be below MinReplicas.
	MaxReplicas int32 `json:"maxReplicas"`
	// Metrics are the metrics to scale on; the largest proposed replica count wins. 80% CPU
	// utilization when unset.
	Metrics []MetricSpec `json:"metrics,omitempty"`
	// Behavior tunes scaling up and down; the default behaviour when unset.
	Behavior *HorizontalPodAutoscalerBehavior `json:"behavior,omitempty"`
}

// CrossVersionObjectReference names the object an autoscaler scales or reads a metric of.
type CrossVersionObjectReference struct {
	// Kind is the kind of the referent, such as Deployment.
	Kind string `json:"kind"`
	// Name is the name of the referent.
	Name string `json:"name"`
	// APIVersion is the API version of the referent, such as apps/v1.
	APIVersion string `json:"apiVersion,omitempty"`
}

// MetricSpec is one metric to scale on. Exactly the source field matching Type is set.
type MetricSpec struct {
	// Type is the source of the metric: Object, Pods, Resource, ContainerResource or External.
	Type MetricSourceType `json:"type"`
	// Object is a metric of another object, such as requests per second of an Ingress.
	Object *ObjectMetricSource `json:"object,omitempty"`
	// Pods is a per-pod metric, averaged over the target's pods.
	Pods *PodsMetricSource `json:"pods,omitempty"`
	// Resource is a resource (cpu, memory) of the target's pods, from requests and usage.
	Resource *ResourceMetricSource `json:"resource,omitempty"`
	// ContainerResource is a resource of one container of each of the target's pods.
	ContainerResource *ContainerResourceMetricSource `json:"containerResource,omitempty"`
	// External is a metric not tied to any Kubernetes object.
	External *ExternalMetricSource `json:"external,omitempty"`
}

// HorizontalPodAutoscalerBehavior tunes scaling in each direction.
type HorizontalPodAutoscalerBehavior struct {
	// ScaleUp tunes scaling up: no stabilization window, and at most double or 4 more pods
	// (the larger) per 15 seconds when unset.
	ScaleUp *HPAScalingRules `json:"scaleUp,omitempty"`
	// ScaleDown tunes scaling down: a 300-second stabilization window and any amount per 15
	// seconds when unset.
	ScaleDown *HPAScalingRules `json:"scaleDown,omitempty"`
}

// ScalingPolicySelect says which of several scaling policies applies.
type ScalingPolicySelect string

// The policy selections.
const (
	// MaxChangePolicySelect picks the policy allowing the largest change.
	MaxChangePolicySelect ScalingPolicySelect = "Max"
	// MinChangePolicySelect picks the policy allowing the smallest change.
	MinChangePolicySelect ScalingPolicySelect = "Min"
	// DisabledPolicySelect disables scaling in this direction.
	DisabledPolicySelect ScalingPolicySelect = "Disabled"
)

// HPAScalingRules tunes scaling in one direction.
type HPAScalingRules struct {
	// StabilizationWindowSeconds is how far back the autoscaler looks at past recommendations
	// to avoid flapping, 0 to 3600.
	StabilizationWindowSeconds *int32 `json:"stabilizationWindowSeconds,omitempty"`
	// SelectPolicy picks among Policies; Max when unset.
	SelectPolicy *ScalingPolicySelect `json:"selectPolicy,omitempty"`
	// Policies limit the change per period.
	Policies []HPAScalingPolicy `json:"policies,omitempty"`
	// Tolerance is the fraction of deviation from the target below which the autoscaler does
	// not scale (0.1 cluster default when unset; alpha in Kubernetes).
	Tolerance *resource.Quantity `json:"tolerance,omitempty"`
}

// HPAScalingPolicyType is the unit of a scaling policy.
type HPAScalingPolicyType string

// The scaling policy units.
const (
	// PodsScalingPolicy limits the change to Value pods.
	PodsScalingPolicy HPAScalingPolicyType = "Pods"
	// PercentScalingPolicy limits the change to Value percent of the current replicas.
	PercentScalingPolicy HPAScalingPolicyType = "Percent"
)

// HPAScalingPolicy allows a change of at most Value (pods or percent) per PeriodSeconds.
type HPAScalingPolicy struct {
	// Type is Pods or Percent.
	Type HPAScalingPolicyType `json:"type"`
	// Value is the allowed change; above zero.
	Value int32 `json:"value"`
	// PeriodSeconds is the window the change is measured over, 1 to 1800.
	PeriodSeconds int32 `json:"periodSeconds"`
}

// MetricSourceType is the source of a metric.
type MetricSourceType string

// The metric sources.
const (
	// ObjectMetricSourceType is a metric of a Kubernetes object.
	ObjectMetricSourceType MetricSourceType = "Object"
	// PodsMetricSourceType is a per-pod metric of the target's pods.
	PodsMetricSourceType MetricSourceType = "Pods"
	// ResourceMetricSourceType is a resource of the target's pods.
	ResourceMetricSourceType MetricSourceType = "Resource"
	// ContainerResourceMetricSourceType is a resource of one container of the target's pods.
	ContainerResourceMetricSourceType MetricSourceType = "ContainerResource"
	// ExternalMetricSourceType is a metric outside the cluster.
	ExternalMetricSourceType MetricSourceType = "External"
)

// ObjectMetricSource is a metric of a Kubernetes object.
type ObjectMetricSource struct {
	// DescribedObject is the object the metric describes.
	DescribedObject CrossVersionObjectReference `json:"describedObject"`
	// Target is the target value, Value or AverageValue.
	Target MetricTarget `json:"target"`
	// Metric identifies the metric.
	Metric MetricIdentifier `json:"metric"`
}

// PodsMetricSource is a per-pod metric, averaged over the target's pods.
type PodsMetricSource struct {
	// Metric identifies the metric.
	Metric MetricIdentifier `json:"metric"`
	// Target is the target value; only AverageValue.
	Target MetricTarget `json:"target"`
}

// ResourceMetricSource is a resource of the target's pods.
type ResourceMetricSource struct {
	// Name is the resource, such as cpu or memory.
	Name corev1.ResourceName `json:"name"`
	// Target is the target Utilization (percent of requests) or AverageValue.
	Target MetricTarget `json:"target"`
}

// ContainerResourceMetricSource is a resource of one container of the target's pods.
type ContainerResourceMetricSource struct {
	// Name is the resource, such as cpu or memory.
	Name corev1.ResourceName `json:"name"`
	// Target is the target Utilization (percent of requests) or AverageValue.
	Target MetricTarget `json:"target"`
	// Container is the name of the container.
	Container string `json:"container"`
}

// ExternalMetricSource is a metric from outside the cluster.
type ExternalMetricSource struct {
	// Metric identifies the metric.
	Metric MetricIdentifier `json:"metric"`
	// Target is the target Value or AverageValue.
	Target MetricTarget `json:"target"`
}

// MetricIdentifier names a metric and narrows it by labels.
type MetricIdentifier struct {
	// Name is the metric's name.
	Name string `json:"name"`
	// Selector narrows the metric by its labels; the metrics server decides when unset.
	Selector *meta.LabelSelector `json:"selector,omitempty"`
}

// MetricTarget is the target of a metric: one of Value, AverageValue and AverageUtilization,
// as Type says.
type MetricTarget struct {
	// Type is Utilization, Value or AverageValue.
	Type MetricTargetType `json:"type"`
	// Value is the target value of the metric as a whole.
	Value *resource.Quantity `json:"value,omitempty"`
	// AverageValue is the target value of the metric averaged over the pods.
	AverageValue *resource.Quantity `json:"averageValue,omitempty"`
	// AverageUtilization is the target average use of a resource, in percent of the pods'
	// requests; only for Resource and ContainerResource metrics.
	AverageUtilization *int32 `json:"averageUtilization,omitempty"`
}

// MetricTargetType is the kind of a metric target.
type MetricTargetType string

// The metric target types.
const (
	// UtilizationMetricType targets a percentage of requests.
	UtilizationMetricType MetricTargetType = "Utilization"
	// ValueMetricType targets a value.
	ValueMetricType MetricTargetType = "Value"
	// AverageValueMetricType targets a value averaged over pods.
	AverageValueMetricType MetricTargetType = "AverageValue"
)

// HorizontalPodAutoscalerStatus is the observed state of a HorizontalPodAutoscaler.
type HorizontalPodAutoscalerStatus struct {
	// ObservedGeneration is the most recent generation the autoscaler observed.
	ObservedGeneration *int64 `json:"observedGeneration,omitempty"`
	// LastScaleTime is when the autoscaler last changed the number of replicas.
	LastScaleTime *meta.Time `json:"lastScaleTime,omitempty"`
	// CurrentReplicas is the number of replicas last seen.
	CurrentReplicas int32 `json:"currentReplicas,omitempty"`
	// DesiredReplicas is the number of replicas last computed.
	DesiredReplicas int32 `json:"desiredReplicas"`
	// CurrentMetrics are the last read values of the metrics.
	CurrentMetrics []MetricStatus `json:"currentMetrics"`
	// Conditions say whether the autoscaler can scale and why it is or is not.
	Conditions []HorizontalPodAutoscalerCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
}

// HorizontalPodAutoscalerConditionType is the type of an autoscaler condition.
type HorizontalPodAutoscalerConditionType string

// The autoscaler condition types.
const (
	// ScalingActive: the autoscaler can compute a scale (metrics work, target reachable);
	// False also when scaling is disabled by minReplicas 0 and a zero target.
	ScalingActive HorizontalPodAutoscalerConditionType = "ScalingActive"
	// AbleToScale: the autoscaler can read and write the target's scale now (not in backoff).
	AbleToScale HorizontalPodAutoscalerConditionType = "AbleToScale"
	// ScalingLimited: the desired count was clamped by the replica bounds or the behaviour.
	ScalingLimited HorizontalPodAutoscalerConditionType = "ScalingLimited"
)

// HorizontalPodAutoscalerCondition is one observation of an autoscaler.
type HorizontalPodAutoscalerCondition struct {
	// Type is the condition's type.
	Type HorizontalPodAutoscalerConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status corev1.ConditionStatus `json:"status"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a one-word CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable account of the last transition.
	Message string `json:"message,omitempty"`
}

// MetricStatus is the last read value of one metric. Exactly the field matching Type is set.
type MetricStatus struct {
	// Type is the source of the metric.
	Type MetricSourceType `json:"type"`
	// Object is the status of an Object metric.
	Object *ObjectMetricStatus `json:"object,omitempty"`
	// Pods is the status of a Pods metric.
	Pods *PodsMetricStatus `json:"pods,omitempty"`
	// Resource is the status of a Resource metric.
	Resource *ResourceMetricStatus `json:"resource,omitempty"`
	// ContainerResource is the status of a ContainerResource metric.
	ContainerResource *ContainerResourceMetricStatus `json:"containerResource,omitempty"`
	// External is the status of an External metric.
	External *ExternalMetricStatus `json:"external,omitempty"`
}

// ObjectMetricStatus is the current value of an Object metric.
type ObjectMetricStatus struct {
	// Metric identifies the metric.
	Metric MetricIdentifier `json:"metric"`
	// Current is the current value.
	Current MetricValueStatus `json:"current"`
	// DescribedObject is the object the metric describes.
	DescribedObject CrossVersionObjectReference `json:"describedObject"`
}

// PodsMetricStatus is the current value of a Pods metric.
type PodsMetricStatus struct {
	// Metric identifies the metric.
	Metric MetricIdentifier `json:"metric"`
	// Current is the current value.
	Current MetricValueStatus `json:"current"`
}

// ResourceMetricStatus is the current value of a Resource metric.
type ResourceMetricStatus struct {
	// Name is the resource.
	Name corev1.ResourceName `json:"name"`
	// Current is the current value.
	Current MetricValueStatus `json:"current"`
}

// ContainerResourceMetricStatus is the current value of a ContainerResource metric.
type ContainerResourceMetricStatus struct {
	// Name is the resource.
	Name corev1.ResourceName `json:"name"`
	// Current is the current value.
	Current MetricValueStatus `json:"current"`
	// Container is the name of the container.
	Container string `json:"container"`
}

// ExternalMetricStatus is the current value of an External metric.
type ExternalMetricStatus struct {
	// Metric identifies the metric.
	Metric MetricIdentifier `json:"metric"`
	// Current is the current value.
	Current MetricValueStatus `json:"current"`
}

// MetricValueStatus is the current value of a metric.
type MetricValueStatus struct {
	// Value is the value of the metric as a whole.
	Value *resource.Quantity `json:"value,omitempty"`
	// AverageValue is the value averaged over the pods.
	AverageValue *resource.Quantity `json:"averageValue,omitempty"`
	// AverageUtilization is the average use of a resource in percent of the pods' requests.
	AverageUtilization *int32 `json:"averageUtilization,omitempty"`
}

// HorizontalPodAutoscalerList is a list of HorizontalPodAutoscaler objects.
type HorizontalPodAutoscalerList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the autoscalers.
	Items []HorizontalPodAutoscaler `json:"items"`
}
