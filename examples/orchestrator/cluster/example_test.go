package cluster_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/examples/orchestrator/cluster"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

// A whole orchestrator in one process: create a Deployment and wait until its pods run.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	scheme, _ := apis.NewScheme()
	resources, _ := builtin.Resources(scheme)
	backend, _ := memory.New(memory.Options{Resources: resources})
	c, err := cluster.New(cluster.Options{Backend: backend, Scheme: scheme, Nodes: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.Start(ctx); err != nil {
		fmt.Println(err)
		return
	}
	defer c.Stop()

	three := int32(3)
	lbl := map[string]string{"app": "hello"}
	_, err = store.For[*appsv1.Deployment](c.Store(), cluster.DeploymentsResource).Create(ctx, &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "hello"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &three, Selector: &meta.LabelSelector{MatchLabels: lbl},
			Template: corev1.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: lbl},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "hello", Image: "hello:1"}}}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = c.Eventually(ctx, time.Minute, "pods running", func(ctx context.Context) (bool, string, error) {
		snap, err := c.Snapshot(ctx, "default")
		if err != nil {
			return false, "", err
		}
		running := 0
		for _, p := range snap.Pods {
			if p.Status.Phase == corev1.PodRunning && p.Spec.NodeName != "" {
				running++
			}
		}
		return running == 3, fmt.Sprintf("%d running", running), nil
	})
	fmt.Println(err)
	fmt.Println(c.Nodes())
	// Output:
	// <nil>
	// [node-1 node-2]
}
