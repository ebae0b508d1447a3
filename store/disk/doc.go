// Package disk is the durable single-node backend of the store contract (package store): the
// objects, the revision counter and a bounded history of changes live in one bbolt file
// (go.etcd.io/bbolt, the B+tree engine under etcd), and a copy of the state lives in memory so
// that reads, lists and watches never touch the disk.
//
// # Usage
//
//	s, err := disk.Open(disk.Options{Path: "/var/lib/cp/store.db", Resources: resources})
//	if err != nil { ... }
//	defer s.Close(ctx)
//	pods := store.For[*corev1.Pod](s, schema.GroupResource{Resource: "pods"})
//	p, err := pods.Create(ctx, pod) // returns once the pod is on stable storage
//
// Everything else is the store contract: see package store for the operations, guarantees and
// errors, all of which this backend provides (the store/storetest suite checks them).
//
// # Durability
//
//   - A write (create, update, delete, compaction) is acknowledged only after the bbolt
//     transaction holding it is committed and fsynced (fdatasync). After a crash at any
//     moment, including kill -9 or power loss on a disk that honours flushes, Open finds
//     every acknowledged write.
//   - A write becomes visible to readers and watchers only after it is on disk: nobody ever
//     sees a state that a crash could take back. A failed write (an error returned) changed
//     nothing, on disk or in memory; a write whose context ends before the committer took it
//     is withdrawn, one already taken is waited for.
//   - Each batch of writes is one transaction: a crash leaves all of it or none of it, so no
//     half-applied write (an object without its history record, a revision counter behind an
//     object) is ever visible. Open checks this (the revision is at least every object's, the
//     history is contiguous and agrees with the objects) and refuses a database that breaks
//     it; Check verifies the same of a running store.
//   - The history (MaxHistory changes, MaxHistoryAge old) is on disk: watches and reads at
//     past revisions resume across a restart within that window; older revisions get
//     Expired, as after a Compact, which is persisted too.
//
// # Group commit
//
// One committer goroutine owns all writes. It takes every request waiting, checks each
// against the current state (and the batch's earlier writes), assigns the next revisions,
// writes the batch in one transaction with one fsync, applies it to memory, wakes the
// watchers and answers every caller. Batches form by themselves while the previous fsync
// runs, with no timer: a lone writer pays one fsync per write, 256 concurrent writers share
// one fsync among dozens of writes.
//
// # Memory and reopening
//
// Objects are stored as their JSON (the Kubernetes wire form) and decoded into memory at
// Open, on all cores; field indexes (store.Resource.Indexes) and the namespace order are
// rebuilt in memory. Memory use is that of the memory backend holding the same objects.
//
// # Concurrency
//
// A Store is safe for concurrent use. Objects passed in are copied; objects handed out are
// the caller's own (except watch events of a SharedObjects watch). Watches are served by one
// goroutine each, pulling from the in-memory history, so writers never wait for watchers;
// Close ends every watch, fails queued writes with ErrClosed and waits for every goroutine
// the store started. Only one process can open a database file at a time (bbolt's file
// lock).
package disk
