package scenario_test

import (
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/examples/orchestrator/cluster"
	"github.com/cellkit/cellkit/examples/orchestrator/scenario"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
)

// TestMonitorCatchesViolations writes states that break each invariant straight into a raw
// store (no registry, no controllers) and expects the monitor to report every one.
func TestMonitorCatchesViolations(t *testing.T) {
	ctx := context.Background()
	_, res := newScheme(t)
	s, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	pods := store.For[*corev1.Pod](s, cluster.PodsResource)
	rss := store.For[*appsv1.ReplicaSet](s, cluster.ReplicaSetsResource)
	mon, err := scenario.StartMonitor(ctx, s, "ns")
	if err != nil {
		t.Fatal(err)
	}
	ready := corev1.PodStatus{Phase: corev1.PodRunning, Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}}
	lbl := map[string]string{"app": "web"}
	var made []*corev1.Pod
	for _, name := range []string{"a", "b", "c", "d"} {
		p, err := pods.Create(ctx, &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: name, Labels: lbl},
			Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "c", Image: "i"}}}, Status: ready})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p)
	}
	four, one := int32(4), intstr.FromInt32(1)
	d := &appsv1.Deployment{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "web"}, Spec: appsv1.DeploymentSpec{
		Replicas: &four, Selector: &meta.LabelSelector{MatchLabels: lbl},
		Strategy: appsv1.DeploymentStrategy{RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &one, MaxUnavailable: &one}}}}
	waitEvents := func(n int) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for mon.Events() < n && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if mon.Events() < n {
			t.Fatalf("monitor saw %d states, want %d", mon.Events(), n)
		}
	}
	waitEvents(4)
	if err := mon.Expect(d); err != nil {
		t.Fatalf("Expect on a healthy state: %v", err)
	}
	// 1. a pod moves to another node.
	moved := made[0].DeepCopy()
	moved.Spec.NodeName = "node-2"
	if _, err := pods.Update(ctx, moved); err != nil {
		t.Fatal(err)
	}
	// 2. two pods become unavailable at once: 2 of 4 available < 4-1.
	for _, p := range made[1:3] {
		if _, err := pods.GuaranteedUpdate(ctx, "ns", p.Name, func(p *corev1.Pod) (*corev1.Pod, error) {
			p.Status.Conditions[0].Status = corev1.ConditionFalse
			return p, nil
		}, store.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// 3. the deployment's replicasets ask for 6 pods > 4+1.
	isCtl := true
	for _, name := range []string{"web-1", "web-2"} {
		three := int32(3)
		if _, err := rss.Create(ctx, &appsv1.ReplicaSet{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: name,
			OwnerReferences: []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: "u", Controller: &isCtl}}},
			Spec: appsv1.ReplicaSetSpec{Replicas: &three, Selector: &meta.LabelSelector{MatchLabels: lbl}}}); err != nil {
			t.Fatal(err)
		}
	}
	waitEvents(4 + 1 + 2 + 2)
	minAvail, maxPods := mon.Release()
	v, err := mon.Stop()
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(v, "\n")
	for _, want := range []string{"pod a (uid", "moved from node-1 to node-2", "fewer than replicas-maxUnavailable=3", "more than replicas+maxSurge=5"} {
		if !strings.Contains(all, want) {
			t.Errorf("violations lack %q:\n%s", want, all)
		}
	}
	if minAvail != 2 || maxPods != 6 {
		t.Errorf("extremes: fewest available %d, most pods %d; want 2 and 6", minAvail, maxPods)
	}
}
