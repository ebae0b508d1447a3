package replicaset_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller/replicaset"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// A ReplicaSet of three replicas on the memory store behind the registry: the controller
// creates the pods and reports them in the status.
func ExampleNew() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	scheme, err := apis.NewScheme()
	if err != nil {
		panic(err)
	}
	resources, err := builtin.Resources(scheme)
	if err != nil {
		panic(err)
	}
	backend, err := memory.New(memory.Options{Resources: resources})
	if err != nil {
		panic(err)
	}
	reg, err := registry.New(backend, registry.Options{Scheme: scheme})
	if err != nil {
		panic(err)
	}
	factory, err := informer.NewFactory(informer.StoreSources(reg), informer.FactoryOptions{})
	if err != nil {
		panic(err)
	}
	rsc, err := replicaset.New(factory, reg, replicaset.Options{})
	if err != nil {
		panic(err)
	}
	factory.Start(ctx)
	done := make(chan error, 1)
	go func() { done <- rsc.Run(ctx) }()

	rss := store.For[*appsv1.ReplicaSet](reg, schema.GroupResource{Group: "apps", Resource: "replicasets"})
	three := int32(3)
	labels := map[string]string{"app": "web"}
	created, err := rss.Create(ctx, &appsv1.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &three,
			Selector: &meta.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx"}}},
			},
		},
	})
	if err != nil {
		panic(err)
	}
	// Wait for the status to count three pods.
	w, err := rss.Watch(ctx, "default", store.WatchOptions{Revision: mustRevision(created.ResourceVersion)})
	if err != nil {
		panic(err)
	}
	timeout := time.After(10 * time.Second)
	for waiting := true; waiting; {
		select {
		case ev := <-w.ResultChan():
			if ev.Object == nil {
				panic(fmt.Sprintf("watch ended: %v", ev.Status))
			}
			waiting = ev.Object.Status.Replicas != 3
		case <-timeout:
			panic("the ReplicaSet did not converge")
		}
	}
	w.Stop()

	pods, err := store.For[*corev1.Pod](reg, schema.GroupResource{Resource: "pods"}).List(ctx, "default", store.ListOptions{})
	if err != nil {
		panic(err)
	}
	for _, p := range pods.Items {
		fmt.Println(strings.HasPrefix(p.Name, "web-"), p.OwnerReferences[0].Kind, p.OwnerReferences[0].Name)
	}
	rs, err := rss.Get(ctx, "default", "web", store.GetOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("replicas %d, observed generation %d\n", rs.Status.Replicas, rs.Status.ObservedGeneration)
	cancel()
	fmt.Println(<-done)
	factory.Wait()
	// Output:
	// true ReplicaSet web
	// true ReplicaSet web
	// true ReplicaSet web
	// replicas 3, observed generation 1
	// <nil>
}

func mustRevision(rv string) int64 {
	var n int64
	if _, err := fmt.Sscan(rv, &n); err != nil {
		panic(err)
	}
	return n
}
