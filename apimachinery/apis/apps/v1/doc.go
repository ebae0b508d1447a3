// Package v1 holds the apps/v1 API types: Deployment (declarative rollouts of ReplicaSets),
// ReplicaSet (a fixed number of identical pods), DaemonSet (one pod per eligible node),
// StatefulSet (pods with stable names and storage, created and updated in order) and
// ControllerRevision (an immutable snapshot of a DaemonSet's or StatefulSet's pod template, the
// history behind rollbacks). Field names, JSON tags, pointer-ness and patch strategies follow
// Kubernetes exactly, so kubectl rollout, scale and apply work against them unchanged.
//
// Usage: import as appsv1. A controller reads the spec, drives pods towards it, and writes the
// status back with ObservedGeneration set to the generation it acted on:
//
//	d.Status.ObservedGeneration = d.Generation
//	d.Status.Replicas, d.Status.ReadyReplicas = total, ready
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
