// Package v1 holds the scheduling.k8s.io/v1 API types: PriorityClass, which maps a class name
// that pods name in spec.priorityClassName to an integer priority, whether it is the default for
// pods that name none, and whether its pods may preempt lower-priority pods. Field names, JSON
// tags and pointer-ness follow Kubernetes exactly.
//
// Usage: import as schedulingv1. Admission resolves a pod's priorityClassName to Value and
// PreemptionPolicy; the scheduler orders its queue by the value and preempts by the policy.
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
