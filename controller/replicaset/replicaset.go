package replicaset

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/go-logr/logr"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/workqueue"
)

// Defaults of Options.
const (
	// DefaultWorkers is the number of ReplicaSets synced at once (kube-controller-manager's
	// --concurrent-replicaset-syncs).
	DefaultWorkers = 5
	// DefaultBurstReplicas caps the pods one sync creates or deletes.
	DefaultBurstReplicas = 500
)

// Name is the controller's name in logs, metrics and its queue, and the component of its
// events.
const Name = "replicaset-controller"

// Resources the controller reads and writes.
var (
	replicaSetsResource      = schema.GroupResource{Group: appsv1.GroupName, Resource: "replicasets"}
	replicaSetStatusResource = schema.GroupResource{Group: appsv1.GroupName, Resource: "replicasets/status"}
	podsResource             = schema.GroupResource{Resource: "pods"}
)

// kind is the GroupVersionKind of ReplicaSet, written into the controller references of pods.
func kind() schema.GroupVersionKind { return appsv1.SchemeGroupVersion().WithKind("ReplicaSet") }

// EventRecorder records Events about objects; *record.Recorder is one.
type EventRecorder interface {
	Eventf(obj runtime.MetaObject, eventType, reason, format string, args ...any)
}

// Options configure a Controller. The zero value of every field is its documented default.
type Options struct {
	// Workers is the number of ReplicaSets synced at once (never one twice at once). Default
	// DefaultWorkers; negative is invalid.
	Workers int
	// BurstReplicas caps the number of pods one sync creates or deletes; the rest follow in
	// the next syncs, once the cache has seen these. Default DefaultBurstReplicas; negative
	// is invalid.
	BurstReplicas int
	// ExpectationsTTL is how long the controller waits for its cache to see the pods it
	// created or deleted before it assumes the events were lost and counts again. Default
	// controller.DefaultExpectationsTTL; negative is invalid.
	ExpectationsTTL time.Duration
	// Clock is the time source (availability, expectations, requeues, backoff). Default the
	// real clock.
	Clock clock.Clock
	// Logger receives the controller's logs. Default discard.
	Logger logr.Logger
	// Recorder, when set, receives the Events Kubernetes records: SuccessfulCreate,
	// SuccessfulDelete, FailedCreate and FailedDelete about the ReplicaSet.
	Recorder EventRecorder
	// RateLimiter is the backoff of ReplicaSets whose sync failed. Default
	// workqueue.DefaultControllerRateLimiter.
	RateLimiter workqueue.RateLimiter[controller.Request]
	// Metrics and QueueMetrics receive the controller's and its queue's metrics. Default none.
	Metrics      controller.MetricsProvider
	QueueMetrics workqueue.MetricsProvider
}

// Controller keeps the pods of every ReplicaSet matching its spec. Create it with New and run
// it with Run.
type Controller struct {
	ctl      *controller.Controller[controller.Request]
	rsLister informer.Lister[*appsv1.ReplicaSet]
	pods     informer.Lister[*corev1.Pod]

	podClient    store.Typed[*corev1.Pod]
	rsClient     store.Typed[*appsv1.ReplicaSet]
	statusClient store.Typed[*appsv1.ReplicaSet]

	exp      *controller.Expectations
	burst    int
	clock    clock.Clock
	log      logr.Logger
	recorder EventRecorder

	// deleting tracks, per ReplicaSet key, the pods whose deletion is expected, so that a pod
	// observed twice (deletionTimestamp set, then gone) lowers the expectations once.
	mu       sync.Mutex
	deleting map[string]map[string]struct{}

	// podIndexed says whether the pod informer has the podOwnerIndex (tests may clear it to
	// measure the namespace scan).
	podIndexed bool

	// podEventDone, when set (by tests, before the informers start), is called after the
	// pod handler processed the event about p.
	podEventDone func(p *corev1.Pod)
}

var _ controller.Reconciler[controller.Request] = (*Controller)(nil)

// New returns a ReplicaSet controller that reads ReplicaSets and pods through shared
// informers of f and writes pods and ReplicaSet status to s. It adds its event handlers to
// f's informers; starting f (or the manager that owns it) is the caller's.
func New(f *informer.Factory, s store.Interface, opts Options) (*Controller, error) {
	switch {
	case f == nil:
		return nil, fmt.Errorf("new replicaset controller: %w: nil informer factory", controller.ErrInvalidOptions)
	case s == nil:
		return nil, fmt.Errorf("new replicaset controller: %w: nil store", controller.ErrInvalidOptions)
	case opts.Workers < 0:
		return nil, fmt.Errorf("new replicaset controller: %w: workers %d is negative", controller.ErrInvalidOptions, opts.Workers)
	case opts.BurstReplicas < 0:
		return nil, fmt.Errorf("new replicaset controller: %w: burst replicas %d is negative", controller.ErrInvalidOptions, opts.BurstReplicas)
	case opts.ExpectationsTTL < 0:
		return nil, fmt.Errorf("new replicaset controller: %w: expectations ttl %v is negative", controller.ErrInvalidOptions, opts.ExpectationsTTL)
	}
	if opts.Workers == 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.BurstReplicas == 0 {
		opts.BurstReplicas = DefaultBurstReplicas
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real()
	}
	log := opts.Logger
	if log.GetSink() == nil {
		log = logr.Discard()
	}
	c := &Controller{
		podClient:    store.For[*corev1.Pod](s, podsResource),
		rsClient:     store.For[*appsv1.ReplicaSet](s, replicaSetsResource),
		statusClient: store.For[*appsv1.ReplicaSet](s, replicaSetStatusResource),
		exp:          controller.NewExpectations(opts.Clock, opts.ExpectationsTTL),
		burst:        opts.BurstReplicas,
		clock:        opts.Clock,
		log:          log.WithValues("controller", Name),
		recorder:     opts.Recorder,
		deleting:     map[string]map[string]struct{}{},
	}
	ctl, err := controller.New[controller.Request](c, controller.Options[controller.Request]{
		Name:         Name,
		Workers:      opts.Workers,
		RateLimiter:  opts.RateLimiter,
		Clock:        opts.Clock,
		Metrics:      opts.Metrics,
		QueueMetrics: opts.QueueMetrics,
		Logger:       log,
	})
	if err != nil {
		return nil, fmt.Errorf("new replicaset controller: %w", err)
	}
	c.ctl = ctl
	rsInf, err := informer.Shared[*appsv1.ReplicaSet](f, replicaSetsResource, informer.Scope{})
	if err != nil {
		return nil, fmt.Errorf("new replicaset controller: replicaset informer: %w", err)
	}
	podInf, err := informer.Shared[*corev1.Pod](f, podsResource, informer.Scope{})
	if err != nil {
		return nil, fmt.Errorf("new replicaset controller: pod informer: %w", err)
	}
	c.rsLister = rsInf.Lister()
	c.pods = podInf.Lister()
	// Index pods by controlling ReplicaSet and orphans by namespace, so a sync reads its own
	// pods and the candidates for adoption instead of its whole namespace. An informer that
	// already runs cannot take an index: then syncs scan the namespace.
	switch err := podInf.AddIndexers(map[string]informer.IndexFunc[*corev1.Pod]{podOwnerIndex: podOwnerKeys}); {
	case err == nil:
		c.podIndexed = true
	case errors.Is(err, informer.ErrStarted):
		c.log.V(1).Info("pod informer already running; syncs scan the namespace")
	default:
		// The index exists: another controller of this package shares the informer.
		_, lerr := c.pods.IndexValues(podOwnerIndex)
		c.podIndexed = lerr == nil
	}
	rsReg, err := rsInf.AddHandler(informer.HandlerFuncs[*appsv1.ReplicaSet]{
		AddFunc:    c.addReplicaSet,
		UpdateFunc: c.updateReplicaSet,
		DeleteFunc: c.deleteReplicaSet,
	}, informer.HandlerOptions{})
	if err != nil {
		return nil, fmt.Errorf("new replicaset controller: replicaset handler: %w", err)
	}
	podReg, err := podInf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{
		AddFunc:    c.addPod,
		UpdateFunc: c.updatePod,
		DeleteFunc: c.deletePod,
	}, informer.HandlerOptions{})
	if err != nil {
		_ = rsInf.RemoveHandler(rsReg)
		return nil, fmt.Errorf("new replicaset controller: pod handler: %w", err)
	}
	ctl.WaitFor("replicasets", rsReg)
	ctl.WaitFor("pods", podReg)
	return c, nil
}

// Run waits for the caches, then syncs ReplicaSets until ctx is done. It returns once every
// worker has stopped: nil after a normal stop, an error when the caches did not sync or Run
// was called twice.
func (c *Controller) Run(ctx context.Context) error { return c.ctl.Run(ctx) }

// CacheSyncers returns the informer handlers Run waits for, so a manager can wait for them
// before starting anything.
func (c *Controller) CacheSyncers() map[string]informer.Syncer { return c.ctl.CacheSyncers() }

// Reconcile syncs one ReplicaSet: it claims the pods its selector matches, creates or
// deletes pods towards spec.replicas when its expectations are satisfied and it is not being
// deleted, and writes its status. Run calls it from its workers; it is exported so that a
// caller can drive the controller synchronously (tests, tools). It reads from the informer
// caches, which must have synced.
func (c *Controller) Reconcile(ctx context.Context, req controller.Request) (controller.Result, error) {
	key := req.String()
	rs, ok := c.rsLister.Namespace(req.Namespace).Get(req.Name)
	if !ok {
		c.forget(key)
		return controller.Result{}, nil
	}
	sel, err := labels.LabelSelectorAsSelector(rs.Spec.Selector)
	if err != nil {
		return controller.Result{}, controller.Terminal(fmt.Errorf("sync replicaset %s: selector: %w", key, err))
	}
	// The API server's validation refuses these; a store without it must not make the
	// controller adopt a whole namespace or create pods it releases at once, forever.
	switch {
	case sel.Empty():
		return controller.Result{}, controller.Terminal(fmt.Errorf("sync replicaset %s: %w: empty selector", key, ErrInvalidSpec))
	case !sel.Matches(labels.Set(rs.Spec.Template.Labels)):
		return controller.Result{}, controller.Terminal(fmt.Errorf("sync replicaset %s: %w: selector %q does not match the template labels", key, ErrInvalidSpec, sel))
	}
	needsSync := c.exp.Satisfied(key) && rs.DeletionTimestamp == nil

	var active []*corev1.Pod
	for _, p := range c.candidates(rs) {
		if isActive(p) {
			active = append(active, p)
		}
	}
	uid := rs.UID
	claimed, err := controller.ClaimChildren(ctx, c.podClient, controller.Claim{
		Owner:    rs,
		Kind:     kind(),
		Selector: sel,
		CanAdopt: func(ctx context.Context) error {
			fresh, err := c.rsClient.Get(ctx, rs.Namespace, rs.Name, store.GetOptions{})
			if err != nil {
				return fmt.Errorf("recheck replicaset: %w", err)
			}
			if fresh.UID != uid {
				return fmt.Errorf("replicaset %s was recreated (uid %s, want %s): %w", key, fresh.UID, uid, errOwnerGone)
			}
			if fresh.DeletionTimestamp != nil {
				return fmt.Errorf("replicaset %s is being deleted: %w", key, errOwnerGone)
			}
			return nil
		},
	}, active)
	if err != nil {
		return controller.Result{}, fmt.Errorf("sync replicaset %s: claim pods: %w", key, err)
	}

	var manageErr error
	var creating bool
	if needsSync {
		creating, manageErr = c.manage(ctx, rs, claimed)
	}
	st, next := calculateStatus(rs, claimed, manageErr, creating, c.clock.Now())
	if err := c.writeStatus(ctx, rs, st); err != nil {
		return controller.Result{}, errors.Join(manageErr, fmt.Errorf("sync replicaset %s: %w", key, err))
	}
	if manageErr != nil {
		return controller.Result{}, fmt.Errorf("sync replicaset %s: %w", key, manageErr)
	}
	return controller.Result{RequeueAfter: next}, nil
}

// ErrInvalidSpec is wrapped by the (terminal) error of a sync of a ReplicaSet whose selector
// is empty or does not match its template's labels; the API server's validation refuses such
// ReplicaSets.
var ErrInvalidSpec = errors.New("invalid replicaset spec")

// errOwnerGone is the cause of a refused adoption.
var errOwnerGone = errors.New("owner changed")

// writeStatus writes st to rs through the status subresource, unless the cached status
// already says the same.
func (c *Controller) writeStatus(ctx context.Context, rs *appsv1.ReplicaSet, st appsv1.ReplicaSetStatus) error {
	if reflect.DeepEqual(rs.Status, st) {
		return nil
	}
	uid := rs.UID
	_, err := c.statusClient.GuaranteedUpdate(ctx, rs.Namespace, rs.Name, func(cur *appsv1.ReplicaSet) (*appsv1.ReplicaSet, error) {
		cur.Status = *st.DeepCopy()
		return cur, nil
	}, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &uid}})
	switch {
	case err == nil:
		return nil
	case apierrors.IsNotFound(err), apierrors.IsConflict(err):
		// Deleted, or deleted and recreated: the new one gets its own sync.
		return nil
	default:
		return fmt.Errorf("update status: %w", err)
	}
}

func (c *Controller) event(rs *appsv1.ReplicaSet, eventType, reason, format string, args ...any) {
	if c.recorder != nil {
		c.recorder.Eventf(rs, eventType, reason, format, args...)
	}
}
