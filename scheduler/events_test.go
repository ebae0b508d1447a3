package scheduler_test

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
	"github.com/cellkit/cellkit/store"
)

// attempts is a PreFilter plugin that counts scheduling attempts per pod.
type attempts struct {
	mu sync.Mutex
	n  map[string]int
}

func (a *attempts) Name() string { return "Attempts" }
func (a *attempts) PreFilter(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, _ []*framework.NodeInfo) (*framework.PreFilterResult, *framework.Status) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n[pod.Name]++
	return nil, nil
}
func (a *attempts) PreFilterExtensions() framework.PreFilterExtensions { return nil }
func (a *attempts) get(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n[name]
}

// TestEventsMoveOnlyPodsTheyMayHelp: a pod rejected for its node selector is not retried when
// a node's allocatable grows (that helps only a pod rejected for resources, which is retried
// and bound), and is retried when the node gets the label.
func TestEventsMoveOnlyPodsTheyMayHelp(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	a := &attempts{n: map[string]int{}}
	prof := plugins.DefaultProfile()
	prof.Plugins = append([]framework.PluginConfig{{Name: "Attempts"}}, prof.Plugins...)
	h := start(t, []*corev1.Node{st.Node("n").Capacity("cpu", "1").Obj()}, scheduler.Options{Clock: clk, Profiles: []framework.Profile{prof},
		Registry: framework.Registry{"Attempts": func(any, framework.Handle) (framework.Plugin, error) { return a, nil }}})
	// ssd has the higher priority: if both were retried together it would be tried first.
	h.create(st.Pod("ssd").NodeSelector("disk", "ssd").Priority(10).Obj())
	h.create(st.Pod("big").Req("cpu", "2").Obj())
	unschedulable := func(name string) func(map[string]*corev1.Pod) bool {
		return func(m map[string]*corev1.Pod) bool {
			p := m["default/"+name]
			return p != nil && len(p.Status.Conditions) > 0 && p.Status.Conditions[0].Reason == "Unschedulable"
		}
	}
	h.until("ssd unschedulable", unschedulable("ssd"))
	h.until("big unschedulable", unschedulable("big"))
	nodes := store.For[*corev1.Node](h.s, nodesGR)
	nodeStatus := store.For[*corev1.Node](h.s, schema.GroupResource{Resource: "nodes/status"})
	update := func(nodes store.Typed[*corev1.Node], change func(n *corev1.Node)) {
		t.Helper()
		if _, err := nodes.GuaranteedUpdate(context.Background(), "", "n", func(n *corev1.Node) (*corev1.Node, error) {
			change(n)
			return n, nil
		}, store.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// A heartbeat-like status change and more cpu: only big may now fit.
	update(nodeStatus, func(n *corev1.Node) {
		n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: "Ready", Status: "True"})
		n.Status.Allocatable[corev1.ResourceCPU] = resource.MustParse("4")
	})
	h.untilDriving(clk, "big bound", func(m map[string]*corev1.Pod) bool { p := m["default/big"]; return p != nil && p.Spec.NodeName == "n" })
	if got := a.get("ssd"); got != 1 {
		t.Errorf("ssd attempted %d times after an allocatable change, want 1 (the event cannot help it)", got)
	}
	update(nodes, func(n *corev1.Node) { n.Labels["disk"] = "ssd" })
	h.untilDriving(clk, "ssd bound", func(m map[string]*corev1.Pod) bool { p := m["default/ssd"]; return p != nil && p.Spec.NodeName == "n" })
	if got := a.get("ssd"); got != 2 {
		t.Errorf("ssd attempted %d times, want 2", got)
	}
}
