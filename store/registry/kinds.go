package registry

import (
	"reflect"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	autoscalingv1 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v1"
	autoscalingv2 "github.com/cellkit/cellkit/apimachinery/apis/autoscaling/v2"
	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	discoveryv1 "github.com/cellkit/cellkit/apimachinery/apis/discovery/v1"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	rbacv1 "github.com/cellkit/cellkit/apimachinery/apis/rbac/v1"
	schedulingv1 "github.com/cellkit/cellkit/apimachinery/apis/scheduling/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// podsResource is the resource whose objects get the pod rules (graceful deletion, binding,
// default tolerations).
var podsResource = schema.GroupResource{Resource: "pods"}

// validator checks objects of one kind on create and on update.
type validator struct {
	create func(obj runtime.MetaObject) field.ErrorList
	update func(obj, old runtime.MetaObject) field.ErrorList
}

// kind builds the validator of one Go type from its Validate<Kind> function and, when the
// package has one, its Validate<Kind>Update function. Without one, an update is checked with
// the create rules for the new object and the metadata update rules.
func kind[T runtime.MetaObject](create func(T) field.ErrorList, update func(n, o T) field.ErrorList) (reflect.Type, validator) {
	v := validator{create: func(obj runtime.MetaObject) field.ErrorList { return create(obj.(T)) }}
	if update != nil {
		v.update = func(obj, old runtime.MetaObject) field.ErrorList { return update(obj.(T), old.(T)) }
	} else {
		v.update = func(obj, old runtime.MetaObject) field.ErrorList {
			errs := create(obj.(T))
			errs = append(errs, validation.ValidateObjectMetaUpdate(obj.GetObjectMeta(), old.GetObjectMeta(), field.NewPath("metadata"))...)
			return dedupe(errs)
		}
	}
	return reflect.TypeFor[T](), v
}

// builtinValidators returns the validators of every built-in kind that has validation
// functions. Kinds not listed here are stored without kind validation.
func builtinValidators() map[reflect.Type]validator {
	m := map[reflect.Type]validator{}
	add := func(t reflect.Type, v validator) { m[t] = v }
	// core/v1
	add(kind(corev1.ValidatePodCreate, corev1.ValidatePodUpdate))
	add(kind(corev1.ValidatePodTemplate, nil))
	add(kind(corev1.ValidateReplicationController, corev1.ValidateReplicationControllerUpdate))
	add(kind(corev1.ValidateService, corev1.ValidateServiceUpdate))
	add(kind(corev1.ValidateEndpoints, nil))
	add(kind(corev1.ValidateNamespace, corev1.ValidateNamespaceUpdate))
	add(kind(corev1.ValidateConfigMap, corev1.ValidateConfigMapUpdate))
	add(kind(corev1.ValidateSecret, corev1.ValidateSecretUpdate))
	add(kind(corev1.ValidateServiceAccount, nil))
	add(kind(corev1.ValidateNode, corev1.ValidateNodeUpdate))
	add(kind(corev1.ValidatePersistentVolumeClaim, corev1.ValidatePersistentVolumeClaimUpdate))
	add(kind(corev1.ValidatePersistentVolume, nil))
	add(kind(corev1.ValidateResourceQuota, nil))
	// apps/v1
	add(kind(appsv1.ValidateDeployment, appsv1.ValidateDeploymentUpdate))
	add(kind(appsv1.ValidateReplicaSet, appsv1.ValidateReplicaSetUpdate))
	add(kind(appsv1.ValidateDaemonSet, appsv1.ValidateDaemonSetUpdate))
	add(kind(appsv1.ValidateStatefulSet, appsv1.ValidateStatefulSetUpdate))
	add(kind(appsv1.ValidateControllerRevision, appsv1.ValidateControllerRevisionUpdate))
	// batch/v1
	add(kind(batchv1.ValidateJob, batchv1.ValidateJobUpdate))
	add(kind(batchv1.ValidateCronJob, batchv1.ValidateCronJobUpdate))
	// autoscaling
	add(kind(autoscalingv1.ValidateHorizontalPodAutoscaler, autoscalingv1.ValidateHorizontalPodAutoscalerUpdate))
	add(kind(autoscalingv2.ValidateHorizontalPodAutoscaler, autoscalingv2.ValidateHorizontalPodAutoscalerUpdate))
	// coordination, discovery, policy, rbac, scheduling
	add(kind(coordinationv1.ValidateLease, coordinationv1.ValidateLeaseUpdate))
	add(kind(discoveryv1.ValidateEndpointSlice, discoveryv1.ValidateEndpointSliceUpdate))
	add(kind(policyv1.ValidatePodDisruptionBudget, policyv1.ValidatePodDisruptionBudgetUpdate))
	add(kind(rbacv1.ValidateRole, rbacv1.ValidateRoleUpdate))
	add(kind(rbacv1.ValidateClusterRole, rbacv1.ValidateClusterRoleUpdate))
	add(kind(rbacv1.ValidateRoleBinding, rbacv1.ValidateRoleBindingUpdate))
	add(kind(rbacv1.ValidateClusterRoleBinding, rbacv1.ValidateClusterRoleBindingUpdate))
	add(kind(schedulingv1.ValidatePriorityClass, schedulingv1.ValidatePriorityClassUpdate))
	return m
}

// dedupe drops repeated field errors (the same type, field and detail), which arise when the
// create rules and the metadata update rules both check a field.
func dedupe(errs field.ErrorList) field.ErrorList {
	if len(errs) < 2 {
		return errs
	}
	seen := make(map[string]bool, len(errs))
	out := errs[:0:0]
	for _, e := range errs {
		k := e.Error()
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// resetStatus clears the status a client sent with a new object, for the kinds whose status
// only the system writes (Kubernetes' PrepareForCreate): workloads, services, autoscalers,
// disruption budgets, quotas; pods start Pending with their QOS class, namespaces Active, volumes and claims
// Pending. Nodes keep theirs (the node agent registers a node with its status).
func resetStatus(obj runtime.MetaObject) {
	switch o := obj.(type) {
	case *corev1.Pod:
		o.Status = corev1.PodStatus{Phase: corev1.PodPending, QOSClass: podQOSClass(o)}
	case *corev1.Namespace:
		o.Status = corev1.NamespaceStatus{Phase: corev1.NamespaceActive}
	case *corev1.PersistentVolume:
		o.Status = corev1.PersistentVolumeStatus{Phase: corev1.VolumePending}
	case *corev1.PersistentVolumeClaim:
		o.Status = corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimPending}
	case *corev1.Service:
		o.Status = corev1.ServiceStatus{}
	case *corev1.ReplicationController:
		o.Status = corev1.ReplicationControllerStatus{}
	case *corev1.ResourceQuota:
		o.Status = corev1.ResourceQuotaStatus{}
	case *appsv1.Deployment:
		o.Status = appsv1.DeploymentStatus{}
	case *appsv1.ReplicaSet:
		o.Status = appsv1.ReplicaSetStatus{}
	case *appsv1.StatefulSet:
		o.Status = appsv1.StatefulSetStatus{}
	case *appsv1.DaemonSet:
		o.Status = appsv1.DaemonSetStatus{}
	case *batchv1.Job:
		o.Status = batchv1.JobStatus{}
	case *batchv1.CronJob:
		o.Status = batchv1.CronJobStatus{}
	case *autoscalingv1.HorizontalPodAutoscaler:
		o.Status = autoscalingv1.HorizontalPodAutoscalerStatus{}
	case *autoscalingv2.HorizontalPodAutoscaler:
		o.Status = autoscalingv2.HorizontalPodAutoscalerStatus{}
	case *policyv1.PodDisruptionBudget:
		o.Status = policyv1.PodDisruptionBudgetStatus{}
	}
}

// addDefaultTolerations adds the NoExecute tolerations of node.kubernetes.io/not-ready and
// node.kubernetes.io/unreachable to a new pod that does not tolerate those taints already
// (Kubernetes' DefaultTolerationSeconds admission plugin). A toleration with an empty key
// (all keys) or an empty effect (all effects) counts as tolerating.
func (r *Registry) addDefaultTolerations(pod *corev1.Pod) {
	if !r.tolerate {
		return
	}
	notReady, unreachable := false, false
	for _, t := range pod.Spec.Tolerations {
		if t.Effect != corev1.TaintEffectNoExecute && t.Effect != "" {
			continue
		}
		if t.Key == corev1.TaintNodeNotReady || t.Key == "" {
			notReady = true
		}
		if t.Key == corev1.TaintNodeUnreachable || t.Key == "" {
			unreachable = true
		}
	}
	add := func(key string) {
		s := r.tolSeconds
		pod.Spec.Tolerations = append(pod.Spec.Tolerations, corev1.Toleration{
			Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &s,
		})
	}
	if !notReady {
		add(corev1.TaintNodeNotReady)
	}
	if !unreachable {
		add(corev1.TaintNodeUnreachable)
	}
}
