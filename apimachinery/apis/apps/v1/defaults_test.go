package v1_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

var quantityCmp = cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })

func TestDefaults(t *testing.T) {
	tmplDefaulted := template()
	corev1.DefaultPodTemplateSpec(&tmplDefaulted)
	tests := []struct {
		name  string
		in    runtime.Object
		apply func(runtime.Object)
		want  runtime.Object
	}{
		{
			name:  "deployment",
			in:    &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: template()}},
			apply: func(o runtime.Object) { appsv1.DefaultDeployment(o.(*appsv1.Deployment)) },
			want: &appsv1.Deployment{Spec: appsv1.DeploymentSpec{
				Replicas: ptr(int32(1)), Template: tmplDefaulted,
				Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxUnavailable: ptr(intstr.FromString("25%")), MaxSurge: ptr(intstr.FromString("25%")),
				}},
				RevisionHistoryLimit: ptr(int32(10)), ProgressDeadlineSeconds: ptr(int32(600)),
			}},
		},
		{
			name:  "deployment recreate keeps no rolling update",
			in:    &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: ptr(int32(0)), Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}}},
			apply: func(o runtime.Object) { appsv1.DefaultDeployment(o.(*appsv1.Deployment)) },
			want: &appsv1.Deployment{Spec: appsv1.DeploymentSpec{
				Replicas: ptr(int32(0)), Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
				RevisionHistoryLimit: ptr(int32(10)), ProgressDeadlineSeconds: ptr(int32(600)),
				Template: corev1.PodTemplateSpec{Spec: func() corev1.PodSpec { s := corev1.PodSpec{}; corev1.DefaultPodSpec(&s); return s }()},
			}},
		},
		{
			name:  "replicaset",
			in:    &appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Template: template()}},
			apply: func(o runtime.Object) { appsv1.DefaultReplicaSet(o.(*appsv1.ReplicaSet)) },
			want:  &appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Replicas: ptr(int32(1)), Template: tmplDefaulted}},
		},
		{
			name:  "daemonset",
			in:    &appsv1.DaemonSet{Spec: appsv1.DaemonSetSpec{Template: template()}},
			apply: func(o runtime.Object) { appsv1.DefaultDaemonSet(o.(*appsv1.DaemonSet)) },
			want: &appsv1.DaemonSet{Spec: appsv1.DaemonSetSpec{
				Template: tmplDefaulted,
				UpdateStrategy: appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: &appsv1.RollingUpdateDaemonSet{
					MaxUnavailable: ptr(intstr.FromInt32(1)), MaxSurge: ptr(intstr.FromInt32(0)),
				}},
				RevisionHistoryLimit: ptr(int32(10)),
			}},
		},
		{
			name: "statefulset",
			in: &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Template: template(), VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{
				ObjectMeta: meta.ObjectMeta{Name: "data"},
			}}}},
			apply: func(o runtime.Object) { appsv1.DefaultStatefulSet(o.(*appsv1.StatefulSet)) },
			want: &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{
				Replicas: ptr(int32(1)), Template: tmplDefaulted,
				VolumeClaimTemplates: []corev1.PersistentVolumeClaim{{
					ObjectMeta: meta.ObjectMeta{Name: "data"},
					Spec:       corev1.PersistentVolumeClaimSpec{VolumeMode: ptr(corev1.PersistentVolumeFilesystem)},
					Status:     corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimPending},
				}},
				PodManagementPolicy: appsv1.OrderedReadyPodManagement,
				UpdateStrategy: appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType,
					RollingUpdate: &appsv1.RollingUpdateStatefulSetStrategy{Partition: ptr(int32(0))}},
				RevisionHistoryLimit: ptr(int32(10)),
				PersistentVolumeClaimRetentionPolicy: &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
					WhenDeleted: appsv1.RetainPersistentVolumeClaimRetentionPolicyType, WhenScaled: appsv1.RetainPersistentVolumeClaimRetentionPolicyType,
				},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.DeepCopyObject()
			tt.apply(got)
			if diff := cmp.Diff(tt.want, got, quantityCmp); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			again := got.DeepCopyObject()
			tt.apply(again)
			if diff := cmp.Diff(got, again, quantityCmp); diff != "" {
				t.Errorf("not idempotent (-once +twice):\n%s", diff)
			}
		})
	}
}

func TestRegisterDefaults(t *testing.T) {
	s := runtime.NewScheme()
	if err := appsv1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	if err := appsv1.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	l := &appsv1.DeploymentList{Items: []appsv1.Deployment{{}}}
	if !s.Default(l) {
		t.Fatal("no defaulting func for DeploymentList")
	}
	if r := l.Items[0].Spec.Replicas; r == nil || *r != 1 {
		t.Errorf("replicas = %v, want 1", r)
	}
}
