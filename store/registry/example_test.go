package registry_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// The life of a pod through the registry: created Pending with the default tolerations, bound
// by the scheduler, deleted gracefully, and removed by the node agent's final delete.
func Example() {
	ctx := context.Background()
	scheme, _ := apis.NewScheme()
	resources, _ := builtin.Resources(scheme)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	backend, _ := memory.New(memory.Options{Resources: resources, Clock: clk})
	reg, err := registry.New(backend, registry.Options{Scheme: scheme, Clock: clk})
	if err != nil {
		panic(err)
	}
	pods := store.For[*corev1.Pod](reg, schema.GroupResource{Resource: "pods"})
	podStatus := store.For[*corev1.Pod](reg, schema.GroupResource{Resource: "pods/status"})

	pod, _ := pods.Create(ctx, &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
		Status:     corev1.PodStatus{Phase: corev1.PodRunning}, // reset: only the system writes status
	})
	fmt.Println("created:", pod.Status.Phase, len(pod.Spec.Tolerations), "tolerations")

	pod.Spec.NodeName = "node-1" // the scheduler binds it
	pod, _ = pods.Update(ctx, pod)
	pod.Spec.NodeName = "node-2"
	_, err = pods.Update(ctx, pod)
	fmt.Println("rebind is invalid:", apierrors.IsInvalid(err))

	pod, _ = podStatus.GuaranteedUpdate(ctx, "default", "web", func(p *corev1.Pod) (*corev1.Pod, error) {
		p.Status.Phase = corev1.PodRunning // the node agent reports
		return p, nil
	}, store.UpdateOptions{})
	fmt.Println("running, generation", pod.Generation) // binding is no spec change

	pod, _ = pods.Delete(ctx, "default", "web", store.DeleteOptions{})
	fmt.Println("deleting until", pod.DeletionTimestamp.UTC().Format(time.TimeOnly), "grace", *pod.DeletionGracePeriodSeconds)

	uid := pod.UID // the node agent stopped the containers
	_, _ = pods.Delete(ctx, "default", "web", store.DeleteOptions{GracePeriodSeconds: new(int64), Preconditions: &meta.Preconditions{UID: &uid}})
	_, err = pods.Get(ctx, "default", "web", store.GetOptions{})
	fmt.Println("gone:", apierrors.IsNotFound(err))
	// Output:
	// created: Pending 2 tolerations
	// rebind is invalid: true
	// running, generation 1
	// deleting until 00:00:30 grace 30
	// gone: true
}

// Status writes go through "<resource>/status" and change nothing else; spec writes bump the
// generation a controller reports back as observedGeneration.
func ExampleRegistry_statusSubresource() {
	ctx := context.Background()
	scheme, _ := apis.NewScheme()
	resources, _ := builtin.Resources(scheme)
	backend, _ := memory.New(memory.Options{Resources: resources})
	reg, _ := registry.New(backend, registry.Options{Scheme: scheme})
	deployments := store.For[*appsv1.Deployment](reg, schema.GroupResource{Group: "apps", Resource: "deployments"})
	status := store.For[*appsv1.Deployment](reg, schema.GroupResource{Group: "apps", Resource: "deployments/status"})

	labels := map[string]string{"app": "web"}
	d, _ := deployments.Create(ctx, &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Selector: &meta.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	})
	three := int32(3)
	d.Spec.Replicas = &three
	d, _ = deployments.Update(ctx, d)
	fmt.Println("generation", d.Generation, "observed", d.Status.ObservedGeneration)

	d.Status.ObservedGeneration = d.Generation
	d.Status.Replicas = 3
	d.Spec.Paused = true // ignored by a status write
	d, _ = status.Update(ctx, d)
	fmt.Println("generation", d.Generation, "observed", d.Status.ObservedGeneration, "replicas", d.Status.Replicas, "paused", d.Spec.Paused)
	// Output:
	// generation 2 observed 0
	// generation 2 observed 2 replicas 3 paused false
}
