package framework

import (
	"context"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/clock"
)

// Score bounds: every Score plugin's normalized score lies in [MinNodeScore, MaxNodeScore].
const (
	MinNodeScore int64 = 0
	MaxNodeScore int64 = 100
)

// Plugin is the base of every plugin.
type Plugin interface {
	// Name is the plugin's unique name in a registry.
	Name() string
}

// QueuedPodInfo is a pod waiting in the scheduling queue.
type QueuedPodInfo struct {
	*PodInfo
	// Timestamp is when the pod entered the queue.
	Timestamp time.Time
	// Attempts counts scheduling attempts.
	Attempts int
}

// PreEnqueuePlugin decides whether a pod may enter the active queue at all.
type PreEnqueuePlugin interface {
	Plugin
	PreEnqueue(ctx context.Context, pod *corev1.Pod) *Status
}

// QueueSortPlugin orders the active queue; a profile has exactly one.
type QueueSortPlugin interface {
	Plugin
	Less(a, b *QueuedPodInfo) bool
}

// PreFilterResult narrows the nodes to evaluate; nil NodeNames means all nodes.
type PreFilterResult struct {
	NodeNames map[string]struct{}
}

// AllNodes reports whether r places no restriction.
func (r *PreFilterResult) AllNodes() bool { return r == nil || r.NodeNames == nil }

// Merge intersects two results.
func (r *PreFilterResult) Merge(o *PreFilterResult) *PreFilterResult {
	if r.AllNodes() {
		return o
	}
	if o.AllNodes() {
		return r
	}
	out := &PreFilterResult{NodeNames: map[string]struct{}{}}
	for n := range r.NodeNames {
		if _, ok := o.NodeNames[n]; ok {
			out.NodeNames[n] = struct{}{}
		}
	}
	return out
}

// PreFilterPlugin computes per-cycle state before filtering. Returning Skip means the
// plugin's Filter is not run for this pod.
type PreFilterPlugin interface {
	Plugin
	PreFilter(ctx context.Context, state *CycleState, pod *corev1.Pod, nodes []*NodeInfo) (*PreFilterResult, *Status)
	// PreFilterExtensions returns the hooks that update the state when a pod is added to or
	// removed from a node during a simulation (preemption, nominated pods), or nil.
	PreFilterExtensions() PreFilterExtensions
}

// PreFilterExtensions update a plugin's PreFilter state incrementally.
type PreFilterExtensions interface {
	AddPod(ctx context.Context, state *CycleState, podToSchedule *corev1.Pod, podToAdd *PodInfo, nodeInfo *NodeInfo) *Status
	RemovePod(ctx context.Context, state *CycleState, podToSchedule *corev1.Pod, podToRemove *PodInfo, nodeInfo *NodeInfo) *Status
}

// FilterPlugin says whether the pod can run on a node. It must only read state and nodeInfo:
// filters run in parallel across nodes.
type FilterPlugin interface {
	Plugin
	Filter(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeInfo *NodeInfo) *Status
}

// SlotFilterPlugin is optionally implemented by a FilterPlugin that can judge a node of the
// cycle's snapshot from its slot (NodeInfo.Slot) alone, with what its PreFilter prepared (for
// example each slot's topology domain), so that a cycle whose other verdicts are cached need
// not touch the node's NodeInfo. FilterSlot returns ok false when it cannot judge (Filter then
// runs); otherwise its status must be the one Filter returns for the snapshot's NodeInfo in
// that slot. Like Filter, it only reads.
type SlotFilterPlugin interface {
	FilterPlugin
	FilterSlot(state *CycleState, slot int) (status *Status, ok bool)
}

// NominationCounter is optionally implemented by a Nominator that can tell cheaply how many
// pods are nominated at all: a cycle that sees none skips the lookup of each node's nominated
// pods (Options.Nominator is asked per node otherwise).
type NominationCounter interface {
	NumNominatedPods() int
}

// NodeToStatus maps node names to the status that rejected them.
type NodeToStatus map[string]*Status

// PostFilterResult is what a PostFilter plugin (preemption) proposes.
type PostFilterResult struct {
	// NominatedNodeName is the node the pod should go to once the victims are gone.
	NominatedNodeName string
	// Victims are the pods to evict for it.
	Victims []*corev1.Pod
}

// PostFilterPlugin runs when no node fits.
type PostFilterPlugin interface {
	Plugin
	PostFilter(ctx context.Context, state *CycleState, pod *corev1.Pod, filtered NodeToStatus) (*PostFilterResult, *Status)
}

// PreScorePlugin prepares per-cycle state for scoring from the feasible nodes. Skip means the
// plugin's Score is not run.
type PreScorePlugin interface {
	Plugin
	PreScore(ctx context.Context, state *CycleState, pod *corev1.Pod, nodes []*NodeInfo) *Status
}

// NodeScore is a node's score.
type NodeScore struct {
	Name  string
	Score int64
}

// ScorePlugin ranks feasible nodes. Score must only read state and nodeInfo.
type ScorePlugin interface {
	Plugin
	Score(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeInfo *NodeInfo) (int64, *Status)
	// ScoreExtensions returns the normalizer, or nil if Score already returns [0, 100].
	ScoreExtensions() ScoreExtensions
}

// SlotScorePlugin is optionally implemented by a ScorePlugin that can score a node of the
// cycle's snapshot from its slot (NodeInfo.Slot) alone, with what its PreScore prepared, so
// that a cycle need not touch the node's NodeInfo. ScoreSlot returns ok false when it cannot
// (Score then runs); otherwise its score must be the one Score returns for the snapshot's
// NodeInfo in that slot. Like Score, it only reads.
type SlotScorePlugin interface {
	ScorePlugin
	ScoreSlot(state *CycleState, slot int) (score int64, ok bool)
}

// ScoreExtensions normalizes a plugin's scores in place to [MinNodeScore, MaxNodeScore].
type ScoreExtensions interface {
	NormalizeScore(ctx context.Context, state *CycleState, pod *corev1.Pod, scores []NodeScore) *Status
}

// RawScoreExtensions is optionally implemented by a ScoreExtensions whose normalization does
// not look at node names: NormalizeRawScores must change scores exactly as NormalizeScore
// changes the Score fields of NodeScores holding the same scores in the same order. A cycle
// then normalizes its raw score array in place instead of building NodeScores.
type RawScoreExtensions interface {
	NormalizeRawScores(ctx context.Context, state *CycleState, pod *corev1.Pod, scores []int64) *Status
}

// ReservePlugin claims resources for the chosen node before binding; Unreserve releases them
// when a later step fails. Unreserve must be idempotent and cannot fail.
type ReservePlugin interface {
	Plugin
	Reserve(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) *Status
	Unreserve(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string)
}

// PermitPlugin allows, rejects or delays (Wait with a timeout) the binding.
type PermitPlugin interface {
	Plugin
	Permit(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) (*Status, time.Duration)
}

// PreBindPlugin prepares binding (for example attaches volumes).
type PreBindPlugin interface {
	Plugin
	PreBind(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) *Status
}

// BindPlugin binds the pod; Skip passes to the next Bind plugin.
type BindPlugin interface {
	Plugin
	Bind(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string) *Status
}

// PostBindPlugin is told about a successful binding.
type PostBindPlugin interface {
	Plugin
	PostBind(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeName string)
}

// Handle is what a plugin may use of the framework that built it.
type Handle interface {
	// Snapshot is the snapshot of the cycle in progress.
	Snapshot() *Snapshot
	// Clock is the framework's clock.
	Clock() clock.Clock
	// RunPreFilterExtensionRemovePod (AddPod) updates every PreFilter plugin's state for a
	// pod removed from (added to) nodeInfo in a simulation.
	RunPreFilterExtensionRemovePod(ctx context.Context, state *CycleState, pod *corev1.Pod, removed *PodInfo, nodeInfo *NodeInfo) *Status
	RunPreFilterExtensionAddPod(ctx context.Context, state *CycleState, pod *corev1.Pod, added *PodInfo, nodeInfo *NodeInfo) *Status
	// RunFilterPlugins runs every Filter plugin on one node and returns the first rejection.
	RunFilterPlugins(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeInfo *NodeInfo) *Status
	// RunFilterPluginsWithNominatedPods is RunFilterPlugins with the pods nominated to the
	// node at equal or higher priority counted as if running there.
	RunFilterPluginsWithNominatedPods(ctx context.Context, state *CycleState, pod *corev1.Pod, nodeInfo *NodeInfo) *Status
	// GetWaitingPod returns the pod with the UID waiting on Permit, or nil; a plugin Allows
	// or Rejects it (for example a gang plugin once the whole gang is reserved).
	GetWaitingPod(uid meta.UID) *WaitingPod
	// IterateOverWaitingPods calls fn for every pod waiting on Permit.
	IterateOverWaitingPods(fn func(*WaitingPod))
	// ClassMemo and SetClassMemo keep a plugin's per-equivalence-class aggregates between
	// cycles (see Framework.ClassMemo).
	ClassMemo(state *CycleState, key StateKey) any
	SetClassMemo(state *CycleState, key StateKey, v any)
}
