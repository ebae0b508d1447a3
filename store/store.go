package store

import (
	"context"
	"strconv"
	"time"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/watch"
)

// Interface is the store contract every backend implements. Objects are addressed by resource
// (group and resource), namespace (empty for cluster-scoped resources) and name. Every method
// takes ctx first and fails with ctx's error, wrapped, once ctx is done before the operation
// took effect.
//
// Every object passed in is copied before the store keeps it, and every object handed out is
// the caller's own copy (except watch events of a watch that asked for SharedObjects): mutating
// either can never corrupt the store.
//
// Errors are API errors of package apimachinery/errors (NotFound, AlreadyExists, Conflict,
// Invalid, Expired, ...) so the REST layer can send them as they are; test them with its
// predicates (errors.IsNotFound, errors.IsConflict, ...).
type Interface interface {
	// Create stores a new object and returns the stored copy. The store sets a fresh UID, the
	// creation time, generation 1 and the resourceVersion of the write; when the name is empty
	// and generateName is set, it picks a unique name from that prefix. The object's
	// resourceVersion must be empty. It fails with AlreadyExists when the key is taken, Invalid
	// when the name or namespace is not valid, BadRequest when the object is of the wrong kind
	// for gr, RequestEntityTooLarge when it exceeds the backend's size limit.
	Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error)

	// Get returns the object at the revision opts asks for, or NotFound.
	Get(ctx context.Context, gr schema.GroupResource, namespace, name string, opts GetOptions) (runtime.MetaObject, error)

	// List returns the objects of gr in namespace (every namespace when empty) that match the
	// selectors, in key order (namespace, then name), with the revision the list reflects.
	List(ctx context.Context, gr schema.GroupResource, namespace string, opts ListOptions) (*List, error)

	// Update replaces an existing object. When obj carries a resourceVersion, the update happens
	// only if it is the object's current one, else it fails with Conflict; with an empty
	// resourceVersion the update is unconditional. UID, creation time, generation and
	// generateName the caller leaves empty are carried over from the stored object; a UID that
	// differs from the stored one fails with Conflict. Missing objects fail with NotFound.
	Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error)

	// GuaranteedUpdate reads the object, calls fn with a copy of it, and writes what fn returns
	// with the read resourceVersion as precondition, retrying from a fresh read when another
	// write got in between. When fn returns an object equal to what it was given, nothing is
	// written and the current object is returned. An error from fn aborts and is returned as
	// it is (wrapped); fn may run several times and must not have side effects that cannot be
	// repeated.
	GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, namespace, name string, fn UpdateFunc, opts UpdateOptions) (runtime.MetaObject, error)

	// Delete removes an object if the preconditions hold, and returns its last state with the
	// resourceVersion of the delete (a new revision). Missing objects fail with NotFound; failed
	// preconditions with Conflict.
	Delete(ctx context.Context, gr schema.GroupResource, namespace, name string, opts DeleteOptions) (runtime.MetaObject, error)

	// Watch streams the changes of gr in namespace (every namespace when empty) that match the
	// selectors, after opts.Revision. See WatchOptions and the package documentation for the
	// guarantees. Watch returns an error for requests that are wrong on their face (unknown
	// resource, a revision in the future); a revision older than the kept history is reported
	// on the stream, as one Error event with an Expired (410) status.
	Watch(ctx context.Context, gr schema.GroupResource, namespace string, opts WatchOptions) (watch.Interface[runtime.Object], error)

	// Compact discards the history before revision: afterwards reads, lists, continue tokens and
	// watches at or after revision work, older ones fail with Expired. Compacting to a revision
	// at or below the current compaction point is a no-op; a revision beyond the current one
	// fails with TooLargeResourceVersion.
	Compact(ctx context.Context, revision int64) error

	// Stats reports the store's revision, compaction point and object counts.
	Stats(ctx context.Context) (Stats, error)
}

// SharedUpdater is implemented by backends that can run a GuaranteedUpdate without copying
// objects in or out (store/memory, whose stored objects are immutable). Wrappers that call fn
// with objects of their own or change what fn returns (a registry, a cache) do not implement
// it; use Typed.GuaranteedUpdateShared, which falls back to GuaranteedUpdate for them.
//
// Ownership: GuaranteedUpdateShared has the semantics of GuaranteedUpdate, except that
//   - fn gets the stored object itself, which other readers share: fn must not modify it, nor
//     anything reachable from it (maps, slices, pointers);
//   - fn returns either its argument (nothing to write) or a new object it made, which may
//     share the parts it leaves unchanged with its argument (a shallow copy of the struct
//     with one field set); from the moment fn returns it, the store owns that object: the
//     caller must neither modify nor keep it (a retry calls fn again for a fresh one);
//   - the returned object is the stored one, shared with other readers: read it, never
//     modify it.
//
// A backend may ignore the sharing and copy (GuaranteedUpdate is a valid implementation),
// so callers must follow the rules above but must not rely on the objects being shared.
type SharedUpdater interface {
	GuaranteedUpdateShared(ctx context.Context, gr schema.GroupResource, namespace, name string, fn UpdateFunc, opts UpdateOptions) (runtime.MetaObject, error)
}

// UpdateFunc is the function GuaranteedUpdate calls with the current object (the caller's own
// copy, which it may modify and return). It returns the object to write.
type UpdateFunc func(current runtime.MetaObject) (runtime.MetaObject, error)

// Consistency says how fresh a read must be.
type Consistency uint8

// The read consistencies. The zero value is Latest.
const (
	// Latest reads the newest state: the read is linearizable, it sees every write that
	// completed before it started. Revision must be 0.
	Latest Consistency = iota
	// Any may serve an older state, for example from a cache; backends without a cache serve
	// Latest. Revision must be 0.
	Any
	// NotOlderThan reads a state at or after Revision. A Revision newer than the store's
	// fails with TooLargeResourceVersion (after a backend that follows another, such as a
	// cache, waited a bounded time for it).
	NotOlderThan
	// Exact reads the state at exactly Revision: it fails with Expired when Revision is older
	// than the kept history, with TooLargeResourceVersion when it is in the future.
	Exact
)

// String returns the name of c.
func (c Consistency) String() string {
	switch c {
	case Latest:
		return "Latest"
	case Any:
		return "Any"
	case NotOlderThan:
		return "NotOlderThan"
	case Exact:
		return "Exact"
	}
	return "Consistency(" + strconv.Itoa(int(c)) + ")"
}

// GetOptions say which state a Get reads.
type GetOptions struct {
	Consistency Consistency
	// Revision is the revision NotOlderThan and Exact refer to.
	Revision int64
}

// ListOptions say which objects a List returns and from which state.
type ListOptions struct {
	// Consistency and Revision say which state is read. A continue token carries its own
	// revision: with Continue set, both must be zero.
	Consistency Consistency
	Revision    int64
	// Labels and Fields select objects; nil selects everything. The fields every resource
	// offers are metadata.name and metadata.namespace; a Resource adds its own.
	Labels labels.Selector
	Fields fields.Selector
	// Limit caps the number of items returned; 0 means no limit. When more items match, the
	// List carries a Continue token.
	Limit int64
	// Continue is the token of the previous page. The next page reads the same snapshot as the
	// first (its revision), so pages never skip or repeat an object however the store changes
	// in between. A token whose revision was compacted fails with Expired; a token that was
	// not made by this backend fails with BadRequest.
	Continue string
}

// List is the result of a List.
type List struct {
	// Items are the objects, in key order; the caller owns them.
	Items []runtime.MetaObject
	// Revision is the revision the list reflects (for a paginated list, the one of its first
	// page). Watching from it misses nothing and repeats nothing.
	Revision int64
	// Continue is the token of the next page, empty on the last page.
	Continue string
	// RemainingItemCount is the number of matching items after this page, when known (set when
	// there is no label or field selector and there is a next page).
	RemainingItemCount *int64
}

// UpdateOptions are the options of GuaranteedUpdate.
type UpdateOptions struct {
	// Preconditions are checked against every object read, before fn is called; a mismatch
	// fails with Conflict without calling fn.
	Preconditions *meta.Preconditions
}

// DeleteOptions are the options of Delete.
type DeleteOptions struct {
	// Preconditions, when set, must hold for the object being deleted: its UID and
	// resourceVersion must equal the given ones (nil fields are not checked). A mismatch fails
	// with Conflict.
	Preconditions *meta.Preconditions
	// GracePeriodSeconds is the grace period the caller asks for (0 deletes at once, nil uses
	// the object's default). Backends ignore it; store/registry interprets it.
	GracePeriodSeconds *int64
	// PropagationPolicy says what happens to the object's dependents (nil means the
	// resource's default, Background). Backends ignore it; store/registry interprets it.
	PropagationPolicy *meta.DeletionPropagation
}

// WatchOptions say which changes a Watch delivers.
type WatchOptions struct {
	// Revision is where the stream starts: it delivers every change after Revision. 0 means
	// "now": the changes after the store's current revision. A Revision older than the kept
	// history yields an Expired Error event (except with SendInitialEvents, which only asks
	// for a state at least that new); a future one fails Watch with TooLargeResourceVersion.
	Revision int64
	// Labels and Fields select objects, as for List. An object whose update makes it match
	// arrives as Added, one whose update makes it stop matching as Deleted (with its new
	// state), one that matched before and after as Modified.
	Labels labels.Selector
	Fields fields.Selector
	// SendInitialEvents asks for the current state first: an Added event for every matching
	// object at a revision R at or after Revision, then (when Bookmarks is set) a Bookmark at
	// R annotated InitialEventsEndAnnotation = "true", then the changes after R.
	SendInitialEvents bool
	// Bookmarks asks for Bookmark events: at the end of initial events, periodically (the
	// backend's bookmark interval), and on RequestProgress (see ProgressRequester). A bookmark
	// at revision R promises that every change up to R was delivered.
	Bookmarks bool
	// SharedObjects lets the store hand the same event object to every watcher instead of a
	// copy per watcher. The watcher promises never to modify event objects (copy before
	// changing them); in return fan-out to many watchers costs no copies.
	SharedObjects bool
}

// InitialEventsEndAnnotation marks the bookmark that ends the initial events of a watch.
const InitialEventsEndAnnotation = "k8s.io/initial-events-end"

// ProgressRequester is implemented by the watches of backends that can send a bookmark on
// request. After RequestProgress, the stream soon carries a Bookmark at a revision at least
// as new as the store's revision when it was called (even if the watch did not ask for
// periodic bookmarks).
type ProgressRequester interface {
	RequestProgress()
}

// Stats describe a store at one moment.
type Stats struct {
	// Revision is the revision of the newest write.
	Revision int64
	// CompactedRevision is the oldest revision reads and watches can still start from.
	CompactedRevision int64
	// Objects counts the live objects of every resource.
	Objects map[schema.GroupResource]int64
	// HistoryEvents is the number of changes kept for watches (0 when the backend keeps its
	// history elsewhere, as etcd does).
	HistoryEvents int64
	// Watchers is the number of open watches.
	Watchers int64
}

// Resource describes one resource a store holds: its kind, scope and selectable fields.
type Resource struct {
	// GroupResource names the resource, such as {Group: "apps", Resource: "deployments"}.
	GroupResource schema.GroupResource
	// Kind is the kind objects are stored as. An object whose apiVersion and kind are set
	// must carry exactly this kind; empty ones are filled in.
	Kind schema.GroupVersionKind
	// Namespaced is true for resources that live in namespaces.
	Namespaced bool
	// New returns a new empty object of the resource's Go type. The store rejects objects of
	// any other type, and uses it for bookmark events.
	New func() runtime.MetaObject
	// Fields returns the fields of obj that field selectors can use, beyond metadata.name and
	// metadata.namespace which every resource offers (a returned value for those is ignored).
	// Nil means only those two.
	Fields func(obj runtime.MetaObject) fields.Set
	// Indexes names fields (returned by Fields) that backends index, so that a List or Watch
	// selecting field=value reads only the matching objects instead of scanning.
	Indexes []string
	// ValidateName checks the name (and generateName prefix) of an object. Nil means
	// validation.NameIsDNSSubdomain (lowercase alphanumerics, '-' and '.', at most 253
	// characters), which is what most Kubernetes resources require. Namespaces are always
	// checked as DNS-1123 labels.
	ValidateName validation.ValidateNameFunc
}

// Defaults of the backends.
const (
	// DefaultMaxObjectSize is the largest encoded object backends accept by default: 1.5 MiB,
	// etcd's default request size limit.
	DefaultMaxObjectSize = 3 << 19
	// DefaultBookmarkInterval is how often a watch that asked for bookmarks gets one.
	DefaultBookmarkInterval = time.Minute
)
