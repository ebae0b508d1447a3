package builtin_test

import (
	"context"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

// A node agent lists the pods bound to its node; the store reads them through its
// spec.nodeName index.
func ExampleResources() {
	ctx := context.Background()
	scheme, err := apis.NewScheme()
	if err != nil {
		panic(err)
	}
	resources, err := builtin.Resources(scheme)
	if err != nil {
		panic(err)
	}
	s, err := memory.New(memory.Options{Resources: resources})
	if err != nil {
		panic(err)
	}
	pods := store.For[*corev1.Pod](s, schema.GroupResource{Resource: "pods"})
	for i, node := range []string{"node-1", "node-2", "node-1"} {
		_, err := pods.Create(ctx, &corev1.Pod{
			ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("web-%d", i)},
			Spec:       corev1.PodSpec{NodeName: node},
		})
		if err != nil {
			panic(err)
		}
	}
	l, err := pods.List(ctx, "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.nodeName", "node-1")})
	if err != nil {
		panic(err)
	}
	for _, p := range l.Items {
		fmt.Println(p.Name, p.Spec.NodeName)
	}
	// Output:
	// web-0 node-1
	// web-2 node-1
}
