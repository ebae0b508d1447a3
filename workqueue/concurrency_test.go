package workqueue_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cellkit/cellkit/workqueue"
)

// TestConcurrentGuarantees hammers one queue with producers and workers and
// checks, for every item: it is never processed by two workers at once, and
// the last add of it is followed by a processing of it (no add is lost).
func TestConcurrentGuarantees(t *testing.T) {
	for _, tc := range []struct{ producers, workers, keys, addsPerProducer int }{
		{producers: 1, workers: 1, keys: 16, addsPerProducer: 5000},
		{producers: 4, workers: 4, keys: 64, addsPerProducer: 3000},
		{producers: 8, workers: 32, keys: 8, addsPerProducer: 2000},
	} {
		t.Run(fmt.Sprintf("producers=%d/workers=%d/keys=%d", tc.producers, tc.workers, tc.keys), func(t *testing.T) {
			q, err := workqueue.New(workqueue.Options[int]{})
			if err != nil {
				t.Fatal(err)
			}
			var (
				clock     atomic.Int64 // logical time for happens-before bookkeeping
				busy      = make([]atomic.Int32, tc.keys)
				lastAdd   = make([]atomic.Int64, tc.keys) // clock before the last Add call started
				lastGet   = make([]atomic.Int64, tc.keys) // clock after a Get of the item returned
				violation atomic.Value
			)
			var workers sync.WaitGroup
			workers.Add(tc.workers)
			for w := 0; w < tc.workers; w++ {
				go func() {
					defer workers.Done()
					for {
						k, err := q.Get(context.Background())
						if errors.Is(err, workqueue.ErrShutDown) {
							return
						}
						if err != nil {
							violation.Store(fmt.Sprintf("Get: %v", err))
							return
						}
						storeMax(&lastGet[k], clock.Add(1))
						if !busy[k].CompareAndSwap(0, 1) {
							violation.Store(fmt.Sprintf("item %d handed to two workers at once", k))
						}
						if k%3 == 0 {
							q.Add(k) // re-add while processing
						}
						busy[k].Store(0)
						q.Done(k)
					}
				}()
			}
			var producers sync.WaitGroup
			producers.Add(tc.producers)
			for p := 0; p < tc.producers; p++ {
				go func() {
					defer producers.Done()
					for i := 0; i < tc.addsPerProducer; i++ {
						k := (i*7 + p) % tc.keys
						storeMax(&lastAdd[k], clock.Add(1))
						q.Add(k)
					}
				}()
			}
			producers.Wait()
			// Stop re-adds from workers from keeping the queue busy
			// forever: drain waits for every ready and in-flight item.
			if err := q.ShutDownWithDrain(context.Background()); err != nil {
				t.Fatalf("drain: %v", err)
			}
			workers.Wait()
			if v := violation.Load(); v != nil {
				t.Fatal(v)
			}
			for k := 0; k < tc.keys; k++ {
				if lastAdd[k].Load() == 0 {
					continue
				}
				if lastGet[k].Load() <= lastAdd[k].Load() {
					t.Errorf("item %d: last add at %d never followed by a Get (last Get at %d)", k, lastAdd[k].Load(), lastGet[k].Load())
				}
			}
			if s := q.Stats(); s.Ready != 0 || s.Processing != 0 {
				t.Errorf("after drain: %+v", s)
			}
		})
	}
}

func storeMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v <= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// TestConcurrentGetCancellation checks that items handed to a Get whose
// context ends concurrently are never lost.
func TestConcurrentGetCancellation(t *testing.T) {
	q, err := workqueue.New(workqueue.Options[int]{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.ShutDown()
	const items = 2000
	got := make(chan int, items)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ctx, cancel := context.WithCancel(context.Background())
				go cancel() // races with the hand-off
				k, err := q.Get(ctx)
				cancel()
				if errors.Is(err, workqueue.ErrShutDown) {
					return
				}
				if err != nil {
					continue
				}
				got <- k
				q.Done(k)
			}
		}()
	}
	for i := 0; i < items; i++ {
		q.Add(i)
	}
	seen := make(map[int]bool, items)
	timeout, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	for len(seen) < items {
		select {
		case k := <-got:
			seen[k] = true
		case <-timeout.Done():
			t.Fatalf("only %d of %d items handed out: items lost", len(seen), items)
		}
	}
	q.ShutDown()
	wg.Wait()
}
