package garbagecollector

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/go-logr/logr"

	"github.com/cellkit/cellkit/apimachinery/apis"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller/record"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/workqueue"
)

// Defaults of Options.
const (
	// DefaultWorkers is the number of workers of each queue (kube-controller-manager's
	// --concurrent-gc-syncs).
	DefaultWorkers = 20
	// DefaultAbsentOwnerCacheSize is the number of owners verified absent that are remembered.
	DefaultAbsentOwnerCacheSize = 500
)

// orphanParallelism bounds the dependents one orphaning worker updates at once.
const orphanParallelism = 8

// The queue names, used for metrics (Kubernetes' own).
const (
	AttemptToDeleteQueue = "garbage_collector_attempt_to_delete"
	AttemptToOrphanQueue = "garbage_collector_attempt_to_orphan"
)

// Errors of the package.
var (
	// ErrInvalidOptions is wrapped by New's errors about its arguments.
	ErrInvalidOptions = errors.New("invalid garbage collector options")
	// ErrStarted is returned by a second Run.
	ErrStarted = errors.New("garbage collector already started")
	// ErrUnknownKind is wrapped when an owner reference names a kind the scheme or the store
	// does not know; the dependent is retried with backoff (the kind may be added later).
	ErrUnknownKind = errors.New("unknown owner kind")
)

// errNamespacedOwnerOfClusterScoped marks a cluster-scoped object with a reference to a
// namespaced kind: such a reference never resolves, so the object is left alone.
var errNamespacedOwnerOfClusterScoped = errors.New("cluster-scoped object refers to a namespaced owner")

// Options configure a Controller. The zero value of every field is a documented default.
type Options struct {
	// Resources are the resources whose objects the collector tracks, as owners and as
	// dependents. Default: every resource of Scheme that serves delete, list and watch (or
	// is registered without verbs, as custom kinds often are), except events (which
	// Kubernetes' collector ignores too) and resources whose Go type has no Type (see
	// Types). Owners of untracked resources are still verified by reading the store, but
	// their deletion is only noticed when their dependents are checked again.
	Resources []schema.GroupResource
	// Types adds the Types of Go types beyond the built-in ones (custom kinds), so their
	// resources can be tracked.
	Types []Type
	// Scheme maps kinds to resources and Go types. Default apis.NewScheme() (the built-in
	// kinds).
	Scheme *runtime.Scheme
	// Workers is the number of workers of each of the two queues. Default DefaultWorkers;
	// negative is invalid.
	Workers int
	// AbsentOwnerCacheSize is how many owners verified absent are remembered. Default
	// DefaultAbsentOwnerCacheSize; negative disables the cache.
	AbsentOwnerCacheSize int
	// RateLimiter, when set, returns a new rate limiter; it is called once for each of the
	// two queues, whose limiters compute the backoff of items whose processing failed. Nil
	// means workqueue.DefaultControllerRateLimiter on Clock (5ms doubling to 1000s per item,
	// 10 qps with bursts of 100).
	RateLimiter func() workqueue.RateLimiter[meta.UID]
	// QueueMetrics creates the metrics of the queues (AttemptToDeleteQueue and
	// AttemptToOrphanQueue). Nil records none.
	QueueMetrics workqueue.MetricsProvider
	// Recorder, when set, receives Events about dependents whose owner references cannot
	// resolve (reason OwnerRefInvalidNamespace), as Kubernetes reports them.
	Recorder *record.Recorder
	// Clock is the time source of the queues' delays. Nil means the real clock.
	Clock clock.Clock
	// Logger receives the collector's logs: failures (retried) at V(0), starts and stops and
	// references that never resolve at V(1), deletions and orphanings at V(2), every item
	// at V(5). Default discard.
	Logger logr.Logger
}

// kindInfo is what the collector knows of a kind: its resource and scope.
type kindInfo struct {
	gr         schema.GroupResource
	namespaced bool
}

// Controller is the garbage collector. Create it with New, run it with Run.
type Controller struct {
	store    store.Interface
	log      logr.Logger
	recorder *record.Recorder
	workers  int
	kinds    map[schema.GroupKind]kindInfo
	absent   *absentCache
	graph    *graph

	deleteQueue *workqueue.Queue[meta.UID]
	orphanQueue *workqueue.Queue[meta.UID]

	tracked  []schema.GroupResource
	bindings []binding
	started  atomic.Bool
}

// New returns a garbage collector that learns the objects of the tracked resources through
// the shared informers of f and writes through s (the registry-wrapped store, which
// implements finalizers and deletion propagation). Handlers are added to the informers at
// once; start the factory (a manager does) and call Run.
func New(f *informer.Factory, s store.Interface, opts Options) (*Controller, error) {
	switch {
	case f == nil:
		return nil, fmt.Errorf("garbagecollector: new: %w: nil informer factory", ErrInvalidOptions)
	case s == nil:
		return nil, fmt.Errorf("garbagecollector: new: %w: nil store", ErrInvalidOptions)
	case opts.Workers < 0:
		return nil, fmt.Errorf("garbagecollector: new: %w: negative Workers %d", ErrInvalidOptions, opts.Workers)
	}
	scheme := opts.Scheme
	if scheme == nil {
		var err error
		if scheme, err = apis.NewScheme(); err != nil {
			return nil, fmt.Errorf("garbagecollector: new: %w", err)
		}
	}
	c := &Controller{store: s, log: opts.Logger, recorder: opts.Recorder, workers: opts.Workers,
		kinds: map[schema.GroupKind]kindInfo{}}
	if c.workers == 0 {
		c.workers = DefaultWorkers
	}
	// The resources of the scheme whose kind has object metadata, in their preferred version
	// (owner references may name any served version: kinds are resolved by group and kind).
	byGR := map[schema.GroupResource]schemeResource{}
	var all []schema.GroupResource
	kindOf := map[schema.GroupResource]string{}
	for _, info := range scheme.Resources() {
		gr := info.GroupResource()
		if _, ok := byGR[gr]; !ok {
			obj, err := scheme.New(info.GroupVersionKind())
			if err != nil {
				continue
			}
			if _, ok := obj.(runtime.MetaObject); !ok {
				continue
			}
			byGR[gr] = schemeResource{info: info, typ: reflect.TypeOf(obj)}
			all = append(all, gr)
			kindOf[gr] = info.Kind
		}
		gk := schema.GroupKind{Group: info.Group, Kind: info.Kind}
		if _, ok := c.kinds[gk]; !ok {
			c.kinds[gk] = kindInfo{gr: gr, namespaced: info.Namespaced}
		}
	}
	types := map[reflect.Type]Type{}
	for _, t := range slices.Concat(builtinTypes(), opts.Types) {
		if t.bind == nil {
			return nil, fmt.Errorf("garbagecollector: new: %w: a Type not made by TypeOf", ErrInvalidOptions)
		}
		types[t.typ] = t
	}
	resources := opts.Resources
	explicit := resources != nil
	if !explicit {
		for _, gr := range all {
			if byGR[gr].collectable() && !ignoredByDefault(gr) {
				resources = append(resources, gr)
			}
		}
	}
	cacheSize := opts.AbsentOwnerCacheSize
	if cacheSize == 0 {
		cacheSize = DefaultAbsentOwnerCacheSize
	}
	c.absent = newAbsentCache(cacheSize)
	newQueue := func(name string) (*workqueue.Queue[meta.UID], error) {
		qo := workqueue.Options[meta.UID]{Name: name, Clock: opts.Clock, Metrics: opts.QueueMetrics}
		if opts.Clock == nil {
			qo.Clock = clock.Real()
		}
		if opts.RateLimiter != nil {
			qo.RateLimiter = opts.RateLimiter()
		}
		return workqueue.New(qo)
	}
	var err error
	if c.deleteQueue, err = newQueue(AttemptToDeleteQueue); err != nil {
		return nil, fmt.Errorf("garbagecollector: new: %w", err)
	}
	if c.orphanQueue, err = newQueue(AttemptToOrphanQueue); err != nil {
		return nil, fmt.Errorf("garbagecollector: new: %w", err)
	}
	c.graph = newGraph(c.scope, kindOf, c.absent, c.deleteQueue.Add, c.orphanQueue.Add)

	type plan struct {
		gr schema.GroupResource
		t  Type
	}
	var plans []plan
	seen := map[schema.GroupResource]bool{}
	for _, gr := range resources {
		if seen[gr] {
			continue
		}
		seen[gr] = true
		r, ok := byGR[gr]
		switch {
		case !ok:
			return nil, fmt.Errorf("garbagecollector: new: %w: resource %s is not in the scheme", ErrInvalidOptions, gr)
		case !r.collectable():
			return nil, fmt.Errorf("garbagecollector: new: %w: resource %s cannot be listed, watched and deleted", ErrInvalidOptions, gr)
		}
		typ := r.typ
		t, ok := types[typ]
		if !ok {
			if explicit {
				return nil, fmt.Errorf("garbagecollector: new: %w: no Type for %v, the Go type of %s (add TypeOf[%v]() to Options.Types)", ErrInvalidOptions, typ, gr, typ)
			}
			c.log.V(1).Info("not tracking a resource whose Go type has no Type", "resource", gr.String(), "type", typ.String())
			continue
		}
		plans = append(plans, plan{gr, t})
	}
	for _, p := range plans {
		b, err := p.t.bind(f, p.gr, c.graph)
		if err != nil {
			c.unbind()
			return nil, fmt.Errorf("garbagecollector: new: track %s: %w", p.gr, err)
		}
		c.bindings = append(c.bindings, b)
		c.tracked = append(c.tracked, p.gr)
	}
	return c, nil
}

// schemeResource is a resource of the scheme and the Go type of its objects.
type schemeResource struct {
	info runtime.ResourceInfo
	typ  reflect.Type
}

// collectable reports whether the collector can track the resource: it serves delete, list and
// watch, or it was registered without a list of verbs (custom kinds often are), which counts
// as serving them all.
func (r schemeResource) collectable() bool {
	return len(r.info.Verbs) == 0 || (r.info.HasVerb("delete") && r.info.HasVerb("list") && r.info.HasVerb("watch"))
}

// ignoredByDefault reports the resources Kubernetes' collector ignores: events.
func ignoredByDefault(gr schema.GroupResource) bool {
	return gr.Resource == "events" && (gr.Group == "" || gr.Group == "events.k8s.io")
}

// Tracked returns the resources the collector tracks, in the order it started tracking them.
func (c *Controller) Tracked() []schema.GroupResource { return slices.Clone(c.tracked) }

// CacheSyncers returns the handlers whose initial lists Run waits for, by resource (a
// manager waits for them before it starts runnables).
func (c *Controller) CacheSyncers() map[string]informer.Syncer {
	out := make(map[string]informer.Syncer, len(c.bindings))
	for i, b := range c.bindings {
		out["garbagecollector/"+c.tracked[i].String()] = b.reg
	}
	return out
}

func (c *Controller) unbind() {
	for _, b := range c.bindings {
		if err := b.remove(); err != nil {
			c.log.V(1).Info("removing a handler failed", "err", err)
		}
	}
	c.bindings = nil
}

func (c *Controller) scope(group, kind string) (namespaced, known bool) {
	info, ok := c.kinds[schema.GroupKind{Group: group, Kind: kind}]
	return info.namespaced, ok
}

func (c *Controller) resolve(group, kind string) (kindInfo, error) {
	info, ok := c.kinds[schema.GroupKind{Group: group, Kind: kind}]
	if !ok {
		return kindInfo{}, fmt.Errorf("%w: %s", ErrUnknownKind, schema.GroupKind{Group: group, Kind: kind})
	}
	return info, nil
}

// Run waits for the initial lists of every tracked resource to be in the graph, then
// processes the two queues with Options.Workers workers each until ctx is done. It returns nil
// once every goroutine it started has stopped (and its informer handlers are removed), or
// ErrStarted when called twice.
func (c *Controller) Run(ctx context.Context) error {
	if !c.started.CompareAndSwap(false, true) {
		return fmt.Errorf("garbagecollector: run: %w", ErrStarted)
	}
	defer c.unbind()
	defer c.orphanQueue.ShutDown()
	defer c.deleteQueue.ShutDown()
	syncers := make([]informer.Syncer, len(c.bindings))
	for i, b := range c.bindings {
		syncers[i] = b.reg
	}
	c.log.V(1).Info("waiting for the tracked resources", "resources", len(syncers))
	if err := informer.WaitForSync(ctx, syncers...); err != nil {
		return nil // ctx ended first
	}
	nodes, virtual := c.graph.size()
	c.log.V(1).Info("garbage collector started", "nodes", nodes, "virtual", virtual, "workers", c.workers)
	var wg sync.WaitGroup
	for range c.workers {
		wg.Add(2)
		go func() { defer wg.Done(); c.work(ctx, c.deleteQueue, c.attemptToDelete) }()
		go func() { defer wg.Done(); c.work(ctx, c.orphanQueue, c.attemptToOrphan) }()
	}
	wg.Wait()
	c.log.V(1).Info("garbage collector stopped")
	return nil
}

// work runs one worker of q: items whose processing fails, or asks to be looked at again, are
// put back with backoff; others are forgotten.
func (c *Controller) work(ctx context.Context, q *workqueue.Queue[meta.UID], fn func(context.Context, meta.UID) (bool, error)) {
	for {
		uid, err := q.Get(ctx)
		if err != nil {
			return
		}
		c.log.V(5).Info("processing", "uid", uid)
		again, err := fn(ctx, uid)
		switch {
		case err != nil:
			switch {
			case ctx.Err() != nil:
			case apierrors.IsConflict(err):
				// The object changed between the read and the write: look again.
				c.log.V(2).Info("object changed, retrying", "uid", uid, "err", err)
			default:
				c.log.Error(err, "processing failed, retrying with backoff", "uid", uid)
			}
			q.AddRateLimited(uid)
		case again:
			q.AddRateLimited(uid)
		default:
			q.Forget(uid)
		}
		q.Done(uid)
	}
}

func ignoreGone(err error) error {
	// Conflict from a write with a UID precondition means the object was replaced.
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil
	}
	return err
}

func uidPrecondition(uid meta.UID) *meta.Preconditions {
	return &meta.Preconditions{UID: &uid}
}

// attemptToDelete processes the node uid: deletes it when none of its owners is left,
// removes its dangling references when some are, and advances the foreground deletion of
// its dependents when it is being deleted that way. It asks to be looked at again (again)
// while the node is only known by name from its dependents.
func (c *Controller) attemptToDelete(ctx context.Context, uid meta.UID) (again bool, err error) {
	v, ok := c.graph.deleteView(uid)
	if !ok {
		return false, nil
	}
	if v.beingDeleted && !v.deletingDependents {
		// Deletion is a one-way trip: its dependents are handled when it is gone.
		return false, nil
	}
	gr := v.gr
	if !v.observed {
		info, err := c.resolve(v.key.Group, v.key.Kind)
		if err != nil {
			return false, fmt.Errorf("attempt to delete %s: %w", describe(v.key), err)
		}
		gr = info.gr
	}
	latest, err := c.store.Get(ctx, gr, v.key.Namespace, v.key.Name, store.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		c.graph.virtualDelete(v.key)
		return false, nil
	case err != nil:
		return false, fmt.Errorf("attempt to delete %s: get: %w", describe(v.key), err)
	}
	lm := latest.GetObjectMeta()
	if lm.UID != uid {
		c.graph.virtualDelete(v.key)
		return false, nil
	}
	if v.deletingDependents {
		if lm.DeletionTimestamp == nil || !hasFinalizer(lm, FinalizerForeground) {
			return false, nil // the graph is behind: its next update decides
		}
		return false, c.processDeletingDependents(ctx, gr, lm, v)
	}
	if lm.DeletionTimestamp != nil {
		// Being deleted already (the graph may not have seen it yet): deleting it again with
		// another policy would change how its own dependents are treated.
		return !v.observed, nil
	}
	if len(lm.OwnerReferences) == 0 {
		return !v.observed, nil
	}
	solid, dangling, waiting, err := c.classify(ctx, latest)
	if errors.Is(err, errNamespacedOwnerOfClusterScoped) {
		c.log.V(1).Info("cluster-scoped object refers to a namespaced owner, leaving it alone", "object", describe(v.key), "err", err)
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("attempt to delete %s: %w", describe(v.key), err)
	}
	log := c.log.WithValues("object", describe(v.key))
	switch {
	case len(solid) > 0:
		if len(dangling) == 0 && len(waiting) == 0 {
			return !v.observed, nil
		}
		// Owners that are gone, and owners waiting for their dependents to go (which this
		// object, kept by another owner, never will), are removed from its references.
		drop := map[meta.UID]bool{}
		for _, r := range slices.Concat(dangling, waiting) {
			drop[r.UID] = true
		}
		log.V(2).Info("removing references to owners that are gone or waiting", "remove", len(drop), "kept", len(solid))
		return !v.observed, c.removeOwnerRefs(ctx, gr, lm.Namespace, lm.Name, uid, drop)
	case len(waiting) > 0 && v.dependents > 0:
		// An owner is being deleted in the foreground and this object has dependents of its
		// own: delete it in the foreground too, so the owner waits for the whole subtree.
		if v.dependentDeletingDependents {
			// A dependent of this object waits for it too: a cycle of blocking references
			// would wait forever, so this object stops blocking its owners.
			log.V(2).Info("unblocking owner references to break a foreground deletion cycle")
			updated, err := c.unblockOwnerRefs(ctx, gr, lm.Namespace, lm.Name, uid, "")
			if err != nil || updated == nil {
				return false, err
			}
			lm = updated.GetObjectMeta()
		}
		log.V(2).Info("deleting object in the foreground, an owner waits for it")
		return !v.observed, c.deleteObject(ctx, gr, lm, meta.DeletePropagationForeground)
	default:
		// No owner is left (or the ones left wait for this object, which has no dependents):
		// delete it, propagating as its own finalizers ask.
		policy := meta.DeletePropagationBackground
		switch {
		case hasFinalizer(lm, FinalizerOrphan):
			policy = meta.DeletePropagationOrphan
		case hasFinalizer(lm, FinalizerForeground):
			policy = meta.DeletePropagationForeground
		}
		log.V(2).Info("deleting object, no owner is left", "propagation", policy)
		return !v.observed, c.deleteObject(ctx, gr, lm, policy)
	}
}

// classify sorts the owner references of obj: solid (the owner exists and is not deleting its
// dependents in the foreground), dangling (the owner is gone, or another object has its name)
// and waiting (the owner is deleting its dependents in the foreground).
func (c *Controller) classify(ctx context.Context, obj runtime.MetaObject) (solid, dangling, waiting []meta.OwnerReference, err error) {
	m := obj.GetObjectMeta()
	for _, ref := range m.OwnerReferences {
		key := c.graph.refKey(m.Namespace, ref)
		info, err := c.resolve(key.Group, key.Kind)
		if err != nil {
			return nil, nil, nil, err
		}
		if info.namespaced && m.Namespace == "" {
			c.event(obj, ref, "is namespaced, but the object is cluster-scoped")
			return nil, nil, nil, fmt.Errorf("%w: %s", errNamespacedOwnerOfClusterScoped, describe(key))
		}
		if c.absent.has(key) {
			dangling = append(dangling, ref)
			continue
		}
		owner, err := c.store.Get(ctx, info.gr, key.Namespace, key.Name, store.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			c.ownerAbsent(obj, key, ref)
			dangling = append(dangling, ref)
			continue
		case err != nil:
			return nil, nil, nil, fmt.Errorf("get owner %s: %w", describe(key), err)
		}
		om := owner.GetObjectMeta()
		switch {
		case om.UID != ref.UID:
			c.ownerAbsent(obj, key, ref)
			dangling = append(dangling, ref)
		case om.DeletionTimestamp != nil && hasFinalizer(om, FinalizerForeground):
			waiting = append(waiting, ref)
		default:
			solid = append(solid, ref)
		}
	}
	return solid, dangling, waiting, nil
}

// ownerAbsent remembers that key is absent and, when the owner's UID lives in another
// namespace, reports the invalid cross-namespace reference.
func (c *Controller) ownerAbsent(obj runtime.MetaObject, key ownerKey, ref meta.OwnerReference) {
	c.absent.add(key)
	if ns, ok := c.graph.observedNamespace(key.UID); ok && key.Namespace != "" && ns != key.Namespace {
		c.event(obj, ref, fmt.Sprintf("does not exist in namespace %q", key.Namespace))
	}
}

func (c *Controller) event(obj runtime.MetaObject, ref meta.OwnerReference, what string) {
	if c.recorder == nil {
		return
	}
	c.recorder.Eventf(obj, "Warning", "OwnerRefInvalidNamespace",
		"ownerRef [%s/%s, namespace: %s, name: %s, uid: %s] %s",
		ref.APIVersion, ref.Kind, obj.GetObjectMeta().Namespace, ref.Name, ref.UID, what)
}

// processDeletingDependents advances the foreground deletion of an owner: it removes the
// foregroundDeletion finalizer once no blocking dependent is left, and otherwise asks for the
// deletion of the blocking dependents.
func (c *Controller) processDeletingDependents(ctx context.Context, gr schema.GroupResource, m *meta.ObjectMeta, v deleteView) error {
	if len(v.blocking) == 0 {
		c.log.V(2).Info("no blocking dependent is left, removing the foreground finalizer", "object", describe(v.key))
		return c.removeFinalizer(ctx, gr, m.Namespace, m.Name, m.UID, FinalizerForeground)
	}
	var errs []error
	for _, d := range v.blocking {
		switch {
		case d.cycle:
			// The dependent waits for this owner while the owner waits for it (their
			// foreground deletions started before either could see the other's): its
			// reference stops blocking, so the owner can go, and then the dependent.
			c.log.V(2).Info("unblocking a dependent's reference to break a foreground deletion cycle", "object", describe(v.key), "dependent", d.uid)
			dep, ok := c.graph.locate(d.uid)
			if !ok {
				continue
			}
			if _, err := c.unblockOwnerRefs(ctx, dep.gr, dep.namespace, dep.name, dep.uid, m.UID); err != nil {
				errs = append(errs, err)
			}
		case !d.deletingDependents:
			c.deleteQueue.Add(d.uid)
		}
	}
	return errors.Join(errs...)
}

// attemptToOrphan processes an owner deleted with the orphan finalizer: it removes the
// references to it from every dependent, then the finalizer.
func (c *Controller) attemptToOrphan(ctx context.Context, uid meta.UID) (bool, error) {
	key, gr, deps, ok := c.graph.orphanView(uid)
	if !ok {
		return false, nil
	}
	owner, err := c.store.Get(ctx, gr, key.Namespace, key.Name, store.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("orphan dependents of %s: get: %w", describe(key), err)
	}
	om := owner.GetObjectMeta()
	if om.UID != uid || !hasFinalizer(om, FinalizerOrphan) {
		return false, nil
	}
	c.log.V(2).Info("orphaning dependents", "object", describe(key), "dependents", len(deps))
	// The dependents are updated in parallel, a bounded number at a time.
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		sem  = make(chan struct{}, orphanParallelism)
		drop = map[meta.UID]bool{uid: true}
	)
	for _, d := range deps {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := c.removeOwnerRefs(ctx, d.gr, d.namespace, d.name, d.uid, drop); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return false, fmt.Errorf("orphan dependents of %s: %w", describe(key), err)
	}
	return false, c.removeFinalizer(ctx, gr, key.Namespace, key.Name, uid, FinalizerOrphan)
}

// removeOwnerRefs removes the references to the owners in drop from the object, if it still
// has uid.
func (c *Controller) removeOwnerRefs(ctx context.Context, gr schema.GroupResource, ns, name string, uid meta.UID, drop map[meta.UID]bool) error {
	_, err := c.store.GuaranteedUpdate(ctx, gr, ns, name, func(cur runtime.MetaObject) (runtime.MetaObject, error) {
		m := cur.GetObjectMeta()
		m.OwnerReferences = slices.DeleteFunc(m.OwnerReferences, func(r meta.OwnerReference) bool { return drop[r.UID] })
		if len(m.OwnerReferences) == 0 {
			m.OwnerReferences = nil
		}
		return cur, nil
	}, store.UpdateOptions{Preconditions: uidPrecondition(uid)})
	if err = ignoreGone(err); err != nil {
		return fmt.Errorf("remove owner references from %s %s/%s: %w", gr, ns, name, err)
	}
	return nil
}

// unblockOwnerRefs sets blockOwnerDeletion to false on the owner references of the object to
// owner, or on all of them when owner is empty.
// It returns the updated object, or nil when the object is gone.
func (c *Controller) unblockOwnerRefs(ctx context.Context, gr schema.GroupResource, ns, name string, uid, owner meta.UID) (runtime.MetaObject, error) {
	out, err := c.store.GuaranteedUpdate(ctx, gr, ns, name, func(cur runtime.MetaObject) (runtime.MetaObject, error) {
		m := cur.GetObjectMeta()
		for i := range m.OwnerReferences {
			if (owner == "" || m.OwnerReferences[i].UID == owner) && isTrue(m.OwnerReferences[i].BlockOwnerDeletion) {
				f := false
				m.OwnerReferences[i].BlockOwnerDeletion = &f
			}
		}
		return cur, nil
	}, store.UpdateOptions{Preconditions: uidPrecondition(uid)})
	if err != nil {
		if err = ignoreGone(err); err != nil {
			return nil, fmt.Errorf("unblock owner references of %s %s/%s: %w", gr, ns, name, err)
		}
		return nil, nil
	}
	return out, nil
}

// removeFinalizer removes finalizer from the object, if it still has uid.
func (c *Controller) removeFinalizer(ctx context.Context, gr schema.GroupResource, ns, name string, uid meta.UID, finalizer string) error {
	_, err := c.store.GuaranteedUpdate(ctx, gr, ns, name, func(cur runtime.MetaObject) (runtime.MetaObject, error) {
		m := cur.GetObjectMeta()
		m.Finalizers = slices.DeleteFunc(m.Finalizers, func(f string) bool { return f == finalizer })
		if len(m.Finalizers) == 0 {
			m.Finalizers = nil
		}
		return cur, nil
	}, store.UpdateOptions{Preconditions: uidPrecondition(uid)})
	if err = ignoreGone(err); err != nil {
		return fmt.Errorf("remove finalizer %q from %s %s/%s: %w", finalizer, gr, ns, name, err)
	}
	return nil
}

// deleteObject deletes the object m describes if it has not changed since it was read (its
// UID and resourceVersion as preconditions): the decision was made on that state. A changed
// object is an error, so the item is looked at again on the new state; a gone one is not.
func (c *Controller) deleteObject(ctx context.Context, gr schema.GroupResource, m *meta.ObjectMeta, policy meta.DeletionPropagation) error {
	uid, rv := m.UID, m.ResourceVersion
	pre := &meta.Preconditions{UID: &uid}
	if rv != "" {
		pre.ResourceVersion = &rv
	}
	_, err := c.store.Delete(ctx, gr, m.Namespace, m.Name, store.DeleteOptions{Preconditions: pre, PropagationPolicy: &policy})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete %s %s/%s: %w", gr, m.Namespace, m.Name, err)
	}
	return nil
}

func describe(k ownerKey) string {
	gk := schema.GroupKind{Group: k.Group, Kind: k.Kind}.String()
	if k.Namespace == "" {
		return fmt.Sprintf("%s %s (uid %s)", gk, k.Name, k.UID)
	}
	return fmt.Sprintf("%s %s/%s (uid %s)", gk, k.Namespace, k.Name, k.UID)
}
