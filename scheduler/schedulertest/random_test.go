package schedulertest_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/google/go-cmp/cmp"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

// nominator tracks nominated pods for the loop.
type nominator map[string][]*framework.PodInfo

func (n nominator) NominatedPodsForNode(node string) []*framework.PodInfo { return n[node] }

func (n nominator) remove(pod *corev1.Pod) {
	for node, ps := range n {
		for i, p := range ps {
			if p.Pod.UID == pod.UID {
				n[node] = append(ps[:i:i], ps[i+1:]...)
			}
		}
	}
}

type loopStats struct{ scheduled, pending, preemptions, evicted int }

// runLoop schedules every pending pod of c in priority order through the core, synchronously,
// checking each decision against the independent model.
func runLoop(t *testing.T, seed uint64, c *st.Cluster, prof framework.Profile) (loopStats, []string) {
	t.Helper()
	s, v, _ := runLoopWith(t, seed, c, prof, framework.Options{})
	return s, v
}

// runLoopWith is runLoop with framework options (Rand and Nominator are set by the loop); it
// also returns the bindings in order.
func runLoopWith(t *testing.T, seed uint64, c *st.Cluster, prof framework.Profile, opts framework.Options) (loopStats, []string, []string) {
	t.Helper()
	ctx := context.Background()
	nom := nominator{}
	var bound []string
	binder := plugins.BinderFunc(func(_ context.Context, p *corev1.Pod, node string) error {
		bound = append(bound, p.Name+"->"+node)
		return nil
	})
	opts.Rand, opts.Nominator = rand.New(rand.NewPCG(seed, 1)), nom
	f, err := framework.New(plugins.NewRegistry(plugins.RegistryOptions{Binder: binder}), prof, opts)
	if err != nil {
		t.Fatal(err)
	}
	snap := framework.NewSnapshot()
	model := st.NewModel(c.Nodes)
	for ns, l := range c.Namespaces {
		snap.SetNamespace(&corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: ns, Labels: l}})
		model.SetNamespaceLabels(ns, l)
	}
	for _, n := range c.Nodes {
		if err := snap.AddNode(n); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range c.Existing {
		if err := snap.AddPod(framework.MustPodInfo(p)); err != nil {
			t.Fatal(err)
		}
		model.Add(p)
	}
	for _, b := range c.PDBs {
		snap.SetPDB(b)
	}
	queue := append([]*corev1.Pod(nil), c.Pending...)
	sort.SliceStable(queue, func(i, j int) bool { return framework.PodPriority(queue[i]) > framework.PodPriority(queue[j]) })
	var stats loopStats
	var violations []string
	fail := func(format string, args ...any) {
		violations = append(violations, fmt.Sprintf("seed %d: "+format, append([]any{seed}, args...)...))
	}
	place := func(pod *corev1.Pod, node string) {
		if ok, why := model.Feasible(pod, node); !ok {
			fail("pod %s placed on %s, which the model rejects: %v", pod.Name, node, why)
		}
		state := framework.NewCycleState()
		if s := f.RunReservePluginsReserve(ctx, state, pod, node); !s.IsSuccess() {
			t.Fatalf("reserve: %v", s)
		}
		if s, _ := f.RunPermitPlugins(ctx, state, pod, node); !s.IsSuccess() {
			t.Fatalf("permit: %v", s)
		}
		if s := f.RunBindPlugins(ctx, state, pod, node); !s.IsSuccess() {
			t.Fatalf("bind: %v", s)
		}
		bound := pod.DeepCopy()
		bound.Spec.NodeName = node
		if err := snap.AddPod(framework.MustPodInfo(bound)); err != nil {
			t.Fatal(err)
		}
		model.Add(bound)
		nom.remove(pod)
		stats.scheduled++
	}
	for _, pod := range queue {
		for attempt := 0; ; attempt++ {
			state := framework.NewCycleState()
			res, err := f.SchedulePod(ctx, state, pod, snap)
			if err == nil {
				place(pod, res.SuggestedHost)
				break
			}
			var fe *framework.FitError
			if !errors.As(err, &fe) {
				t.Fatalf("seed %d: pod %s: %v", seed, pod.Name, err)
			}
			if attempt > 0 {
				fail("pod %s did not fit after its preemption: %v", pod.Name, fe)
				break
			}
			pr, s := f.RunPostFilterPlugins(ctx, state, pod, fe.Diagnosis.NodeToStatus)
			if !s.IsSuccess() {
				fe.Diagnosis.PostFilterMsg = s.Message()
				for _, v := range model.CheckFitMessage(pod, fe.Error()) {
					fail("%s", v)
				}
				stats.pending++
				break
			}
			stats.preemptions++
			for _, v := range pr.Victims {
				if framework.PodPriority(v) >= framework.PodPriority(pod) {
					fail("preemption by %s (priority %d) evicted %s of priority %d", pod.Name, framework.PodPriority(pod), v.Name, framework.PodPriority(v))
				}
				if v.Spec.NodeName != pr.NominatedNodeName {
					fail("victim %s is on %s, not on the nominated node %s", v.Name, v.Spec.NodeName, pr.NominatedNodeName)
				}
				if err := snap.RemovePod(v); err != nil {
					t.Fatal(err)
				}
				if !model.Remove(v) {
					fail("victim %s unknown to the model", v.Name)
				}
				stats.evicted++
			}
			if ok, why := model.Feasible(pod, pr.NominatedNodeName); !ok {
				fail("after evicting %d victims pod %s still does not fit nominated %s: %v", len(pr.Victims), pod.Name, pr.NominatedNodeName, why)
			}
			nom[pr.NominatedNodeName] = append(nom[pr.NominatedNodeName], framework.MustPodInfo(pod))
		}
	}
	for _, v := range model.CheckInvariants() {
		fail("%s", v)
	}
	if len(bound) != stats.scheduled {
		fail("binder saw %d bindings, loop scheduled %d", len(bound), stats.scheduled)
	}
	return stats, violations, bound
}

// Equivalence classes and score caching are optimisations: on randomized clusters every
// decision must be the one made without them (same nodes, same order, same tie-breaks).
func TestCachesDoNotChangePlacements(t *testing.T) {
	configs := []struct {
		name string
		cfg  st.ClusterConfig
	}{
		{"resources only", st.ClusterConfig{Nodes: 30, Zones: 3, Existing: 60, Pending: 200, Extended: true}},
		{"taints and ports", st.ClusterConfig{Nodes: 20, Zones: 3, Existing: 40, Pending: 150, Taints: true, Ports: true}},
		{"everything with priorities", st.ClusterConfig{Nodes: 16, Zones: 3, Existing: 80, Pending: 150, Affinity: true, Spread: true, Taints: true, Ports: true, Priorities: true, Extended: true}},
		{"large, sampled", st.ClusterConfig{Nodes: 200, Zones: 5, Existing: 400, Pending: 200, Taints: true, Priorities: true}},
	}
	for _, tc := range configs {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 3; seed++ {
				c := st.RandomCluster(rand.New(rand.NewPCG(seed, 99)), tc.cfg)
				_, v, cached := runLoopWith(t, seed, c, plugins.DefaultProfile(), framework.Options{})
				for _, x := range v {
					t.Error(x)
				}
				c = st.RandomCluster(rand.New(rand.NewPCG(seed, 99)), tc.cfg)
				_, _, plain := runLoopWith(t, seed, c, plugins.DefaultProfile(), framework.Options{DisableEquivalenceClasses: true, DisableScoreCache: true})
				if d := cmp.Diff(plain, cached); d != "" {
					t.Errorf("seed %d: placements with caches differ from without (-without +with):\n%s", seed, d)
				}
			}
		})
	}
}

func TestRandomizedPlacement(t *testing.T) {
	configs := []struct {
		name string
		cfg  st.ClusterConfig
		pct  int32
		// preempt, if set, are DefaultPreemption's arguments (small minimums make the
		// candidate sampling stop early, which must not break any rule the checker knows).
		preempt *plugins.DefaultPreemptionArgs
	}{
		{"resources only", st.ClusterConfig{Nodes: 20, Zones: 3, Existing: 60, Pending: 150, Extended: true}, 0, nil},
		{"taints and ports", st.ClusterConfig{Nodes: 20, Zones: 3, Existing: 40, Pending: 120, Taints: true, Ports: true}, 0, nil},
		{"affinity and spread", st.ClusterConfig{Nodes: 24, Zones: 4, Existing: 40, Pending: 150, Affinity: true, Spread: true}, 0, nil},
		{"everything with priorities", st.ClusterConfig{Nodes: 16, Zones: 3, Existing: 80, Pending: 150, Affinity: true, Spread: true, Taints: true, Ports: true, Priorities: true, Extended: true}, 0, nil},
		{"large, sampled", st.ClusterConfig{Nodes: 200, Zones: 5, Existing: 400, Pending: 150, Affinity: true, Spread: true, Taints: true, Priorities: true}, 0, nil},
		{"preemption candidates sampled", st.ClusterConfig{Nodes: 60, Zones: 3, Existing: 240, Pending: 150, Affinity: true, Spread: true, Taints: true, Ports: true, Priorities: true, Extended: true}, 0,
			&plugins.DefaultPreemptionArgs{MinCandidateNodesPercentage: new32(0), MinCandidateNodesAbsolute: new32(2)}},
	}
	seeds := 10
	if testing.Short() {
		seeds = 2
	}
	for _, tc := range configs {
		t.Run(tc.name, func(t *testing.T) {
			var total loopStats
			n := seeds
			if tc.cfg.Nodes > 100 {
				n = max(1, seeds/4)
			}
			prof := plugins.DefaultProfile()
			prof.PercentageOfNodesToScore = tc.pct
			if tc.preempt != nil {
				prof, _ = plugins.WithArgs(prof, plugins.NameDefaultPreemption, tc.preempt)
			}
			for seed := uint64(1); seed <= uint64(n); seed++ {
				c := st.RandomCluster(rand.New(rand.NewPCG(seed, 42)), tc.cfg)
				s, violations := runLoop(t, seed, c, prof)
				for _, v := range violations {
					t.Error(v)
				}
				total.scheduled += s.scheduled
				total.pending += s.pending
				total.preemptions += s.preemptions
				total.evicted += s.evicted
			}
			t.Logf("%d seeds: scheduled %d, pending %d, preemptions %d, evicted %d", seeds, total.scheduled, total.pending, total.preemptions, total.evicted)
			if total.scheduled == 0 {
				t.Error("nothing was scheduled: the generator is broken")
			}
			if total.scheduled+total.pending != tc.cfg.Pending*n {
				t.Errorf("scheduled %d + pending %d != %d pods", total.scheduled, total.pending, tc.cfg.Pending*n)
			}
		})
	}
}

// The checker must catch a scheduler that breaks the rules: drop one filter from the profile
// and the violations it lets through must be reported.
func TestCheckerCatchesBrokenScheduler(t *testing.T) {
	tests := []struct {
		drop string
		cfg  st.ClusterConfig
		want string
	}{
		{plugins.NameNodeResourcesFit, st.ClusterConfig{Nodes: 10, Zones: 2, Existing: 30, Pending: 120}, "over-committed"},
		{plugins.NameTaintToleration, st.ClusterConfig{Nodes: 10, Zones: 2, Pending: 60, Taints: true}, "untolerated taint"},
		{plugins.NameInterPodAffinity, st.ClusterConfig{Nodes: 10, Zones: 2, Pending: 80, Affinity: true}, "affinity"},
		{plugins.NamePodTopologySpread, st.ClusterConfig{Nodes: 10, Zones: 2, Pending: 80, Spread: true}, "topology spread"},
	}
	for _, tc := range tests {
		t.Run(tc.drop, func(t *testing.T) {
			prof := plugins.DefaultProfile()
			for i, p := range prof.Plugins {
				if p.Name == tc.drop {
					prof.Plugins = append(prof.Plugins[:i:i], prof.Plugins[i+1:]...)
					break
				}
			}
			var all []string
			for seed := uint64(1); seed <= 3; seed++ {
				_, v := runLoop(t, seed, st.RandomCluster(rand.New(rand.NewPCG(seed, 7)), tc.cfg), prof)
				all = append(all, v...)
			}
			found := false
			for _, v := range all {
				if strings.Contains(v, tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("without %s no violation mentioning %q was reported; got %d others: %.3q", tc.drop, tc.want, len(all), all)
			}
		})
	}
}

// The model itself must agree with hand-checked cases, or it proves nothing.
func TestModelFeasible(t *testing.T) {
	nodes := []*corev1.Node{
		st.Node("a").Label(st.ZoneKey, "z1").Capacity("cpu", "2", "memory", "1Gi").Obj(),
		st.Node("b").Label(st.ZoneKey, "z2").Capacity("cpu", "2", "memory", "1Gi").Taint("k", "v", corev1.TaintEffectNoSchedule).Obj(),
	}
	m := st.NewModel(nodes)
	m.Add(st.Pod("w").Label("app", "web").Node("a").Req("cpu", "1").Obj())
	tests := []struct {
		pod  *corev1.Pod
		node string
		want []string
	}{
		{st.Pod("p").Req("cpu", "1").Obj(), "a", nil},
		{st.Pod("p").Req("cpu", "1500m").Obj(), "a", []string{"Insufficient cpu"}},
		{st.Pod("p").Req("cpu", "500m").InitContainer(true, "cpu", "600m").Obj(), "a", []string{"Insufficient cpu"}},
		{st.Pod("p").Obj(), "b", []string{"node(s) had untolerated taint {k: v}"}},
		{st.Pod("p").Label("app", "web").PodAntiAffinity(st.Term(st.ZoneKey, "app", "web")).Obj(), "a", []string{"node(s) didn't match pod anti-affinity rules"}},
		{st.Pod("p").PodAffinity(st.Term(st.ZoneKey, "app", "web")).Toleration("k", "", "v", "").Obj(), "b", []string{"node(s) didn't match pod affinity rules"}},
		{st.Pod("p").Label("app", "web").Spread(1, st.ZoneKey, corev1.DoNotSchedule, "app", "web").Obj(), "a", []string{"node(s) didn't match pod topology spread constraints"}},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			_, got := m.Feasible(tc.pod, tc.node)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func new32(v int32) *int32 { return &v }
