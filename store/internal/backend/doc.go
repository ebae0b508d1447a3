// Package backend holds what the store's backends do the same way, so that each behaviour has
// one implementation: checking objects on the way in (kind, name, namespace, size), filling
// the fields the store owns (PrepareCreate, PrepareUpdate, GenerateName), preconditions,
// revisions and their errors, the MVCC keyspace core the memory, disk and cache backends keep
// their objects in (Entry, Version, Index with compaction by Prune), selectors (Selector:
// label and field matching, the index bucket or object a selector pins, a watcher's Route),
// lists (ListStart, Candidates, ReadPage, continue tokens), and watches (Change and
// Selector.Event for the selector-transition typing of events, Queue for a watcher's bounded
// buffer with slow-watcher overflow, Stream for the consumer's channel, bookmarks and initial
// events).
//
// Usage: a backend resolves its resources with NewResources, checks every write with the
// Resource methods, stores entries indexed by an Index, answers a List with ListStart,
// Candidates and ReadPage under its own lock and Page.List after releasing it, and delivers
// each Change to a watcher through Selector.Event into the watcher's Stream.
//
// Concurrency: the package has no state of its own. Functions and Resource methods are safe
// for concurrent use; Entry, Index and Page are guarded by the backend's lock (the functions
// that read or change them say so); a Queue carries its own lock; a Stream is safe for one
// sending goroutine and any number of Stop callers.
package backend
