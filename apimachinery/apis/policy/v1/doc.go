// Package v1 holds the policy/v1 API types: PodDisruptionBudget, which bounds how many pods of a
// set voluntary disruptions (drains, evictions) may take down at once, and Eviction, the body of
// the pods/eviction subresource that asks for a pod to be deleted only when its budgets allow.
// Field names, JSON tags and pointer-ness follow Kubernetes exactly.
//
// Usage: import as policyv1. A disruption controller keeps PodDisruptionBudgetStatus up to date
// (CurrentHealthy, DesiredHealthy, ExpectedPods and DisruptionsAllowed); the eviction handler
// admits an Eviction while DisruptionsAllowed is above zero and records the pod in
// DisruptedPods until it is gone.
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
