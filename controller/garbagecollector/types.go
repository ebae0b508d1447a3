package garbagecollector

import (
	"fmt"
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
	"github.com/cellkit/cellkit/informer"
)

// Type lets the collector watch the objects of one Go type through the factory's shared, typed
// informers (the ones every other controller of the process uses, so tracking a resource costs
// no second cache when a controller already watches it). The built-in types are known; add a
// Type for each other type (a custom kind registered in the scheme) with TypeOf.
type Type struct {
	typ  reflect.Type
	bind func(f *informer.Factory, gr schema.GroupResource, s sink) (binding, error)
}

// TypeOf returns the Type of the objects of Go type T (a pointer such as *corev1.Pod).
func TypeOf[T runtime.MetaObject]() Type {
	return Type{typ: reflect.TypeFor[T](), bind: bindTyped[T]}
}

// sink receives the changes of every tracked informer.
type sink interface {
	observe(gr schema.GroupResource, obj runtime.MetaObject)
	removed(gr schema.GroupResource, obj runtime.MetaObject)
}

// binding is one handler registered on one shared informer.
type binding struct {
	reg    informer.Registration
	remove func() error
}

func bindTyped[T runtime.MetaObject](f *informer.Factory, gr schema.GroupResource, s sink) (binding, error) {
	inf, err := informer.Shared[T](f, gr, informer.Scope{})
	if err != nil {
		return binding{}, err
	}
	reg, err := inf.AddHandler(informer.HandlerFuncs[T]{
		AddFunc:    func(obj T, _ bool) { s.observe(gr, obj) },
		UpdateFunc: func(_, obj T) { s.observe(gr, obj) },
		DeleteFunc: func(d informer.Deleted[T]) { s.removed(gr, d.Object) },
	}, informer.HandlerOptions{})
	if err != nil {
		return binding{}, fmt.Errorf("add handler to the informer of %s: %w", gr, err)
	}
	return binding{reg: reg, remove: func() error { return inf.RemoveHandler(reg) }}, nil
}

// builtinTypes are the Types of every built-in kind of apimachinery/apis.
func builtinTypes() []Type {
	return []Type{
		TypeOf[*corev1.ConfigMap](),
		TypeOf[*corev1.Endpoints](),
		TypeOf[*corev1.Event](),
		TypeOf[*corev1.LimitRange](),
		TypeOf[*corev1.Namespace](),
		TypeOf[*corev1.Node](),
		TypeOf[*corev1.PersistentVolumeClaim](),
		TypeOf[*corev1.PersistentVolume](),
		TypeOf[*corev1.Pod](),
		TypeOf[*corev1.PodTemplate](),
		TypeOf[*corev1.ReplicationController](),
		TypeOf[*corev1.ResourceQuota](),
		TypeOf[*corev1.Secret](),
		TypeOf[*corev1.ServiceAccount](),
		TypeOf[*corev1.Service](),
		TypeOf[*appsv1.ControllerRevision](),
		TypeOf[*appsv1.DaemonSet](),
		TypeOf[*appsv1.Deployment](),
		TypeOf[*appsv1.ReplicaSet](),
		TypeOf[*appsv1.StatefulSet](),
		TypeOf[*autoscalingv1.HorizontalPodAutoscaler](),
		TypeOf[*autoscalingv2.HorizontalPodAutoscaler](),
		TypeOf[*batchv1.CronJob](),
		TypeOf[*batchv1.Job](),
		TypeOf[*coordinationv1.Lease](),
		TypeOf[*discoveryv1.EndpointSlice](),
		TypeOf[*policyv1.PodDisruptionBudget](),
		TypeOf[*rbacv1.ClusterRoleBinding](),
		TypeOf[*rbacv1.ClusterRole](),
		TypeOf[*rbacv1.RoleBinding](),
		TypeOf[*rbacv1.Role](),
		TypeOf[*schedulingv1.PriorityClass](),
	}
}
