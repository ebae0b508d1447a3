// Package watch defines the events of a watch stream and small composable helpers over them.
//
// A watch is a stream of Event values (Added, Modified, Deleted, Bookmark, Error: Kubernetes'
// wire strings) read from Interface.ResultChan until the channel closes. Stores and the REST
// layer produce untyped streams (ObjectInterface, T = runtime.Object); typed code converts them
// with Cast or Map. An Error event carries a *meta.Status (read it with Event.ErrorStatus) and is
// the last event of its stream.
//
// The usage loop of a consumer:
//
//	w := watch.Cast[*corev1.Pod](ctx, store.Watch(ctx, ...))
//	defer w.Stop()
//	for ev := range w.ResultChan() {
//		if st := ev.ErrorStatus(); st != nil {
//			// resume from the last resourceVersion, or relist on 410 Expired
//		}
//		// handle ev.Type, ev.Object
//	}
//
// Helpers: Filter drops or rewrites events, Map and Cast convert object types, Broadcaster fans
// one stream out to many watchers with a per-watcher buffer (a slow watcher is closed with a
// recoverable Error event, never blocking the producer), Proxy adapts a producer's channel, Fake
// is driven by hand in tests, and Until consumes events until conditions hold.
//
// Concurrency and ownership: Stop is idempotent and safe from any goroutine; after it the result
// channel is closed promptly (events already buffered may still be received first). A helper that
// takes an Interface owns it and stops it when the helper's own watch ends. Every goroutine a
// helper starts exits when its upstream closes, its context is done or Stop is called, so nothing
// leaks once a watch is stopped or drained. Events are shared, not copied: treat received objects
// as read-only.
package watch
