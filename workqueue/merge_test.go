package workqueue

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fastMerges reports whether Add(item) would now take the lock-free path,
// without adding.
func fastMerges[T comparable](q *Queue[T], item T) bool {
	return q.mergeShared(item, q.items.hash(item))
}

// addIsLockFree adds item and reports whether the Add took the lock-free
// path (Add's own copy of mergeShared).
func addIsLockFree[T comparable](q *Queue[T], item T) bool {
	q.mu.Lock()
	before := q.lockedAdds
	q.mu.Unlock()
	q.Add(item)
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.lockedAdds == before
}

// TestLockFreeMergeLifecycle walks one item through every state and checks,
// after each step, whether an Add of it may skip the lock, that the queue's
// visible state is what the package doc promises, and that boxes are
// created, kept and dropped as documented.
func TestLockFreeMergeLifecycle(t *testing.T) {
	q, err := New(Options[string]{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	get := func(want string) {
		t.Helper()
		got, err := q.Get(ctx)
		if err != nil || got != want {
			t.Fatalf("Get = %q, %v; want %q", got, err, want)
		}
	}
	var abox *box[string] // a's box once made
	steps := []struct {
		name      string
		do        func()
		fast      bool // an Add of "a" may skip the lock now
		boxes     int
		ready     int
		processed int
	}{
		{"fresh add: no box", func() { q.Add("a") }, false, 0, 1, 0},
		{"first merge under the lock: no box yet", func() { q.Add("a") }, false, 0, 1, 0},
		{"second merge makes the box", func() { q.Add("a") }, true, 1, 1, 0},
		{"lock-free merges change nothing", func() {
			abox = *q.items.boxOf(q.items.lookup("a", q.items.hash("a")).id)
			for range 10 {
				q.Add("a")
			}
		}, true, 1, 1, 0},
		{"Get ends mergeability", func() { get("a") }, false, 1, 0, 1},
		{"add while processing marks a re-add; further adds merge", func() { q.Add("a") }, true, 1, 0, 1},
		{"lock-free merge into the pending re-add", func() { q.Add("a") }, true, 1, 0, 1},
		{"Done hands it out again: ready", func() { q.Done("a") }, true, 1, 1, 0},
		{"Get again", func() { get("a") }, false, 1, 0, 1},
		{"Done without re-add: idle, box kept", func() { q.Done("a") }, false, 1, 0, 0},
		{"revived from idle: ready, same box", func() { q.Add("a") }, true, 1, 1, 0},
		{"raised priority keeps it mergeable", func() {
			if err := q.AddWith("a", AddOptions{Priority: 5}); err != nil {
				t.Fatal(err)
			}
		}, true, 1, 1, 0},
		{"delayed re-add of a ready item changes nothing", func() { q.AddAfter("a", time.Hour) }, true, 1, 1, 0},
		{"Get, then a delayed re-add while processing: not mergeable", func() {
			get("a")
			q.AddAfter("a", time.Hour)
		}, false, 1, 0, 1},
		{"a plain add cancels the delay and marks a re-add", func() { q.Add("a") }, true, 1, 0, 1},
		{"Done, Get, Done: idle", func() {
			q.Done("a")
			get("a")
			q.Done("a")
		}, false, 1, 0, 0},
		{"evicted from the idle cache: box dropped for good", func() {
			q.idleMax = 1
			q.Add("b")
			get("b")
			q.Done("b") // a is the oldest idle entry: evicted
		}, false, 0, 0, 0},
		{"a's entry recycled for c: the old box stays dead", func() {
			q.Add("c")
			q.Add("c")
			q.Add("c") // c boxed, in a's old entry or b's
		}, false, 1, 1, 0},
	}
	for _, s := range steps {
		s.do()
		if got := fastMerges(q, "a"); got != s.fast {
			t.Fatalf("%s: lock-free merge of a = %v, want %v", s.name, got, s.fast)
		}
		check := func(when string) {
			t.Helper()
			st := q.Stats()
			if q.boxes != s.boxes || st.Ready != s.ready || st.Processing != s.processed {
				t.Fatalf("%s%s: %d boxes, %d ready, %d processing; want %d, %d, %d",
					s.name, when, q.boxes, st.Ready, st.Processing, s.boxes, s.ready, s.processed)
			}
		}
		check("")
		// Add itself (not only mergeShared) merges without the lock now,
		// and changes nothing.
		if s.fast {
			if !addIsLockFree(q, "a") {
				t.Fatalf("%s: Add took the lock where mergeShared merges", s.name)
			}
			check(", then Add")
		}
	}
	if abox == nil || abox.merge.Load() {
		t.Fatalf("a's dropped box = %+v, want a box with merge false", abox)
	}
	if !fastMerges(q, "c") {
		t.Fatal("c, ready with a box, cannot be merged without the lock")
	}

	// Shutdown: the ready item keeps its box and merge flag, but adds
	// must be refused and counted, so the lock-free path must not take
	// them.
	q.ShutDown()
	if fastMerges(q, "c") {
		t.Fatal("lock-free merge accepted after ShutDown")
	}
	q.Add("c")
	if st := q.Stats(); st.DroppedAfterShutDown != 1 || st.Ready != 1 {
		t.Fatalf("after ShutDown and Add: %+v, want 1 dropped, 1 ready", st)
	}
}

// TestLockFreeMergeNegativePriority checks that an item waiting at a
// negative priority is never merged without the lock: a plain Add must
// raise it to priority 0.
func TestLockFreeMergeNegativePriority(t *testing.T) {
	q, err := New(Options[int]{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.ShutDown()
	for _, k := range []int{1, 2} {
		if err := q.AddWith(k, AddOptions{Priority: -1}); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := q.AddWith(k, AddOptions{Priority: -1}); err != nil { // merges under the lock
				t.Fatal(err)
			}
		}
	}
	// AddWith's merges never make a box: only Add's do.
	if fastMerges(q, 1) || q.boxes != 0 {
		t.Fatalf("lock-free merge of a priority -1 item possible (%d boxes)", q.boxes)
	}
	q.Add(2) // raises 2 to priority 0: handed out before 1
	if got, err := q.Get(context.Background()); err != nil || got != 2 {
		t.Fatalf("Get = %d, %v; want 2 (raised to priority 0 by Add)", got, err)
	}
}

// TestConcurrentLockFreeMerges hammers lock-free merges against Get, Done
// and the recycling of entries: hot keys collect boxes, thousands of cold
// keys and an idle cache of four entries make entries (boxed or not) leave
// the index and come back for other items, so box generations turn over
// while producers read them, and the merge cache grows under the readers.
// It checks that no item is handed to two workers at once and that no add
// is lost: every add is followed by a Get of its item that returns after
// the add started.
func TestConcurrentLockFreeMerges(t *testing.T) {
	for _, tc := range []struct {
		producers, workers, hot, cold, adds int
	}{
		{producers: 2, workers: 2, hot: 8, cold: 3000, adds: 20000},
		{producers: 4, workers: 8, hot: 64, cold: 500, adds: 10000},
		{producers: 3, workers: 1, hot: 2, cold: 50, adds: 20000},
	} {
		name := fmt.Sprintf("producers=%d/workers=%d/hot=%d/cold=%d", tc.producers, tc.workers, tc.hot, tc.cold)
		t.Run(name, func(t *testing.T) {
			q, err := New(Options[int]{})
			if err != nil {
				t.Fatal(err)
			}
			q.idleMax = 4
			keys := tc.hot + tc.cold
			var (
				clock     atomic.Int64
				busy      = make([]atomic.Int32, keys)
				lastAdd   = make([]atomic.Int64, keys)
				lastGet   = make([]atomic.Int64, keys)
				violation atomic.Value
				calls     atomic.Uint64 // Add calls, by producers and workers
			)
			var workers sync.WaitGroup
			for w := range tc.workers {
				workers.Add(1)
				go func() {
					defer workers.Done()
					rng := rand.New(rand.NewPCG(uint64(w), 7))
					for {
						k, err := q.Get(context.Background())
						if errors.Is(err, ErrShutDown) {
							return
						}
						if err != nil {
							violation.Store(fmt.Sprintf("Get: %v", err))
							return
						}
						storeMax(&lastGet[k], clock.Add(1))
						if !busy[k].CompareAndSwap(0, 1) {
							violation.Store(fmt.Sprintf("item %d handed to two workers at once", k))
						}
						if rng.IntN(8) == 0 { // re-add while processing
							at := clock.Add(1)
							calls.Add(1)
							q.Add(k)
							// Adds racing with the final ShutDown may be
							// refused; only those known to precede it count.
							if !q.ShuttingDown() {
								storeMax(&lastAdd[k], at)
							}
						}
						busy[k].Store(0)
						q.Done(k)
					}
				}()
			}
			var producers sync.WaitGroup
			for p := range tc.producers {
				producers.Add(1)
				go func() {
					defer producers.Done()
					rng := rand.New(rand.NewPCG(uint64(p), 11))
					for range tc.adds {
						k := rng.IntN(tc.hot)
						if rng.IntN(4) == 0 {
							k = tc.hot + rng.IntN(tc.cold)
						}
						storeMax(&lastAdd[k], clock.Add(1))
						calls.Add(1)
						q.Add(k)
					}
				}()
			}
			producers.Wait()
			if err := q.ShutDownWithDrain(context.Background()); err != nil {
				t.Fatalf("drain: %v", err)
			}
			workers.Wait()
			if v := violation.Load(); v != nil {
				t.Fatal(v)
			}
			for k := range keys {
				if a, g := lastAdd[k].Load(), lastGet[k].Load(); a != 0 && g <= a {
					t.Errorf("item %d: last add at %d never followed by a Get (last Get at %d)", k, a, g)
				}
			}
			q.mu.Lock()
			defer q.mu.Unlock()
			// The run must have exercised what it is about.
			// Every Add that did not merge lock-free counted itself in
			// lockedAdds. How many merge depends on how the scheduler
			// interleaves producers and workers; at least 1 in 200 does in
			// every configuration here, and in practice far more.
			adds := calls.Load()
			if free := adds - q.lockedAdds; free < adds/200 {
				t.Errorf("%d of %d adds merged lock-free, want at least %d", free, adds, adds/200)
			}
			if q.boxesMade < uint64(tc.hot) {
				t.Errorf("only %d boxes made: lock-free merges barely exercised", q.boxesMade)
			}
			if q.boxesMade-uint64(q.boxes) == 0 {
				t.Errorf("no box was dropped: entries with boxes never recycled")
			}
			t.Logf("%d of %d adds took the lock; %d boxes made, %d live; %d entries allocated for %d keys",
				q.lockedAdds, adds, q.boxesMade, q.boxes, q.items.next, keys)
		})
	}
}

func storeMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v <= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// TestLockFreeMergeHandOff checks the path where Done hands an item with a
// pending re-add straight to a blocked Get: the item goes from mergeable
// (processing, re-add pending) to processing without passing through a
// ring, and the lock-free path must see that.
func TestLockFreeMergeHandOff(t *testing.T) {
	q, err := New(Options[string]{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.ShutDown()
	ctx := context.Background()
	q.Add("a")
	if got, err := q.Get(ctx); err != nil || got != "a" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	for range 3 { // marks the re-add, then two locked merges: boxed
		q.Add("a")
	}
	if !fastMerges(q, "a") {
		t.Fatal("processing a with a pending re-add and a box: no lock-free merge")
	}
	got := make(chan string)
	go func() {
		k, err := q.Get(ctx)
		if err != nil {
			t.Errorf("blocked Get: %v", err)
		}
		got <- k
	}()
	for { // until the Get is blocked
		q.mu.Lock()
		n := len(q.waiters)
		q.mu.Unlock()
		if n > 0 {
			break
		}
		runtime.Gosched()
	}
	q.Done("a") // hands a to the blocked Get
	if k := <-got; k != "a" {
		t.Fatalf("blocked Get = %q, want a", k)
	}
	if fastMerges(q, "a") {
		t.Fatal("a handed to a worker without a pending re-add, yet mergeable without the lock")
	}
	q.Add("a") // must mark a re-add
	q.Done("a")
	if st := q.Stats(); st.Ready != 1 {
		t.Fatalf("after Add while processing and Done: %+v, want a ready again", st)
	}
}

// TestMergeCacheConflicts checks that boxes whose hashes share a set evict
// one another only until the cache grows to split the set, and that the
// growth is bounded when no split helps.
func TestMergeCacheConflicts(t *testing.T) {
	newBox := func(tag uint32, item int) *box[int] {
		b := &box[int]{hash: uint64(tag)<<32 | uint64(item), item: item}
		b.merge.Store(true)
		return b
	}
	find := func(c *mergeCache[int], b *box[int]) bool {
		i := c.set(uint32(b.hash >> 32))
		return c.ways[i].Load() == b || c.ways[i+1].Load() == b
	}
	for _, tc := range []struct {
		name      string
		tags      []uint32
		wantWays  int
		wantFound int
	}{
		// In 16 ways a set is picked by the top 3 bits of the tag; in 32,
		// by the top 4: the third box splits off after one doubling.
		{"split by growth", []uint32{0x0000_0000, 0x0100_0000, 0x1000_0000}, 32, 3},
		// Same top bits everywhere: no size splits them, and the cache
		// stops growing at maxWaysPerBox ways per box.
		{"no split possible", []uint32{0x0000_0000, 0x0000_0001, 0x0000_0002}, 64, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := New(Options[int]{})
			if err != nil {
				t.Fatal(err)
			}
			q.mu.Lock()
			defer q.mu.Unlock()
			var boxes []*box[int]
			for i, tag := range tc.tags {
				b := newBox(tag, i)
				boxes = append(boxes, b)
				q.boxes++
				q.cacheBoxLocked(b)
			}
			// Each box's next locked merge puts it back if it was evicted.
			for range 10 {
				for _, b := range boxes {
					q.cacheBoxLocked(b)
				}
			}
			c := q.mc.Load()
			found := 0
			for _, b := range boxes {
				if find(c, b) {
					found++
				}
			}
			if len(c.ways) != tc.wantWays || found != tc.wantFound {
				t.Errorf("%d ways, %d of %d boxes found; want %d ways, %d found", len(c.ways), found, len(boxes), tc.wantWays, tc.wantFound)
			}
		})
	}
}
