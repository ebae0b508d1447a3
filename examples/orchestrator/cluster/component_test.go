package cluster

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestComponentRestartsOnAcceptedFailures checks the supervisor: a failure restartOn accepts
// starts a fresh instance at once and is not reported; any other failure is reported and ends
// the component; a requested stop is neither.
func TestComponentRestartsOnAcceptedFailures(t *testing.T) {
	lost, boom := errors.New("lost"), errors.New("boom")
	var mu sync.Mutex
	builds := 0
	results := []error{lost, lost, nil, boom} // nil: run until stopped
	c := &component{name: "m",
		build: func() (func(context.Context) error, error) {
			mu.Lock()
			defer mu.Unlock()
			res := results[builds]
			builds++
			return func(ctx context.Context) error {
				if res == nil {
					<-ctx.Done()
					return ctx.Err()
				}
				return res
			}, nil
		},
		restartOn: func(err error) bool { return errors.Is(err, lost) },
	}
	var failures []error
	var fmu sync.Mutex
	failed := func(name string, err error) { fmu.Lock(); failures = append(failures, err); fmu.Unlock() }

	if err := c.start(context.Background(), failed); err != nil {
		t.Fatal(err)
	}
	// Two lost leaderships are restarted; the third instance runs until stopped.
	deadline := time.Now().Add(10 * time.Second)
	for c.restartCount() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := c.stop(); err != nil {
		t.Errorf("stop: %v, want nil (a requested stop is no failure)", err)
	}
	if got := c.restartCount(); got != 2 {
		t.Errorf("restarts = %d, want 2", got)
	}
	fmu.Lock()
	if len(failures) != 0 {
		t.Errorf("failures reported: %v", failures)
	}
	fmu.Unlock()

	// The fourth instance fails with an error restartOn refuses: reported once.
	if err := c.start(context.Background(), failed); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	done := c.done
	c.mu.Unlock()
	<-done // the instance failed on its own
	if err := c.stop(); !errors.Is(err, boom) {
		t.Errorf("stop after a failure: %v, want boom", err)
	}
	fmu.Lock()
	defer fmu.Unlock()
	if len(failures) != 1 || !errors.Is(failures[0], boom) {
		t.Errorf("failures = %v, want [boom]", failures)
	}
}
