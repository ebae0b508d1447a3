// Package record writes core/v1 Events about objects, for people running kubectl describe:
// what a controller did to an object, and why it could not.
//
// # Usage
//
//	rec, err := record.New(record.Options{Client: record.ForStore(s), Scheme: scheme, Component: "widget-controller"})
//	go rec.Run(ctx)                  // the writer
//	rec.Eventf(w, corev1.EventTypeWarning, "InvalidSpec", "size %d is negative", w.Spec.Size)
//
// # Semantics
//
// Event never blocks the caller: it applies the per-object rate limit (Options.Burst events
// at once, then one per Options.Refill; excess counted in Stats.RateLimited) and puts the event
// on a bounded queue, dropping it when the queue is full (Stats.Dropped). Run writes queued
// events one at a time. A repeat of an event already written by this recorder (same object,
// type, reason, message and source) updates that Event's count and lastTimestamp instead of
// creating a new object, retrying on conflicts; if that Event is gone, a new one is created.
// Events are best effort: write failures are counted (Stats.Failed) and logged, never
// returned.
//
// # Concurrency and ownership
//
// Event, Eventf and Stats are safe for concurrent use by any number of goroutines. Run must
// be called once; it returns when its context ends, dropping events still queued. The
// aggregation cache and the limiters are bounded by Options.CacheSize.
package record
