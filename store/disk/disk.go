package disk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	bolt "go.etcd.io/bbolt"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Clock is the part of clock.Clock the store uses.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) clock.Timer
}

// Options configure a Store. The zero value of every field but Path and Resources is a
// documented default.
type Options struct {
	// Path is the database file; it is created when missing. Required.
	Path string
	// Resources are the resources the store holds. Required. A database that holds objects or
	// history of a resource not listed fails to open.
	Resources []store.Resource
	// Clock gives creation timestamps, history ages and the bookmark timer. Default: the real
	// clock.
	Clock Clock
	// MaxHistory is the number of changes kept (on disk and in memory) for watches, resumption
	// and reads at past revisions; older ones are compacted away in batches of a sixteenth of
	// MaxHistory. Default 10,000; negative keeps no history beyond the current state.
	MaxHistory int
	// MaxHistoryAge bounds the age of the kept changes, checked at every commit. Default 5
	// minutes; negative means no age bound.
	MaxHistoryAge time.Duration
	// MaxObjectSize is the largest JSON encoding of an object a write accepts, in bytes.
	// Default store.DefaultMaxObjectSize; negative disables the check.
	MaxObjectSize int
	// WatchBuffer is how many changes a watcher may fall behind before it is closed with a
	// TooManyRequests error it recovers from by resuming. Default 1,000.
	WatchBuffer int
	// BookmarkInterval is how often a watch that asked for bookmarks gets one. Default
	// store.DefaultBookmarkInterval.
	BookmarkInterval time.Duration
	// MaxBatch caps the number of writes the committer puts into one transaction (one fsync).
	// Default 1,024.
	MaxBatch int
	// OpenTimeout bounds the wait for the database file lock held by another process.
	// Default 1 second.
	OpenTimeout time.Duration
	// Logger receives debug logs (V(4)) about commits, compactions and slow watchers. Default:
	// discard.
	Logger logr.Logger
}

// Defaults of Options.
const (
	DefaultMaxHistory    = 10_000
	DefaultMaxHistoryAge = 5 * time.Minute
	DefaultWatchBuffer   = 1_000
	DefaultMaxBatch      = 1_024
	DefaultOpenTimeout   = time.Second
)

// ErrClosed is the error (wrapped in a ServiceUnavailable API error) of every call on a
// closed store, and of writes still queued when Close was called.
var ErrClosed = errors.New("store is closed")

// Store is the durable, bbolt-backed backend of the store contract. Create it with Open and
// release it with Close.
type Store struct {
	db            *bolt.DB
	clock         Clock
	log           logr.Logger
	maxHistory    int64
	maxAge        time.Duration
	maxSize       int
	watchBuffer   int
	bookmarkEvery time.Duration
	maxBatch      int
	tables        map[schema.GroupResource]*table

	// mu guards the in-memory state: every table's entries and indexes, rev, compacted,
	// history and notify. Only the committer goroutine writes it, after the transaction
	// holding the change is on disk. Stored objects are immutable.
	mu        sync.RWMutex
	rev       int64
	compacted int64
	history   []*event // changes after compacted, oldest first: history[i].rev == compacted+1+i
	notify    chan struct{}

	reqs     chan *request // writes for the committer
	stop     chan struct{} // closed by Close: the committer ends
	done     chan struct{} // closed by Close after the committer ended: watchers end
	closed   atomic.Bool
	closeMu  sync.Mutex
	wg       sync.WaitGroup // the committer and every watcher
	watchers atomic.Int64
	commits  atomic.Int64

	// routesMu guards routes: the watchers whose field selector pins an indexed field,
	// woken only by changes that have (or had) that value, instead of by every commit.
	routesMu sync.Mutex
	routes   map[route]map[*watcher]struct{} // transactions written, for tests of group commit
}

var _ store.Interface = (*Store)(nil)

// Open opens (or creates) the database at opts.Path, loads its objects and history into memory
// and starts the committer. The returned store holds the file lock until Close.
func Open(opts Options) (*Store, error) {
	s, err := newStore(opts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(opts.Path), 0o755); err != nil {
		return nil, fmt.Errorf("disk: open %s: %w", opts.Path, err)
	}
	timeout := opts.OpenTimeout
	if timeout == 0 {
		timeout = DefaultOpenTimeout
	}
	db, err := bolt.Open(opts.Path, 0o600, &bolt.Options{
		Timeout: timeout,
		// The freelist is rebuilt by a scan at open instead of being written at every
		// commit: fewer pages per fsync, as etcd runs bbolt.
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if err != nil {
		return nil, fmt.Errorf("disk: open %s: %w", opts.Path, err)
	}
	s.db = db
	if err := s.load(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("disk: open %s: %w", opts.Path, err)
	}
	s.wg.Add(1)
	go s.commitLoop()
	return s, nil
}

// newStore checks opts and builds a store without a database.
func newStore(opts Options) (*Store, error) {
	if opts.Path == "" {
		return nil, fmt.Errorf("disk: open: empty Path")
	}
	if len(opts.Resources) == 0 {
		return nil, fmt.Errorf("disk: open %s: no resources", opts.Path)
	}
	res, err := backend.NewResources(opts.Resources)
	if err != nil {
		return nil, fmt.Errorf("disk: open %s: %w", opts.Path, err)
	}
	s := &Store{
		clock:         opts.Clock,
		log:           opts.Logger,
		maxHistory:    int64(opts.MaxHistory),
		maxAge:        opts.MaxHistoryAge,
		maxSize:       opts.MaxObjectSize,
		watchBuffer:   opts.WatchBuffer,
		bookmarkEvery: opts.BookmarkInterval,
		maxBatch:      opts.MaxBatch,
		tables:        make(map[schema.GroupResource]*table, len(res)),
		notify:        make(chan struct{}),
		routes:        map[route]map[*watcher]struct{}{},
		reqs:          make(chan *request),
		stop:          make(chan struct{}),
		done:          make(chan struct{}),
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
	for _, c := range []struct {
		name string
		v    int64
	}{{"WatchBuffer", int64(opts.WatchBuffer)}, {"BookmarkInterval", int64(opts.BookmarkInterval)}, {"MaxBatch", int64(opts.MaxBatch)}, {"OpenTimeout", int64(opts.OpenTimeout)}} {
		if c.v < 0 {
			return nil, fmt.Errorf("disk: open %s: negative %s %d", opts.Path, c.name, c.v)
		}
	}
	if s.watchBuffer == 0 {
		s.watchBuffer = DefaultWatchBuffer
	}
	if s.bookmarkEvery == 0 {
		s.bookmarkEvery = store.DefaultBookmarkInterval
	}
	if s.maxBatch == 0 {
		s.maxBatch = DefaultMaxBatch
	}
	for gr, r := range res {
		s.tables[gr] = newTable(r)
	}
	return s, nil
}

// Close stops the committer (writes still queued fail with ErrClosed; a batch being written
// is finished and acknowledged), ends every watch, waits for every goroutine the store started
// and closes the database. It returns ctx's error if ctx ends first; the store is then still
// closing in the background. Close is idempotent.
func (s *Store) Close(ctx context.Context) error {
	s.closeMu.Lock()
	if !s.closed.Swap(true) {
		close(s.stop)
	}
	s.closeMu.Unlock()
	waited := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(waited)
	}()
	select {
	case <-waited:
	case <-ctx.Done():
		return fmt.Errorf("disk: close: %w", ctx.Err())
	}
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	if err != nil {
		return fmt.Errorf("disk: close: %w", err)
	}
	return nil
}

// entry and version are the store's keys and their states (see backend.Entry).
type (
	entry   = backend.Entry
	version = backend.Version
)

// table is the in-memory state of one resource.
type table struct {
	res    *backend.Resource
	bucket []byte // the bbolt bucket of the resource's objects
	keys   map[string]*entry
	live   int64
	index  backend.Index

	sortMu   sync.Mutex // guards sorted; readers rebuild it lazily under Store.mu's read lock
	sorted   []*entry
	sortedOK bool
}

func newTable(r *backend.Resource) *table {
	return &table{res: r, bucket: []byte(bucketName(r.GroupResource)), keys: map[string]*entry{}, index: backend.NewIndex(len(r.Indexes))}
}

func (t *table) lookup(ns, name string) *entry { return t.keys[ns+"/"+name] }

func (t *table) sortedEntries() []*entry {
	t.sortMu.Lock()
	defer t.sortMu.Unlock()
	if !t.sortedOK {
		all := t.sorted[:0]
		for _, e := range t.keys {
			all = append(all, e)
		}
		sort.Slice(all, func(i, j int) bool { return backend.EntryLess(all[i], all[j]) })
		t.sorted = all
		t.sortedOK = true
	}
	return t.sorted
}

func (t *table) keysChanged() {
	t.sortMu.Lock()
	t.sortedOK = false
	t.sortMu.Unlock()
}

// addVersion appends v to e (creating e in t when nil) and indexes it.
func (t *table) addVersion(e *entry, ns, name string, v version) *entry {
	if e == nil {
		e = &entry{NS: ns, Name: name}
		t.keys[e.Key()] = e
		t.keysChanged()
	}
	e.Versions = append(e.Versions, v)
	t.index.Add(e, v.Idx)
	return e
}

// event is one change in the history.
type event struct {
	backend.Change
	t  *table
	e  *entry
	at time.Time
}

func copyOf(o runtime.MetaObject) runtime.MetaObject {
	return o.DeepCopyObject().(runtime.MetaObject)
}

func (s *Store) table(op string, gr schema.GroupResource) (*table, error) {
	t, ok := s.tables[gr]
	if !ok {
		return nil, backend.UnknownResource(op, gr)
	}
	return t, nil
}

// check fails when the store is closed or ctx is done.
func (s *Store) check(ctx context.Context, op string, gr schema.GroupResource) error {
	if s.closed.Load() {
		return closedErr(op, gr)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("disk: %s %s: %w", op, gr, err)
	}
	return nil
}

func closedErr(op string, gr schema.GroupResource) error {
	return fmt.Errorf("disk: %s %s: %w: %w", op, gr, ErrClosed, apierrors.NewServiceUnavailable("store is closed"))
}

// Stats implements store.Interface.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	if s.closed.Load() {
		return store.Stats{}, closedErr("stats", schema.GroupResource{})
	}
	if err := ctx.Err(); err != nil {
		return store.Stats{}, fmt.Errorf("disk: stats: %w", err)
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
