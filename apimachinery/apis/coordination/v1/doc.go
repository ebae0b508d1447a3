// Package v1 holds the coordination.k8s.io/v1 API types: Lease, the object that leader election
// and node heartbeats are built on. A holder writes its identity and renewTime into the lease
// and keeps renewing it; a candidate may take the lease over once renewTime plus
// leaseDurationSeconds has passed. Field names, JSON tags and pointer-ness follow Kubernetes
// exactly, so these objects travel to and from real Kubernetes clients unchanged.
//
// Usage: import as coordinationv1, build a Lease, and hand it to a store or client:
//
//	lease := &coordinationv1.Lease{
//		ObjectMeta: meta.ObjectMeta{Name: "controller", Namespace: "kube-system"},
//		Spec: coordinationv1.LeaseSpec{HolderIdentity: &id, LeaseDurationSeconds: &seconds},
//	}
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
