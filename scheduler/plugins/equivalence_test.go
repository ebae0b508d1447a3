package plugins_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

// counter is a node-local Filter and Score plugin that counts its calls per node, to see
// which verdicts and scores the caches reuse.
type counter struct {
	mu             sync.Mutex
	filters, score map[string]int
}

func (c *counter) Name() string    { return "Counter" }
func (c *counter) NodeLocal() bool { return true }
func (c *counter) Filter(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.filters[ni.Name()]++
	return nil
}
func (c *counter) Score(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.score[ni.Name()]++
	return int64(len(ni.Pods)), nil
}
func (c *counter) ScoreExtensions() framework.ScoreExtensions { return nil }

// take returns the nodes filtered and scored since the last call, sorted.
func (c *counter) take() (filtered, scored []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for n := range c.filters {
		filtered = append(filtered, n)
	}
	for n := range c.score {
		scored = append(scored, n)
	}
	slices.Sort(filtered)
	slices.Sort(scored)
	c.filters, c.score = map[string]int{}, map[string]int{}
	return filtered, scored
}

type nominated map[string][]*framework.PodInfo

func (n nominated) NominatedPodsForNode(node string) []*framework.PodInfo { return n[node] }

type cacheEnv struct {
	t    *testing.T
	f    *framework.Framework
	c    *counter
	snap *framework.Snapshot
}

func newCacheEnv(t *testing.T, opts framework.Options, nodes ...*corev1.Node) *cacheEnv {
	t.Helper()
	c := &counter{filters: map[string]int{}, score: map[string]int{}}
	reg := plugins.NewRegistry(plugins.RegistryOptions{Binder: nopBinder()})
	if err := reg.Merge(framework.Registry{"Counter": func(any, framework.Handle) (framework.Plugin, error) { return c, nil }}); err != nil {
		t.Fatal(err)
	}
	prof := plugins.DefaultProfile()
	prof.PercentageOfNodesToScore = 100
	// First, so that it sees every node the filters are run on.
	prof.Plugins = append([]framework.PluginConfig{{Name: "Counter"}}, prof.Plugins...)
	opts.RecordScores = true // feasible lists the scored nodes
	f, err := framework.New(reg, prof, opts)
	if err != nil {
		t.Fatal(err)
	}
	snap := framework.NewSnapshot()
	for _, n := range nodes {
		if err := snap.AddNode(n); err != nil {
			t.Fatal(err)
		}
	}
	return &cacheEnv{t: t, f: f, c: c, snap: snap}
}

// feasible schedules pod and returns the feasible nodes, sorted.
func (e *cacheEnv) feasible(pod *corev1.Pod) []string {
	e.t.Helper()
	res, err := e.f.SchedulePod(context.Background(), framework.NewCycleState(), pod, e.snap)
	var fe *framework.FitError
	if errors.As(err, &fe) {
		return nil
	}
	if err != nil {
		e.t.Fatal(err)
	}
	if res.FeasibleNodes == 1 {
		return []string{res.SuggestedHost}
	}
	var out []string
	for _, s := range res.Scores {
		out = append(out, s.Name)
	}
	slices.Sort(out)
	return out
}

func (e *cacheEnv) add(p *corev1.Pod) {
	e.t.Helper()
	if err := e.snap.AddPod(framework.MustPodInfo(p)); err != nil {
		e.t.Fatal(err)
	}
}

// TestEquivalenceCacheReuseAndInvalidation: pods of one class share filter verdicts and raw
// scores; a node is re-evaluated exactly when it or its pods change; another class, or the
// caches switched off, evaluates every node.
func TestEquivalenceCacheReuseAndInvalidation(t *testing.T) {
	nodes := func() []*corev1.Node {
		var out []*corev1.Node
		for i := 1; i <= 4; i++ {
			out = append(out, st.Node(fmt.Sprintf("n%d", i)).Label(zone, "z").Capacity("cpu", "2", "memory", "4Gi").Obj())
		}
		return out
	}
	pod := func(i int) *corev1.Pod { return st.Pod(fmt.Sprintf("p%d", i)).Label("app", "a").Req("cpu", "1").Obj() }
	all := []string{"n1", "n2", "n3", "n4"}
	type step struct {
		name           string
		change         func(e *cacheEnv)
		pod            *corev1.Pod
		feasible       []string
		filtered, sc   []string // with the caches on
		filteredOffAll bool     // with them off: always every node
	}
	steps := []step{
		{"first pod of the class evaluates every node", nil, pod(1), all, all, all, true},
		{"second pod of the class reuses everything", nil, pod(2), all, nil, nil, true},
		{"a pod assumed on n1: only n1 again", func(e *cacheEnv) { e.add(st.Pod("x").Req("cpu", "1").Node("n1").Obj()) }, pod(3), all, []string{"n1"}, []string{"n1"}, true},
		{"n1 full: its verdict changes", func(e *cacheEnv) { e.add(st.Pod("y").Req("cpu", "1").Node("n1").Obj()) }, pod(4), []string{"n2", "n3", "n4"}, []string{"n1"}, nil, true},
		{"n2 relabelled and n1 emptied", func(e *cacheEnv) {
			if err := e.snap.UpdateNode(st.Node("n2").Label(zone, "z").Label("disk", "ssd").Capacity("cpu", "2", "memory", "4Gi").Obj()); err != nil {
				e.t.Fatal(err)
			}
			if err := e.snap.RemovePod(st.Pod("y").Node("n1").Obj()); err != nil {
				e.t.Fatal(err)
			}
		}, pod(5), all, []string{"n1", "n2"}, []string{"n1", "n2"}, true},
		{"another class evaluates every node", nil, st.Pod("other").Req("cpu", "1500m").Obj(), []string{"n2", "n3", "n4"}, all, []string{"n2", "n3", "n4"}, true},
		{"a removed and re-added node is evaluated again", func(e *cacheEnv) {
			if err := e.snap.RemoveNode("n4"); err != nil {
				e.t.Fatal(err)
			}
			if err := e.snap.AddNode(st.Node("n4").Label(zone, "z").Capacity("cpu", "1").Obj()); err != nil {
				e.t.Fatal(err)
			}
		}, pod(6), all, []string{"n4"}, []string{"n4"}, true},
	}
	for _, mode := range []struct {
		name string
		opts framework.Options
	}{{"caches on", framework.Options{}}, {"caches off", framework.Options{DisableEquivalenceClasses: true, DisableScoreCache: true}}} {
		t.Run(mode.name, func(t *testing.T) {
			e := newCacheEnv(t, mode.opts, nodes()...)
			for _, s := range steps {
				if s.change != nil {
					s.change(e)
				}
				got := e.feasible(s.pod)
				if d := cmp.Diff(s.feasible, got); d != "" {
					t.Errorf("%s: feasible nodes (-want +got):\n%s", s.name, d)
				}
				filtered, scored := e.c.take()
				wantF, wantS := s.filtered, s.sc
				if mode.opts.DisableEquivalenceClasses {
					wantF, wantS = e.allNames(), got
				}
				if d := cmp.Diff(wantF, filtered); d != "" {
					t.Errorf("%s: nodes filtered (-want +got):\n%s", s.name, d)
				}
				if d := cmp.Diff(wantS, scored); d != "" {
					t.Errorf("%s: nodes scored (-want +got):\n%s", s.name, d)
				}
			}
		})
	}
}

func (e *cacheEnv) allNames() []string {
	var out []string
	for _, ni := range e.snap.NodeInfos() {
		out = append(out, ni.Name())
	}
	slices.Sort(out)
	return out
}

// TestEquivalenceCacheClusterWideConstraints: inter-pod affinity and topology spread make
// other nodes' pods relevant, so their verdicts are never cached (only the node-local filters
// before them are): a pod placed on n1 must change the verdict on n2 (same zone) although n2
// did not change.
func TestEquivalenceCacheClusterWideConstraints(t *testing.T) {
	nodes := []*corev1.Node{
		st.Node("n1").Label(zone, "z1").Capacity("cpu", "8").Obj(),
		st.Node("n2").Label(zone, "z1").Capacity("cpu", "8").Obj(),
		st.Node("n3").Label(zone, "z2").Capacity("cpu", "8").Obj(),
	}
	tests := []struct {
		name     string
		pod      func(i int) *corev1.Pod
		placed   *corev1.Pod // placed on n1 between the two cycles
		feasible []string    // for the second pod
	}{
		{"own required anti-affinity", func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("x%d", i)).Label("app", "x").PodAntiAffinity(st.Term(zone, "app", "web")).Obj()
		}, st.Pod("web").Label("app", "web").Node("n1").Obj(), []string{"n3"}},
		{"existing pod's anti-affinity (symmetry) on a plain class", func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("y%d", i)).Label("app", "y").Obj()
		}, st.Pod("guard").Label("app", "guard").PodAntiAffinity(st.Term(zone, "app", "y")).Node("n1").Obj(), []string{"n3"}},
		{"own required affinity", func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("a%d", i)).Label("app", "a").PodAffinity(st.Term(zone, "app", "db")).Obj()
		}, st.Pod("db").Label("app", "db").Node("n1").Obj(), []string{"n1", "n2"}},
		{"hard topology spread", func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("s%d", i)).Label("app", "s").Spread(1, zone, corev1.DoNotSchedule, "app", "s").Obj()
		}, st.Pod("s-first").Label("app", "s").Node("n1").Obj(), []string{"n3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newCacheEnv(t, framework.Options{}, nodes...)
			first := e.feasible(tc.pod(1))
			if tc.name == "own required affinity" {
				// No db pod anywhere and the pod does not match its own term: nothing fits.
				if len(first) != 0 {
					t.Fatalf("first pod feasible on %v, want none", first)
				}
			} else if d := cmp.Diff([]string{"n1", "n2", "n3"}, first); d != "" {
				t.Fatalf("first pod (-want +got):\n%s", d)
			}
			e.add(tc.placed)
			e.c.take()
			if d := cmp.Diff(tc.feasible, e.feasible(tc.pod(2))); d != "" {
				t.Errorf("second pod after %s landed on n1 (-want +got):\n%s", tc.placed.Name, d)
			}
			// The node-local filters (Counter among them) come first and are served from the
			// cache except on n1, which changed; the cluster-wide plugin after them ran on
			// every node, which is why n2's verdict changed.
			if filtered, _ := e.c.take(); !slices.Equal(filtered, []string{"n1"}) {
				t.Errorf("node-local filters ran on %v, want [n1]", filtered)
			}
		})
	}
}

// TestEquivalenceCacheNominatedPods: a node with a nominated pod is filtered with it, never
// from the cache.
func TestEquivalenceCacheNominatedPods(t *testing.T) {
	nom := nominated{}
	e := newCacheEnv(t, framework.Options{Nominator: nom},
		st.Node("n1").Capacity("cpu", "2").Obj(), st.Node("n2").Capacity("cpu", "2").Obj())
	pod := func(i int) *corev1.Pod { return st.Pod(fmt.Sprintf("p%d", i)).Req("cpu", "1").Obj() }
	if d := cmp.Diff([]string{"n1", "n2"}, e.feasible(pod(1))); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	nom["n1"] = []*framework.PodInfo{framework.MustPodInfo(st.Pod("big").Req("cpu", "2").Priority(10).Obj())}
	if d := cmp.Diff([]string{"n2"}, e.feasible(pod(2))); d != "" {
		t.Errorf("with a pod nominated to n1 (-want +got):\n%s", d)
	}
}

// TestClassMemosFollowChanges schedules pods of a few classes with topology spread (hard and
// soft) through a sequence of cluster changes (pods placed and removed, nodes added, removed
// and relabelled) with equivalence classes on and off: every decision must be the same,
// so the per-class domain counts follow every change.
func TestClassMemosFollowChanges(t *testing.T) {
	classes := []func(i int) *corev1.Pod{
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("hard-%d", i)).Label("app", "s").Req("cpu", "100m").Spread(1, zone, corev1.DoNotSchedule, "app", "s").Obj()
		},
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("soft-%d", i)).Label("app", "s").Req("cpu", "100m").Spread(1, zone, corev1.ScheduleAnyway, "app", "s").
				Spread(1, corev1.LabelHostname, corev1.ScheduleAnyway, "app", "s").Obj()
		},
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("other-%d", i)).Label("app", "o").Req("cpu", "100m").Spread(2, zone, corev1.DoNotSchedule, "app", "o").Obj()
		},
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("anti-%d", i)).Label("app", "anti").Req("cpu", "100m").PodAntiAffinity(st.Term(corev1.LabelHostname, "app", "anti")).Obj()
		},
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("aff-%d", i)).Label("app", "s").Req("cpu", "100m").PodAffinity(st.Term(zone, "app", "s")).
				PreferredPodAffinity(10, st.Term(corev1.LabelHostname, "app", "o")).Obj()
		},
	}
	run := func(opts framework.Options) []string {
		var nodes []*corev1.Node
		for i := 0; i < 9; i++ {
			nodes = append(nodes, st.Node(fmt.Sprintf("n%d", i)).Label(zone, fmt.Sprintf("z%d", i%3)).Capacity("cpu", "4").Obj())
		}
		e := newCacheEnv(t, opts, nodes...)
		var log []string
		var placed []*corev1.Pod
		for step := 0; step < 90; step++ {
			switch {
			case step == 25:
				if err := e.snap.RemoveNode("n4"); err != nil {
					t.Fatal(err)
				}
				for _, p := range placed {
					if p.Spec.NodeName == "n4" {
						_ = e.snap.RemovePod(p) // the pods of a removed node stay until deleted
					}
				}
			case step == 45:
				if err := e.snap.AddNode(st.Node("n9").Label(zone, "z3").Capacity("cpu", "4").Obj()); err != nil {
					t.Fatal(err)
				}
			case step == 60:
				if err := e.snap.UpdateNode(st.Node("n1").Label(zone, "z3").Capacity("cpu", "4").Obj()); err != nil {
					t.Fatal(err)
				}
			case step%7 == 6 && len(placed) > 3:
				victim := placed[step%len(placed)]
				if err := e.snap.RemovePod(victim); err == nil {
					log = append(log, "removed "+victim.Name)
				}
			}
			pod := classes[step%len(classes)](step)
			res, err := e.f.SchedulePod(context.Background(), framework.NewCycleState(), pod, e.snap)
			if err != nil {
				log = append(log, pod.Name+": "+err.Error())
				continue
			}
			log = append(log, pod.Name+" -> "+res.SuggestedHost)
			pod.Spec.NodeName = res.SuggestedHost
			e.add(pod)
			placed = append(placed, pod)
		}
		return log
	}
	off := run(framework.Options{DisableEquivalenceClasses: true, DisableScoreCache: true})
	on := run(framework.Options{})
	if d := cmp.Diff(off, on); d != "" {
		t.Errorf("decisions with class memos differ (-off +on):\n%s", d)
	}
}

// TestParallelizerOnlyForUncachedWork: a cycle hands its nodes to the Parallelizer while the
// class's caches are cold or its last cycle had to compute many verdicts, and evaluates them
// itself once they are warm; every cycle's outcome equals that of a framework without a
// Parallelizer, and a changed node is seen by the next cycle either way.
func TestParallelizerOnlyForUncachedWork(t *testing.T) {
	var nodes []*corev1.Node
	for i := 0; i < 300; i++ {
		nodes = append(nodes, st.Node(fmt.Sprintf("n%03d", i)).Label(zone, fmt.Sprintf("z%d", i%3)).Capacity("cpu", "4", "memory", "8Gi").Obj())
	}
	var calls int
	var mu sync.Mutex
	par := func(_ context.Context, n int, work func(int)) {
		mu.Lock()
		calls++
		mu.Unlock()
		var wg sync.WaitGroup
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += 2 {
					work(i)
				}
			}()
		}
		wg.Wait()
	}
	seq := newCacheEnv(t, framework.Options{}, nodes...)
	pe := newCacheEnv(t, framework.Options{Parallelizer: par}, nodes...)
	pod := func(i int) *corev1.Pod { return st.Pod(fmt.Sprintf("p%d", i)).Label("app", "a").Req("cpu", "1").Obj() }
	steps := []struct {
		name     string
		change   func(e *cacheEnv)
		parallel bool // whether the cycle used the Parallelizer (filter and score)
	}{
		{"cold class", nil, true},
		{"after a cold cycle", nil, true},
		{"warm", nil, false},
		{"one node changed", func(e *cacheEnv) { e.add(st.Pod("x1").Req("cpu", "3").Node("n007").Obj()) }, false},
		{"200 nodes changed: evaluated sequentially, the last cycle was warm", func(e *cacheEnv) {
			for i := 0; i < 200; i++ {
				e.add(st.Pod(fmt.Sprintf("y%d", i)).Req("cpu", "500m").Node(fmt.Sprintf("n%03d", i+50)).Obj())
			}
		}, false},
		{"after 200 misses", nil, true},
		{"warm again", nil, false},
	}
	for i, s := range steps {
		if s.change != nil {
			s.change(seq)
			s.change(pe)
		}
		calls = 0
		a, err1 := seq.f.SchedulePod(context.Background(), framework.NewCycleState(), pod(i), seq.snap)
		b, err2 := pe.f.SchedulePod(context.Background(), framework.NewCycleState(), pod(i), pe.snap)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", s.name, err1, err2)
		}
		if d := cmp.Diff(a, b); d != "" {
			t.Errorf("%s: with a Parallelizer the outcome differs (-without +with):\n%s", s.name, d)
		}
		if want := map[bool]int{true: 2, false: 0}[s.parallel]; calls != want {
			t.Errorf("%s: %d Parallelizer calls, want %d", s.name, calls, want)
		}
		seq.c.take()
		pe.c.take()
	}
}

// TestEveryClassSeesNodeChanges: several classes (node-local filters and scores only, with
// preferred node affinity and image scores, with hard and soft spread) keep scheduling on a
// cluster whose nodes change under them: pods come and go, nodes are cordoned, tainted,
// resized, removed and added (reusing the removed nodes' slots). After every change, the next
// cycle of every class must decide exactly as a framework without caches: same nodes
// evaluated, same feasible nodes, same scores per plugin, same host.
func TestEveryClassSeesNodeChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	node := func(name string, i int) *corev1.Node {
		b := st.Node(name).Label(zone, fmt.Sprintf("z%d", i%3)).Capacity("cpu", fmt.Sprint(2+i%3), "memory", "8Gi")
		if i%5 == 0 {
			b = b.Image(300<<20, "db:v1")
		}
		return b.Obj()
	}
	var nodes []*corev1.Node
	for i := 0; i < 150; i++ {
		nodes = append(nodes, node(fmt.Sprintf("n%03d", i), i))
	}
	classes := []func(i int) *corev1.Pod{
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("basic-%d", i)).Req("cpu", "500m", "memory", "1Gi").Obj()
		},
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("pref-%d", i)).Image("db:v1").Req("cpu", "1").PreferredNodeAffinity(5, zone, corev1.NodeSelectorOpIn, "z1").Obj()
		},
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("hard-%d", i)).Label("app", "s").Req("cpu", "200m").Spread(2, zone, corev1.DoNotSchedule, "app", "s").Obj()
		},
		func(i int) *corev1.Pod {
			return st.Pod(fmt.Sprintf("soft-%d", i)).Label("app", "s").Req("cpu", "200m").Spread(1, corev1.LabelHostname, corev1.ScheduleAnyway, "app", "s").Obj()
		},
	}
	on := newCacheEnv(t, framework.Options{}, nodes...)
	off := newCacheEnv(t, framework.Options{DisableEquivalenceClasses: true, DisableScoreCache: true}, nodes...)
	both := func(fn func(e *cacheEnv) error) {
		t.Helper()
		if err1, err2 := fn(on), fn(off); (err1 == nil) != (err2 == nil) {
			t.Fatalf("change: %v, %v", err1, err2)
		}
	}
	var placed []*corev1.Pod
	removed := map[string]bool{}
	next := 150
	for step := 0; step < 80; step++ {
		name := fmt.Sprintf("n%03d", rng.IntN(150))
		switch r := rng.IntN(6); {
		case removed[name]:
		case r == 0:
			both(func(e *cacheEnv) error {
				return e.snap.UpdateNode(st.Node(name).Label(zone, "z0").Capacity("cpu", "4").Unschedulable().Obj())
			})
		case r == 1:
			both(func(e *cacheEnv) error {
				return e.snap.UpdateNode(st.Node(name).Label(zone, "z2").Capacity("cpu", "1").Taint("k", "v", corev1.TaintEffectPreferNoSchedule).Obj())
			})
		case r == 2 && step%4 == 0:
			both(func(e *cacheEnv) error { return e.snap.RemoveNode(name) })
			removed[name] = true
			added := node(fmt.Sprintf("n%03d", next), next)
			next++
			both(func(e *cacheEnv) error { return e.snap.AddNode(added) })
		case r == 3 && len(placed) > 0:
			p := placed[rng.IntN(len(placed))]
			both(func(e *cacheEnv) error { return e.snap.RemovePod(p) })
		}
		for c, mk := range classes {
			pod := mk(step*len(classes) + c)
			a, err1 := on.f.SchedulePod(context.Background(), framework.NewCycleState(), pod, on.snap)
			b, err2 := off.f.SchedulePod(context.Background(), framework.NewCycleState(), pod, off.snap)
			if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
				t.Fatalf("step %d, %s: caches on: %v, off: %v", step, pod.Name, err1, err2)
			}
			if d := cmp.Diff(b, a); d != "" {
				t.Fatalf("step %d, %s: decision with caches differs (-off +on):\n%s", step, pod.Name, d)
			}
			if err1 != nil {
				continue
			}
			pod.Spec.NodeName = a.SuggestedHost
			both(func(e *cacheEnv) error { return e.snap.AddPod(framework.MustPodInfo(pod)) })
			placed = append(placed, pod)
		}
		on.c.take()
		off.c.take()
	}
}

// countingNominator is a Nominator that counts its per-node lookups and tells how many pods
// are nominated (framework.NominationCounter).
type countingNominator struct {
	nominated
	lookups int
}

func (c *countingNominator) NominatedPodsForNode(node string) []*framework.PodInfo {
	c.lookups++
	return c.nominated[node]
}

func (c *countingNominator) NumNominatedPods() int {
	n := 0
	for _, ps := range c.nominated {
		n += len(ps)
	}
	return n
}

// TestNominationCounter: with a Nominator that says no pod is nominated, a cycle does not
// look up each node's nominated pods; once one is nominated, it does and counts it.
func TestNominationCounter(t *testing.T) {
	nom := &countingNominator{nominated: nominated{}}
	e := newCacheEnv(t, framework.Options{Nominator: nom},
		st.Node("n1").Capacity("cpu", "2").Obj(), st.Node("n2").Capacity("cpu", "2").Obj())
	pod := func(i int) *corev1.Pod { return st.Pod(fmt.Sprintf("p%d", i)).Req("cpu", "1").Obj() }
	for i := 0; i < 2; i++ {
		if d := cmp.Diff([]string{"n1", "n2"}, e.feasible(pod(i))); d != "" {
			t.Fatalf("(-want +got):\n%s", d)
		}
	}
	if nom.lookups != 0 {
		t.Errorf("%d per-node lookups with nothing nominated, want 0", nom.lookups)
	}
	nom.nominated["n1"] = []*framework.PodInfo{framework.MustPodInfo(st.Pod("big").Req("cpu", "2").Priority(10).Obj())}
	if d := cmp.Diff([]string{"n2"}, e.feasible(pod(2))); d != "" {
		t.Errorf("with a pod nominated to n1 (-want +got):\n%s", d)
	}
	if nom.lookups == 0 {
		t.Error("no per-node lookups with a pod nominated")
	}
}
