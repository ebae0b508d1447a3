package clock_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/internal/clock"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestFakeFiresInDeadlineOrder(t *testing.T) {
	tests := []struct {
		name   string
		delays []time.Duration // one AfterFunc per entry, labelled by index
		step   time.Duration
		want   []int
	}{
		{name: "nothing due", delays: []time.Duration{2 * time.Second}, step: time.Second, want: nil},
		{name: "exactly due", delays: []time.Duration{time.Second}, step: time.Second, want: []int{0}},
		{name: "ordered by deadline", delays: []time.Duration{3 * time.Second, time.Second, 2 * time.Second}, step: 5 * time.Second, want: []int{1, 2, 0}},
		{name: "ties in registration order", delays: []time.Duration{time.Second, time.Second, 0}, step: time.Second, want: []int{2, 0, 1}},
		{name: "partial", delays: []time.Duration{time.Second, 10 * time.Second}, step: 2 * time.Second, want: []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc := clock.NewFake(epoch)
			var got []int
			for i, d := range tt.delays {
				fc.AfterFunc(d, func() { got = append(got, i) })
			}
			fc.Step(tt.step)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fired (-want +got):\n%s", diff)
			}
			if want := len(tt.delays) - len(tt.want); fc.Waiters() != want {
				t.Errorf("Waiters() = %d, want %d", fc.Waiters(), want)
			}
		})
	}
}

func TestFakeTimerStopReset(t *testing.T) {
	fc := clock.NewFake(epoch)
	tm := fc.NewTimer(time.Second)
	if !tm.Stop() {
		t.Fatal("Stop of pending timer = false")
	}
	if tm.Stop() {
		t.Fatal("second Stop = true")
	}
	fc.Step(time.Hour)
	select {
	case <-tm.C():
		t.Fatal("stopped timer fired")
	default:
	}
	if tm.Reset(time.Second) {
		t.Fatal("Reset of stopped timer reported pending")
	}
	fc.Step(999 * time.Millisecond)
	select {
	case <-tm.C():
		t.Fatal("fired early")
	default:
	}
	fc.Step(time.Millisecond)
	select {
	case got := <-tm.C():
		if want := epoch.Add(time.Hour + time.Second); !got.Equal(want) {
			t.Fatalf("fired with %v, want %v", got, want)
		}
	default:
		t.Fatal("timer did not fire at its deadline")
	}
	// A fired, unread value is discarded by Reset.
	tm.Reset(time.Second)
	fc.Step(time.Second)
	tm.Reset(time.Second)
	select {
	case <-tm.C():
		t.Fatal("stale value received after Reset")
	default:
	}
}

func TestFakeTickerDropsWhenFull(t *testing.T) {
	fc := clock.NewFake(epoch)
	tk := fc.NewTicker(time.Second)
	defer tk.Stop()
	fc.Step(3500 * time.Millisecond)
	got := <-tk.C()
	if want := epoch.Add(time.Second); !got.Equal(want) {
		t.Fatalf("first tick %v, want %v", got, want)
	}
	select {
	case v := <-tk.C():
		t.Fatalf("unexpected buffered tick %v", v)
	default:
	}
	fc.Step(500 * time.Millisecond) // phase kept: next tick at 4s
	if got := <-tk.C(); !got.Equal(epoch.Add(4 * time.Second)) {
		t.Fatalf("tick %v, want %v", got, epoch.Add(4*time.Second))
	}
	tk.Reset(10 * time.Second)
	fc.Step(9 * time.Second)
	select {
	case v := <-tk.C():
		t.Fatalf("tick %v before reset period elapsed", v)
	default:
	}
}

func TestFakeSleepAndBlockUntilWaiters(t *testing.T) {
	fc := clock.NewFake(epoch)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	sleepCtx, stopSleep := context.WithCancel(ctx)
	wg.Add(2)
	go func() { defer wg.Done(); errs[0] = fc.Sleep(ctx, time.Minute) }()
	go func() { defer wg.Done(); errs[1] = fc.Sleep(sleepCtx, time.Hour) }()
	if err := fc.BlockUntilWaiters(ctx, 2); err != nil {
		t.Fatalf("BlockUntilWaiters: %v", err)
	}
	fc.Step(time.Minute)
	stopSleep()
	wg.Wait()
	if errs[0] != nil || errs[1] != context.Canceled {
		t.Fatalf("sleep errors = %v, want [nil, context.Canceled]", errs)
	}
	if fc.HasWaiters() {
		t.Fatalf("waiters left: %d", fc.Waiters())
	}
	short, cancelShort := context.WithCancel(ctx)
	cancelShort()
	if err := fc.BlockUntilWaiters(short, 1); err != context.Canceled {
		t.Fatalf("BlockUntilWaiters on cancelled ctx = %v", err)
	}
}

func TestFakeCallbackMayReenter(t *testing.T) {
	fc := clock.NewFake(epoch)
	var fired []time.Time
	var tm clock.Timer
	tm = fc.AfterFunc(time.Second, func() {
		fired = append(fired, fc.Now())
		if len(fired) < 3 {
			tm.Reset(time.Second)
		}
	})
	for range 5 {
		fc.Step(time.Second)
	}
	want := []time.Time{epoch.Add(time.Second), epoch.Add(2 * time.Second), epoch.Add(3 * time.Second)}
	if diff := cmp.Diff(want, fired); diff != "" {
		t.Fatalf("callbacks (-want +got):\n%s", diff)
	}
}

func TestRealClock(t *testing.T) {
	c := clock.Real()
	start := c.Now()
	if err := c.Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if c.Since(start) < time.Millisecond {
		t.Fatal("Sleep returned before its duration")
	}
	done := make(chan struct{})
	c.AfterFunc(time.Millisecond, func() { close(done) })
	<-done
	<-c.After(time.Millisecond)
	tm := c.NewTimer(time.Hour)
	if !tm.Stop() {
		t.Fatal("Stop of pending real timer = false")
	}
	tk := c.NewTicker(time.Millisecond)
	<-tk.C()
	tk.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err != context.Canceled {
		t.Fatalf("Sleep on cancelled ctx = %v", err)
	}
}
