// Package storetest is the exported conformance suite of the store contract. Every backend runs
// it from its own tests, and so can a third party's:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Interface {
//			s, err := mybackend.New(mybackend.Options{Resources: cfg.Resources, Clock: cfg.Clock, ...})
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// The suite builds a fresh store for every case through the Factory and tells it, in Config,
// which resources to hold (Resources: a namespaced Widget with an indexed field and a
// cluster-scoped Gizmo, test kinds defined here), which fake clock to use, and the size limit,
// slow-watcher threshold and bookmark period to honour. It covers every bullet of the contract:
// CRUD and its errors, conflicts and preconditions, GuaranteedUpdate's retry and no-op skip,
// reads and lists at revisions, pagination over one snapshot across concurrent writes, bad and
// compacted continue tokens, compaction and Expired, watches (from a revision, from now, scopes,
// selector transitions, initial events and their bookmark, periodic and requested bookmarks,
// Expired, slow-watcher close and resume), isolation of every object handed in or out, bad
// input (oversized objects, invalid names, wrong kinds, future revisions) leaving the store
// unchanged, and a linearizability test: concurrent clients checked with porcupine against a
// sequential model, with every watch stream checked against the six watch guarantees (ordered,
// unique, reliable, atomic, resumable, bookmarkable).
//
// RunLinearizability runs the linearizability check alone with options, notably faults: a
// Fault that runs alongside the clients, or a Restarter whose Stop and Start the runner calls
// at moments of the history drawn from the seed (restart an etcd member, crash and reopen a
// disk store). Writes that fail ambiguously during a fault are checked as "may or may not
// have happened" (pending forever in porcupine's terms), decided where the unfiltered watches
// show which of them took effect (a watched write that no call could have made fails the
// test); watches cut by a fault must resume without a gap or a repeat, or, for a backend
// that declares AllowExpired, relist and continue from the list. Every failure prints the
// seed; STORETEST_SEED replays its operations and fault schedule.
//
// Waits for watch events are bounded (10s) so a broken store fails instead of hanging; no case
// sleeps to wait for something. Cases run sequentially; each uses its own store and clock.
package storetest
