package plugins_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

const (
	unres  = "UnschedulableAndUnresolvable: "
	unschd = "Unschedulable: "
)

func TestNodeName(t *testing.T) {
	e := newEnv(t, only(plugins.NameNodeName), []*corev1.Node{st.Node("a").Obj(), st.Node("b").Obj()}, nil)
	want := map[string]string{"a": "", "b": unres + plugins.ReasonNodeName}
	if d := cmp.Diff(want, e.filter(st.Pod("p").Node("a").Obj())); d != "" {
		t.Error(d)
	}
	if d := cmp.Diff(map[string]string{"a": "", "b": ""}, e.filter(st.Pod("p").Obj())); d != "" {
		t.Error(d)
	}
}

func TestNodeUnschedulable(t *testing.T) {
	e := newEnv(t, only(plugins.NameNodeUnschedulable), []*corev1.Node{st.Node("a").Unschedulable().Obj(), st.Node("b").Obj()}, nil)
	tests := []struct {
		name string
		pod  *corev1.Pod
		want map[string]string
	}{
		{"cordoned node rejected", st.Pod("p").Obj(), map[string]string{"a": unres + plugins.ReasonUnschedulable, "b": ""}},
		{"toleration of the unschedulable taint", st.Pod("p").Toleration(corev1.TaintNodeUnschedulable, corev1.TolerationOpExists, "", corev1.TaintEffectNoSchedule).Obj(), map[string]string{"a": "", "b": ""}},
		{"toleration of everything", st.Pod("p").Toleration("", corev1.TolerationOpExists, "", "").Obj(), map[string]string{"a": "", "b": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, e.filter(tc.pod)); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestNodePorts(t *testing.T) {
	nodes := []*corev1.Node{st.Node("a").Obj()}
	tests := []struct {
		name     string
		existing *corev1.Pod
		pod      *corev1.Pod
		fits     bool
	}{
		{"same port and protocol", st.Pod("e").Node("a").HostPort(80, "", "").Obj(), st.Pod("p").HostPort(80, corev1.ProtocolTCP, "").Obj(), false},
		{"different protocol", st.Pod("e").Node("a").HostPort(80, "", "").Obj(), st.Pod("p").HostPort(80, corev1.ProtocolUDP, "").Obj(), true},
		{"different port", st.Pod("e").Node("a").HostPort(80, "", "").Obj(), st.Pod("p").HostPort(81, "", "").Obj(), true},
		{"different specific IPs", st.Pod("e").Node("a").HostPort(80, "", "10.0.0.1").Obj(), st.Pod("p").HostPort(80, "", "10.0.0.2").Obj(), true},
		{"wildcard against specific", st.Pod("e").Node("a").HostPort(80, "", "10.0.0.1").Obj(), st.Pod("p").HostPort(80, "", "").Obj(), false},
		{"specific against wildcard", st.Pod("e").Node("a").HostPort(80, "", "0.0.0.0").Obj(), st.Pod("p").HostPort(80, "", "10.0.0.2").Obj(), false},
		{"no host ports", st.Pod("e").Node("a").HostPort(80, "", "").Obj(), st.Pod("p").Obj(), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, only(plugins.NameNodePorts), nodes, []*corev1.Pod{tc.existing})
			want := ""
			if !tc.fits {
				want = unschd + plugins.ReasonNodePorts
			}
			if got := e.filter(tc.pod)["a"]; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestTaintToleration(t *testing.T) {
	nodes := []*corev1.Node{
		st.Node("clean").Obj(),
		st.Node("nosched").Taint("dedicated", "gpu", corev1.TaintEffectNoSchedule).Obj(),
		st.Node("noexec").Taint("bad", "", corev1.TaintEffectNoExecute).Obj(),
		st.Node("prefer").Taint("soft", "x", corev1.TaintEffectPreferNoSchedule).Taint("soft2", "y", corev1.TaintEffectPreferNoSchedule).Obj(),
	}
	e := newEnv(t, only(plugins.NameTaintToleration), nodes, nil)
	tests := []struct {
		name string
		pod  *corev1.Pod
		want map[string]string
	}{
		{"no tolerations", st.Pod("p").Obj(), map[string]string{"clean": "", "prefer": "",
			"nosched": unres + "node(s) had untolerated taint {dedicated: gpu}", "noexec": unres + "node(s) had untolerated taint {bad: }"}},
		{"equal toleration", st.Pod("p").Toleration("dedicated", corev1.TolerationOpEqual, "gpu", corev1.TaintEffectNoSchedule).Obj(), map[string]string{"clean": "", "prefer": "", "nosched": "",
			"noexec": unres + "node(s) had untolerated taint {bad: }"}},
		{"wrong value", st.Pod("p").Toleration("dedicated", "", "cpu", "").Obj(), map[string]string{"clean": "", "prefer": "",
			"nosched": unres + "node(s) had untolerated taint {dedicated: gpu}", "noexec": unres + "node(s) had untolerated taint {bad: }"}},
		{"wrong effect", st.Pod("p").Toleration("bad", corev1.TolerationOpExists, "", corev1.TaintEffectNoSchedule).Obj(), map[string]string{"clean": "", "prefer": "",
			"nosched": unres + "node(s) had untolerated taint {dedicated: gpu}", "noexec": unres + "node(s) had untolerated taint {bad: }"}},
		{"exists with empty key tolerates all", st.Pod("p").Toleration("", corev1.TolerationOpExists, "", "").Obj(), map[string]string{"clean": "", "prefer": "", "nosched": "", "noexec": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, e.filter(tc.pod)); d != "" {
				t.Error(d)
			}
		})
	}
	t.Run("score", func(t *testing.T) {
		got := e.scores(st.Pod("p").Obj())
		want := map[string]int64{"clean": 100, "nosched": 100, "noexec": 100, "prefer": 0}
		if d := cmp.Diff(want, got); d != "" {
			t.Error(d)
		}
		got = e.scores(st.Pod("p").Toleration("soft", corev1.TolerationOpExists, "", corev1.TaintEffectPreferNoSchedule).Obj())
		want = map[string]int64{"clean": 100, "nosched": 100, "noexec": 100, "prefer": 0} // 1 of 1 untolerated: still the max
		if d := cmp.Diff(want, got); d != "" {
			t.Error(d)
		}
		// A NoSchedule toleration does not count against PreferNoSchedule.
		e2 := newEnv(t, only(plugins.NameTaintToleration), []*corev1.Node{nodes[0], nodes[3], st.Node("one").Taint("soft", "x", corev1.TaintEffectPreferNoSchedule).Obj()}, nil)
		got = e2.scores(st.Pod("p").Toleration("soft2", corev1.TolerationOpExists, "", corev1.TaintEffectNoSchedule).Obj())
		want = map[string]int64{"clean": 100, "prefer": 0, "one": 50}
		if d := cmp.Diff(want, got); d != "" {
			t.Error(d)
		}
	})
}

func TestNodeAffinity(t *testing.T) {
	nodes := []*corev1.Node{
		st.Node("a").Label("zone", "z1").Label("gen", "3").Obj(),
		st.Node("b").Label("zone", "z2").Label("gen", "5").Obj(),
		st.Node("c").Obj(),
	}
	e := newEnv(t, only(plugins.NameNodeAffinity), nodes, nil)
	no := unres + plugins.ReasonNodeAffinity
	tests := []struct {
		name string
		pod  *corev1.Pod
		want map[string]string
	}{
		{"nodeSelector", st.Pod("p").NodeSelector("zone", "z1").Obj(), map[string]string{"a": "", "b": no, "c": no}},
		{"In", st.Pod("p").RequiredNodeAffinity("zone", corev1.NodeSelectorOpIn, "z1", "z2").Obj(), map[string]string{"a": "", "b": "", "c": no}},
		{"NotIn matches missing label", st.Pod("p").RequiredNodeAffinity("zone", corev1.NodeSelectorOpNotIn, "z1").Obj(), map[string]string{"a": no, "b": "", "c": ""}},
		{"Exists", st.Pod("p").RequiredNodeAffinity("zone", corev1.NodeSelectorOpExists).Obj(), map[string]string{"a": "", "b": "", "c": no}},
		{"DoesNotExist", st.Pod("p").RequiredNodeAffinity("zone", corev1.NodeSelectorOpDoesNotExist).Obj(), map[string]string{"a": no, "b": no, "c": ""}},
		{"Gt", st.Pod("p").RequiredNodeAffinity("gen", corev1.NodeSelectorOpGt, "4").Obj(), map[string]string{"a": no, "b": "", "c": no}},
		{"Lt with non-integer value matches nothing", st.Pod("p").RequiredNodeAffinity("gen", corev1.NodeSelectorOpLt, "x").Obj(), map[string]string{"a": no, "b": no, "c": no}},
		{"terms are ORed", st.Pod("p").RequiredNodeAffinity("zone", corev1.NodeSelectorOpIn, "z1").RequiredNodeAffinity("zone", corev1.NodeSelectorOpDoesNotExist).Obj(), map[string]string{"a": "", "b": no, "c": ""}},
		{"selector and affinity both apply", st.Pod("p").NodeSelector("zone", "z2").RequiredNodeAffinity("zone", corev1.NodeSelectorOpIn, "z1").Obj(), map[string]string{"a": no, "b": no, "c": no}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, e.filter(tc.pod)); d != "" {
				t.Error(d)
			}
		})
	}
	t.Run("empty term matches nothing", func(t *testing.T) {
		p := st.Pod("p").Obj()
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{}}}}}
		if d := cmp.Diff(map[string]string{"a": no, "b": no, "c": no}, e.filter(p)); d != "" {
			t.Error(d)
		}
	})
	t.Run("matchFields metadata.name", func(t *testing.T) {
		p := st.Pod("p").Obj()
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{
			MatchFields: []corev1.NodeSelectorRequirement{{Key: "metadata.name", Operator: corev1.NodeSelectorOpIn, Values: []string{"c"}}}}}}}}
		if d := cmp.Diff(map[string]string{"a": no, "b": no, "c": ""}, e.filter(p)); d != "" {
			t.Error(d)
		}
	})
	t.Run("preferred terms score", func(t *testing.T) {
		p := st.Pod("p").PreferredNodeAffinity(80, "zone", corev1.NodeSelectorOpIn, "z1").PreferredNodeAffinity(20, "gen", corev1.NodeSelectorOpExists).Obj()
		if d := cmp.Diff(map[string]int64{"a": 100, "b": 20, "c": 0}, e.scores(p)); d != "" {
			t.Error(d)
		}
	})
}

func TestSchedulingGatesAndPrioritySort(t *testing.T) {
	g := plugins.SchedulingGates{}
	if s := g.PreEnqueue(context.Background(), st.Pod("p").Obj()); !s.IsSuccess() {
		t.Errorf("ungated: %v", s)
	}
	s := g.PreEnqueue(context.Background(), st.Pod("p").Gate("a").Gate("b").Obj())
	if s.Code() != framework.UnschedulableAndUnresolvable || s.Message() != "waiting for scheduling gates: [a b]" {
		t.Errorf("gated: %v", s)
	}
	now := time.Unix(0, 0)
	q := func(prio int32, at int) *framework.QueuedPodInfo {
		return &framework.QueuedPodInfo{PodInfo: framework.MustPodInfo(st.Pod("p").Priority(prio).Obj()), Timestamp: now.Add(time.Duration(at) * time.Second)}
	}
	ps := plugins.PrioritySort{}
	tests := []struct {
		name string
		a, b *framework.QueuedPodInfo
		want bool
	}{
		{"higher priority first", q(10, 5), q(1, 0), true},
		{"lower priority later", q(1, 0), q(10, 5), false},
		{"equal priority older first", q(5, 0), q(5, 1), true},
		{"equal priority newer later", q(5, 1), q(5, 0), false},
	}
	for _, tc := range tests {
		if got := ps.Less(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: got %v", tc.name, got)
		}
	}
}
