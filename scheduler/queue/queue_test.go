package queue_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	"github.com/cellkit/cellkit/scheduler/queue"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

func newQueue(t *testing.T, fc clock.Clock) *queue.Queue {
	t.Helper()
	q, err := queue.New(queue.Options{Less: plugins.PrioritySort{}.Less, PreEnqueue: plugins.SchedulingGates{}.PreEnqueue, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

type lens struct{ Active, Backoff, Unschedulable int }

func lengths(q *queue.Queue) lens {
	a, b, u := q.Len()
	return lens{a, b, u}
}

func pop(t *testing.T, q *queue.Queue) (*framework.QueuedPodInfo, int64) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if a, _, _ := q.Len(); a == 0 {
		t.Fatal("pop on an empty active queue")
	}
	qpi, c, err := q.Pop(ctx)
	if err != nil {
		// The context is already cancelled: Pop must still return an active pod first.
		t.Fatalf("pop: %v", err)
	}
	return qpi, c
}

func TestPopOrder(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	q := newQueue(t, fc)
	ctx := context.Background()
	for _, p := range []*corev1.Pod{st.Pod("low").Priority(1).Obj(), st.Pod("high").Priority(100).Obj(), st.Pod("mid").Priority(50).Obj()} {
		fc.Step(time.Second)
		if err := q.Add(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	fc.Step(time.Second)
	q.Add(ctx, st.Pod("mid2").Priority(50).Obj())
	var got []string
	for i := 0; i < 4; i++ {
		p, _ := pop(t, q)
		got = append(got, p.Pod.Name)
	}
	if d := cmp.Diff([]string{"high", "mid", "mid2", "low"}, got); d != "" {
		t.Error(d)
	}
}

func TestPopBlocksUntilAdd(t *testing.T) {
	q := newQueue(t, clock.NewFake(time.Unix(0, 0)))
	got := make(chan string)
	go func() {
		p, _, err := q.Pop(context.Background())
		if err != nil {
			got <- err.Error()
			return
		}
		got <- p.Pod.Name
	}()
	q.Add(context.Background(), st.Pod("p").Obj())
	if name := <-got; name != "p" {
		t.Errorf("popped %q", name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, _, err := q.Pop(ctx); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Pop after cancel: %v", err)
	}
}

func TestUnschedulableBackoffAndMoves(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	q := newQueue(t, fc)
	ctx := context.Background()
	q.Add(ctx, st.Pod("p").Obj())
	p, c := pop(t, q)
	q.AddUnschedulable(p, c, map[string]struct{}{"NodeResourcesFit": {}})
	if d := cmp.Diff(lens{0, 0, 1}, lengths(q)); d != "" {
		t.Fatal(d)
	}
	// An event that does not help leaves it; one that helps moves it to backoff (1 s not over).
	q.MoveAll(func(_ *framework.QueuedPodInfo, pl map[string]struct{}) bool {
		_, ok := pl["TaintToleration"]
		return ok
	})
	if d := cmp.Diff(lens{0, 0, 1}, lengths(q)); d != "" {
		t.Fatal(d)
	}
	q.MoveAll(func(_ *framework.QueuedPodInfo, pl map[string]struct{}) bool {
		_, ok := pl["NodeResourcesFit"]
		return ok
	})
	if d := cmp.Diff(lens{0, 1, 0}, lengths(q)); d != "" {
		t.Fatal(d)
	}
	fc.Step(999 * time.Millisecond)
	q.Flush()
	if d := cmp.Diff(lens{0, 1, 0}, lengths(q)); d != "" {
		t.Fatalf("before 1 s: %s", d)
	}
	fc.Step(time.Millisecond)
	q.Flush()
	if d := cmp.Diff(lens{1, 0, 0}, lengths(q)); d != "" {
		t.Fatalf("at 1 s: %s", d)
	}
	// Second failure: 2 s backoff; a move after it ended goes straight to active.
	p, c = pop(t, q)
	if p.Attempts != 2 {
		t.Errorf("attempts %d", p.Attempts)
	}
	q.AddUnschedulable(p, c, nil)
	fc.Step(2 * time.Second)
	q.MoveAll(nil)
	if d := cmp.Diff(lens{1, 0, 0}, lengths(q)); d != "" {
		t.Fatal(d)
	}
}

func TestEventDuringFlightGoesToBackoff(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	q := newQueue(t, fc)
	q.Add(context.Background(), st.Pod("p").Obj())
	p, c := pop(t, q)
	q.MoveAll(nil) // a node was added while p was being scheduled
	q.AddUnschedulable(p, c, nil)
	if d := cmp.Diff(lens{0, 1, 0}, lengths(q)); d != "" {
		t.Fatal(d)
	}
}

func TestBackoffDoublesToMax(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	q := newQueue(t, fc)
	q.Add(context.Background(), st.Pod("p").Obj())
	for i, want := range []time.Duration{1, 2, 4, 8, 10, 10} {
		p, _ := pop(t, q)
		q.AddBackoff(p)
		fc.Step(want*time.Second - time.Millisecond)
		q.Flush()
		if a, _, _ := q.Len(); a != 0 {
			t.Fatalf("attempt %d: active before %v", i+1, want*time.Second)
		}
		fc.Step(time.Millisecond)
		q.Flush()
		if a, _, _ := q.Len(); a != 1 {
			t.Fatalf("attempt %d: not active after %v", i+1, want*time.Second)
		}
	}
}

func TestPeriodicFlushOfUnschedulable(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	q := newQueue(t, fc)
	q.Add(context.Background(), st.Pod("p").Obj())
	p, c := pop(t, q)
	q.AddUnschedulable(p, c, nil)
	fc.Step(queue.DefaultMaxUnschedulableDuration - time.Second)
	q.Flush()
	if d := cmp.Diff(lens{0, 0, 1}, lengths(q)); d != "" {
		t.Fatal(d)
	}
	fc.Step(time.Second)
	q.Flush()
	if d := cmp.Diff(lens{1, 0, 0}, lengths(q)); d != "" {
		t.Fatal(d)
	}
}

func TestGatesUpdateDelete(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	q := newQueue(t, fc)
	ctx := context.Background()
	q.Add(ctx, st.Pod("g").Gate("quota").Obj())
	q.MoveAll(nil)
	fc.Step(time.Hour)
	q.Flush()
	if d := cmp.Diff(lens{0, 0, 1}, lengths(q)); d != "" {
		t.Fatalf("gated pod moved: %s", d)
	}
	q.Update(ctx, st.Pod("g").Obj())
	if d := cmp.Diff(lens{1, 0, 0}, lengths(q)); d != "" {
		t.Fatalf("ungated pod not active: %s", d)
	}
	// An update of an unschedulable pod retries it.
	p, c := pop(t, q)
	q.AddUnschedulable(p, c, nil)
	fc.Step(time.Minute)
	q.Update(ctx, st.Pod("g").Label("x", "y").Obj())
	if d := cmp.Diff(lens{1, 0, 0}, lengths(q)); d != "" {
		t.Fatal(d)
	}
	q.Delete(st.Pod("g").Obj())
	q.Add(ctx, st.Pod("b").Obj())
	p, _ = pop(t, q)
	q.AddBackoff(p)
	q.Delete(p.Pod)
	if d := cmp.Diff(lens{0, 0, 0}, lengths(q)); d != "" {
		t.Fatal(d)
	}
	// Results for a deleted pod are dropped.
	q.AddUnschedulable(p, 1, nil)
	if d := cmp.Diff(lens{0, 0, 0}, lengths(q)); d != "" {
		t.Fatal(d)
	}
}

func TestNominated(t *testing.T) {
	q := newQueue(t, clock.NewFake(time.Unix(0, 0)))
	a, b := st.Pod("a").Obj(), st.Pod("b").Obj()
	q.AddNominated(a, "n1")
	q.AddNominated(b, "n1")
	q.AddNominated(a, "n2")
	names := func(node string) []string {
		var out []string
		for _, p := range q.NominatedPodsForNode(node) {
			out = append(out, p.Pod.Name)
		}
		return out
	}
	if d := cmp.Diff([]string{"b"}, names("n1")); d != "" {
		t.Error(d)
	}
	if d := cmp.Diff([]string{"a"}, names("n2")); d != "" {
		t.Error(d)
	}
	if n := q.NumNominatedPods(); n != 2 {
		t.Errorf("NumNominatedPods after re-nominating a = %d, want 2", n)
	}
	q.RemoveNominated(a)
	if got := names("n2"); got != nil {
		t.Errorf("n2 after remove: %v", got)
	}
	q.RemoveNominated(a) // not nominated any more: no change
	if n := q.NumNominatedPods(); n != 1 {
		t.Errorf("NumNominatedPods after removing a (twice) = %d, want 1", n)
	}
	q.RemoveNominated(b)
	q.RemoveNominated(b)
	if n := q.NumNominatedPods(); n != 0 {
		t.Errorf("NumNominatedPods after removing both = %d, want 0", n)
	}
	if _, err := queue.New(queue.Options{}); !errors.Is(err, queue.ErrNoLess) {
		t.Errorf("New without Less: %v", err)
	}
}

// Events that arrive while a pod is in flight are judged by its rejectors when it is parked:
// one that cannot help leaves it unschedulable, one that can sends it to backoff.
func TestInFlightEventsJudgedByRejectors(t *testing.T) {
	onlyFit := func(_ *framework.QueuedPodInfo, plugins map[string]struct{}) bool {
		_, ok := plugins["NodeResourcesFit"]
		return ok
	}
	tests := []struct {
		name      string
		rejectors map[string]struct{}
		events    []func(qpi *framework.QueuedPodInfo, plugins map[string]struct{}) bool
		want      lens
	}{
		{"no event", map[string]struct{}{"NodeAffinity": {}}, nil, lens{Unschedulable: 1}},
		{"event for other rejectors", map[string]struct{}{"NodeAffinity": {}}, []func(*framework.QueuedPodInfo, map[string]struct{}) bool{onlyFit}, lens{Unschedulable: 1}},
		{"event for its rejector", map[string]struct{}{"NodeResourcesFit": {}}, []func(*framework.QueuedPodInfo, map[string]struct{}) bool{onlyFit}, lens{Backoff: 1}},
		{"event for every pod", map[string]struct{}{"NodeAffinity": {}}, []func(*framework.QueuedPodInfo, map[string]struct{}) bool{onlyFit, nil}, lens{Backoff: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := clock.NewFake(time.Unix(0, 0))
			q := newQueue(t, fc)
			if err := q.Add(context.Background(), st.Pod("p").Obj()); err != nil {
				t.Fatal(err)
			}
			qpi, cycle := pop(t, q)
			for _, ev := range tc.events {
				q.MoveAll(ev)
			}
			q.AddUnschedulable(qpi, cycle, tc.rejectors)
			if d := cmp.Diff(tc.want, lengths(q)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			// Later events are judged the same way on the parked pod.
			q.MoveAll(func(*framework.QueuedPodInfo, map[string]struct{}) bool { return false })
			if d := cmp.Diff(tc.want, lengths(q)); d != "" {
				t.Errorf("after an event helping nobody (-want +got):\n%s", d)
			}
		})
	}
}
