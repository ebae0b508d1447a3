// Package v1 holds the discovery.k8s.io/v1 API types: EndpointSlice, a shard of the network
// endpoints of a Service. The endpointslice controller keeps slices of up to about 100
// endpoints per Service and address type, labelled kubernetes.io/service-name; proxies and DNS
// read them. Field names, JSON tags and pointer-ness follow Kubernetes exactly.
//
// Usage: import as discoveryv1; list the slices of a Service by the LabelServiceName label and
// join their Endpoints, honouring Conditions (Ready for traffic, Serving during termination).
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
