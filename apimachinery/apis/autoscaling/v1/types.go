package v1

import "github.com/cellkit/cellkit/apimachinery/meta"

// GroupName is the API group of this package.
const GroupName = "autoscaling"

// Scale is the scale subresource of a scalable workload.
type Scale struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the metadata of the scaled object.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired scale.
	Spec ScaleSpec `json:"spec,omitempty"`
	// Status is the observed scale; read-only.
	Status ScaleStatus `json:"status,omitempty"`
}

// ScaleSpec is the desired scale.
type ScaleSpec struct {
	// Replicas is the desired number of instances.
	Replicas int32 `json:"replicas,omitempty"`
}

// ScaleStatus is the observed scale.
type ScaleStatus struct {
	// Replicas is the observed number of instances.
	Replicas int32 `json:"replicas"`
	// Selector is the label selector of the scaled pods, in its string form ("app=web,tier in
	// (a,b)"), as used by autoscalers to find the pods.
	Selector string `json:"selector,omitempty"`
}

// CrossVersionObjectReference names the object an autoscaler scales.
type CrossVersionObjectReference struct {
	// Kind is the kind of the referent, such as Deployment.
	Kind string `json:"kind"`
	// Name is the name of the referent.
	Name string `json:"name"`
	// APIVersion is the API version of the referent, such as apps/v1.
	APIVersion string `json:"apiVersion,omitempty"`
}

// HorizontalPodAutoscaler scales a workload by the average CPU utilization of its pods.
type HorizontalPodAutoscaler struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired behaviour of the autoscaler.
	Spec HorizontalPodAutoscalerSpec `json:"spec,omitempty"`
	// Status is the observed state of the autoscaler.
	Status HorizontalPodAutoscalerStatus `json:"status,omitempty"`
}

// HorizontalPodAutoscalerSpec is the desired behaviour of a v1 HorizontalPodAutoscaler.
type HorizontalPodAutoscalerSpec struct {
	// ScaleTargetRef is the scaled workload.
	ScaleTargetRef CrossVersionObjectReference `json:"scaleTargetRef"`
	// MinReplicas is the lower bound of replicas; 1 when unset.
	MinReplicas *int32 `json:"minReplicas,omitempty"`
	// MaxReplicas is the upper bound of replicas; it may not be below MinReplicas.
	MaxReplicas int32 `json:"maxReplicas"`
	// TargetCPUUtilizationPercentage is the target average CPU utilization, in percent of the
	// requested CPU; a default applies when unset.
	TargetCPUUtilizationPercentage *int32 `json:"targetCPUUtilizationPercentage,omitempty"`
}

// HorizontalPodAutoscalerStatus is the observed state of a v1 HorizontalPodAutoscaler.
type HorizontalPodAutoscalerStatus struct {
	// ObservedGeneration is the most recent generation the autoscaler observed.
	ObservedGeneration *int64 `json:"observedGeneration,omitempty"`
	// LastScaleTime is when the autoscaler last changed the number of replicas.
	LastScaleTime *meta.Time `json:"lastScaleTime,omitempty"`
	// CurrentReplicas is the number of replicas last seen.
	CurrentReplicas int32 `json:"currentReplicas"`
	// DesiredReplicas is the number of replicas last computed.
	DesiredReplicas int32 `json:"desiredReplicas"`
	// CurrentCPUUtilizationPercentage is the last measured average CPU utilization, in percent
	// of the requested CPU.
	CurrentCPUUtilizationPercentage *int32 `json:"currentCPUUtilizationPercentage,omitempty"`
}

// HorizontalPodAutoscalerList is a list of HorizontalPodAutoscaler objects.
type HorizontalPodAutoscalerList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the autoscalers.
	Items []HorizontalPodAutoscaler `json:"items"`
}
