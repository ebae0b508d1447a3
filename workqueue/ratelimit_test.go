package workqueue_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/workqueue"
)

const ms = time.Millisecond

func whenN[T comparable](l workqueue.RateLimiter[T], item T, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = l.When(item)
	}
	return out
}

func TestExponentialLimiter(t *testing.T) {
	tests := []struct {
		name string
		opts workqueue.ExponentialOptions
		n    int
		want []time.Duration
	}{
		{
			name: "defaults 5ms doubling",
			n:    6,
			want: []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms, 160 * ms},
		},
		{
			name: "capped",
			opts: workqueue.ExponentialOptions{Base: time.Second, Max: 5 * time.Second},
			n:    6,
			want: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second, 5 * time.Second},
		},
		{
			name: "base equals max",
			opts: workqueue.ExponentialOptions{Base: time.Second, Max: time.Second},
			n:    3,
			want: []time.Duration{time.Second, time.Second, time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := workqueue.NewExponentialLimiter[string](tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, whenN(l, "a", tt.n)); diff != "" {
				t.Fatalf("waits (-want +got):\n%s", diff)
			}
			if got := l.NumRequeues("a"); got != tt.n {
				t.Fatalf("NumRequeues = %d, want %d", got, tt.n)
			}
			if got := l.When("b"); got != tt.want[0] {
				t.Fatalf("other item's first wait = %v, want %v (per-item state)", got, tt.want[0])
			}
			l.Forget("a")
			if got := l.NumRequeues("a"); got != 0 {
				t.Fatalf("NumRequeues after Forget = %d", got)
			}
			if got := l.When("a"); got != tt.want[0] {
				t.Fatalf("wait after Forget = %v, want %v", got, tt.want[0])
			}
		})
	}
}

func TestExponentialLimiterReachesDefaultCapWithoutOverflow(t *testing.T) {
	l, err := workqueue.NewExponentialLimiter[int](workqueue.ExponentialOptions{})
	if err != nil {
		t.Fatal(err)
	}
	waits := whenN(l, 1, 200)
	// 5ms * 2^17 = 655.36s < 1000s; 2^18 exceeds the cap.
	if waits[17] != 5*ms<<17 || waits[18] != 1000*time.Second {
		t.Fatalf("waits[17], waits[18] = %v, %v", waits[17], waits[18])
	}
	for i, w := range waits[18:] {
		if w != 1000*time.Second {
			t.Fatalf("wait %d = %v, want the 1000s cap", i+18, w)
		}
	}
	huge, err := workqueue.NewExponentialLimiter[int](workqueue.ExponentialOptions{Base: 1, Max: math.MaxInt64})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range whenN(huge, 1, 100) {
		if w <= 0 {
			t.Fatalf("wait %d overflowed to %v", i, w)
		}
	}
}

func TestFastSlowLimiter(t *testing.T) {
	l, err := workqueue.NewFastSlowLimiter[string](workqueue.FastSlowOptions{Fast: ms, Slow: time.Minute, MaxFastAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{ms, ms, ms, time.Minute, time.Minute}
	if diff := cmp.Diff(want, whenN(l, "a", 5)); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
	if l.NumRequeues("a") != 5 {
		t.Fatalf("NumRequeues = %d", l.NumRequeues("a"))
	}
	l.Forget("a")
	if got := l.When("a"); got != ms {
		t.Fatalf("after Forget = %v", got)
	}
	def, err := workqueue.NewFastSlowLimiter[string](workqueue.FastSlowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want = []time.Duration{5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 10 * time.Second}
	if diff := cmp.Diff(want, whenN(def, "a", 6)); diff != "" {
		t.Fatalf("default waits (-want +got):\n%s", diff)
	}
}

func TestBucketLimiter(t *testing.T) {
	fc := clock.NewFake(epoch)
	l, err := workqueue.NewBucketLimiter[string](workqueue.BucketOptions{QPS: 2, Burst: 3, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	// Burst of 3 free, then one token every 500ms, shared by all items.
	want := []time.Duration{0, 0, 0, 500 * ms, time.Second, 1500 * ms}
	got := []time.Duration{l.When("a"), l.When("b"), l.When("c"), l.When("a"), l.When("d"), l.When("e")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
	fc.Step(2 * time.Second) // repays the 3 borrowed tokens and refills 1
	if got := l.When("a"); got != 0 {
		t.Fatalf("after refill = %v, want 0", got)
	}
	if got := l.When("a"); got != 500*ms {
		t.Fatalf("next = %v, want 500ms", got)
	}
	if l.NumRequeues("a") != 0 {
		t.Fatal("bucket keeps no per-item count")
	}
	l.Forget("a")
}

func TestMaxOfAndMaxWait(t *testing.T) {
	fast, _ := workqueue.NewFastSlowLimiter[string](workqueue.FastSlowOptions{Fast: 30 * ms, Slow: time.Hour, MaxFastAttempts: 2})
	exp, _ := workqueue.NewExponentialLimiter[string](workqueue.ExponentialOptions{Base: 10 * ms, Max: time.Minute})
	maxOf, err := workqueue.NewMaxOfLimiter[string](fast, exp)
	if err != nil {
		t.Fatal(err)
	}
	capped, err := workqueue.NewMaxWaitLimiter[string](maxOf, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// max(30ms,10ms), max(30ms,20ms), max(1h,40ms) capped at 10s, ...
	want := []time.Duration{30 * ms, 30 * ms, 10 * time.Second, 10 * time.Second}
	if diff := cmp.Diff(want, whenN[string](capped, "a", 4)); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
	if got := capped.NumRequeues("a"); got != 4 {
		t.Fatalf("NumRequeues = %d, want 4", got)
	}
	capped.Forget("a")
	if fast.NumRequeues("a") != 0 || exp.NumRequeues("a") != 0 {
		t.Fatal("Forget did not reach every wrapped limiter")
	}
}

func TestDefaultControllerRateLimiter(t *testing.T) {
	fc := clock.NewFake(epoch)
	l := workqueue.DefaultControllerRateLimiter[string](fc)
	want := []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms}
	if diff := cmp.Diff(want, whenN[string](l, "a", 4)); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
	// The shared bucket (10 qps, burst 100) takes over once exhausted:
	// 96 more free tokens, then 100ms apart.
	for i := 0; i < 96; i++ {
		l.When(string(rune('b' + i)))
	}
	if got := l.When("fresh"); got != 100*ms {
		t.Fatalf("first wait beyond the burst = %v, want 100ms", got)
	}
	if got := l.NumRequeues("a"); got != 4 {
		t.Fatalf("NumRequeues = %d", got)
	}
}

func TestQueueUsesRateLimiter(t *testing.T) {
	lim, _ := workqueue.NewExponentialLimiter[string](workqueue.ExponentialOptions{Base: time.Second, Max: time.Minute})
	q, fc := newQueue(t, workqueue.Options[string]{RateLimiter: lim})
	q.AddRateLimited("a") // 1s
	q.AddRateLimited("a") // 2s, but the earlier 1s deadline wins
	if q.NumRequeues("a") != 2 {
		t.Fatalf("NumRequeues = %d", q.NumRequeues("a"))
	}
	fc.Step(time.Second)
	if q.Len() != 1 {
		t.Fatalf("Len after 1s = %d, want 1", q.Len())
	}
	q.Forget("a")
	if q.NumRequeues("a") != 0 {
		t.Fatal("Forget did not reset")
	}
	err := q.AddWith("b", workqueue.AddOptions{RateLimited: true, After: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	fc.Step(4 * time.Second)
	if q.Len() != 1 {
		t.Fatalf("rate-limited add with a longer After fired early: Len = %d", q.Len())
	}
	fc.Step(time.Second)
	if q.Len() != 2 {
		t.Fatalf("Len = %d, want 2", q.Len())
	}
}

func TestLimiterValidation(t *testing.T) {
	exp, _ := workqueue.NewExponentialLimiter[int](workqueue.ExponentialOptions{})
	tests := []struct {
		name string
		err  error
	}{
		{"exponential negative base", second(workqueue.NewExponentialLimiter[int](workqueue.ExponentialOptions{Base: -1}))},
		{"exponential max below base", second(workqueue.NewExponentialLimiter[int](workqueue.ExponentialOptions{Base: time.Second, Max: ms}))},
		{"bucket negative qps", second(workqueue.NewBucketLimiter[int](workqueue.BucketOptions{QPS: -1}))},
		{"bucket negative burst", second(workqueue.NewBucketLimiter[int](workqueue.BucketOptions{Burst: -1}))},
		{"fast/slow negative fast", second(workqueue.NewFastSlowLimiter[int](workqueue.FastSlowOptions{Fast: -1}))},
		{"fast/slow slow below fast", second(workqueue.NewFastSlowLimiter[int](workqueue.FastSlowOptions{Fast: time.Second, Slow: ms}))},
		{"fast/slow negative attempts", second(workqueue.NewFastSlowLimiter[int](workqueue.FastSlowOptions{MaxFastAttempts: -1}))},
		{"max-of empty", second(workqueue.NewMaxOfLimiter[int]())},
		{"max-of nil", second(workqueue.NewMaxOfLimiter[int](exp, nil))},
		{"max-wait nil", second(workqueue.NewMaxWaitLimiter[int](nil, time.Second))},
		{"max-wait negative", second(workqueue.NewMaxWaitLimiter[int](exp, -1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, workqueue.ErrInvalidOptions) {
				t.Fatalf("err = %v, want ErrInvalidOptions", tt.err)
			}
		})
	}
	if _, err := workqueue.NewBucketLimiter[int](workqueue.BucketOptions{QPS: rate.Inf}); err != nil {
		t.Fatalf("rate.Inf rejected: %v", err)
	}
}

func second[A any](_ A, err error) error { return err }
