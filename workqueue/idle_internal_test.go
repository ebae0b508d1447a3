package workqueue

import (
	"context"
	"testing"
)

// TestRequeueLeavesNoStaleIdleSlots: an item re-added right after its Done
// (the usual requeue) takes its slot back out of the idle ring, so the ring
// does not grow with stale slots; an idle item revived after others
// finished leaves a stale slot that eviction skips.
func TestRequeueLeavesNoStaleIdleSlots(t *testing.T) {
	q, err := New(Options[string]{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		q.Add(k)
	}
	for range 10_000 {
		k, err := q.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		q.Done(k)
		q.Add(k)
	}
	if q.idle.n != 0 || q.idleCount != 0 {
		t.Fatalf("after 10000 requeues the idle ring holds %d slots (%d idle entries), want 0", q.idle.n, q.idleCount)
	}

	// All three finish; the oldest is revived while another's slot is the
	// newest: its slot stays, stale, and eviction later skips it.
	for range 3 {
		k, _ := q.Get(ctx)
		q.Done(k)
	}
	if q.idle.n != 3 || q.idleCount != 3 {
		t.Fatalf("three finished items: ring %d slots, %d idle; want 3, 3", q.idle.n, q.idleCount)
	}
	oldest := q.idle.buf[q.idle.head].e.item
	q.Add(oldest) // revives the oldest idle entry: its slot goes stale
	if q.idle.n != 3 || q.idleCount != 2 {
		t.Fatalf("after reviving the oldest: ring %d slots, %d idle; want 3, 2", q.idle.n, q.idleCount)
	}
	q.idleMax = 1 // the next Done evicts down to one idle entry
	k, _ := q.Get(ctx)
	if k != oldest {
		t.Fatalf("Get = %q, want the revived %q", k, oldest)
	}
	q.Done(k)
	if q.idleCount != 1 || q.items.n != 1 {
		t.Fatalf("after eviction down to idleMax=1: %d idle entries, %d items indexed; want 1, 1", q.idleCount, q.items.n)
	}
	if e := q.items.lookup(k, q.items.hash(k)); e == nil {
		t.Fatalf("the newest finished item %q was evicted instead of older ones", k)
	}
}

// TestFinishedEntryCache: Add finds the entry Done last made idle without the
// index, and that shortcut never outlives the entry: evicted at once (idleMax
// 0), its storage reused for another item, it must not be taken for the
// first item's.
func TestFinishedEntryCache(t *testing.T) {
	q, err := New(Options[string]{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q.Add("a")
	if k, _ := q.Get(ctx); k != "a" {
		t.Fatalf("Get = %q, want a", k)
	}
	q.Done("a")
	if q.finished == nil || q.finished.item != "a" {
		t.Fatalf("after Done(a) the finished entry is %v, want a's", q.finished)
	}
	e := q.finished
	q.Add("a")
	if got := q.items.lookup("a", q.items.hash("a")); got != e {
		t.Fatalf("re-added a has entry %p, want the finished one %p", got, e)
	}
	if k, _ := q.Get(ctx); k != "a" {
		t.Fatalf("Get = %q, want a", k)
	}

	q.idleMax = 0 // every finished entry is evicted at once
	q.Done("a")
	if q.finished != nil {
		t.Fatalf("a was evicted but is still the finished entry")
	}
	q.Add("b") // takes the freed entry's storage
	if got := q.items.lookup("b", q.items.hash("b")); got != e {
		t.Logf("b did not reuse a's entry (%p, %p); the check below still holds", got, e)
	}
	q.Add("a")
	if q.Len() != 2 {
		t.Fatalf("Len = %d after adding b and a, want 2", q.Len())
	}
	for _, want := range []string{"b", "a"} {
		if k, _ := q.Get(ctx); k != want {
			t.Fatalf("Get = %q, want %q", k, want)
		}
	}
}
