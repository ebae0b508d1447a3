package v1

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Defaulting: the Default<Kind> functions fill what a user may leave out with the values the
// Kubernetes API server stores for apps/v1 (facts from the Kubernetes API reference and
// k8s.io/kubernetes/pkg/apis/apps/v1 defaults), and default the pod template as core/v1 does
// for templates. They only set unset fields, so applying them twice equals applying them once;
// a nil object is left alone.

// Default values of apps/v1 objects.
const (
	// DefaultReplicas is the replica count of a Deployment, ReplicaSet or StatefulSet that
	// sets none.
	DefaultReplicas int32 = 1
	// DefaultRevisionHistoryLimit is how many old revisions a Deployment, DaemonSet or
	// StatefulSet keeps when it sets no limit.
	DefaultRevisionHistoryLimit int32 = 10
	// DefaultProgressDeadlineSeconds is how long a Deployment may make no progress before it
	// is reported as failed.
	DefaultProgressDeadlineSeconds int32 = 600
	// DefaultMaxUnavailable and DefaultMaxSurge are the rolling-update budget of a Deployment.
	DefaultMaxUnavailable = "25%"
	DefaultMaxSurge       = "25%"
)

func ptrTo[T any](v T) *T { return &v }

// RegisterDefaults registers the defaulting functions of apps/v1 with s, for each kind and
// each item of its list kind.
func RegisterDefaults(s *runtime.Scheme) error {
	regs := []struct {
		obj runtime.Object
		fn  func(runtime.Object)
	}{
		{&Deployment{}, func(o runtime.Object) { DefaultDeployment(o.(*Deployment)) }},
		{&DeploymentList{}, func(o runtime.Object) {
			for i := range o.(*DeploymentList).Items {
				DefaultDeployment(&o.(*DeploymentList).Items[i])
			}
		}},
		{&ReplicaSet{}, func(o runtime.Object) { DefaultReplicaSet(o.(*ReplicaSet)) }},
		{&ReplicaSetList{}, func(o runtime.Object) {
			for i := range o.(*ReplicaSetList).Items {
				DefaultReplicaSet(&o.(*ReplicaSetList).Items[i])
			}
		}},
		{&DaemonSet{}, func(o runtime.Object) { DefaultDaemonSet(o.(*DaemonSet)) }},
		{&DaemonSetList{}, func(o runtime.Object) {
			for i := range o.(*DaemonSetList).Items {
				DefaultDaemonSet(&o.(*DaemonSetList).Items[i])
			}
		}},
		{&StatefulSet{}, func(o runtime.Object) { DefaultStatefulSet(o.(*StatefulSet)) }},
		{&StatefulSetList{}, func(o runtime.Object) {
			for i := range o.(*StatefulSetList).Items {
				DefaultStatefulSet(&o.(*StatefulSetList).Items[i])
			}
		}},
	}
	for _, r := range regs {
		if err := s.AddDefaultingFunc(r.obj, r.fn); err != nil {
			return err
		}
	}
	return nil
}

// DefaultDeployment sets replicas 1, strategy RollingUpdate with maxUnavailable and maxSurge
// 25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, and defaults the pod template.
func DefaultDeployment(d *Deployment) {
	if d == nil {
		return
	}
	s := &d.Spec
	if s.Replicas == nil {
		s.Replicas = ptrTo(DefaultReplicas)
	}
	if s.Strategy.Type == "" {
		s.Strategy.Type = RollingUpdateDeploymentStrategyType
	}
	if s.Strategy.Type == RollingUpdateDeploymentStrategyType {
		if s.Strategy.RollingUpdate == nil {
			s.Strategy.RollingUpdate = &RollingUpdateDeployment{}
		}
		if s.Strategy.RollingUpdate.MaxUnavailable == nil {
			s.Strategy.RollingUpdate.MaxUnavailable = ptrTo(intstr.FromString(DefaultMaxUnavailable))
		}
		if s.Strategy.RollingUpdate.MaxSurge == nil {
			s.Strategy.RollingUpdate.MaxSurge = ptrTo(intstr.FromString(DefaultMaxSurge))
		}
	}
	if s.RevisionHistoryLimit == nil {
		s.RevisionHistoryLimit = ptrTo(DefaultRevisionHistoryLimit)
	}
	if s.ProgressDeadlineSeconds == nil {
		s.ProgressDeadlineSeconds = ptrTo(DefaultProgressDeadlineSeconds)
	}
	corev1.DefaultPodTemplateSpec(&s.Template)
}

// DefaultReplicaSet sets replicas 1 and defaults the pod template.
func DefaultReplicaSet(rs *ReplicaSet) {
	if rs == nil {
		return
	}
	if rs.Spec.Replicas == nil {
		rs.Spec.Replicas = ptrTo(DefaultReplicas)
	}
	corev1.DefaultPodTemplateSpec(&rs.Spec.Template)
}

// DefaultDaemonSet sets updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0,
// revisionHistoryLimit 10, and defaults the pod template.
func DefaultDaemonSet(ds *DaemonSet) {
	if ds == nil {
		return
	}
	s := &ds.Spec
	if s.UpdateStrategy.Type == "" {
		s.UpdateStrategy.Type = RollingUpdateDaemonSetStrategyType
	}
	if s.UpdateStrategy.Type == RollingUpdateDaemonSetStrategyType {
		if s.UpdateStrategy.RollingUpdate == nil {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateDaemonSet{}
		}
		if s.UpdateStrategy.RollingUpdate.MaxUnavailable == nil {
			s.UpdateStrategy.RollingUpdate.MaxUnavailable = ptrTo(intstr.FromInt32(1))
		}
		if s.UpdateStrategy.RollingUpdate.MaxSurge == nil {
			s.UpdateStrategy.RollingUpdate.MaxSurge = ptrTo(intstr.FromInt32(0))
		}
	}
	if s.RevisionHistoryLimit == nil {
		s.RevisionHistoryLimit = ptrTo(DefaultRevisionHistoryLimit)
	}
	corev1.DefaultPodTemplateSpec(&s.Template)
}

// DefaultStatefulSet sets replicas 1, podManagementPolicy OrderedReady, updateStrategy
// RollingUpdate with partition 0, revisionHistoryLimit 10, persistentVolumeClaimRetentionPolicy
// Retain/Retain, defaults the volume claim templates as claims and the pod template.
func DefaultStatefulSet(ss *StatefulSet) {
	if ss == nil {
		return
	}
	s := &ss.Spec
	if s.Replicas == nil {
		s.Replicas = ptrTo(DefaultReplicas)
	}
	if s.PodManagementPolicy == "" {
		s.PodManagementPolicy = OrderedReadyPodManagement
	}
	if s.UpdateStrategy.Type == "" {
		s.UpdateStrategy.Type = RollingUpdateStatefulSetStrategyType
		if s.UpdateStrategy.RollingUpdate == nil {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateStatefulSetStrategy{}
		}
	}
	if s.UpdateStrategy.Type == RollingUpdateStatefulSetStrategyType && s.UpdateStrategy.RollingUpdate != nil &&
		s.UpdateStrategy.RollingUpdate.Partition == nil {
		s.UpdateStrategy.RollingUpdate.Partition = ptrTo(int32(0))
	}
	if s.RevisionHistoryLimit == nil {
		s.RevisionHistoryLimit = ptrTo(DefaultRevisionHistoryLimit)
	}
	if s.PersistentVolumeClaimRetentionPolicy == nil {
		s.PersistentVolumeClaimRetentionPolicy = &StatefulSetPersistentVolumeClaimRetentionPolicy{}
	}
	if s.PersistentVolumeClaimRetentionPolicy.WhenDeleted == "" {
		s.PersistentVolumeClaimRetentionPolicy.WhenDeleted = RetainPersistentVolumeClaimRetentionPolicyType
	}
	if s.PersistentVolumeClaimRetentionPolicy.WhenScaled == "" {
		s.PersistentVolumeClaimRetentionPolicy.WhenScaled = RetainPersistentVolumeClaimRetentionPolicyType
	}
	for i := range s.VolumeClaimTemplates {
		corev1.DefaultPersistentVolumeClaim(&s.VolumeClaimTemplates[i])
	}
	corev1.DefaultPodTemplateSpec(&s.Template)
}
