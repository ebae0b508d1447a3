// Package controller is cellkit's reconcile runtime: a Reconciler[T] that drives the world
// towards the desired state of one item, a Controller that feeds it from a workqueue with a
// pool of workers, and a Builder that wires shared informers to that queue.
//
// # Level-based semantics
//
// A reconciler is told which object to look at (a Request: namespace and name), never what
// happened to it. It reads the current state (from an informer's Lister, or the store), compares
// it with the desired state, and acts. Events are only hints that something may need work:
// several changes of one object collapse into one queued request, an event missed while the
// process was down is made up for by the initial list, and resyncs replay every object. So a
// reconciler must be idempotent and must not depend on seeing every change.
//
// # Outcomes
//
//   - Result{} with a nil error: done. The rate limiter forgets the item.
//   - Result{RequeueAfter: d}: done for now, reconcile again after d (the backoff is reset).
//   - A non-nil error: retried with the rate limiter's per-item backoff (by default 5ms,
//     10ms, 20ms, ... up to 1000s, and at most 10 qps with bursts of 100 overall).
//   - An error wrapped with Terminal: recorded (log and metric) and not retried; the item is
//     reconciled again when it changes.
//   - A panic: recovered and turned into a *PanicError, then retried like any error.
//
// A reconcile's context is cancelled when the controller stops, and, with
// Options.ReconcileTimeout, when it runs too long (cause ErrReconcileTimeout).
//
// # Usage
//
//	c, err := controller.NewBuilder(factory, scheme).
//		For(controller.Object[*Widget](controller.GenerationChanged[*Widget]())).
//		Owns(controller.Object[*Pod]()).
//		WithOptions(controller.Options[controller.Request]{Workers: 4}).
//		Build(controller.Func[controller.Request](reconcile))
//	factory.Start(ctx)
//	err = c.Run(ctx) // waits for the caches, runs the workers until ctx is done
//
// Objects of the initial list and of resyncs are enqueued at PriorityLow, so fresh changes
// are reconciled first after a restart or during a resync.
//
// # Helpers
//
// SetControllerRef and ClaimChildren manage owner references (adopting matching orphans and
// releasing children that no longer match, with UID preconditions so a recreated object is
// never touched); AddFinalizer, RemoveFinalizer and UpdateStatus are read-modify-write with
// conflict retry; Expectations keeps a controller that creates many children from acting on a
// cache that has not seen them yet.
//
// # Concurrency and ownership
//
// An item is never reconciled by two workers at once; different items are reconciled in
// parallel by up to Options.Workers workers. Objects read from informer caches are shared:
// a reconciler deep-copies before it modifies. Run owns the workers and returns only once
// all of them have stopped; the queue is shut down when Run returns. Time comes from
// Options.Clock and metrics go to the injected Options.Metrics and Options.QueueMetrics;
// the package keeps no global state.
package controller
