// Package builtin turns the resources of a scheme into the resource table of a store: for every
// built-in Kubernetes resource, its Go type, its selectable fields (spec.nodeName of pods,
// involvedObject.* of events, ...), the fields backends index, and Kubernetes' name rules.
//
// Usage: build the scheme, derive the table, open a backend with it, and use typed views:
//
//	scheme, err := apis.NewScheme()
//	resources, err := builtin.Resources(scheme)
//	s, err := memory.New(memory.Options{Resources: resources})
//	pods := store.For[*corev1.Pod](s, schema.GroupResource{Resource: "pods"})
//	onNode, err := pods.List(ctx, "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.nodeName", "node-1")})
//
// Only the preferred version of each resource is stored (autoscaling/v2 for
// horizontalpodautoscalers), and only resources that hold objects (bindings, which can only be
// created, are left out). Resources of other kinds in the scheme get the store's defaults:
// metadata fields only, no index, DNS-subdomain names.
//
// Concurrency and ownership: Resources builds a new table on every call; the table and the
// functions in it hold no mutable state and are safe for concurrent use.
package builtin
