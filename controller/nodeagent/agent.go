package nodeagent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	goruntime "runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	coordv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/store"
)

// The resources the agent reads and writes.
var (
	NodesResource      = schema.GroupResource{Resource: "nodes"}
	NodeStatusResource = schema.GroupResource{Resource: "nodes/status"}
	PodsResource       = schema.GroupResource{Resource: "pods"}
	PodStatusResource  = schema.GroupResource{Resource: "pods/status"}
	LeasesResource     = schema.GroupResource{Group: coordv1.GroupName, Resource: "leases"}
)

// PodNodeNameField is the field selector the agent watches its pods with.
const PodNodeNameField = "spec.nodeName"

// ErrRunning: Run was called while a previous Run of the same Agent had not returned.
var ErrRunning = errors.New("node agent already running")

// Agent is the node agent of one node: it registers the Node, keeps its Lease and status fresh,
// and runs the pods bound to the node through its Runtime. Create it with New and call Run.
type Agent struct {
	opts      Options
	clock     clock.Clock
	log       logr.Logger
	rt        Runtime
	s         store.Interface
	nodes     store.Typed[*corev1.Node]
	nodeStat  store.Typed[*corev1.Node]
	leases    store.Typed[*coordv1.Lease]
	pods      store.Typed[*corev1.Pod]
	podStatus store.Typed[*corev1.Pod]
	hostIP    string
	running   atomic.Bool

	// run is the state of the current Run; nil between runs.
	runMu sync.Mutex
	run   *runState
}

// runState is what one Run owns.
type runState struct {
	ctx    context.Context
	lister informer.Lister[*corev1.Pod]
	bootID string

	mu        sync.Mutex
	accepting bool
	workers   map[podKey]*podWorker
	byUID     map[meta.UID]podKey
	// admitted holds the requests of the pods admitted and not yet finished; used is their
	// sum.
	admitted map[meta.UID]framework.Resource
	used     framework.Resource
	// rejected holds the admission failures.
	rejected map[meta.UID]*rejection
	// recovered are the runtime's sandboxes found at start, by pod UID.
	recovered map[meta.UID][]SandboxStatus
	wg        sync.WaitGroup

	nodeMu       sync.Mutex
	nodeUID      meta.UID
	runtimeReady bool
	runtimeVer   RuntimeVersion
	conditions   []corev1.NodeCondition
}

// New returns an agent for opts.NodeName writing to s (a registry-wrapped store: status writes go
// through the nodes/status and pods/status subresources).
func New(s store.Interface, opts Options) (*Agent, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: the store is required", ErrInvalidOptions)
	}
	if err := opts.setDefaults(); err != nil {
		return nil, fmt.Errorf("new node agent: %w", err)
	}
	a := &Agent{
		opts:      opts,
		clock:     opts.Clock,
		log:       opts.Logger.WithValues("node", opts.NodeName),
		rt:        opts.Runtime,
		s:         s,
		nodes:     store.For[*corev1.Node](s, NodesResource),
		nodeStat:  store.For[*corev1.Node](s, NodeStatusResource),
		leases:    store.For[*coordv1.Lease](s, LeasesResource),
		pods:      store.For[*corev1.Pod](s, PodsResource),
		podStatus: store.For[*corev1.Pod](s, PodStatusResource),
	}
	for _, addr := range opts.Addresses {
		if addr.Type == corev1.NodeInternalIP {
			a.hostIP = addr.Address
			break
		}
	}
	return a, nil
}

// NodeName returns the name of the agent's node.
func (a *Agent) NodeName() string { return a.opts.NodeName }

// Run registers the node, then keeps its Lease and status fresh and runs its pods until ctx is
// done. It returns only once every goroutine it started has stopped; the containers it started
// keep running in the runtime (as when a kubelet stops), and a later Run (with the same runtime or
// a fresh one) resumes the pods bound to the node. It returns nil when ctx ends, ErrRunning when
// another Run of the agent is in progress.
func (a *Agent) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer a.running.Store(false)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The agent never modifies cached pods, so the store may share its objects with it.
	factory, err := informer.NewFactory(informer.StoreSources(a.s), informer.FactoryOptions{
		Clock: a.clock, Logger: a.log.WithName("informer"), SharedObjects: true,
	})
	if err != nil {
		return fmt.Errorf("run node agent %s: %w", a.opts.NodeName, err)
	}
	podInf, err := informer.Shared[*corev1.Pod](factory, PodsResource, informer.Scope{
		Fields: fields.OneTermEqualSelector(PodNodeNameField, a.opts.NodeName),
	})
	if err != nil {
		return fmt.Errorf("run node agent %s: %w", a.opts.NodeName, err)
	}
	rs := &runState{
		ctx:       ctx,
		lister:    podInf.Lister(),
		bootID:    a.bootID(),
		workers:   map[podKey]*podWorker{},
		byUID:     map[meta.UID]podKey{},
		admitted:  map[meta.UID]framework.Resource{},
		rejected:  map[meta.UID]*rejection{},
		recovered: map[meta.UID][]SandboxStatus{},
	}
	a.runMu.Lock()
	a.run = rs
	a.runMu.Unlock()
	defer func() {
		a.runMu.Lock()
		a.run = nil
		a.runMu.Unlock()
	}()

	if _, err := podInf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{
		AddFunc: func(p *corev1.Pod, _ bool) { a.notify(rs, keyOf(p)) },
		UpdateFunc: func(old, p *corev1.Pod) {
			if old.UID != p.UID {
				a.notify(rs, keyOf(old))
			}
			a.notify(rs, keyOf(p))
		},
		DeleteFunc: func(d informer.Deleted[*corev1.Pod]) { a.notify(rs, keyOf(d.Object)) },
	}, informer.HandlerOptions{}); err != nil {
		return fmt.Errorf("run node agent %s: %w", a.opts.NodeName, err)
	}
	unsubscribe := a.rt.Subscribe(func(ev Event) { a.onRuntimeEvent(rs, ev) })

	// Timers are armed before the first write, so a test that saw the registration can step a
	// fake clock past them.
	leaseTicker := a.clock.NewTicker(a.opts.RenewInterval)
	statusTicker := a.clock.NewTicker(a.opts.StatusUpdateFrequency)
	syncTicker := a.clock.NewTicker(a.opts.SyncPeriod)
	defer leaseTicker.Stop()
	defer statusTicker.Stop()
	defer syncTicker.Stop()

	defer func() {
		cancel()
		unsubscribe()
		rs.mu.Lock()
		rs.accepting = false
		rs.mu.Unlock()
		rs.wg.Wait()
		factory.Wait()
	}()

	if err := a.register(ctx, rs); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("run node agent %s: %w", a.opts.NodeName, err)
	}
	a.renewLease(ctx, rs)

	factory.Start(ctx)
	if err := factory.WaitForSync(ctx); err != nil {
		return nil
	}
	a.start(ctx, rs)

	rs.wg.Add(1)
	go func() {
		defer rs.wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-leaseTicker.C():
				a.renewLease(ctx, rs)
			case <-statusTicker.C():
				a.postNodeStatus(ctx, rs)
			case <-syncTicker.C():
				a.resyncAll(rs)
			}
		}
	}()
	<-ctx.Done()
	return nil
}

// bootID is a stable identity of one Run of the agent.
func (a *Agent) bootID() string {
	h := sha256.Sum256([]byte(a.opts.NodeName + "/" + a.clock.Now().String()))
	return uuidOf(h[:16])
}

func uuidOf(b []byte) string {
	s := hex.EncodeToString(b)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}

// retry calls fn until it succeeds or ctx is done, waiting RetryInterval between attempts.
func (a *Agent) retry(ctx context.Context, what string, fn func() error) error {
	for {
		err := fn()
		if err == nil {
			return nil
		}
		a.log.Error(err, "retrying", "operation", what)
		if err := a.clock.Sleep(ctx, a.opts.RetryInterval); err != nil {
			return err
		}
	}
}

// register creates the node, or brings an existing one up to date, and posts its status.
func (a *Agent) register(ctx context.Context, rs *runState) error {
	a.checkRuntime(ctx, rs)
	return a.retry(ctx, "register node", func() error {
		node, err := a.nodes.Create(ctx, a.newNode(rs))
		if apierrors.IsAlreadyExists(err) {
			node, err = a.nodes.GuaranteedUpdate(ctx, "", a.opts.NodeName, func(cur *corev1.Node) (*corev1.Node, error) {
				if cur.Labels == nil {
					cur.Labels = map[string]string{}
				}
				for k, v := range a.opts.Labels {
					cur.Labels[k] = v
				}
				return cur, nil
			}, store.UpdateOptions{})
		}
		if err != nil {
			return fmt.Errorf("register node %s: %w", a.opts.NodeName, err)
		}
		rs.nodeMu.Lock()
		rs.nodeUID = node.UID
		rs.nodeMu.Unlock()
		a.log.V(2).Info("node registered", "uid", node.UID)
		return a.writeNodeStatus(ctx, rs)
	})
}

func (a *Agent) newNode(rs *runState) *corev1.Node {
	n := &corev1.Node{
		ObjectMeta: meta.ObjectMeta{Name: a.opts.NodeName, Labels: cloneStrings(a.opts.Labels)},
		Spec:       corev1.NodeSpec{Taints: append([]corev1.Taint(nil), a.opts.Taints...)},
	}
	a.fillNodeStatus(rs, &n.Status)
	return n
}

// checkRuntime asks the runtime for its version and records whether it answers.
func (a *Agent) checkRuntime(ctx context.Context, rs *runState) {
	v, err := a.rt.Version(ctx)
	rs.nodeMu.Lock()
	defer rs.nodeMu.Unlock()
	rs.runtimeReady = err == nil
	if err == nil {
		rs.runtimeVer = v
	}
}

// fillNodeStatus writes what the agent owns of a node's status into st.
func (a *Agent) fillNodeStatus(rs *runState, st *corev1.NodeStatus) {
	rs.nodeMu.Lock()
	defer rs.nodeMu.Unlock()
	now := meta.NewTime(a.clock.Now().Truncate(time.Second))
	ready := corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionTrue,
		Reason: "KubeletReady", Message: "kubelet is posting ready status"}
	if !rs.runtimeReady {
		ready = corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionFalse,
			Reason: "KubeletNotReady", Message: "container runtime is down"}
	}
	want := []corev1.NodeCondition{
		{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientMemory", Message: "kubelet has sufficient memory available"},
		{Type: corev1.NodeDiskPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasNoDiskPressure", Message: "kubelet has no disk pressure"},
		{Type: corev1.NodePIDPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientPID", Message: "kubelet has sufficient PID available"},
		ready,
	}
	var out []corev1.NodeCondition
	owned := map[corev1.NodeConditionType]bool{}
	for _, c := range want {
		owned[c.Type] = true
		c.LastHeartbeatTime = now
		c.LastTransitionTime = now
		for _, old := range st.Conditions {
			if old.Type == c.Type && old.Status == c.Status && !old.LastTransitionTime.IsZero() {
				c.LastTransitionTime = old.LastTransitionTime
			}
		}
		out = append(out, c)
	}
	for _, old := range st.Conditions {
		if !owned[old.Type] {
			out = append(out, old)
		}
	}
	st.Conditions = out
	st.Capacity = a.opts.Capacity.DeepCopy()
	st.Allocatable = a.opts.Allocatable.DeepCopy()
	st.Addresses = append([]corev1.NodeAddress(nil), a.opts.Addresses...)
	st.DaemonEndpoints = corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: a.opts.Port}}
	rtVer := rs.runtimeVer
	h := sha256.Sum256([]byte("machine/" + a.opts.NodeName))
	st.NodeInfo = corev1.NodeSystemInfo{
		MachineID:               hex.EncodeToString(h[:16]),
		SystemUUID:              uuidOf(h[16:32]),
		BootID:                  rs.bootID,
		KernelVersion:           "cellkit",
		OSImage:                 "cellkit node agent",
		ContainerRuntimeVersion: rtVer.Name + "://" + rtVer.Version,
		KubeletVersion:          a.opts.Version,
		OperatingSystem:         "linux",
		Architecture:            goruntime.GOARCH,
	}
	if rtVer.Name == "" {
		st.NodeInfo.ContainerRuntimeVersion = ""
	}
	st.Phase = ""
}

// writeNodeStatus posts the node's status through nodes/status.
func (a *Agent) writeNodeStatus(ctx context.Context, rs *runState) error {
	_, err := a.nodeStat.GuaranteedUpdate(ctx, "", a.opts.NodeName, func(cur *corev1.Node) (*corev1.Node, error) {
		a.fillNodeStatus(rs, &cur.Status)
		return cur, nil
	}, store.UpdateOptions{})
	if err != nil {
		return fmt.Errorf("update status of node %s: %w", a.opts.NodeName, err)
	}
	return nil
}

// postNodeStatus checks the runtime and posts the node status; a node deleted meanwhile is
// registered again.
func (a *Agent) postNodeStatus(ctx context.Context, rs *runState) {
	a.checkRuntime(ctx, rs)
	err := a.writeNodeStatus(ctx, rs)
	if apierrors.IsNotFound(err) {
		err = a.register(ctx, rs)
	}
	if err != nil && ctx.Err() == nil {
		a.log.Error(err, "posting node status failed")
	}
}

// renewLease creates or renews the node's Lease.
func (a *Agent) renewLease(ctx context.Context, rs *runState) {
	now := meta.NewMicroTime(a.clock.Now().Truncate(time.Microsecond))
	holder := a.opts.NodeName
	secs := int32(a.opts.LeaseDuration / time.Second)
	rs.nodeMu.Lock()
	nodeUID := rs.nodeUID
	rs.nodeMu.Unlock()
	fill := func(l *coordv1.Lease) {
		l.Spec.HolderIdentity = &holder
		l.Spec.LeaseDurationSeconds = &secs
		rt := now
		l.Spec.RenewTime = &rt
		if nodeUID != "" {
			ref := meta.OwnerReference{APIVersion: "v1", Kind: "Node", Name: a.opts.NodeName, UID: nodeUID}
			found := false
			for i := range l.OwnerReferences {
				if l.OwnerReferences[i].Kind == "Node" && l.OwnerReferences[i].Name == a.opts.NodeName {
					l.OwnerReferences[i] = ref
					found = true
				}
			}
			if !found {
				l.OwnerReferences = append(l.OwnerReferences, ref)
			}
		}
	}
	_, err := a.leases.GuaranteedUpdate(ctx, LeaseNamespace, holder, func(cur *coordv1.Lease) (*coordv1.Lease, error) {
		fill(cur)
		return cur, nil
	}, store.UpdateOptions{})
	if apierrors.IsNotFound(err) {
		l := &coordv1.Lease{ObjectMeta: meta.ObjectMeta{Namespace: LeaseNamespace, Name: holder}}
		fill(l)
		_, err = a.leases.Create(ctx, l)
	}
	if err != nil && ctx.Err() == nil {
		a.log.Error(err, "renewing the node lease failed")
	}
}

// start admits the pods found bound to the node in the order they were created (as the
// kubelet does at startup), adopts what the runtime still runs, and starts a worker per pod.
func (a *Agent) start(ctx context.Context, rs *runState) {
	sandboxes, err := a.rt.ListPodSandboxes(ctx)
	if err != nil {
		a.log.Error(err, "listing the runtime's sandboxes failed; pods start from scratch")
	}
	rs.mu.Lock()
	for _, sb := range sandboxes {
		rs.recovered[sb.UID] = append(rs.recovered[sb.UID], sb)
	}
	rs.accepting = true
	rs.mu.Unlock()

	pods := rs.lister.List(nil)
	sort.SliceStable(pods, func(i, j int) bool {
		return pods[i].CreationTimestamp.Before(&pods[j].CreationTimestamp)
	})
	seen := map[meta.UID]bool{}
	for _, p := range pods {
		seen[p.UID] = true
		if !isTerminalPhase(p.Status.Phase) && p.DeletionTimestamp == nil {
			a.admit(rs, p)
		}
		a.notify(rs, keyOf(p))
	}
	// Sandboxes of pods that are not bound here any more are killed and removed.
	for _, sb := range sandboxes {
		if !seen[sb.UID] {
			a.notify(rs, podKey{Namespace: sb.Namespace, Name: sb.Name, UID: sb.UID})
		}
	}
}

// resyncAll wakes every pod worker.
func (a *Agent) resyncAll(rs *runState) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for _, w := range rs.workers {
		w.poke()
	}
}

func (a *Agent) onRuntimeEvent(rs *runState, ev Event) {
	switch ev.Type {
	case EventRuntimeDown, EventRuntimeUp:
		rs.nodeMu.Lock()
		rs.runtimeReady = ev.Type == EventRuntimeUp
		rs.nodeMu.Unlock()
		a.resyncAll(rs)
		return
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if key, ok := rs.byUID[ev.PodUID]; ok {
		if w := rs.workers[key]; w != nil {
			w.poke()
		}
	}
}

func cloneStrings(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
