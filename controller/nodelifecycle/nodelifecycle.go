package nodelifecycle

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
)

// Resources this controller reads and writes.
var (
	nodesGR      = schema.GroupResource{Resource: "nodes"}
	nodeStatusGR = schema.GroupResource{Resource: "nodes/status"}
	podsGR       = schema.GroupResource{Resource: "pods"}
	podStatusGR  = schema.GroupResource{Resource: "pods/status"}
	leasesGR     = schema.GroupResource{Group: coordinationv1.GroupName, Resource: "leases"}
)

// podsByNode is the name of the index this controller adds to the shared pod informer. It is
// prefixed with the package so it never collides with another component's index.
const podsByNode = "nodelifecycle.spec.nodeName"

// Controller is the node lifecycle controller. Create it with New and run it with Run.
type Controller struct {
	opts  Options
	clock clock.Clock
	log   logr.Logger

	nodes      store.Typed[*corev1.Node]
	nodeStatus store.Typed[*corev1.Node]
	pods       store.Typed[*corev1.Pod]
	podStatus  store.Typed[*corev1.Pod]

	nodeInf  *informer.Informer[*corev1.Node]
	leaseInf *informer.Informer[*coordinationv1.Lease]
	podInf   *informer.Informer[*corev1.Pod]

	// evictor is the taint-based eviction (Kubernetes' NoExecute taint manager): one item
	// per pod.
	evictor *controller.Controller[controller.Request]
	// tainter keeps the NoSchedule condition taints of each node in line with its conditions.
	tainter *controller.Controller[controller.Request]

	started atomic.Bool

	// mu guards the monitor state: node health, zones, the disruption mode.
	mu             sync.Mutex
	health         map[string]*nodeHealth
	zones          map[string]*zone
	fullDisruption bool
	retryPods      map[string]bool // nodes whose pods could not all be marked not ready

	// emu guards evictions: when the eviction clock of each pod started.
	emu        sync.Mutex
	evictStart map[controller.Request]evictionStart

	// passed, when set (by tests, before Run), is called after every pass of the monitor
	// loop with the time the pass started.
	passed func(at time.Time)
}

// New returns a node lifecycle controller that reads nodes, node Leases (namespace
// kube-node-lease) and pods through shared informers of f, and writes through s: node status
// through "nodes/status", taints through "nodes", pod conditions through "pods/status", and
// evictions as pod deletes. Call it before f is started: it adds an index to the pod informer.
func New(f *informer.Factory, s store.Interface, opts Options) (*Controller, error) {
	if f == nil || s == nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w: nil factory or store", ErrInvalidOptions)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Controller{
		opts:       opts,
		clock:      opts.Clock,
		log:        opts.Logger.WithName("nodelifecycle"),
		nodes:      store.For[*corev1.Node](s, nodesGR),
		nodeStatus: store.For[*corev1.Node](s, nodeStatusGR),
		pods:       store.For[*corev1.Pod](s, podsGR),
		podStatus:  store.For[*corev1.Pod](s, podStatusGR),
		health:     map[string]*nodeHealth{},
		zones:      map[string]*zone{},
		retryPods:  map[string]bool{},
		evictStart: map[controller.Request]evictionStart{},
	}
	if c.nodeInf, err = informer.Shared[*corev1.Node](f, nodesGR, informer.Scope{}); err != nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w", err)
	}
	if c.leaseInf, err = informer.Shared[*coordinationv1.Lease](f, leasesGR, informer.Scope{Namespace: corev1.NamespaceNodeLease}); err != nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w", err)
	}
	if c.podInf, err = informer.Shared[*corev1.Pod](f, podsGR, informer.Scope{}); err != nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w", err)
	}
	if err := c.podInf.AddIndexers(map[string]informer.IndexFunc[*corev1.Pod]{podsByNode: podNodeName}); err != nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w", err)
	}
	c.evictor, err = controller.New[controller.Request](controller.Func[controller.Request](c.reconcilePod), controller.Options[controller.Request]{
		Name:         "nodelifecycle-eviction",
		Workers:      opts.Workers,
		Clock:        opts.Clock,
		Logger:       c.log,
		Metrics:      opts.Metrics,
		QueueMetrics: opts.QueueMetrics,
	})
	if err != nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w", err)
	}
	c.tainter, err = controller.New[controller.Request](controller.Func[controller.Request](c.reconcileNode), controller.Options[controller.Request]{
		Name:         "nodelifecycle-noschedule",
		Workers:      opts.Workers,
		Clock:        opts.Clock,
		Logger:       c.log,
		Metrics:      opts.Metrics,
		QueueMetrics: opts.QueueMetrics,
	})
	if err != nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w", err)
	}
	podReg, err := c.podInf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{
		AddFunc: func(p *corev1.Pod, initial bool) {
			if p.Spec.NodeName == "" {
				return
			}
			if initial {
				c.evictor.EnqueueLow(requestOf(p))
				return
			}
			c.evictor.Enqueue(requestOf(p))
		},
		UpdateFunc: func(old, p *corev1.Pod) {
			if podChanged(old, p) {
				c.evictor.Enqueue(requestOf(p))
			}
		},
		DeleteFunc: func(d informer.Deleted[*corev1.Pod]) { c.evictor.Enqueue(requestOf(d.Object)) },
	}, informer.HandlerOptions{})
	if err != nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w", err)
	}
	nodeReg, err := c.nodeInf.AddHandler(informer.HandlerFuncs[*corev1.Node]{
		AddFunc: func(n *corev1.Node, initial bool) {
			if len(noExecuteTaints(n.Spec.Taints)) > 0 {
				c.enqueuePodsOn(n.Name, initial)
			}
			if _, changed := syncConditionTaints(n.Spec.Taints, ConditionTaints(n)); changed {
				c.tainter.Enqueue(controller.Request{Name: n.Name})
			}
		},
		UpdateFunc: func(old, n *corev1.Node) {
			if !reflect.DeepEqual(noExecuteTaints(old.Spec.Taints), noExecuteTaints(n.Spec.Taints)) {
				c.enqueuePodsOn(n.Name, false)
			}
			if _, changed := syncConditionTaints(n.Spec.Taints, ConditionTaints(n)); changed {
				c.tainter.Enqueue(controller.Request{Name: n.Name})
			}
		},
		DeleteFunc: func(d informer.Deleted[*corev1.Node]) { c.enqueuePodsOn(d.Object.Name, false) },
	}, informer.HandlerOptions{})
	if err != nil {
		return nil, fmt.Errorf("nodelifecycle: new: %w", err)
	}
	c.evictor.WaitFor("pods", podReg)
	c.evictor.WaitFor("nodes", nodeReg)
	c.tainter.WaitFor("nodes", nodeReg)
	return c, nil
}

func podNodeName(p *corev1.Pod) []string {
	if p.Spec.NodeName == "" {
		return nil
	}
	return []string{p.Spec.NodeName}
}

func requestOf(p *corev1.Pod) controller.Request {
	return controller.Request{Namespace: p.Namespace, Name: p.Name}
}

// podChanged reports whether an update may change the pod's eviction: a binding, new
// tolerations, a deletion starting, or a new object under the same name.
func podChanged(old, p *corev1.Pod) bool {
	return old.UID != p.UID || old.Spec.NodeName != p.Spec.NodeName ||
		(old.DeletionTimestamp == nil) != (p.DeletionTimestamp == nil) ||
		!reflect.DeepEqual(old.Spec.Tolerations, p.Spec.Tolerations)
}

func (c *Controller) enqueuePodsOn(node string, low bool) {
	pods, err := c.podInf.Lister().ByIndex(podsByNode, node)
	if err != nil {
		c.log.Error(err, "Listing the pods of a node", "node", node)
		return
	}
	for _, p := range pods {
		if low {
			c.evictor.EnqueueLow(requestOf(p))
		} else {
			c.evictor.Enqueue(requestOf(p))
		}
	}
}

// CacheSyncers returns the caches Run needs, by name, for a manager to wait for.
func (c *Controller) CacheSyncers() map[string]informer.Syncer {
	m := map[string]informer.Syncer{
		"nodelifecycle/nodes":  c.nodeInf,
		"nodelifecycle/leases": c.leaseInf,
		"nodelifecycle/pods":   c.podInf,
	}
	for k, v := range c.evictor.CacheSyncers() {
		m["nodelifecycle/eviction/"+k] = v
	}
	for k, v := range c.tainter.CacheSyncers() {
		m["nodelifecycle/noschedule/"+k] = v
	}
	return m
}

// Run waits for the caches, then monitors node health every MonitorPeriod (tainting
// unhealthy nodes as the zones' rate limits allow), keeps the NoSchedule condition taints of
// every node current, and evicts pods from tainted nodes, until
// ctx is done. It returns only once every goroutine it started has stopped: nil after ctx
// ended, or the error that stopped it. It fails with ErrStarted when called twice.
func (c *Controller) Run(ctx context.Context) error {
	if !c.started.CompareAndSwap(false, true) {
		return fmt.Errorf("nodelifecycle: run: %w", ErrStarted)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	run := func(f func(context.Context) error) {
		defer wg.Done()
		if err := f(ctx); err != nil {
			errs <- err
			cancel()
		}
	}
	wg.Add(3)
	go run(c.evictor.Run)
	go run(c.tainter.Run)
	go run(c.runMonitor)
	wg.Wait()
	select {
	case err := <-errs:
		return fmt.Errorf("nodelifecycle: run: %w", err)
	default:
		return nil
	}
}

// runMonitor runs the monitor pass at once and then every MonitorPeriod, and the tainting
// pass whenever a zone's token bucket has a token for a waiting node.
func (c *Controller) runMonitor(ctx context.Context) error {
	if err := informer.WaitForSync(ctx, c.nodeInf, c.leaseInf, c.podInf); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	ticker := c.clock.NewTicker(c.opts.MonitorPeriod)
	defer ticker.Stop()
	var taint clock.Timer
	defer func() {
		if taint != nil {
			taint.Stop()
		}
	}()
	var taintC <-chan time.Time
	pass := func(f func(context.Context) error, what string) {
		at := c.clock.Now()
		if err := f(ctx); err != nil && ctx.Err() == nil {
			c.log.Error(err, what)
		}
		if c.passed != nil {
			c.passed(at)
		}
	}
	pass(c.monitor, "Monitoring node health")
	for {
		if d, ok := c.nextTaint(); ok {
			if taint == nil {
				taint = c.clock.NewTimer(d)
			} else {
				taint.Reset(d)
			}
			taintC = taint.C()
		} else {
			if taint != nil {
				taint.Stop()
			}
			taintC = nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C():
			pass(c.monitor, "Monitoring node health")
		case <-taintC:
			pass(c.taintPass, "Tainting unhealthy nodes")
		}
	}
}
