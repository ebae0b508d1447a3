// Package v2 holds the autoscaling/v2 API types: the HorizontalPodAutoscaler that scales a
// workload on any mix of metrics (resource use of pods or of one container, per-pod custom
// metrics, a metric of another object, external metrics), with scale-up and scale-down
// behaviour set by stabilization windows and rate policies. Field names, JSON tags, pointer-ness
// and patch strategies follow Kubernetes exactly.
//
// Usage: import as autoscalingv2. An autoscaler computes a desired replica count for each entry
// of Spec.Metrics, takes the largest, limits it by Spec.Behavior and the replica bounds, writes
// it to the target's scale subresource, and reports CurrentMetrics and Conditions in Status.
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v2

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
