package plugins_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

func TestInterPodAffinityFilter(t *testing.T) {
	noAff := unres + plugins.ReasonAffinityRulesNotMatch
	noAnti := unschd + plugins.ReasonAntiAffinityRulesNotMatch
	existingAnti := unschd + plugins.ReasonExistingAntiAffinityNotSatisf
	withNs := func(term corev1.PodAffinityTerm, ns ...string) corev1.PodAffinityTerm {
		term.Namespaces = ns
		return term
	}
	withNsSel := func(term corev1.PodAffinityTerm, k, v string) corev1.PodAffinityTerm {
		term.NamespaceSelector = &meta.LabelSelector{MatchLabels: map[string]string{k: v}}
		return term
	}
	tests := []struct {
		name  string
		nodes []*corev1.Node
		pods  []*corev1.Pod
		pod   *corev1.Pod
		want  map[string]string
	}{
		{
			name: "required affinity: only the zone with a matching pod",
			pods: []*corev1.Pod{st.Pod("db").Label("app", "db").Node("a1").Obj()},
			pod:  st.Pod("p").PodAffinity(st.Term(zone, "app", "db")).Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": noAff, "c1": noAff},
		},
		{
			name: "required affinity with no match anywhere, pod matches itself: first of its group",
			pod:  st.Pod("p").Label("app", "db").PodAffinity(st.Term(zone, "app", "db")).Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": ""},
		},
		{
			name: "required affinity with no match anywhere, pod does not match itself",
			pod:  st.Pod("p").Label("app", "web").PodAffinity(st.Term(zone, "app", "db")).Obj(),
			want: map[string]string{"a1": noAff, "a2": noAff, "b1": noAff, "c1": noAff},
		},
		{
			name:  "required affinity: node without the topology key",
			nodes: append(zonedNodes(), st.Node("x").Obj()),
			pods:  []*corev1.Pod{st.Pod("db").Label("app", "db").Node("a1").Obj()},
			pod:   st.Pod("p").PodAffinity(st.Term(zone, "app", "db")).Obj(),
			want:  map[string]string{"a1": "", "a2": "", "b1": noAff, "c1": noAff, "x": noAff},
		},
		{
			name: "required affinity looks only in the pod's namespace by default",
			pods: []*corev1.Pod{st.Pod("db").Namespace("other").Label("app", "db").Node("a1").Obj()},
			pod:  st.Pod("p").PodAffinity(st.Term(zone, "app", "db")).Obj(),
			want: map[string]string{"a1": noAff, "a2": noAff, "b1": noAff, "c1": noAff},
		},
		{
			name: "required affinity with explicit namespaces",
			pods: []*corev1.Pod{st.Pod("db").Namespace("other").Label("app", "db").Node("b1").Obj()},
			pod:  st.Pod("p").PodAffinity(withNs(st.Term(zone, "app", "db"), "other")).Obj(),
			want: map[string]string{"a1": noAff, "a2": noAff, "b1": "", "c1": noAff},
		},
		{
			name: "required anti-affinity: zone with a matching pod is excluded",
			pods: []*corev1.Pod{st.Pod("w").Label("app", "web").Node("a1").Obj()},
			pod:  st.Pod("p").Label("app", "web").PodAntiAffinity(st.Term(zone, "app", "web")).Obj(),
			want: map[string]string{"a1": noAnti, "a2": noAnti, "b1": "", "c1": ""},
		},
		{
			name: "required anti-affinity per hostname",
			pods: []*corev1.Pod{st.Pod("w").Label("app", "web").Node("a1").Obj()},
			pod:  st.Pod("p").Label("app", "web").PodAntiAffinity(st.Term(corev1.LabelHostname, "app", "web")).Obj(),
			want: map[string]string{"a1": noAnti, "a2": "", "b1": "", "c1": ""},
		},
		{
			name: "symmetry: an existing pod's anti-affinity repels an incoming pod without terms",
			pods: []*corev1.Pod{st.Pod("loner").Label("app", "loner").PodAntiAffinity(st.Term(zone, "app", "web")).Node("b1").Obj()},
			pod:  st.Pod("p").Label("app", "web").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": existingAnti, "c1": ""},
		},
		{
			name: "symmetry: the incoming pod does not match the existing pod's term",
			pods: []*corev1.Pod{st.Pod("loner").Label("app", "loner").PodAntiAffinity(st.Term(zone, "app", "web")).Node("b1").Obj()},
			pod:  st.Pod("p").Label("app", "db").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": ""},
		},
		{
			name: "symmetry: the existing pod's term looks in another namespace",
			pods: []*corev1.Pod{st.Pod("loner").Label("app", "loner").PodAntiAffinity(withNs(st.Term(zone, "app", "web"), "prod")).Node("b1").Obj()},
			pod:  st.Pod("p").Label("app", "web").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": ""},
		},
		{
			name: "symmetry: the existing pod's term selects the incoming pod's namespace by label",
			pods: []*corev1.Pod{st.Pod("loner").Namespace("ops").Label("app", "loner").PodAntiAffinity(withNsSel(st.Term(corev1.LabelHostname, "app", "web"), "team", "x")).Node("c1").Obj()},
			pod:  st.Pod("p").Namespace("team-x").Label("app", "web").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": existingAnti},
		},
		{
			name: "namespace selector: pods in namespaces with the label count",
			pods: []*corev1.Pod{st.Pod("w").Namespace("team-x").Label("app", "web").Node("a1").Obj(), st.Pod("w2").Namespace("team-y").Label("app", "web").Node("b1").Obj()},
			pod:  st.Pod("p").PodAntiAffinity(withNsSel(st.Term(zone, "app", "web"), "team", "x")).Obj(),
			want: map[string]string{"a1": noAnti, "a2": noAnti, "b1": "", "c1": ""},
		},
		{
			name: "empty namespace selector selects all namespaces",
			pods: []*corev1.Pod{st.Pod("w").Namespace("team-y").Label("app", "web").Node("b1").Obj()},
			pod: func() *corev1.Pod {
				term := st.Term(zone, "app", "web")
				term.NamespaceSelector = &meta.LabelSelector{}
				return st.Pod("p").PodAntiAffinity(term).Obj()
			}(),
			want: map[string]string{"a1": "", "a2": "", "b1": noAnti, "c1": ""},
		},
		{
			name: "affinity and anti-affinity together",
			pods: []*corev1.Pod{st.Pod("db").Label("app", "db").Node("a1").Obj(), st.Pod("db2").Label("app", "db").Node("b1").Obj(), st.Pod("w").Label("app", "web").Node("a2").Obj()},
			pod:  st.Pod("p").Label("app", "web").PodAffinity(st.Term(zone, "app", "db")).PodAntiAffinity(st.Term(corev1.LabelHostname, "app", "web")).Obj(),
			want: map[string]string{"a1": "", "a2": noAnti, "b1": "", "c1": noAff},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nodes := tc.nodes
			if nodes == nil {
				nodes = zonedNodes()
			}
			e := newEnv(t, only(plugins.NameInterPodAffinity), nodes, tc.pods)
			e.snap.SetNamespace(&corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "team-x", Labels: map[string]string{"team": "x"}}})
			e.snap.SetNamespace(&corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "team-y", Labels: map[string]string{"team": "y"}}})
			if d := cmp.Diff(tc.want, e.filter(tc.pod)); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestInterPodAffinityScore(t *testing.T) {
	tests := []struct {
		name string
		pods []*corev1.Pod
		pod  *corev1.Pod
		want map[string]int64
	}{
		{
			name: "preferred affinity toward the zone of db",
			pods: []*corev1.Pod{st.Pod("db").Label("app", "db").Node("a1").Obj()},
			pod:  st.Pod("p").PreferredPodAffinity(10, st.Term(zone, "app", "db")).Obj(),
			want: map[string]int64{"a1": 100, "a2": 100, "b1": 0, "c1": 0},
		},
		{
			name: "preferred anti-affinity away from web",
			pods: []*corev1.Pod{st.Pod("w").Label("app", "web").Node("b1").Obj()},
			pod:  st.Pod("p").PreferredPodAffinity(-10, st.Term(zone, "app", "web")).Obj(),
			want: map[string]int64{"a1": 100, "a2": 100, "b1": 0, "c1": 100},
		},
		{
			name: "existing pods' preferred terms apply symmetrically",
			pods: []*corev1.Pod{st.Pod("x").Label("app", "x").PreferredPodAffinity(-5, st.Term(zone, "app", "web")).Node("c1").Obj(),
				st.Pod("y").Label("app", "y").PreferredPodAffinity(5, st.Term(zone, "app", "web")).Node("a1").Obj()},
			pod:  st.Pod("p").Label("app", "web").Obj(),
			want: map[string]int64{"a1": 100, "a2": 100, "b1": 50, "c1": 0},
		},
		{
			name: "existing pods' required affinity counts with hardPodAffinityWeight",
			pods: []*corev1.Pod{st.Pod("x").Label("app", "x").PodAffinity(st.Term(zone, "app", "web")).Node("b1").Obj()},
			pod:  st.Pod("p").Label("app", "web").Obj(),
			want: map[string]int64{"a1": 0, "a2": 0, "b1": 100, "c1": 0},
		},
		{
			name: "weights add up",
			pods: []*corev1.Pod{st.Pod("db").Label("app", "db").Node("a1").Obj(), st.Pod("cache").Label("app", "cache").Node("b1").Obj()},
			pod:  st.Pod("p").PreferredPodAffinity(30, st.Term(zone, "app", "db")).PreferredPodAffinity(10, st.Term(zone, "app", "cache")).Obj(),
			want: map[string]int64{"a1": 100, "a2": 100, "b1": 33, "c1": 0},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, only(plugins.NameInterPodAffinity), zonedNodes(), tc.pods)
			if d := cmp.Diff(tc.want, e.scores(tc.pod)); d != "" {
				t.Error(d)
			}
		})
	}
}
