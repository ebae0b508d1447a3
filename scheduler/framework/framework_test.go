package framework_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler/framework"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

func TestPodRequests(t *testing.T) {
	mi := int64(1024 * 1024)
	tests := []struct {
		name    string
		pod     *corev1.Pod
		nonZero bool
		want    framework.Resource
	}{
		{"sum of containers", st.Pod("p").Req("cpu", "100m", "memory", "1Mi").Container("x", "cpu", "200m").Obj(), false,
			framework.Resource{MilliCPU: 300, Memory: mi}},
		{"init container larger than sum wins", st.Pod("p").Req("cpu", "100m").InitContainer(false, "cpu", "1").Obj(), false,
			framework.Resource{MilliCPU: 1000}},
		{"init container smaller than sum", st.Pod("p").Req("cpu", "2").InitContainer(false, "cpu", "1").Obj(), false,
			framework.Resource{MilliCPU: 2000}},
		{"sidecar adds to containers", st.Pod("p").Req("cpu", "1").InitContainer(true, "cpu", "500m").Obj(), false,
			framework.Resource{MilliCPU: 1500}},
		{"init after sidecar counts the sidecar", st.Pod("p").Req("cpu", "1").InitContainer(true, "cpu", "500m").InitContainer(false, "cpu", "2").Obj(), false,
			framework.Resource{MilliCPU: 2500}},
		{"init before sidecar does not count it", st.Pod("p").Req("cpu", "1").InitContainer(false, "cpu", "2").InitContainer(true, "cpu", "500m").Obj(), false,
			framework.Resource{MilliCPU: 2000}},
		{"overhead added", st.Pod("p").Req("cpu", "1").Overhead("cpu", "250m", "memory", "1Mi").Obj(), false,
			framework.Resource{MilliCPU: 1250, Memory: mi}},
		{"extended resource", st.Pod("p").Req("example.com/gpu", "2").Obj(), false,
			framework.Resource{Scalar: map[corev1.ResourceName]int64{"example.com/gpu": 2}}},
		{"non-zero defaults per container", st.Pod("p").Req("cpu", "50m").Container("x").Obj(), true,
			framework.Resource{MilliCPU: 150, Memory: 2 * framework.DefaultMemoryRequest}},
		{"explicit zero is kept in non-zero", st.Pod("p").Req("cpu", "0", "memory", "0").Obj(), true,
			framework.Resource{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := framework.PodRequests(tc.pod, tc.nonZero)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("PodRequests (-want +got):\n%s", d)
			}
		})
	}
}

func TestNodeInfoAddRemove(t *testing.T) {
	ni := framework.NewNodeInfo()
	ni.SetNode(st.Node("n").Capacity("cpu", "4").Obj())
	a := framework.MustPodInfo(st.Pod("a").Req("cpu", "1").HostPort(80, "", "").Node("n").Obj())
	b := framework.MustPodInfo(st.Pod("b").Req("cpu", "2").PodAntiAffinity(st.Term("zone", "x", "y")).Node("n").Obj())
	ni.AddPod(a)
	ni.AddPod(b)
	clone := ni.Clone()
	if ni.Requested.MilliCPU != 3000 || len(ni.PodsWithAffinity) != 1 || len(ni.PodsWithRequiredAntiAffinity) != 1 {
		t.Fatalf("after adds: requested %d, affinity %d, anti %d", ni.Requested.MilliCPU, len(ni.PodsWithAffinity), len(ni.PodsWithRequiredAntiAffinity))
	}
	if !ni.UsedPorts.Conflicts(framework.HostPort{IP: "10.0.0.1", Protocol: corev1.ProtocolTCP, Port: 80}) {
		t.Error("port 80 on 0.0.0.0 must conflict with 10.0.0.1:80")
	}
	if ni.UsedPorts.Conflicts(framework.HostPort{IP: "0.0.0.0", Protocol: corev1.ProtocolUDP, Port: 80}) {
		t.Error("UDP 80 must not conflict with TCP 80")
	}
	if !ni.RemovePod(b.Pod) || ni.RemovePod(b.Pod) {
		t.Fatal("RemovePod must succeed once")
	}
	ni.RemovePod(a.Pod)
	if ni.Requested.MilliCPU != 0 || len(ni.Pods) != 0 || len(ni.UsedPorts) != 0 || len(ni.PodsWithAffinity) != 0 {
		t.Errorf("after removes: %+v", ni)
	}
	if clone.Requested.MilliCPU != 3000 || len(clone.Pods) != 2 || len(clone.UsedPorts) != 1 {
		t.Errorf("clone changed by changes to the original: %+v", clone)
	}
}

func TestSnapshotIncremental(t *testing.T) {
	s := framework.NewSnapshot()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.AddNode(st.Node("a").Image(100, "img:1").Obj()))
	must(s.AddNode(st.Node("b").Image(100, "img:1", "img").Obj()))
	// A pod for a node not seen yet is kept until the node arrives.
	must(s.AddPod(framework.MustPodInfo(st.Pod("early").Node("c").Req("cpu", "1").Obj())))
	if s.NumNodes() != 2 {
		t.Fatalf("NumNodes = %d, want 2", s.NumNodes())
	}
	must(s.AddNode(st.Node("c").Obj()))
	c, _ := s.Get("c")
	if c.Requested.MilliCPU != 1000 {
		t.Errorf("early pod not accounted: %d", c.Requested.MilliCPU)
	}
	if got := s.ImageNumNodes("img:1"); got != 2 {
		t.Errorf("ImageNumNodes(img:1) = %d, want 2", got)
	}
	if got := s.ImageNumNodes("img:latest"); got != 1 {
		t.Errorf("ImageNumNodes(img:latest) = %d, want 1", got)
	}
	genBefore := s.Generation()
	a, _ := s.Get("a")
	aGen := a.Generation
	must(s.AddPod(framework.MustPodInfo(st.Pod("x").Node("b").PodAntiAffinity(st.Term("k", "a", "b")).Obj())))
	if a.Generation != aGen {
		t.Error("adding a pod to b changed a's generation")
	}
	b, _ := s.Get("b")
	if b.Generation != s.Generation() || s.Generation() != genBefore+1 {
		t.Errorf("generations: b %d, snapshot %d, before %d", b.Generation, s.Generation(), genBefore)
	}
	if got := len(s.HavePodsWithRequiredAntiAffinity()); got != 1 {
		t.Errorf("HavePodsWithRequiredAntiAffinity = %d nodes, want 1", got)
	}
	if err := s.AddPod(framework.MustPodInfo(st.Pod("x").Node("b").Obj())); !errors.Is(err, framework.ErrExists) {
		t.Errorf("duplicate AddPod: %v, want ErrExists", err)
	}
	must(s.RemoveNode("a"))
	if s.ImageNumNodes("img:1") != 1 || s.NumNodes() != 2 {
		t.Errorf("after RemoveNode: images %d nodes %d", s.ImageNumNodes("img:1"), s.NumNodes())
	}
	if err := s.RemovePod(st.Pod("nope").Node("b").Obj()); !errors.Is(err, framework.ErrNotFound) {
		t.Errorf("RemovePod of unknown pod: %v, want ErrNotFound", err)
	}
	must(s.RemovePod(st.Pod("x").Node("b").Obj()))
	if got := len(s.HavePodsWithRequiredAntiAffinity()); got != 0 {
		t.Errorf("HavePodsWithRequiredAntiAffinity after remove = %d", got)
	}
}

func TestNumFeasibleNodesToFind(t *testing.T) {
	tests := []struct {
		pct   int32
		nodes int
		want  int
	}{
		{0, 50, 50}, {0, 99, 99}, {0, 100, 100}, {0, 1000, 420}, {0, 5000, 500},
		{0, 6000, 300}, {0, 10000, 500}, {0, 200, 100}, {10, 5000, 500}, {1, 5000, 100}, {100, 5000, 5000},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d%%/%d", tc.pct, tc.nodes), func(t *testing.T) {
			if got := framework.NumFeasibleNodesToFind(tc.pct, tc.nodes); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
}

func TestFitErrorMessage(t *testing.T) {
	unsched := func(r ...string) *framework.Status { return framework.NewStatus(framework.Unschedulable, r...) }
	e := &framework.FitError{NumAllNodes: 5, Diagnosis: framework.Diagnosis{
		NodeToStatus: framework.NodeToStatus{
			"a": unsched("Insufficient cpu"), "b": unsched("Insufficient cpu", "Insufficient memory"),
			"c": unsched("Insufficient cpu"),
			"d": framework.NewStatus(framework.UnschedulableAndUnresolvable, "node(s) had untolerated taint {key: value}"),
			"e": framework.NewStatus(framework.UnschedulableAndUnresolvable, "node(s) had untolerated taint {key: value}"),
		},
		PostFilterMsg: "preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
	}}
	want := "0/5 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {key: value}, 3 Insufficient cpu. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling."
	if got := e.Error(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if !errors.Is(e, framework.ErrUnschedulable) {
		t.Error("FitError must match ErrUnschedulable")
	}
	pre := &framework.FitError{NumAllNodes: 3, Diagnosis: framework.Diagnosis{PreFilterMsg: "waiting", NodeToStatus: framework.NodeToStatus{"a": unsched("waiting")}}}
	if got := pre.Error(); got != "0/3 nodes are available: waiting." {
		t.Errorf("prefilter message: %q", got)
	}
}

// fakePlugin is a configurable plugin for runner tests.
type fakePlugin struct {
	name    string
	reject  map[string]*framework.Status // filter result per node
	score   map[string]int64
	narrow  map[string]struct{}
	calls   *[]string
	permit  *framework.Status
	timeout time.Duration
}

func (p *fakePlugin) Name() string { return p.name }
func (p *fakePlugin) Less(a, b *framework.QueuedPodInfo) bool {
	return a.Timestamp.Before(b.Timestamp)
}
func (p *fakePlugin) PreFilter(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, _ []*framework.NodeInfo) (*framework.PreFilterResult, *framework.Status) {
	if p.narrow != nil {
		return &framework.PreFilterResult{NodeNames: p.narrow}, nil
	}
	return nil, nil
}
func (p *fakePlugin) PreFilterExtensions() framework.PreFilterExtensions { return nil }
func (p *fakePlugin) Filter(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	if p.calls != nil {
		*p.calls = append(*p.calls, ni.Name())
	}
	return p.reject[ni.Name()]
}
func (p *fakePlugin) Score(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	return p.score[ni.Name()], nil
}
func (p *fakePlugin) ScoreExtensions() framework.ScoreExtensions { return nil }
func (p *fakePlugin) Bind(context.Context, *framework.CycleState, *corev1.Pod, string) *framework.Status {
	return nil
}
func (p *fakePlugin) Permit(context.Context, *framework.CycleState, *corev1.Pod, string) (*framework.Status, time.Duration) {
	return p.permit, p.timeout
}

func newFramework(t *testing.T, pls []*fakePlugin, pct int32, opts framework.Options) *framework.Framework {
	t.Helper()
	r := framework.Registry{}
	prof := framework.Profile{SchedulerName: "test", PercentageOfNodesToScore: pct}
	for i, p := range pls {
		p := p
		r[p.name] = func(any, framework.Handle) (framework.Plugin, error) { return p, nil }
		var pts framework.ExtensionPoint
		if i == 0 {
			pts = framework.PointQueueSort | framework.PointBind
		} else {
			pts = framework.PointPreFilter | framework.PointFilter | framework.PointScore | framework.PointPermit
		}
		prof.Plugins = append(prof.Plugins, framework.PluginConfig{Name: p.name, Points: pts, Weight: int32(i)})
	}
	f, err := framework.New(r, prof, opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func snapshotOf(t *testing.T, n int) *framework.Snapshot {
	s := framework.NewSnapshot()
	for i := 0; i < n; i++ {
		if err := s.AddNode(st.Node(fmt.Sprintf("n%03d", i)).Obj()); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestSchedulePodSamplingRotates(t *testing.T) {
	var calls []string
	f := newFramework(t, []*fakePlugin{{name: "base"}, {name: "f", calls: &calls}}, 0, framework.Options{})
	snap := snapshotOf(t, 1000) // adaptive: 42% -> 420 feasible nodes wanted
	pod := st.Pod("p").Obj()
	res, err := f.SchedulePod(context.Background(), framework.NewCycleState(), pod, snap)
	if err != nil {
		t.Fatal(err)
	}
	if res.EvaluatedNodes != 420 || res.FeasibleNodes != 420 || len(calls) != 420 || calls[0] != "n000" {
		t.Fatalf("first cycle: evaluated %d feasible %d calls %d first %q", res.EvaluatedNodes, res.FeasibleNodes, len(calls), calls[0])
	}
	calls = nil
	if _, err := f.SchedulePod(context.Background(), framework.NewCycleState(), pod, snap); err != nil {
		t.Fatal(err)
	}
	if calls[0] != "n420" || calls[len(calls)-1] != "n839" {
		t.Errorf("second cycle must start where the first stopped: %q..%q", calls[0], calls[len(calls)-1])
	}
	calls = nil
	f.SchedulePod(context.Background(), framework.NewCycleState(), pod, snap)
	if calls[0] != "n840" || calls[len(calls)-1] != "n259" {
		t.Errorf("third cycle must wrap around: %q..%q", calls[0], calls[len(calls)-1])
	}
}

func TestSchedulePodScoresAndErrors(t *testing.T) {
	rej := framework.NewStatus(framework.Unschedulable, "nope")
	f := newFramework(t, []*fakePlugin{{name: "base"}, {name: "f",
		reject: map[string]*framework.Status{"n000": rej},
		score:  map[string]int64{"n001": 10, "n002": 30, "n003": 20}}}, 100, framework.Options{RecordScores: true})
	snap := snapshotOf(t, 4)
	res, err := f.SchedulePod(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), snap)
	if err != nil {
		t.Fatal(err)
	}
	if res.SuggestedHost != "n002" || res.FeasibleNodes != 3 {
		t.Errorf("got %+v, want n002 of 3 feasible", res)
	}
	if res.Scores[1].TotalScore != 30 { // weight 1
		t.Errorf("scores %+v", res.Scores)
	}
	// Every node rejected: a FitError naming the plugin.
	f2 := newFramework(t, []*fakePlugin{{name: "base"}, {name: "f", reject: map[string]*framework.Status{"n000": rej, "n001": rej, "n002": rej, "n003": rej}}}, 0, framework.Options{})
	_, err = f2.SchedulePod(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), snap)
	var fe *framework.FitError
	if !errors.As(err, &fe) || fe.Error() != "0/4 nodes are available: 4 nope." {
		t.Fatalf("err = %v", err)
	}
	if _, ok := fe.Diagnosis.UnschedulablePlugins["f"]; !ok || fe.Diagnosis.NodeToStatus["n001"].Plugin() != "f" {
		t.Errorf("diagnosis does not name the plugin: %+v", fe.Diagnosis)
	}
	// PreFilter narrowing: other nodes get an unresolvable status.
	f3 := newFramework(t, []*fakePlugin{{name: "base"}, {name: "f", narrow: map[string]struct{}{"n003": {}}, reject: map[string]*framework.Status{"n003": rej}}}, 0, framework.Options{})
	_, err = f3.SchedulePod(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), snap)
	if err == nil || err.Error() != "0/4 nodes are available: 1 nope, 3 node(s) didn't satisfy plugin(s) [f]." {
		t.Errorf("narrowed: %v", err)
	}
	if _, err := f.SchedulePod(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), framework.NewSnapshot()); !errors.Is(err, framework.ErrNoNodesAvailable) {
		t.Errorf("empty snapshot: %v", err)
	}
}

// TestParallelizerSameOutcome: whatever order and interleaving a Parallelizer evaluates the
// chunks of nodes in, a cycle's outcome (nodes evaluated and feasible, the rotation of the
// sample, the scores, the chosen node, the diagnosis of a pod that fits nowhere) is that of
// the sequential scan.
func TestParallelizerSameOutcome(t *testing.T) {
	rej := framework.NewStatus(framework.Unschedulable, "nope")
	every := func(k int) map[string]*framework.Status {
		m := map[string]*framework.Status{}
		for i := 0; i < 1000; i += k {
			m[fmt.Sprintf("n%03d", i)] = rej
		}
		return m
	}
	scores := map[string]int64{}
	for i := 0; i < 1000; i++ {
		scores[fmt.Sprintf("n%03d", i)] = int64(i*7919) % 13
	}
	interleaved := func(workers int) framework.Parallelizer {
		return func(_ context.Context, n int, work func(int)) {
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := w; i < n; i += workers {
						work(i)
					}
				}(w)
			}
			wg.Wait()
		}
	}
	reversed := func(_ context.Context, n int, work func(int)) {
		for i := n - 1; i >= 0; i-- {
			work(i)
		}
	}
	pars := map[string]framework.Parallelizer{"interleaved-4": interleaved(4), "interleaved-2": interleaved(2), "reversed": reversed}
	cases := []struct {
		name   string
		reject map[string]*framework.Status
		pct    int32
	}{
		{"every third rejected, sampled", every(3), 0},
		{"every third rejected, all nodes", every(3), 100},
		{"most rejected, sampled", func() map[string]*framework.Status {
			m := every(1)
			for i := 0; i < 1000; i += 97 {
				delete(m, fmt.Sprintf("n%03d", i))
			}
			return m
		}(), 0},
		{"all rejected", every(1), 0},
	}
	for _, tc := range cases {
		for pname, par := range pars {
			t.Run(tc.name+"/"+pname, func(t *testing.T) {
				pls := func() []*fakePlugin {
					return []*fakePlugin{{name: "base"}, {name: "f", reject: tc.reject, score: scores}}
				}
				seq := newFramework(t, pls(), tc.pct, framework.Options{RecordScores: true})
				pf := newFramework(t, pls(), tc.pct, framework.Options{Parallelizer: par, RecordScores: true})
				snap := snapshotOf(t, 1000)
				for i := 0; i < 4; i++ {
					a, err1 := seq.SchedulePod(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), snap)
					b, err2 := pf.SchedulePod(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), snap)
					if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
						t.Fatalf("cycle %d: sequential error %v, parallel %v", i, err1, err2)
					}
					if d := cmp.Diff(a, b); d != "" {
						t.Errorf("cycle %d: parallel differs from sequential (-seq +par):\n%s", i, d)
					}
					var fa, fb *framework.FitError
					if errors.As(err1, &fa) && errors.As(err2, &fb) {
						if d := cmp.Diff(len(fa.Diagnosis.NodeToStatus), len(fb.Diagnosis.NodeToStatus)); d != "" {
							t.Errorf("cycle %d: rejected nodes (-seq +par):\n%s", i, d)
						}
					}
				}
			})
		}
	}
}

func TestNewFrameworkErrors(t *testing.T) {
	p := &fakePlugin{name: "p"}
	r := framework.Registry{"p": func(any, framework.Handle) (framework.Plugin, error) { return p, nil }}
	tests := []struct {
		name string
		prof framework.Profile
		want error
	}{
		{"unknown plugin", framework.Profile{Plugins: []framework.PluginConfig{{Name: "x"}}}, framework.ErrUnknownPlugin},
		{"duplicate", framework.Profile{Plugins: []framework.PluginConfig{{Name: "p"}, {Name: "p"}}}, framework.ErrDuplicatePlugin},
		{"no queue sort", framework.Profile{Plugins: []framework.PluginConfig{{Name: "p", Points: framework.PointFilter | framework.PointBind}}}, framework.ErrInvalidProfile},
		{"no binder", framework.Profile{Plugins: []framework.PluginConfig{{Name: "p", Points: framework.PointQueueSort}}}, framework.ErrInvalidProfile},
		{"negative weight", framework.Profile{Plugins: []framework.PluginConfig{{Name: "p", Weight: -1}}}, framework.ErrInvalidProfile},
		{"bad percentage", framework.Profile{PercentageOfNodesToScore: 101, Plugins: []framework.PluginConfig{{Name: "p"}}}, framework.ErrInvalidProfile},
		{"point not implemented", framework.Profile{Plugins: []framework.PluginConfig{{Name: "p", Points: framework.PointReserve}}}, framework.ErrInvalidProfile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := framework.New(r, tc.prof, framework.Options{}); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestPermitWaitingPod(t *testing.T) {
	fc := clock.NewFake(time.Unix(1000, 0))
	f := newFramework(t, []*fakePlugin{{name: "base"}, {name: "gang", permit: framework.NewStatus(framework.Wait), timeout: 10 * time.Second}}, 0, framework.Options{Clock: fc})
	pod := st.Pod("p").Obj()
	s, w := f.RunPermitPlugins(context.Background(), framework.NewCycleState(), pod, "n")
	if !s.IsWait() || w == nil {
		t.Fatalf("status %v", s)
	}
	if got := w.Status(fc.Now()); !got.IsWait() {
		t.Errorf("before deadline: %v", got)
	}
	if got := w.Status(fc.Now().Add(10 * time.Second)); got.Code() != framework.Unschedulable || got.Plugin() != "gang" {
		t.Errorf("at deadline: %v", got)
	}
	w.Allow("gang")
	if got := w.Status(fc.Now()); !got.IsSuccess() {
		t.Errorf("after allow: %v", got)
	}
	w.Reject("gang", "no quorum")
	if got := w.Status(fc.Now()); got.Code() != framework.Unschedulable || got.Message() != "no quorum" {
		t.Errorf("after reject: %v", got)
	}
}

func TestStatus(t *testing.T) {
	var nilStatus *framework.Status
	if !nilStatus.IsSuccess() || nilStatus.AsError() != nil || nilStatus.Code() != framework.Success {
		t.Error("nil status must be success")
	}
	s := framework.NewStatus(framework.UnschedulableAndUnresolvable, "a", "b").WithPlugin("P")
	if !s.IsRejected() || s.Message() != "a, b" || !errors.Is(s.AsError(), framework.ErrUnschedulable) || s.String() != "UnschedulableAndUnresolvable(P): a, b" {
		t.Errorf("status %v", s)
	}
	base := errors.New("boom")
	if e := framework.AsStatus(base); !errors.Is(e.AsError(), base) || e.Code() != framework.Error {
		t.Errorf("AsStatus lost the error: %v", e)
	}
}

func TestWaitOnPermit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		act      func(f *framework.Framework, fc *clock.Fake, pod *corev1.Pod)
		wantCode framework.Code
		wantMsg  string
	}{
		{"allowed through the handle", func(f *framework.Framework, _ *clock.Fake, pod *corev1.Pod) {
			f.GetWaitingPod(pod.UID).Allow("gang")
		}, framework.Success, ""},
		{"rejected by a plugin", func(f *framework.Framework, _ *clock.Fake, pod *corev1.Pod) {
			f.IterateOverWaitingPods(func(w *framework.WaitingPod) { w.Reject("gang", "gang broken") })
		}, framework.Unschedulable, "gang broken"},
		{"timed out on the clock", func(_ *framework.Framework, fc *clock.Fake, _ *corev1.Pod) {
			fc.Step(10 * time.Second)
		}, framework.Unschedulable, "rejected due to timeout after waiting 10s at plugin gang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc := clock.NewFake(time.Unix(1000, 0))
			f := newFramework(t, []*fakePlugin{{name: "base"}, {name: "gang", permit: framework.NewStatus(framework.Wait), timeout: 10 * time.Second}}, 0, framework.Options{Clock: fc})
			pod := st.Pod("p").Obj()
			s, w := f.RunPermitPlugins(context.Background(), framework.NewCycleState(), pod, "n")
			if !s.IsWait() || f.GetWaitingPod(pod.UID) != w {
				t.Fatalf("status %v, registered %v", s, f.GetWaitingPod(pod.UID))
			}
			done := make(chan *framework.Status, 1)
			go func() { done <- f.WaitOnPermit(context.Background(), w) }()
			tc.act(f, fc, pod)
			got := <-done
			if got.Code() != tc.wantCode || got.Message() != tc.wantMsg {
				t.Errorf("WaitOnPermit = %v, want %v %q", got, tc.wantCode, tc.wantMsg)
			}
			if f.GetWaitingPod(pod.UID) != nil {
				t.Error("pod still registered as waiting")
			}
		})
	}
	t.Run("context ends", func(t *testing.T) {
		fc := clock.NewFake(time.Unix(1000, 0))
		f := newFramework(t, []*fakePlugin{{name: "base"}, {name: "gang", permit: framework.NewStatus(framework.Wait), timeout: time.Minute}}, 0, framework.Options{Clock: fc})
		_, w := f.RunPermitPlugins(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), "n")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if got := f.WaitOnPermit(ctx, w); got.Code() != framework.Error || !errors.Is(got.AsError(), context.Canceled) {
			t.Errorf("WaitOnPermit = %v, want Error wrapping context.Canceled", got)
		}
	})
}

func TestPodInfoPriority(t *testing.T) {
	tests := []struct {
		name string
		pi   *framework.PodInfo
		want int32
	}{
		{"from NewPodInfo", framework.MustPodInfo(st.Pod("p").Priority(7).Obj()), 7},
		{"unset", framework.MustPodInfo(st.Pod("p").Obj()), 0},
		{"negative", framework.MustPodInfo(st.Pod("p").Priority(-3).Obj()), -3},
		{"built without NewPodInfo", &framework.PodInfo{Pod: st.Pod("p").Priority(9).Obj()}, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.pi.Priority(); got != tc.want {
				t.Errorf("Priority() = %d, want %d", got, tc.want)
			}
		})
	}
}

// slotsSeer is a PreScore plugin that checks CycleState.NodeSlots against the nodes.
type slotsSeer struct {
	t     *testing.T
	calls int
	known int
}

func (p *slotsSeer) Name() string { return "slotsSeer" }
func (p *slotsSeer) PreScore(_ context.Context, state *framework.CycleState, _ *corev1.Pod, nodes []*framework.NodeInfo) *framework.Status {
	p.calls++
	slots := state.NodeSlots()
	if slots == nil {
		return nil
	}
	p.known++
	if len(slots) != len(nodes) {
		p.t.Errorf("%d slots for %d nodes", len(slots), len(nodes))
		return nil
	}
	for i, ni := range nodes {
		if int(slots[i]) != ni.Slot() {
			p.t.Errorf("node %s: slot %d, NodeSlots says %d", ni.Name(), ni.Slot(), slots[i])
		}
	}
	return nil
}

// TestNodeSlots: PreScore sees the slots of the nodes it is given (sampled from the whole
// snapshot), and none when PreFilter narrowed the nodes.
func TestNodeSlots(t *testing.T) {
	seer := &slotsSeer{t: t}
	narrow := &fakePlugin{name: "narrow"}
	r := framework.Registry{
		"base":      func(any, framework.Handle) (framework.Plugin, error) { return &fakePlugin{name: "base"}, nil },
		"narrow":    func(any, framework.Handle) (framework.Plugin, error) { return narrow, nil },
		"slotsSeer": func(any, framework.Handle) (framework.Plugin, error) { return seer, nil },
	}
	prof := framework.Profile{SchedulerName: "test", Plugins: []framework.PluginConfig{
		{Name: "base", Points: framework.PointQueueSort | framework.PointBind},
		{Name: "narrow", Points: framework.PointPreFilter | framework.PointFilter},
		{Name: "slotsSeer", Points: framework.PointPreScore}}}
	f, err := framework.New(r, prof, framework.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshotOf(t, 300)
	for i := 0; i < 20; i += 3 { // removals make list order and slots differ
		if err := snap.RemoveNode(fmt.Sprintf("n%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 4; i++ {
		if _, err := f.SchedulePod(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), snap); err != nil {
			t.Fatal(err)
		}
	}
	narrow.narrow = map[string]struct{}{"n100": {}, "n101": {}, "n102": {}}
	if _, err := f.SchedulePod(context.Background(), framework.NewCycleState(), st.Pod("p").Obj(), snap); err != nil {
		t.Fatal(err)
	}
	if seer.calls != 5 || seer.known != 4 {
		t.Errorf("PreScore ran %d times, with slots %d times; want 5 and 4", seer.calls, seer.known)
	}
}
