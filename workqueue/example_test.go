package workqueue_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/workqueue"
)

// A controller-style worker pool: producers add keys, workers process them,
// failures are retried with backoff and successes forgotten.
func Example() {
	q, err := workqueue.New(workqueue.Options[string]{Name: "example"})
	if err != nil {
		panic(err)
	}
	var (
		mu        sync.Mutex
		processed = map[string]int{}
		failOnce  = map[string]bool{"default/flaky": true}
		retried   = make(chan struct{})
	)
	reconcile := func(key string) error {
		mu.Lock()
		defer mu.Unlock()
		processed[key]++
		if key == "default/flaky" && processed[key] == 2 {
			close(retried)
		}
		if failOnce[key] {
			delete(failOnce, key)
			return errors.New("transient")
		}
		return nil
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				key, err := q.Get(context.Background())
				if err != nil {
					return // shut down
				}
				if err := reconcile(key); err != nil {
					q.AddRateLimited(key)
				} else {
					q.Forget(key)
				}
				q.Done(key)
			}
		}()
	}
	for _, key := range []string{"default/web", "default/flaky", "default/web"} {
		q.Add(key)
	}
	<-retried // the flaky key failed once and was retried after 5ms
	if err := q.ShutDownWithDrain(context.Background()); err != nil {
		panic(err)
	}
	wg.Wait()
	fmt.Println("flaky processed", processed["default/flaky"], "times")
	// Output:
	// flaky processed 2 times
}

// Priorities: fresh work goes before resyncs, FIFO within one priority.
func ExampleQueue_AddWith() {
	q, _ := workqueue.New(workqueue.Options[string]{})
	defer q.ShutDown()
	_ = q.AddWith("resync-1", workqueue.AddOptions{Priority: -1})
	_ = q.AddWith("event-1", workqueue.AddOptions{})
	_ = q.AddWith("resync-2", workqueue.AddOptions{Priority: -1})
	_ = q.AddWith("event-2", workqueue.AddOptions{})
	for q.Len() > 0 {
		key, _ := q.Get(context.Background())
		fmt.Println(key)
		q.Done(key)
	}
	// Output:
	// event-1
	// event-2
	// resync-1
	// resync-2
}

// Delays run on the injected clock; a test moves it instead of sleeping.
func ExampleQueue_AddAfter() {
	fc := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	q, _ := workqueue.New(workqueue.Options[string]{Clock: fc})
	defer q.ShutDown()
	q.AddAfter("a", 10*time.Second)
	q.AddAfter("a", 3*time.Second) // the earlier deadline wins
	fc.Step(2 * time.Second)
	fmt.Println("ready after 2s:", q.Len())
	fc.Step(time.Second)
	fmt.Println("ready after 3s:", q.Len())
	// Output:
	// ready after 2s: 0
	// ready after 3s: 1
}

func ExampleNewExponentialLimiter() {
	l, _ := workqueue.NewExponentialLimiter[string](workqueue.ExponentialOptions{})
	for range 4 {
		fmt.Println(l.When("key"))
	}
	l.Forget("key")
	fmt.Println("after forget:", l.When("key"))
	// Output:
	// 5ms
	// 10ms
	// 20ms
	// 40ms
	// after forget: 5ms
}
