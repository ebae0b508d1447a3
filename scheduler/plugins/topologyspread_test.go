package plugins_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

const zone = "topology.kubernetes.io/zone"

func zonedNodes() []*corev1.Node {
	return []*corev1.Node{
		st.Node("a1").Label(zone, "a").Obj(), st.Node("a2").Label(zone, "a").Obj(),
		st.Node("b1").Label(zone, "b").Obj(),
		st.Node("c1").Label(zone, "c").Obj(),
	}
}

func web(name, node string) *corev1.Pod { return st.Pod(name).Label("app", "web").Node(node).Obj() }

func TestPodTopologySpreadFilter(t *testing.T) {
	skewed := unschd + plugins.ReasonTopologySpread
	missing := unres + plugins.ReasonTopologySpreadMissingLabel
	ptr := func(p corev1.NodeInclusionPolicy) *corev1.NodeInclusionPolicy { return &p }
	i32 := func(v int32) *int32 { return &v }
	sel := &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	tests := []struct {
		name  string
		nodes []*corev1.Node
		pods  []*corev1.Pod
		pod   *corev1.Pod
		want  map[string]string
	}{
		{
			name: "zone a has 2, b and c none: only b and c within maxSkew 1",
			pods: []*corev1.Pod{web("w1", "a1"), web("w2", "a2")},
			pod:  st.Pod("p").Label("app", "web").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want: map[string]string{"a1": skewed, "a2": skewed, "b1": "", "c1": ""},
		},
		{
			name: "maxSkew 2 admits zone a at skew exactly 2? no: 2+1-0 = 3",
			pods: []*corev1.Pod{web("w1", "a1"), web("w2", "a2")},
			pod:  st.Pod("p").Label("app", "web").Spread(2, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want: map[string]string{"a1": skewed, "a2": skewed, "b1": "", "c1": ""},
		},
		{
			name: "maxSkew 3 admits skew 3",
			pods: []*corev1.Pod{web("w1", "a1"), web("w2", "a2")},
			pod:  st.Pod("p").Label("app", "web").Spread(3, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": ""},
		},
		{
			name: "incoming pod not matching its own selector does not add itself",
			pods: []*corev1.Pod{web("w1", "a1")},
			pod:  st.Pod("p").Label("app", "db").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": ""},
		},
		{
			name:  "node without the topology key is unresolvable",
			nodes: append(zonedNodes(), st.Node("nozone").Obj()),
			pod:   st.Pod("p").Label("app", "web").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want:  map[string]string{"a1": "", "a2": "", "b1": "", "c1": "", "nozone": missing},
		},
		{
			name: "pods of other namespaces and terminating pods do not count",
			pods: []*corev1.Pod{st.Pod("o").Namespace("other").Label("app", "web").Node("a1").Obj(), terminating(web("t", "a1"))},
			pod:  st.Pod("p").Label("app", "web").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": ""},
		},
		{
			name: "minDomains above the domain count makes the global minimum 0",
			pods: []*corev1.Pod{web("w1", "a1"), web("w2", "b1"), web("w3", "c1")},
			pod: st.Pod("p").Label("app", "web").SpreadConstraint(corev1.TopologySpreadConstraint{MaxSkew: 1, TopologyKey: zone,
				WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: sel, MinDomains: i32(4)}).Obj(),
			want: map[string]string{"a1": skewed, "a2": skewed, "b1": skewed, "c1": skewed},
		},
		{
			name: "minDomains met: ordinary skew",
			pods: []*corev1.Pod{web("w1", "a1"), web("w2", "b1"), web("w3", "c1")},
			pod: st.Pod("p").Label("app", "web").SpreadConstraint(corev1.TopologySpreadConstraint{MaxSkew: 1, TopologyKey: zone,
				WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: sel, MinDomains: i32(3)}).Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": ""},
		},
		{
			name: "nodeAffinityPolicy Honor: domains outside the pod's node selector are not counted",
			nodes: []*corev1.Node{st.Node("a1").Label(zone, "a").Label("tier", "x").Obj(), st.Node("a2").Label(zone, "a").Label("tier", "x").Obj(),
				st.Node("b1").Label(zone, "b").Obj()},
			pods: []*corev1.Pod{web("w1", "a1")},
			pod:  st.Pod("p").Label("app", "web").NodeSelector("tier", "x").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": ""},
		},
		{
			name: "nodeAffinityPolicy Ignore: the empty domain b counts",
			nodes: []*corev1.Node{st.Node("a1").Label(zone, "a").Label("tier", "x").Obj(), st.Node("a2").Label(zone, "a").Label("tier", "x").Obj(),
				st.Node("b1").Label(zone, "b").Obj()},
			pods: []*corev1.Pod{web("w1", "a1")},
			pod: st.Pod("p").Label("app", "web").NodeSelector("tier", "x").SpreadConstraint(corev1.TopologySpreadConstraint{MaxSkew: 1, TopologyKey: zone,
				WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: sel, NodeAffinityPolicy: ptr(corev1.NodeInclusionPolicyIgnore)}).Obj(),
			want: map[string]string{"a1": skewed, "a2": skewed, "b1": ""},
		},
		{
			name:  "nodeTaintsPolicy Ignore (default): a tainted empty zone still counts",
			nodes: []*corev1.Node{st.Node("a1").Label(zone, "a").Obj(), st.Node("b1").Label(zone, "b").Taint("k", "v", corev1.TaintEffectNoSchedule).Obj()},
			pods:  []*corev1.Pod{web("w1", "a1")},
			pod:   st.Pod("p").Label("app", "web").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want:  map[string]string{"a1": skewed, "b1": ""},
		},
		{
			name:  "nodeTaintsPolicy Honor: a tainted zone is not a domain",
			nodes: []*corev1.Node{st.Node("a1").Label(zone, "a").Obj(), st.Node("b1").Label(zone, "b").Taint("k", "v", corev1.TaintEffectNoSchedule).Obj()},
			pods:  []*corev1.Pod{web("w1", "a1")},
			pod: st.Pod("p").Label("app", "web").SpreadConstraint(corev1.TopologySpreadConstraint{MaxSkew: 1, TopologyKey: zone,
				WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: sel, NodeTaintsPolicy: ptr(corev1.NodeInclusionPolicyHonor)}).Obj(),
			want: map[string]string{"a1": "", "b1": ""},
		},
		{
			name: "matchLabelKeys: only pods of the same revision count",
			pods: []*corev1.Pod{st.Pod("old1").Label("app", "web").Label("rev", "1").Node("a1").Obj(), st.Pod("old2").Label("app", "web").Label("rev", "1").Node("a2").Obj(),
				st.Pod("new1").Label("app", "web").Label("rev", "2").Node("b1").Obj()},
			pod: st.Pod("p").Label("app", "web").Label("rev", "2").SpreadConstraint(corev1.TopologySpreadConstraint{MaxSkew: 1, TopologyKey: zone,
				WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: sel, MatchLabelKeys: []string{"rev"}}).Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": skewed, "c1": ""},
		},
		{
			name: "two constraints: hostname and zone both must hold",
			pods: []*corev1.Pod{web("w1", "a1"), web("w2", "b1")},
			pod:  st.Pod("p").Label("app", "web").Spread(1, corev1.LabelHostname, corev1.DoNotSchedule, "app", "web").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Obj(),
			want: map[string]string{"a1": skewed, "a2": skewed, "b1": skewed, "c1": ""},
		},
		{
			name: "ScheduleAnyway constraints do not filter",
			pods: []*corev1.Pod{web("w1", "a1"), web("w2", "a2")},
			pod:  st.Pod("p").Label("app", "web").Spread(1, zone, corev1.ScheduleAnyway, "app", "web").Obj(),
			want: map[string]string{"a1": "", "a2": "", "b1": "", "c1": ""},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nodes := tc.nodes
			if nodes == nil {
				nodes = zonedNodes()
			}
			e := newEnv(t, only(plugins.NamePodTopologySpread), nodes, tc.pods)
			if d := cmp.Diff(tc.want, e.filter(tc.pod)); d != "" {
				t.Error(d)
			}
		})
	}
}

func terminating(p *corev1.Pod) *corev1.Pod {
	now := meta.NewTime(time.Unix(1000, 0))
	p.DeletionTimestamp = &now
	return p
}

func TestPodTopologySpreadScore(t *testing.T) {
	t.Run("fewer matching pods in the zone scores higher", func(t *testing.T) {
		e := newEnv(t, only(plugins.NamePodTopologySpread), zonedNodes(), []*corev1.Pod{web("w1", "a1"), web("w2", "a2"), web("w3", "b1")})
		// 3 zones: weight ln(5) = 1.609; a: 2*1.609 = 3.2 -> 3; b: 1.6 -> 2; c: 0. max 3, min 0:
		// a = 100*(3-3)/3 = 0, b = 100*(3-2)/3 = 33, c = 100.
		got := e.scores(st.Pod("p").Label("app", "web").Spread(1, zone, corev1.ScheduleAnyway, "app", "web").Obj())
		if d := cmp.Diff(map[string]int64{"a1": 0, "a2": 0, "b1": 33, "c1": 100}, got); d != "" {
			t.Error(d)
		}
	})
	t.Run("nodes missing the key score 0", func(t *testing.T) {
		e := newEnv(t, only(plugins.NamePodTopologySpread), append(zonedNodes(), st.Node("x").Obj()), []*corev1.Pod{web("w1", "a1")})
		got := e.scores(st.Pod("p").Label("app", "web").Spread(1, zone, corev1.ScheduleAnyway, "app", "web").Obj())
		if d := cmp.Diff(map[string]int64{"a1": 0, "a2": 0, "b1": 100, "c1": 100, "x": 0}, got); d != "" {
			t.Error(d)
		}
	})
	t.Run("hostname key counts per node", func(t *testing.T) {
		e := newEnv(t, only(plugins.NamePodTopologySpread), zonedNodes(), []*corev1.Pod{web("w1", "a1"), web("w2", "a1"), web("w3", "b1")})
		// 4 nodes: ln(6) = 1.79; a1: 2 -> 3.58+0 -> 4; b1: 1.79 -> 2; a2, c1: 0. max 4:
		// a1 0, b1 50, others 100.
		got := e.scores(st.Pod("p").Label("app", "web").Spread(1, corev1.LabelHostname, corev1.ScheduleAnyway, "app", "web").Obj())
		if d := cmp.Diff(map[string]int64{"a1": 0, "a2": 100, "b1": 50, "c1": 100}, got); d != "" {
			t.Error(d)
		}
	})
	t.Run("system default constraints need an owner selector", func(t *testing.T) {
		owners := ownerFunc(func(p *corev1.Pod) map[string]string { return map[string]string{"app": p.Labels["app"]} })
		cfg := []framework.PluginConfig{{Name: plugins.NamePodTopologySpread, Args: &plugins.PodTopologySpreadArgs{Owners: owners}}}
		e := newEnv(t, cfg, zonedNodes(), []*corev1.Pod{web("w1", "a1"), web("w2", "a1")})
		got := e.scores(st.Pod("p").Label("app", "web").Obj())
		// hostname maxSkew 3 (ln 6 = 1.79) + zone maxSkew 5 (ln 5 = 1.61): a1 = 2*1.79+2 + 2*1.61+4
		// = 12.8 -> 13; a2 = 0+2 + 3.22+4 = 9.2 -> 9; b1 = c1 = 2 + 4 = 6. max 13, min 6.
		want := map[string]int64{"a1": 100 * (13 + 6 - 13) / 13, "a2": 100 * (13 + 6 - 9) / 13, "b1": 100, "c1": 100}
		if d := cmp.Diff(want, got); d != "" {
			t.Error(d)
		}
		e2 := newEnv(t, only(plugins.NamePodTopologySpread), zonedNodes(), []*corev1.Pod{web("w1", "a1")})
		if got := e2.scores(st.Pod("p").Label("app", "web").Obj()); got["a1"] != 0 || got["c1"] != 0 {
			t.Errorf("without owners no defaults apply (plugin skipped): %v", got)
		}
	})
}

type ownerFunc func(p *corev1.Pod) map[string]string

func (f ownerFunc) SelectorFor(p *corev1.Pod) labels.Selector {
	return labels.SelectorFromSet(labels.Set(f(p)))
}

// TestPodTopologySpreadFilterSlot: judged by slot (the per-slot domains of the class memo,
// as a cycle with warm caches does), every node gets the status Filter gives from its labels.
func TestPodTopologySpreadFilterSlot(t *testing.T) {
	var nodes []*corev1.Node
	for i := 0; i < 30; i++ {
		b := st.Node(fmt.Sprintf("n%02d", i)).Capacity("cpu", "8")
		if i%7 != 3 {
			b = b.Label(zone, fmt.Sprintf("z%d", i%3))
		}
		nodes = append(nodes, b.Obj())
	}
	var pods []*corev1.Pod
	for i := 0; i < 25; i++ {
		pods = append(pods, st.Pod(fmt.Sprintf("w%d", i)).Label("app", "web").Node(fmt.Sprintf("n%02d", (i*i)%12)).Obj())
	}
	e := newEnv(t, nil, nodes, pods)
	spread, err := plugins.NewPodTopologySpread(nil, e.f)
	if err != nil {
		t.Fatal(err)
	}
	for _, pod := range []*corev1.Pod{
		st.Pod("p").Label("app", "web").Req("cpu", "1").Spread(1, zone, corev1.DoNotSchedule, "app", "web").Obj(),
		st.Pod("q").Label("app", "web").Req("cpu", "1").Spread(2, zone, corev1.DoNotSchedule, "app", "web").
			Spread(1, corev1.LabelHostname, corev1.DoNotSchedule, "app", "web").Obj(),
	} {
		f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: nopBinder()}), plugins.DefaultProfile(), framework.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var state *framework.CycleState
		for cycle := 0; cycle < 2; cycle++ { // the second cycle reuses the memo, which then keeps the domains by slot
			state = framework.NewCycleState()
			if _, err := f.SchedulePod(context.Background(), state, pod, e.snap); err != nil {
				t.Fatal(err)
			}
		}
		judged := 0
		for _, ni := range e.snap.NodeInfos() {
			bySlot, ok := spread.FilterSlot(state, ni.Slot())
			if !ok {
				continue
			}
			judged++
			byLabels := spread.Filter(context.Background(), state, pod, ni.Clone()) // a clone has no slot
			if !bySlot.Equal(byLabels) {
				t.Errorf("%s on %s: by slot %v, by labels %v", pod.Name, ni.Name(), bySlot, byLabels)
			}
		}
		if judged != len(nodes) {
			t.Errorf("%s: %d of %d nodes judged by slot", pod.Name, judged, len(nodes))
		}
	}
}

// TestPodTopologySpreadScoreSlot: scored by slot (per-slot domains, domain counts and hostname
// counts of the class memo), every node gets the raw score Score gives from its labels and
// pods; with a node missing a key (ignored by the soft constraints), scoring by slot declines.
func TestPodTopologySpreadScoreSlot(t *testing.T) {
	for _, tc := range []struct {
		name    string
		missing bool
	}{{"every node labelled", false}, {"a node without the zone", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var nodes []*corev1.Node
			for i := 0; i < 30; i++ {
				b := st.Node(fmt.Sprintf("n%02d", i)).Capacity("cpu", "8")
				if !tc.missing || i != 4 {
					b = b.Label(zone, fmt.Sprintf("z%d", i%3))
				}
				nodes = append(nodes, b.Obj())
			}
			var pods []*corev1.Pod
			for i := 0; i < 25; i++ {
				pods = append(pods, st.Pod(fmt.Sprintf("w%d", i)).Label("app", "web").Node(fmt.Sprintf("n%02d", (i*i)%12)).Obj())
			}
			e := newEnv(t, nil, nodes, pods)
			spread, err := plugins.NewPodTopologySpread(nil, e.f)
			if err != nil {
				t.Fatal(err)
			}
			pod := st.Pod("p").Label("app", "web").Req("cpu", "1").Spread(1, zone, corev1.ScheduleAnyway, "app", "web").
				Spread(2, corev1.LabelHostname, corev1.ScheduleAnyway, "app", "web").Obj()
			f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: nopBinder()}), plugins.DefaultProfile(), framework.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var state *framework.CycleState
			for cycle := 0; cycle < 2; cycle++ { // the second cycle reuses the memo, which then keeps the slots' domains and counts
				state = framework.NewCycleState()
				if _, err := f.SchedulePod(context.Background(), state, pod, e.snap); err != nil {
					t.Fatal(err)
				}
			}
			judged := 0
			for _, ni := range e.snap.NodeInfos() {
				bySlot, ok := spread.ScoreSlot(state, ni.Slot())
				if !ok {
					continue
				}
				judged++
				byLabels, s := spread.Score(context.Background(), state, pod, ni.Clone()) // a clone has no slot
				if !s.IsSuccess() || bySlot != byLabels {
					t.Errorf("%s: by slot %d, by labels %d (%v)", ni.Name(), bySlot, byLabels, s)
				}
			}
			if want := map[bool]int{false: len(nodes), true: 0}[tc.missing]; judged != want {
				t.Errorf("%d of %d nodes scored by slot, want %d", judged, len(nodes), want)
			}
		})
	}
}
