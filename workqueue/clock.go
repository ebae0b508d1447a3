package workqueue

import "time"

// Clock is the time source of a [Queue] and of the time-based rate limiters.
// It is satisfied by cellkit's internal clock implementations and by any type
// with these two methods; tests pass a fake clock to control delays without
// sleeping.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f once d has elapsed and returns a timer that can
	// stop or reschedule that call.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a scheduled call created by [Clock.AfterFunc]. It is an alias of
// an unnamed interface type, so clock implementations in other packages
// satisfy [Clock] without importing this one. C may return nil.
type Timer = interface {
	C() <-chan time.Time
	Stop() bool
	Reset(d time.Duration) bool
}

// realClock is the default Clock, backed by package time.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) Timer {
	return realTimer{time.AfterFunc(d, f)}
}

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }
