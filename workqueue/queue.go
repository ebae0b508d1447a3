package workqueue

import (
	"context"
	"errors"
	"hash/maphash"
	"math"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// ErrShutDown is returned by Get once the queue is shut down and holds no
// ready item, and by AddWith for adds after ShutDown.
var ErrShutDown = errors.New("workqueue: queue is shut down")

// DefaultStarvationLimit is the StarvationLimit used when Options leaves it
// zero.
const DefaultStarvationLimit = 10 * time.Second

// Options configures [New]. The zero value is a valid configuration: the
// real clock, DefaultControllerRateLimiter, no metrics and a 10s starvation
// limit.
type Options[T comparable] struct {
	// Name identifies the queue in metrics. It is required when Metrics is
	// set and otherwise unused.
	Name string
	// Clock is the time source of delays, aging and metrics. Nil means the
	// real clock.
	Clock Clock
	// RateLimiter computes the delays of AddRateLimited. Nil means
	// DefaultControllerRateLimiter on Clock.
	RateLimiter RateLimiter[T]
	// Metrics creates the queue's metrics. Nil records none.
	Metrics MetricsProvider
	// StarvationLimit is how long a ready item may wait before it is
	// handed out ahead of higher priorities (see the package doc). Zero
	// means DefaultStarvationLimit; negative is invalid.
	StarvationLimit time.Duration
}

// AddOptions qualifies one add made with [Queue.AddWith]. The zero value is
// a plain Add.
type AddOptions struct {
	// Priority orders ready items: higher first, FIFO within one
	// priority. Re-adding an item keeps the highest priority it was given
	// until it is handed out.
	Priority int
	// After delays the item by this long; zero or negative means ready
	// now. Re-adding keeps the earliest deadline.
	After time.Duration
	// RateLimited delays the item by at least the rate limiter's next
	// wait for it and counts a retry.
	RateLimited bool
}

// Stats is a snapshot of a queue's counters.
type Stats struct {
	// Ready is the number of items waiting to be handed out (Len).
	Ready int
	// Delayed is the number of items waiting for a deadline.
	Delayed int
	// Processing is the number of items handed out and not yet Done.
	Processing int
	// DroppedAfterShutDown counts adds refused because the queue was shut
	// down.
	DroppedAfterShutDown uint64
	// DiscardedOnShutDown counts delayed items that ShutDown discarded
	// before their deadline.
	DiscardedOnShutDown int
}

// Queue is a de-duplicating, delaying, rate-limited, prioritised work queue
// of items of type T. See the package doc for its guarantees. Create it with
// [New]; the zero value is not usable. All methods are safe for concurrent
// use.
type Queue[T comparable] struct {
	_ [64]byte // see below
	// Read by every Add, most often without the lock, and written at most
	// a few times in the queue's life: with the fields up to the padding
	// below (written only by New), they sit on cache lines of their own, so
	// that the locked state's writes (the mutex's first of all) do not keep
	// taking these lines away from the caches of goroutines that add
	// concurrently with Get and Done.
	sseed  stringSeed   // = items.sseed
	seed   maphash.Seed // = items.seed
	mc     atomic.Pointer[mergeCache[T]]
	closed atomic.Bool // mirrors shutdown for lock-free checks

	clock   Clock
	limiter RateLimiter[T]
	m       *queueMetrics
	limit   time.Duration // starvation limit
	// monotonic is set for the real clock: time.Since(base) reads only the
	// monotonic clock, which is cheaper than Now.
	monotonic bool
	_         [64]byte

	mu sync.Mutex
	// turns counts the acquisitions of mu by Get (low half) and Add (high
	// half) through lock. A caller whose tries fail reads it to tell a
	// saturated queue (others keep taking the mutex) from a holder that
	// keeps it. It sits beside mu, on the line every acquisition writes
	// anyway.
	turns      atomic.Uint64
	sleeps     atomic.Uint64 // lock's backoff sleeps, for tests
	retryHook  func()        // if set, lock calls it before every retry; for tests
	items      index[T]      // every item the queue holds, and recently finished ones; see Add for its lock-free readers
	levels     []*level[T]   // non-empty or priority 0, highest priority first
	spareLevel *level[T]
	ready      int
	processing int
	stamp      bool        // record when items become ready (metrics or priorities in use)
	inflight   []flight[T] // processing entries; Done scans it when short
	started    []int64     // with metrics: when inflight[i] was handed out (ns since base)
	idle       idleRing[T] // FIFO of recently finished entries kept in items
	idleCount  int         // valid slots in idle
	idleMax    int         // bound of idleCount: maxIdle (tests lower it to force recycling)
	waiters    []*waiter[T]
	waiterPool sync.Pool
	// finished is the entry Done last made idle, or nil; it is always an
	// entry of items. The usual requeue (Add right after Done) finds its
	// entry here without probing the index.
	finished *entry[T]

	heap    []hitem[T]
	hseq    uint64
	base    time.Time // deadlines are nanoseconds since base
	timer   Timer
	armed   bool
	armedAt int64

	// The merge cache (mc, above) finds the boxes of entries for Add's
	// lock-free merge; nil until the first box. boxes counts the entries
	// with a box.
	boxes      int
	conflicts  int    // mergeable boxes evicted from mc since it last grew
	boxesMade  uint64 // boxes ever made, for tests
	lockedAdds uint64 // Adds that took the lock, for tests

	shutdown  bool
	drainCh   chan struct{}
	dropped   uint64
	discarded int
}

const (
	flagInRing uint8 = 1 << iota
	flagProcessing
	flagDirty // processing and must be handed out again after Done
)

// entry is the state of one item the queue holds. Its fields are read and
// written only under the queue's lock; what Add's lock-free merge reads is
// the entry's box, kept beside it in its chunk (see box).
type entry[T comparable] struct {
	item    T
	id      uint32 // position in Queue.items' entry storage, fixed
	tag     uint32 // upper half of the item's hash, kept for removal
	prio    int
	flags   uint8
	boxed   bool   // the entry has a box (see box)
	merges  uint8  // locked merges while the entry had no box
	seq     uint32 // bumped on every ring insertion; stale ring slots differ
	heapIdx int32  // index in Queue.heap, -1 when not delayed
	fidx    int32  // index in Queue.inflight while processing
	idleGen uint32 // bumped each time the entry becomes idle
	since   int64  // when it became ready (ns since Queue.base), if Queue.stamp
}

// boxAfter is the number of locked merges of an entry, while it holds one
// item, at which it gets a box so that later merges can skip the lock.
// Waiting for the second keeps items that are re-added once per spell from
// allocating; an item re-added often pays one allocation for as long as it
// stays in the index (through the idle cache, across many spells).
const boxAfter = 2

// box is what Add's lock-free merge (Queue.mergeShared) reads of an entry:
// an immutable copy of its item and its hash, and a flag that mirrors
// mergeable. A box belongs to one entry holding one item: it is created
// under the lock, and dropped (never reused) when the entry is recycled for
// another item, so the box's identity serves as the entry's generation and
// the GC reclaims it once no reader holds it.
type box[T comparable] struct {
	hash uint64
	item T
	// merge is true only while the box is its entry's and the entry is
	// mergeable. The writer updates it under the lock in the same critical
	// section as any change of the entry's flags or priority that ends
	// mergeability (publishLocked), and clears it before dropping the box.
	merge atomic.Bool
}

// mergeCache is how mergeShared finds boxes without the lock: a
// two-way set-associative array of box pointers indexed by the top bits of
// the item's hash tag. It is a cache: a box that finds both ways of its set
// taken evicts one, and an evicted box is put back by its entry's next
// locked merge. Only boxes are in it, so workloads without duplicate adds
// never create one. The writer stores into the current array atomically and
// publishes a grown one through Queue.mc; old arrays are not written again
// and are left to the GC. A reader may thus find a stale or evicted box,
// which is harmless: mergeShared trusts a box only through its merge flag.
type mergeCache[T comparable] struct {
	ways  []atomic.Pointer[box[T]] // len is a power of two, at least 2
	shift uint                     // 32 - log2(len(ways)): tag >> shift is a way; its set is way &^ 1
}

// minMergeCache is the size of a queue's first merge cache.
const minMergeCache = 16

func newMergeCache[T comparable](n int) *mergeCache[T] {
	return &mergeCache[T]{ways: make([]atomic.Pointer[box[T]], n), shift: uint(32 - bits.TrailingZeros(uint(n)))}
}

// set returns the index of the first way of tag's set.
func (c *mergeCache[T]) set(tag uint32) int { return int(tag>>c.shift) &^ 1 }

// insert puts b in c unless it is there, evicting a way's box if both are
// taken: one that is not mergeable if there is one, else the first. It
// returns the evicted box if that one was mergeable (a conflict), else nil.
func (c *mergeCache[T]) insert(b *box[T]) *box[T] {
	i := c.set(uint32(b.hash >> 32))
	w0, w1 := c.ways[i].Load(), c.ways[i+1].Load()
	switch {
	case w0 == b || w1 == b:
	case w0 == nil || !w0.merge.Load():
		c.ways[i].Store(b)
	case w1 == nil || !w1.merge.Load():
		c.ways[i+1].Store(b)
	default:
		c.ways[i].Store(b)
		return w0
	}
	return nil
}

// remove takes b out of c if it is there.
func (c *mergeCache[T]) remove(b *box[T]) {
	i := c.set(uint32(b.hash >> 32))
	if c.ways[i].Load() == b {
		c.ways[i].Store(nil)
	} else if c.ways[i+1].Load() == b {
		c.ways[i+1].Store(nil)
	}
}

// mergeable reports whether an Add of e's item with default options (no
// delay, priority 0, not rate limited) would change nothing: the item is
// ready, or processing with a re-add pending, at a priority of at least 0.
func (e *entry[T]) mergeable() bool {
	return e.prio >= 0 &&
		(e.flags&flagInRing != 0 || e.flags&(flagProcessing|flagDirty) == flagProcessing|flagDirty)
}

// publishLocked brings the merge flag of e's box up to date after a change
// of e's flags or priority. Entries without a box have no lock-free readers
// to tell, which keeps workloads without duplicate adds free of atomic
// stores; only a change from mergeable to not mergeable must be published
// for correctness (a flag that lags behind the other way only sends adds
// to the lock).
func (q *Queue[T]) publishLocked(e *entry[T]) {
	if !e.boxed {
		return
	}
	b := *q.items.boxOf(e.id)
	if m := e.mergeable(); b.merge.Load() != m {
		b.merge.Store(m)
	}
}

// mergedLocked records a locked Add of e's item that merged (e is
// mergeable; h is the item's hash): at the boxAfter-th while e holds this
// item, e gets a box so that later merges can skip the lock, and a box that
// was evicted from the merge cache is put back.
func (q *Queue[T]) mergedLocked(e *entry[T], h uint64) {
	if e.boxed {
		q.cacheBoxLocked(*q.items.boxOf(e.id))
		return
	}
	if e.merges++; e.merges < boxAfter {
		return
	}
	b := &box[T]{hash: h, item: e.item}
	b.merge.Store(true)
	*q.items.boxOf(e.id) = b
	e.boxed = true
	q.boxes++
	q.boxesMade++
	q.cacheBoxLocked(b)
}

// maxWaysPerBox bounds the merge cache's growth on conflicts (128 bytes of
// ways per box).
const maxWaysPerBox = 16

// cacheBoxLocked puts b in the merge cache, which keeps at least four ways
// per box. Evicting a mergeable box sends that item's next add to the lock,
// so a few hot items whose hashes share a set would keep evicting one
// another; once the conflicts since the cache last grew reach an eighth of
// the boxes, it doubles (up to maxWaysPerBox ways per box), which splits
// such sets.
func (q *Queue[T]) cacheBoxLocked(b *box[T]) {
	c := q.mc.Load()
	if c == nil || 4*q.boxes > len(c.ways) {
		c = q.growMergeCacheLocked(c, 4*q.boxes)
	}
	evicted := c.insert(b)
	if evicted == nil {
		return
	}
	if q.conflicts++; 8*q.conflicts >= q.boxes && len(c.ways) < maxWaysPerBox*q.boxes {
		q.growMergeCacheLocked(c, 2*len(c.ways)).insert(evicted)
	}
}

// growMergeCacheLocked publishes a merge cache of at least min ways
// holding the boxes of old (which may be nil).
func (q *Queue[T]) growMergeCacheLocked(old *mergeCache[T], min int) *mergeCache[T] {
	n := minMergeCache
	for n < min {
		n *= 2
	}
	q.conflicts = 0
	c := newMergeCache[T](n)
	if old != nil {
		for i := range old.ways {
			if b := old.ways[i].Load(); b != nil {
				c.insert(b)
			}
		}
	}
	q.mc.Store(c)
	return c
}

// removeLocked removes e, which must not be ready, processing or delayed,
// from the index, dropping its box if it has one.
func (q *Queue[T]) removeLocked(e *entry[T]) {
	if e.boxed {
		p := q.items.boxOf(e.id)
		b := *p
		b.merge.Store(false) // already false (e is not mergeable); made explicit
		q.mc.Load().remove(b)
		*p = nil
		q.boxes--
	}
	if q.finished == e {
		q.finished = nil
	}
	q.items.remove(e)
}

// entryLocked returns item's entry and false, or a fresh entry for it and
// true (see index.getOrInsert); h is hash(item).
func (q *Queue[T]) entryLocked(item T, h uint64) (*entry[T], bool) {
	if e := q.finished; e != nil && e.tag == uint32(h>>32) && e.item == item {
		return e, false
	}
	return q.items.getOrInsert(item, h)
}

// hitem is a delay-heap element; the deadline is kept inline so sifting
// does not touch the entries.
type hitem[T comparable] struct {
	at  int64  // deadline, nanoseconds since Queue.base
	seq uint64 // FIFO among equal deadlines
	e   *entry[T]
}

// idleSlot names an entry that finished and was kept in the index so that an
// early re-add costs one lookup; it is stale once the entry was revived.
type idleSlot[T comparable] struct {
	e   *entry[T]
	gen uint32
}

// maxIdle bounds the recently finished entries a queue keeps.
const maxIdle = 1024

// flight is an entry being processed, with a copy of its item so that Done
// finds it without reading the other processing entries.
type flight[T comparable] struct {
	e    *entry[T]
	item T
}

type slot[T comparable] struct {
	e   *entry[T]
	seq uint32
}

// level is the FIFO ring of one priority. Slots left behind by items that
// moved to a higher priority are skipped when they reach the head.
type level[T comparable] struct {
	prio int
	live int
	buf  []slot[T] // len is a power of two
	head int
	n    int
	peak int // largest n since the last reset
}

type result[T comparable] struct {
	item T
	err  error
}

type waiter[T comparable] struct {
	ch chan result[T]
}

// New returns an empty queue configured by opts, or an error wrapping
// ErrInvalidOptions.
func New[T comparable](opts Options[T]) (*Queue[T], error) {
	const op = "new queue"
	if opts.StarvationLimit < 0 {
		return nil, invalid(op, "starvation limit %v is negative", opts.StarvationLimit)
	}
	if opts.Metrics != nil && opts.Name == "" {
		return nil, invalid(op, "a queue with metrics needs a name")
	}
	q := &Queue[T]{
		clock:   opts.Clock,
		limiter: opts.RateLimiter,
		limit:   opts.StarvationLimit,
		items:   newIndex[T](),
		idleMax: maxIdle,
	}
	q.sseed, q.seed = q.items.sseed, q.items.seed
	if q.clock == nil {
		q.clock = realClock{}
		q.monotonic = true
	}
	if q.limiter == nil {
		q.limiter = DefaultControllerRateLimiter[T](q.clock)
	}
	if q.limit == 0 {
		q.limit = DefaultStarvationLimit
	}
	q.base = q.clock.Now()
	q.levels = []*level[T]{newLevel[T](0)}
	q.waiterPool.New = func() any { return &waiter[T]{ch: make(chan result[T], 1)} }
	if opts.Metrics != nil {
		m := newQueueMetrics(opts.Metrics, opts.Name)
		if m.depth == nil || m.adds == nil || m.latency == nil || m.work == nil || m.retries == nil {
			return nil, invalid(op, "metrics provider returned a nil metric for queue %q", opts.Name)
		}
		q.m = m
		q.stamp = true
		opts.Metrics.NewProcessingMetrics(opts.Name, q.processingReport)
	}
	return q, nil
}

func newLevel[T comparable](prio int) *level[T] {
	return &level[T]{prio: prio, buf: make([]slot[T], 16)}
}

// Add makes item ready now. If item is already waiting it is not added
// twice; if it is being processed it is handed out again after Done; if it
// is delayed, the delay is cancelled. Adds after ShutDown are counted in
// Stats.DroppedAfterShutDown; use AddWith to get an error instead.
func (q *Queue[T]) Add(item T) {
	// Add is the hottest call. It hashes the item before taking the lock,
	// and first tries to merge without the lock at all. index.hash and
	// mergeShared (which documents why this is correct) are written out
	// here: on a merged add the two calls cost a quarter of the time.
	// Tests check that this copy and mergeShared agree.
	var h uint64
	if s, ok := any(item).(string); ok {
		h = hashString(q.sseed, s)
	} else {
		h = maphash.Comparable(q.seed, item)
	}
	if c := q.mc.Load(); c != nil {
		i := int(uint32(h>>32)>>c.shift) &^ 1
		b := c.ways[i].Load()
		if b == nil || b.hash != h {
			b = c.ways[i+1].Load()
		}
		if b != nil && b.hash == h && b.merge.Load() && b.item == item && !q.closed.Load() {
			return
		}
	}
	q.addLocked(item, h)
}

// addLocked is Add after the lock-free path; h is hash(item).
func (q *Queue[T]) addLocked(item T, h uint64) {
	q.lock(turnAdd)
	q.lockedAdds++
	if q.shutdown {
		q.dropped++
		q.mu.Unlock()
		return
	}
	e, fresh := q.entryLocked(item, h)
	if !fresh && e.mergeable() {
		q.mergedLocked(e, h)
	} else {
		q.addNowEntryLocked(e, fresh, 0)
	}
	q.mu.Unlock()
}

// mergeShared is Add's lock-free path: it reports true, having done
// everything Add(item) must do, if item is ready, or processing with a
// re-add pending, at a priority of at least 0, so that the add changes
// nothing (no metric counts merged adds); otherwise false, and Add takes
// the lock. h is hash(item). It stores nothing.
//
// Why this is linearisable. Invariant, kept by the writer under the lock:
// a box's merge flag is true only while the box is its entry's current box,
// the entry holds the box's item and the entry is mergeable. (A box is
// created for the entry's item and dropped, never reused, when the entry is
// recycled for another item; publishLocked clears the flag in the critical
// section of every change that makes the entry not mergeable: Get, Done,
// a hand-off to a blocked Get.) So if b.merge loads true at instant T0,
// then at T0 b.item was in the queue, ready or processing with a re-add
// pending, at a priority of at least 0 (items are unique in the index), and
// b.item == item makes it ours. closed is loaded after T0 and only ever
// goes from false to true, so false means the queue was not shut down at T0
// either. A locked Add at T0 would therefore have changed nothing, and T0
// lies within this call: the call is linearised at T0. Locked operations
// are linearised at their critical sections; one that ends mergeability
// stores false inside its critical section, so an add that loaded true
// before that store is linearised before the operation, and one that loads
// after it goes to the lock. This respects real time: an operation that
// completed before this call started has done its store already.
//
// Why the locked paths stay correct when racing with this one: this path
// stores nothing, so the locked paths see exactly the states they would
// see without it, and every add it absorbs is one the locked path would
// have absorbed without a change. This path never touches the index or
// the entries, only the merge cache and boxes, whose shared words are all
// atomic; the cache may be stale, mid-change or replaced (see mergeCache),
// so at worst it yields no box, another item's box or a box whose merge
// flag is false, which the checks reject: then the locked path runs as it
// always did. The hash comparison only filters; equality of the items
// decides.
func (q *Queue[T]) mergeShared(item T, h uint64) bool {
	c := q.mc.Load()
	if c == nil {
		return false
	}
	i := int(uint32(h>>32)>>c.shift) &^ 1
	b := c.ways[i].Load()
	if b == nil || b.hash != h {
		b = c.ways[i+1].Load()
	}
	return b != nil && b.hash == h && b.merge.Load() && b.item == item && !q.closed.Load()
}

// AddAfter makes item ready after d (now if d <= 0). If item is already
// ready, or already delayed to an earlier deadline, nothing changes: the
// earliest deadline wins.
func (q *Queue[T]) AddAfter(item T, d time.Duration) { _ = q.add(item, 0, d, false) }

// AddRateLimited makes item ready after the rate limiter's next wait for it
// and counts a retry.
func (q *Queue[T]) AddRateLimited(item T) { _ = q.add(item, 0, 0, true) }

// AddWith adds item with a priority, a delay and optional rate limiting. It
// returns ErrShutDown, and counts the add as dropped, if the queue is shut
// down.
func (q *Queue[T]) AddWith(item T, opts AddOptions) error {
	return q.add(item, opts.Priority, opts.After, opts.RateLimited)
}

func (q *Queue[T]) add(item T, prio int, after time.Duration, limited bool) error {
	if limited && !q.closed.Load() {
		after = max(after, q.limiter.When(item))
	}
	h := q.items.hash(item)
	q.mu.Lock()
	if q.shutdown {
		q.dropped++
		q.mu.Unlock()
		return ErrShutDown
	}
	if prio != 0 && !q.stamp {
		q.startStampingLocked()
	}
	if limited && q.m != nil {
		q.m.retries.Inc()
	}
	e, fresh := q.entryLocked(item, h)
	if after > 0 {
		q.addAfterLocked(e, fresh, prio, after)
	} else {
		q.addNowEntryLocked(e, fresh, prio)
	}
	q.mu.Unlock()
	return nil
}

// addNowEntryLocked makes the item of e ready now; fresh says e was just
// inserted for this add.
func (q *Queue[T]) addNowEntryLocked(e *entry[T], fresh bool, prio int) {
	if fresh {
		e.prio = prio
		q.countAddLocked()
		q.enqueueLocked(e)
		return
	}
	if e.flags == 0 && e.heapIdx < 0 { // idle
		q.reviveLocked(e)
		e.prio = prio
		q.countAddLocked()
		q.enqueueLocked(e)
		return
	}
	switch {
	case e.flags&flagProcessing != 0:
		e.prio = max(e.prio, prio)
		if e.flags&flagDirty == 0 {
			e.flags |= flagDirty
			if e.heapIdx >= 0 {
				q.heapRemove(e)
			}
			q.countAddLocked()
		}
		q.publishLocked(e)
	case e.flags&flagInRing != 0:
		if prio > e.prio {
			q.promoteLocked(e, prio)
		}
	default: // delayed
		q.heapRemove(e)
		e.prio = max(e.prio, prio)
		q.countAddLocked()
		q.enqueueLocked(e)
	}
}

// addAfterLocked delays the item of e by after; fresh says e was just
// inserted for this add.
func (q *Queue[T]) addAfterLocked(e *entry[T], fresh bool, prio int, after time.Duration) {
	now := q.sinceBase()
	at := now + int64(after)
	if at < now { // overflow: as good as never
		at = math.MaxInt64
	}
	if fresh || (e.flags == 0 && e.heapIdx < 0) {
		if !fresh { // idle
			q.reviveLocked(e)
		}
		e.prio = prio
		q.heapPush(e, at)
		q.armLocked(now)
		return
	}
	switch {
	case e.flags&flagInRing != 0:
		if prio > e.prio {
			q.promoteLocked(e, prio)
		}
	case e.flags&flagDirty != 0:
		e.prio = max(e.prio, prio)
	case e.heapIdx >= 0:
		e.prio = max(e.prio, prio)
		if i := int(e.heapIdx); at < q.heap[i].at {
			q.heap[i].at = at
			q.heapUp(i)
			q.armLocked(now)
		}
	default: // processing, nothing pending
		e.prio = max(e.prio, prio)
		q.heapPush(e, at)
		q.armLocked(now)
	}
}

func (q *Queue[T]) countAddLocked() {
	if q.m != nil {
		q.m.adds.Inc()
	}
}

// enqueueLocked makes a non-processing entry ready: it hands it straight to
// a blocked Get if there is one (the ring is then empty), else appends it to
// its priority's ring.
func (q *Queue[T]) enqueueLocked(e *entry[T]) {
	if q.stamp {
		e.since = q.sinceBase()
	}
	if n := len(q.waiters); n > 0 {
		w := q.waiters[n-1]
		q.waiters[n-1] = nil
		q.waiters = q.waiters[:n-1]
		w.ch <- result[T]{item: q.startLocked(e)}
		return
	}
	q.pushLocked(e)
}

func (q *Queue[T]) pushLocked(e *entry[T]) {
	lvl := q.levels[0]
	if lvl.prio != e.prio {
		lvl = q.levelLocked(e.prio)
	}
	e.seq++
	e.flags |= flagInRing
	lvl.push(slot[T]{e: e, seq: e.seq})
	lvl.live++
	q.ready++
	if q.m != nil {
		q.m.depth.Inc()
	}
	q.publishLocked(e)
}

// promoteLocked moves a ready entry to the ring of a higher priority, at its
// tail; the old slot goes stale.
func (q *Queue[T]) promoteLocked(e *entry[T], prio int) {
	var old *level[T]
	for _, l := range q.levels {
		if l.prio == e.prio {
			old = l
			break
		}
	}
	old.live--
	q.ready--
	if q.m != nil {
		q.m.depth.Dec()
	}
	q.releaseLevelLocked(old)
	e.flags &^= flagInRing
	e.prio = prio
	q.pushLocked(e)
}

// levelLocked returns the ring of prio, creating it in order.
func (q *Queue[T]) levelLocked(prio int) *level[T] {
	i := 0
	for ; i < len(q.levels); i++ {
		if q.levels[i].prio == prio {
			return q.levels[i]
		}
		if q.levels[i].prio < prio {
			break
		}
	}
	lvl := q.spareLevel
	if lvl != nil {
		q.spareLevel = nil
		lvl.prio = prio
	} else {
		lvl = newLevel[T](prio)
	}
	q.levels = append(q.levels, nil)
	copy(q.levels[i+1:], q.levels[i:])
	q.levels[i] = lvl
	return lvl
}

// releaseLevelLocked clears an emptied ring and drops it unless it is the
// priority-0 ring.
func (q *Queue[T]) releaseLevelLocked(lvl *level[T]) {
	if lvl.live != 0 {
		return
	}
	lvl.reset()
	if lvl.prio == 0 {
		return
	}
	for i, l := range q.levels {
		if l == lvl {
			q.levels = append(q.levels[:i], q.levels[i+1:]...)
			q.levels[len(q.levels):cap(q.levels)][0] = nil
			break
		}
	}
	q.spareLevel = lvl
}

// startStampingLocked turns on ready timestamps the first time a non-zero
// priority is used; items already ready count as ready from now.
func (q *Queue[T]) startStampingLocked() {
	q.stamp = true
	now := q.sinceBase()
	for _, lvl := range q.levels {
		for i := 0; i < lvl.n; i++ {
			lvl.buf[(lvl.head+i)&(len(lvl.buf)-1)].e.since = now
		}
	}
}

// Get blocks until an item is ready, hands it to the caller and marks it
// processing; the caller must call Done(item) when finished. It returns
// ctx.Err() if ctx ends first, and ErrShutDown once the queue is shut down
// and no ready item is left.
func (q *Queue[T]) Get(ctx context.Context) (T, error) {
	q.lock(turnGet)
	if q.ready > 0 {
		item := q.startLocked(q.popLocked())
		q.mu.Unlock()
		return item, nil
	}
	var zero T
	if q.shutdown {
		q.mu.Unlock()
		return zero, ErrShutDown
	}
	if err := ctx.Err(); err != nil {
		q.mu.Unlock()
		return zero, err
	}
	w := q.waiterPool.Get().(*waiter[T])
	q.waiters = append(q.waiters, w)
	q.mu.Unlock()

	select {
	case r := <-w.ch:
		q.waiterPool.Put(w)
		return r.item, r.err
	case <-ctx.Done():
	}
	q.mu.Lock()
	for i, x := range q.waiters {
		if x == w {
			q.waiters = append(q.waiters[:i], q.waiters[i+1:]...)
			q.waiters[len(q.waiters):cap(q.waiters)][0] = nil
			q.mu.Unlock()
			q.waiterPool.Put(w)
			return zero, ctx.Err()
		}
	}
	q.mu.Unlock()
	// An item was handed to us while ctx ended; it is ours now.
	r := <-w.ch
	q.waiterPool.Put(w)
	return r.item, r.err
}

// popLocked removes the next ready entry: the oldest item that has waited at
// least the starvation limit, if any, else the head of the highest priority.
func (q *Queue[T]) popLocked() *entry[T] {
	var lvl *level[T]
	nonEmpty := 0
	for _, l := range q.levels {
		if l.live > 0 {
			if lvl == nil {
				lvl = l
			}
			nonEmpty++
		}
	}
	if nonEmpty > 1 {
		now := q.sinceBase()
		var oldest *entry[T]
		for _, l := range q.levels {
			if l.live == 0 {
				continue
			}
			e := l.peek()
			if now-e.since >= int64(q.limit) && (oldest == nil || e.since < oldest.since) {
				oldest, lvl = e, l
			}
		}
	}
	e := lvl.pop()
	lvl.live--
	q.ready--
	e.flags &^= flagInRing
	q.publishLocked(e)
	if q.m != nil {
		q.m.depth.Dec()
	}
	q.releaseLevelLocked(lvl)
	return e
}

// startLocked marks e processing and returns its item.
func (q *Queue[T]) startLocked(e *entry[T]) T {
	e.flags |= flagProcessing
	q.publishLocked(e) // e may come straight from a Done that had a re-add pending
	q.processing++
	e.fidx = int32(len(q.inflight))
	q.inflight = append(q.inflight, flight[T]{e: e, item: e.item})
	if q.m != nil {
		now := q.sinceBase()
		q.m.latency.Observe(seconds(now - e.since))
		q.started = append(q.started, now)
	}
	return e.item
}

// Done marks item finished. If it was added again while processing it
// becomes ready again now (or stays delayed, if it was added with a delay).
// Done of an item that is not being processed does nothing.
func (q *Queue[T]) Done(item T) {
	q.lock(turnDone)
	e := q.inflightLocked(item)
	if e == nil {
		q.mu.Unlock()
		return
	}
	e.flags &^= flagProcessing
	q.processing--
	last := len(q.inflight) - 1
	if q.m != nil {
		q.m.work.Observe(seconds(q.sinceBase() - q.started[e.fidx]))
		q.started[e.fidx] = q.started[last]
		q.started = q.started[:last]
	}
	if i := int(e.fidx); i != last {
		moved := q.inflight[last]
		q.inflight[i] = moved
		moved.e.fidx = e.fidx
	}
	q.inflight[last] = flight[T]{}
	q.inflight = q.inflight[:last]
	switch {
	case e.flags&flagDirty != 0:
		e.flags &^= flagDirty
		q.enqueueLocked(e)
	case e.heapIdx < 0:
		q.idleLocked(e)
	}
	q.publishLocked(e)
	q.checkDrainedLocked()
	q.mu.Unlock()
}

// reviveLocked accounts for the idle entry e being added again. Its slot
// in the idle ring goes stale; when it is the newest slot (an item re-added
// right after its Done, the usual requeue) it is dropped at once, so the
// ring does not fill with stale slots that must be compacted.
func (q *Queue[T]) reviveLocked(e *entry[T]) {
	q.idleCount--
	q.idle.dropNewest(e, e.idleGen)
}

// idleLocked keeps a finished entry in the index, evicting the oldest idle
// entry beyond idleMax and compacting stale slots.
func (q *Queue[T]) idleLocked(e *entry[T]) {
	q.finished = e
	e.idleGen++
	q.idle.push(idleSlot[T]{e: e, gen: e.idleGen})
	q.idleCount++
	for q.idleCount > q.idleMax {
		if s := q.idle.pop(); s.live() {
			q.removeLocked(s.e)
			q.idleCount--
		}
	}
	if q.idle.n >= 4*q.idleMax && q.idle.n >= 4*q.idleCount {
		q.idle.compact()
	}
}

// inflightLocked returns the processing entry of item, or nil. A short
// in-flight list is scanned, which is cheaper than hashing the item.
func (q *Queue[T]) inflightLocked(item T) *entry[T] {
	if len(q.inflight) <= 8 {
		for _, f := range q.inflight {
			if f.item == item {
				return f.e
			}
		}
		return nil
	}
	if e := q.items.lookup(item, q.items.hash(item)); e != nil && e.flags&flagProcessing != 0 {
		return e
	}
	return nil
}

// Forget clears the rate limiter's state for item. Call it once item has
// been processed successfully.
func (q *Queue[T]) Forget(item T) { q.limiter.Forget(item) }

// NumRequeues returns how many rate-limited adds item has had since it was
// last forgotten.
func (q *Queue[T]) NumRequeues(item T) int { return q.limiter.NumRequeues(item) }

// Len returns the number of items ready to be handed out.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.ready
}

// Stats returns a snapshot of the queue's counters.
func (q *Queue[T]) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	return Stats{
		Ready:                q.ready,
		Delayed:              len(q.heap),
		Processing:           q.processing,
		DroppedAfterShutDown: q.dropped,
		DiscardedOnShutDown:  q.discarded,
	}
}

// ShuttingDown reports whether ShutDown has been called.
func (q *Queue[T]) ShuttingDown() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.shutdown
}

// ShutDown stops the queue: further adds are refused and counted, delayed
// items are discarded (counted in Stats.DiscardedOnShutDown), blocked and
// later Gets receive the items still ready and then ErrShutDown. Items being
// processed may still be Done; one that was re-added before ShutDown is
// handed out again. ShutDown is idempotent.
func (q *Queue[T]) ShutDown() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shutdown {
		return
	}
	q.shutdown = true
	q.closed.Store(true)
	if q.timer != nil {
		q.timer.Stop()
		q.armed = false
	}
	for i, h := range q.heap {
		e := h.e
		q.heap[i] = hitem[T]{}
		e.heapIdx = -1
		if e.flags&flagProcessing == 0 {
			q.removeLocked(e)
		}
		q.discarded++
	}
	q.heap = q.heap[:0]
	for i, w := range q.waiters {
		q.waiters[i] = nil
		w.ch <- result[T]{err: ErrShutDown}
	}
	q.waiters = q.waiters[:0]
}

// ShutDownWithDrain shuts the queue down and waits until every ready item
// has been handed out and every handed-out item is Done, or ctx ends
// (returning ctx.Err(); the queue stays shut down). Workers must keep calling
// Get and Done until Get returns ErrShutDown for the drain to finish.
func (q *Queue[T]) ShutDownWithDrain(ctx context.Context) error {
	q.ShutDown()
	q.mu.Lock()
	if q.processing == 0 && q.ready == 0 {
		q.mu.Unlock()
		return nil
	}
	if q.drainCh == nil {
		q.drainCh = make(chan struct{})
	}
	ch := q.drainCh
	q.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (q *Queue[T]) checkDrainedLocked() {
	if q.drainCh != nil && q.processing == 0 && q.ready == 0 {
		close(q.drainCh)
		q.drainCh = nil
	}
}

// processingReport computes the in-flight metrics.
func (q *Queue[T]) processingReport() Processing {
	q.mu.Lock()
	defer q.mu.Unlock()
	var p Processing
	if q.processing == 0 {
		return p
	}
	now := q.sinceBase()
	for _, started := range q.started {
		s := seconds(now - started)
		p.UnfinishedSeconds += s
		p.LongestRunningSeconds = max(p.LongestRunningSeconds, s)
	}
	return p
}

// onTimer moves every delayed entry whose deadline has passed to the ready
// rings and re-arms the timer for the next deadline.
func (q *Queue[T]) onTimer() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.armed = false
	if q.shutdown {
		return
	}
	now := q.sinceBase()
	for len(q.heap) > 0 && q.heap[0].at <= now {
		e := q.heap[0].e
		q.heapRemove(e)
		if e.flags&flagProcessing != 0 {
			e.flags |= flagDirty
			q.publishLocked(e)
			q.countAddLocked()
			continue
		}
		q.countAddLocked()
		q.enqueueLocked(e)
	}
	q.armLocked(now)
}

// sinceBase returns the clock's time as nanoseconds since q.base.
func (q *Queue[T]) sinceBase() int64 {
	if q.monotonic {
		return int64(time.Since(q.base))
	}
	return int64(q.clock.Now().Sub(q.base))
}

func seconds(ns int64) float64 { return time.Duration(ns).Seconds() }

// armLocked makes sure the single timer fires no later than the earliest
// deadline. A timer armed for an earlier time is left alone: when it fires
// early, onTimer re-arms it.
func (q *Queue[T]) armLocked(now int64) {
	if len(q.heap) == 0 {
		return
	}
	at := q.heap[0].at
	if q.armed && at >= q.armedAt {
		return
	}
	d := time.Duration(at - now)
	if q.timer == nil {
		q.timer = q.clock.AfterFunc(d, q.onTimer)
	} else {
		q.timer.Reset(d)
	}
	q.armed = true
	q.armedAt = at
}

// lock takes the queue's mutex for Get, Done and Add (turn is turnGet,
// turnDone or turnAdd: what the call counts in Queue.turns), the calls
// that goroutines on several cores make back to back. Their critical
// sections last tens of nanoseconds, much less than parking a goroutine
// on the mutex and waking it again; and once a
// sync.Mutex has parked waiters, every unlock must wake one, and a waiter
// that waits more than a millisecond switches the mutex to handing it over
// in turn, which then costs a wake-up per critical section. So lock first
// tries for about as long as a critical section takes, then retries a
// bounded number of times, and only then blocks in Lock (a holder that
// takes long, a slow metrics provider or a preempted thread, costs a waiter
// a few microseconds of CPU before it parks). Other calls just Lock.
//
// What a caller does before each retry depends on why the mutex is taken,
// which the turns since its previous try tell:
//
//   - If one holder keeps it (few turns), the caller yields the processor:
//     other goroutines, perhaps the holder, run meanwhile.
//   - If others keep taking it (lockBusyTurns or more), the queue is
//     saturated: it runs at the speed of its critical sections in series,
//     and every try of one more contender reads the mutex's cache line and
//     slows the holder down. A worker (Get, Done) then sleeps for
//     lockSleep: the queue keeps moving meanwhile, the items it would have
//     taken go to the workers that are running, and with more runnable
//     workers than cores the cores run one worker after another on a queue
//     whose cache lines stay put, instead of fighting for them.
//   - Unless the adds outran the gets (by more than lockBusyTurns): a
//     producer is ahead of the workers, and a worker that stepped aside
//     would let the backlog grow (a deeper queue costs more per item), so
//     it yields instead. After a sleep, the turns during the sleep decide.
//   - An Add only yields, since it may come from a producer that
//     everything else waits for (an event handler, the only goroutine
//     adding).
//
// The sleep is a pause of the caller's goroutine on the runtime's timer;
// nothing about the queue's timing depends on it, so it does not use the
// queue's Clock. The runtime may pause it longer (about a millisecond when
// the processor has nothing else to run). A queue whose workers do real
// work between Get and Done is seldom saturated, and its workers seldom
// sleep (the benchmarks with work between Get and Done measure that).
func (q *Queue[T]) lock(turn uint64) {
	if q.mu.TryLock() {
		q.took(turn)
		return
	}
	q.lockSlow(turn)
}

// took counts an acquisition of the mutex in turns.
func (q *Queue[T]) took(turn uint64) {
	if turn != 0 {
		q.turns.Add(turn)
	}
}

func (q *Queue[T]) lockSlow(turn uint64) {
	t0 := q.turns.Load()
	for range lockSpins {
		if q.mu.TryLock() {
			q.took(turn)
			return
		}
	}
	for range lockRetries {
		if q.retryHook != nil {
			q.retryHook()
		}
		t := q.turns.Load()
		if turn != turnAdd && saturated(t0, t) {
			q.sleeps.Add(1)
			time.Sleep(lockSleep)
		} else {
			runtime.Gosched()
		}
		t0 = t
		if q.mu.TryLock() {
			q.took(turn)
			return
		}
	}
	q.mu.Lock()
	q.took(turn)
}

// Turns: what lock adds to Queue.turns for each call. Gets count in the
// low half, adds in the high half; Dones are not counted.
const (
	turnDone uint64 = 0
	turnGet  uint64 = 1
	turnAdd  uint64 = 1 << 32
)

// saturated reports whether the turns between t0 and t say that the queue
// is saturated and keeping up: others took the mutex at least
// lockBusyTurns times, and adds did not outrun gets by more than that.
func saturated(t0, t uint64) bool {
	// The difference of the packed counters is the packed differences,
	// wrap-arounds included, as long as fewer than 2^32 gets passed.
	d := t - t0
	gets, adds := uint64(uint32(d)), d>>32
	return gets+adds >= lockBusyTurns && adds <= gets+lockBusyTurns
}

// lockSpins, lockRetries, lockBusyTurns and lockSleep bound and steer
// lock's retries. Tuned on 2 cores with 4 and 64 workers, with and without
// work between Get and Done (docs/performance.md): fewer retries let adders
// park and bring back the wake-ups; more spins take the mutex's line away
// from the holder; sleeping whenever the tries failed, saturated or not,
// left a core idle while workers that had work to do slept; sleeping
// while a producer was ahead let the backlog grow (one producer and 4
// workers 1.5x slower); sleeps of 20 us woke 64 workers so often that
// they fought for the mutex again.
const (
	lockSpins     = 32
	lockRetries   = 16
	lockBusyTurns = 8
	lockSleep     = 100 * time.Microsecond
)
