package memory

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Clock is the part of clock.Clock the store uses.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) clock.Timer
}

// Options configure a Store. The zero value of every field but Resources is a documented
// default.
type Options struct {
	// Resources are the resources the store holds. Required.
	Resources []store.Resource
	// Clock gives creation timestamps, history ages and the bookmark timer. Default: the real
	// clock.
	Clock Clock
	// MaxHistory is the number of changes kept for watches, resumption and reads at past
	// revisions; older ones are compacted away as new writes come, in batches of a sixteenth
	// of MaxHistory (so up to MaxHistory*17/16 are kept). Default 10,000; a negative value
	// keeps no history beyond the current state (watches can still start "now").
	MaxHistory int
	// MaxHistoryAge bounds the age of the kept changes, checked at every write. Default 5
	// minutes (etcd's and Kubernetes' usual compaction interval); negative means no age bound.
	MaxHistoryAge time.Duration
	// MaxObjectSize is the largest JSON encoding of an object a write accepts, in bytes.
	// Default store.DefaultMaxObjectSize (1.5 MiB); negative disables the check (and its cost:
	// a reflective walk of every written object, plus a JSON encoding of those whose upper
	// bound exceeds the limit).
	MaxObjectSize int
	// WatchBuffer is how many changes a watcher may fall behind before it is closed with a
	// TooManyRequests error it recovers from by resuming. Default 1,000.
	WatchBuffer int
	// BookmarkInterval is how often a watch that asked for bookmarks gets one. Default
	// store.DefaultBookmarkInterval.
	BookmarkInterval time.Duration
	// Logger receives debug logs (V(4)) about compactions and slow watchers. Default: discard.
	Logger logr.Logger
}

// Defaults of Options.
const (
	DefaultMaxHistory    = 10_000
	DefaultMaxHistoryAge = 5 * time.Minute
	DefaultWatchBuffer   = 1_000
)

// Store is the in-memory MVCC backend of the store contract. Create it with New.
type Store struct {
	clock         Clock
	log           logr.Logger
	maxHistory    int64
	maxAge        time.Duration
	maxSize       int
	watchBuffer   int
	bookmarkEvery time.Duration
	tables        map[schema.GroupResource]*table

	// mu guards every table's data, the revision, the compaction point and the history log.
	// Stored objects are immutable: once written they are never modified, so readers copy
	// them after releasing mu.
	mu        sync.RWMutex
	rev       int64
	compacted int64
	history   []*event // the changes after compacted, oldest first: history[i].rev == compacted+1+i

	// dispatchMu serializes the delivery of changes to watchers and the (un)registration of
	// watchers. Lock order: dispatchMu before mu (only mu's read lock is ever taken under
	// dispatchMu); no goroutine takes dispatchMu while holding mu.
	dispatchMu sync.Mutex
	dispatched atomic.Int64 // every change up to this revision was handed to the watchers
	watchers   atomic.Int64
}

var _ store.Interface = (*Store)(nil)

// New returns an empty store holding opts.Resources.
func New(opts Options) (*Store, error) {
	if len(opts.Resources) == 0 {
		return nil, fmt.Errorf("memory: new store: no resources")
	}
	res, err := backend.NewResources(opts.Resources)
	if err != nil {
		return nil, fmt.Errorf("memory: new store: %w", err)
	}
	s := &Store{
		clock:         opts.Clock,
		log:           opts.Logger,
		maxHistory:    int64(opts.MaxHistory),
		maxAge:        opts.MaxHistoryAge,
		maxSize:       opts.MaxObjectSize,
		watchBuffer:   opts.WatchBuffer,
		bookmarkEvery: opts.BookmarkInterval,
		tables:        make(map[schema.GroupResource]*table, len(res)),
	}
	if s.clock == nil {
		s.clock = clock.Real()
	}
	switch {
	case opts.MaxHistory == 0:
		s.maxHistory = DefaultMaxHistory
	case opts.MaxHistory < 0:
		s.maxHistory = 0
	}
	if s.maxAge == 0 {
		s.maxAge = DefaultMaxHistoryAge
	}
	if s.maxSize == 0 {
		s.maxSize = store.DefaultMaxObjectSize
	}
	if s.watchBuffer < 0 {
		return nil, fmt.Errorf("memory: new store: negative WatchBuffer %d", s.watchBuffer)
	}
	if s.watchBuffer == 0 {
		s.watchBuffer = DefaultWatchBuffer
	}
	if s.bookmarkEvery < 0 {
		return nil, fmt.Errorf("memory: new store: negative BookmarkInterval %v", s.bookmarkEvery)
	}
	if s.bookmarkEvery == 0 {
		s.bookmarkEvery = store.DefaultBookmarkInterval
	}
	for gr, r := range res {
		s.tables[gr] = newTable(r)
	}
	return s, nil
}

// entry and version are the backend's keys and their states (see backend.Entry).
type (
	entry   = backend.Entry
	version = backend.Version
)

// table holds the objects of one resource.
type table struct {
	res  *backend.Resource
	byNS map[string]map[string]*entry
	live int64
	// index[i][value] holds the entries that have value for indexed field i in one of their
	// kept versions.
	index backend.Index

	// sortMu guards sorted, pending and sortedOK. Readers (under mu's read lock) merge the
	// keys that appeared since the last read, pending, into sorted, and rebuild sorted after a
	// key vanished (sortedOK false). While a reader holds mu's read lock no writer can add to
	// pending, so the in-place merge never moves entries under another reader's feet.
	sortMu   sync.Mutex
	sorted   []*entry
	pending  []*entry
	sortedOK bool

	// remaining remembers, per continue token handed out by an unfiltered List, how many
	// items follow that token's key at its revision, so the next page need not count them
	// again (a paginated list stays linear instead of quadratic). The count is fixed: history
	// at or below a listed revision never changes until compaction expires the token.
	remaining remainingCache

	routes routes // guarded by Store.dispatchMu
}

func newTable(r *backend.Resource) *table {
	return &table{res: r, byNS: map[string]map[string]*entry{}, index: backend.NewIndex(len(r.Indexes)), routes: newRoutes(len(r.Indexes))}
}

func (t *table) lookup(ns, name string) *entry {
	return t.byNS[ns][name]
}

// sortedEntries returns every entry in key order. Callers hold Store.mu (read or write).
func (t *table) sortedEntries() []*entry {
	t.sortMu.Lock()
	defer t.sortMu.Unlock()
	if !t.sortedOK {
		all := t.sorted[:0]
		for _, names := range t.byNS {
			for _, e := range names {
				all = append(all, e)
			}
		}
		sort.Slice(all, func(i, j int) bool { return backend.EntryLess(all[i], all[j]) })
		t.sorted = all
		t.sortedOK = true
		clear(t.pending)
		t.pending = t.pending[:0]
	}
	if len(t.pending) > 0 {
		t.sorted = backend.MergeSorted(t.sorted, t.pending)
		clear(t.pending)
		t.pending = t.pending[:0]
	}
	return t.sorted
}

// event is one change in the history: what the watchers get.
type event struct {
	backend.Change
	t  *table
	e  *entry
	at time.Time
}

func (s *Store) table(op string, gr schema.GroupResource) (*table, error) {
	t, ok := s.tables[gr]
	if !ok {
		return nil, backend.UnknownResource(op, gr)
	}
	return t, nil
}

func ctxErr(ctx context.Context, op string, gr schema.GroupResource) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: %s %s: %w", op, gr, err)
	}
	return nil
}

func copyOf(o runtime.MetaObject) runtime.MetaObject {
	return o.DeepCopyObject().(runtime.MetaObject)
}

// Create implements store.Interface.
func (s *Store) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	const op = "create"
	if err := ctxErr(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	o, err := t.res.CopyIn(op, obj)
	if err != nil {
		return nil, err
	}
	m := o.GetObjectMeta()
	if err := t.res.PrepareCreate(op, m, s.clock.Now()); err != nil {
		return nil, err
	}
	if err := t.res.CheckSize(op, o, s.maxSize); err != nil {
		return nil, err
	}
	idx := t.res.IndexValues(o)

	s.mu.Lock()
	if m.Name == "" {
		for try := 0; ; try++ {
			name := backend.GenerateName(m.GenerateName)
			if e := t.lookup(m.Namespace, name); e == nil || e.Latest().Obj == nil {
				m.Name = name
				break
			}
			if try == 8 {
				s.mu.Unlock()
				return nil, apierrors.NewAlreadyExists(gr, name)
			}
		}
	} else if e := t.lookup(m.Namespace, m.Name); e != nil && e.Latest().Obj != nil {
		s.mu.Unlock()
		return nil, apierrors.NewAlreadyExists(gr, m.Name)
	}
	rev := s.rev + 1
	m.ResourceVersion = backend.FormatRevision(rev)
	s.commit(t, m.Namespace, m.Name, o, idx, rev)
	s.mu.Unlock()
	s.dispatch(rev)
	return copyOf(o), nil
}

// commit writes the new state of a key (obj == nil for a delete) at rev, which must be s.rev+1,
// records the change and compacts old history. Callers hold s.mu.
func (s *Store) commit(t *table, ns, name string, obj runtime.MetaObject, idx []string, rev int64) *event {
	names := t.byNS[ns]
	if names == nil {
		names = map[string]*entry{}
		t.byNS[ns] = names
	}
	e := names[name]
	ev := &event{Change: backend.Change{Rev: rev, Idx: idx}, t: t, at: s.clock.Now()}
	if e == nil {
		e = &entry{NS: ns, Name: name}
		names[name] = e
		t.sortMu.Lock()
		switch {
		case !t.sortedOK:
		case len(t.pending) >= 1024 && len(t.pending) > len(t.sorted)/4:
			t.sortedOK = false // a full sort is cheaper than the merge
		default:
			t.pending = append(t.pending, e)
		}
		t.sortMu.Unlock()
	} else {
		last := e.Latest()
		ev.Prev, ev.PrevIdx = last.Obj, last.Idx
	}
	ev.e = e
	switch {
	case obj == nil:
		ev.Type = watch.Deleted
		del := copyOf(ev.Prev)
		del.GetObjectMeta().ResourceVersion = backend.FormatRevision(rev)
		ev.Obj = del
		t.live--
	case ev.Prev == nil:
		ev.Type = watch.Added
		ev.Obj = obj
		t.live++
	default:
		ev.Type = watch.Modified
		ev.Obj = obj
	}
	e.Versions = append(e.Versions, version{Rev: rev, Obj: obj, Idx: idx})
	t.index.Add(e, idx)
	s.rev = rev
	s.history = append(s.history, ev)
	s.autoCompactLocked()
	return ev
}

// read returns the stored (immutable) object of a key at the revision opts asks for.
func (s *Store) read(op string, t *table, ns, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	gr := t.res.GroupResource
	s.mu.RLock()
	defer s.mu.RUnlock()
	rev, err := s.readRevisionLocked(op, gr, opts.Consistency, opts.Revision)
	if err != nil {
		return nil, err
	}
	e := t.lookup(ns, name)
	if e == nil {
		return nil, apierrors.NewNotFound(gr, name)
	}
	var o runtime.MetaObject
	if rev == s.rev {
		o = e.Latest().Obj
	} else {
		o = e.At(rev)
	}
	if o == nil {
		return nil, apierrors.NewNotFound(gr, name)
	}
	return o, nil
}

// readRevisionLocked turns a consistency and revision into the revision to read at, checking it
// against the history. Callers hold s.mu.
func (s *Store) readRevisionLocked(op string, gr schema.GroupResource, c store.Consistency, rev int64) (int64, error) {
	return backend.ReadRevision("memory", op, gr, c, rev, s.rev, s.compacted)
}

func tooLarge(op string, gr schema.GroupResource, rev, cur int64) error {
	return backend.TooLarge("memory", op, gr, rev, cur)
}

func expired(op string, gr schema.GroupResource, rev, compacted int64) error {
	return backend.Expired(op, gr, rev, compacted)
}

// Get implements store.Interface.
func (s *Store) Get(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	const op = "get"
	if err := ctxErr(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	if err := t.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	o, err := s.read(op, t, namespace, name, opts)
	if err != nil {
		return nil, err
	}
	return copyOf(o), nil
}

// Update implements store.Interface.
func (s *Store) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	const op = "update"
	if err := ctxErr(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	o, err := t.res.CopyIn(op, obj)
	if err != nil {
		return nil, err
	}
	out, _, err := s.update(op, t, o, nil)
	if err != nil {
		return nil, err
	}
	return copyOf(out), nil
}

// update writes o, the store's own copy, over the stored object. It checks names, size, the
// resourceVersion o carries and pre, then commits. It returns the stored object and whether a
// failure was a resourceVersion conflict.
func (s *Store) update(op string, t *table, o runtime.MetaObject, pre *meta.Preconditions) (runtime.MetaObject, bool, error) {
	gr := t.res.GroupResource
	m := o.GetObjectMeta()
	if err := t.res.CheckNames(op, m, false); err != nil {
		return nil, false, err
	}
	want, err := backend.ParseRevision(op, gr, m.ResourceVersion)
	if err != nil {
		return nil, false, err
	}
	if err := t.res.CheckSize(op, o, s.maxSize); err != nil {
		return nil, false, err
	}
	idx := t.res.IndexValues(o)

	s.mu.Lock()
	e := t.lookup(m.Namespace, m.Name)
	if e == nil || e.Latest().Obj == nil {
		s.mu.Unlock()
		return nil, false, apierrors.NewNotFound(gr, m.Name)
	}
	cur := e.Latest()
	if conflict, err := backend.PrepareUpdate(op, gr, m, cur.Obj.GetObjectMeta(), cur.Rev, want, pre); err != nil {
		s.mu.Unlock()
		return nil, conflict, err
	}
	rev := s.rev + 1
	m.ResourceVersion = backend.FormatRevision(rev)
	s.commit(t, m.Namespace, m.Name, o, idx, rev)
	s.mu.Unlock()
	s.dispatch(rev)
	return o, false, nil
}

// GuaranteedUpdate implements store.Interface.
func (s *Store) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	return s.guaranteedUpdate(ctx, gr, namespace, name, fn, opts, false)
}

// GuaranteedUpdateShared implements store.SharedUpdater: fn gets the stored (immutable)
// object, what it returns is stored as it is, and the stored object is returned; a write
// copies no object.
func (s *Store) GuaranteedUpdateShared(ctx context.Context, gr schema.GroupResource, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	return s.guaranteedUpdate(ctx, gr, namespace, name, fn, opts, true)
}

var _ store.SharedUpdater = (*Store)(nil)

func (s *Store) guaranteedUpdate(ctx context.Context, gr schema.GroupResource, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions, shared bool) (runtime.MetaObject, error) {
	const op = "guaranteed update"
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	if err := t.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	for {
		if err := ctxErr(ctx, op, gr); err != nil {
			return nil, err
		}
		cur, err := s.read(op, t, namespace, name, store.GetOptions{})
		if err != nil {
			return nil, err
		}
		if err := backend.CheckPreconditions(op, gr, cur.GetObjectMeta(), opts.Preconditions); err != nil {
			return nil, err
		}
		var o runtime.MetaObject
		var changed bool
		if shared {
			o, changed, err = t.res.UpdatedShared("memory", op, namespace, name, cur, fn)
		} else {
			o, changed, err = t.res.Updated("memory", op, namespace, name, cur, fn)
		}
		if err != nil || !changed {
			return o, err // failed, or nothing changed: no write
		}
		out, conflict, err := s.update(op, t, o, opts.Preconditions)
		if conflict {
			continue
		}
		if err != nil {
			return nil, err
		}
		if shared {
			return out, nil
		}
		return copyOf(out), nil
	}
}

// Delete implements store.Interface.
func (s *Store) Delete(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	const op = "delete"
	if err := ctxErr(ctx, op, gr); err != nil {
		return nil, err
	}
	t, err := s.table(op, gr)
	if err != nil {
		return nil, err
	}
	if err := t.res.CheckScope(op, namespace); err != nil {
		return nil, err
	}
	s.mu.Lock()
	e := t.lookup(namespace, name)
	if e == nil || e.Latest().Obj == nil {
		s.mu.Unlock()
		return nil, apierrors.NewNotFound(gr, name)
	}
	if err := backend.CheckPreconditions(op, gr, e.Latest().Obj.GetObjectMeta(), opts.Preconditions); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	rev := s.rev + 1
	ev := s.commit(t, namespace, name, nil, nil, rev)
	s.mu.Unlock()
	s.dispatch(rev)
	return copyOf(ev.Obj), nil
}

// Stats implements store.Interface.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	if err := ctx.Err(); err != nil {
		return store.Stats{}, fmt.Errorf("memory: stats: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := store.Stats{
		Revision:          s.rev,
		CompactedRevision: s.compacted,
		Objects:           make(map[schema.GroupResource]int64, len(s.tables)),
		HistoryEvents:     int64(len(s.history)),
		Watchers:          s.watchers.Load(),
	}
	for gr, t := range s.tables {
		st.Objects[gr] = t.live
	}
	return st, nil
}
