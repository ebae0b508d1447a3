package garbagecollector_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller/garbagecollector"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// A ReplicaSet owns three Pods; deleting it (in the background, the default) lets the
// collector delete the Pods.
func ExampleNew() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	scheme, _ := apis.NewScheme()
	resources, _ := builtin.Resources(scheme)
	backend, _ := memory.New(memory.Options{Resources: resources})
	reg, _ := registry.New(backend, registry.Options{Scheme: scheme})
	factory, _ := informer.NewFactory(informer.StoreSources(reg), informer.FactoryOptions{})

	gc, err := garbagecollector.New(factory, reg, garbagecollector.Options{Scheme: scheme})
	if err != nil {
		fmt.Println(err)
		return
	}
	factory.Start(ctx)
	done := make(chan error, 1)
	go func() { done <- gc.Run(ctx) }()

	rsGR := schema.GroupResource{Group: "apps", Resource: "replicasets"}
	podsGR := schema.GroupResource{Resource: "pods"}
	spec := corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx"}}}
	labels := map[string]string{"app": "web"}
	rs, _ := reg.Create(ctx, rsGR, &appsv1.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: appsv1.ReplicaSetSpec{Selector: &meta.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: labels}, Spec: spec}},
	})
	owner := meta.NewControllerRef(rs.GetObjectMeta(), appsv1.SchemeGroupVersion().WithKind("ReplicaSet"))
	for _, name := range []string{"web-a", "web-b", "web-c"} {
		_, _ = reg.Create(ctx, podsGR, &corev1.Pod{
			ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, Labels: labels,
				OwnerReferences: []meta.OwnerReference{*owner}},
			Spec: spec,
		})
	}

	deleted, _ := reg.Delete(ctx, rsGR, "default", "web", store.DeleteOptions{})
	rev := deleted.GetObjectMeta().ResourceVersion
	w, _ := reg.Watch(ctx, podsGR, "default", store.WatchOptions{Revision: mustParse(rev)})
	var gone []string
	for ev := range w.ResultChan() {
		if ev.Type == watch.Deleted {
			gone = append(gone, ev.Object.(runtime.MetaObject).GetObjectMeta().Name)
		}
		if len(gone) == 3 {
			break
		}
	}
	w.Stop()
	slices.Sort(gone)
	fmt.Println("collected:", gone)

	cancel()
	<-done
	factory.Wait()
	// Output:
	// collected: [web-a web-b web-c]
}

func mustParse(rv string) int64 {
	n, _ := strconv.ParseInt(rv, 10, 64)
	return n
}
