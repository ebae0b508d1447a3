// Package scheduler is the driver around the pure scheduling core (package framework): it
// watches pods and nodes in a store through informers, keeps a cache with assumed pods
// (package cache) and a scheduling queue (package queue), runs one scheduling cycle at a time,
// and binds pods asynchronously by writing spec.nodeName to the store.
//
// The usage loop:
//
//	s, err := scheduler.New(scheduler.Options{Store: st, Parallelism: 4})
//	err = s.Run(ctx) // until ctx ends; every goroutine it started has ended when it returns
//
// A cycle pops the highest-priority pod, evaluates it against the cache's snapshot under the
// cache lock (informer updates wait for the cycle), and on success assumes the pod in the
// cache before the binding goroutine writes it; the next cycle already accounts for it. The
// binding is a GuaranteedUpdate that sets spec.nodeName only if the pod still has the same UID
// and no node, so a pod is never bound twice, even by two schedulers. A failed binding forgets
// the assumed pod and requeues it. Bindings run on binding workers: an idle worker takes the
// next binding, a new one starts when none is idle (so bindings never queue behind each
// other), and idle workers exit after a second; a pod waiting on Permit has a goroutine of its
// own. A binding never waits for the cache lock a cycle holds (its node view was taken at
// assume time, and cache.Cache.FinishBinding defers to the next cycle when the cache is busy),
// so bindings overlap cycles on the other cores. The scheduling loop is the calling goroutine
// of Parallelizer work too (Options.Parallelism), which hands out nodes in order from a shared
// counter. Status (the PodScheduled condition, nominatedNodeName) is
// written through the "pods/status" subresource when the store serves it (store/registry,
// which ignores status in writes of the pod itself), else together with the pod. A pod that fits nowhere gets the condition PodScheduled=False
// with kube-scheduler's message; if preemption found room, the victims are deleted (with a UID
// precondition), the pod's status.nominatedNodeName is set and the nomination is counted by
// later cycles. Node events and deletions of bound pods move unschedulable pods back to be
// retried; a ticker on Options.Clock flushes backoff and expires unconfirmed assumed pods.
//
// Ownership: the pod and node informers share the store's immutable objects
// (store.WatchOptions.SharedObjects; Options.CopyInformerObjects makes them copy), and the
// cache, the queue, the framework and every plugin get those objects: they only read them.
// The assumed pod is a shallow copy of the informer's pod with spec.nodeName set; the binding
// is a shared update (store.Typed.GuaranteedUpdateShared) whose function returns a shallow
// copy of the stored pod with spec.nodeName and a new conditions slice, and the reservation
// ledger is updated the same way, so a binding copies no pod on a memory store. Out-of-tree
// plugins must follow the same rule: never modify a pod or node they are handed.
//
// Borg's techniques are on by default and each can be switched off to measure it: sampling
// (the profile's PercentageOfNodesToScore), equivalence classes (Options.
// DisableEquivalenceClasses: filter verdicts and cluster-wide PreFilter/PreScore aggregates
// shared by pods with identical scheduling requirements, recomputed only for nodes that
// changed) and score caching (Options.DisableScoreCache); see package framework.
//
// A pod that a Permit plugin asks to wait stays assumed (its resources reserved) and in flight
// in the queue while its binding goroutine waits (framework.WaitOnPermit) for the plugins to
// allow it through the framework handle; rejected by a plugin, timed out on Options.Clock, or
// deleted meanwhile, it is un-reserved, forgotten by the cache and parked as unschedulable,
// and the pods its reservation kept out are moved back to be retried.
//
// # Several schedulers on one store
//
// Each scheduler decides from its own cache, which learns of another scheduler's bindings only
// through its informer; binding through a GuaranteedUpdate of the pod alone keeps a pod from
// being bound twice but not a node from being over-committed by two schedulers that each saw
// the same free room. The node reservation protocol closes that gap (on unless
// Options.DisableNodeReservation). Every node has a reservation ledger: a coordination.k8s.io
// Lease "scheduler-node-<node>" in Options.ReservationNamespace whose annotation
// ReservationsAnnotation lists the pods reserved on the node (UID, requests, host ports,
// expiry, and whether a reserver saw the pod bound there). Before binding, the binder updates
// that lease with a compare-and-swap on its resourceVersion (a GuaranteedUpdate) and commits
// its own reservation only if the pod fits (pods, cpu, memory, ephemeral storage, extended
// resources, host ports) beside the ledger's entries and the pods on the node; otherwise the
// binding fails with ErrNodeFull and the pod is requeued. Then it binds the pod, unless the
// reservation expired meanwhile (Options.ReservationTTL).
//
// The pods on the node come from one of two places. The cached check uses the scheduler's
// cache: the node, its pods (bound and assumed), and every ledger entry whose pod the cache
// does not place on the node; an entry whose pod the cache shows bound there is marked bound.
// The cache's view of the node is the one taken when the pod was assumed (under the same
// lock, cache.Cache.AssumePodInfo), so a binding never waits for the cache lock a cycle
// holds; the argument below holds for any earlier view, as a view can only miss pods whose
// ledger entries are then counted, or hold pods that are gone, which over-counts.
// The store check re-reads the node and, after the lease, the pods bound to the node from the
// store (a linearizable list through the spec.nodeName index), adds the entries whose pods are
// not among them, marks the listed ones bound, and drops the entries that hold nothing: pods
// finished, deleted (a pod of the same name has a new UID) or bound elsewhere, and entries
// that expired unbound. The cached check is used unless the ledger holds an entry that expired
// without being marked bound and without the cache placing its pod on the node, or the pod
// does not fit by the cached check (then the store decides, and may free stale entries): in
// a steady cluster only the lease is read and written, not the node's pods.
//
// Why no node is over-committed: reservations on one node are serialised by the lease's
// compare-and-swap, so a reserver's read of the lease contains every earlier reservation
// except those dropped. Invariant: every pod bound to the node through the protocol has an
// entry in the ledger until a store check, reading the store after the lease, sees it
// finished, deleted or bound elsewhere, none of which is ever undone, so it holds no
// resources on the node any more. Entries are dropped only (a) by such a store check; (b) by
// a store check when the entry expired and its pod is not listed on the node, and then it
// never will be bound through it (the binder writes only before the expiry, and the list is
// read after it); (c) by its own scheduler after the binding surely failed; (d) when the
// same pod reserves again (its old entry is replaced). Bound entries never expire. So every
// pod bound through the protocol is counted by every later reservation: a store check counts
// it as listed or through its entry; a cached check counts its entry, or the cache's copy of
// the same pod when the cache places it on the node (same UID, same requests, counted once).
// A cached check never drops an entry, and it never trusts the cache to say an unbound
// expired entry holds nothing: whether its pod was bound before the expiry only the store
// knows. The cache can only over-count (pods it still holds after their deletion, assumed
// pods whose binding will fail), which at worst sends the check to the store. The
// assumptions: schedulers' clocks agree to well within the TTL, every scheduler on the store
// runs this version of the protocol (earlier versions dropped entries of bound pods), and
// every writer of spec.nodeName follows the protocol. Pods that do not (created with
// spec.nodeName set, or bound by a scheduler that does not use the protocol) are not
// serialised against: a cached check counts them once they are in this scheduler's cache, a
// store check once they are in the store.
//
// Limits: every cluster event requeues every unschedulable pod (plugins do not yet declare
// the events that matter to them).
package scheduler
