package workqueue_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/workqueue"
)

// model is a deliberately naive reference implementation of the queue's
// documented semantics: slices and linear scans, no rings, no heap.
type model struct {
	now        time.Time
	limit      time.Duration
	stampFrom  time.Time // priorities in use from here; earlier ready times count from it
	stamping   bool
	seq        uint64
	items      map[int]*mItem
	failures   map[int]int
	shutdown   bool
	dropped    uint64
	discarded  int
	base, maxB time.Duration
}

type mItem struct {
	prio       int
	ready      bool
	levelSeq   uint64 // order of insertion into its priority's FIFO
	since      time.Time
	processing bool
	dirty      bool
	delayed    bool
	deadline   time.Time
	hseq       uint64
}

func newModel(now time.Time, limit, base, maxB time.Duration) *model {
	return &model{now: now, limit: limit, items: map[int]*mItem{}, failures: map[int]int{}, base: base, maxB: maxB}
}

func (m *model) next() uint64 { m.seq++; return m.seq }

func (m *model) makeReady(it *mItem) {
	it.ready = true
	it.levelSeq = m.next()
	it.since = m.now
}

func (m *model) add(k, prio int, after time.Duration, limited bool) error {
	if limited && !m.shutdown {
		n := m.failures[k]
		m.failures[k] = n + 1
		d := m.maxB
		for i, b := 0, m.base; i <= 64; i, b = i+1, b*2 {
			if i == n {
				d = min(b, m.maxB)
				break
			}
			if b >= m.maxB {
				break
			}
		}
		after = max(after, d)
	}
	if m.shutdown {
		m.dropped++
		return workqueue.ErrShutDown
	}
	if prio != 0 && !m.stamping {
		m.stamping, m.stampFrom = true, m.now
	}
	it := m.items[k]
	if after <= 0 {
		switch {
		case it == nil:
			it = &mItem{prio: prio}
			m.items[k] = it
			m.makeReady(it)
		case it.processing:
			it.prio = max(it.prio, prio)
			if !it.dirty {
				it.dirty, it.delayed = true, false
			}
		case it.ready:
			if prio > it.prio {
				it.prio = prio
				it.levelSeq = m.next()
			}
		default:
			it.delayed = false
			it.prio = max(it.prio, prio)
			m.makeReady(it)
		}
		return nil
	}
	at := m.now.Add(after)
	switch {
	case it == nil:
		m.items[k] = &mItem{prio: prio, delayed: true, deadline: at, hseq: m.next()}
	case it.ready:
		if prio > it.prio {
			it.prio = prio
			it.levelSeq = m.next()
		}
	case it.dirty:
		it.prio = max(it.prio, prio)
	case it.delayed:
		it.prio = max(it.prio, prio)
		if at.Before(it.deadline) {
			it.deadline = at
		}
	default:
		it.prio = max(it.prio, prio)
		it.delayed, it.deadline, it.hseq = true, at, m.next()
	}
	return nil
}

func (m *model) since(it *mItem) time.Time {
	if it.since.Before(m.stampFrom) {
		return m.stampFrom
	}
	return it.since
}

func (m *model) get() (int, error) {
	heads := map[int]int{} // prio -> key of head
	for k, it := range m.items {
		if !it.ready {
			continue
		}
		if h, ok := heads[it.prio]; !ok || it.levelSeq < m.items[h].levelSeq {
			heads[it.prio] = k
		}
	}
	if len(heads) == 0 {
		if m.shutdown {
			return 0, workqueue.ErrShutDown
		}
		return 0, context.Canceled
	}
	prios := make([]int, 0, len(heads))
	for p := range heads {
		prios = append(prios, p)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(prios)))
	chosen := heads[prios[0]]
	if len(prios) > 1 {
		found := false
		var oldest time.Time
		for _, p := range prios {
			k := heads[p]
			s := m.since(m.items[k])
			if m.now.Sub(s) >= m.limit && (!found || s.Before(oldest)) {
				found, oldest, chosen = true, s, k
			}
		}
	}
	it := m.items[chosen]
	it.ready = false
	it.processing = true
	return chosen, nil
}

func (m *model) done(k int) {
	it := m.items[k]
	if it == nil || !it.processing {
		return
	}
	it.processing = false
	switch {
	case it.dirty:
		it.dirty = false
		m.makeReady(it)
	case !it.delayed:
		delete(m.items, k)
	}
}

func (m *model) step(d time.Duration) {
	m.now = m.now.Add(d)
	if m.shutdown {
		return
	}
	var due []int
	for k, it := range m.items {
		if it.delayed && !it.deadline.After(m.now) {
			due = append(due, k)
		}
	}
	sort.Slice(due, func(i, j int) bool {
		a, b := m.items[due[i]], m.items[due[j]]
		if !a.deadline.Equal(b.deadline) {
			return a.deadline.Before(b.deadline)
		}
		return a.hseq < b.hseq
	})
	for _, k := range due {
		it := m.items[k]
		it.delayed = false
		if it.processing {
			it.dirty = true
		} else {
			m.makeReady(it)
		}
	}
}

func (m *model) shutDown() {
	if m.shutdown {
		return
	}
	m.shutdown = true
	for k, it := range m.items {
		if it.delayed {
			it.delayed = false
			m.discarded++
			if !it.processing {
				delete(m.items, k)
			}
		}
	}
}

func (m *model) stats() workqueue.Stats {
	var s workqueue.Stats
	for _, it := range m.items {
		if it.ready {
			s.Ready++
		}
		if it.delayed {
			s.Delayed++
		}
		if it.processing {
			s.Processing++
		}
	}
	s.DroppedAfterShutDown = m.dropped
	s.DiscardedOnShutDown = m.discarded
	return s
}

func (m *model) processingKeys() []int {
	var ks []int
	for k, it := range m.items {
		if it.processing {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// runModel interprets ops as a program of queue operations, runs it against
// a Queue on a fake clock and against the model, and fails at the first
// divergence. It is shared by the seeded randomized test and the fuzz target.
//
// With wide > 0 the six keys in play are replaced by six fresh ones every
// wide operations, half of the Gets become Dones and ShutDown only comes in
// the last 32 operations, so thousands of distinct keys pass through the
// queue: its item index grows, more than 8 items are in flight at once and
// finished items are evicted from the index and their entries reused.
func runModel(t *testing.T, ops []byte, wide int) {
	t.Helper()
	const (
		limit = 2 * time.Second
		base  = 250 * time.Millisecond
		maxB  = 4 * time.Second
	)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fc := clock.NewFake(start)
	lim, err := workqueue.NewExponentialLimiter[int](workqueue.ExponentialOptions{Base: base, Max: maxB})
	if err != nil {
		t.Fatal(err)
	}
	q, err := workqueue.New(workqueue.Options[int]{Clock: fc, RateLimiter: lim, StarvationLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer q.ShutDown()
	m := newModel(start, limit, base, maxB)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	var log []string
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("after ops:\n  %s\n%s", joinLines(log), fmt.Sprintf(format, args...))
	}
	for i := 0; i+1 < len(ops); i += 2 {
		op, arg := ops[i], ops[i+1]
		k := int(arg % 6)
		kind := op % 8
		if wide > 0 {
			k += 6 * (i / 2 / wide)
			if kind == 3 {
				kind = 4
			}
			if kind == 7 && i < len(ops)-64 {
				arg |= 1 // no ShutDown yet
			}
		}
		switch kind {
		case 0:
			log = append(log, fmt.Sprintf("Add(%d)", k))
			q.Add(k)
			_ = m.add(k, 0, 0, false)
		case 1:
			o := workqueue.AddOptions{Priority: int(arg>>3%4) - 1, After: time.Duration(arg>>5%4) * 500 * time.Millisecond}
			log = append(log, fmt.Sprintf("AddWith(%d, %+v)", k, o))
			gotErr := q.AddWith(k, o)
			wantErr := m.add(k, o.Priority, o.After, false)
			if !errors.Is(gotErr, wantErr) && gotErr != wantErr {
				fail("AddWith error = %v, want %v", gotErr, wantErr)
			}
		case 2, 3:
			log = append(log, "Get")
			got, gotErr := q.Get(cancelled)
			want, wantErr := m.get()
			if !errors.Is(gotErr, wantErr) || (wantErr == nil && got != want) {
				fail("Get = (%d, %v), want (%d, %v)", got, gotErr, want, wantErr)
			}
		case 4:
			// Done of a processing key most of the time, else of any key.
			if pk := m.processingKeys(); len(pk) > 0 && arg&0x80 == 0 {
				k = pk[int(arg)%len(pk)]
			}
			log = append(log, fmt.Sprintf("Done(%d)", k))
			q.Done(k)
			m.done(k)
		case 5:
			d := time.Duration(arg%5) * 500 * time.Millisecond
			log = append(log, fmt.Sprintf("Step(%v)", d))
			fc.Step(d)
			m.step(d)
		case 6:
			if arg&1 == 0 {
				log = append(log, fmt.Sprintf("AddRateLimited(%d)", k))
				q.AddRateLimited(k)
				_ = m.add(k, 0, 0, true)
			} else {
				log = append(log, fmt.Sprintf("Forget(%d)", k))
				q.Forget(k)
				delete(m.failures, k)
			}
			if got, want := q.NumRequeues(k), m.failures[k]; got != want {
				fail("NumRequeues(%d) = %d, want %d", k, got, want)
			}
		case 7:
			if arg%16 == 0 {
				log = append(log, "ShutDown")
				q.ShutDown()
				m.shutDown()
			} else {
				log = append(log, fmt.Sprintf("Add(%d)", k))
				q.Add(k)
				_ = m.add(k, 0, 0, false)
			}
		}
		if want, got := m.stats(), q.Stats(); got != want {
			fail("Stats (-model +queue):\n%s", cmp.Diff(want, got))
		}
		if got, want := q.Len(), m.stats().Ready; got != want {
			fail("Len = %d, want %d", got, want)
		}
	}
}

func joinLines(s []string) string {
	if len(s) > 40 {
		s = append([]string{"..."}, s[len(s)-40:]...)
	}
	out := ""
	for i, l := range s {
		if i > 0 {
			out += "\n  "
		}
		out += l
	}
	return out
}

func TestRandomizedAgainstModel(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, seed*7919))
			ops := make([]byte, 2*(50+rng.IntN(400)))
			for i := range ops {
				ops[i] = byte(rng.UintN(256))
			}
			runModel(t, ops, 0)
		})
	}
}

// TestRandomizedAgainstModelManyKeys runs the model comparison over
// thousands of distinct keys (see runModel's wide mode).
func TestRandomizedAgainstModelManyKeys(t *testing.T) {
	for seed := uint64(1); seed <= 2; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, seed*104729))
			ops := make([]byte, 2*12000)
			for i := range ops {
				ops[i] = byte(rng.UintN(256))
			}
			runModel(t, ops, 4)
		})
	}
}

func FuzzQueue(f *testing.F) {
	f.Add([]byte{0, 1, 2, 0, 4, 0})                          // add, get, done
	f.Add([]byte{1, 0x28, 1, 0x00, 2, 0, 2, 0})              // priorities
	f.Add([]byte{1, 0x61, 5, 4, 2, 0, 4, 0, 2, 0})           // delay then step
	f.Add([]byte{6, 2, 6, 2, 5, 4, 5, 4, 2, 0, 6, 3})        // rate limited, forget
	f.Add([]byte{0, 1, 2, 0, 0, 1, 7, 16, 4, 0, 2, 0, 2, 0}) // dirty across shutdown
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 4096 {
			ops = ops[:4096]
		}
		runModel(t, ops, 0)
	})
}
