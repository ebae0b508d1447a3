package scheduler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler/cache"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	"github.com/cellkit/cellkit/scheduler/queue"
	"github.com/cellkit/cellkit/store"
)

// Resources the scheduler reads and writes.
var (
	podsGR  = schema.GroupResource{Resource: "pods"}
	nodesGR = schema.GroupResource{Resource: "nodes"}
)

// Options configure a Scheduler. Store is required; every other zero value is a default.
type Options struct {
	// Store holds pods and nodes; the scheduler watches them and binds pods by writing
	// spec.nodeName.
	Store store.Interface
	// Profiles, selected by pod.spec.schedulerName; default one plugins.DefaultProfile().
	Profiles []framework.Profile
	// Registry adds out-of-tree plugins to the in-tree ones.
	Registry framework.Registry
	// Clock drives backoff, flushes and assumed-pod expiry; default real.
	Clock clock.Clock
	// Logger; default discard.
	Logger logr.Logger
	// Parallelism bounds the goroutines filtering and scoring nodes of one cycle; 0 or 1
	// evaluates sequentially.
	Parallelism int
	// InitialBackoff and MaxBackoff of failed pods (defaults 1 s and 10 s).
	InitialBackoff, MaxBackoff time.Duration
	// FlushPeriod is how often backoff and the unschedulable set are flushed and expired
	// assumed pods forgotten; default 1 s.
	FlushPeriod time.Duration
	// Seed seeds the tie-breaking between equally scored nodes.
	Seed uint64

	// DisableEquivalenceClasses and DisableScoreCache turn off Borg's equivalence classes
	// (filter verdicts shared by pods with identical scheduling requirements) and score caching
	// (node-local raw scores reused until the node changes); see framework.Options. Both are
	// on by default; the switches exist to measure them.
	DisableEquivalenceClasses, DisableScoreCache bool

	// CopyInformerObjects makes the scheduler's pod and node informers keep a copy of every
	// object. By default they cache the store's own immutable objects
	// (store.WatchOptions.SharedObjects), which saves a pod copy per change: the scheduler,
	// its cache and queue, and the plugins only read pods and nodes (see the package
	// documentation), and every write starts from a copy or, for the binding, from a shallow
	// copy that replaces the fields it sets.
	CopyInformerObjects bool

	// DisableNodeReservation turns off the node reservation protocol that keeps several
	// schedulers sharing a store from over-committing a node (see the package documentation).
	// Only safe when this scheduler is the only one binding pods to these nodes; it saves a
	// lease write and a list of the node's pods per binding.
	DisableNodeReservation bool
	// ReservationNamespace holds the per-node reservation leases; default
	// DefaultReservationNamespace.
	ReservationNamespace string
	// ReservationTTL is how long a reservation holds a node's room for a pod that is not bound
	// yet; a binding not written within it is abandoned and retried. Default
	// DefaultReservationTTL.
	ReservationTTL time.Duration
}

// ErrNoStore: Options.Store is required.
var ErrNoStore = errors.New("scheduler: options need a store")

// ErrAlreadyBound: the pod was bound to another node meanwhile (another scheduler won).
var ErrAlreadyBound = errors.New("pod already bound to another node")

// Scheduler places pending pods on nodes: informers feed a cache and a queue, one goroutine
// runs scheduling cycles through the framework core, and bindings are written to the store
// asynchronously.
type Scheduler struct {
	opts   Options
	cache  *cache.Cache
	queue  *queue.Queue
	fwks   map[string]*framework.Framework
	pods   store.Typed[*corev1.Pod]
	log    logr.Logger
	bindWG sync.WaitGroup
	// bindJobs hands bindings to idle binding workers (unbuffered: a send succeeds only when
	// one is waiting); workerWG counts the workers.
	bindJobs chan func()
	workerWG sync.WaitGroup
	res      *reserver // nil when DisableNodeReservation
	// podStatus writes pod status through the "pods/status" subresource, as a registry wants
	// (it ignores status in writes of the pod itself); noStatus records that the store has no
	// such resource (a raw backend), where status is written with the pod.
	podStatus store.Typed[*corev1.Pod]
	noStatus  atomic.Bool
}

// New validates opts and builds the frameworks of every profile.
func New(opts Options) (*Scheduler, error) {
	if opts.Store == nil {
		return nil, ErrNoStore
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real()
	}
	if opts.FlushPeriod <= 0 {
		opts.FlushPeriod = time.Second
	}
	if len(opts.Profiles) == 0 {
		opts.Profiles = []framework.Profile{plugins.DefaultProfile()}
	}
	if opts.ReservationNamespace == "" {
		opts.ReservationNamespace = DefaultReservationNamespace
	}
	if opts.ReservationTTL <= 0 {
		opts.ReservationTTL = DefaultReservationTTL
	}
	s := &Scheduler{opts: opts, fwks: map[string]*framework.Framework{}, bindJobs: make(chan func()), pods: store.For[*corev1.Pod](opts.Store, podsGR), log: opts.Logger,
		podStatus: store.For[*corev1.Pod](opts.Store, schema.GroupResource{Resource: "pods/status"})}
	if !opts.DisableNodeReservation {
		s.res = &reserver{pods: s.pods, nodes: store.For[*corev1.Node](opts.Store, nodesGR), leases: store.For[*coordinationv1.Lease](opts.Store, leasesGR),
			namespace: opts.ReservationNamespace, ttl: opts.ReservationTTL, now: opts.Clock.Now}
	}
	reg := plugins.NewRegistry(plugins.RegistryOptions{Binder: plugins.BinderFunc(s.bind)})
	if opts.Registry != nil {
		if err := reg.Merge(opts.Registry); err != nil {
			return nil, fmt.Errorf("new scheduler: %w", err)
		}
	}
	var err error
	s.cache = cache.New(cache.Options{Clock: opts.Clock})
	if s.res != nil {
		s.res.view = s.cache
	}
	var first *framework.Framework
	for i, p := range opts.Profiles {
		if _, dup := s.fwks[p.SchedulerName]; dup {
			return nil, fmt.Errorf("new scheduler: profile %q twice: %w", p.SchedulerName, framework.ErrInvalidProfile)
		}
		fo := framework.Options{Clock: opts.Clock, Rand: rand.New(rand.NewPCG(opts.Seed, uint64(i))), Nominator: nominator{s},
			DisableEquivalenceClasses: opts.DisableEquivalenceClasses, DisableScoreCache: opts.DisableScoreCache}
		if opts.Parallelism > 1 {
			fo.Parallelizer = parallelizer(opts.Parallelism)
		}
		f, err := framework.New(reg, p, fo)
		if err != nil {
			return nil, fmt.Errorf("new scheduler: %w", err)
		}
		s.fwks[p.SchedulerName] = f
		if first == nil {
			first = f
		}
	}
	s.queue, err = queue.New(queue.Options{Less: first.Less, Clock: opts.Clock, InitialBackoff: opts.InitialBackoff, MaxBackoff: opts.MaxBackoff,
		PreEnqueue: func(ctx context.Context, pod *corev1.Pod) *framework.Status {
			return s.framework(pod).RunPreEnqueuePlugins(ctx, pod)
		}})
	if err != nil {
		return nil, fmt.Errorf("new scheduler: %w", err)
	}
	return s, nil
}

// nominator gives the frameworks the queue's nominated pods (the queue is made after the
// frameworks, so it is read at each call).
type nominator struct{ s *Scheduler }

var (
	_ framework.Nominator         = nominator{}
	_ framework.NominationCounter = nominator{}
)

// NominatedPodsForNode implements framework.Nominator.
func (n nominator) NominatedPodsForNode(node string) []*framework.PodInfo {
	return n.s.queue.NominatedPodsForNode(node)
}

// NumNominatedPods implements framework.NominationCounter: a cycle that sees none skips the
// per-node lookups.
func (n nominator) NumNominatedPods() int { return n.s.queue.NumNominatedPods() }

// parallelizer runs work over at most n goroutines and returns when all have finished. The
// calling goroutine is one of them, and the pieces are handed out in order, a few at a time,
// from a shared counter: a worker that starts late (a goroutine waits to be scheduled) takes
// fewer pieces instead of making the caller wait for its fixed share, and when the work stops
// early (filtering stops after enough feasible nodes) the pieces evaluated form a prefix.
func parallelizer(n int) framework.Parallelizer {
	return func(_ context.Context, pieces int, work func(i int)) {
		workers := min(n, pieces)
		if workers <= 1 {
			for i := 0; i < pieces; i++ {
				work(i)
			}
			return
		}
		grain := max(1, pieces/(8*workers)) // about 8 hand-outs per worker
		var next atomic.Int64
		run := func() {
			for {
				end := int(next.Add(int64(grain)))
				start := end - grain
				if start >= pieces {
					return
				}
				for i := start; i < min(end, pieces); i++ {
					work(i)
				}
			}
		}
		var wg sync.WaitGroup
		for w := 1; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				run()
			}()
		}
		run()
		wg.Wait()
	}
}

// group runs goroutines under a shared context that is cancelled when the first one fails;
// Wait returns that first error once all have ended.
type group struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

func newGroup(ctx context.Context) *group {
	g := &group{}
	g.ctx, g.cancel = context.WithCancel(ctx)
	return g
}

func (g *group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := fn(); err != nil {
			g.once.Do(func() { g.err = err; g.cancel() })
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

// framework returns the profile's framework for the pod; an empty schedulerName (a pod that
// was not defaulted by an API server) means the default scheduler.
func (s *Scheduler) framework(p *corev1.Pod) *framework.Framework {
	name := p.Spec.SchedulerName
	if name == "" {
		name = plugins.DefaultSchedulerName
	}
	return s.fwks[name]
}

func (s *Scheduler) responsible(p *corev1.Pod) bool { return s.framework(p) != nil }

func terminal(p *corev1.Pod) bool {
	return p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
}

// Run starts the informers and the scheduling loop and returns when ctx is done and every
// goroutine it started (bindings included) has ended.
func (s *Scheduler) Run(ctx context.Context) error {
	podInf, err := informer.New[*corev1.Pod](informer.ForResource(s.opts.Store, podsGR), informer.Options[*corev1.Pod]{Name: "scheduler-pods", Clock: s.opts.Clock, Logger: s.log,
		SharedObjects: !s.opts.CopyInformerObjects})
	if err != nil {
		return fmt.Errorf("scheduler: pod informer: %w", err)
	}
	nodeInf, err := informer.New[*corev1.Node](informer.ForResource(s.opts.Store, nodesGR), informer.Options[*corev1.Node]{Name: "scheduler-nodes", Clock: s.opts.Clock, Logger: s.log,
		SharedObjects: !s.opts.CopyInformerObjects})
	if err != nil {
		return fmt.Errorf("scheduler: node informer: %w", err)
	}
	nodeReg, err := nodeInf.AddHandler(informer.HandlerFuncs[*corev1.Node]{
		AddFunc: func(n *corev1.Node, _ bool) {
			s.logErr(s.cache.AddNode(n), "add node")
			s.move(framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add}, nil, n)
		},
		UpdateFunc: func(old, n *corev1.Node) {
			s.logErr(s.cache.UpdateNode(old, n), "update node")
			if a := framework.NodeUpdateActions(old, n); a != 0 {
				s.move(framework.ClusterEvent{Resource: framework.NodeEvent, Action: a}, old, n)
			}
		},
		DeleteFunc: func(d informer.Deleted[*corev1.Node]) {
			s.logErr(s.cache.RemoveNode(d.Object), "remove node")
			if s.res != nil {
				s.res.forget(d.Object.Name)
			}
			s.move(framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Delete}, d.Object, nil)
		},
	}, informer.HandlerOptions{})
	if err != nil {
		return fmt.Errorf("scheduler: node handler: %w", err)
	}
	podReg, err := podInf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{
		AddFunc:    func(p *corev1.Pod, _ bool) { s.onPod(ctx, nil, p) },
		UpdateFunc: func(old, p *corev1.Pod) { s.onPod(ctx, old, p) },
		DeleteFunc: func(d informer.Deleted[*corev1.Pod]) {
			p := d.Object
			if p.Spec.NodeName != "" {
				s.logErr(s.cache.RemovePod(p), "remove pod")
				s.move(framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Delete}, p, nil)
			}
			// Delete from the queue before rejecting a waiting pod: ScheduleOne registers a
			// waiting pod and then checks the queue, so one of the two sees the deletion.
			s.queue.Delete(p)
			if f := s.framework(p); f != nil {
				f.RejectWaitingPod(p.UID, "pod deleted while waiting on permit")
			}
		},
	}, informer.HandlerOptions{})
	if err != nil {
		return fmt.Errorf("scheduler: pod handler: %w", err)
	}
	g := newGroup(ctx)
	gctx := g.ctx
	g.Go(func() error { return ignoreCanceled(nodeInf.Run(gctx)) })
	g.Go(func() error { return ignoreCanceled(podInf.Run(gctx)) })
	g.Go(func() error {
		if err := informer.WaitForSync(gctx, nodeInf, nodeReg, podInf, podReg); err != nil {
			return ignoreCanceled(err)
		}
		t := s.opts.Clock.NewTicker(s.opts.FlushPeriod)
		defer t.Stop()
		for {
			select {
			case <-gctx.Done():
				return nil
			case <-t.C():
				s.queue.Flush()
				if _, err := s.cache.Cleanup(); err != nil {
					s.log.Error(err, "expire assumed pods")
				}
			}
		}
	})
	g.Go(func() error {
		if err := informer.WaitForSync(gctx, nodeInf, nodeReg, podInf, podReg); err != nil {
			return ignoreCanceled(err)
		}
		for gctx.Err() == nil {
			s.ScheduleOne(gctx)
		}
		return nil
	})
	err = g.Wait()
	s.bindWG.Wait()
	s.workerWG.Wait()
	return err
}

func ignoreCanceled(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// move moves the unschedulable pods that the event may help, by the events and hints of the
// plugins that rejected each (framework.EnqueueExtensions).
func (s *Scheduler) move(ev framework.ClusterEvent, oldObj, newObj any) {
	s.queue.MoveAll(func(qpi *framework.QueuedPodInfo, rejectors map[string]struct{}) bool {
		f := s.framework(qpi.Pod)
		return f == nil || f.MayHelp(rejectors, qpi.Pod, ev, oldObj, newObj)
	})
}

func (s *Scheduler) logErr(err error, msg string) {
	if err != nil {
		s.log.Error(err, msg)
	}
}

// onPod routes a pod event: bound pods go to the cache, pending pods of our profiles to the
// queue. Updates that change only status or metadata bookkeeping (our own condition writes)
// do not requeue.
func (s *Scheduler) onPod(ctx context.Context, old, p *corev1.Pod) {
	if p.Spec.NodeName != "" || terminal(p) {
		s.queue.Delete(p)
		s.queue.RemoveNominated(p)
		if old != nil {
			s.logErr(s.cache.UpdatePod(old, p), "update pod")
		} else {
			s.logErr(s.cache.AddPod(p), "add pod")
		}
		if p.Spec.NodeName == "" {
			return
		}
		switch {
		case old == nil || old.Spec.NodeName == "":
			if !terminal(p) {
				s.move(framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Add}, nil, p)
			}
		case terminal(p) && !terminal(old):
			s.move(framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Delete}, old, nil)
		default:
			if a := framework.PodUpdateActions(old, p); a != 0 {
				s.move(framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: a}, old, p)
			}
		}
		return
	}
	if !s.responsible(p) || p.DeletionTimestamp != nil {
		return
	}
	if old == nil {
		s.logErr(s.queue.Add(ctx, p), "queue pod")
		return
	}
	if reflect.DeepEqual(old.Spec, p.Spec) && reflect.DeepEqual(old.Labels, p.Labels) && reflect.DeepEqual(old.Annotations, p.Annotations) {
		return
	}
	s.logErr(s.queue.Update(ctx, p), "requeue pod")
}

// ScheduleOne pops one pod and runs its scheduling cycle; the binding continues in the
// background. Exported for drivers that step the scheduler themselves.
func (s *Scheduler) ScheduleOne(ctx context.Context) {
	qpi, cycle, err := s.queue.Pop(ctx)
	if err != nil {
		return
	}
	pod := qpi.Pod
	fwk := s.framework(pod)
	state := framework.NewCycleState()
	var res framework.ScheduleResult
	var post *framework.PostFilterResult
	var postStatus *framework.Status
	var fe *framework.FitError
	s.cache.Do(func(snap *framework.Snapshot) {
		res, err = fwk.SchedulePod(ctx, state, pod, snap)
		if errors.As(err, &fe) && fwk.HasPostFilter() {
			post, postStatus = fwk.RunPostFilterPlugins(ctx, state, pod, fe.Diagnosis.NodeToStatus)
		}
	})
	if err != nil {
		if fe == nil {
			s.log.Error(err, "scheduling cycle failed", "pod", pod.Namespace+"/"+pod.Name)
			s.queue.AddBackoff(qpi)
			return
		}
		if postStatus.IsSuccess() && post != nil {
			s.preempt(ctx, pod, post)
		} else if postStatus != nil {
			fe.Diagnosis.PostFilterMsg = postStatus.Message()
		}
		s.recordUnschedulable(ctx, pod, fe.Error())
		s.queue.AddUnschedulable(qpi, cycle, fe.Diagnosis.UnschedulablePlugins)
		return
	}
	// A shallow copy: pods are read-only to the scheduler and its plugins, so the assumed
	// pod shares everything but its spec's nodeName with the informer's object.
	a := *pod
	a.Spec.NodeName = res.SuggestedHost
	assumed := &a
	// The assumed pod's PodInfo is the queued one's (nothing in it depends on the node). With
	// node reservations on, the cache's view of the node is taken under the same lock.
	var pi *framework.PodInfo
	if qpi.PodInfo != nil {
		c := *qpi.PodInfo
		c.Pod = assumed
		pi = &c
	} else if pi, err = framework.NewPodInfo(assumed); err != nil {
		s.log.Error(err, "assume pod")
		s.queue.AddBackoff(qpi)
		return
	}
	view, err := s.cache.AssumePodInfo(pi, s.res != nil)
	if err != nil {
		s.log.Error(err, "assume pod")
		s.queue.AddBackoff(qpi)
		return
	}
	if st := fwk.RunReservePluginsReserve(ctx, state, assumed, res.SuggestedHost); !st.IsSuccess() {
		s.logErr(s.cache.ForgetPod(assumed), "forget pod")
		s.queue.AddBackoff(qpi)
		return
	}
	st, waiting := fwk.RunPermitPlugins(ctx, state, assumed, res.SuggestedHost)
	if !st.IsSuccess() && !st.IsWait() {
		s.rejectPermit(ctx, fwk, state, qpi, cycle, assumed, st)
		return
	}
	if waiting == nil {
		s.queue.Done(pod)
	} else if !s.queue.Contains(pod) {
		waiting.Reject("", "pod deleted while waiting on permit")
	}
	// A waiting pod stays in flight in the queue (so that a rejection parks it as
	// unschedulable) and assumed in the cache (its resources stay reserved) while the binding
	// goroutine waits on permit.
	bctx := ctx
	if s.res != nil {
		bctx = withAssumedView(ctx, assumed, view)
	}
	if waiting != nil { // blocks until the permit plugins decide: a goroutine of its own
		s.bindWG.Add(1)
		go func() {
			defer s.bindWG.Done()
			if st := fwk.WaitOnPermit(bctx, waiting); !st.IsSuccess() {
				s.rejectPermit(bctx, fwk, state, qpi, cycle, assumed, st)
				return
			}
			s.queue.Done(pod)
			s.bindingCycle(bctx, fwk, state, qpi, assumed)
		}()
		return
	}
	s.goBind(ctx, func() { s.bindingCycle(bctx, fwk, state, qpi, assumed) })
}

// bindWorkerIdle is how long a binding worker waits for another binding before it exits.
const bindWorkerIdle = time.Second

// goBind runs a binding asynchronously on an idle binding worker, or on a new one when none
// is idle. Workers live on while bindings keep coming (a goroutine per binding would pay for
// its start and for growing its stack every time), and exit after bindWorkerIdle without one
// or when ctx ends. Bindings are thus never queued behind each other: there are as many
// workers as bindings in flight at the peak.
func (s *Scheduler) goBind(ctx context.Context, job func()) {
	s.bindWG.Add(1)
	select {
	case s.bindJobs <- job:
	default:
		s.workerWG.Add(1)
		go s.bindWorker(ctx, job)
	}
}

func (s *Scheduler) bindWorker(ctx context.Context, job func()) {
	defer s.workerWG.Done()
	idle := s.opts.Clock.NewTimer(bindWorkerIdle)
	defer idle.Stop()
	for {
		job()
		s.bindWG.Done()
		idle.Reset(bindWorkerIdle)
		select {
		case job = <-s.bindJobs:
		case <-idle.C():
			return
		case <-ctx.Done():
			return
		}
	}
}

// rejectPermit un-reserves a pod that Permit rejected (at once, or after waiting: rejected by
// a plugin or timed out) and parks it as unschedulable by the rejecting plugin.
func (s *Scheduler) rejectPermit(ctx context.Context, fwk *framework.Framework, state *framework.CycleState, qpi *framework.QueuedPodInfo, cycle int64, assumed *corev1.Pod, st *framework.Status) {
	s.log.V(2).Info("permit rejected pod", "pod", assumed.Namespace+"/"+assumed.Name, "status", st.String())
	fwk.RunReservePluginsUnreserve(ctx, state, assumed, assumed.Spec.NodeName)
	s.logErr(s.cache.ForgetPod(assumed), "forget pod")
	if st.Code() == framework.Error {
		s.queue.AddBackoff(qpi)
		return
	}
	s.queue.AddUnschedulable(qpi, cycle, map[string]struct{}{st.Plugin(): {}})
	// The pod's reserved room is free again: pods it kept out may fit now.
	s.move(framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Delete}, assumed, nil)
}

func (s *Scheduler) bindingCycle(ctx context.Context, fwk *framework.Framework, state *framework.CycleState, qpi *framework.QueuedPodInfo, assumed *corev1.Pod) {
	node := assumed.Spec.NodeName
	st := fwk.RunPreBindPlugins(ctx, state, assumed, node)
	if st.IsSuccess() {
		st = fwk.RunBindPlugins(ctx, state, assumed, node)
	}
	if !st.IsSuccess() {
		fwk.RunReservePluginsUnreserve(ctx, state, assumed, node)
		s.logErr(s.cache.ForgetPod(assumed), "forget pod")
		s.move(framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Delete}, assumed, nil)
		if ctx.Err() == nil && !errors.Is(st.AsError(), ErrAlreadyBound) && !apierrors.IsNotFound(st.AsError()) {
			s.log.V(2).Info("binding failed", "pod", assumed.Namespace+"/"+assumed.Name, "err", st.AsError())
			s.logErr(s.queue.Add(ctx, qpi.Pod), "requeue pod")
		}
		return
	}
	s.logErr(s.cache.FinishBinding(assumed), "finish binding")
	fwk.RunPostBindPlugins(ctx, state, assumed, node)
}

// errReservationExpired: the binding was not written before the node reservation expired.
var errReservationExpired = errors.New("node reservation expired before the binding")

// bind writes spec.nodeName through the store, with the pod's UID as precondition and only
// if the pod is not bound yet: two schedulers can never both bind one pod. With node
// reservations on, it first reserves room on the node (reserver.reserve) and binds only
// while the reservation holds; a binding that surely failed releases it.
func (s *Scheduler) bind(ctx context.Context, pod *corev1.Pod, node string) error {
	var expires time.Time
	if s.res != nil {
		var err error
		if expires, err = s.res.reserve(ctx, pod, node); err != nil {
			return err
		}
	}
	err := s.writeBinding(ctx, pod, node, expires)
	if err != nil && s.res != nil && (errors.Is(err, ErrAlreadyBound) || errors.Is(err, errReservationExpired) || apierrors.IsNotFound(err)) {
		s.logErr(s.res.release(ctx, pod, node), "release node reservation")
	}
	return err
}

// writeBinding writes the binding with shared objects (store.SharedUpdater): the update
// function never modifies the stored pod it gets; it returns a shallow copy with spec.nodeName
// and a fresh conditions slice set, sharing every other part with the stored pod, which is
// immutable. On a memory store a binding thus copies no pod.
func (s *Scheduler) writeBinding(ctx context.Context, pod *corev1.Pod, node string, expires time.Time) error {
	_, err := s.pods.GuaranteedUpdateShared(ctx, pod.Namespace, pod.Name, func(cur *corev1.Pod) (*corev1.Pod, error) {
		if !expires.IsZero() && !s.opts.Clock.Now().Before(expires) {
			return nil, fmt.Errorf("bind %s/%s to %s: %w", pod.Namespace, pod.Name, node, errReservationExpired)
		}
		if cur.UID != pod.UID {
			return nil, fmt.Errorf("bind %s/%s: pod was replaced: %w", pod.Namespace, pod.Name, ErrAlreadyBound)
		}
		if cur.Spec.NodeName != "" {
			if cur.Spec.NodeName == node {
				return cur, nil
			}
			return nil, fmt.Errorf("bind %s/%s to %s: bound to %s: %w", pod.Namespace, pod.Name, node, cur.Spec.NodeName, ErrAlreadyBound)
		}
		next := *cur
		next.Spec.NodeName = node
		next.Status.Conditions = slices.Clone(cur.Status.Conditions) // setCondition writes into it
		markScheduled(&next, s.opts.Clock.Now())
		return &next, nil
	}, store.UpdateOptions{})
	if err != nil || s.noStatus.Load() {
		return err
	}
	// Through a registry the status part of the write above was dropped: write it through
	// the status subresource (best effort: the binding stands either way).
	err = s.updateStatus(ctx, pod, func(cur *corev1.Pod) (*corev1.Pod, error) {
		if cur.UID == pod.UID && cur.Spec.NodeName == node {
			markScheduled(cur, s.opts.Clock.Now())
		}
		return cur, nil
	})
	if err != nil && !apierrors.IsNotFound(err) {
		s.log.Error(err, "record scheduled", "pod", pod.Namespace+"/"+pod.Name)
	}
	return nil
}

// markScheduled sets PodScheduled=True and clears the nomination.
func markScheduled(p *corev1.Pod, now time.Time) {
	setCondition(p, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: meta.NewTime(now)})
	p.Status.NominatedNodeName = ""
}

// updateStatus changes a pod's status through "pods/status", or through "pods" on a store
// without that resource (found out on the first try and remembered).
func (s *Scheduler) updateStatus(ctx context.Context, pod *corev1.Pod, fn func(cur *corev1.Pod) (*corev1.Pod, error)) error {
	if !s.noStatus.Load() {
		_, err := s.podStatus.GuaranteedUpdate(ctx, pod.Namespace, pod.Name, fn, store.UpdateOptions{})
		if !apierrors.IsBadRequest(err) {
			return err
		}
		s.noStatus.Store(true)
	}
	_, err := s.pods.GuaranteedUpdate(ctx, pod.Namespace, pod.Name, fn, store.UpdateOptions{})
	return err
}

func setCondition(p *corev1.Pod, c corev1.PodCondition) {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == c.Type {
			if p.Status.Conditions[i].Status == c.Status {
				c.LastTransitionTime = p.Status.Conditions[i].LastTransitionTime
			}
			p.Status.Conditions[i] = c
			return
		}
	}
	p.Status.Conditions = append(p.Status.Conditions, c)
}

// recordUnschedulable writes the PodScheduled=False condition with the reason message.
func (s *Scheduler) recordUnschedulable(ctx context.Context, pod *corev1.Pod, msg string) {
	err := s.updateStatus(ctx, pod, func(cur *corev1.Pod) (*corev1.Pod, error) {
		if cur.UID != pod.UID || cur.Spec.NodeName != "" {
			return cur, nil
		}
		setCondition(cur, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: msg,
			LastTransitionTime: meta.NewTime(s.opts.Clock.Now())})
		return cur, nil
	})
	if err != nil && !apierrors.IsNotFound(err) {
		s.log.Error(err, "record unschedulable", "pod", pod.Namespace+"/"+pod.Name)
	}
}

// preempt evicts the victims (delete with UID precondition) and records the nomination.
func (s *Scheduler) preempt(ctx context.Context, pod *corev1.Pod, r *framework.PostFilterResult) {
	for _, v := range r.Victims {
		uid := v.UID
		_, err := s.pods.Delete(ctx, v.Namespace, v.Name, store.DeleteOptions{Preconditions: &meta.Preconditions{UID: &uid}})
		if err != nil && !apierrors.IsNotFound(err) {
			s.log.Error(err, "evict victim", "victim", v.Namespace+"/"+v.Name)
		}
	}
	s.logErr(s.queue.AddNominated(pod, r.NominatedNodeName), "nominate pod")
	err := s.updateStatus(ctx, pod, func(cur *corev1.Pod) (*corev1.Pod, error) {
		if cur.UID != pod.UID || cur.Spec.NodeName != "" {
			return cur, nil
		}
		cur.Status.NominatedNodeName = r.NominatedNodeName
		return cur, nil
	})
	if err != nil && !apierrors.IsNotFound(err) {
		s.log.Error(err, "record nomination", "pod", pod.Namespace+"/"+pod.Name)
	}
}
