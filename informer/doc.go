// Package informer keeps in-memory, indexed caches of objects in sync with a store and tells
// handlers about every change: what client-go's shared informers give, generic and lean.
//
// An Informer[T] lists the objects of a Source (a store resource through ForResource, or a
// remote client) and then watches it from the list's revision. Every change is applied to
// the cache and handed, in order, to every Handler. Controllers read the cache through a
// typed Lister and react to handler calls; nothing reads the store in a loop.
//
// # Usage
//
//	inf, err := informer.New[*corev1.Pod](informer.ForResource(s, podsGR), informer.Options[*corev1.Pod]{
//		Indexers:  map[string]informer.IndexFunc[*corev1.Pod]{"node": byNode},
//		Transform: dropManagedFields,
//	})
//	reg, err := inf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{
//		AddFunc:    func(p *corev1.Pod, initial bool) { queue.Add(key(p)) },
//		UpdateFunc: func(old, new *corev1.Pod) { queue.Add(key(new)) },
//		DeleteFunc: func(d informer.Deleted[*corev1.Pod]) { queue.Add(key(d.Object)) },
//	}, informer.HandlerOptions{ResyncPeriod: 10 * time.Minute})
//	go inf.Run(ctx)                          // returns when ctx is done and all its goroutines ended
//	err = informer.WaitForSync(ctx, inf, reg) // the cache and this handler saw the initial list
//	pods := inf.Lister().Namespace("default").List(selector)
//
// Two opt-in trade-offs of memory and CPU for speed and memory: Options.LabelIndex keeps an
// inverted label index so that listing by a selector with an equality or "in" requirement
// reads only the matching objects (microseconds instead of a scan of the cache), at a cost
// on every add, delete and label change; and the Dedup transform makes cached objects share
// their identical maps, slices and pointers (replicas of one template share labels,
// containers, owner references), which cuts the retained memory per object by more than
// half at a few microseconds per change.
//
// Several components share informers through a Factory: Shared returns one informer per
// resource, type, namespace and selectors, Start runs them all, WaitForSync waits for them.
//
// # Guarantees
//
//   - The cache reflects a prefix of the store's history: after LastSyncRevision returns r,
//     the cache holds exactly the store's state at r (WaitForRevision waits for a revision).
//   - Per object, every handler sees the changes in revision order: OnAdd, then OnUpdate with
//     the previous state as old, then OnDelete. After a dropped watch the informer resumes
//     from the last revision it saw, so no change is missed or repeated. When it must relist
//     (the revision was compacted, or a source broke its ordering promise), handlers get the
//     difference: adds, updates of objects whose resourceVersion changed, and deletes of
//     objects that vanished meanwhile, flagged FinalStateUnknown with their last known state.
//     OnDelete always receives a T: there is no tombstone type to cast.
//   - One exception to "every change": a store that was never written lists at revision 0,
//     and in the store contract a watch from revision 0 means "from now". While the informer
//     has seen no revision above 0 it therefore (re)connects with initial events, so changes
//     made in that window arrive as the objects' current state, never lost but possibly
//     merged.
//   - Each handler has its own goroutine and unbounded buffer: a slow handler delays only
//     itself, never the cache or the other handlers. A handler added after Run first gets the
//     cache's content (OnAdd with isInInitialList) and then every later change.
//   - Failures are retried with jittered exponential backoff (reset after a healthy period),
//     watches are reconnected after a random timeout, and a watch that ends at once without
//     an event also backs off: the informer never spins. Every wait uses Options.Clock.
//
// # Concurrency and ownership
//
// Objects in the cache and passed to handlers are shared by all readers: never modify them;
// deep-copy first. Listers and Informer methods are safe for concurrent use. Handler methods
// of one handler are called from one goroutine, never concurrently. Run owns every goroutine
// the informer starts and returns only once they have all stopped.
package informer
