package workqueue

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimiter decides how long an item waits before it is retried. The
// per-item state a limiter keeps (failure counts) lives until Forget: callers
// must Forget an item once it is processed successfully, or the state grows
// with every key that ever failed. The controller runtime does this for its
// reconcilers. Implementations must be safe for concurrent use.
type RateLimiter[T comparable] interface {
	// When records a failure of item and returns how long it must wait.
	When(item T) time.Duration
	// Forget clears the state kept for item.
	Forget(item T)
	// NumRequeues returns the failures recorded for item since the last
	// Forget.
	NumRequeues(item T) int
}

// Defaults of the limiters' option fields.
const (
	DefaultExponentialBase = 5 * time.Millisecond
	DefaultExponentialMax  = 1000 * time.Second
	DefaultBucketQPS       = 10
	DefaultBucketBurst     = 100
	DefaultFastDelay       = 5 * time.Millisecond
	DefaultSlowDelay       = 10 * time.Second
	DefaultMaxFastAttempts = 5
)

// ErrInvalidOptions is wrapped by every error returned for invalid options.
var ErrInvalidOptions = errors.New("invalid options")

func invalid(op, format string, args ...any) error {
	return fmt.Errorf("workqueue: %s: %w: %s", op, ErrInvalidOptions, fmt.Sprintf(format, args...))
}

// ExponentialOptions configures [NewExponentialLimiter]. The zero value
// means Base 5ms and Max 1000s.
type ExponentialOptions struct {
	// Base is the delay after the first failure; each further failure
	// doubles it. Zero means DefaultExponentialBase; negative is invalid.
	Base time.Duration
	// Max caps the delay. Zero means DefaultExponentialMax; it must not be
	// below Base.
	Max time.Duration
}

// ExponentialLimiter delays the n-th failure of an item (counting from 0)
// by Base*2^n, capped at Max.
type ExponentialLimiter[T comparable] struct {
	base, max time.Duration
	mu        sync.Mutex
	failures  map[T]int
}

var _ RateLimiter[int] = (*ExponentialLimiter[int])(nil)

// NewExponentialLimiter returns a per-item exponential limiter.
func NewExponentialLimiter[T comparable](opts ExponentialOptions) (*ExponentialLimiter[T], error) {
	const op = "new exponential limiter"
	base, max := opts.Base, opts.Max
	if base == 0 {
		base = DefaultExponentialBase
	}
	if max == 0 {
		max = DefaultExponentialMax
	}
	switch {
	case base < 0:
		return nil, invalid(op, "base %v is negative", base)
	case max < base:
		return nil, invalid(op, "max %v is below base %v", max, base)
	}
	return &ExponentialLimiter[T]{base: base, max: max, failures: make(map[T]int)}, nil
}

// When records a failure and returns Base*2^(failures so far), capped at Max.
func (l *ExponentialLimiter[T]) When(item T) time.Duration {
	l.mu.Lock()
	n := l.failures[item]
	l.failures[item] = n + 1
	l.mu.Unlock()
	return backoff(l.base, l.max, n)
}

// backoff returns base*2^n capped at max, without overflowing.
func backoff(base, max time.Duration, n int) time.Duration {
	if n < 63 && base <= max>>uint(n) {
		return base << uint(n)
	}
	return max
}

// Forget clears item's failure count.
func (l *ExponentialLimiter[T]) Forget(item T) {
	l.mu.Lock()
	delete(l.failures, item)
	l.mu.Unlock()
}

// NumRequeues returns item's failure count.
func (l *ExponentialLimiter[T]) NumRequeues(item T) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failures[item]
}

// BucketOptions configures [NewBucketLimiter]. The zero value means 10
// events per second with a burst of 100 on the real clock.
type BucketOptions struct {
	// QPS is the sustained rate. Zero means DefaultBucketQPS; negative is
	// invalid; rate.Inf disables limiting.
	QPS rate.Limit
	// Burst is the bucket size. Zero means DefaultBucketBurst; negative is
	// invalid.
	Burst int
	// Clock supplies the time the bucket refills by. Nil means the real
	// clock.
	Clock Clock
}

// BucketLimiter is one token bucket shared by all items
// (golang.org/x/time/rate): each When takes a token and returns the wait
// until that token is available. It keeps no per-item state.
type BucketLimiter[T comparable] struct {
	lim   *rate.Limiter
	clock Clock
}

var _ RateLimiter[int] = (*BucketLimiter[int])(nil)

// NewBucketLimiter returns a token-bucket limiter.
func NewBucketLimiter[T comparable](opts BucketOptions) (*BucketLimiter[T], error) {
	const op = "new bucket limiter"
	qps, burst, clk := opts.QPS, opts.Burst, opts.Clock
	if qps == 0 {
		qps = DefaultBucketQPS
	}
	if burst == 0 {
		burst = DefaultBucketBurst
	}
	if clk == nil {
		clk = realClock{}
	}
	switch {
	case qps < 0:
		return nil, invalid(op, "qps %v is negative", qps)
	case burst < 0:
		return nil, invalid(op, "burst %d is negative", burst)
	}
	return &BucketLimiter[T]{lim: rate.NewLimiter(qps, burst), clock: clk}, nil
}

// When takes a token and returns how long until it is available.
func (l *BucketLimiter[T]) When(T) time.Duration {
	now := l.clock.Now()
	return l.lim.ReserveN(now, 1).DelayFrom(now)
}

// Forget does nothing: the bucket has no per-item state.
func (l *BucketLimiter[T]) Forget(T) {}

// NumRequeues returns 0: the bucket has no per-item state.
func (l *BucketLimiter[T]) NumRequeues(T) int { return 0 }

// FastSlowOptions configures [NewFastSlowLimiter]. The zero value means
// 5 attempts at 5ms, then 10s.
type FastSlowOptions struct {
	// Fast is the delay of the first MaxFastAttempts failures. Zero means
	// DefaultFastDelay.
	Fast time.Duration
	// Slow is the delay of every later failure. Zero means
	// DefaultSlowDelay; it must not be below Fast.
	Slow time.Duration
	// MaxFastAttempts is how many failures get the fast delay. Zero means
	// DefaultMaxFastAttempts; negative is invalid.
	MaxFastAttempts int
}

// FastSlowLimiter returns Fast for an item's first MaxFastAttempts failures
// and Slow afterwards.
type FastSlowLimiter[T comparable] struct {
	fast, slow time.Duration
	maxFast    int
	mu         sync.Mutex
	failures   map[T]int
}

var _ RateLimiter[int] = (*FastSlowLimiter[int])(nil)

// NewFastSlowLimiter returns a two-speed limiter.
func NewFastSlowLimiter[T comparable](opts FastSlowOptions) (*FastSlowLimiter[T], error) {
	const op = "new fast/slow limiter"
	fast, slow, n := opts.Fast, opts.Slow, opts.MaxFastAttempts
	if fast == 0 {
		fast = DefaultFastDelay
	}
	if slow == 0 {
		slow = DefaultSlowDelay
	}
	if n == 0 {
		n = DefaultMaxFastAttempts
	}
	switch {
	case fast < 0:
		return nil, invalid(op, "fast delay %v is negative", fast)
	case slow < fast:
		return nil, invalid(op, "slow delay %v is below fast delay %v", slow, fast)
	case n < 0:
		return nil, invalid(op, "max fast attempts %d is negative", n)
	}
	return &FastSlowLimiter[T]{fast: fast, slow: slow, maxFast: n, failures: make(map[T]int)}, nil
}

// When records a failure and returns Fast or Slow.
func (l *FastSlowLimiter[T]) When(item T) time.Duration {
	l.mu.Lock()
	n := l.failures[item] + 1
	l.failures[item] = n
	l.mu.Unlock()
	if n <= l.maxFast {
		return l.fast
	}
	return l.slow
}

// Forget clears item's failure count.
func (l *FastSlowLimiter[T]) Forget(item T) {
	l.mu.Lock()
	delete(l.failures, item)
	l.mu.Unlock()
}

// NumRequeues returns item's failure count.
func (l *FastSlowLimiter[T]) NumRequeues(item T) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failures[item]
}

// MaxOfLimiter asks every limiter and returns the longest wait.
type MaxOfLimiter[T comparable] struct {
	limiters []RateLimiter[T]
}

var _ RateLimiter[int] = (*MaxOfLimiter[int])(nil)

// NewMaxOfLimiter combines limiters; it needs at least one and no nil.
func NewMaxOfLimiter[T comparable](limiters ...RateLimiter[T]) (*MaxOfLimiter[T], error) {
	const op = "new max-of limiter"
	if len(limiters) == 0 {
		return nil, invalid(op, "no limiters")
	}
	for i, l := range limiters {
		if l == nil {
			return nil, invalid(op, "limiter %d is nil", i)
		}
	}
	return &MaxOfLimiter[T]{limiters: append([]RateLimiter[T](nil), limiters...)}, nil
}

// When records a failure in every limiter and returns the longest wait.
func (l *MaxOfLimiter[T]) When(item T) time.Duration {
	var d time.Duration
	for _, r := range l.limiters {
		d = max(d, r.When(item))
	}
	return d
}

// Forget forgets item in every limiter.
func (l *MaxOfLimiter[T]) Forget(item T) {
	for _, r := range l.limiters {
		r.Forget(item)
	}
}

// NumRequeues returns the largest count reported by the limiters.
func (l *MaxOfLimiter[T]) NumRequeues(item T) int {
	n := 0
	for _, r := range l.limiters {
		n = max(n, r.NumRequeues(item))
	}
	return n
}

// MaxWaitLimiter caps the waits of another limiter.
type MaxWaitLimiter[T comparable] struct {
	limiter RateLimiter[T]
	maxWait time.Duration
}

var _ RateLimiter[int] = (*MaxWaitLimiter[int])(nil)

// NewMaxWaitLimiter returns limiter with every wait capped at maxWait, which
// must not be negative.
func NewMaxWaitLimiter[T comparable](limiter RateLimiter[T], maxWait time.Duration) (*MaxWaitLimiter[T], error) {
	const op = "new max-wait limiter"
	switch {
	case limiter == nil:
		return nil, invalid(op, "limiter is nil")
	case maxWait < 0:
		return nil, invalid(op, "max wait %v is negative", maxWait)
	}
	return &MaxWaitLimiter[T]{limiter: limiter, maxWait: maxWait}, nil
}

// When returns the wrapped limiter's wait, at most maxWait.
func (l *MaxWaitLimiter[T]) When(item T) time.Duration {
	return min(l.limiter.When(item), l.maxWait)
}

// Forget forgets item in the wrapped limiter.
func (l *MaxWaitLimiter[T]) Forget(item T) { l.limiter.Forget(item) }

// NumRequeues returns the wrapped limiter's count.
func (l *MaxWaitLimiter[T]) NumRequeues(item T) int { return l.limiter.NumRequeues(item) }

// DefaultControllerRateLimiter returns the limiter queues use when Options
// leaves RateLimiter nil: the maximum of a per-item exponential backoff from
// 5ms to 1000s and a 10 qps, burst 100 bucket shared by all items. A nil
// clock means the real clock.
func DefaultControllerRateLimiter[T comparable](clock Clock) *MaxOfLimiter[T] {
	if clock == nil {
		clock = realClock{}
	}
	exp := &ExponentialLimiter[T]{base: DefaultExponentialBase, max: DefaultExponentialMax, failures: make(map[T]int)}
	bucket := &BucketLimiter[T]{lim: rate.NewLimiter(DefaultBucketQPS, DefaultBucketBurst), clock: clock}
	return &MaxOfLimiter[T]{limiters: []RateLimiter[T]{exp, bucket}}
}
