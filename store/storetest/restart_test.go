package storetest_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// forgetful is a memory store whose "restart" loses the watch history, as a backend that
// keeps history only in memory would: Stop ends every open watch and makes new watches
// wait; Start compacts the history up to the current revision (writes went on meanwhile)
// and lets watches through again, so watchers resuming from before that get Expired and
// must relist. Reads and writes are not disturbed.
type forgetful struct {
	store.Interface

	mu      sync.Mutex
	down    bool
	up      chan struct{} // closed when the store is up again
	cut     chan struct{} // closed at Stop: open watches end
	expired atomic.Int64  // Expired answers to resumptions
}

func newForgetful(t *testing.T, cfg storetest.Config) *forgetful {
	s, err := memory.New(memory.Options{
		Resources:        cfg.Resources,
		Clock:            cfg.Clock,
		MaxObjectSize:    cfg.MaxObjectSize,
		WatchBuffer:      cfg.WatchBuffer,
		BookmarkInterval: cfg.BookmarkInterval,
		MaxHistoryAge:    -1,
	})
	if err != nil {
		t.Fatalf("new memory store: %v", err)
	}
	return &forgetful{Interface: s, up: make(chan struct{}), cut: make(chan struct{})}
}

func (f *forgetful) Stop(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return fmt.Errorf("stop: already down")
	}
	f.down = true
	f.up = make(chan struct{})
	close(f.cut)
	return nil
}

func (f *forgetful) Start(ctx context.Context) error {
	st, err := f.Interface.Stats(ctx)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	if err := f.Interface.Compact(ctx, st.Revision); err != nil {
		return fmt.Errorf("start: compact to %d: %w", st.Revision, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = false
	f.cut = make(chan struct{})
	close(f.up)
	return nil
}

// cutWatch is a watch that Stop ends; it forwards progress requests.
type cutWatch struct {
	*watch.Proxy[runtime.Object]
	inner watch.Interface[runtime.Object]
}

func (w cutWatch) RequestProgress() {
	if p, ok := w.inner.(store.ProgressRequester); ok {
		p.RequestProgress()
	}
}

func (f *forgetful) Watch(ctx context.Context, gr schema.GroupResource, ns string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	var cut chan struct{}
	for {
		f.mu.Lock()
		down, up := f.down, f.up
		cut = f.cut
		f.mu.Unlock()
		if !down {
			break
		}
		select {
		case <-up:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	w, err := f.Interface.Watch(ctx, gr, ns, opts)
	if err != nil {
		if apierrors.IsResourceExpired(err) {
			f.expired.Add(1)
		}
		return nil, err
	}
	src := make(chan watch.Event[runtime.Object])
	p := watch.NewProxy(ctx, src)
	go func() {
		defer close(src)
		defer w.Stop()
		for {
			select {
			case ev, ok := <-w.ResultChan():
				if !ok {
					return
				}
				if ev.Type == watch.Error && apierrors.IsResourceExpired(watch.EventError(ev)) {
					f.expired.Add(1)
				}
				select {
				case src <- ev:
				case <-p.Done():
					return
				case <-cut:
					return
				}
			case <-p.Done():
				return
			case <-cut:
				return
			}
		}
	}()
	return cutWatch{Proxy: p, inner: w}, nil
}

// TestRestartLosingHistory runs the linearizability check with a Restarter whose restarts
// lose the watch history: with AllowExpired, the watchers that resume into the compacted
// history relist and the streams are checked across the relists.
func TestRestartLosingHistory(t *testing.T) {
	defer goleak.VerifyNone(t)
	var f *forgetful
	storetest.RunLinearizability(t, func(t *testing.T, cfg storetest.Config) store.Interface {
		f = newForgetful(t, cfg)
		return f
	}, storetest.LinearizabilityOptions{
		Clients: 6,
		Ops:     150,
		Restarter: storetest.RestartFuncs{
			StopFunc:  func(ctx context.Context) error { return f.Stop(ctx) },
			StartFunc: func(ctx context.Context) error { return f.Start(ctx) },
		},
		Restarts:     3,
		AllowExpired: true,
	})
	if f.expired.Load() == 0 {
		t.Errorf("no resumption got Expired: the relist path was not exercised")
	}
	t.Logf("%d resumptions got Expired", f.expired.Load())
}
