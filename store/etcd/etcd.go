package etcd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Clock is the part of a clock the store uses: creation timestamps and bookmark timers.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) clock.Timer
}

// Options configure a Store. The zero value of every field but Client and Resources is a
// documented default.
type Options struct {
	// Client is the etcd client the store talks through. Required. The store never closes
	// it: the caller owns it and closes it after the store's last use.
	Client *clientv3.Client
	// Resources are the resources the store holds. Required.
	Resources []store.Resource
	// Prefix is the key prefix of every object, without a trailing slash. Default
	// DefaultPrefix ("/registry"), as Kubernetes.
	Prefix string
	// ResourcePrefixes overrides the key path of a resource below Prefix (default: the
	// resource for the core group, "<group>/<resource>" for others; see the package
	// documentation). No resource's path may be a prefix of another's.
	ResourcePrefixes map[schema.GroupResource]string
	// Clock gives creation timestamps and the bookmark timer. Default: the real clock.
	Clock Clock
	// Logger receives debug logs (V(4)) about watches. Default: discard.
	Logger logr.Logger
	// MaxObjectSize is the largest JSON encoding of an object a write accepts, in bytes.
	// Default store.DefaultMaxObjectSize (1.5 MiB, etcd's default request limit); negative
	// disables the check (etcd still enforces its own limit).
	MaxObjectSize int
	// WatchBuffer is how many events a watcher may fall behind before it is closed with a
	// TooManyRequests error it recovers from by resuming. Default 1,000.
	WatchBuffer int
	// BookmarkInterval is how often a watch that asked for bookmarks gets one. Default
	// store.DefaultBookmarkInterval.
	BookmarkInterval time.Duration
	// ListBatch is how many keys a List with selectors reads from etcd per request while it
	// fills a page. Default 500.
	ListBatch int
}

// Defaults of Options.
const (
	DefaultPrefix      = "/registry"
	DefaultWatchBuffer = 1_000
	DefaultListBatch   = 500
)

// Store is the etcd backend of the store contract. Create it with New.
type Store struct {
	client        *clientv3.Client
	kv            clientv3.KV
	prefix        string
	clock         Clock
	log           logr.Logger
	maxSize       int
	watchBuffer   int
	bookmarkEvery time.Duration
	listBatch     int64
	tables        map[schema.GroupResource]*table
	order         []schema.GroupResource // sorted, for Stats

	compacted atomic.Int64 // the highest compaction point seen; a lower bound, see Stats
	watchers  atomic.Int64
}

var _ store.Interface = (*Store)(nil)

// table is one resource with its key range.
type table struct {
	res  *backend.Resource
	base string // "<prefix>/<path>/", every key of the resource starts with it
}

// New returns a Store over opts.Client holding opts.Resources. It does not contact etcd.
func New(opts Options) (*Store, error) {
	if opts.Client == nil {
		return nil, errors.New("etcd: new store: no client")
	}
	if len(opts.Resources) == 0 {
		return nil, errors.New("etcd: new store: no resources")
	}
	res, err := backend.NewResources(opts.Resources)
	if err != nil {
		return nil, fmt.Errorf("etcd: new store: %w", err)
	}
	s := &Store{
		client:        opts.Client,
		kv:            clientv3.NewKV(opts.Client),
		prefix:        opts.Prefix,
		clock:         opts.Clock,
		log:           opts.Logger,
		maxSize:       opts.MaxObjectSize,
		watchBuffer:   opts.WatchBuffer,
		bookmarkEvery: opts.BookmarkInterval,
		listBatch:     int64(opts.ListBatch),
		tables:        make(map[schema.GroupResource]*table, len(res)),
	}
	if s.prefix == "" {
		s.prefix = DefaultPrefix
	}
	if !strings.HasPrefix(s.prefix, "/") || strings.HasSuffix(s.prefix, "/") {
		return nil, fmt.Errorf("etcd: new store: prefix %q must start with '/' and not end with one", s.prefix)
	}
	if s.clock == nil {
		s.clock = clock.Real()
	}
	if s.maxSize == 0 {
		s.maxSize = store.DefaultMaxObjectSize
	}
	switch {
	case s.watchBuffer < 0:
		return nil, fmt.Errorf("etcd: new store: negative WatchBuffer %d", s.watchBuffer)
	case s.watchBuffer == 0:
		s.watchBuffer = DefaultWatchBuffer
	}
	switch {
	case s.bookmarkEvery < 0:
		return nil, fmt.Errorf("etcd: new store: negative BookmarkInterval %v", s.bookmarkEvery)
	case s.bookmarkEvery == 0:
		s.bookmarkEvery = store.DefaultBookmarkInterval
	}
	switch {
	case s.listBatch < 0:
		return nil, fmt.Errorf("etcd: new store: negative ListBatch %d", s.listBatch)
	case s.listBatch == 0:
		s.listBatch = DefaultListBatch
	}
	for gr := range opts.ResourcePrefixes {
		if _, ok := res[gr]; !ok {
			return nil, fmt.Errorf("etcd: new store: ResourcePrefixes names %s, which is not among the resources", gr)
		}
	}
	for gr, r := range res {
		path, ok := opts.ResourcePrefixes[gr]
		if !ok {
			path = ResourcePath(gr)
		}
		if path == "" || strings.HasPrefix(path, "/") || strings.HasSuffix(path, "/") || strings.Contains(path, "//") {
			return nil, fmt.Errorf("etcd: new store: resource %s: key path %q must be non-empty, without a leading or trailing '/' or an empty segment", gr, path)
		}
		s.tables[gr] = &table{res: r, base: s.prefix + "/" + path + "/"}
		s.order = append(s.order, gr)
	}
	sort.Slice(s.order, func(i, j int) bool { return s.order[i].String() < s.order[j].String() })
	for _, a := range s.order {
		for _, b := range s.order {
			if a != b && strings.HasPrefix(s.tables[b].base, s.tables[a].base) {
				return nil, fmt.Errorf("etcd: new store: key range %q of %s contains the one of %s (%q)", s.tables[a].base, a, b, s.tables[b].base)
			}
		}
	}
	return s, nil
}

// ResourcePath is the default key path of a resource below the prefix: the resource name for
// the core group ("pods"), "<group>/<resource>" for others ("apps/deployments").
func ResourcePath(gr schema.GroupResource) string {
	if gr.Group == "" {
		return gr.Resource
	}
	return gr.Group + "/" + gr.Resource
}

// Key returns the etcd key of an object of resource gr: "<prefix>/<path>/<namespace>/<name>",
// or "<prefix>/<path>/<name>" for a cluster-scoped resource.
func (s *Store) Key(gr schema.GroupResource, namespace, name string) (string, error) {
	t, err := s.table("key", gr)
	if err != nil {
		return "", err
	}
	return t.key(namespace, name), nil
}

func (s *Store) table(op string, gr schema.GroupResource) (*table, error) {
	t, ok := s.tables[gr]
	if !ok {
		return nil, backend.UnknownResource(op, gr)
	}
	return t, nil
}

func (t *table) key(ns, name string) string {
	if t.res.Namespaced {
		return t.base + ns + "/" + name
	}
	return t.base + name
}

// scope returns the key range prefix of a namespace ("" for every namespace).
func (t *table) scope(ns string) string {
	if ns == "" {
		return t.base
	}
	return t.base + ns + "/"
}

// tokenKey is the key a continue token carries: "<namespace>/<name>" ("/<name>" for
// cluster-scoped resources), as the memory backend writes it.
func (t *table) tokenKey(etcdKey string) string {
	rest := strings.TrimPrefix(etcdKey, t.base)
	if t.res.Namespaced {
		return rest
	}
	return "/" + rest
}

// etcdKey turns a continue token's key back into an etcd key.
func (t *table) etcdKey(tokenKey string) (string, bool) {
	ns, name, ok := strings.Cut(tokenKey, "/")
	if !ok || name == "" || t.res.Namespaced == (ns == "") {
		return "", false
	}
	return t.key(ns, name), true
}

// splitKey returns the namespace and name of an etcd key of the table, or false when the key
// does not have the table's layout.
func (t *table) splitKey(key string) (ns, name string, ok bool) {
	rest, found := strings.CutPrefix(key, t.base)
	if !found || rest == "" {
		return "", "", false
	}
	if !t.res.Namespaced {
		return "", rest, !strings.Contains(rest, "/")
	}
	ns, name, found = strings.Cut(rest, "/")
	if !found || ns == "" || name == "" || strings.Contains(name, "/") {
		return "", "", false
	}
	return ns, name, true
}

// ErrCorrupt is wrapped by the (InternalError) errors for values in etcd that do not decode
// to an object of their resource at their key.
var ErrCorrupt = errors.New("corrupt value")

// decode turns a stored value into an object of the table's resource whose resourceVersion is
// rev. It fails, wrapping ErrCorrupt, for anything that is not the JSON of an object of the
// resource's kind stored under its own key.
func (t *table) decode(key string, value []byte, rev int64) (runtime.MetaObject, error) {
	ns, name, ok := t.splitKey(key)
	if !ok {
		return nil, fmt.Errorf("%w: key %q is not a key of %s", ErrCorrupt, key, t.res.GroupResource)
	}
	o := t.res.New()
	if err := json.Unmarshal(value, o); err != nil {
		return nil, fmt.Errorf("%w: key %q: %v", ErrCorrupt, key, err)
	}
	if reflect.ValueOf(o).IsNil() {
		return nil, fmt.Errorf("%w: key %q: null object", ErrCorrupt, key)
	}
	if gvk := o.GetObjectKind().GroupVersionKind(); gvk != t.res.Kind {
		av, k := gvk.ToAPIVersionAndKind()
		return nil, fmt.Errorf("%w: key %q holds apiVersion %q kind %q, want %s", ErrCorrupt, key, av, k, t.res.Kind)
	}
	m := o.GetObjectMeta()
	if m.Namespace != ns || m.Name != name {
		return nil, fmt.Errorf("%w: key %q holds object %q/%q", ErrCorrupt, key, m.Namespace, m.Name)
	}
	m.ResourceVersion = backend.FormatRevision(rev)
	return o, nil
}

// encode returns the stored value of o: its JSON without resourceVersion (the key's
// ModRevision is the resourceVersion, as in Kubernetes). o keeps its resourceVersion.
func encode(o runtime.MetaObject) ([]byte, error) {
	m := o.GetObjectMeta()
	rv := m.ResourceVersion
	m.ResourceVersion = ""
	data, err := json.Marshal(o)
	m.ResourceVersion = rv
	return data, err
}

// corruptError is an InternalError that also unwraps to the decoding error (and ErrCorrupt).
type corruptError struct {
	status *apierrors.StatusError
	err    error
}

func (e *corruptError) Error() string   { return e.status.Error() }
func (e *corruptError) Unwrap() []error { return []error{e.status, e.err} }

// corrupt returns the InternalError of a value that does not decode; errors.Is(err,
// ErrCorrupt) holds for it.
func corrupt(op string, gr schema.GroupResource, err error) error {
	err = fmt.Errorf("etcd: %s %s: %w", op, gr, err)
	return &corruptError{status: apierrors.NewInternalError(err), err: err}
}

// mapErr turns an error of the etcd client into an API error naming the operation, or into
// ctx's error (wrapped) once ctx is done.
func mapErr(ctx context.Context, op string, gr schema.GroupResource, name string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("etcd: %s %s: %w", op, gr, cerr)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("etcd: %s %s: %w", op, gr, err)
	}
	var se *apierrors.StatusError
	if errors.As(err, &se) {
		return err
	}
	ee := rpctypes.Error(err)
	switch {
	case errors.Is(ee, rpctypes.ErrCompacted):
		return apierrors.NewResourceExpired(fmt.Sprintf("etcd: %s %s: too old resource version: %v", op, gr, err))
	case errors.Is(ee, rpctypes.ErrFutureRev):
		return fmt.Errorf("etcd: %s %s: %w", op, gr, apierrors.NewTooLargeResourceVersion(0, 0, 1))
	case errors.Is(ee, rpctypes.ErrRequestTooLarge):
		return apierrors.NewRequestEntityTooLargeError(fmt.Sprintf("etcd: %s %s %q: %v", op, gr, name, err))
	case errors.Is(ee, rpctypes.ErrTooManyRequests):
		return apierrors.NewTooManyRequests(fmt.Sprintf("etcd: %s %s: %v", op, gr, err), 1)
	case errors.Is(ee, rpctypes.ErrNoLeader), errors.Is(ee, rpctypes.ErrTimeout), errors.Is(ee, rpctypes.ErrTimeoutDueToLeaderFail),
		errors.Is(ee, rpctypes.ErrTimeoutDueToConnectionLost), errors.Is(ee, rpctypes.ErrLeaderChanged), errors.Is(ee, rpctypes.ErrNotCapable):
		return apierrors.NewServerTimeout(gr, op, 1)
	}
	if st, ok := status.FromError(err); ok && st.Code() == codes.Unavailable {
		return apierrors.NewServiceUnavailable(fmt.Sprintf("etcd: %s %s: %v", op, gr, err))
	}
	return apierrors.NewInternalError(fmt.Errorf("etcd: %s %s: %w", op, gr, err))
}

func ctxErr(ctx context.Context, op string, gr schema.GroupResource) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("etcd: %s %s: %w", op, gr, err)
	}
	return nil
}

func copyOf(o runtime.MetaObject) runtime.MetaObject {
	return o.DeepCopyObject().(runtime.MetaObject)
}

// copyIn returns the store's own copy of obj, checked for kind.
func (t *table) copyIn(op string, obj runtime.MetaObject) (runtime.MetaObject, error) {
	if obj == nil || reflect.ValueOf(obj).IsNil() {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: nil object", op, t.res.GroupResource))
	}
	o, ok := obj.DeepCopyObject().(runtime.MetaObject)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: deep copy of %T is not an object with metadata", op, t.res.GroupResource, obj))
	}
	if err := t.res.CheckKind(op, o); err != nil {
		return nil, err
	}
	return o, nil
}

func tooLarge(op string, gr schema.GroupResource, rev, cur int64) error {
	return backend.TooLarge("etcd", op, gr, rev, cur)
}

func expired(op string, gr schema.GroupResource, rev, compacted int64) error {
	return backend.Expired(op, gr, rev, compacted)
}
