// Package replicaset is the ReplicaSet controller, with Kubernetes' semantics: it keeps the
// number of active pods (not Succeeded or Failed, no deletionTimestamp) of every ReplicaSet
// equal to spec.replicas, and reports what it sees in the ReplicaSet's status.
//
// # What a sync does
//
//   - Claim: pods of the namespace that the selector matches and that have no controller are
//     adopted (a controller reference to the ReplicaSet, blockOwnerDeletion true), pods it
//     controls that no longer match are released; both with the pod's UID as precondition,
//     and adoption only after re-reading the ReplicaSet from the store (controller.ClaimChildren).
//   - Scale: when the expectations of the ReplicaSet are satisfied and it is not being
//     deleted, missing pods are created from the template (generateName "<name>-") in slow-start
//     batches of 1, 2, 4, ... that stop at the first failed batch, and excess pods are deleted
//     least valuable first (see below); at most Options.BurstReplicas of either per sync.
//   - Status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (ready for at
//     least minReadySeconds on Options.Clock), observedGeneration and the ReplicaFailure
//     condition (set when creating or deleting failed, removed after a sync that succeeded) are
//     written through the "replicasets/status" subresource, only when they changed. A sync
//     with pods ready but not yet available requeues itself for when the next one will be.
//
// Pods of a ReplicaSet that is being deleted are left alone (neither created, deleted,
// adopted nor released): the garbage collector owns them.
//
// The deletion ranking, most expendable first: unassigned before assigned; Pending before
// Unknown before Running; not ready before ready; lower controller.kubernetes.io/pod-deletion-cost
// first; pods on nodes with more pods of the same Deployment's ReplicaSets first (for a
// ReplicaSet without controller: of itself); more recently ready first; more restarts first;
// more recently created first.
//
// # Expectations
//
// The controller counts pods from its informer cache, which lags behind its own writes. Before
// it creates n pods (or deletes a set of them) it records that expectation; its pod event
// handlers lower it as the cache sees each pod appear (or start its deletion, or vanish), and a
// failed or skipped write lowers it at once. Until the expectation is met (or
// Options.ExpectationsTTL passes), syncs of that ReplicaSet update status but neither create
// nor delete, so a slow cache never causes over- or under-creation.
//
// # Usage
//
//	rsc, err := replicaset.New(mgr.Factory(), reg, replicaset.Options{Recorder: rec})
//	err = mgr.Add(rsc) // or: factory.Start(ctx); err = rsc.Run(ctx)
//
// Pod events are mapped to the ReplicaSet named by the pod's controller reference, and for
// orphans to every ReplicaSet of the namespace whose selector matches them. New adds an index
// to the shared pod informer (pods by controlling ReplicaSet, orphans by namespace), so a sync
// reads its own pods and the orphans instead of its whole namespace; create the controller
// before the factory starts, or it falls back to scanning the namespace.
//
// # Concurrency and ownership
//
// Up to Options.Workers ReplicaSets are synced in parallel, never one twice at once. Objects
// from the informer caches are shared and never modified; every write goes to the store given
// to New. Run owns the workers and returns only once they have stopped; the informers belong
// to the factory. The package keeps no global state.
package replicaset
