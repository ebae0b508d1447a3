package disk_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/storetest"
)

// crashable is a disk store that the test crashes and reopens behind one stable
// store.Interface, modelling kill -9 of the process that owns the database, as seen by its
// remote clients:
//
//   - A call answered before the crash got its answer: an acknowledged write is fsynced, so
//     it must survive the crash.
//   - A call in flight at the crash never gets its answer (it fails with errLost, which the
//     runner records as of unknown outcome), whatever the dying store did with it: a write
//     still queued for the committer is dropped (Close fails it), a write in the batch being
//     committed is either in the file or not, as a kill just after or just before that
//     batch's fsync would leave it.
//   - The store is closed without anything a clean shutdown would add: Close waits for the
//     batch being committed and writes nothing of its own (bbolt's Close only unlocks and
//     unmaps the file; the freelist is not synced), so the file after the "crash" is the
//     file as the last committed transaction left it, which is what kill -9 leaves.
//   - Calls made while the store is down wait for the reopen (a client retrying its
//     connection) until their context ends; watches end with the store and are resumed by
//     the runner from the last revision they received.
//   - The reopen runs Open on the same file (recovery: loading the objects and the history
//     and checking that they agree) and then Check.
//
// What the in-process crash does not model is a kill in the middle of bbolt's own page
// writes (torn transactions): TestCrashRecovery kills a child process with SIGKILL for that.
type crashable struct {
	t    *testing.T
	opts disk.Options

	mu    sync.Mutex
	cur   *disk.Store   // nil while down
	up    chan struct{} // closed when the store is up again
	epoch uint64        // incremented at every crash

	crashes atomic.Int64
	lost    atomic.Int64 // calls in flight at a crash
}

// errLost is the error of a call whose answer was lost with the crashed store.
var errLost = apierrors.NewServiceUnavailable("disk store crashed: the answer was lost")

func newCrashable(t *testing.T, opts disk.Options) *crashable {
	s, err := disk.Open(opts)
	if err != nil {
		t.Fatalf("open disk store: %v", err)
	}
	c := &crashable{t: t, opts: opts, cur: s, up: make(chan struct{})}
	close(c.up)
	t.Cleanup(func() {
		c.mu.Lock()
		s := c.cur
		c.cur = nil
		c.mu.Unlock()
		if s != nil {
			if err := s.Close(context.Background()); err != nil {
				t.Errorf("close: %v", err)
			}
		}
	})
	return c
}

// get returns the running store and its epoch, waiting while the store is down.
func (c *crashable) get(ctx context.Context, op string) (*disk.Store, uint64, error) {
	for {
		c.mu.Lock()
		s, e, up := c.cur, c.epoch, c.up
		c.mu.Unlock()
		if s != nil {
			return s, e, nil
		}
		select {
		case <-up:
		case <-ctx.Done():
			return nil, 0, fmt.Errorf("%s while the disk store is down: %w", op, ctx.Err())
		}
	}
}

// answered returns the answer of a call made in epoch e, or errLost if the store crashed
// since.
func answered[T any](c *crashable, e uint64, out T, err error) (T, error) {
	c.mu.Lock()
	crashed := c.epoch != e
	c.mu.Unlock()
	if crashed {
		c.lost.Add(1)
		var zero T
		return zero, errLost
	}
	return out, err
}

// Stop crashes the store: calls in flight lose their answers, queued writes are dropped.
func (c *crashable) Stop(ctx context.Context) error {
	c.mu.Lock()
	s := c.cur
	if s == nil {
		c.mu.Unlock()
		return fmt.Errorf("crash: the store is already down")
	}
	c.cur = nil
	c.epoch++
	c.up = make(chan struct{})
	c.mu.Unlock()
	c.crashes.Add(1)
	if err := s.Close(ctx); err != nil {
		return fmt.Errorf("crash: %w", err)
	}
	return nil
}

// Start reopens the database file and checks it.
func (c *crashable) Start(ctx context.Context) error {
	s, err := disk.Open(c.opts)
	if err != nil {
		return fmt.Errorf("reopen after crash %d: %w", c.crashes.Load(), err)
	}
	if err := s.Check(ctx); err != nil {
		_ = s.Close(ctx)
		return fmt.Errorf("check after crash %d: %w", c.crashes.Load(), err)
	}
	c.mu.Lock()
	c.cur = s
	close(c.up)
	c.mu.Unlock()
	return nil
}

var (
	_ store.Interface     = (*crashable)(nil)
	_ storetest.Restarter = (*crashable)(nil)
)

func (c *crashable) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	s, e, err := c.get(ctx, "create")
	if err != nil {
		return nil, err
	}
	out, err := s.Create(ctx, gr, obj)
	return answered(c, e, out, err)
}

func (c *crashable) Get(ctx context.Context, gr schema.GroupResource, ns, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	s, e, err := c.get(ctx, "get")
	if err != nil {
		return nil, err
	}
	out, err := s.Get(ctx, gr, ns, name, opts)
	return answered(c, e, out, err)
}

func (c *crashable) List(ctx context.Context, gr schema.GroupResource, ns string, opts store.ListOptions) (*store.List, error) {
	s, e, err := c.get(ctx, "list")
	if err != nil {
		return nil, err
	}
	out, err := s.List(ctx, gr, ns, opts)
	return answered(c, e, out, err)
}

func (c *crashable) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	s, e, err := c.get(ctx, "update")
	if err != nil {
		return nil, err
	}
	out, err := s.Update(ctx, gr, obj)
	return answered(c, e, out, err)
}

func (c *crashable) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, ns, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	s, e, err := c.get(ctx, "guaranteed update")
	if err != nil {
		return nil, err
	}
	out, err := s.GuaranteedUpdate(ctx, gr, ns, name, fn, opts)
	return answered(c, e, out, err)
}

func (c *crashable) Delete(ctx context.Context, gr schema.GroupResource, ns, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	s, e, err := c.get(ctx, "delete")
	if err != nil {
		return nil, err
	}
	out, err := s.Delete(ctx, gr, ns, name, opts)
	return answered(c, e, out, err)
}

// Watch watches the running store; the watch ends when the store crashes.
func (c *crashable) Watch(ctx context.Context, gr schema.GroupResource, ns string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	s, e, err := c.get(ctx, "watch")
	if err != nil {
		return nil, err
	}
	out, err := s.Watch(ctx, gr, ns, opts)
	if err != nil {
		return answered(c, e, out, err)
	}
	return out, nil // a watch of a crashed store ends by itself
}

func (c *crashable) Compact(ctx context.Context, revision int64) error {
	s, e, err := c.get(ctx, "compact")
	if err != nil {
		return err
	}
	_, err = answered(c, e, struct{}{}, s.Compact(ctx, revision))
	return err
}

func (c *crashable) Stats(ctx context.Context) (store.Stats, error) {
	s, e, err := c.get(ctx, "stats")
	if err != nil {
		return store.Stats{}, err
	}
	out, err := s.Stats(ctx)
	return answered(c, e, out, err)
}

// TestLinearizabilityCrashReopen runs the linearizability and watch-guarantee check while the
// disk store is crashed (kill -9 as crashable models it) and reopened from its file four
// times during the history: acknowledged writes must survive every crash, writes in flight
// may or may not have happened, and watches resumed on the reopened store must continue
// without a gap or a repeat. With a history of 64 changes, automatic compactions run in the
// batches the crashes interrupt and must survive them; a watch resuming behind the compacted
// history would get Expired, which the contract allows there, and relist (in practice the
// watches resume within milliseconds, far less than 64 writes behind).
func TestLinearizabilityCrashReopen(t *testing.T) {
	cases := []struct {
		name         string
		maxHistory   int
		allowExpired bool
	}{
		{"default history", 0, false},
		{"history of 64 changes", 64, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Cleanup(func() { goleak.VerifyNone(t) }) // after the store's own cleanup
			var c *crashable
			storetest.RunLinearizability(t, func(t *testing.T, cfg storetest.Config) store.Interface {
				c = newCrashable(t, disk.Options{
					Path:             filepath.Join(t.TempDir(), "store.db"),
					Resources:        cfg.Resources,
					Clock:            cfg.Clock,
					MaxObjectSize:    cfg.MaxObjectSize,
					WatchBuffer:      cfg.WatchBuffer,
					BookmarkInterval: cfg.BookmarkInterval,
					MaxHistory:       tc.maxHistory,
					MaxHistoryAge:    -1,
				})
				return c
			}, storetest.LinearizabilityOptions{
				Clients: 8,
				Ops:     150,
				Restarter: storetest.RestartFuncs{
					StopFunc:  func(ctx context.Context) error { return c.Stop(ctx) },
					StartFunc: func(ctx context.Context) error { return c.Start(ctx) },
				},
				Restarts:     4,
				AllowExpired: tc.allowExpired,
			})
			if c == nil {
				return
			}
			if got := c.crashes.Load(); got != 4 && !t.Failed() {
				t.Errorf("%d crashes, want 4", got)
			}
			if c.lost.Load() == 0 && !t.Failed() {
				t.Errorf("no call was in flight at any crash: the fault did not hit the clients")
			}
			t.Logf("%d crashes, %d calls lost their answers", c.crashes.Load(), c.lost.Load())
		})
	}
}
