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
	// Scores of the feasible nodes, when Options.RecordScores is set (nil when only one was
	// feasible: it is not scored). They live in buffers the Framework reuses: valid until its
	// next SchedulePod or RunScorePlugins.
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
	// The diagnosis is filled only on the paths that report it (a pod that fits nowhere).
	diag := Diagnosis{}
	initDiag := func() {
		if diag.NodeToStatus == nil {
			diag.NodeToStatus, diag.UnschedulablePlugins = NodeToStatus{}, map[string]struct{}{}
		}
	}
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
		initDiag()
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
		initDiag()
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

	feasible, slots, evaluated, err := f.findFeasible(ctx, state, pod, candidates, sample)
	if err != nil {
		return ScheduleResult{}, err
	}
	if len(feasible) == 0 {
		// The rejections become the diagnosis only now: a cycle that finds a node never
		// needs them, and filling a map with hundreds of node names per cycle showed in
		// profiles of the spreading workloads.
		initDiag()
		for _, r := range f.rejected {
			diag.NodeToStatus[candidates[r.j].Name()] = r.status
			diag.UnschedulablePlugins[r.status.Plugin()] = struct{}{}
		}
		return ScheduleResult{EvaluatedNodes: evaluated}, &FitError{Pod: pod, NumAllNodes: len(all), Diagnosis: diag}
	}
	res := ScheduleResult{EvaluatedNodes: evaluated, FeasibleNodes: len(feasible)}
	if len(feasible) == 1 {
		res.SuggestedHost = feasible[0].Name()
		return res, nil
	}
	state.nodeSlots = slots
	defer func() { state.nodeSlots = nil }() // the buffer is the framework's
	if s := f.RunPreScorePlugins(ctx, state, pod, feasible); !s.IsSuccess() {
		return res, s.AsError()
	}
	totals, scores, s := f.scoreNodes(ctx, state, pod, feasible, slots, f.opts.RecordScores)
	if !s.IsSuccess() {
		return res, s.AsError()
	}
	res.Scores = scores
	res.SuggestedHost = feasible[f.selectHost(totals)].Name()
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

// candidateRef gives a candidate's slot and generation, from the snapshot's dense
// arrays when the candidates are the snapshot's node list (slots not nil), else from the
// NodeInfo.
type candidateRef struct {
	nodes   []*NodeInfo
	slots   []int32 // slots[i] is nodes[i]'s slot; nil to read the NodeInfos
	slotGen []int64
}

func (c *candidateRef) at(j int) (ni *NodeInfo, slot int32, gen int64) {
	ni = c.nodes[j]
	if c.slots != nil {
		slot = c.slots[j]
		return ni, slot, c.slotGen[slot]
	}
	return ni, int32(ni.slot), ni.Generation
}

// rejection is a candidate (its index) that a filter rejected, with the status.
type rejection struct {
	j      int32
	status *Status
}

// findFeasible filters candidates, stopping after enough feasible nodes when sampling; the
// next cycle starts after the last node this one evaluated. The outcome (feasible nodes, in
// order, and the statuses of the rejected ones before the cut, in f.rejected) is that of a sequential scan
// from the start, whether or not a Parallelizer evaluates the nodes. It also returns the
// slots of the feasible nodes when the candidates are the snapshot's list (else nil).
func (f *Framework) findFeasible(ctx context.Context, state *CycleState, pod *corev1.Pod, candidates []*NodeInfo, sample bool) ([]*NodeInfo, []int32, int, error) {
	n := len(candidates)
	want := n
	start := 0
	if sample {
		want = NumFeasibleNodesToFind(f.profile.PercentageOfNodesToScore, n)
		start = f.nextStart % n
	}
	ref := candidateRef{nodes: candidates}
	if snap := f.snapshot; len(candidates) == len(snap.list) && len(candidates) > 0 && &candidates[0] == &snap.list[0] {
		ref.slots, ref.slotGen = snap.listSlots, snap.slotGen
	}
	index := func(i int) int { // the position of the i-th candidate from start
		if j := start + i; j < n {
			return j
		}
		return start + i - n
	}
	feasible, slots := f.feasibleBuf[:0], f.feasibleSlots[:0]
	defer func() { f.feasibleBuf, f.feasibleSlots = feasible[:0], slots[:0] }()
	keep := func(ni *NodeInfo, slot int32) {
		feasible = append(feasible, ni)
		slots = append(slots, slot)
	}
	result := func() []int32 {
		if ref.slots == nil {
			return nil
		}
		return slots
	}
	if len(f.filter) == 0 {
		for i := 0; i < want; i++ {
			ni, slot, _ := ref.at(index(i))
			keep(ni, slot)
		}
		if sample {
			f.nextStart = (start + want) % n
		}
		return feasible, result(), want, nil
	}
	f.rejected = f.rejected[:0]
	reject := func(j int, s *Status) {
		f.rejected = append(f.rejected, rejection{j: int32(j), status: s})
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
			j := index(i)
			ni, slot, gen := ref.at(j)
			s := f.filterNode(ctx, state, pod, ni, slot, gen, &misses)
			evaluated = i + 1
			if s.IsSuccess() {
				keep(ni, slot)
				continue
			}
			if s.Code() == Error {
				return nil, nil, evaluated, s.AsError()
			}
			reject(j, s)
		}
		if sample {
			f.nextStart = (start + evaluated) % n
		}
		return feasible, result(), evaluated, nil
	}
	evaluated, err := f.findFeasibleParallel(ctx, state, pod, ref, start, want, &misses, keep, reject)
	if err != nil {
		return nil, nil, evaluated, err
	}
	if sample {
		f.nextStart = (start + evaluated) % n
	}
	return feasible, result(), evaluated, nil
}

// findFeasibleParallel is findFeasible's evaluation through the Parallelizer: chunks of nodes
// in any order, then the outcome of a sequential scan assembled from their results (nodes
// before the cut that no chunk evaluated, after an early stop, are evaluated here). It
// returns the number of nodes evaluated in scan order.
func (f *Framework) findFeasibleParallel(ctx context.Context, state *CycleState, pod *corev1.Pod, ref candidateRef, start, want int, misses *int32,
	keep func(*NodeInfo, int32), reject func(int, *Status)) (int, error) {
	n := len(ref.nodes)
	index := func(i int) int {
		if j := start + i; j < n {
			return j
		}
		return start + i - n
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
			ni, slot, gen := ref.at(index(i))
			if s := f.filterNode(ctx, state, pod, ni, slot, gen, &miss); s.IsSuccess() {
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
	*misses += parMisses.Load()
	evaluated, kept := 0, 0
	for i := 0; i < n && kept < want; i++ {
		evaluated = i + 1
		j := index(i)
		ni, slot, gen := ref.at(j)
		if fits[i] {
			keep(ni, slot)
			kept++
			continue
		}
		s := statuses[i]
		if s == nil {
			// Not evaluated (parallel early stop) yet before the cut: evaluate now so the
			// outcome equals a sequential scan.
			if s = f.filterNode(ctx, state, pod, ni, slot, gen, misses); s.IsSuccess() {
				keep(ni, slot)
				kept++
				continue
			}
		}
		if s.Code() == Error {
			return evaluated, s.AsError()
		}
		reject(j, s)
	}
	return evaluated, nil
}

// selectHost returns the index of the highest total; among equals, each has the same chance
// (one random draw per cycle: the k-th of the ties).
func (f *Framework) selectHost(totals []int64) int {
	best, ties := totals[0], 1
	for _, t := range totals[1:] {
		switch {
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
	for i, t := range totals {
		if t == best {
			if k == 0 {
				return i
			}
			k--
		}
	}
	return 0 // not reached: the best total is among them
}
