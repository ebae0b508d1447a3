package informer

import (
	"math/rand/v2"
	"time"

	"github.com/cellkit/cellkit/internal/clock"
)

// Backoff configures the waits between failed lists and watches. The zero value of every field
// is its documented default, the values client-go's reflector uses.
type Backoff struct {
	// Initial is the first wait after a failure. Default 800ms.
	Initial time.Duration
	// Max caps a wait (before jitter). Default 30s.
	Max time.Duration
	// Factor multiplies the wait after each failure. Default 2; must be >= 1.
	Factor float64
	// Jitter adds a random part of up to Jitter times the wait, so a fleet of clients does not
	// retry in step. Default 1 (a wait of d lasts between d and 2d).
	Jitter float64
	// ResetAfter is the healthy period after which the wait goes back to Initial: a failure
	// that comes ResetAfter or longer after the previous one waits Initial. Default 2 minutes.
	ResetAfter time.Duration
}

func (b Backoff) withDefaults() (Backoff, error) {
	if b.Initial == 0 {
		b.Initial = 800 * time.Millisecond
	}
	if b.Max == 0 {
		b.Max = 30 * time.Second
	}
	if b.Factor == 0 {
		b.Factor = 2
	}
	if b.Jitter == 0 {
		b.Jitter = 1
	}
	if b.ResetAfter == 0 {
		b.ResetAfter = 2 * time.Minute
	}
	switch {
	case b.Initial < 0 || b.Max < 0 || b.ResetAfter < 0:
		return b, errorf("negative backoff duration")
	case b.Max < b.Initial:
		return b, errorf("backoff Max %v below Initial %v", b.Max, b.Initial)
	case b.Factor < 1:
		return b, errorf("backoff Factor %v below 1", b.Factor)
	case b.Jitter < 0:
		return b, errorf("negative backoff Jitter %v", b.Jitter)
	}
	return b, nil
}

// backoff is the state of one exponential backoff. It is used by one goroutine.
type backoff struct {
	cfg      Backoff
	clock    clock.Clock
	rng      *rand.Rand
	next     time.Duration
	lastFail time.Time
	failed   bool
}

func newBackoff(cfg Backoff, c clock.Clock, rng *rand.Rand) *backoff {
	return &backoff{cfg: cfg, clock: c, rng: rng, next: cfg.Initial}
}

// step records a failure and returns how long to wait before the next attempt.
func (b *backoff) step() time.Duration {
	now := b.clock.Now()
	if b.failed && now.Sub(b.lastFail) >= b.cfg.ResetAfter {
		b.next = b.cfg.Initial
	}
	b.failed, b.lastFail = true, now
	d := b.next
	b.next = time.Duration(float64(b.next) * b.cfg.Factor)
	if b.next > b.cfg.Max || b.next <= 0 {
		b.next = b.cfg.Max
	}
	if b.cfg.Jitter > 0 {
		d += time.Duration(b.rng.Float64() * b.cfg.Jitter * float64(d))
	}
	return d
}
