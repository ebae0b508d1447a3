// Package garbagecollector deletes the objects whose owners are gone, with Kubernetes'
// semantics: it is what kube-controller-manager's garbage collector does for a cluster,
// built on cellkit's shared informers, work queues and store.
//
// # Model
//
// Every tracked object (Options.Resources; by default every resource of the scheme that can be
// deleted, listed and watched, except events) is a node of an owner-reference graph, keyed by
// UID, with its owners (its metadata.ownerReferences) and its dependents (the objects that
// name it as owner). An owner named by a dependent but not seen through an informer yet is a
// virtual node; before anything is done because of it, a worker reads the store to verify it
// (by name, comparing UIDs). Two work queues of UIDs drive the workers:
//
//   - attemptToDelete: an object whose owners may be gone. Each owner reference is checked
//     against the store: solid (the owner exists), dangling (not found, or another UID has its
//     name) or waiting (the owner is being deleted in the foreground). With a solid owner left
//     the object stays and only loses its dangling and waiting references; with none it is
//     deleted (UID and resourceVersion as preconditions, so a decision is never applied to a
//     changed object), in the foreground when a waiting owner needs it to take its own
//     dependents first.
//   - attemptToOrphan: an owner deleted with the "orphan" finalizer (PropagationPolicy Orphan):
//     the reference to it is removed from every dependent, then the finalizer.
//
// Deletion with the "foregroundDeletion" finalizer (PropagationPolicy Foreground) deletes the
// dependents first: the owner keeps its finalizer until no dependent whose reference has
// blockOwnerDeletion is left (a pod in graceful termination still counts). A dependent that
// has dependents of its own is itself deleted in the foreground, so the owner waits for the
// whole blocking subtree; leaves are deleted in the background. A dependent kept by another
// owner only loses its reference. Ownership cycles cannot wait forever: an object that would
// wait for an owner waiting for it has its reference unblocked, as Kubernetes does. Background
// deletion (the default) removes the owner at once; its dependents are collected afterwards. Owner references are resolved the Kubernetes way:
// a namespaced owner is looked up in the dependent's namespace (a reference to an owner in
// another namespace is dangling), a cluster-scoped one without namespace, and a reference from a
// cluster-scoped object to a namespaced kind never resolves (the object is left alone and an
// OwnerRefInvalidNamespace Event is recorded). Failures are retried per item with backoff, so
// one bad object never blocks the others.
//
// The store must be the registry (store/registry) or another store.Interface that implements
// the deletion lifecycle (deletionTimestamp, finalizers, propagation policies): the collector
// only removes references and finalizers and issues deletes.
//
// # Usage
//
//	gc, err := garbagecollector.New(m.Factory(), reg, garbagecollector.Options{Clock: clk, Logger: log})
//	err = m.Add(gc) // or: factory.Start(ctx); go gc.Run(ctx)
//
// Types: the collector watches through the factory's typed shared informers, so a resource
// shares its cache with every controller that watches it. The built-in kinds are known; a
// custom kind needs its Type in Options.Types (TypeOf[*Website]()).
//
// # Concurrency and ownership
//
// New adds a handler to the shared informer of every tracked resource; Run, called once, waits
// until those handlers have seen their initial lists, runs Options.Workers workers per queue
// until ctx ends, and returns after they have all stopped and the handlers are removed. The
// graph is guarded by one mutex, held only for in-memory updates: store calls are made
// without it. Objects from the informers are never modified. Like Kubernetes' collector, it
// acts on what its informers have delivered: a dependent created just before its owner is
// deleted with the orphan or foreground policy may be seen after the owner is gone, and is then
// collected.
package garbagecollector
