package deployment

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/go-logr/logr"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
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

// DefaultWorkers is the number of Deployments reconciled at once when Options.Workers is 0
// (Kubernetes' --concurrent-deployment-syncs default).
const DefaultWorkers = 5

// The resources the controller reads and writes.
var (
	deploymentsGR      = schema.GroupResource{Group: appsv1.GroupName, Resource: "deployments"}
	deploymentStatusGR = schema.GroupResource{Group: appsv1.GroupName, Resource: "deployments/status"}
	replicaSetsGR      = schema.GroupResource{Group: appsv1.GroupName, Resource: "replicasets"}
	podsGR             = schema.GroupResource{Resource: "pods"}
	deploymentKind     = appsv1.SchemeGroupVersion().WithKind("Deployment")
)

// EventRecorder records Events about objects; *record.Recorder is one.
type EventRecorder interface {
	Eventf(obj runtime.MetaObject, eventType, reason, format string, args ...any)
}

// Options configure a Controller. The zero value of every field is a documented default.
type Options struct {
	// Workers is the number of Deployments reconciled at once (never one Deployment by two
	// workers). Default DefaultWorkers; negative is invalid.
	Workers int
	// Clock is the time source of conditions, progress deadlines and the queue. Default: the
	// real clock.
	Clock clock.Clock
	// Logger receives the controller's logs. Default: discard.
	Logger logr.Logger
	// Scheme maps the kinds the controller watches to resources. Default: apis.NewScheme().
	Scheme *runtime.Scheme
	// Recorder records the Events Kubernetes' deployment controller records (ScalingReplicaSet,
	// SelectingAll, ...). Default: none.
	Recorder EventRecorder
	// Metrics and QueueMetrics receive the metrics of the controller and its queue. Default:
	// none.
	Metrics      controller.MetricsProvider
	QueueMetrics workqueue.MetricsProvider
}

// Controller turns Deployments into ReplicaSets. Create it with New and run it with Run.
type Controller struct {
	ctl *controller.Controller[controller.Request]

	deployments store.Typed[*appsv1.Deployment]
	status      store.Typed[*appsv1.Deployment]
	replicaSets store.Typed[*appsv1.ReplicaSet]

	dLister   informer.Lister[*appsv1.Deployment]
	rsLister  informer.Lister[*appsv1.ReplicaSet]
	podLister informer.Lister[*corev1.Pod]
	rsInf     *informer.Informer[*appsv1.ReplicaSet]
	dInf      *informer.Informer[*appsv1.Deployment]

	clock  clock.Clock
	log    logr.Logger
	events EventRecorder

	mu        sync.Mutex
	lastWrite map[controller.Request]writeMark
}

// writeMark holds the revisions of a reconcile's last writes of ReplicaSets and of the
// Deployment itself: the next reconcile of that Deployment waits for the caches to reach them.
type writeMark struct{ rs, d int64 }

// New builds the deployment controller on the shared informers of f (Deployments, ReplicaSets
// and Pods) and writes through s, which should be the registry-wrapped store so that
// "deployments/status" is the status subresource. Starting f (or the manager that owns it) and
// calling Run are the caller's.
func New(f *informer.Factory, s store.Interface, opts Options) (*Controller, error) {
	var errs []error
	if f == nil {
		errs = append(errs, errors.New("nil informer factory"))
	}
	if s == nil {
		errs = append(errs, errors.New("nil store"))
	}
	if opts.Workers < 0 {
		errs = append(errs, fmt.Errorf("workers %d is negative", opts.Workers))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("new deployment controller: %w: %w", ErrInvalidOptions, errors.Join(errs...))
	}
	if opts.Workers == 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real()
	}
	if opts.Scheme == nil {
		sc, err := apis.NewScheme()
		if err != nil {
			return nil, fmt.Errorf("new deployment controller: scheme: %w", err)
		}
		opts.Scheme = sc
	}
	if opts.Recorder == nil {
		opts.Recorder = discardEvents{}
	}
	c := &Controller{
		deployments: store.For[*appsv1.Deployment](s, deploymentsGR),
		status:      store.For[*appsv1.Deployment](s, deploymentStatusGR),
		replicaSets: store.For[*appsv1.ReplicaSet](s, replicaSetsGR),
		clock:       opts.Clock,
		log:         opts.Logger,
		events:      opts.Recorder,
		lastWrite:   map[controller.Request]writeMark{},
	}
	dInf, err := informer.Shared[*appsv1.Deployment](f, deploymentsGR, informer.Scope{})
	if err != nil {
		return nil, fmt.Errorf("new deployment controller: %w", err)
	}
	rsInf, err := informer.Shared[*appsv1.ReplicaSet](f, replicaSetsGR, informer.Scope{})
	if err != nil {
		return nil, fmt.Errorf("new deployment controller: %w", err)
	}
	podInf, err := informer.Shared[*corev1.Pod](f, podsGR, informer.Scope{})
	if err != nil {
		return nil, fmt.Errorf("new deployment controller: %w", err)
	}
	c.dLister, c.rsLister, c.podLister, c.rsInf, c.dInf = dInf.Lister(), rsInf.Lister(), podInf.Lister(), rsInf, dInf
	ctl, err := controller.NewBuilder(f, opts.Scheme).
		Named("deployment").
		For(controller.Object[*appsv1.Deployment]()).
		Owns(controller.Object[*appsv1.ReplicaSet]()).
		Watches(controller.Object[*appsv1.ReplicaSet](), controller.MapFunc(c.orphanOwners)).
		WithOptions(controller.Options[controller.Request]{
			Workers: opts.Workers, Clock: opts.Clock, Logger: opts.Logger,
			Metrics: opts.Metrics, QueueMetrics: opts.QueueMetrics,
		}).
		Build(c)
	if err != nil {
		return nil, fmt.Errorf("new deployment controller: %w", err)
	}
	c.ctl = ctl
	// A Recreate rollout waits for the old pods to be gone; their deletion wakes it up.
	reg, err := podInf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{DeleteFunc: c.podDeleted}, informer.HandlerOptions{})
	if err != nil {
		return nil, fmt.Errorf("new deployment controller: pods: %w", err)
	}
	ctl.WaitFor("pods", reg)
	return c, nil
}

// Run waits for the caches, then reconciles Deployments until ctx is done. It returns only
// once every worker has stopped.
func (c *Controller) Run(ctx context.Context) error { return c.ctl.Run(ctx) }

// CacheSyncers names the caches Run waits for (the manager waits for them before leading).
func (c *Controller) CacheSyncers() map[string]informer.Syncer { return c.ctl.CacheSyncers() }

// orphanOwners maps a ReplicaSet without controller to the Deployments of its namespace whose
// selector matches it, so one of them adopts it.
func (c *Controller) orphanOwners(rs *appsv1.ReplicaSet) []controller.Request {
	if meta.ControllerRef(&rs.ObjectMeta) != nil {
		return nil
	}
	var reqs []controller.Request
	for _, d := range c.dLister.Namespace(rs.Namespace).List(nil) {
		sel, err := labels.LabelSelectorAsSelector(d.Spec.Selector)
		if err != nil || sel.Empty() || !sel.Matches(labels.Set(rs.Labels)) {
			continue
		}
		reqs = append(reqs, controller.Request{Namespace: d.Namespace, Name: d.Name})
	}
	return reqs
}

// podDeleted wakes the Recreate Deployment whose ReplicaSet controlled the deleted pod.
func (c *Controller) podDeleted(del informer.Deleted[*corev1.Pod]) {
	pod := del.Object
	ref := meta.ControllerRef(&pod.ObjectMeta)
	if ref == nil || ref.Kind != "ReplicaSet" {
		return
	}
	rs, ok := c.rsLister.Namespace(pod.Namespace).Get(ref.Name)
	if !ok || rs.UID != ref.UID {
		return
	}
	dref := meta.ControllerRef(&rs.ObjectMeta)
	if dref == nil || dref.Kind != deploymentKind.Kind {
		return
	}
	d, ok := c.dLister.Namespace(rs.Namespace).Get(dref.Name)
	if !ok || d.UID != dref.UID || d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		return
	}
	c.ctl.Enqueue(controller.Request{Namespace: d.Namespace, Name: d.Name})
}

// wrote remembers that the cache of obj's resource (the Deployments' when deployment is set,
// else the ReplicaSets') must reach obj's revision before req is reconciled again, so a
// reconcile never acts on a cache older than its own writes.
func (c *Controller) wrote(req controller.Request, obj runtime.MetaObject, deployment bool) {
	rev, err := strconv.ParseInt(obj.GetObjectMeta().ResourceVersion, 10, 64)
	if err != nil {
		return
	}
	c.mu.Lock()
	m := c.lastWrite[req]
	if deployment {
		m.d = max(m.d, rev)
	} else {
		m.rs = max(m.rs, rev)
	}
	c.lastWrite[req] = m
	c.mu.Unlock()
}

func (c *Controller) mark(req controller.Request) writeMark {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastWrite[req]
}

// forget drops what wrote remembered about a Deployment that is gone.
func (c *Controller) forget(req controller.Request) {
	c.mu.Lock()
	delete(c.lastWrite, req)
	c.mu.Unlock()
}

var _ controller.Reconciler[controller.Request] = (*Controller)(nil)

type discardEvents struct{}

func (discardEvents) Eventf(runtime.MetaObject, string, string, string, ...any) {}
