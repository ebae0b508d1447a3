// Package informertest helps test informers and the code built on them: Source wraps any
// informer.Source with seeded, configurable faults (failed lists and watches, dropped and
// expired watches, error events, delayed, repeated and reordered deliveries), Recorder is a
// handler that records every notification, and History records the true change stream of a
// store, so a test can check that handlers saw every change of every object, in order.
//
// # Usage loop
//
//	fs := informertest.NewSource(informer.ForResource(s, gr), seed, informertest.Faults{Drop: 0.05, Expire: 0.02})
//	inf, _ := informer.New[*Widget](fs, opts)
//	rec := informertest.NewRecorder[*Widget]()
//	inf.AddHandler(rec, informer.HandlerOptions{})
//	go inf.Run(ctx)
//	... write to s, recording the truth with History ...
//	err := rec.Check(history.Changes(), informertest.Exact)
//
// # Concurrency
//
// Source, Recorder and History are safe for concurrent use. Source runs one goroutine per open
// watch; it ends when the watch is stopped or the wrapped stream ends, and Source.Wait waits
// for all of them.
package informertest
