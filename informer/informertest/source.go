package informertest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
)

// Faults are the probabilities and sizes of the faults a Source injects. The zero value
// injects nothing.
type Faults struct {
	// ListError is the probability that a List call fails with an internal error.
	ListError float64
	// WatchError is the probability that a Watch call fails with an internal error.
	WatchError float64
	// Expire is the probability that a watch answers with an Expired (410) Error event at
	// once, as a server does for a compacted revision.
	Expire float64
	// Drop is the probability, per change, that the stream ends just before it, without an
	// error; the events it was holding back (see Hold) are lost with it.
	Drop float64
	// StreamError is the probability, per change, that the stream ends with an internal
	// error (500) Error event instead of delivering it.
	StreamError float64
	// Hold delays deliveries: changes are held back and released in bursts of up to Hold
	// events, or as soon as the wrapped stream goes idle. 0 or 1 delivers at once.
	Hold int
	// Replay makes a watch start up to Replay revisions before the one asked for, so the
	// consumer receives changes it already has again (as from a lagging replica).
	Replay int64
	// Swap is the probability, per released burst of two or more changes, that two adjacent
	// changes trade places: a stream out of revision order.
	Swap float64
}

// Stats count the faults a Source injected.
type Stats struct {
	Lists, Watches                           int
	ListErrors, WatchErrors, Expired, Drops  int
	StreamErrors, Swaps, Replays, HeldEvents int
}

// Source wraps an informer.Source and injects faults. Create it with NewSource.
type Source struct {
	inner informer.Source

	mu     sync.Mutex
	rng    *rand.Rand
	faults Faults
	stats  Stats

	wg sync.WaitGroup
}

var _ informer.Source = (*Source)(nil)

// NewSource returns a Source over inner injecting faults with randomness seeded by seed.
func NewSource(inner informer.Source, seed uint64, faults Faults) *Source {
	return &Source{inner: inner, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), faults: faults}
}

// SetFaults replaces the faults injected from now on.
func (s *Source) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

// Stats returns the faults injected so far.
func (s *Source) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Wait blocks until the goroutine of every watch the Source returned has ended.
func (s *Source) Wait() { s.wg.Wait() }

// roll reports true with probability p, and counts it in *n.
func (s *Source) roll(p func(Faults) float64, n func(*Stats) *int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pr := p(s.faults); pr > 0 && s.rng.Float64() < pr {
		*n(&s.stats)++
		return true
	}
	return false
}

// List implements informer.Source.
func (s *Source) List(ctx context.Context, namespace string, opts store.ListOptions) (*store.List, error) {
	s.mu.Lock()
	s.stats.Lists++
	s.mu.Unlock()
	if s.roll(func(f Faults) float64 { return f.ListError }, func(st *Stats) *int { return &st.ListErrors }) {
		return nil, apierrors.NewInternalError(fmt.Errorf("informertest: injected list failure"))
	}
	return s.inner.List(ctx, namespace, opts)
}

// Watch implements informer.Source.
func (s *Source) Watch(ctx context.Context, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	s.mu.Lock()
	s.stats.Watches++
	if s.faults.Replay > 0 && opts.Revision > 1 && !opts.SendInitialEvents {
		back := s.rng.Int64N(s.faults.Replay + 1)
		if back > 0 {
			s.stats.Replays++
			opts.Revision = max(1, opts.Revision-back)
		}
	}
	s.mu.Unlock()
	if s.roll(func(f Faults) float64 { return f.WatchError }, func(st *Stats) *int { return &st.WatchErrors }) {
		return nil, apierrors.NewInternalError(fmt.Errorf("informertest: injected watch failure"))
	}
	in, err := s.inner.Watch(ctx, namespace, opts)
	if err != nil {
		return nil, err
	}
	w := &faultWatch{out: make(chan watch.Event[runtime.Object]), stop: make(chan struct{})}
	expire := s.roll(func(f Faults) float64 { return f.Expire }, func(st *Stats) *int { return &st.Expired })
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.run(in, w, expire)
	}()
	return w, nil
}

type faultWatch struct {
	out  chan watch.Event[runtime.Object]
	stop chan struct{}
	once sync.Once
}

func (w *faultWatch) ResultChan() <-chan watch.Event[runtime.Object] { return w.out }
func (w *faultWatch) Stop()                                          { w.once.Do(func() { close(w.stop) }) }

func (s *Source) holdTarget() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.Hold <= 1 {
		return 1
	}
	return 1 + s.rng.IntN(s.faults.Hold)
}

func isChange(ev watch.Event[runtime.Object]) bool {
	return ev.Type == watch.Added || ev.Type == watch.Modified || ev.Type == watch.Deleted
}

func (s *Source) run(in watch.Interface[runtime.Object], w *faultWatch, expire bool) {
	defer close(w.out)
	defer in.Stop()
	send := func(ev watch.Event[runtime.Object]) bool {
		select {
		case w.out <- ev:
			return true
		case <-w.stop:
			return false
		}
	}
	if expire {
		send(watch.NewError[runtime.Object](statusOf(apierrors.NewResourceExpired("informertest: injected expiry"))))
		return
	}
	var held []watch.Event[runtime.Object]
	release := func() bool {
		if len(held) >= 2 && s.roll(func(f Faults) float64 { return f.Swap }, func(st *Stats) *int { return &st.Swaps }) {
			s.mu.Lock()
			i := s.rng.IntN(len(held) - 1)
			s.mu.Unlock()
			if isChange(held[i]) && isChange(held[i+1]) {
				held[i], held[i+1] = held[i+1], held[i]
			}
		}
		for _, ev := range held {
			if !send(ev) {
				return false
			}
		}
		held = held[:0]
		return true
	}
	target := s.holdTarget()
	for {
		var ev watch.Event[runtime.Object]
		var ok bool
		select {
		case ev, ok = <-in.ResultChan():
		case <-w.stop:
			return
		default:
			// The wrapped stream is idle: deliver what is held, then wait.
			if !release() {
				return
			}
			select {
			case ev, ok = <-in.ResultChan():
			case <-w.stop:
				return
			}
		}
		if !ok {
			release()
			return
		}
		if isChange(ev) {
			if s.roll(func(f Faults) float64 { return f.Drop }, func(st *Stats) *int { return &st.Drops }) {
				return
			}
			if s.roll(func(f Faults) float64 { return f.StreamError }, func(st *Stats) *int { return &st.StreamErrors }) {
				if release() {
					send(watch.NewError[runtime.Object](statusOf(apierrors.NewInternalError(fmt.Errorf("informertest: injected stream failure")))))
				}
				return
			}
		}
		held = append(held, ev)
		if len(held) > 1 {
			s.mu.Lock()
			s.stats.HeldEvents++
			s.mu.Unlock()
		}
		if ev.Type == watch.Error || len(held) >= target {
			if !release() {
				return
			}
			target = s.holdTarget()
		}
	}
}

func statusOf(err error) *meta.Status {
	st := apierrors.ToStatus(err)
	return &st
}
