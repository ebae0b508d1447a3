package nodelifecycle_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller/nodelifecycle"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// Example runs the controller over an in-memory store on a fake clock: node n1 stops renewing
// its Lease, becomes Unknown after the grace period, is tainted unreachable, and its pod,
// which tolerates nothing, is evicted.
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	scheme, _ := apis.NewScheme()
	resources, _ := builtin.Resources(scheme)
	backend, _ := memory.New(memory.Options{Resources: resources, Clock: clk, MaxHistoryAge: -1})
	noDefaults := int64(-1) // no default tolerations: the pod tolerates nothing
	s, _ := registry.New(backend, registry.Options{Scheme: scheme, Clock: clk, DefaultTolerationSeconds: &noDefaults})

	nodes := store.For[*corev1.Node](s, schema.GroupResource{Resource: "nodes"})
	pods := store.For[*corev1.Pod](s, schema.GroupResource{Resource: "pods"})
	leases := store.For[*coordinationv1.Lease](s, schema.GroupResource{Group: coordinationv1.GroupName, Resource: "leases"})
	renew := func(name string) {
		now := meta.NewMicroTime(clk.Now())
		_, err := leases.GuaranteedUpdate(ctx, corev1.NamespaceNodeLease, name, func(l *coordinationv1.Lease) (*coordinationv1.Lease, error) {
			l.Spec.RenewTime = &now
			return l, nil
		}, store.UpdateOptions{})
		if err != nil {
			_, _ = leases.Create(ctx, &coordinationv1.Lease{
				ObjectMeta: meta.ObjectMeta{Namespace: corev1.NamespaceNodeLease, Name: name},
				Spec:       coordinationv1.LeaseSpec{RenewTime: &now},
			})
		}
	}
	for _, name := range []string{"n1", "n2"} {
		now := meta.NewTime(clk.Now())
		_, _ = nodes.Create(ctx, &corev1.Node{
			ObjectMeta: meta.ObjectMeta{Name: name},
			Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{
				{Type: corev1.NodeReady, Status: corev1.ConditionTrue, LastHeartbeatTime: now, LastTransitionTime: now},
			}},
		})
		renew(name)
	}
	_, _ = pods.Create(ctx, &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"},
		Spec:       corev1.PodSpec{NodeName: "n1", Containers: []corev1.Container{{Name: "web", Image: "nginx"}}},
	})

	factory, _ := informer.NewFactory(informer.StoreSources(s), informer.FactoryOptions{Clock: clk})
	c, err := nodelifecycle.New(factory, s, nodelifecycle.Options{Clock: clk})
	if err != nil {
		fmt.Println(err)
		return
	}
	factory.Start(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()

	// n2 keeps renewing its Lease; n1 is silent. Time moves whenever the system is idle.
	w, _ := pods.Watch(ctx, "default", store.WatchOptions{})
	for evicted := false; !evicted; {
		select {
		case ev := <-w.ResultChan():
			evicted = ev.Object.DeletionTimestamp != nil
		case <-time.After(10 * time.Millisecond):
			clk.Step(5 * time.Second)
			renew("n2")
		}
	}
	w.Stop()

	web, _ := pods.Get(ctx, "default", "web", store.GetOptions{})
	for _, c := range web.Status.Conditions {
		if c.Type == corev1.DisruptionTarget {
			fmt.Printf("pod web is being deleted: %s=%s (%s)\n", c.Type, c.Status, c.Reason)
		}
	}
	n1, _ := nodes.Get(ctx, "", "n1", store.GetOptions{})
	for _, c := range n1.Status.Conditions {
		if c.Type == corev1.NodeReady {
			fmt.Printf("node n1: Ready=%s (%s)\n", c.Status, c.Reason)
		}
	}
	for _, t := range n1.Spec.Taints {
		if t.Effect == corev1.TaintEffectNoExecute {
			fmt.Printf("node n1: taint %s:%s\n", t.Key, t.Effect)
		}
	}

	cancel()
	fmt.Println("run:", <-done)
	factory.Wait()
	// Output:
	// pod web is being deleted: DisruptionTarget=True (DeletionByTaintManager)
	// node n1: Ready=Unknown (NodeStatusUnknown)
	// node n1: taint node.kubernetes.io/unreachable:NoExecute
	// run: <nil>
}
