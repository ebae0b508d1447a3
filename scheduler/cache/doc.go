// Package cache is the scheduler driver's view of the cluster: nodes and bound pods fed by
// informers, plus assumed pods that a scheduling decision placed before their binding is
// observed, so that the next decision never waits for the previous bind to round-trip.
//
// The usage loop: informer handlers call AddNode/UpdateNode/RemoveNode and AddPod/UpdatePod/
// RemovePod; the scheduling loop runs each cycle inside Do (which hands it the incrementally
// updated framework.Snapshot), then AssumePod with the chosen node; the binding goroutine calls
// FinishBinding after the store write returns, or ForgetPod if it failed; the informer's AddPod
// or UpdatePod of the bound pod confirms it; a periodic Cleanup forgets assumed pods that were
// never confirmed within the TTL after their binding finished.
//
// Concurrency: every method is safe for concurrent use. Do holds the cache's lock while its
// function runs, so handler updates wait for the cycle in progress and a cycle never sees a
// half-applied change.
package cache
