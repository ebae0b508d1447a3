package workqueue

import (
	"context"
	"regexp"
	"runtime"
	"sync"
	"testing"
)

// TestLockParksAfterBoundedRetries holds the queue's mutex while
// goroutines call Add, Get and Done: each must end up parked in Mutex.Lock
// (lock's retries are bounded, so a long hold does not keep them spinning),
// and once the mutex is released every call completes with its effect.
func TestLockParksAfterBoundedRetries(t *testing.T) {
	q, err := New(Options[int]{})
	if err != nil {
		t.Fatal(err)
	}
	const adders = 6
	q.Add(100)
	item, err := q.Get(context.Background())
	if err != nil || item != 100 {
		t.Fatalf("Get = %v, %v; want 100", item, err)
	}

	q.mu.Lock()
	var wg sync.WaitGroup
	wg.Add(adders + 1)
	for i := range adders {
		go func() { defer wg.Done(); q.Add(i) }()
	}
	go func() { defer wg.Done(); q.Done(100) }()

	waitParked(t, adders+1)
	q.mu.Unlock()
	wg.Wait()
	if n := q.sleeps.Load(); n != 0 {
		t.Errorf("callers slept %d times while one holder kept the mutex; they should yield and park", n)
	}

	if got := q.Len(); got != adders {
		t.Fatalf("Len after the adds = %d, want %d", got, adders)
	}
	seen := map[int]bool{}
	for range adders {
		item, err := q.Get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		seen[item] = true
		q.Done(item)
	}
	if len(seen) != adders {
		t.Fatalf("Gets handed out %v, want %d distinct items", seen, adders)
	}
	q.mu.Lock()
	inflight := len(q.inflight)
	q.mu.Unlock()
	if inflight != 0 {
		t.Fatalf("%d items still processing after every Done (Done(100) was lost?)", inflight)
	}
}

// TestSaturatedLockWorkersSleepAddersYield holds the queue's mutex while
// making it look saturated (before each of lock's retries, the turn counter
// moves as when other goroutines keep taking the mutex): a Get and a Done
// (the workers' calls) then sleep before every retry, an Add never sleeps
// (it may come from the producer everything waits for); each ends up parked
// in Mutex.Lock and takes effect once the mutex is released.
func TestSaturatedLockWorkersSleepAddersYield(t *testing.T) {
	q, err := New(Options[string]{})
	if err != nil {
		t.Fatal(err)
	}
	q.Add("in-flight")
	q.Add("ready")
	if item, err := q.Get(context.Background()); err != nil || item != "in-flight" {
		t.Fatalf("Get = %q, %v; want in-flight", item, err)
	}
	q.retryHook = func() { q.turns.Add(lockBusyTurns * turnGet) }

	// wait runs call while the mutex is held, waits until it is parked in
	// Mutex.Lock, and returns the sleeps it took; call completes after the
	// mutex is released.
	wait := func(name string, call func()) uint64 {
		t.Helper()
		q.mu.Lock()
		before := q.sleeps.Load()
		done := make(chan struct{})
		go func() { defer close(done); call() }()
		waitParked(t, 1)
		slept := q.sleeps.Load() - before
		q.mu.Unlock()
		<-done
		return slept
	}

	var got string
	if n := wait("Get", func() { got, _ = q.Get(context.Background()) }); n != lockRetries {
		t.Errorf("Get slept %d times before parking, want %d (one per retry)", n, lockRetries)
	}
	if got != "ready" {
		t.Errorf("Get returned %q, want ready", got)
	}
	if n := wait("Done", func() { q.Done("in-flight") }); n != lockRetries {
		t.Errorf("Done slept %d times before parking, want %d (one per retry)", n, lockRetries)
	}
	if n := wait("Add", func() { q.Add("added") }); n != 0 {
		t.Errorf("Add slept %d times; only Get and Done may", n)
	}
	s := q.Stats()
	if s.Processing != 1 || s.Ready != 1 {
		t.Errorf("after the calls: %d processing, %d ready; want 1 (ready) and 1 (added)", s.Processing, s.Ready)
	}
}

// TestSaturatedLockProducerAheadWorkersYield makes the held mutex look
// saturated by adds that outrun the gets (a producer ahead of the workers):
// then a worker must not step aside, since the backlog would only grow; a
// Get yields between its tries instead of sleeping.
func TestSaturatedLockProducerAheadWorkersYield(t *testing.T) {
	q, err := New(Options[string]{})
	if err != nil {
		t.Fatal(err)
	}
	q.Add("ready")
	q.retryHook = func() { q.turns.Add(2 * lockBusyTurns * turnAdd) }
	q.mu.Lock()
	var got string
	done := make(chan struct{})
	go func() { defer close(done); got, _ = q.Get(context.Background()) }()
	waitParked(t, 1)
	q.mu.Unlock()
	<-done
	if n := q.sleeps.Load(); n != 0 {
		t.Errorf("Get slept %d times while adds outran gets; want it to yield", n)
	}
	if got != "ready" {
		t.Errorf("Get returned %q, want ready", got)
	}
}

// TestSaturated checks the decision on the packed turn counter, which
// moves by turnGet and turnAdd as lock counts: gets carry into the adds'
// half when they wrap, and the adds' half wraps out of the word.
func TestSaturated(t *testing.T) {
	const busy = lockBusyTurns
	starts := map[string]uint64{
		"zero":               0,
		"middle":             5<<32 | 9,
		"gets about to wrap": 5<<32 | uint64(^uint32(0)-2),
		"adds about to wrap": uint64(^uint32(0))<<32 | 9,
		"both about to wrap": ^uint64(0) - 1,
	}
	for name, t0 := range starts {
		for _, c := range []struct {
			gets, adds uint64
			want       bool
		}{
			{0, 0, false},
			{busy - 1, 0, false},
			{busy, 0, true},
			{busy / 2, busy / 2, true},
			{busy, busy, true},
			{busy, 2 * busy, true},
			{busy, 2*busy + 1, false},
			{0, busy + 1, false},
			{1000, 900, true},
		} {
			tn := t0 + c.gets*turnGet + c.adds*turnAdd
			if got := saturated(t0, tn); got != c.want {
				t.Errorf("from %s (%#x), %d gets and %d adds: saturated = %v, want %v", name, t0, c.gets, c.adds, got, c.want)
			}
		}
	}
}

// waitParked polls goroutine dumps until want goroutines are parked in
// Mutex.Lock, and fails the test after 100,000 polls.
func waitParked(t *testing.T, want int) {
	t.Helper()
	parked := regexp.MustCompile(`goroutine \d+ \[sync\.Mutex\.Lock\]`)
	buf := make([]byte, 1<<20)
	for tries := 0; ; tries++ {
		buf = buf[:runtime.Stack(buf[:cap(buf)], true)]
		n := len(parked.FindAll(buf, -1))
		if n >= want {
			return
		}
		if tries == 100_000 {
			t.Fatalf("after %d polls only %d of %d callers are parked in Mutex.Lock:\n%s", tries, n, want, buf)
		}
		runtime.Gosched()
	}
}
