package clock

import (
	"context"
	"sync"
	"time"
)

// Fake is a [Clock] whose time moves only when a test calls [Fake.Step] or
// [Fake.SetTime]. Timers, tickers, AfterFunc callbacks and sleepers whose
// deadline is reached fire inside that call, in deadline order (ties in
// registration order), so a test observes their effects as soon as Step
// returns. The zero value is not usable; call [NewFake].
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	seq     uint64
	waiters []*fakeWaiter
	changed chan struct{} // closed and replaced whenever waiters change
}

var _ Clock = (*Fake)(nil)

// NewFake returns a Fake clock whose current time is start.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start, changed: make(chan struct{})}
}

type fakeWaiter struct {
	f      *Fake
	at     time.Time
	seq    uint64
	ch     chan time.Time // nil for AfterFunc
	fn     func()         // nil unless AfterFunc
	period time.Duration  // > 0 for tickers
	index  int            // position in f.waiters, -1 when inactive
}

// Now returns the fake's current time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Since returns Now().Sub(t).
func (f *Fake) Since(t time.Time) time.Duration { return f.Now().Sub(t) }

// After returns the channel of a new fake timer.
func (f *Fake) After(d time.Duration) <-chan time.Time { return f.NewTimer(d).C() }

// NewTimer returns a fake timer that fires once the fake reaches Now()+d.
func (f *Fake) NewTimer(d time.Duration) Timer {
	return f.add(d, make(chan time.Time, 1), nil, 0)
}

// AfterFunc returns a fake timer that calls fn synchronously inside the
// Step/SetTime call that reaches Now()+d.
func (f *Fake) AfterFunc(d time.Duration, fn func()) Timer {
	return f.add(d, nil, fn, 0)
}

// NewTicker returns a fake ticker with period d. It panics if d <= 0, like
// time.NewTicker.
func (f *Fake) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("clock: non-positive interval for NewTicker")
	}
	return &fakeTicker{f.add(d, make(chan time.Time, 1), nil, d)}
}

// Sleep blocks until the fake has advanced by d or ctx ends.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	w := f.add(d, make(chan time.Time, 1), nil, 0)
	select {
	case <-w.ch:
		return nil
	case <-ctx.Done():
		w.Stop()
		return ctx.Err()
	}
}

// Step advances the fake by d and fires everything that became due.
func (f *Fake) Step(d time.Duration) {
	f.mu.Lock()
	t := f.now.Add(d)
	f.mu.Unlock()
	f.SetTime(t)
}

// SetTime moves the fake to t and fires everything whose deadline is at or
// before t. Moving backwards is allowed and fires nothing.
func (f *Fake) SetTime(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
	for {
		f.mu.Lock()
		w := f.earliestDueLocked()
		if w == nil {
			f.mu.Unlock()
			return
		}
		fireAt := w.at
		fn := w.fn
		if w.period > 0 {
			// A ticker keeps its phase; ticks that find the buffer full
			// are dropped, as with time.Ticker.
			w.seq = f.nextSeqLocked()
			for !w.at.After(f.now) {
				w.at = w.at.Add(w.period)
			}
		} else {
			f.removeLocked(w)
		}
		f.mu.Unlock()
		if fn != nil {
			fn()
			continue
		}
		select {
		case w.ch <- fireAt:
		default:
		}
	}
}

// Waiters returns the number of pending timers, tickers, AfterFunc callbacks
// and sleepers.
func (f *Fake) Waiters() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// HasWaiters reports whether anything is waiting on the fake.
func (f *Fake) HasWaiters() bool { return f.Waiters() > 0 }

// BlockUntilWaiters blocks until at least n timers, tickers, callbacks or
// sleepers are pending, or ctx ends (returning ctx.Err()). Tests use it to
// wait for a goroutine to arm a timer without sleeping.
func (f *Fake) BlockUntilWaiters(ctx context.Context, n int) error {
	for {
		f.mu.Lock()
		if len(f.waiters) >= n {
			f.mu.Unlock()
			return nil
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (f *Fake) nextSeqLocked() uint64 {
	f.seq++
	return f.seq
}

func (f *Fake) earliestDueLocked() *fakeWaiter {
	var best *fakeWaiter
	for _, w := range f.waiters {
		if w.at.After(f.now) {
			continue
		}
		if best == nil || w.at.Before(best.at) || (w.at.Equal(best.at) && w.seq < best.seq) {
			best = w
		}
	}
	return best
}

func (f *Fake) add(d time.Duration, ch chan time.Time, fn func(), period time.Duration) *fakeWaiter {
	w := &fakeWaiter{f: f, ch: ch, fn: fn, period: period, index: -1}
	f.mu.Lock()
	defer f.mu.Unlock()
	w.at = f.now.Add(d)
	f.insertLocked(w)
	return w
}

func (f *Fake) insertLocked(w *fakeWaiter) {
	w.seq = f.nextSeqLocked()
	w.index = len(f.waiters)
	f.waiters = append(f.waiters, w)
	f.notifyLocked()
}

func (f *Fake) removeLocked(w *fakeWaiter) {
	i := w.index
	last := len(f.waiters) - 1
	f.waiters[i] = f.waiters[last]
	f.waiters[i].index = i
	f.waiters[last] = nil
	f.waiters = f.waiters[:last]
	w.index = -1
	f.notifyLocked()
}

func (f *Fake) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// C returns the timer's channel (nil for AfterFunc timers).
func (w *fakeWaiter) C() <-chan time.Time { return w.ch }

// Stop deactivates the timer and reports whether it was pending. Like timers
// of Go 1.23 and later, no stale value is received after Stop returns.
func (w *fakeWaiter) Stop() bool {
	f := w.f
	f.mu.Lock()
	defer f.mu.Unlock()
	w.drain()
	if w.index < 0 {
		return false
	}
	f.removeLocked(w)
	return true
}

// Reset reschedules the timer to fire after d and reports whether it was
// pending.
func (w *fakeWaiter) Reset(d time.Duration) bool {
	f := w.f
	f.mu.Lock()
	defer f.mu.Unlock()
	w.drain()
	w.at = f.now.Add(d)
	if w.index >= 0 {
		w.seq = f.nextSeqLocked()
		f.notifyLocked()
		return true
	}
	f.insertLocked(w)
	return false
}

func (w *fakeWaiter) drain() {
	if w.ch == nil {
		return
	}
	select {
	case <-w.ch:
	default:
	}
}

type fakeTicker struct{ w *fakeWaiter }

func (t *fakeTicker) C() <-chan time.Time { return t.w.ch }
func (t *fakeTicker) Stop()               { t.w.Stop() }

// Reset changes the ticker's period to d and restarts it from now. It panics
// if d <= 0, like time.Ticker.Reset.
func (t *fakeTicker) Reset(d time.Duration) {
	if d <= 0 {
		panic("clock: non-positive interval for Ticker.Reset")
	}
	f := t.w.f
	f.mu.Lock()
	t.w.period = d
	f.mu.Unlock()
	t.w.Reset(d)
}
