package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// component is one part of the cluster that runs until its context ends: the scheduler, a
// controller manager, a node agent. It can be started again after it stopped, with a fresh
// instance built by its factory.
type component struct {
	name string
	// build makes a fresh instance; its run function blocks until ctx is done or it fails.
	build func() (run func(ctx context.Context) error, err error)
	// restartOn, when set, says which failures are answered by starting a fresh instance at
	// once, as a process supervisor restarts a replica that exited on purpose (a controller
	// manager that lost its lease stops rather than carry on with stale beliefs).
	restartOn func(err error) bool
	// restarts counts those restarts.
	restarts int

	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{}
	err     error // the last run's error (nil when it stopped because it was told to)
	running bool
}

// start builds a fresh instance and runs it in a goroutine. Starting a running component is an
// error.
func (c *component) start(parent context.Context, failed func(name string, err error)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return fmt.Errorf("start %s: %w", c.name, ErrRunning)
	}
	run, err := c.build()
	if err != nil {
		return fmt.Errorf("start %s: %w", c.name, err)
	}
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	c.cancel, c.done, c.running, c.err = cancel, done, true, nil
	go func() {
		defer close(done)
		err := run(ctx)
		for err != nil && ctx.Err() == nil && c.restartOn != nil && c.restartOn(err) {
			next, berr := c.build()
			if berr != nil {
				err = berr
				break
			}
			c.mu.Lock()
			c.restarts++
			c.mu.Unlock()
			err = next(ctx)
		}
		if err != nil && ctx.Err() == nil {
			// A failure, not a requested stop: report it.
			failed(c.name, err)
		}
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			err = nil
		}
		c.mu.Lock()
		c.err = err
		c.mu.Unlock()
	}()
	return nil
}

// stop cancels the running instance and waits for it to return. Stopping a stopped component
// does nothing. It returns the instance's error, if it failed.
func (c *component) stop() error {
	c.mu.Lock()
	if !c.running {
		c.mu.Unlock()
		return nil
	}
	cancel, done := c.cancel, c.done
	c.mu.Unlock()
	cancel()
	<-done
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running = false
	return c.err
}

// isRunning reports whether the component was started and not stopped.
func (c *component) isRunning() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running
}

// restartCount is how many times the component was restarted after a failure restartOn
// accepts.
func (c *component) restartCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.restarts
}
