package framework

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/clock"
)

// Nominator knows the pods nominated to a node by preemption and not yet bound.
type Nominator interface {
	// NominatedPodsForNode lists the pods nominated to the node.
	NominatedPodsForNode(nodeName string) []*PodInfo
}

// Parallelizer runs work(i) for every i in [0, pieces), possibly in parallel, and returns when
// all calls have returned. The core never starts goroutines itself; a driver passes one.
type Parallelizer func(ctx context.Context, pieces int, work func(i int))

// Options configure a Framework. The zero value is valid: real clock, sequential evaluation,
// no nominated pods, ties broken by a PCG seeded with 0.
type Options struct {
	// Clock for Permit deadlines; default the real clock.
	Clock clock.Clock
	// Rand breaks ties between equally scored nodes; default a PCG with seed (0, 0).
	Rand *rand.Rand
	// Nominator provides nominated pods; nil means none.
	Nominator Nominator
	// Parallelizer evaluates filters and scores; nil runs them one after the other.
	Parallelizer Parallelizer
	// DisableEquivalenceClasses turns off the sharing of filter verdicts between pods of one
	// equivalence class (see EquivalenceClass and NodeLocalPlugin): by default a node's
	// verdict is reused until the node or its pods change, when every Filter plugin that runs
	// for the pod is node-local.
	DisableEquivalenceClasses bool
	// RecordScores makes SchedulePod return every feasible node's scores, per plugin, in
	// ScheduleResult.Scores. Off by default: a cycle then keeps only each node's total, in
	// arrays without pointers, and the parts cost a write per node and plugin every cycle.
	RecordScores bool
	// DisableScoreCache turns off the caching of node-local Score plugins' raw scores per
	// equivalence class and node (reused until the node or its pods change; normalization
	// runs every cycle).
	DisableScoreCache bool
}

// Framework runs one profile's plugins. It is not safe for concurrent cycles: a driver uses
// one Framework per scheduling goroutine (binding cycles may run concurrently with the next
// scheduling cycle; they touch only Reserve..PostBind plugins, which must be safe for it).
type Framework struct {
	profile Profile
	opts    Options

	preEnqueue []PreEnqueuePlugin
	queueSort  QueueSortPlugin
	preFilter  []PreFilterPlugin
	filter     []FilterPlugin
	postFilter []PostFilterPlugin
	preScore   []PreScorePlugin
	score      []ScorePlugin
	weights    []int64
	reserve    []ReservePlugin
	permit     []PermitPlugin
	preBind    []PreBindPlugin
	bind       []BindPlugin
	postBind   []PostBindPlugin

	snapshot  *Snapshot
	nextStart int
	waiting   waitingPods

	scoreLocal []bool                            // by index in score: the plugin is node-local
	events     map[string][]ClusterEventWithHint // by plugin; nil value: every event
	classes    map[ClassKey]*classCache
	uses       uint64

	statusBuf     []*Status // findFeasible's per-candidate buffers, reused between cycles
	fitsBuf       []bool
	feasibleBuf   []*NodeInfo
	feasibleSlots []int32
	rejected      []rejection
	// scoreNodes' buffers, reused between cycles.
	scoreActive []int // indexes in score of the plugins not skipped
	scoreRaw    []int64
	scoreTotal  []int64
	scoreNorm   []NodeScore
	scoreOut    []NodePluginScores
	scoreParts  []PluginScore
	// lastClassPod and lastClass remember the last equivalence class computed (pods of one
	// template come in runs).
	lastClassPod *corev1.Pod
	lastClass    ClassKey
}

var _ Handle = (*Framework)(nil)

// New builds the framework of a profile from a registry.
func New(r Registry, p Profile, opts Options) (*Framework, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real()
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(0, 0))
	}
	if p.PercentageOfNodesToScore < 0 || p.PercentageOfNodesToScore > 100 {
		return nil, fmt.Errorf("new framework %q: percentageOfNodesToScore %d not in [0, 100]: %w", p.SchedulerName, p.PercentageOfNodesToScore, ErrInvalidProfile)
	}
	f := &Framework{profile: p, opts: opts}
	seen := map[string]bool{}
	for _, pc := range p.Plugins {
		if seen[pc.Name] {
			return nil, fmt.Errorf("new framework %q: plugin %q: %w", p.SchedulerName, pc.Name, ErrDuplicatePlugin)
		}
		seen[pc.Name] = true
		factory, ok := r[pc.Name]
		if !ok {
			return nil, fmt.Errorf("new framework %q: plugin %q: %w", p.SchedulerName, pc.Name, ErrUnknownPlugin)
		}
		pl, err := factory(pc.Args, f)
		if err != nil {
			return nil, fmt.Errorf("new framework %q: plugin %q: %w", p.SchedulerName, pc.Name, err)
		}
		if pl.Name() != pc.Name {
			return nil, fmt.Errorf("new framework %q: factory for %q built %q: %w", p.SchedulerName, pc.Name, pl.Name(), ErrInvalidProfile)
		}
		pts := pc.Points
		if pts == 0 {
			pts = AllPoints
		}
		if err := f.enable(pl, pts, pc.Weight); err != nil {
			return nil, fmt.Errorf("new framework %q: %w", p.SchedulerName, err)
		}
	}
	if f.queueSort == nil {
		return nil, fmt.Errorf("new framework %q: no QueueSort plugin: %w", p.SchedulerName, ErrInvalidProfile)
	}
	if len(f.bind) == 0 {
		return nil, fmt.Errorf("new framework %q: no Bind plugin: %w", p.SchedulerName, ErrInvalidProfile)
	}
	return f, nil
}

func (f *Framework) enable(pl Plugin, pts ExtensionPoint, weight int32) error {
	used := false
	on := func(p ExtensionPoint) bool { return pts&p != 0 }
	if x, ok := pl.(PreEnqueuePlugin); ok && on(PointPreEnqueue) {
		f.preEnqueue, used = append(f.preEnqueue, x), true
	}
	if x, ok := pl.(QueueSortPlugin); ok && on(PointQueueSort) {
		if f.queueSort != nil {
			return fmt.Errorf("second QueueSort plugin %q: %w", pl.Name(), ErrInvalidProfile)
		}
		f.queueSort, used = x, true
	}
	if x, ok := pl.(PreFilterPlugin); ok && on(PointPreFilter) {
		f.preFilter, used = append(f.preFilter, x), true
	}
	if x, ok := pl.(FilterPlugin); ok && on(PointFilter) {
		f.filter, used = append(f.filter, x), true
	}
	if x, ok := pl.(PostFilterPlugin); ok && on(PointPostFilter) {
		f.postFilter, used = append(f.postFilter, x), true
	}
	if x, ok := pl.(PreScorePlugin); ok && on(PointPreScore) {
		f.preScore, used = append(f.preScore, x), true
	}
	if x, ok := pl.(ScorePlugin); ok && on(PointScore) {
		if weight < 0 {
			return fmt.Errorf("plugin %q: negative weight %d: %w", pl.Name(), weight, ErrInvalidProfile)
		}
		if weight == 0 {
			weight = 1
		}
		f.score, f.weights, used = append(f.score, x), append(f.weights, int64(weight)), true
		f.scoreLocal = append(f.scoreLocal, isNodeLocal(pl))
	}
	if x, ok := pl.(ReservePlugin); ok && on(PointReserve) {
		f.reserve, used = append(f.reserve, x), true
	}
	if x, ok := pl.(PermitPlugin); ok && on(PointPermit) {
		f.permit, used = append(f.permit, x), true
	}
	if x, ok := pl.(PreBindPlugin); ok && on(PointPreBind) {
		f.preBind, used = append(f.preBind, x), true
	}
	if x, ok := pl.(BindPlugin); ok && on(PointBind) {
		f.bind, used = append(f.bind, x), true
	}
	if x, ok := pl.(PostBindPlugin); ok && on(PointPostBind) {
		f.postBind, used = append(f.postBind, x), true
	}
	if !used {
		return fmt.Errorf("plugin %q implements none of its enabled extension points: %w", pl.Name(), ErrInvalidProfile)
	}
	if f.events == nil {
		f.events = map[string][]ClusterEventWithHint{}
	}
	f.events[pl.Name()] = nil
	if x, ok := pl.(EnqueueExtensions); ok {
		f.events[pl.Name()] = append([]ClusterEventWithHint{}, x.EventsToRegister()...)
	}
	return nil
}

// Profile returns the profile the framework was built from.
func (f *Framework) Profile() Profile { return f.profile }

// Snapshot implements Handle: the snapshot of the current (or last) cycle.
func (f *Framework) Snapshot() *Snapshot { return f.snapshot }

// SetSnapshot sets the snapshot that plugins see; SchedulePod does it itself.
func (f *Framework) SetSnapshot(s *Snapshot) {
	s.prepare()
	f.snapshot = s
}

// Clock implements Handle.
func (f *Framework) Clock() clock.Clock { return f.opts.Clock }

// HasPostFilter reports whether a PostFilter plugin is enabled.
func (f *Framework) HasPostFilter() bool { return len(f.postFilter) > 0 }

// RunPreEnqueuePlugins returns the first non-success status.
func (f *Framework) RunPreEnqueuePlugins(ctx context.Context, pod *corev1.Pod) *Status {
	for _, pl := range f.preEnqueue {
		if s := pl.PreEnqueue(ctx, pod); !s.IsSuccess() {
			return s.WithPlugin(pl.Name())
		}
	}
	return nil
}

// Less orders two queued pods with the profile's QueueSort plugin.
func (f *Framework) Less(a, b *QueuedPodInfo) bool { return f.queueSort.Less(a, b) }

// RunPreFilterPlugins runs every PreFilter plugin. A rejection or error stops the run.
func (f *Framework) RunPreFilterPlugins(ctx context.Context, state *CycleState, pod *corev1.Pod) (*PreFilterResult, *Status, []string) {
	var result *PreFilterResult
	var narrowing []string
	nodes := f.snapshot.NodeInfos()
	for _, pl := range f.preFilter {
		r, s := pl.PreFilter(ctx, state, pod, nodes)
		if s.IsSkip() {
			if state.SkipFilterPlugins == nil {
				state.SkipFilterPlugins = map[string]struct{}{}
			}
			state.SkipFilterPlugins[pl.Name()] = struct{}{}
			continue
		}
		if !s.IsSuccess() {
			if s.Code() == Error {
				return nil, AsStatus(fmt.Errorf("prefilter plugin %q: %w", pl.Name(), s.AsError())).WithPlugin(pl.Name()), nil
			}
			return nil, s.WithPlugin(pl.Name()), nil
		}
		if !r.AllNodes() {
			narrowing = append(narrowing, pl.Name())
			result = result.Merge(r)
		}
	}
	if state.filters == nil {
		state.filters = state.filtersInline[:0]
	}
	state.filters = state.filters[:0]
	for _, pl := range f.filter {
		if _, skip := state.SkipFilterPlugins[pl.Name()]; !skip {
			state.filters = append(state.filters, pl)
		}
	}
	state.filtersSet = true
	return result, nil, narrowing
}

// RunPreFilterExtensionAddPod implements Handle.
func (f *Framework) RunPreFilterExtensionAddPod(ctx context.Context, state *CycleState, pod *corev1.Pod, added *PodInfo, nodeInfo *NodeInfo) *Status {
	for _, pl := range f.preFilter {
		if _, skip := state.SkipFilterPlugins[pl.Name()]; skip {
			continue
		}
		if ext := pl.PreFilterExtensions(); ext != nil {
			if s := ext.AddPod(ctx, state, pod, added, nodeInfo); !s.IsSuccess() {
				return s.WithPlugin(pl.Name())
			}
		}
	}
	return nil
}

// RunPreFilterExtensionRemovePod implements Handle.
func (f *Framework) RunPreFilterExtensionRemovePod(ctx context.Context, state *CycleState, pod *corev1.Pod, removed *PodInfo, nodeInfo *NodeInfo) *Status {
	for _, pl := range f.preFilter {
		if _, skip := state.SkipFilterPlugins[pl.Name()]; skip {
			continue
		}
		if ext := pl.PreFilterExtensions(); ext != nil {
			if s := ext.RemovePod(ctx, state, pod, removed, nodeInfo); !s.IsSuccess() {
				return s.WithPlugin(pl.Name())
			}
		}
	}
	return nil
}

// RunFilterPlugins implements Handle.
func (f *Framework) RunFilterPlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeInfo *NodeInfo) *Status {
	filters := state.filters
	if !state.filtersSet {
		filters = filters[:0:0]
		for _, pl := range f.filter {
			if _, skip := state.SkipFilterPlugins[pl.Name()]; !skip {
				filters = append(filters, pl)
			}
		}
	}
	return runFilters(ctx, state, pod, nodeInfo, filters)
}

// runFilters runs filters in order and returns the first rejection.
func runFilters(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeInfo *NodeInfo, filters []FilterPlugin) *Status {
	for _, pl := range filters {
		if s := pl.Filter(ctx, state, pod, nodeInfo); !s.IsSuccess() {
			return filterFailure(pl, nodeInfo, s)
		}
	}
	return nil
}

// filterFailure is the status a cycle records for pl's non-success s on nodeInfo: the
// rejection, or an Error naming the plugin and node; either way with the plugin set.
func filterFailure(pl FilterPlugin, nodeInfo *NodeInfo, s *Status) *Status {
	if !s.IsRejected() {
		s = AsStatus(fmt.Errorf("filter plugin %q on node %q: %w", pl.Name(), nodeInfo.Name(), s.AsError()))
	}
	return s.WithPlugin(pl.Name())
}

// RunFilterPluginsWithNominatedPods implements Handle. As in kube-scheduler the filters run
// twice when pods of equal or higher priority are nominated to the node: once with them
// (they must still fit) and once without (inter-pod affinity must not depend on them).
func (f *Framework) RunFilterPluginsWithNominatedPods(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeInfo *NodeInfo) *Status {
	if f.opts.Nominator != nil {
		var added bool
		stateWith, infoWith := state, nodeInfo
		prio := PodPriority(pod)
		for _, np := range f.opts.Nominator.NominatedPodsForNode(nodeInfo.Name()) {
			if SamePod(np.Pod, pod) || PodPriority(np.Pod) < prio {
				continue
			}
			if !added {
				stateWith, infoWith, added = state.Clone(), nodeInfo.Clone(), true
			}
			infoWith.AddPod(np)
			if s := f.RunPreFilterExtensionAddPod(ctx, stateWith, pod, np, infoWith); !s.IsSuccess() {
				return s
			}
		}
		if added {
			if s := f.RunFilterPlugins(ctx, stateWith, pod, infoWith); !s.IsSuccess() {
				return s
			}
		}
	}
	return f.RunFilterPlugins(ctx, state, pod, nodeInfo)
}

// RunPostFilterPlugins runs PostFilter plugins until one succeeds or one fails hard; the
// status message of the last one is what the pod's condition gets.
func (f *Framework) RunPostFilterPlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, filtered NodeToStatus) (*PostFilterResult, *Status) {
	var last *Status
	for _, pl := range f.postFilter {
		r, s := pl.PostFilter(ctx, state, pod, filtered)
		if s.IsSuccess() {
			return r, nil
		}
		if s.Code() == Error {
			return nil, s.WithPlugin(pl.Name())
		}
		last = s.WithPlugin(pl.Name())
	}
	if last == nil {
		last = NewStatus(Unschedulable, "no PostFilter plugin")
	}
	return nil, last
}

// RunPreScorePlugins runs every PreScore plugin.
func (f *Framework) RunPreScorePlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, nodes []*NodeInfo) *Status {
	for _, pl := range f.preScore {
		s := pl.PreScore(ctx, state, pod, nodes)
		if s.IsSkip() {
			if state.SkipScorePlugins == nil {
				state.SkipScorePlugins = map[string]struct{}{}
			}
			state.SkipScorePlugins[pl.Name()] = struct{}{}
			continue
		}
		if !s.IsSuccess() {
			return AsStatus(fmt.Errorf("prescore plugin %q: %w", pl.Name(), s.AsError())).WithPlugin(pl.Name())
		}
	}
	return nil
}

// PluginScore is one plugin's weighted, normalized score of a node.
type PluginScore struct {
	Name  string
	Score int64
}

// NodePluginScores is a node's total and its parts.
type NodePluginScores struct {
	Name       string
	Scores     []PluginScore
	TotalScore int64
}

// RunScorePlugins scores nodes with every non-skipped Score plugin, normalizes and weighs.
// The result lives in buffers the Framework reuses: valid until its next RunScorePlugins.
func (f *Framework) RunScorePlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, nodes []*NodeInfo) ([]NodePluginScores, *Status) {
	_, out, s := f.scoreNodes(ctx, state, pod, nodes, nil, true)
	return out, s
}

// scoreNodes scores nodes with every non-skipped Score plugin, normalizes and weighs, and
// returns each node's total (and, when record is set, the parts as NodePluginScores). slots,
// when not nil, are the nodes' slots in the framework's snapshot: cached raw scores are then
// found through the snapshot's dense arrays without touching the NodeInfos. The results live
// in buffers the Framework reuses until its next scoreNodes.
// scoreJob is what scoreChunk needs of a scoreNodes call.
type scoreJob struct {
	ctx     context.Context
	state   *CycleState
	pod     *corev1.Pod
	nodes   []*NodeInfo
	slots   []int32
	slotGen []int64
	active  []int
	raw     []int64
	cc      *classCache
	// seqErr is the first error (sequential evaluation); parErr collects it from workers.
	seqErr *Status
	parErr *atomic.Pointer[Status]
}

// scoreChunk scores nodes [lo, hi) of j with every active plugin in turn, reading the cached
// raw scores of node-local plugins by node slot where it has them, and returns the number of
// such raw scores it computed (cache misses). Nodes are handed out in chunks (see
// filterChunk).
func (f *Framework) scoreChunk(j *scoreJob, lo, hi int) (misses int32) {
	n := len(j.nodes)
	for k, idx := range j.active {
		ps := j.raw[k*n : (k+1)*n]
		var cached []scoreEntry
		if j.cc != nil && f.scoreLocal[idx] {
			cached = j.cc.scores[idx]
		}
		pl := f.score[idx]
		var bySlot SlotScorePlugin
		if j.slots != nil && cached == nil {
			bySlot, _ = pl.(SlotScorePlugin)
		}
		for i := lo; i < hi; i++ {
			if bySlot != nil {
				if sc, ok := bySlot.ScoreSlot(j.state, int(j.slots[i])); ok {
					ps[i] = sc
					continue
				}
			}
			var e *scoreEntry
			if cached != nil {
				var slot int
				var gen int64
				if j.slots != nil {
					slot = int(j.slots[i])
					gen = j.slotGen[slot]
				} else {
					slot, gen = j.nodes[i].slot, j.nodes[i].Generation
				}
				if slot >= 0 && slot < len(cached) {
					if e = &cached[slot]; e.gen == gen {
						ps[i] = e.score
						continue
					}
				}
			}
			ni := j.nodes[i]
			sc, s := pl.Score(j.ctx, j.state, j.pod, ni)
			if !s.IsSuccess() {
				err := AsStatus(fmt.Errorf("score plugin %q on node %q: %w", pl.Name(), ni.Name(), s.AsError())).WithPlugin(pl.Name())
				if j.parErr != nil {
					j.parErr.CompareAndSwap(nil, err)
				} else if j.seqErr == nil {
					j.seqErr = err
				}
				return misses
			}
			if cached != nil {
				misses++
			}
			if e != nil {
				*e = scoreEntry{gen: ni.Generation, score: sc}
			}
			ps[i] = sc
		}
	}
	return misses
}

func (f *Framework) scoreNodes(ctx context.Context, state *CycleState, pod *corev1.Pod, nodes []*NodeInfo, slots []int32, record bool) ([]int64, []NodePluginScores, *Status) {
	active := f.scoreActive[:0]
	for i, pl := range f.score {
		if _, skip := state.SkipScorePlugins[pl.Name()]; !skip {
			active = append(active, i)
		}
	}
	f.scoreActive = active
	n := len(nodes)
	var slotGen []int64
	var slotName []string
	if slots != nil {
		slotGen, slotName = f.snapshot.slotGen, f.snapshot.slotName
	}
	name := func(i int) string {
		if slots != nil {
			return slotName[slots[i]]
		}
		return nodes[i].name
	}
	// The raw scores of plugin k are raw[k*n : (k+1)*n], in one array kept between cycles
	// with the totals: no pointers, so filling them costs no write barriers while the GC
	// runs (the NodeScores with names are built only for plugins that normalize).
	f.scoreRaw = grow(f.scoreRaw, n*len(active))
	f.scoreTotal = grow(f.scoreTotal, n)
	raw, totals := f.scoreRaw, f.scoreTotal
	clear(totals)
	cc := state.class
	if f.opts.DisableScoreCache {
		cc = nil
	}
	job := scoreJob{ctx: ctx, state: state, pod: pod, nodes: nodes, slots: slots, slotGen: slotGen, active: active, raw: raw, cc: cc}
	var misses int32
	if !f.parallelWork(n, cc, cc != nil, func(cc *classCache) int32 { return cc.scoreMisses }) {
		misses = f.scoreChunk(&job, 0, n)
	} else {
		// Only this branch allocates: the job shared by the workers and its counters.
		shared := &scoreJob{ctx: ctx, state: state, pod: pod, nodes: nodes, slots: slots, slotGen: slotGen,
			active: append([]int(nil), active...), raw: raw, cc: cc, parErr: new(atomic.Pointer[Status])}
		parMisses := new(atomic.Int32)
		f.parallel(ctx, (n+filterChunk-1)/filterChunk, func(c int) {
			parMisses.Add(f.scoreChunk(shared, c*filterChunk, min((c+1)*filterChunk, n)))
		})
		misses, job.seqErr = parMisses.Load(), shared.parErr.Load()
	}
	if cc != nil {
		cc.scoreMisses = misses
	}
	if job.seqErr != nil {
		return nil, nil, job.seqErr
	}
	for k, idx := range active {
		pl := f.score[idx]
		ps := raw[k*n : (k+1)*n]
		if ext, ok := pl.ScoreExtensions().(RawScoreExtensions); ok {
			if s := ext.NormalizeRawScores(ctx, state, pod, ps); !s.IsSuccess() {
				return nil, nil, AsStatus(fmt.Errorf("normalize score plugin %q: %w", pl.Name(), s.AsError())).WithPlugin(pl.Name())
			}
		} else if ext := pl.ScoreExtensions(); ext != nil {
			f.scoreNorm = grow(f.scoreNorm, n)
			ns := f.scoreNorm
			for i := range ns {
				ns[i] = NodeScore{Name: name(i), Score: ps[i]}
			}
			if s := ext.NormalizeScore(ctx, state, pod, ns); !s.IsSuccess() {
				return nil, nil, AsStatus(fmt.Errorf("normalize score plugin %q: %w", pl.Name(), s.AsError())).WithPlugin(pl.Name())
			}
			for i := range ns {
				ps[i] = ns[i].Score
			}
		}
		weight := f.weights[idx]
		for i, v := range ps {
			if v < MinNodeScore || v > MaxNodeScore {
				return nil, nil, AsStatus(fmt.Errorf("score plugin %q gave node %q score %d outside [%d, %d]", pl.Name(), name(i), v, MinNodeScore, MaxNodeScore)).WithPlugin(pl.Name())
			}
			ps[i] = v * weight
			totals[i] += ps[i]
		}
	}
	if !record {
		return totals, nil, nil
	}
	// One backing array each for the nodes and the parts, kept between cycles.
	f.scoreOut = grow(f.scoreOut, n)
	f.scoreParts = grow(f.scoreParts, n*len(active))
	out, parts := f.scoreOut, f.scoreParts
	for i := range out {
		p := parts[i*len(active) : (i+1)*len(active) : (i+1)*len(active)]
		for k, idx := range active {
			p[k] = PluginScore{Name: f.score[idx].Name(), Score: raw[k*n+i]}
		}
		out[i] = NodePluginScores{Name: name(i), Scores: p, TotalScore: totals[i]}
	}
	return totals, out, nil
}

// RunReservePluginsReserve runs Reserve; on a failure it runs Unreserve of all (reverse order).
func (f *Framework) RunReservePluginsReserve(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) *Status {
	for _, pl := range f.reserve {
		if s := pl.Reserve(ctx, state, pod, nodeName); !s.IsSuccess() {
			f.RunReservePluginsUnreserve(ctx, state, pod, nodeName)
			if !s.IsRejected() {
				s = AsStatus(fmt.Errorf("reserve plugin %q: %w", pl.Name(), s.AsError()))
			}
			return s.WithPlugin(pl.Name())
		}
	}
	return nil
}

// RunReservePluginsUnreserve runs Unreserve of every Reserve plugin in reverse order.
func (f *Framework) RunReservePluginsUnreserve(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) {
	for i := len(f.reserve) - 1; i >= 0; i-- {
		f.reserve[i].Unreserve(ctx, state, pod, nodeName)
	}
}

// MaxPermitTimeout caps the time a Permit plugin may make a pod wait (as kube-scheduler).
const MaxPermitTimeout = 15 * time.Minute

// RunPermitPlugins runs every Permit plugin. Success: bind now. Wait: the returned WaitingPod
// is registered with the framework (plugins find it through GetWaitingPod and
// IterateOverWaitingPods) and must be allowed by every waiting plugin before its deadline;
// the driver waits for that (WaitOnPermit) with the pod reserved. A rejection or error:
// unreserve and requeue.
func (f *Framework) RunPermitPlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) (*Status, *WaitingPod) {
	if len(f.permit) == 0 {
		return nil, nil
	}
	var waits map[string]permitWait // made at the first Wait: most pods never wait
	now := f.opts.Clock.Now()
	for _, pl := range f.permit {
		s, timeout := pl.Permit(ctx, state, pod, nodeName)
		switch {
		case s.IsSuccess():
		case s.IsWait():
			timeout = min(timeout, MaxPermitTimeout)
			if waits == nil {
				waits = map[string]permitWait{}
			}
			waits[pl.Name()] = permitWait{timeout: timeout, deadline: now.Add(timeout)}
		case s.IsRejected():
			return s.WithPlugin(pl.Name()), nil
		default:
			return AsStatus(fmt.Errorf("permit plugin %q: %w", pl.Name(), s.AsError())).WithPlugin(pl.Name()), nil
		}
	}
	if len(waits) == 0 {
		return nil, nil
	}
	w := newWaitingPod(pod, nodeName, waits)
	f.waiting.add(w)
	return NewStatus(Wait, "waiting on permit"), w
}

// WaitOnPermit blocks until the waiting pod is allowed (nil), rejected or timed out on the
// framework's clock (Unschedulable, with the plugin), or ctx ends (Error). Either way the pod
// is no longer registered as waiting when it returns. A nil w returns nil at once.
func (f *Framework) WaitOnPermit(ctx context.Context, w *WaitingPod) *Status {
	if w == nil {
		return nil
	}
	defer f.waiting.remove(w)
	for {
		now := f.opts.Clock.Now()
		s := w.Status(now)
		if !s.IsWait() {
			return s
		}
		t := f.opts.Clock.NewTimer(w.Deadline().Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return AsStatus(fmt.Errorf("wait on permit of pod %s/%s: %w", w.pod.Namespace, w.pod.Name, ctx.Err()))
		case <-w.Changed():
		case <-t.C():
		}
		t.Stop()
	}
}

// GetWaitingPod implements Handle: the waiting pod with the UID, or nil.
func (f *Framework) GetWaitingPod(uid meta.UID) *WaitingPod { return f.waiting.get(uid) }

// IterateOverWaitingPods implements Handle: calls fn for every waiting pod, in
// namespace/name order.
func (f *Framework) IterateOverWaitingPods(fn func(*WaitingPod)) {
	for _, w := range f.waiting.list() {
		fn(w)
	}
}

// RejectWaitingPod rejects the waiting pod with the UID (for example because it was deleted)
// and reports whether there was one.
func (f *Framework) RejectWaitingPod(uid meta.UID, msg string) bool {
	w := f.waiting.get(uid)
	if w == nil {
		return false
	}
	w.Reject("", msg)
	return true
}

// RunPreBindPlugins runs PreBind; the first failure stops.
func (f *Framework) RunPreBindPlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) *Status {
	for _, pl := range f.preBind {
		if s := pl.PreBind(ctx, state, pod, nodeName); !s.IsSuccess() && !s.IsSkip() {
			if !s.IsRejected() {
				s = AsStatus(fmt.Errorf("prebind plugin %q: %w", pl.Name(), s.AsError()))
			}
			return s.WithPlugin(pl.Name())
		}
	}
	return nil
}

// RunBindPlugins runs Bind plugins until one does not Skip.
func (f *Framework) RunBindPlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) *Status {
	for _, pl := range f.bind {
		s := pl.Bind(ctx, state, pod, nodeName)
		if s.IsSkip() {
			continue
		}
		if !s.IsSuccess() {
			if !s.IsRejected() {
				s = AsStatus(fmt.Errorf("bind plugin %q: %w", pl.Name(), s.AsError()))
			}
			return s.WithPlugin(pl.Name())
		}
		return nil
	}
	return AsStatus(fmt.Errorf("bind pod %s/%s: every bind plugin skipped", pod.Namespace, pod.Name))
}

// RunPostBindPlugins tells every PostBind plugin.
func (f *Framework) RunPostBindPlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) {
	for _, pl := range f.postBind {
		pl.PostBind(ctx, state, pod, nodeName)
	}
}

func (f *Framework) parallel(ctx context.Context, n int, work func(i int)) {
	if f.opts.Parallelizer != nil && n > 1 {
		f.opts.Parallelizer(ctx, n, work)
		return
	}
	for i := 0; i < n; i++ {
		work(i)
	}
}

// grow returns b resliced to n elements, reallocated when too small; the caller overwrites
// every element it reads.
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n, n+n/4)
	}
	return b[:n]
}

// PodPriority is spec.priority, 0 when unset.
func PodPriority(pod *corev1.Pod) int32 {
	if pod.Spec.Priority != nil {
		return *pod.Spec.Priority
	}
	return 0
}
