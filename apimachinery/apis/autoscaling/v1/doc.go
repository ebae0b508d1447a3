// Package v1 holds the autoscaling/v1 API types: Scale, the body of every scale subresource
// (kubectl scale reads and writes it for Deployments, ReplicaSets and StatefulSets), and the
// CPU-only HorizontalPodAutoscaler of autoscaling/v1. The multi-metric autoscaler is in
// autoscaling/v2. Field names, JSON tags and pointer-ness follow Kubernetes exactly.
//
// Usage: import as autoscalingv1; a scale subresource handler reads a workload, answers with
//
//	&autoscalingv1.Scale{
//		ObjectMeta: meta.ObjectMeta{Name: d.Name, Namespace: d.Namespace},
//		Spec:       autoscalingv1.ScaleSpec{Replicas: *d.Spec.Replicas},
//		Status:     autoscalingv1.ScaleStatus{Replicas: d.Status.Replicas, Selector: "app=web"},
//	}
//
// and applies Spec.Replicas of an incoming Scale to the workload.
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
