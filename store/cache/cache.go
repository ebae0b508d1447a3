package cache

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Clock is the part of clock.Clock the cache uses: bookmark timers, the bound of waits for a
// revision and the backoff of upstream retries.
type Clock interface {
	NewTimer(d time.Duration) clock.Timer
}

// Options configure a Cache. The zero value of every field but Resources is a documented
// default.
type Options struct {
	// Resources are the resources the cache serves from memory, described as for the backend
	// (their Fields and Indexes drive field selectors and the cache's own indexes). Operations
	// on any other resource go to the backend unchanged. Required.
	Resources []store.Resource
	// Eager starts the upstream watch of every resource in New instead of on the resource's
	// first read or watch.
	Eager bool
	// HistorySize is the number of recent changes kept per resource, so that watches from a
	// recent revision and reads at an exact recent revision (continue tokens) are served from
	// memory. Default 10,000.
	HistorySize int
	// WatchBuffer is how many changes a watcher may fall behind before it is closed with a
	// TooManyRequests error it recovers from by resuming. Default 1,000.
	WatchBuffer int
	// BookmarkInterval is how often a watch that asked for bookmarks gets one. Default
	// store.DefaultBookmarkInterval.
	BookmarkInterval time.Duration
	// WaitTimeout bounds how long a read or watch waits for the cache to reach a revision
	// the backend already has (the cache follows the backend through one watch per resource,
	// so it may lag a little). After it, a Latest or Exact read, or a watch, is handed to the
	// backend, and a NotOlderThan read fails with TooLargeResourceVersion. Default 3 seconds,
	// the Kubernetes API server's bound.
	WaitTimeout time.Duration
	// CurrentRevision returns the backend's current revision, which linearizable (Latest)
	// reads, watches from "now" and requested bookmarks wait for. Default: the Revision of
	// the backend's Stats. A backend with a cheaper way to learn its revision can offer it
	// here; it must return a revision at least as new as every write that completed before
	// the call.
	CurrentRevision func(ctx context.Context) (int64, error)
	// Clock drives bookmark timers, the wait bound and retry backoff. Default: the real clock.
	Clock Clock
	// Logger receives debug logs (V(4)) about upstream watches, relists and slow watchers.
	// Default: discard.
	Logger logr.Logger
}

// Defaults of Options.
const (
	DefaultHistorySize = 10_000
	DefaultWatchBuffer = 1_000
	DefaultWaitTimeout = 3 * time.Second
)

// Cache is a watch cache in front of a store backend. It implements store.Interface itself.
// Create it with New and release it with Close.
type Cache struct {
	backend       store.Interface
	clock         Clock
	log           logr.Logger
	historySize   int
	watchBuffer   int
	bookmarkEvery time.Duration
	waitTimeout   time.Duration
	resources     map[schema.GroupResource]*resource

	revs revisionFetcher

	ctx    context.Context // ends every goroutine of the cache
	cancel context.CancelFunc
	goMu   sync.Mutex // guards closed and wg.Add against Close's wg.Wait
	closed bool
	wg     sync.WaitGroup

	watchers  atomic.Int64 // open watches served from memory
	upstreams atomic.Int64 // open upstream watches
}

var _ store.Interface = (*Cache)(nil)

// New returns a cache in front of b serving opts.Resources from memory.
func New(b store.Interface, opts Options) (*Cache, error) {
	if b == nil {
		return nil, fmt.Errorf("cache: new: nil backend")
	}
	if len(opts.Resources) == 0 {
		return nil, fmt.Errorf("cache: new: no resources")
	}
	res, err := backend.NewResources(opts.Resources)
	if err != nil {
		return nil, fmt.Errorf("cache: new: %w", err)
	}
	c := &Cache{
		backend:       b,
		clock:         opts.Clock,
		log:           opts.Logger,
		historySize:   opts.HistorySize,
		watchBuffer:   opts.WatchBuffer,
		bookmarkEvery: opts.BookmarkInterval,
		waitTimeout:   opts.WaitTimeout,
		resources:     make(map[schema.GroupResource]*resource, len(res)),
	}
	switch {
	case c.historySize < 0:
		return nil, fmt.Errorf("cache: new: negative HistorySize %d", c.historySize)
	case c.historySize == 0:
		c.historySize = DefaultHistorySize
	}
	switch {
	case c.watchBuffer < 0:
		return nil, fmt.Errorf("cache: new: negative WatchBuffer %d", c.watchBuffer)
	case c.watchBuffer == 0:
		c.watchBuffer = DefaultWatchBuffer
	}
	switch {
	case c.bookmarkEvery < 0:
		return nil, fmt.Errorf("cache: new: negative BookmarkInterval %v", c.bookmarkEvery)
	case c.bookmarkEvery == 0:
		c.bookmarkEvery = store.DefaultBookmarkInterval
	}
	switch {
	case c.waitTimeout < 0:
		return nil, fmt.Errorf("cache: new: negative WaitTimeout %v", c.waitTimeout)
	case c.waitTimeout == 0:
		c.waitTimeout = DefaultWaitTimeout
	}
	if c.clock == nil {
		c.clock = clock.Real()
	}
	current := opts.CurrentRevision
	if current == nil {
		current = func(ctx context.Context) (int64, error) {
			st, err := b.Stats(ctx)
			return st.Revision, err
		}
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.revs = revisionFetcher{fetch: current, root: c.ctx, spawn: c.spawn}
	for gr, r := range res {
		c.resources[gr] = newResource(c, r)
	}
	if opts.Eager {
		for _, r := range c.resources {
			r.start()
		}
	}
	return c, nil
}

// Close stops every upstream watch and ends every watch the cache serves, and returns when
// every goroutine of the cache has stopped. Calls after Close go to the backend. Close does
// not close the backend.
func (c *Cache) Close() {
	c.goMu.Lock()
	c.closed = true
	c.goMu.Unlock()
	c.cancel()
	c.wg.Wait()
}

// spawn runs fn in a goroutine Close waits for, and reports false (not running fn) once the
// cache is closed.
func (c *Cache) spawn(fn func()) bool {
	c.goMu.Lock()
	defer c.goMu.Unlock()
	if c.closed {
		return false
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		fn()
	}()
	return true
}

// cached returns the resource's cache, started, or nil when the resource is not cached (or
// the cache is closed): then the caller hands the operation to the backend.
func (c *Cache) cached(gr schema.GroupResource) *resource {
	r := c.resources[gr]
	if r == nil || c.ctx.Err() != nil {
		return nil
	}
	r.start()
	return r
}

// Create implements store.Interface: the backend writes, then the call waits (at most
// Options.WaitTimeout) until the cache reflects the write, so the caller reads its own write.
func (c *Cache) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	out, err := c.backend.Create(ctx, gr, obj)
	return c.written(ctx, gr, out, err)
}

// Update implements store.Interface: the backend writes, then the call waits (at most
// Options.WaitTimeout) until the cache reflects the write, so the caller reads its own write.
func (c *Cache) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	out, err := c.backend.Update(ctx, gr, obj)
	return c.written(ctx, gr, out, err)
}

// Delete implements store.Interface: the backend writes, then the call waits (at most
// Options.WaitTimeout) until the cache reflects the write, so the caller reads its own write.
func (c *Cache) Delete(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	out, err := c.backend.Delete(ctx, gr, namespace, name, opts)
	return c.written(ctx, gr, out, err)
}

// written completes a successful write of a cached resource whose upstream watch runs: it
// waits (at most WaitTimeout) until the cache has applied the write, so that a caller reads
// its own writes even with Any. (Handing the change to the watchers follows at once, in the
// upstream goroutine, without holding the writer.)
func (c *Cache) written(ctx context.Context, gr schema.GroupResource, out runtime.MetaObject, err error) (runtime.MetaObject, error) {
	if err != nil || out == nil {
		return out, err
	}
	r := c.resources[gr]
	if r == nil || !r.isReady() || !r.following() {
		return out, nil // nothing to wait for: the cache is not following the backend now
	}
	if rev, perr := strconv.ParseInt(out.GetObjectMeta().ResourceVersion, 10, 64); perr == nil {
		_ = r.waitFor(ctx, &r.applied, rev) // the write is done: a wait cut short changes nothing
	}
	return out, nil
}

// Compact implements store.Interface: the backend compacts, then the cache drops the history
// before revision too, so that reads, continue tokens and watches before it fail with Expired
// as the contract says (they are handed to the backend, which reports it).
func (c *Cache) Compact(ctx context.Context, revision int64) error {
	if err := c.backend.Compact(ctx, revision); err != nil {
		return err
	}
	for _, r := range c.resources {
		r.compact(revision)
	}
	return nil
}

// Stats implements store.Interface: the backend's stats, with Watchers counting the watches
// the cache serves instead of its own upstream watches.
func (c *Cache) Stats(ctx context.Context) (store.Stats, error) {
	st, err := c.backend.Stats(ctx)
	if err != nil {
		return st, err
	}
	st.Watchers = max(0, st.Watchers-c.upstreams.Load()) + c.watchers.Load()
	return st, nil
}

// Get implements store.Interface: from memory, or from the backend for a revision older than
// the cache's window (see the package documentation for each consistency).
func (c *Cache) Get(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	r := c.cached(gr)
	if r == nil {
		return c.backend.Get(ctx, gr, namespace, name, opts)
	}
	return r.get(ctx, namespace, name, opts)
}

// List implements store.Interface: from memory, or from the backend for a revision or continue
// token older than the cache's window (see the package documentation for each consistency).
func (c *Cache) List(ctx context.Context, gr schema.GroupResource, namespace string, opts store.ListOptions) (*store.List, error) {
	r := c.cached(gr)
	if r == nil {
		return c.backend.List(ctx, gr, namespace, opts)
	}
	return r.list(ctx, namespace, opts)
}

// Watch implements store.Interface: from memory (replayed from the window, then live), or by
// the backend for a revision older than the window.
func (c *Cache) Watch(ctx context.Context, gr schema.GroupResource, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	r := c.cached(gr)
	if r == nil {
		return c.backend.Watch(ctx, gr, namespace, opts)
	}
	return r.watch(ctx, namespace, opts)
}

// revisionFetcher learns the backend's current revision for many concurrent callers with few
// calls: a caller joins a fetch that starts after it arrived (the one in flight may have read
// the revision before the caller's read began, which would not be linearizable), so at most
// one fetch runs and one waits, however many callers there are.
type revisionFetcher struct {
	fetch func(ctx context.Context) (int64, error)
	root  context.Context
	spawn func(func()) bool

	mu      sync.Mutex
	running *revisionFetch
	queued  *revisionFetch
}

type revisionFetch struct {
	done chan struct{}
	rev  int64
	err  error
}

// get returns a revision at least as new as every write that completed before get was called.
func (f *revisionFetcher) get(ctx context.Context) (int64, error) {
	f.mu.Lock()
	var mine *revisionFetch
	switch {
	case f.running == nil:
		mine = &revisionFetch{done: make(chan struct{})}
		if !f.spawn(func() { f.run(mine) }) {
			f.mu.Unlock()
			return 0, fmt.Errorf("cache: current revision: %w", ErrClosed)
		}
		f.running = mine
	case f.queued == nil:
		mine = &revisionFetch{done: make(chan struct{})}
		f.queued = mine
	default:
		mine = f.queued
	}
	f.mu.Unlock()
	select {
	case <-mine.done:
		return mine.rev, mine.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// run performs fetch x, then the queued one if any.
func (f *revisionFetcher) run(x *revisionFetch) {
	for x != nil {
		ctx, cancel := context.WithTimeout(f.root, time.Minute)
		x.rev, x.err = f.fetch(ctx)
		cancel()
		close(x.done)
		f.mu.Lock()
		x, f.queued = f.queued, nil
		f.running = x
		f.mu.Unlock()
	}
}

// GuaranteedUpdate implements store.Interface. For a cached resource the first attempt reads
// the object from the cache (no backend read) and writes with the read resourceVersion as a
// precondition, so a stale cache costs a Conflict, never a lost update. Every case the cached
// attempt cannot settle (conflict, object not cached, preconditions failing on the cached
// copy, fn failing or changing nothing on it) is handed to the backend's GuaranteedUpdate,
// which reads the current object and calls fn again: a no-op or an error of fn is only ever
// reported for the current object.
func (c *Cache) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	r := c.cached(gr)
	if r == nil || !r.isReady() || fn == nil {
		return c.backend.GuaranteedUpdate(ctx, gr, namespace, name, fn, opts)
	}
	if out, err, settled := r.tryCachedUpdate(ctx, namespace, name, fn, opts); settled {
		return out, err
	}
	out, err := c.backend.GuaranteedUpdate(ctx, gr, namespace, name, fn, opts)
	return c.written(ctx, gr, out, err)
}

// tryCachedUpdate is the first attempt of GuaranteedUpdate, from the cached object. It
// settles the call with the write's result, or reports unsettled when the backend must take
// over: before the write, or when the write failed with Conflict (a stale cached copy). A
// write that failed otherwise is settled with its error, as it may have taken effect (a
// timeout): calling fn again could apply it twice.
func (r *resource) tryCachedUpdate(ctx context.Context, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions) (out runtime.MetaObject, err error, settled bool) {
	if r.res.CheckScope("guaranteed update", namespace) != nil {
		return nil, nil, false
	}
	r.mu.RLock()
	var cur runtime.MetaObject
	if e := r.entries[nsName{namespace, name}]; e != nil {
		cur = e.Latest().Obj
	}
	r.mu.RUnlock()
	if cur == nil {
		return nil, nil, false
	}
	if backend.CheckPreconditions("guaranteed update", r.gr, cur.GetObjectMeta(), opts.Preconditions) != nil {
		return nil, nil, false
	}
	next, ferr := fn(copyOf(cur))
	if ferr != nil || next == nil || reflect.ValueOf(next).IsNil() || reflect.DeepEqual(next, cur) {
		return nil, nil, false
	}
	m := next.GetObjectMeta()
	if m.Namespace != namespace || m.Name != name {
		return nil, nil, false
	}
	m.ResourceVersion = cur.GetObjectMeta().ResourceVersion
	out, err = r.c.backend.Update(ctx, r.gr, next)
	if apierrors.IsConflict(err) {
		return nil, nil, false
	}
	out, err = r.c.written(ctx, r.gr, out, err)
	return out, err, true
}
