// Package nodelifecycle is the node lifecycle controller: it notices nodes that stopped
// reporting, marks them, and moves their pods elsewhere by evicting them, with Kubernetes'
// semantics and its protections against emptying a cluster during a network partition.
//
// # What it does
//
//   - Health. A node's heartbeats are the renewals of its Lease (namespace kube-node-lease,
//     named after the node, spec.renewTime) and new lastHeartbeatTime values of its Ready
//     condition. The controller notes, on Options.Clock, when it last observed either (local
//     observation, so the nodes' clocks never matter). Every Options.MonitorPeriod it checks
//     every node: one without a heartbeat for Options.GracePeriod (Options.StartupGracePeriod,
//     counted from creation, for a node that never posted a Ready condition) gets its Ready,
//     MemoryPressure, DiskPressure and PIDPressure conditions set to Unknown (reason
//     NodeStatusUnknown, "Kubelet stopped posting node status.") through "nodes/status", and
//     the Ready condition of its pods set to False through "pods/status". Ready becomes True
//     again only when the node agent posts it: the controller never vouches for a node.
//   - Taints. A node with Ready=False carries the NoExecute taint node.kubernetes.io/not-ready,
//     with Ready=Unknown node.kubernetes.io/unreachable (with timeAdded). One is swapped for
//     the other in a single write; both are removed as soon as Ready is True. Separately, and
//     at once on every node change, the node gets the NoSchedule taints its conditions call
//     for (see ConditionTaints: not-ready, unreachable, memory/disk/pid-pressure,
//     network-unavailable, unschedulable for a cordoned node), which keep the scheduler from
//     placing new pods there even when they tolerate the NoExecute ones for a while.
//   - Rate limits by zone. A new taint starts evictions, so it is applied node by node through
//     a token bucket per zone (the topology.kubernetes.io/region and /zone labels). A zone is
//     Normal, PartialDisruption (at least three and at least Options.UnhealthyZoneThreshold
//     of its nodes not ready) or FullDisruption (none ready); see ComputeZoneState and
//     EvictionRate for the rates. When every zone is fully disrupted the controller assumes it
//     is the one cut off: it removes the taints everywhere, which cancels pending evictions,
//     and taints nothing until a node is ready again.
//   - Taint-based eviction. A pod bound to a node with NoExecute taints is deleted (through
//     the store's Delete, with its UID as precondition; the registry makes it graceful)
//     once the time TolerationTime allows has passed since the taints were added; at once
//     when it does not tolerate one of them, never when its tolerations have no
//     tolerationSeconds. The eviction is cancelled when the taints go away first. Before the
//     delete the pod gets the DisruptionTarget condition (reason DeletionByTaintManager).
//
// # Usage
//
//	c, err := nodelifecycle.New(m.Factory(), reg, nodelifecycle.Options{Clock: clk, Logger: log})
//	err = m.Add(c) // or: factory.Start(ctx); err = c.Run(ctx)
//
// New must be called before the factory's informers start (it adds an index to the pod
// informer). Run waits for the caches (CacheSyncers names them for a manager), then runs the
// monitor loop, the condition-taint workers and the eviction workers until its context ends,
// and returns only when all of them have stopped. Run it in one replica at a time (under leader election): two controllers
// would each apply the rate limits, doubling them.
//
// # Concurrency and ownership
//
// The monitor state (node health, zones, queues) belongs to the monitor loop; the eviction
// clocks to the eviction workers, which never handle one pod twice at once (nor the
// condition-taint workers one node). Objects read from
// the informer caches are never modified; every write is a read-modify-write of the store's
// current object (GuaranteedUpdate) that re-checks its condition, so a node that reported or a
// pod that was replaced meanwhile is never overwritten with stale beliefs. Every wait uses
// Options.Clock; the package keeps no global state.
package nodelifecycle
