package memory_test

import (
	"context"
	"sync/atomic"
	"testing"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/storetest"
)

// flaky wraps a store with ambiguous failures while switched on (until 16 were injected: each
// one multiplies the linearizations porcupine must consider): every fifth write fails with a
// Timeout, half of them after taking effect and half before, and every watch ends after a
// few events without an error. It exercises the linearizability runner's handling of unknown
// outcomes and of watches cut by a fault.
type flaky struct {
	store.Interface
	on       atomic.Bool
	n        atomic.Int64
	injected atomic.Int64
	enough   chan struct{}
}

func (f *flaky) fault() (inject, after bool) {
	if !f.on.Load() {
		return false, false
	}
	n := f.n.Add(1)
	if n%5 != 0 {
		return false, false
	}
	switch k := f.injected.Add(1); {
	case k > 16:
		return false, false
	case k == 16:
		close(f.enough)
	}
	return true, n%10 == 0
}

var errInjected = apierrors.NewTimeoutError("injected fault", 1)

func (f *flaky) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	inject, after := f.fault()
	if inject && !after {
		return nil, errInjected
	}
	out, err := f.Interface.Create(ctx, gr, obj)
	if inject {
		return nil, errInjected
	}
	return out, err
}

func (f *flaky) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	inject, after := f.fault()
	if inject && !after {
		return nil, errInjected
	}
	out, err := f.Interface.Update(ctx, gr, obj)
	if inject {
		return nil, errInjected
	}
	return out, err
}

func (f *flaky) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, ns, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	inject, after := f.fault()
	if inject && !after {
		return nil, errInjected
	}
	out, err := f.Interface.GuaranteedUpdate(ctx, gr, ns, name, fn, opts)
	if inject {
		return nil, errInjected
	}
	return out, err
}

func (f *flaky) Delete(ctx context.Context, gr schema.GroupResource, ns, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	inject, after := f.fault()
	if inject && !after {
		return nil, errInjected
	}
	out, err := f.Interface.Delete(ctx, gr, ns, name, opts)
	if inject {
		return nil, errInjected
	}
	return out, err
}

// Watch cuts the stream after a few events while the fault is on.
func (f *flaky) Watch(ctx context.Context, gr schema.GroupResource, ns string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	w, err := f.Interface.Watch(ctx, gr, ns, opts)
	if err != nil || !f.on.Load() {
		return w, err
	}
	src := make(chan watch.Event[runtime.Object])
	p := watch.NewProxy(ctx, src)
	go func() {
		defer close(src)
		defer w.Stop()
		for n := 0; n < 13; n++ {
			select {
			case ev, ok := <-w.ResultChan():
				if !ok {
					return
				}
				select {
				case src <- ev:
				case <-p.Done():
					return
				}
			case <-p.Done():
				return
			}
		}
	}()
	return p, nil
}

func TestLinearizabilityWithAmbiguousFailures(t *testing.T) {
	var f *flaky
	storetest.RunLinearizability(t, func(t *testing.T, cfg storetest.Config) store.Interface {
		f = &flaky{Interface: newStore(t, cfg), enough: make(chan struct{})}
		return f
	}, storetest.LinearizabilityOptions{
		Clients: 6,
		Ops:     150,
		Fault: func(ctx context.Context, _ store.Interface) {
			f.on.Store(true)
			select {
			case <-f.enough:
			case <-ctx.Done():
			}
			f.on.Store(false)
		},
	})
}
