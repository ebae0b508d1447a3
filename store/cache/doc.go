// Package cache is the watch cache of the store: it fronts any store backend (memory, disk,
// etcd, or another store.Interface) and implements store.Interface itself, so that lists,
// reads and thousands of watches are served from memory while the backend sees one watch per
// resource.
//
// # Usage
//
//	b, err := etcd.New(etcd.Options{Client: cli, Resources: resources})
//	c, err := cache.New(b, cache.Options{Resources: resources})
//	defer c.Close()
//	pods := store.For[*corev1.Pod](c, podsResource) // use c wherever a store is expected
//	l, err := pods.List(ctx, "", store.ListOptions{Fields: onNode})
//	w, err := pods.Watch(ctx, "", store.WatchOptions{Revision: l.Revision})
//
// # How it works
//
// Per cached resource (Options.Resources), on its first read or watch (or in New with
// Options.Eager), a goroutine lists the resource from the backend and watches it from the
// list's revision. It keeps the current objects, the versions recent reads may need, and a
// window of the last Options.HistorySize changes. When the upstream watch ends it resumes
// from the last revision received; when the backend answers that revision with Expired
// (410) it lists again, and the watches it served get an Expired error unless the list
// shows that nothing they could have seen changed. Upstream failures are retried at once,
// then with jittered backoff on Options.Clock.
//
// Writes (Create, Update, Delete, Compact) go to the backend. A successful write then waits,
// at most Options.WaitTimeout, until the cache reflects it, so a caller reads its own writes
// even with Any. GuaranteedUpdate makes its first attempt from the cached object and writes
// it with that object's resourceVersion as precondition; a Conflict (the cache was behind),
// or any case the cached copy cannot settle (missing object, failing precondition, fn
// failing or changing nothing), hands the call to the backend's GuaranteedUpdate, which
// reads the current object: a stale cache costs a retry, never a lost update.
//
// Reads and lists:
//   - Any: the cache's current state.
//   - NotOlderThan(N): the current state once the cache reached N. N beyond the backend's
//     revision fails at once with TooLargeResourceVersion; if the cache does not reach N
//     within WaitTimeout the read fails with TooLargeResourceVersion too (as the Kubernetes
//     API server's watch cache does).
//   - Latest (linearizable): the cache learns the backend's current revision
//     (Options.CurrentRevision, by default the backend's Stats; concurrent reads share one
//     call that started after they did), asks the upstream watch for a bookmark
//     (store.ProgressRequester) and waits until it reached that revision. It never serves a
//     state older than a write that completed before the read; if the cache does not catch
//     up within WaitTimeout the read is handed to the backend.
//   - Exact(N) and continue tokens: from memory when N is within the window, else from the
//     backend (which has the history or answers Expired). Tokens are the backends' format, so
//     a list may start on one and continue on the other.
//
// Watches from a revision within the window (or "now", which is the backend's revision at the
// call) are served from memory: replayed from the window, then live. A watch from an older
// revision is handed to the backend, which serves it if it still has that history and
// otherwise reports Expired on the stream, as the contract says. SendInitialEvents serves the
// current state (at least Revision; with Revision 0 the backend's revision at the call) then
// the changes. Bookmarks, periodic (Options.BookmarkInterval on Options.Clock) and requested
// (RequestProgress), are answered like Latest reads: once the cache reached the backend's
// revision of that moment, so a bookmark is never older than what the caller could know.
//
// Selectors are applied by the cache, with the resource's indexed fields (store.Resource
// Indexes) used both to list (spec.nodeName=X reads only those objects) and to route changes
// to watchers, so a watcher pinning an indexed field, one object or one namespace is only
// woken by the changes that may concern it. Selector transitions are typed as the contract
// says: an object that starts matching arrives as Added, one that stops matching as Deleted
// with its last matching state at the revision of the change.
//
// # Guarantees
//
// The cache keeps every guarantee of the store contract (see package store): writes are the
// backend's; reads are linearizable by default; lists read one snapshot across pages; watches
// are ordered, unique, reliable, atomic, resumable within the window (and beyond it through
// the backend) and bookmarkable. Slow watchers never block the upstream goroutine, writers or
// other watchers: a watcher more than Options.WatchBuffer changes behind is closed with a
// TooManyRequests error after the events it was given, and resumes from the last revision it
// received.
//
// # Concurrency and ownership
//
// A Cache is safe for concurrent use. Objects in the cache are immutable: the upstream watch
// asks the backend for shared objects, reads return deep copies, and watch events are
// copies unless the watch set SharedObjects, in which case every watcher receives the same
// object and must not modify it. Each open watch has one goroutine, each cached resource two
// (the upstream loop and the progress loop); Close ends all of them, and every watch served
// from memory, and returns once they stopped. Close does not close the backend.
package cache
