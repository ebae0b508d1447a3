// Package deployment is the Deployment controller: it turns each apps/v1 Deployment into
// ReplicaSets, one per pod template, and rolls pods from the old template to the new one with
// Kubernetes' semantics, so that kubectl (rollout status, history, undo, pause, resume,
// scale) works against it unchanged.
//
// # What it does
//
//   - The ReplicaSet of the current template is named <deployment>-<hash>, where the hash
//     (TemplateHash) is an FNV hash of the template's JSON and status.collisionCount; the hash
//     is added as the pod-template-hash label to the ReplicaSet, its selector and its pod
//     template, so the pods of different templates never overlap. A name taken by another
//     ReplicaSet bumps status.collisionCount and the next reconcile uses the next hash.
//   - RollingUpdate grows the new ReplicaSet while at most replicas+maxSurge pods exist and
//     shrinks old ones (their unavailable pods first, oldest ReplicaSet first) while at least
//     replicas-maxUnavailable pods stay available (ResolveFenceposts: surge rounds up,
//     unavailable down; both zero is invalid). Recreate scales every old ReplicaSet to zero,
//     waits until none of their pods runs (terminating pods count), then creates the new one.
//   - Revisions: the new ReplicaSet gets the highest old revision plus one in the
//     deployment.kubernetes.io/revision annotation; an old ReplicaSet whose template comes
//     back (a rollback: setting the template back, which is what kubectl rollout undo does)
//     is reused and moved to the new highest revision, its earlier revisions kept in
//     deployment.kubernetes.io/revision-history. The Deployment carries its current revision
//     too. The desired-replicas and max-replicas annotations record the size each
//     ReplicaSet was last scaled for.
//   - Old ReplicaSets beyond spec.revisionHistoryLimit are deleted once the rollout is
//     complete (or while paused), lowest revision first, only when they have no pods.
//   - A paused Deployment is still scaled but not rolled out; its Progressing condition says
//     DeploymentPaused (then DeploymentResumed). A change of spec.replicas during a rollout
//     is spread over the active ReplicaSets in proportion to their sizes (Kubernetes'
//     proportional scaling; what rounding leaves over goes to the largest, the newest among
//     equals when scaling up).
//   - Status (observedGeneration, replicas, updatedReplicas, readyReplicas,
//     availableReplicas, unavailableReplicas, terminatingReplicas, collisionCount) is
//     computed from the ReplicaSets' status and written through "deployments/status",
//     with the Available condition (MinimumReplicasAvailable or MinimumReplicasUnavailable)
//     and the Progressing condition (NewReplicaSetCreated, FoundNewReplicaSet,
//     ReplicaSetUpdated, NewReplicaSetAvailable, or ProgressDeadlineExceeded once the
//     rollout made no progress for progressDeadlineSeconds on Options.Clock; the controller
//     asks to be called again when that deadline would pass). RolloutStatus reads these
//     fields the way kubectl rollout status does.
//   - ReplicaSets are adopted and released by selector (controller.ClaimChildren). A
//     Deployment being deleted only gets its status updated.
//
// The controller relies on the store's registry semantics (store/registry): the status
// subresource, generation bumps, defaulting. Because the registry's status subresource
// writes status only, the Deployment's own revision annotation is written through the main
// resource, which (as for any annotation change of a Deployment) bumps its generation once
// per new revision; the status written right after observes that generation.
//
// # Usage
//
//	c, err := deployment.New(m.Factory(), reg, deployment.Options{Recorder: recorder, Clock: clk})
//	err = m.Add(c)   // the manager starts the informers and waits for c's caches
//	err = m.Run(ctx) // c.Run reconciles until ctx is done
//
// # Concurrency and ownership
//
// Up to Options.Workers Deployments are reconciled at once, never one Deployment by two
// workers. Objects read from the informers' caches are shared and never modified: a
// reconcile works on its own copies. Every write carries the resourceVersion it was computed
// from, so a reconcile that raced with another writer fails with a Conflict and is retried
// from fresh state; a reconcile first waits for the caches to show the controller's own
// earlier writes for that Deployment. Run owns the workers and returns once they stopped.
// Time comes from Options.Clock; the package keeps no global state.
package deployment
