package plugins_test

import (
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

func TestEventHints(t *testing.T) {
	f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: nopBinder()}), plugins.DefaultProfile(), framework.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ssdPod := st.Pod("p").NodeSelector("disk", "ssd").Req("cpu", "2").Obj()
	bigPod := st.Pod("big").Req("cpu", "8").Obj()
	plain := st.Node("n").Capacity("cpu", "4").Obj()
	ssd := st.Node("n").Label("disk", "ssd").Capacity("cpu", "4").Obj()
	bigNode := st.Node("n").Capacity("cpu", "16").Obj()
	tainted := st.Node("n").Taint("k", "v", corev1.TaintEffectNoSchedule).Obj()
	node := func(a framework.ActionType) framework.ClusterEvent {
		return framework.ClusterEvent{Resource: framework.NodeEvent, Action: a}
	}
	podEv := func(a framework.ActionType) framework.ClusterEvent {
		return framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: a}
	}
	set := func(names ...string) map[string]struct{} {
		m := map[string]struct{}{}
		for _, n := range names {
			m[n] = struct{}{}
		}
		return m
	}
	tests := []struct {
		name      string
		rejectors map[string]struct{}
		pod       *corev1.Pod
		ev        framework.ClusterEvent
		old, new  any
		want      bool
	}{
		{"node affinity: node relabelled to match", set(plugins.NameNodeAffinity), ssdPod, node(framework.UpdateNodeLabel), plain, ssd, true},
		{"node affinity: relabelled, still no match", set(plugins.NameNodeAffinity), ssdPod, node(framework.UpdateNodeLabel), plain, st.Node("n").Label("x", "y").Obj(), false},
		{"node affinity: allocatable change does not help", set(plugins.NameNodeAffinity), ssdPod, node(framework.UpdateNodeAllocatable), plain, bigNode, false},
		{"node affinity: a pod deleted does not help", set(plugins.NameNodeAffinity), ssdPod, podEv(framework.Delete), st.Pod("x").Node("n").Obj(), nil, false},
		{"node affinity: new matching node", set(plugins.NameNodeAffinity), ssdPod, node(framework.Add), nil, ssd, true},
		{"fit: a pod deleted helps", set(plugins.NameNodeResourcesFit), bigPod, podEv(framework.Delete), st.Pod("x").Node("n").Obj(), nil, true},
		{"fit: new node too small even when empty", set(plugins.NameNodeResourcesFit), bigPod, node(framework.Add), nil, plain, false},
		{"fit: allocatable grown enough", set(plugins.NameNodeResourcesFit), bigPod, node(framework.UpdateNodeAllocatable), plain, bigNode, true},
		{"fit: a pod added does not help", set(plugins.NameNodeResourcesFit), bigPod, podEv(framework.Add), nil, st.Pod("x").Node("n").Obj(), false},
		{"taints: taint removed", set(plugins.NameTaintToleration), bigPod, node(framework.UpdateNodeTaint), tainted, plain, true},
		{"taints: taint still there", set(plugins.NameTaintToleration), bigPod, node(framework.UpdateNodeTaint), tainted, st.Node("n").Taint("k", "v", corev1.TaintEffectNoSchedule).Label("a", "b").Obj(), false},
		{"one of two rejectors cares", set(plugins.NameNodeAffinity, plugins.NameNodeResourcesFit), ssdPod, podEv(framework.Delete), st.Pod("x").Node("n").Obj(), nil, true},
		{"inter-pod affinity: a pod added helps", set(plugins.NameInterPodAffinity), bigPod, podEv(framework.Add), nil, st.Pod("x").Node("n").Obj(), true},
		{"topology spread: pod of another namespace", set(plugins.NamePodTopologySpread), bigPod, podEv(framework.Add), nil, st.Pod("x").Namespace("other").Node("n").Obj(), false},
		{"topology spread: pod of the namespace", set(plugins.NamePodTopologySpread), bigPod, podEv(framework.Delete), st.Pod("x").Node("n").Obj(), nil, true},
		{"node ports: deleted pod without host ports", set(plugins.NameNodePorts), bigPod, podEv(framework.Delete), st.Pod("x").Node("n").Obj(), nil, false},
		{"node ports: deleted pod with host ports", set(plugins.NameNodePorts), bigPod, podEv(framework.Delete), st.Pod("x").HostPort(80, "", "").Node("n").Obj(), nil, true},
		{"unknown plugin: every event", set("OutOfTree"), bigPod, node(framework.UpdateNodeImages), plain, plain, true},
		{"no rejector: every event", set(), bigPod, node(framework.UpdateNodeImages), plain, plain, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := f.MayHelp(tc.rejectors, tc.pod, tc.ev, tc.old, tc.new); got != tc.want {
				t.Errorf("MayHelp = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNodeUpdateActions(t *testing.T) {
	base := st.Node("n").Label("a", "b").Capacity("cpu", "4").Obj()
	hb := base.DeepCopy()
	hb.Status.Conditions = append(hb.Status.Conditions, corev1.NodeCondition{Type: "Ready", Status: "True"})
	tests := []struct {
		name string
		cur  *corev1.Node
		want framework.ActionType
	}{
		{"heartbeat only", hb, 0},
		{"labels", st.Node("n").Label("a", "c").Capacity("cpu", "4").Obj(), framework.UpdateNodeLabel},
		{"allocatable", st.Node("n").Label("a", "b").Capacity("cpu", "8").Obj(), framework.UpdateNodeAllocatable},
		{"taint and cordon", st.Node("n").Label("a", "b").Capacity("cpu", "4").Taint("k", "", corev1.TaintEffectNoSchedule).Unschedulable().Obj(), framework.UpdateNodeTaint | framework.UpdateNodeUnschedulable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := framework.NodeUpdateActions(base, tc.cur); got != tc.want {
				t.Errorf("NodeUpdateActions = %b, want %b", got, tc.want)
			}
		})
	}
}
