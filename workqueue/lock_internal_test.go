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

	parked := regexp.MustCompile(`goroutine \d+ \[sync\.Mutex\.Lock\]`)
	buf := make([]byte, 1<<20)
	n := 0
	for tries := 0; n < adders+1; tries++ {
		if tries == 100_000 {
			t.Fatalf("after %d polls only %d of %d callers are parked in Mutex.Lock:\n%s", tries, n, adders+1, buf)
		}
		runtime.Gosched()
		buf = buf[:runtime.Stack(buf[:cap(buf)], true)]
		n = len(parked.FindAll(buf, -1))
	}
	q.mu.Unlock()
	wg.Wait()

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
