package workqueue_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/workqueue"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newQueue(t *testing.T, opts workqueue.Options[string]) (*workqueue.Queue[string], *clock.Fake) {
	t.Helper()
	fc := clock.NewFake(epoch)
	if opts.Clock == nil {
		opts.Clock = fc
	}
	q, err := workqueue.New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(q.ShutDown)
	return q, fc
}

// now returns a context that is already cancelled, so Get never blocks.
func now() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// drain gets every ready item without blocking, marking each Done.
func drain(t *testing.T, q *workqueue.Queue[string]) []string {
	t.Helper()
	var got []string
	for {
		item, err := q.Get(now())
		if err != nil {
			return got
		}
		got = append(got, item)
		q.Done(item)
	}
}

// step is one operation of a scripted scenario.
type step struct {
	add      string
	prio     int
	after    time.Duration
	get      bool   // Get one item and keep it processing
	want     string // expected item of get
	done     string
	advance  time.Duration
	wantLen  int
	checkLen bool
}

func runSteps(t *testing.T, q *workqueue.Queue[string], fc *clock.Fake, steps []step) {
	t.Helper()
	for i, s := range steps {
		switch {
		case s.add != "":
			if err := q.AddWith(s.add, workqueue.AddOptions{Priority: s.prio, After: s.after}); err != nil {
				t.Fatalf("step %d: AddWith(%q): %v", i, s.add, err)
			}
		case s.get:
			got, err := q.Get(now())
			if err != nil || got != s.want {
				t.Fatalf("step %d: Get = (%q, %v), want %q", i, got, err, s.want)
			}
		case s.done != "":
			q.Done(s.done)
		case s.advance != 0:
			fc.Step(s.advance)
		}
		if s.checkLen {
			if got := q.Len(); got != s.wantLen {
				t.Fatalf("step %d: Len = %d, want %d", i, got, s.wantLen)
			}
		}
	}
}

func TestQueueSemantics(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		rest  []string // what drain returns afterwards, in order
	}{
		{
			name:  "fifo",
			steps: []step{{add: "a"}, {add: "b"}, {add: "c"}},
			rest:  []string{"a", "b", "c"},
		},
		{
			name:  "duplicates merge and keep first position",
			steps: []step{{add: "a"}, {add: "b"}, {add: "a"}, {add: "a", checkLen: true, wantLen: 2}},
			rest:  []string{"a", "b"},
		},
		{
			name: "add while processing is handed out after done",
			steps: []step{
				{add: "a"}, {get: true, want: "a"},
				{add: "a", checkLen: true, wantLen: 0},
				{add: "a", checkLen: true, wantLen: 0},
				{add: "b"},
				{done: "a", checkLen: true, wantLen: 2},
			},
			rest: []string{"b", "a"},
		},
		{
			name:  "done of an item not processing is a no-op",
			steps: []step{{add: "a"}, {done: "a", checkLen: true, wantLen: 1}, {done: "zzz"}},
			rest:  []string{"a"},
		},
		{
			name:  "higher priority first, fifo within one",
			steps: []step{{add: "low1", prio: -1}, {add: "a"}, {add: "hi1", prio: 5}, {add: "b"}, {add: "hi2", prio: 5}, {add: "low2", prio: -1}},
			rest:  []string{"hi1", "hi2", "a", "b", "low1", "low2"},
		},
		{
			name:  "re-add raises priority and never lowers it",
			steps: []step{{add: "a"}, {add: "b"}, {add: "c"}, {add: "c", prio: 3}, {add: "c", prio: 1}, {add: "c"}},
			rest:  []string{"c", "a", "b"},
		},
		{
			name: "priority given while processing applies to the re-add",
			steps: []step{
				{add: "a"}, {get: true, want: "a"}, {add: "a", prio: 9}, {add: "b"}, {done: "a"},
			},
			rest: []string{"a", "b"},
		},
		{
			name: "delay honoured exactly",
			steps: []step{
				{add: "a", after: time.Second, checkLen: true, wantLen: 0},
				{advance: 999 * time.Millisecond, checkLen: true, wantLen: 0},
				{advance: time.Millisecond, checkLen: true, wantLen: 1},
			},
			rest: []string{"a"},
		},
		{
			name: "earlier AddAfter wins, later does not postpone",
			steps: []step{
				{add: "a", after: 10 * time.Second},
				{add: "a", after: 2 * time.Second},
				{add: "a", after: 30 * time.Second},
				{advance: 2 * time.Second, checkLen: true, wantLen: 1},
			},
			rest: []string{"a"},
		},
		{
			name: "add cancels a pending delay",
			steps: []step{
				{add: "a", after: time.Hour}, {add: "b"}, {add: "a", checkLen: true, wantLen: 2},
				{advance: time.Hour, checkLen: true, wantLen: 2},
			},
			rest: []string{"b", "a"},
		},
		{
			name:  "AddAfter of a ready item changes nothing",
			steps: []step{{add: "a"}, {add: "a", after: time.Minute}, {add: "b"}},
			rest:  []string{"a", "b"},
		},
		{
			name: "delayed items become ready in deadline order",
			steps: []step{
				{add: "c", after: 3 * time.Second}, {add: "a", after: time.Second}, {add: "b", after: 2 * time.Second},
				{add: "d", after: 2 * time.Second},
				{advance: 5 * time.Second, checkLen: true, wantLen: 4},
			},
			rest: []string{"a", "b", "d", "c"},
		},
		{
			name: "delay expiring while processing re-adds after done",
			steps: []step{
				{add: "a"}, {get: true, want: "a"}, {add: "a", after: time.Second},
				{advance: time.Second, checkLen: true, wantLen: 0},
				{done: "a", checkLen: true, wantLen: 1},
			},
			rest: []string{"a"},
		},
		{
			name: "delay still pending at done stays delayed",
			steps: []step{
				{add: "a"}, {get: true, want: "a"}, {add: "a", after: time.Second},
				{done: "a", checkLen: true, wantLen: 0},
				{advance: time.Second, checkLen: true, wantLen: 1},
			},
			rest: []string{"a"},
		},
		{
			name: "delayed item keeps the higher priority",
			steps: []step{
				{add: "a"}, {add: "b", after: time.Second, prio: 2}, {add: "b", after: 5 * time.Second},
				{advance: time.Second},
			},
			rest: []string{"b", "a"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, fc := newQueue(t, workqueue.Options[string]{StarvationLimit: time.Hour * 24})
			runSteps(t, q, fc, tt.steps)
			if diff := cmp.Diff(tt.rest, drain(t, q)); diff != "" {
				t.Errorf("remaining order (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSingleTimerForAllDelays(t *testing.T) {
	q, fc := newQueue(t, workqueue.Options[string]{})
	for i, d := range []time.Duration{5, 3, 9, 1, 7} {
		q.AddAfter(string(rune('a'+i)), d*time.Second)
	}
	if got := fc.Waiters(); got != 1 {
		t.Fatalf("timers armed = %d, want 1", got)
	}
	fc.Step(2 * time.Second)
	if got := fc.Waiters(); got != 1 {
		t.Fatalf("timers armed after first fire = %d, want 1", got)
	}
	fc.Step(10 * time.Second)
	if got := fc.Waiters(); got != 0 {
		t.Fatalf("timers armed with nothing delayed = %d, want 0 (no polling)", got)
	}
	if diff := cmp.Diff([]string{"d", "b", "a", "e", "c"}, drain(t, q)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestNoStarvation(t *testing.T) {
	const limit = 5 * time.Second
	q, fc := newQueue(t, workqueue.Options[string]{StarvationLimit: limit})
	q.AddWith("resync", workqueue.AddOptions{Priority: -1})
	// A steady stream of fresh work: one new high-priority item per
	// second, always present when a worker asks.
	var served []string
	for i := 0; i < 8; i++ {
		key := string(rune('A' + i))
		q.AddWith(key, workqueue.AddOptions{Priority: 1})
		got, err := q.Get(now())
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		served = append(served, got)
		q.Done(got)
		fc.Step(time.Second)
	}
	// Fresh work goes first until the resync item has waited 5s; then it
	// is served ahead of the fresh item queued at that moment, which is
	// served next.
	if diff := cmp.Diff([]string{"A", "B", "C", "D", "E", "resync", "F", "G"}, served); diff != "" {
		t.Fatalf("serve order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"H"}, drain(t, q)); diff != "" {
		t.Fatalf("left over (-want +got):\n%s", diff)
	}
}

func TestAgingServesOldestFirst(t *testing.T) {
	q, fc := newQueue(t, workqueue.Options[string]{StarvationLimit: 10 * time.Second})
	q.AddWith("low-old", workqueue.AddOptions{Priority: -5})
	fc.Step(3 * time.Second)
	q.AddWith("mid-newer", workqueue.AddOptions{Priority: 0})
	fc.Step(3 * time.Second)
	q.AddWith("high", workqueue.AddOptions{Priority: 5})
	// Nothing has waited 10s: strict priority.
	if got, _ := q.Get(now()); got != "high" {
		t.Fatalf("Get = %q, want high", got)
	}
	q.Done("high")
	fc.Step(10 * time.Second)
	q.AddWith("high2", workqueue.AddOptions{Priority: 5})
	// Both older items have aged; the oldest goes first, then the next
	// oldest, then fresh work.
	if diff := cmp.Diff([]string{"low-old", "mid-newer", "high2"}, drain(t, q)); diff != "" {
		t.Fatalf("order (-want +got):\n%s", diff)
	}
}

func TestGetBlocksUntilAddOrContext(t *testing.T) {
	q, _ := newQueue(t, workqueue.Options[string]{})
	type res struct {
		item string
		err  error
	}
	results := make(chan res, 1)
	go func() {
		item, err := q.Get(context.Background())
		results <- res{item, err}
	}()
	q.Add("a") // either handed to the blocked Get or queued for it
	if r := <-results; r.item != "a" || r.err != nil {
		t.Fatalf("Get = %+v, want a", r)
	}
	q.Done("a")

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		item, err := q.Get(ctx)
		results <- res{item, err}
	}()
	cancel()
	r := <-results
	switch {
	case errors.Is(r.err, context.Canceled):
	default:
		t.Fatalf("Get with cancelled ctx = %+v, want context.Canceled", r)
	}
	// The cancelled Get must not have swallowed a later item.
	q.Add("b")
	if got, err := q.Get(now()); got != "b" || err != nil {
		t.Fatalf("Get = (%q, %v), want b", got, err)
	}
}

func TestShutDown(t *testing.T) {
	q, fc := newQueue(t, workqueue.Options[string]{})
	q.Add("ready1")
	q.Add("ready2")
	q.Add("busy")
	q.AddAfter("delayed", time.Minute)
	// Get returns items in FIFO order; hold "busy" in flight.
	for _, want := range []string{"ready1", "ready2", "busy"} {
		if got, _ := q.Get(now()); got != want {
			t.Fatalf("Get = %q, want %q", got, want)
		}
	}
	q.Done("ready1")
	q.Add("ready1")
	q.Add("busy") // re-added while processing, before shutdown
	q.ShutDown()
	q.ShutDown() // idempotent
	if !q.ShuttingDown() {
		t.Fatal("ShuttingDown = false")
	}
	q.Add("late")
	if err := q.AddWith("late2", workqueue.AddOptions{}); !errors.Is(err, workqueue.ErrShutDown) {
		t.Fatalf("AddWith after shutdown = %v, want ErrShutDown", err)
	}
	fc.Step(time.Hour)
	want := workqueue.Stats{Ready: 1, Processing: 2, DroppedAfterShutDown: 2, DiscardedOnShutDown: 1}
	if diff := cmp.Diff(want, q.Stats()); diff != "" {
		t.Fatalf("Stats (-want +got):\n%s", diff)
	}
	// Ready items and the pre-shutdown re-add are still handed out.
	q.Done("ready2")
	q.Done("busy")
	if diff := cmp.Diff([]string{"ready1", "busy"}, drain(t, q)); diff != "" {
		t.Fatalf("after shutdown (-want +got):\n%s", diff)
	}
	if _, err := q.Get(context.Background()); !errors.Is(err, workqueue.ErrShutDown) {
		t.Fatalf("Get on empty shut-down queue = %v, want ErrShutDown", err)
	}
}

func TestShutDownWakesBlockedGetters(t *testing.T) {
	q, _ := newQueue(t, workqueue.Options[string]{})
	const getters = 8
	errs := make(chan error, getters)
	var started sync.WaitGroup
	started.Add(getters)
	for range getters {
		go func() {
			started.Done()
			_, err := q.Get(context.Background())
			errs <- err
		}()
	}
	started.Wait()
	q.ShutDown()
	for range getters {
		if err := <-errs; !errors.Is(err, workqueue.ErrShutDown) {
			t.Fatalf("Get = %v, want ErrShutDown", err)
		}
	}
}

func TestShutDownWithDrain(t *testing.T) {
	t.Run("waits for in-flight and ready items", func(t *testing.T) {
		q, _ := newQueue(t, workqueue.Options[string]{})
		q.Add("a")
		q.Add("b")
		if got, _ := q.Get(now()); got != "a" {
			t.Fatalf("Get = %q", got)
		}
		q.Add("a") // re-add while processing: must be handed out before drain ends
		drained := make(chan error, 1)
		go func() { drained <- q.ShutDownWithDrain(context.Background()) }()
		var seen []string
		q.Done("a")
		for {
			item, err := q.Get(context.Background())
			if errors.Is(err, workqueue.ErrShutDown) {
				break
			}
			seen = append(seen, item)
			select {
			case err := <-drained:
				t.Fatalf("drain returned %v while %q was in flight", err, item)
			default:
			}
			q.Done(item)
		}
		if err := <-drained; err != nil {
			t.Fatalf("ShutDownWithDrain = %v", err)
		}
		if diff := cmp.Diff([]string{"b", "a"}, seen); diff != "" {
			t.Fatalf("drained items (-want +got):\n%s", diff)
		}
	})
	t.Run("bounded by context", func(t *testing.T) {
		q, _ := newQueue(t, workqueue.Options[string]{})
		q.Add("stuck")
		if _, err := q.Get(now()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := q.ShutDownWithDrain(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("ShutDownWithDrain = %v, want context.Canceled", err)
		}
		q.Done("stuck")
		if err := q.ShutDownWithDrain(context.Background()); err != nil {
			t.Fatalf("second drain = %v", err)
		}
	})
	t.Run("empty queue returns at once", func(t *testing.T) {
		q, _ := newQueue(t, workqueue.Options[string]{})
		if err := q.ShutDownWithDrain(now()); err != nil {
			t.Fatalf("ShutDownWithDrain = %v", err)
		}
	})
}

func TestOptionsValidation(t *testing.T) {
	tests := []struct {
		name string
		opts workqueue.Options[string]
	}{
		{name: "negative starvation limit", opts: workqueue.Options[string]{StarvationLimit: -time.Second}},
		{name: "metrics without name", opts: workqueue.Options[string]{Metrics: &recordingProvider{}}},
		{name: "metrics provider returning nil", opts: workqueue.Options[string]{Name: "q", Metrics: &nilProvider{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := workqueue.New(tt.opts)
			if !errors.Is(err, workqueue.ErrInvalidOptions) || q != nil {
				t.Fatalf("New = (%v, %v), want ErrInvalidOptions", q, err)
			}
		})
	}
	q, err := workqueue.New(workqueue.Options[string]{})
	if err != nil {
		t.Fatalf("zero Options: %v", err)
	}
	q.ShutDown()
}

func TestRealClockDelay(t *testing.T) {
	// The default clock really fires: a short delay becomes ready without
	// any fake. Get blocks until it does (no sleeping in the test).
	q, err := workqueue.New(workqueue.Options[string]{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.ShutDown()
	q.AddAfter("a", time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if got, err := q.Get(ctx); got != "a" || err != nil {
		t.Fatalf("Get = (%q, %v), want a", got, err)
	}
}

func TestFinishedItemsStartAfresh(t *testing.T) {
	// A finished item keeps nothing from its previous life: not its
	// priority, not its deadline. This holds for recently finished items
	// (kept for a cheap re-add) and for many keys beyond that cache.
	q, fc := newQueue(t, workqueue.Options[string]{StarvationLimit: 24 * time.Hour})
	q.AddWith("k", workqueue.AddOptions{Priority: 5})
	if got, _ := q.Get(now()); got != "k" {
		t.Fatalf("Get = %q", got)
	}
	q.Done("k")
	q.Add("k")
	q.AddWith("j", workqueue.AddOptions{Priority: 1})
	if diff := cmp.Diff([]string{"j", "k"}, drain(t, q)); diff != "" {
		t.Fatalf("order (-want +got):\n%s", diff)
	}
	q.AddAfter("k", time.Second)
	fc.Step(time.Second)
	drain(t, q)
	q.AddAfter("k", time.Minute)
	fc.Step(time.Second)
	if q.Len() != 0 {
		t.Fatal("old deadline reused")
	}

	fc.Step(time.Hour)
	if diff := cmp.Diff([]string{"k"}, drain(t, q)); diff != "" {
		t.Fatalf("delayed k (-want +got):\n%s", diff)
	}

	const n = 5000
	keys := make([]string, n)
	reversed := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("key-%d", i)
		reversed[n-1-i] = keys[i]
	}
	for round := 0; round < 4; round++ {
		want := keys
		for i, k := range keys {
			if round%2 == 1 {
				q.AddAfter(k, time.Duration(n-i)*time.Millisecond)
				want = reversed
			} else {
				q.Add(k)
			}
		}
		fc.Step(time.Hour)
		if diff := cmp.Diff(want, drain(t, q)); diff != "" {
			t.Fatalf("round %d order (-want +got):\n%s", round, diff)
		}
		if s := q.Stats(); s != (workqueue.Stats{}) {
			t.Fatalf("round %d: Stats = %+v", round, s)
		}
	}
}
