// Package memory is the embedded, in-memory backend of the store contract: an MVCC engine with
// a bounded history, field indexes and a zero-copy watch fan-out.
//
// # Usage
//
//	s, err := memory.New(memory.Options{Resources: resources})
//	pods := store.For[*corev1.Pod](s, podsResource)
//	created, err := pods.Create(ctx, pod)
//
// # How it works
//
// Every key keeps its versions (object, or tombstone for a delete) for as long as the history
// needs them; the store keeps the list of changes after its compaction point. Reads at the
// latest revision look at the newest version of a key, reads at an older revision at the newest
// version not after it, so a paginated list reads one snapshot however the store changes in
// between. The history is bounded by Options.MaxHistory changes and Options.MaxHistoryAge;
// beyond that it is compacted at write time, and Compact compacts on request. Reads, continue
// tokens and watches older than the compaction point fail with Expired (410).
//
// Stored objects are immutable: a write stores its own deep copy of the caller's object, and a
// read deep-copies outside the lock. Watch events share the stored object between watchers; the
// per-watcher goroutine copies it for the consumer unless the watch set SharedObjects.
// GuaranteedUpdateShared (store.SharedUpdater) copies nothing: its function gets the stored
// object and what it returns is stored as it is, sharing the unchanged parts with the previous
// version, which is sound because neither is ever modified.
//
// Field indexes (store.Resource.Indexes) map a field value to the keys that had it in a kept
// version, so "spec.nodeName=node-7" lists and watches touch only those keys; watchers are
// routed the same way, by indexed field value, object name or namespace, so a change reaches
// only the watchers that may want it.
//
// # Concurrency
//
// A Store is safe for concurrent use. Writes are serialized by one lock (each takes the next
// revision); reads share it. No goroutine runs in the background except one per open watch,
// which ends when the watch is stopped, its context is done, or it is closed for being slow.
package memory
