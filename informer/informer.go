package informer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/internal/clock"
)

// InitialList says how an informer gets the state it starts from.
type InitialList uint8

const (
	// ListThenWatch lists (in pages of Options.PageSize) and then watches from the list's
	// revision. The default.
	ListThenWatch InitialList = iota
	// StreamingList opens one watch that asks for the initial events (Added for every object,
	// then a bookmark marking their end) and carries on as the ordinary watch: no separate
	// list, no page requests. When the source rejects it (BadRequest, Invalid or
	// MethodNotSupported), the informer falls back to ListThenWatch for good.
	StreamingList
)

// Options configure an informer. The zero value of every field is a documented default.
type Options[T runtime.MetaObject] struct {
	// Name names the informer in logs and metrics. Default "informer".
	Name string
	// Namespace restricts the informer to one namespace; empty means every namespace.
	Namespace string
	// Labels and Fields select the objects the informer caches; nil selects every object.
	Labels labels.Selector
	Fields fields.Selector
	// Indexers are custom indexes of the cache, by name (see Lister.ByIndex). More can be
	// added with AddIndexers before Run.
	Indexers map[string]IndexFunc[T]
	// LabelIndex keeps an inverted index of the cached objects' labels (label key and value
	// to objects), so that Lister.List and NamespaceLister.List with a selector that has an
	// equality or "in" requirement read only the objects having the requirement's values
	// instead of scanning the cache. It costs memory per label of every object and map
	// updates on every add, delete and label change (an update that keeps the labels costs
	// one comparison per label). Default off: turn it on for informers whose listers are
	// queried by label selectors often; see docs/performance.md for the trade-off.
	LabelIndex bool
	// Transform, when set, is applied to every object before it is cached and handed to
	// handlers; use it to drop what no reader needs (for example managedFields) and cut memory.
	// It receives the informer's own copy, which it may modify and return, unless
	// SharedObjects is set. An error fails the list or watch that produced the object, which
	// is retried with backoff.
	Transform func(obj T) (T, error)
	// InitialList chooses between a paginated list and a streaming initial-events watch.
	// Default ListThenWatch.
	InitialList InitialList
	// PageSize is the page size of lists. Default 500; negative lists in one request.
	PageSize int64
	// SharedObjects asks the source not to copy watch event objects for this informer (see
	// store.WatchOptions.SharedObjects): with an in-process store the informer then caches the
	// store's own immutable objects, which saves a copy per change. Transform must then
	// return a modified copy instead of modifying its argument.
	SharedObjects bool
	// Backoff configures the waits after failures.
	Backoff Backoff
	// MinWatchTimeout is the shortest time a watch stays open before the informer reconnects
	// (from the last revision, without a relist); each watch picks a random timeout between
	// MinWatchTimeout and twice it, so a fleet of clients does not reconnect in step. Default
	// 5 minutes.
	MinWatchTimeout time.Duration
	// WatchErrorHandler, when set, is called with every list or watch failure (including
	// Expired revisions and out-of-order streams), from the informer's goroutine; it must not
	// block for long.
	WatchErrorHandler func(err error)
	// Clock is used for every wait (backoff, watch timeouts, resyncs). Default the real clock.
	Clock clock.Clock
	// Rand is the randomness of jitter and watch timeouts. Default a generator seeded at
	// random. It is used from the informer's goroutine only.
	Rand *rand.Rand
	// Logger receives the informer's logs (V(2) relists and expired revisions, V(4) watch
	// reconnects). Default discard.
	Logger logr.Logger
	// Metrics provides the informer's metrics. Default none.
	Metrics MetricsProvider
}

// Syncer is something that becomes synced once: an Informer or a handler's Registration.
type Syncer interface {
	HasSynced() bool
	// Synced returns a channel that is closed once HasSynced is true.
	Synced() <-chan struct{}
}

// Informer keeps an indexed cache of the objects of one source in sync with it and tells its
// handlers about every change. Create it with New, add handlers and indexes, call Run.
type Informer[T runtime.MetaObject] struct {
	src          Source
	name         string
	ns           string
	labels       labels.Selector
	fields       fields.Selector
	transform    func(T) (T, error)
	initial      InitialList
	pageSize     int64
	shared       bool
	backoff      Backoff
	watchTimeout time.Duration
	onError      func(error)
	clock        clock.Clock
	rng          *rand.Rand
	log          logr.Logger
	m            *metrics

	cache *cache[T]

	// mu serializes changes of the cache with the notifications they cause and with handler
	// registration, so every handler sees every change in order. Lock order: mu, then the
	// cache's lock, then a listener's lock.
	mu        sync.Mutex
	listeners []*listener[T]
	running   bool
	stop      chan struct{}
	wg        sync.WaitGroup

	started  atomic.Bool
	synced   atomic.Bool
	syncedCh chan struct{}

	lastRev atomic.Int64
	revMu   sync.Mutex
	revCh   chan struct{} // closed when lastRev advances; nil when nobody waits
}

var _ Syncer = (*Informer[runtime.MetaObject])(nil)

// New returns an informer of the objects of src.
func New[T runtime.MetaObject](src Source, opts Options[T]) (*Informer[T], error) {
	if src == nil {
		return nil, errorf("nil source")
	}
	bo, err := opts.Backoff.withDefaults()
	if err != nil {
		return nil, err
	}
	switch {
	case opts.MinWatchTimeout < 0:
		return nil, errorf("negative MinWatchTimeout %v", opts.MinWatchTimeout)
	case opts.InitialList > StreamingList:
		return nil, errorf("unknown InitialList %d", opts.InitialList)
	}
	if opts.Labels != nil && !opts.Labels.Empty() && opts.Labels.String() == "" {
		return nil, errorf("label selector Nothing() selects no object")
	}
	inf := &Informer[T]{
		src:          src,
		name:         opts.Name,
		ns:           opts.Namespace,
		labels:       opts.Labels,
		fields:       opts.Fields,
		transform:    opts.Transform,
		initial:      opts.InitialList,
		pageSize:     opts.PageSize,
		shared:       opts.SharedObjects,
		backoff:      bo,
		watchTimeout: opts.MinWatchTimeout,
		onError:      opts.WatchErrorHandler,
		clock:        opts.Clock,
		rng:          opts.Rand,
		log:          opts.Logger,
		cache:        newCache[T](opts.LabelIndex),
		syncedCh:     make(chan struct{}),
	}
	if inf.name == "" {
		inf.name = "informer"
	}
	if inf.pageSize == 0 {
		inf.pageSize = 500
	} else if inf.pageSize < 0 {
		inf.pageSize = 0
	}
	if inf.watchTimeout == 0 {
		inf.watchTimeout = 5 * time.Minute
	}
	if inf.clock == nil {
		inf.clock = clock.Real()
	}
	if inf.rng == nil {
		inf.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	inf.log = inf.log.WithValues("informer", inf.name)
	inf.m = newMetrics(opts.Metrics, inf.name)
	if len(opts.Indexers) > 0 {
		if err := inf.cache.addIndexers(opts.Indexers); err != nil {
			return nil, err
		}
	}
	return inf, nil
}

// AddIndexers adds custom indexes to the cache. It fails with ErrStarted after Run.
func (inf *Informer[T]) AddIndexers(idx map[string]IndexFunc[T]) error {
	if inf.started.Load() {
		return fmt.Errorf("informer: add indexers: %w", ErrStarted)
	}
	return inf.cache.addIndexers(idx)
}

// Lister returns the reader of the informer's cache.
func (inf *Informer[T]) Lister() Lister[T] { return Lister[T]{c: inf.cache} }

// HasSynced reports whether the cache holds the complete state of a first list.
func (inf *Informer[T]) HasSynced() bool { return inf.synced.Load() }

// Synced returns a channel that is closed once the cache holds the state of a first list.
func (inf *Informer[T]) Synced() <-chan struct{} { return inf.syncedCh }

// LastSyncRevision returns the newest revision the cache reflects: every change up to it is in
// the cache. It is 0 before the first list.
func (inf *Informer[T]) LastSyncRevision() int64 { return inf.lastRev.Load() }

// WaitForRevision blocks until the cache reflects revision rev (for example the revision of
// the caller's own write), or ctx is done.
func (inf *Informer[T]) WaitForRevision(ctx context.Context, rev int64) error {
	for {
		inf.revMu.Lock()
		if inf.lastRev.Load() >= rev {
			inf.revMu.Unlock()
			return nil
		}
		if inf.revCh == nil {
			inf.revCh = make(chan struct{})
		}
		ch := inf.revCh
		inf.revMu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("informer: wait for revision %d: %w", rev, ctx.Err())
		}
	}
}

func (inf *Informer[T]) setRev(rev int64) {
	if rev <= inf.lastRev.Load() {
		return
	}
	inf.revMu.Lock()
	inf.lastRev.Store(rev)
	if inf.revCh != nil {
		close(inf.revCh)
		inf.revCh = nil
	}
	inf.revMu.Unlock()
	inf.m.lastRev.Set(float64(rev))
}

// AddHandler adds a handler. A handler added after the informer started first receives the
// current content of the cache as OnAdd calls with isInInitialList set, then every later
// change. The Registration reports when the handler has synced.
func (inf *Informer[T]) AddHandler(h Handler[T], opts HandlerOptions) (Registration, error) {
	if h == nil {
		return nil, errorf("nil handler")
	}
	if opts.ResyncPeriod < 0 || (opts.ResyncPeriod > 0 && opts.ResyncPeriod < MinResyncPeriod) {
		return nil, errorf("resync period %v: want 0 or at least %v", opts.ResyncPeriod, MinResyncPeriod)
	}
	l := newListener(h, opts.ResyncPeriod)
	inf.mu.Lock()
	defer inf.mu.Unlock()
	inf.cache.each(func(obj T) {
		l.queue = append(l.queue, notification[T]{kind: notifyAdd, flag: true, obj: obj})
	})
	l.queued = uint64(len(l.queue))
	if inf.synced.Load() {
		l.markSynced()
	}
	inf.listeners = append(inf.listeners, l)
	if inf.running {
		inf.startListenerLocked(l)
	}
	return l, nil
}

// RemoveHandler removes a handler added with AddHandler; its pending notifications are
// dropped and its goroutine ends (a call already in progress finishes). Removing a handler
// twice, or one of another informer, fails.
func (inf *Informer[T]) RemoveHandler(reg Registration) error {
	l, ok := reg.(*listener[T])
	inf.mu.Lock()
	defer inf.mu.Unlock()
	if ok {
		for i, x := range inf.listeners {
			if x == l {
				inf.listeners = append(inf.listeners[:i], inf.listeners[i+1:]...)
				l.remove()
				return nil
			}
		}
	}
	return errorf("remove handler: not a handler of this informer")
}

func (inf *Informer[T]) startListenerLocked(l *listener[T]) {
	if l.started {
		return
	}
	l.started = true
	inf.wg.Add(1)
	go func() {
		defer inf.wg.Done()
		l.run(inf.stop)
	}()
	if l.resync > 0 {
		inf.wg.Add(1)
		go func() {
			defer inf.wg.Done()
			inf.resyncLoop(l, inf.stop)
		}()
	}
}

func (inf *Informer[T]) resyncLoop(l *listener[T], stop <-chan struct{}) {
	t := inf.clock.NewTicker(l.resync)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-l.stop:
			return
		case <-t.C():
		}
		inf.mu.Lock()
		if inf.synced.Load() {
			var batch []notification[T]
			inf.cache.each(func(obj T) {
				batch = append(batch, notification[T]{kind: notifyUpdate, old: obj, obj: obj})
			})
			l.enqueueAll(batch)
		}
		inf.mu.Unlock()
	}
}

// Run lists and watches the source, keeps the cache in sync and feeds the handlers until ctx
// is done. It returns only once every goroutine it started has stopped (notifications still
// buffered for handlers at that point are dropped); it fails with ErrStarted when called
// twice.
func (inf *Informer[T]) Run(ctx context.Context) error {
	if !inf.started.CompareAndSwap(false, true) {
		return fmt.Errorf("informer: run: %w", ErrStarted)
	}
	inf.mu.Lock()
	inf.running = true
	inf.stop = make(chan struct{})
	for _, l := range inf.listeners {
		inf.startListenerLocked(l)
	}
	inf.mu.Unlock()

	inf.reflect(ctx)

	inf.mu.Lock()
	inf.running = false
	close(inf.stop)
	inf.mu.Unlock()
	inf.wg.Wait()
	return nil
}

func (inf *Informer[T]) notifyLocked(n notification[T]) {
	for _, l := range inf.listeners {
		l.enqueue(n)
	}
}

// replace makes the cache equal to items, the complete state at revision rev, and notifies
// handlers of the differences: adds, updates of objects whose resourceVersion changed, and
// deletes (with FinalStateUnknown) of cached objects that are gone.
func (inf *Informer[T]) replace(items []T, rev int64) {
	inf.mu.Lock()
	defer inf.mu.Unlock()
	inf.replaceLocked(items, rev)
}

func (inf *Informer[T]) replaceLocked(items []T, rev int64) {
	initial := !inf.synced.Load()
	var gone map[Key]struct{}
	if inf.cache.len() > 0 {
		gone = inf.cache.keys()
	}
	for _, obj := range items {
		old, existed := inf.cache.put(obj)
		switch {
		case !existed:
			inf.notifyLocked(notification[T]{kind: notifyAdd, flag: initial, obj: obj})
		case old.GetObjectMeta().ResourceVersion != obj.GetObjectMeta().ResourceVersion:
			inf.notifyLocked(notification[T]{kind: notifyUpdate, old: old, obj: obj})
		}
		if gone != nil {
			delete(gone, KeyOf(obj))
		}
	}
	for k := range gone {
		if old, ok := inf.cache.remove(k); ok {
			inf.notifyLocked(notification[T]{kind: notifyDelete, flag: true, obj: old})
		}
	}
	inf.listedLocked(initial, rev)
}

// listedLocked ends a list that brought the cache to revision rev.
func (inf *Informer[T]) listedLocked(initial bool, rev int64) {
	inf.setRev(rev)
	inf.m.items.Set(float64(inf.cache.len()))
	if initial {
		inf.synced.Store(true)
		close(inf.syncedCh)
		for _, l := range inf.listeners {
			l.markSynced()
		}
	}
}

// staging is the complete state an initial list builds page by page in a cache of its own, so
// that inserting and indexing the objects overlaps with reading the next page instead of
// following the last one.
type staging[T runtime.MetaObject] struct {
	c *cache[T]
	// dups records the items whose key an earlier item of the list already had (a source
	// should send none): the index in the list and the item it displaced, so that handlers
	// get the update that replace would have notified.
	dups []dup[T]
}

type dup[T runtime.MetaObject] struct {
	i   int
	old T
}

// put stages obj, the i-th item of the list.
func (s *staging[T]) put(i int, obj T) {
	if old, existed := s.c.put(obj); existed {
		s.dups = append(s.dups, dup[T]{i, old})
	}
}

// adopt ends an initial list whose items were all staged in s: the staged cache becomes the
// informer's in one step, and handlers are notified exactly as replace would notify them for
// an empty cache. Were the cache not empty any more, it falls back to replace.
func (inf *Informer[T]) adopt(s *staging[T], items []T, rev int64) {
	inf.mu.Lock()
	defer inf.mu.Unlock()
	if inf.cache.len() != 0 {
		inf.replaceLocked(items, rev)
		return
	}
	initial := !inf.synced.Load()
	inf.cache.adopt(s.c)
	if len(inf.listeners) > 0 {
		ns := make([]notification[T], 0, len(items))
		d := 0
		for i, obj := range items {
			if d < len(s.dups) && s.dups[d].i == i {
				old := s.dups[d].old
				d++
				if old.GetObjectMeta().ResourceVersion != obj.GetObjectMeta().ResourceVersion {
					ns = append(ns, notification[T]{kind: notifyUpdate, old: old, obj: obj})
				}
				continue
			}
			ns = append(ns, notification[T]{kind: notifyAdd, flag: initial, obj: obj})
		}
		for _, l := range inf.listeners {
			l.enqueueAll(ns)
		}
	}
	inf.listedLocked(initial, rev)
}

// apply records one watched change at revision rev.
func (inf *Informer[T]) apply(deleted bool, obj T, rev int64) {
	inf.mu.Lock()
	defer inf.mu.Unlock()
	if deleted {
		if _, ok := inf.cache.remove(KeyOf(obj)); ok {
			inf.notifyLocked(notification[T]{kind: notifyDelete, obj: obj})
		}
	} else if old, existed := inf.cache.put(obj); existed {
		inf.notifyLocked(notification[T]{kind: notifyUpdate, old: old, obj: obj})
	} else {
		inf.notifyLocked(notification[T]{kind: notifyAdd, obj: obj})
	}
	inf.setRev(rev)
	inf.m.events.Inc()
	inf.m.items.Set(float64(inf.cache.len()))
}

// WaitForSync blocks until every syncer has synced or ctx is done.
func WaitForSync(ctx context.Context, syncers ...Syncer) error {
	for _, s := range syncers {
		select {
		case <-s.Synced():
		case <-ctx.Done():
			return fmt.Errorf("informer: wait for sync: %w", ctx.Err())
		}
	}
	return nil
}
