package clock

import (
	"context"
	"time"
)

// Timer is a single event scheduled on a [Clock]. It is an alias of an
// unnamed interface type so that packages can declare their own minimal clock
// interfaces returning an identical type without importing this package.
//
// C returns the channel the timer fires on (nil for timers created by
// AfterFunc). Stop prevents the timer from firing and reports whether it was
// still pending. Reset reschedules the timer to fire after d and reports
// whether it was still pending.
type Timer = interface {
	C() <-chan time.Time
	Stop() bool
	Reset(d time.Duration) bool
}

// Ticker delivers ticks on C at a fixed period until stopped. Like [Timer] it
// is an alias of an unnamed interface type.
type Ticker = interface {
	C() <-chan time.Time
	Stop()
	Reset(d time.Duration)
}

// Clock is a source of time and timers.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Since returns the time elapsed since t.
	Since(t time.Time) time.Duration
	// After returns a channel that receives the time once d has elapsed.
	After(d time.Duration) <-chan time.Time
	// NewTimer returns a timer that fires on its channel after d.
	NewTimer(d time.Duration) Timer
	// AfterFunc calls f in its own goroutine (Real) or synchronously inside
	// Step/SetTime (Fake) once d has elapsed. The returned timer's C is nil.
	AfterFunc(d time.Duration, f func()) Timer
	// NewTicker returns a ticker with period d. It panics if d <= 0, like
	// time.NewTicker.
	NewTicker(d time.Duration) Ticker
	// Sleep blocks until d has elapsed or ctx ends, and returns ctx.Err()
	// in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real returns the [Clock] backed by package time.
func Real() Clock { return realClock{} }

type realClock struct{}

var _ Clock = realClock{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) Since(t time.Time) time.Duration        { return time.Since(t) }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

func (realClock) AfterFunc(d time.Duration, f func()) Timer {
	return realTimer{time.AfterFunc(d, f)}
}

func (realClock) NewTicker(d time.Duration) Ticker { return realTicker{time.NewTicker(d)} }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }

type realTicker struct{ t *time.Ticker }

func (r realTicker) C() <-chan time.Time   { return r.t.C }
func (r realTicker) Stop()                 { r.t.Stop() }
func (r realTicker) Reset(d time.Duration) { r.t.Reset(d) }
