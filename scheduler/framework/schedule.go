package framework

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// Sampling constants of kube-scheduler: below MinFeasibleNodesToFind nodes every node is
// evaluated; the adaptive percentage is DefaultPercentageBase minus one per
// AdaptiveNodesPerPercent nodes, at least MinFeasibleNodesPercentageToFind.
const (
	MinFeasibleNodesToFind           = 100
	MinFeasibleNodesPercentageToFind = 5
	DefaultPercentageBase            = 50
	AdaptiveNodesPerPercent          = 125
)

// ErrNoNodesAvailable: the snapshot has no nodes.
var ErrNoNodesAvailable = errors.New("no nodes available to schedule pods")

// Diagnosis records why nodes were rejected.
type Diagnosis struct {
	// NodeToStatus holds the rejecting status of every evaluated, rejected node.
	NodeToStatus NodeToStatus
	// UnschedulablePlugins are the plugins that rejected a node (for requeueing on events).
	UnschedulablePlugins map[string]struct{}
	// PreFilterMsg is set when a PreFilter plugin rejected the pod for all nodes.
	PreFilterMsg string
	// PostFilterMsg is the PostFilter (preemption) outcome.
	PostFilterMsg string
}

// FitError is returned when no node fits; Error() is kube-scheduler's message.
type FitError struct {
	Pod         *corev1.Pod
	NumAllNodes int
	Diagnosis   Diagnosis
}

// Error renders "0/N nodes are available: 3 Insufficient cpu, 2 node(s) ... ." followed by
// the PostFilter message. Reasons are counted per node and sorted as strings.
func (e *FitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "0/%d nodes are available:", e.NumAllNodes)
	if e.Diagnosis.PreFilterMsg != "" {
		fmt.Fprintf(&b, " %s.", e.Diagnosis.PreFilterMsg)
	} else if hist := ReasonHistogram(e.Diagnosis.NodeToStatus); len(hist) > 0 {
		fmt.Fprintf(&b, " %s.", strings.Join(hist, ", "))
	}
	if e.Diagnosis.PostFilterMsg != "" {
		fmt.Fprintf(&b, " %s", e.Diagnosis.PostFilterMsg)
	}
	return b.String()
}

// Is makes FitError match ErrUnschedulable.
func (e *FitError) Is(target error) bool { return target == ErrUnschedulable }

// ReasonHistogram counts each reason over the nodes and renders "<count> <reason>", sorted.
func ReasonHistogram(m NodeToStatus) []string {
	counts := map[string]int{}
	for _, s := range m {
		for _, r := range s.Reasons() {
			counts[r]++
		}
	}
	out := make([]string, 0, len(counts))
	for r, n := range counts {
		out = append(out, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(out)
	return out
}

// ScheduleResult is the outcome of a successful SchedulePod.
type ScheduleResult struct {
	// SuggestedHost is the chosen node.
	SuggestedHost string
	// EvaluatedNodes counts nodes run through Filter (feasible or not).
	EvaluatedNodes int
	// FeasibleNodes counts the nodes that passed.
	FeasibleNodes int
	// Scores of the feasible nodes (nil when only one was feasible: it is not scored). They
	// live in buffers the Framework reuses: valid until its next SchedulePod or
	// RunScorePlugins.
	Scores []NodePluginScores
}

// NumFeasibleNodesToFind is how many feasible nodes a cycle looks for among numAllNodes,
// given the profile's percentage (0 = adaptive), as kube-scheduler computes it.
func NumFeasibleNodesToFind(percentage int32, numAllNodes int) int {
	if numAllNodes < MinFeasibleNodesToFind || percentage >= 100 {
		return numAllNodes
	}
	p := int(percentage)
	if p <= 0 {
		p = DefaultPercentageBase - numAllNodes/AdaptiveNodesPerPercent
		if p < MinFeasibleNodesPercentageToFind {
			p = MinFeasibleNodesPercentageToFind
		}
	}
	n := numAllNodes * p / 100
	if n < MinFeasibleNodesToFind {
		return MinFeasibleNodesToFind
	}
	return n
}

// SchedulePod runs one scheduling cycle's decision for pod on snap: PreFilter, Filter over a
// sample of nodes starting where the previous cycle stopped, PreScore, Score, and the choice
// of the best node (ties broken at random with Options.Rand). It does not run PostFilter,
// Reserve or later steps: the caller does, so that a driver can assume the pod in between.
// A pod that fits nowhere yields a *FitError (errors.Is ErrUnschedulable).
func (f *Framework) SchedulePod(ctx context.Context, state *CycleState, pod *corev1.Pod, snap *Snapshot) (ScheduleResult, error) {
	f.SetSnapshot(snap)
	all := snap.NodeInfos()
	if len(all) == 0 {
		return ScheduleResult{}, ErrNoNodesAvailable
	}
	diag := Diagnosis{NodeToStatus: NodeToStatus{}, UnschedulablePlugins: map[string]struct{}{}}
	cc, err := f.classFor(pod, snap.NumSlots())
	if err != nil {
		return ScheduleResult{}, err
	}
	state.class = cc
	pre, s, narrowing := f.RunPreFilterPlugins(ctx, state, pod)
	if !s.IsSuccess() {
		if !s.IsRejected() {
			return ScheduleResult{}, s.AsError()
		}
		for _, ni := range all {
			diag.NodeToStatus[ni.Name()] = s
		}
		diag.PreFilterMsg = s.Message()
		diag.UnschedulablePlugins[s.Plugin()] = struct{}{}
		return ScheduleResult{}, &FitError{Pod: pod, NumAllNodes: len(all), Diagnosis: diag}
	}

	f.prepareFilterCache(state)

	candidates := all
	sample := true
	if !pre.AllNodes() {
		sample = false
		candidates = make([]*NodeInfo, 0, len(pre.NodeNames))
		absent := NewStatus(UnschedulableAndUnresolvable, fmt.Sprintf("node(s) didn't satisfy plugin(s) [%s]", strings.Join(narrowing, " ")))
		for _, ni := range all {
			if _, ok := pre.NodeNames[ni.Name()]; ok {
				candidates = append(candidates, ni)
			} else {
				diag.NodeToStatus[ni.Name()] = absent
			}
		}
		for _, n := range narrowing {
			diag.UnschedulablePlugins[n] = struct{}{}
		}
	}

	feasible, evaluated, err := f.findFeasible(ctx, state, pod, candidates, sample, &diag)
	if err != nil {
		return ScheduleResult{}, err
	}
	if len(feasible) == 0 {
		return ScheduleResult{EvaluatedNodes: evaluated}, &FitError{Pod: pod, NumAllNodes: len(all), Diagnosis: diag}
	}
	res := ScheduleResult{EvaluatedNodes: evaluated, FeasibleNodes: len(feasible)}
	if len(feasible) == 1 {
		res.SuggestedHost = feasible[0].Name()
		return res, nil
	}
	if s := f.RunPreScorePlugins(ctx, state, pod, feasible); !s.IsSuccess() {
		return res, s.AsError()
	}
	scores, s := f.RunScorePlugins(ctx, state, pod, feasible)
	if !s.IsSuccess() {
		return res, s.AsError()
	}
	res.Scores = scores
	res.SuggestedHost = f.selectHost(scores)
	return res, nil
}

// filterChunk is how many consecutive candidates one parallel work item filters: with the
// verdicts cached a node costs tens of nanoseconds, so handing out single nodes would spend
// more on the hand-out (a closure call and shared counters per node) than on the work.
const filterChunk = 64

// parallelMinWork is how many nodes needing plugin calls (verdicts or raw scores not cached)
// make handing a cycle's nodes to the Parallelizer worth it. Below it, starting and waking
// goroutines costs more CPU than the work: with the class caches warm, a sampled cycle at
// 5000 nodes took twice the CPU (and more wall time) on two workers than on one.
const parallelMinWork = 2 * filterChunk

// parallelWork decides whether n nodes go to the Parallelizer: when there is one, the nodes
// are more than a chunk, and the class's last cycle (misses reads its count) needed plugin
// calls for at least parallelMinWork nodes, or its caches are off or cold. The outcome of a
// cycle is the same either way.
func (f *Framework) parallelWork(n int, cc *classCache, cached bool, misses func(*classCache) int32) bool {
	if f.opts.Parallelizer == nil || n <= filterChunk {
		return false
	}
	if cc == nil || !cached {
		return true
	}
	m := misses(cc)
	return m < 0 || m >= parallelMinWork
}

// findFeasible filters candidates, stopping after enough feasible nodes when sampling; the
// next cycle starts after the last node this one evaluated. The outcome (feasible nodes, in
// order, and the statuses of the rejected ones before the cut) is that of a sequential scan
// from the start, whether or not a Parallelizer evaluates the nodes.
func (f *Framework) findFeasible(ctx context.Context, state *CycleState, pod *corev1.Pod, candidates []*NodeInfo, sample bool, diag *Diagnosis) ([]*NodeInfo, int, error) {
	n := len(candidates)
	want := n
	start := 0
	if sample {
		want = NumFeasibleNodesToFind(f.profile.PercentageOfNodesToScore, n)
		start = f.nextStart % n
	}
	at := func(i int) *NodeInfo { // the i-th candidate from start
		if j := start + i; j < n {
			return candidates[j]
		}
		return candidates[start+i-n]
	}
	feasible := f.feasibleBuf[:0]
	defer func() { f.feasibleBuf = feasible[:0] }()
	if len(f.filter) == 0 {
		for i := 0; i < want; i++ {
			feasible = append(feasible, at(i))
		}
		if sample {
			f.nextStart = (start + want) % n
		}
		return feasible, want, nil
	}
	reject := func(ni *NodeInfo, s *Status) {
		diag.NodeToStatus[ni.Name()] = s
		diag.UnschedulablePlugins[s.Plugin()] = struct{}{}
	}
	evaluated := 0
	var misses int32
	cc := state.class
	defer func() {
		if cc != nil && state.cacheFilters {
			cc.filterMisses = misses
		}
	}()
	if !f.parallelWork(n, cc, state.cacheFilters, func(cc *classCache) int32 { return cc.filterMisses }) {
		for i := 0; i < n && len(feasible) < want; i++ {
			ni := at(i)
			s := f.filterNode(ctx, state, pod, ni, &misses)
			evaluated = i + 1
			if s.IsSuccess() {
				feasible = append(feasible, ni)
				continue
			}
			if s.Code() == Error {
				return nil, evaluated, s.AsError()
			}
			reject(ni, s)
		}
		if sample {
			f.nextStart = (start + evaluated) % n
		}
		return feasible, evaluated, nil
	}
	// The per-candidate results live in buffers kept between cycles (a Framework runs one
	// cycle at a time): thousands of nodes per cycle made them a visible allocation cost.
	if cap(f.statusBuf) < n {
		f.statusBuf, f.fitsBuf = make([]*Status, n), make([]bool, n)
	}
	// The buffers are all zero between cycles: a cycle clears only the prefix it wrote
	// (clearing thousands of pointers per cycle showed in profiles).
	statuses, fits := f.statusBuf[:n], f.fitsBuf[:n]
	var found, parMisses atomic.Int32
	// written is past the highest index written, so that only that prefix is cleared.
	var written atomic.Int32
	defer func() {
		w := min(int(written.Load()), n)
		clear(statuses[:w])
		clear(fits[:w])
	}()
	f.parallel(ctx, (n+filterChunk-1)/filterChunk, func(c int) {
		if int(found.Load()) >= want {
			return
		}
		lo, hi := c*filterChunk, min((c+1)*filterChunk, n)
		var ok, miss int32
		for i := lo; i < hi; i++ {
			if s := f.filterNode(ctx, state, pod, at(i), &miss); s.IsSuccess() {
				fits[i] = true
				ok++
			} else {
				statuses[i] = s
			}
		}
		found.Add(ok)
		parMisses.Add(miss)
		for {
			w := written.Load()
			if int32(hi) <= w || written.CompareAndSwap(w, int32(hi)) {
				break
			}
		}
	})
	misses += parMisses.Load()
	for i := 0; i < n && len(feasible) < want; i++ {
		evaluated = i + 1
		ni := at(i)
		if fits[i] {
			feasible = append(feasible, ni)
			continue
		}
		s := statuses[i]
		if s == nil {
			// Not evaluated (parallel early stop) yet before the cut: evaluate now so the
			// outcome equals a sequential scan.
			if s = f.filterNode(ctx, state, pod, ni, &misses); s.IsSuccess() {
				feasible = append(feasible, ni)
				continue
			}
		}
		if s.Code() == Error {
			return nil, evaluated, s.AsError()
		}
		reject(ni, s)
	}
	if sample {
		f.nextStart = (start + evaluated) % n
	}
	return feasible, evaluated, nil
}

// selectHost picks the highest total score; among equals, each has the same chance (one
// random draw per cycle: the k-th of the ties).
func (f *Framework) selectHost(scores []NodePluginScores) string {
	best, ties := scores[0].TotalScore, 1
	for i := 1; i < len(scores); i++ {
		switch t := scores[i].TotalScore; {
		case t > best:
			best, ties = t, 1
		case t == best:
			ties++
		}
	}
	k := 0
	if ties > 1 {
		k = f.opts.Rand.IntN(ties)
	}
	for i := range scores {
		if scores[i].TotalScore == best {
			if k == 0 {
				return scores[i].Name
			}
			k--
		}
	}
	return scores[0].Name // not reached: the best score is among them
}
