// Package store is the contract of cellkit's versioned, watchable object store, and its typed
// facade. It is the single source of truth of a control plane: every component reads objects
// from it and writes them back to it, and learns about changes by watching it. Backends live in
// sub-packages (store/memory is the embedded default); store/storetest is the conformance suite
// every backend passes.
//
// # Model
//
// A store holds objects of the resources it was given (see Resource), addressed by
// resource, namespace (empty for cluster-scoped resources) and name. It has one revision
// counter, an int64 that only grows: every successful write (create, update, delete) takes the
// next revision, and an object's resourceVersion is the decimal revision of its last write. A
// deleted object's last state is returned and watched with the revision of the delete. A List
// reports the revision it reflects; watching from that revision continues exactly where the
// list ended.
//
// # Usage
//
// Callers use the typed facade, For, so they never cast:
//
//	pods := store.For[*corev1.Pod](s, schema.GroupResource{Resource: "pods"})
//	p, err := pods.Create(ctx, &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web"}})
//	l, err := pods.List(ctx, "default", store.ListOptions{Labels: sel})
//	w, err := pods.Watch(ctx, "default", store.WatchOptions{Revision: l.Revision})
//	for ev := range w.ResultChan() { ... }
//
// The loop of a controller-like consumer is: list (paginated if large), watch from the list's
// revision, and when the watch ends, watch again from the last revision received; when that
// fails with Expired (410), list again.
//
// # Guarantees
//
//   - Writes are strictly serializable: each takes effect atomically at one revision, between its
//     call and its return, in revision order.
//   - Reads are linearizable by default (Latest): a read sees every write that returned before
//     the read started. Any, NotOlderThan and Exact ask for less, or for a given snapshot.
//   - Lists read one snapshot: every page of a paginated list (Limit, Continue) reads the
//     revision of the first page, whatever happens in between, until that revision is
//     compacted (then Expired).
//   - Watches are ordered (increasing revisions), unique (no revision twice), reliable (no
//     change after the start revision that matches the selectors is missed), atomic (a
//     revision is never split), resumable (watching again from the last revision received
//     continues the stream exactly, as long as that revision is in the kept history) and
//     bookmarkable (a Bookmark at revision R promises that every matching change up to R was
//     delivered).
//   - Slow watchers never block writers or other watchers: a watcher that falls too far behind
//     gets an Error event with a TooManyRequests (429) status after the events it was given
//     and its stream ends; it resumes from the last revision it received.
//   - Objects handed out are copies: changing them never changes the store, and changing an
//     object after passing it in never changes the stored one. The exceptions are opt-in and
//     move the promise to the caller: a watch with SharedObjects, whose consumer promises not
//     to modify event objects, and Typed.GuaranteedUpdateShared (SharedUpdater), whose caller
//     promises not to modify the current object it is given nor the object it returns or gets
//     back (it writes a shallow copy that replaces only what it changes).
//
// # Ownership of fields
//
// The store sets uid, creationTimestamp (from its clock), generation (1 on create) and
// resourceVersion on create, and picks a name from generateName. It never interprets spec or
// status: bumping metadata.generation when the spec changes is the job of the caller (the
// registry layer, which knows which fields are spec), and an Update carries the caller's
// generation over as it is (an Update that leaves it 0 keeps the stored one).
//
// # Errors
//
// Every error is an API error of package apimachinery/errors, so it maps to a Kubernetes
// Status: NotFound (404), AlreadyExists and Conflict (409), Expired (410), Invalid (422) for
// bad names, BadRequest (400) for a wrong kind, an unknown resource or a corrupted continue
// token, RequestEntityTooLarge (413) for an object over the size limit, and
// TooLargeResourceVersion (a 504 Timeout with a ResourceVersionTooLarge cause) for a revision
// in the future. A failed write changes nothing.
//
// # Kubernetes query parameters
//
// ParseGetOptions, ParseListOptions and ParseWatchOptions turn the query of a Kubernetes get,
// list or watch request into store options with the API server's rules (resourceVersion ""
// is latest, "0" any, "N" not older than N or, for a paginated list, exactly N; a watch from
// "" or "0" starts with the current state; sendInitialEvents needs allowWatchBookmarks and
// resourceVersionMatch=NotOlderThan), answering invalid combinations with Invalid or
// BadRequest. The Meta methods of the options go the other way, for clients.
//
// # Concurrency
//
// Every backend is safe for concurrent use by any number of goroutines. Watches are stopped
// with their Stop method or by cancelling the context given to Watch; either releases every
// resource the watch holds.
package store
