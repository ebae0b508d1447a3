package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/internal/clock"
)

// ErrNotConverged is returned by Eventually when its condition did not hold within its bound.
var ErrNotConverged = errors.New("did not converge")

// Condition is checked by Eventually. It returns whether the cluster reached the wanted state
// and, when not, a short description of what it saw instead (used in the error). An error ends
// the wait at once.
type Condition func(ctx context.Context) (ok bool, seen string, err error)

// pollInterval is how often Eventually checks its condition in real time, and, with a fake
// clock, the real pause between two steps of the clock: long enough for the components'
// goroutines to react to a step even on a loaded machine, short enough to keep tests quick.
const pollInterval = 5 * time.Millisecond

// Eventually waits until cond holds, for at most bound of cluster time (the clock's time: with
// a fake clock, Eventually steps it by Options.Tick between checks). It fails with
// ErrNotConverged, naming what and the last state seen, when the bound passes, and with ctx's
// error when ctx ends.
func (c *Cluster) Eventually(ctx context.Context, bound time.Duration, what string, cond Condition) error {
	fake, isFake := c.clk.(*clock.Fake)
	deadline := c.clk.Now().Add(bound)
	realDeadline := time.Now().Add(bound)
	if isFake {
		// Stepping is paced by real time; never wait forever if the components stall.
		realDeadline = time.Now().Add(time.Duration(int64(bound)/int64(c.opts.Tick)+1)*pollInterval*4 + 30*time.Second)
	}
	seen := ""
	for {
		ok, s, err := cond(ctx)
		if err != nil {
			return fmt.Errorf("wait for %s: %w", what, err)
		}
		if ok {
			return nil
		}
		seen = s
		if !c.clk.Now().Before(deadline) || time.Now().After(realDeadline) {
			return fmt.Errorf("wait for %s within %v: %w (last seen: %s)", what, bound, ErrNotConverged, seen)
		}
		t := time.NewTimer(pollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("wait for %s: %w", what, ctx.Err())
		case <-t.C:
		}
		if isFake {
			fake.Step(c.opts.Tick)
		}
	}
}

// Settle lets the cluster run for d of cluster time (stepping a fake clock, sleeping on a real
// one), for scenarios that must show that something does not happen.
func (c *Cluster) Settle(ctx context.Context, d time.Duration) error {
	err := c.Eventually(ctx, d, "time to pass", func(context.Context) (bool, string, error) { return false, "", nil })
	if errors.Is(err, ErrNotConverged) {
		return nil
	}
	return err
}

func mustQuantity(s string) resource.Quantity { return resource.MustParse(s) }
