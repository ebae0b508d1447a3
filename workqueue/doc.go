// Package workqueue provides Queue, the de-duplicating, delaying,
// rate-limited and prioritised work queue that controllers feed with object
// keys and drain with a pool of workers.
//
// # Semantics
//
// A Queue[T] holds items of a comparable type T (usually a "namespace/name"
// key). Each item is in at most one of these states: ready (waiting to be
// handed out), delayed (waiting for a deadline), processing (handed out by
// Get and not yet Done), or processing with a pending re-add.
//
//   - Stingy: an item is held once however often it is added. Adding a ready
//     item does nothing; adding a delayed item makes it ready now; adding an
//     item that is processing marks it to be handed out again after Done.
//   - Exclusive: an item is never handed to two workers at once. Between Get
//     returning it and the matching Done, no other Get returns it.
//   - Fair: ready items of one priority are handed out first in, first out.
//     Higher priorities go first (AddWith with AddOptions.Priority; plain
//     adds have priority 0). Re-adding an item keeps the higher of its
//     priorities and the earlier of its deadlines.
//   - No starvation: when the head of any priority level (its longest-queued
//     item) has been ready for at least Options.StarvationLimit (default
//     10s), Get hands out the head that has been ready longest instead of
//     the highest priority. Levels are FIFO (an item raised to a higher
//     priority joins the tail of its new level), so under a steady stream of
//     high-priority work a low-priority item is handed out about
//     StarvationLimit after it reaches the head of its level, never later.
//   - Delays: AddAfter(item, d) makes item ready after d on the queue's
//     Clock. All delayed items share one heap and one timer armed for the
//     earliest deadline: no polling, no goroutine per item. The earliest
//     deadline of an item wins.
//   - Rate limiting: AddRateLimited(item) delays item by the RateLimiter's
//     next wait for it (by default the maximum of a per-item exponential
//     backoff, 5ms doubling to 1000s, and a 10 qps / 100 burst token
//     bucket). Forget(item) resets its backoff; call it when the item was
//     processed successfully, or the limiter's per-item state grows with
//     every key that ever failed. NumRequeues reports the failures counted.
//   - Shutdown: ShutDown refuses later adds (AddWith returns ErrShutDown; the
//     other adds count them in Stats.DroppedAfterShutDown), discards delayed
//     items (counted in Stats.DiscardedOnShutDown) and wakes every blocked
//     Get. Get keeps handing out ready items, then returns ErrShutDown.
//     ShutDownWithDrain additionally waits, bounded by its context, until
//     every ready item was handed out and every handed-out item is Done.
//   - Context: Get(ctx) returns ctx.Err() when ctx ends before an item is
//     ready. An item handed out concurrently with ctx ending is returned,
//     never lost.
//
// # Usage
//
//	q, err := workqueue.New(workqueue.Options[string]{Name: "pods"})
//	if err != nil { ... }
//	defer q.ShutDown()
//	// producers (event handlers):
//	q.Add("default/web-0")
//	// each worker:
//	for {
//		key, err := q.Get(ctx)
//		if err != nil {
//			return // ErrShutDown or ctx.Err()
//		}
//		if err := reconcile(ctx, key); err != nil {
//			q.AddRateLimited(key) // retry with backoff
//		} else {
//			q.Forget(key) // success: reset backoff
//		}
//		q.Done(key)
//	}
//
// # Concurrency and ownership
//
// All methods of Queue are safe for concurrent use by any number of
// producers and workers. A worker that receives an item from Get owns it
// until it calls Done(item) exactly once; Done from anyone else, or for an
// item that is not processing, does nothing. Items are compared with ==, so
// T should be a value (a key), not a pointer to mutable state.
//
// An Add of an item that is already waiting (ready, or processing with a
// re-add pending) at a priority of at least 0 usually completes without
// taking the queue's lock: an item merged into more than once keeps a
// small immutable copy for such lock-free checks until its entry leaves
// the queue. Every Add, lock-free or not, takes effect atomically at one
// instant between its call and its return.
//
// When the workers do almost nothing between Get and Done, the queue itself
// is the bottleneck (saturated): its critical sections run in series
// whatever the number of cores. A Get or Done that then finds the lock
// taken while other workers keep taking items steps aside for a moment
// (about 0.1-1 ms of real time) so that the running workers keep the
// queue's memory in their caches; the queue moves faster that way, and
// ready items go to the running workers (only an item re-added while
// processing waits for its worker's Done, as always). Adds never step
// aside. Workers that do real work between Get and Done rarely meet a
// saturated queue.
//
// Time comes from Options.Clock (the real clock by default; tests inject a
// fake clock and never sleep). Metrics go to Options.Metrics, an injected
// MetricsProvider; the package keeps no global state. The Prometheus adapter
// lives in package workqueue/prometheus and uses the metric names Kubernetes
// dashboards know: workqueue_depth, workqueue_adds_total,
// workqueue_queue_duration_seconds, workqueue_work_duration_seconds,
// workqueue_unfinished_work_seconds,
// workqueue_longest_running_processor_seconds and workqueue_retries_total.
package workqueue
