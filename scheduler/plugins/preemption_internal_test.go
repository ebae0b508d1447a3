package plugins

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/scheduler/framework"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

// victim is a pod of priority prio started at second sec.
func victim(name string, prio int32, sec int64) *framework.PodInfo {
	p := st.Pod(name).Priority(prio).Obj()
	ts := meta.NewTime(time.Unix(sec, 0))
	p.Status.StartTime = &ts
	return framework.MustPodInfo(p)
}

// cand builds a candidate; victims must be given most important first, as selectVictims
// returns them.
func cand(node string, violations int, victims ...*framework.PodInfo) candidate {
	return candidate{node: node, victims: victims, pdbViolations: violations}
}

// Kubernetes' candidate order: fewest PDB violations, lowest highest-victim priority, lowest
// sum of victim priorities, fewest victims, latest start of the highest-priority victims,
// then the first candidate. Each case makes one criterion decide while a later one would
// decide the other way, so the precedence is tested too.
func TestPickCandidateOrder(t *testing.T) {
	tests := []struct {
		name  string
		cands []candidate
		want  string
	}{
		{
			name: "fewest PDB violations beats a lower victim priority",
			cands: []candidate{
				cand("a", 1, victim("a1", 1, 0)),
				cand("b", 0, victim("b1", 50, 0)),
			},
			want: "b",
		},
		{
			name: "lowest highest-victim priority beats fewer victims and a lower sum",
			cands: []candidate{
				cand("a", 0, victim("a1", 10, 0)),
				cand("b", 0, victim("b1", 9, 0), victim("b2", 9, 0), victim("b3", 9, 0)),
			},
			want: "b",
		},
		{
			name: "lowest priority sum beats fewer victims",
			cands: []candidate{
				cand("a", 0, victim("a1", 5, 0), victim("a2", 5, 0)),
				cand("b", 0, victim("b1", 5, 0), victim("b2", 1, 0), victim("b3", 1, 0)),
			},
			// Sums with the MaxInt32+1 offset per victim: a = 2*2^31+10, b = 3*2^31+7, so a wins:
			// the offset makes every victim count, as in kube-scheduler.
			want: "a",
		},
		{
			name: "negative priorities: the offset keeps the sum positive per victim",
			cands: []candidate{
				cand("a", 0, victim("a1", -5, 0), victim("a2", -5, 0)),
				cand("b", 0, victim("b1", -5, 0)),
			},
			want: "b",
		},
		{
			name: "fewest victims beats a later start",
			cands: []candidate{
				cand("a", 0, victim("a1", 5, 100), victim("a2", 0, 100)),
				cand("b", 0, victim("b1", 5, 10), victim("b2", 0, 10)),
				cand("c", 0, victim("c1", 5, 1)),
			},
			// a and b tie on top priority 5 but c has the lowest sum (one victim fewer).
			want: "c",
		},
		{
			name: "latest start among the highest-priority victims",
			cands: []candidate{
				cand("a", 0, victim("a1", 5, 100), victim("a2", 5, 300)),
				cand("b", 0, victim("b1", 5, 200), victim("b2", 5, 200)),
			},
			// a's earliest top-priority start is 100, b's is 200: b's victims started later.
			want: "b",
		},
		{
			name: "start times of lower-priority victims do not count",
			cands: []candidate{
				cand("a", 0, victim("a1", 5, 100), victim("a2", 1, 900)),
				cand("b", 0, victim("b1", 5, 200), victim("b2", 1, 0)),
			},
			want: "b",
		},
		{
			name: "complete tie: the first candidate",
			cands: []candidate{
				cand("a", 0, victim("a1", 5, 100)),
				cand("b", 0, victim("b1", 5, 100)),
			},
			want: "a",
		},
		{
			name: "violations equal: the rest of the order decides",
			cands: []candidate{
				cand("a", 2, victim("a1", 7, 0)),
				cand("b", 2, victim("b1", 3, 0)),
			},
			want: "b",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pickCandidate(tc.cands).node; got != tc.want {
				t.Errorf("picked %q, want %q", got, tc.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestDefaultPreemptionArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    *DefaultPreemptionArgs
		nodes   int
		want    int
		wantErr bool
	}{
		{name: "defaults, small cluster: every node", nodes: 50, want: 50},
		{name: "defaults, 1000 nodes: the absolute 100", nodes: 1000, want: 100},
		{name: "defaults, 5000 nodes: 10%", nodes: 5000, want: 500},
		{name: "percentage only", args: &DefaultPreemptionArgs{MinCandidateNodesPercentage: ptr[int32](30), MinCandidateNodesAbsolute: ptr[int32](0)}, nodes: 10, want: 3},
		{name: "absolute only", args: &DefaultPreemptionArgs{MinCandidateNodesPercentage: ptr[int32](0), MinCandidateNodesAbsolute: ptr[int32](7)}, nodes: 1000, want: 7},
		{name: "percentage rounds down, absolute floor", args: &DefaultPreemptionArgs{MinCandidateNodesPercentage: ptr[int32](1), MinCandidateNodesAbsolute: ptr[int32](1)}, nodes: 150, want: 1},
		{name: "percentage over 100", args: &DefaultPreemptionArgs{MinCandidateNodesPercentage: ptr[int32](101)}, wantErr: true},
		{name: "negative percentage", args: &DefaultPreemptionArgs{MinCandidateNodesPercentage: ptr[int32](-1)}, wantErr: true},
		{name: "negative absolute", args: &DefaultPreemptionArgs{MinCandidateNodesAbsolute: ptr[int32](-1)}, wantErr: true},
		{name: "both zero", args: &DefaultPreemptionArgs{MinCandidateNodesPercentage: ptr[int32](0), MinCandidateNodesAbsolute: ptr[int32](0)}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewDefaultPreemption(tc.args, nil)
			if tc.wantErr {
				if !errors.Is(err, ErrInvalidArgs) {
					t.Fatalf("error %v, want ErrInvalidArgs", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := p.numCandidates(tc.nodes); got != tc.want {
				t.Errorf("numCandidates(%d) = %d, want %d", tc.nodes, got, tc.want)
			}
		})
	}
}

// Sampling: with MinCandidateNodesAbsolute 2 on 10 identical nodes, a call dry-runs only until
// it holds 2 candidates, and the next call starts after them, so successive calls walk the
// whole cluster; a node whose only candidate violates a budget does not end the search
// before a non-violating one is found.
func TestDefaultPreemptionSampling(t *testing.T) {
	var nodes []*corev1.Node
	var pods []*corev1.Pod
	for i := 0; i < 10; i++ {
		n := string(rune('a' + i))
		nodes = append(nodes, st.Node(n).Capacity("cpu", "2").Obj())
		// Node i's victim has priority 10-i: later nodes are cheaper to preempt, so a
		// non-sampled search would always pick node j.
		pods = append(pods, st.Pod("v"+n).Node(n).Req("cpu", "2").Priority(int32(10-i)).Obj())
	}
	snap := framework.NewSnapshot()
	for _, n := range nodes {
		if err := snap.AddNode(n); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pods {
		if err := snap.AddPod(framework.MustPodInfo(p)); err != nil {
			t.Fatal(err)
		}
	}
	prof, _ := WithArgs(DefaultProfile(), NameDefaultPreemption, &DefaultPreemptionArgs{
		MinCandidateNodesPercentage: ptr[int32](0), MinCandidateNodesAbsolute: ptr[int32](2)})
	f, err := framework.New(NewRegistry(RegistryOptions{Binder: BinderFunc(nil)}), prof, framework.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pod := st.Pod("p").Req("cpu", "2").Priority(100).Obj()
	var got []string
	for i := 0; i < 6; i++ {
		state := framework.NewCycleState()
		_, err := f.SchedulePod(t.Context(), state, pod, snap)
		var fe *framework.FitError
		if !errors.As(err, &fe) {
			t.Fatalf("SchedulePod: %v, want a FitError", err)
		}
		res, s := f.RunPostFilterPlugins(t.Context(), state, pod, fe.Diagnosis.NodeToStatus)
		if !s.IsSuccess() {
			t.Fatal(s)
		}
		got = append(got, res.NominatedNodeName)
	}
	// Windows {a,b}, {c,d}, {e,f}, {g,h}, {i,j}, {a,b}: the cheaper node of each.
	want := []string{"b", "d", "f", "h", "j", "b"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("nominated nodes (-want +got):\n%s", d)
	}
}

// A candidate that violates a PodDisruptionBudget does not end the search: it goes on until a
// non-violating candidate is found, as kube-scheduler's dry run does.
func TestDefaultPreemptionSamplingWantsNonViolating(t *testing.T) {
	snap := framework.NewSnapshot()
	for _, n := range []string{"a", "b", "c", "d"} {
		if err := snap.AddNode(st.Node(n).Capacity("cpu", "2").Obj()); err != nil {
			t.Fatal(err)
		}
	}
	pods := []*corev1.Pod{
		st.Pod("va").Label("protected", "yes").Node("a").Req("cpu", "2").Priority(1).Obj(),
		st.Pod("vb").Node("b").Req("cpu", "2").Priority(5).Obj(),
		st.Pod("vc").Node("c").Req("cpu", "2").Priority(1).Obj(),
		st.Pod("vd").Node("d").Req("cpu", "2").Priority(1).Obj(),
	}
	for _, p := range pods {
		if err := snap.AddPod(framework.MustPodInfo(p)); err != nil {
			t.Fatal(err)
		}
	}
	snap.SetPDB(&policyv1.PodDisruptionBudget{ObjectMeta: meta.ObjectMeta{Name: "b", Namespace: "default"},
		Spec: policyv1.PodDisruptionBudgetSpec{Selector: &meta.LabelSelector{MatchLabels: map[string]string{"protected": "yes"}}}})
	prof, _ := WithArgs(DefaultProfile(), NameDefaultPreemption, &DefaultPreemptionArgs{
		MinCandidateNodesPercentage: ptr[int32](0), MinCandidateNodesAbsolute: ptr[int32](1)})
	f, err := framework.New(NewRegistry(RegistryOptions{Binder: BinderFunc(nil)}), prof, framework.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pod := st.Pod("p").Req("cpu", "2").Priority(100).Obj()
	var got []string
	for i := 0; i < 3; i++ {
		state := framework.NewCycleState()
		_, err := f.SchedulePod(t.Context(), state, pod, snap)
		var fe *framework.FitError
		if !errors.As(err, &fe) {
			t.Fatalf("SchedulePod: %v, want a FitError", err)
		}
		res, s := f.RunPostFilterPlugins(t.Context(), state, pod, fe.Diagnosis.NodeToStatus)
		if !s.IsSuccess() {
			t.Fatal(s)
		}
		got = append(got, res.NominatedNodeName)
	}
	// First call: a (violating) then b (non-violating, enough): b, though a's victim is
	// cheaper. Then c alone, then d alone.
	if d := cmp.Diff([]string{"b", "c", "d"}, got); d != "" {
		t.Errorf("nominated nodes (-want +got):\n%s", d)
	}
}
