package etcd_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/storetest"
)

// memberRestarter stops one member of a 3-member cluster and starts it again: the leader on
// odd cycles, a follower on even ones. The store's client knows every member, so calls and
// watches move to the survivors; calls that were in flight to the stopped member, or that
// time out during the election, have an unknown outcome.
type memberRestarter struct {
	c *etcdtest.Cluster
	t *testing.T

	mu      sync.Mutex
	cycle   int
	stopped int // the stopped member, -1 when all run
	log     []string
}

func (r *memberRestarter) Stop(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped >= 0 {
		return fmt.Errorf("stop: member %d is already stopped", r.stopped)
	}
	r.cycle++
	lead := r.c.Leader()
	if lead < 0 {
		return fmt.Errorf("stop: no member knows a leader")
	}
	m, role := lead, "leader"
	if r.cycle%2 == 0 {
		m, role = (lead+1)%r.c.Size(), "follower"
	}
	r.c.Stop(m)
	r.stopped = m
	r.log = append(r.log, fmt.Sprintf("%s m%d", role, m))
	return nil
}

func (r *memberRestarter) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped < 0 {
		return fmt.Errorf("start: no member is stopped")
	}
	tb := &recordingTB{TB: r.t}
	r.c.Restart(tb, r.stopped) // etcdtest reports a failed start through tb
	if tb.err != nil {
		return fmt.Errorf("start member %d: %w", r.stopped, tb.err)
	}
	r.stopped = -1
	return nil
}

// recordingTB records the failure of an etcdtest call made outside the test goroutine
// (where Fatal must not be called) instead of failing the test at once.
type recordingTB struct {
	testing.TB
	err error
}

func (tb *recordingTB) Helper() {}

func (tb *recordingTB) Fatal(args ...any) { tb.err = fmt.Errorf("%s", fmt.Sprint(args...)) }

func (tb *recordingTB) Fatalf(format string, args ...any) { tb.err = fmt.Errorf(format, args...) }

// TestLinearizabilityMemberRestart runs the linearizability and watch-guarantee check against
// a 3-member cluster while a member (the leader, then a follower, then the leader again) is
// stopped and restarted at random moments of the history: the store must stay linearizable
// through the elections, writes that time out may or may not have happened, and watches
// (which the client moves to a surviving member, or the runner resumes) must deliver every
// change exactly once.
func TestLinearizabilityMemberRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-member etcd cluster; skipped with -short")
	}
	c := etcdtest.StartCluster(t, 3, etcdtest.Options{})
	r := &memberRestarter{c: c, t: t, stopped: -1}
	storetest.RunLinearizability(t, func(t *testing.T, cfg storetest.Config) store.Interface {
		return newStore(t, c.Client(t), cfg)
	}, storetest.LinearizabilityOptions{
		Clients:     8,
		Ops:         100,
		Restarter:   r,
		Restarts:    3,
		MaxDowntime: 500 * time.Millisecond,
		OpTimeout:   3 * time.Second,
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.log) != 3 && !t.Failed() {
		t.Errorf("%d members restarted (%v), want 3", len(r.log), r.log)
	}
	t.Logf("restarted: %v", r.log)
}
