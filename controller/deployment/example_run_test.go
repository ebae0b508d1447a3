package deployment_test

import (
	"context"
	"fmt"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller/deployment"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// The controller on the embedded store: a new Deployment gets its first ReplicaSet, named
// after the template's hash, at full size and revision 1. (A ReplicaSet controller and node
// agents would then make the pods.)
func ExampleNew() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	scheme, _ := apis.NewScheme()
	resources, _ := builtin.Resources(scheme)
	backend, _ := memory.New(memory.Options{Resources: resources})
	reg, _ := registry.New(backend, registry.Options{Scheme: scheme})
	factory, _ := informer.NewFactory(informer.StoreSources(reg), informer.FactoryOptions{})
	c, err := deployment.New(factory, reg, deployment.Options{Scheme: scheme})
	if err != nil {
		fmt.Println(err)
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer factory.Wait()
	defer cancel()
	factory.Start(ctx)
	wg.Add(1)
	go func() { defer wg.Done(); _ = c.Run(ctx) }()

	rss := store.For[*appsv1.ReplicaSet](reg, schema.GroupResource{Group: "apps", Resource: "replicasets"})
	w, _ := rss.Watch(ctx, "default", store.WatchOptions{})
	defer w.Stop()
	replicas := int32(3)
	labels := map[string]string{"app": "web"}
	_, err = store.For[*appsv1.Deployment](reg, schema.GroupResource{Group: "apps", Resource: "deployments"}).Create(ctx, &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &meta.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1"}}},
			},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for ev := range w.ResultChan() {
		if ev.Type == watch.Added {
			rs := ev.Object
			fmt.Println(rs.Name, *rs.Spec.Replicas, rs.Annotations[deployment.RevisionAnnotation], rs.Spec.Selector.MatchLabels)
			break
		}
	}
	// Output: web-hbl5whk 3 1 map[app:web pod-template-hash:hbl5whk]
}
