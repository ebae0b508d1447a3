package plugins_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

// preempt runs a full cycle with the default profile and, on a FitError, PostFilter.
func preempt(t *testing.T, nodes []*corev1.Node, pods []*corev1.Pod, pdbs []*policyv1.PodDisruptionBudget, pod *corev1.Pod) (*framework.PostFilterResult, *framework.Status) {
	t.Helper()
	f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: nopBinder()}), plugins.DefaultProfile(), framework.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap := framework.NewSnapshot()
	for _, n := range nodes {
		snap.AddNode(n)
	}
	for _, p := range pods {
		if err := snap.AddPod(framework.MustPodInfo(p)); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range pdbs {
		snap.SetPDB(b)
	}
	state := framework.NewCycleState()
	_, err = f.SchedulePod(context.Background(), state, pod, snap)
	fe, ok := err.(*framework.FitError)
	if !ok {
		t.Fatalf("SchedulePod: %v, want a FitError", err)
	}
	return f.RunPostFilterPlugins(context.Background(), state, pod, fe.Diagnosis.NodeToStatus)
}

func victimNames(r *framework.PostFilterResult) []string {
	var out []string
	for _, v := range r.Victims {
		out = append(out, v.Name)
	}
	sort.Strings(out)
	return out
}

func started(p *corev1.Pod, sec int64) *corev1.Pod {
	ts := meta.NewTime(time.Unix(sec, 0))
	p.Status.StartTime = &ts
	return p
}

func TestDefaultPreemption(t *testing.T) {
	cpu2 := func(name string) *corev1.Node { return st.Node(name).Capacity("cpu", "2").Obj() }
	pdb := &policyv1.PodDisruptionBudget{ObjectMeta: meta.ObjectMeta{Name: "b", Namespace: "default"},
		Spec:   policyv1.PodDisruptionBudgetSpec{Selector: &meta.LabelSelector{MatchLabels: map[string]string{"protected": "yes"}}},
		Status: policyv1.PodDisruptionBudgetStatus{DisruptionsAllowed: 0}}
	never := corev1.PreemptNever
	tests := []struct {
		name        string
		nodes       []*corev1.Node
		pods        []*corev1.Pod
		pdbs        []*policyv1.PodDisruptionBudget
		pod         *corev1.Pod
		wantNode    string
		wantVictims []string
		wantMsg     string
	}{
		{
			name:  "reprieves the more important pod, evicts the least",
			nodes: []*corev1.Node{cpu2("n")},
			pods:  []*corev1.Pod{st.Pod("low").Node("n").Req("cpu", "1").Priority(1).Obj(), st.Pod("mid").Node("n").Req("cpu", "1").Priority(5).Obj()},
			pod:   st.Pod("p").Req("cpu", "1").Priority(10).Obj(), wantNode: "n", wantVictims: []string{"low"},
		},
		{
			name:  "evicts several when needed",
			nodes: []*corev1.Node{cpu2("n")},
			pods:  []*corev1.Pod{st.Pod("low").Node("n").Req("cpu", "1").Priority(1).Obj(), st.Pod("mid").Node("n").Req("cpu", "1").Priority(5).Obj()},
			pod:   st.Pod("p").Req("cpu", "2").Priority(10).Obj(), wantNode: "n", wantVictims: []string{"low", "mid"},
		},
		{
			name:  "picks the node whose most important victim has the lowest priority",
			nodes: []*corev1.Node{cpu2("a"), cpu2("b")},
			pods: []*corev1.Pod{st.Pod("a1").Node("a").Req("cpu", "2").Priority(5).Obj(),
				st.Pod("b1").Node("b").Req("cpu", "1").Priority(3).Obj(), st.Pod("b2").Node("b").Req("cpu", "1").Priority(3).Obj()},
			pod: st.Pod("p").Req("cpu", "2").Priority(10).Obj(), wantNode: "b", wantVictims: []string{"b1", "b2"},
		},
		{
			name:  "equal top priority: fewer victims by lower priority sum",
			nodes: []*corev1.Node{cpu2("a"), cpu2("b")},
			pods: []*corev1.Pod{st.Pod("a1").Node("a").Req("cpu", "2").Priority(3).Obj(),
				st.Pod("b1").Node("b").Req("cpu", "1").Priority(3).Obj(), st.Pod("b2").Node("b").Req("cpu", "1").Priority(3).Obj()},
			pod: st.Pod("p").Req("cpu", "2").Priority(10).Obj(), wantNode: "a", wantVictims: []string{"a1"},
		},
		{
			name:  "avoids violating a PodDisruptionBudget",
			nodes: []*corev1.Node{cpu2("a"), cpu2("b")},
			pods: []*corev1.Pod{st.Pod("a1").Label("protected", "yes").Node("a").Req("cpu", "2").Priority(1).Obj(),
				st.Pod("b1").Node("b").Req("cpu", "2").Priority(3).Obj()},
			pdbs: []*policyv1.PodDisruptionBudget{pdb},
			pod:  st.Pod("p").Req("cpu", "2").Priority(10).Obj(), wantNode: "b", wantVictims: []string{"b1"},
		},
		{
			name:  "violates a budget when nothing else helps",
			nodes: []*corev1.Node{cpu2("a")},
			pods:  []*corev1.Pod{st.Pod("a1").Label("protected", "yes").Node("a").Req("cpu", "2").Priority(1).Obj()},
			pdbs:  []*policyv1.PodDisruptionBudget{pdb},
			pod:   st.Pod("p").Req("cpu", "2").Priority(10).Obj(), wantNode: "a", wantVictims: []string{"a1"},
		},
		{
			name:  "latest start among the most important victims wins the tie",
			nodes: []*corev1.Node{cpu2("a"), cpu2("b")},
			pods: []*corev1.Pod{started(st.Pod("a1").Node("a").Req("cpu", "2").Priority(3).Obj(), 100),
				started(st.Pod("b1").Node("b").Req("cpu", "2").Priority(3).Obj(), 200)},
			pod: st.Pod("p").Req("cpu", "2").Priority(10).Obj(), wantNode: "b", wantVictims: []string{"b1"},
		},
		{
			name:    "only higher-priority pods: no victims",
			nodes:   []*corev1.Node{cpu2("a")},
			pods:    []*corev1.Pod{st.Pod("a1").Node("a").Req("cpu", "2").Priority(20).Obj()},
			pod:     st.Pod("p").Req("cpu", "2").Priority(10).Obj(),
			wantMsg: "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
		},
		{
			name:    "unresolvable nodes are not helped",
			nodes:   []*corev1.Node{st.Node("a").Capacity("cpu", "2").Taint("k", "v", corev1.TaintEffectNoSchedule).Obj(), cpu2("b")},
			pods:    []*corev1.Pod{st.Pod("a1").Node("a").Req("cpu", "2").Priority(1).Obj(), st.Pod("b1").Node("b").Req("cpu", "2").Priority(20).Obj()},
			pod:     st.Pod("p").Req("cpu", "2").Priority(10).Obj(),
			wantMsg: "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
		},
		{
			name:  "evicting everything still does not fit: the filter's reason",
			nodes: []*corev1.Node{cpu2("a")},
			pods:  []*corev1.Pod{st.Pod("a1").Node("a").Req("cpu", "1").Priority(1).Obj()},
			pod:   st.Pod("p").Req("cpu", "3").Priority(10).Obj(), wantMsg: "preemption: 0/1 nodes are available: 1 Insufficient cpu.",
		},
		{
			name:  "preemptionPolicy Never",
			nodes: []*corev1.Node{cpu2("a")},
			pods:  []*corev1.Pod{st.Pod("a1").Node("a").Req("cpu", "2").Priority(1).Obj()},
			pod: func() *corev1.Pod {
				p := st.Pod("p").Req("cpu", "2").Priority(10).Obj()
				p.Spec.PreemptionPolicy = &never
				return p
			}(),
			wantMsg: plugins.ReasonPreemptNever,
		},
		{
			name:  "removing a victim lifts the incoming pod's anti-affinity (PreFilter extensions)",
			nodes: []*corev1.Node{st.Node("a").Capacity("cpu", "4").Obj(), st.Node("b").Capacity("cpu", "4").Obj()},
			pods:  []*corev1.Pod{st.Pod("wa").Label("app", "web").Node("a").Priority(5).Obj(), st.Pod("wb").Label("app", "web").Node("b").Priority(1).Obj()},
			pod:   st.Pod("p").Label("app", "web").PodAntiAffinity(st.Term(corev1.LabelHostname, "app", "web")).Priority(10).Obj(), wantNode: "b", wantVictims: []string{"wb"},
		},
		{
			name:  "removing a victim lifts its own anti-affinity against the incoming pod",
			nodes: []*corev1.Node{st.Node("a").Capacity("cpu", "4").Obj()},
			pods:  []*corev1.Pod{st.Pod("loner").PodAntiAffinity(st.Term(corev1.LabelHostname, "app", "web")).Node("a").Priority(1).Obj(), st.Pod("other").Node("a").Priority(1).Obj()},
			pod:   st.Pod("p").Label("app", "web").Priority(10).Obj(), wantNode: "a", wantVictims: []string{"loner"},
		},
		{
			name:  "topology spread counts drop with victims and rise with reprieves",
			nodes: []*corev1.Node{st.Node("a").Label(zone, "a").Capacity("cpu", "4").Obj(), st.Node("b").Label(zone, "b").Capacity("cpu", "4").Obj()},
			pods: []*corev1.Pod{web("w1", "a"), web("w2", "a"), web("w3", "a"),
				st.Pod("big").Label("app", "web").Node("b").Req("cpu", "4").Priority(100).Obj()},
			pod:      st.Pod("p").Label("app", "web").Req("cpu", "1").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Priority(10).Obj(),
			wantNode: "a", wantVictims: []string{"w2", "w3"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, s := preempt(t, tc.nodes, tc.pods, tc.pdbs, tc.pod)
			if tc.wantMsg != "" {
				if s.IsSuccess() || s.Message() != tc.wantMsg {
					t.Fatalf("status %v, result %+v; want message %q", s, res, tc.wantMsg)
				}
				return
			}
			if !s.IsSuccess() {
				t.Fatalf("status %v", s)
			}
			if res.NominatedNodeName != tc.wantNode {
				t.Errorf("nominated %q, want %q", res.NominatedNodeName, tc.wantNode)
			}
			if d := cmp.Diff(tc.wantVictims, victimNames(res)); d != "" {
				t.Errorf("victims (-want +got):\n%s", d)
			}
			for _, v := range res.Victims {
				if framework.PodPriority(v) >= framework.PodPriority(tc.pod) {
					t.Errorf("victim %s has priority %d >= %d", v.Name, framework.PodPriority(v), framework.PodPriority(tc.pod))
				}
			}
		})
	}
}

func TestDefaultBinder(t *testing.T) {
	var got []string
	b := plugins.BinderFunc(func(_ context.Context, p *corev1.Pod, node string) error {
		got = append(got, p.Name+"->"+node)
		return nil
	})
	f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: b}), plugins.DefaultProfile(), framework.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s := f.RunBindPlugins(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), "n1"); !s.IsSuccess() {
		t.Fatal(s)
	}
	if strings.Join(got, ",") != "p->n1" {
		t.Errorf("bound %v", got)
	}
	if _, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{}), plugins.DefaultProfile(), framework.Options{}); err == nil {
		t.Error("default profile without a Binder must fail to build")
	}
}
