// Package framework is the pure core of the cellkit scheduler: the plugin interfaces at
// kube-scheduler's extension points, the per-cycle state, statuses, profiles, the node
// snapshot, and the runner that turns them into a placement decision.
//
// It does no I/O and starts no goroutines. A driver (or a test) owns a Snapshot, keeps it up to
// date incrementally (AddNode, UpdateNode, AddPod, RemovePod ... each change takes the next
// generation number and touches one NodeInfo), and for each pod runs one cycle:
//
//	f, err := framework.New(registry, profile, framework.Options{})
//	state := framework.NewCycleState()
//	res, err := f.SchedulePod(ctx, state, pod, snapshot) // PreFilter, Filter, PreScore, Score
//	var fe *framework.FitError
//	if errors.As(err, &fe) {
//		// fe.Error() is kube-scheduler's "0/N nodes are available: ..." message; try
//		// preemption, then record the message on the pod.
//		res, s := f.RunPostFilterPlugins(ctx, state, pod, fe.Diagnosis.NodeToStatus)
//	}
//	f.RunReservePluginsReserve(ctx, state, pod, res.SuggestedHost) // then assume the pod
//	f.RunPermitPlugins(...); f.RunPreBindPlugins(...); f.RunBindPlugins(...); f.RunPostBindPlugins(...)
//
// Sampling follows kube-scheduler: with PercentageOfNodesToScore 0, a cycle stops filtering
// after max(100, n*(50-n/125)%, n*5%) feasible nodes, and the next cycle starts after the last
// node evaluated, so all nodes get considered in turn. Every rejected node keeps the status
// (code, reasons, plugin) that rejected it.
//
// Borg's equivalence classes and score caching: pods with the same namespace, labels and spec
// form a class (EquivalenceClass). The verdict of the longest prefix of node-local Filter
// plugins (NodeLocalPlugin: the verdict depends only on the pod and the node's NodeInfo) is
// cached per class and node slot, and reused while the node's generation is unchanged; the
// cluster-wide filters after the prefix (inter-pod affinity, hard topology spread) run on the
// nodes the prefix admits, so the first rejection is the one an uncached run finds; pods
// nominated to a node bypass the cache. Raw scores of node-local Score plugins are cached the
// same way; normalization and cluster-wide Score plugins run every cycle. A cycle whose
// verdicts and scores are cached touches no NodeInfo: it reads the sampled nodes' slots,
// generations and names from dense snapshot arrays, a SlotFilterPlugin judges and a
// SlotScorePlugin scores a node by slot (PreScore finds the slots in CycleState.NodeSlots),
// a RawScoreExtensions normalizes the pointer-free score array in place, and only the totals
// are kept (Options.RecordScores keeps every plugin's part too). Options.DisableEquivalenceClasses
// and Options.DisableScoreCache switch the caches off; decisions are the same either way.
// Plugins with cluster-wide PreFilter or PreScore aggregates (topology spread counts, inter-pod
// affinity counts and scores) keep them per class between cycles (Handle.ClassMemo) and
// recount only the nodes the snapshot's change log names (Snapshot.ChangedSince, NodeAt); this
// too is part of equivalence classes and switched off with them.
//
// Parallelism: nodes go to Options.Parallelizer in chunks, and only when the class's last
// cycle computed many verdicts or raw scores (or its caches are off or cold): with warm caches
// a node costs tens of nanoseconds and waking workers costs more CPU than it saves. A
// Nominator that also implements NominationCounter spares the per-node lookups of nominated
// pods while none are nominated.
//
// Event hints: a rejecting plugin declares (EnqueueExtensions) the cluster events, with
// optional hints, that can make a pod it rejected schedulable; MayHelp answers for a pod's
// rejectors, and NodeUpdateActions/PodUpdateActions classify updates.
//
// Permit may ask a pod to wait: RunPermitPlugins then registers a WaitingPod that plugins
// reach through Handle.GetWaitingPod and Handle.IterateOverWaitingPods to Allow or Reject it,
// and the driver blocks in WaitOnPermit (on Options.Clock and the pod's Changed channel; the
// only blocking call of the core) until it is allowed, rejected or timed out.
//
// Concurrency and ownership: a Framework runs one cycle at a time (it keeps the rotating start
// index and the cycle's snapshot). Within a cycle, Filter and Score plugins may be called in
// parallel through Options.Parallelizer, so they must only read the CycleState and NodeInfos;
// statuses they return may be shared, the framework never changes them. A Snapshot is changed
// only between cycles by its single owner. WaitingPods and the waiting set are safe for
// concurrent use (plugins of a scheduling cycle allow pods that binding goroutines wait on).
// PodInfo values are immutable once built and are shared between NodeInfo clones.
package framework
