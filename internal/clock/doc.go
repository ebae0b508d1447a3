// Package clock is the one time source used by every cellkit package: a
// [Clock] interface, the [Real] implementation backed by package time, and a
// deterministic [Fake] for tests.
//
// Usage: a component keeps a clock in its Options (as a small interface that
// names only the methods it needs; [Timer] and [Ticker] are aliases of
// unnamed interface types, so an interface declared elsewhere with the same
// method signatures is satisfied by both [Real] and [*Fake]). Production code
// leaves the field nil and falls back to [Real]; tests pass a [*Fake] and move
// time with [Fake.Step] or [Fake.SetTime]:
//
//	fc := clock.NewFake(time.Unix(0, 0))
//	q, _ := workqueue.New(workqueue.Options[string]{Clock: fc})
//	q.AddAfter("a", time.Second)
//	fc.Step(time.Second) // fires the queue's timer before returning
//
// Tests never sleep to wait for a goroutine to block on a timer: they call
// [Fake.BlockUntilWaiters], which returns once the expected number of timers,
// tickers or sleepers are registered.
//
// Concurrency: every method of [Real] and [*Fake] is safe for concurrent use.
// A Fake fires due timers, tickers and AfterFunc callbacks synchronously inside
// Step/SetTime, in deadline order, after releasing its own lock, so callbacks
// may call back into the Fake. Channel sends of a Fake never block: like the
// real time package, a timer channel has a buffer of one and a tick that finds
// the buffer full is dropped.
package clock
