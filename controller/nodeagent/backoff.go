package nodeagent

import "time"

// backOff is the crash-loop back-off of one container, the kubelet's: the first restart after
// an exit is immediate and sets the back-off to InitialBackOff; every later exit waits out the
// back-off (counted from the exit) and doubles it for the restart after, up to MaxBackOff. When
// the container exits more than BackOffResetAfter after its last restart (it ran that long),
// the back-off starts over: the restart is immediate again.
type backOff struct {
	// d is the current back-off; 0 before the first restart.
	d time.Duration
	// updated is when the back-off was last raised (the last restart).
	updated time.Time
}

// wait reports whether a container that exited at finished must still wait at now, and until
// when.
func (b *backOff) wait(finished, now time.Time) (time.Time, bool) {
	if b.d == 0 || finished.Sub(b.updated) > BackOffResetAfter {
		return time.Time{}, false
	}
	until := finished.Add(b.d)
	return until, now.Before(until)
}

// restart records a restart at now of a container that exited at finished.
func (b *backOff) restart(finished, now time.Time) {
	if b.d == 0 || finished.Sub(b.updated) > BackOffResetAfter {
		b.d = InitialBackOff
	} else {
		b.d = min(2*b.d, MaxBackOff)
	}
	b.updated = now
}
