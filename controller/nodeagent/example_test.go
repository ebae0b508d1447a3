package nodeagent_test

import (
	"context"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// An agent on a hollow runtime runs a pod bound to its node and reports it Running.
func ExampleAgent() {
	scheme, _ := apis.NewScheme()
	resources, _ := builtin.Resources(scheme)
	backend, _ := memory.New(memory.Options{Resources: resources})
	reg, _ := registry.New(backend, registry.Options{Scheme: scheme})
	rt, _ := hollow.New(hollow.Options{})
	agent, err := nodeagent.New(reg, nodeagent.Options{NodeName: "node-1", Runtime: rt})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- agent.Run(ctx) }()

	pods := store.For[*corev1.Pod](reg, nodeagent.PodsResource)
	w, _ := pods.Watch(ctx, "default", store.WatchOptions{})
	_, _ = pods.Create(ctx, &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{
			{Name: "nginx", Image: "nginx:1.27"},
		}},
	})
	for ev := range w.ResultChan() {
		p := ev.Object
		if p.Status.Phase == corev1.PodRunning {
			cs := p.Status.ContainerStatuses[0]
			fmt.Printf("%s on %s: %s, ready=%v, restarts=%d, started=%v\n",
				p.Name, p.Spec.NodeName, p.Status.Phase, cs.Ready, cs.RestartCount, *cs.Started)
			break
		}
	}
	w.Stop()
	cancel()
	fmt.Println("Run:", <-done)
	// Output:
	// web on node-1: Running, ready=true, restarts=0, started=true
	// Run: <nil>
}
