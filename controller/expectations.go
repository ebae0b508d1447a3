package controller

import (
	"sync"
	"time"
)

// DefaultExpectationsTTL is how long unmet expectations hold back a controller before they
// are considered lost (a watch event that never came) and the controller acts again.
const DefaultExpectationsTTL = 5 * time.Minute

// Expectations remembers, per controller key, how many creations and deletions a controller
// made and has not yet seen in its informer cache. A controller that creates many children
// must not count them from a cache that has not caught up, or it creates them again: it sets
// expectations before writing, lowers them in its event handlers as the cache sees each
// change, and reconciles its counts only when Satisfied.
//
// All methods are safe for concurrent use.
type Expectations struct {
	clock interface{ Now() time.Time }
	ttl   time.Duration

	mu sync.Mutex
	m  map[string]*expectation
}

type expectation struct {
	adds, dels int
	at         time.Time
}

// NewExpectations returns empty expectations that expire after ttl (zero means
// DefaultExpectationsTTL) on clock (nil means the real clock).
func NewExpectations(clock interface{ Now() time.Time }, ttl time.Duration) *Expectations {
	if clock == nil {
		clock = realClock{}
	}
	if ttl <= 0 {
		ttl = DefaultExpectationsTTL
	}
	return &Expectations{clock: clock, ttl: ttl, m: map[string]*expectation{}}
}

// Expect sets key's expectations to adds creations and dels deletions, replacing earlier
// ones, and restarts their expiry.
func (e *Expectations) Expect(key string, adds, dels int) {
	e.mu.Lock()
	e.m[key] = &expectation{adds: adds, dels: dels, at: e.clock.Now()}
	e.mu.Unlock()
}

// CreationObserved lowers key's expected creations by one (an informer saw a child appear,
// or a creation failed and will not appear).
func (e *Expectations) CreationObserved(key string) { e.lower(key, 1, 0) }

// DeletionObserved lowers key's expected deletions by one.
func (e *Expectations) DeletionObserved(key string) { e.lower(key, 0, 1) }

func (e *Expectations) lower(key string, adds, dels int) {
	e.mu.Lock()
	if x := e.m[key]; x != nil {
		x.adds -= adds
		x.dels -= dels
	}
	e.mu.Unlock()
}

// Satisfied reports whether key may be reconciled from the cache: it has no expectations,
// every expected change was observed, or the expectations expired.
func (e *Expectations) Satisfied(key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.m[key]
	if x == nil {
		return true
	}
	if x.adds <= 0 && x.dels <= 0 {
		return true
	}
	return e.clock.Now().Sub(x.at) >= e.ttl
}

// Delete forgets key (when its object is deleted).
func (e *Expectations) Delete(key string) {
	e.mu.Lock()
	delete(e.m, key)
	e.mu.Unlock()
}
