package nodelifecycle

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// t0 is the fake clock's start: a whole second, so that taint timestamps (kept to the second)
// are exact.
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func baseResource(gr schema.GroupResource) schema.GroupResource {
	gr.Resource, _, _ = strings.Cut(gr.Resource, "/")
	return gr
}

// tracked is a store that records the revision of the last write of each resource, so that
// the harness can wait for the informers to reflect every write (its own and the
// controller's). With alias set, "x/status" is served by "x" (for a backend without
// subresources).
type tracked struct {
	store.Interface
	alias bool
	mu    sync.Mutex
	revs  map[schema.GroupResource]int64
	// fail, when set, is asked before every write ("create", "update", "delete") whether to
	// fail it with the error it returns.
	fail func(op string, gr schema.GroupResource) error
}

func (t *tracked) injected(op string, gr schema.GroupResource) error {
	t.mu.Lock()
	f := t.fail
	t.mu.Unlock()
	if f == nil {
		return nil
	}
	return f(op, gr)
}

// failOnce makes the next write op of gr fail with err.
func (t *tracked) failOnce(op string, gr schema.GroupResource, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	done := false
	t.fail = func(o string, g schema.GroupResource) error {
		if done || o != op || g != gr {
			return nil
		}
		done = true
		return err
	}
}

func (t *tracked) res(gr schema.GroupResource) schema.GroupResource {
	if t.alias {
		return baseResource(gr)
	}
	return gr
}

func (t *tracked) note(gr schema.GroupResource, obj runtime.MetaObject, err error) {
	if err != nil || obj == nil {
		return
	}
	rv, perr := strconv.ParseInt(obj.GetObjectMeta().ResourceVersion, 10, 64)
	if perr != nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if rv > t.revs[baseResource(gr)] {
		t.revs[baseResource(gr)] = rv
	}
}

func (t *tracked) rev(gr schema.GroupResource) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.revs[gr]
}

func (t *tracked) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	if err := t.injected("create", gr); err != nil {
		return nil, err
	}
	out, err := t.Interface.Create(ctx, t.res(gr), obj)
	t.note(gr, out, err)
	return out, err
}

func (t *tracked) Get(ctx context.Context, gr schema.GroupResource, ns, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	return t.Interface.Get(ctx, t.res(gr), ns, name, opts)
}

func (t *tracked) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	if err := t.injected("update", gr); err != nil {
		return nil, err
	}
	out, err := t.Interface.Update(ctx, t.res(gr), obj)
	t.note(gr, out, err)
	return out, err
}

func (t *tracked) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, ns, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	if err := t.injected("update", gr); err != nil {
		return nil, err
	}
	out, err := t.Interface.GuaranteedUpdate(ctx, t.res(gr), ns, name, fn, opts)
	t.note(gr, out, err)
	return out, err
}

func (t *tracked) Delete(ctx context.Context, gr schema.GroupResource, ns, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	if err := t.injected("delete", gr); err != nil {
		return nil, err
	}
	out, err := t.Interface.Delete(ctx, t.res(gr), ns, name, opts)
	t.note(gr, out, err)
	return out, err
}

func (t *tracked) List(ctx context.Context, gr schema.GroupResource, ns string, opts store.ListOptions) (*store.List, error) {
	return t.Interface.List(ctx, t.res(gr), ns, opts)
}

func (t *tracked) Watch(ctx context.Context, gr schema.GroupResource, ns string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	return t.Interface.Watch(ctx, t.res(gr), ns, opts)
}

// events is an EventRecorder that keeps "kind/name reason: message" lines.
type events struct {
	mu    sync.Mutex
	lines []string
}

func (e *events) Eventf(obj runtime.MetaObject, typ, reason, format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := obj.GetObjectMeta()
	kind := "node"
	if _, ok := obj.(*corev1.Pod); ok {
		kind = "pod"
	}
	name := m.Name
	if m.Namespace != "" {
		name = m.Namespace + "/" + name
	}
	e.lines = append(e.lines, fmt.Sprintf("%s %s %s %s: %s", typ, kind, name, reason, fmt.Sprintf(format, args...)))
}

func (e *events) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.lines
	e.lines = nil
	return out
}

var leasesResource = schema.GroupResource{Group: coordinationv1.GroupName, Resource: "leases"}

// harness is a store, shared informers and a controller on a fake clock. In step mode the
// test drives the controller itself (pass), so that every decision happens at a known fake
// time; Run mode runs it as in production.
type harness struct {
	t      testing.TB
	ctx    context.Context
	clk    *clock.Fake
	s      *tracked
	f      *informer.Factory
	c      *Controller
	ev     *events
	nodes  store.Typed[*corev1.Node]
	status store.Typed[*corev1.Node]
	pods   store.Typed[*corev1.Pod]
	podSt  store.Typed[*corev1.Pod]
	leases store.Typed[*coordinationv1.Lease]
	// requeues holds the RequeueAfter of the last reconcile of each pod, in step mode.
	requeues map[string]time.Duration
	// alive are the nodes whose Lease monitor renews before each pass.
	alive map[string]bool
}

// newHarness builds the harness over a memory store behind the registry. The registry adds
// no default tolerations to pods unless defaultTolerations is set in hopts.
func newHarness(t testing.TB, opts Options, hopts ...harnessOption) *harness {
	t.Helper()
	var ho harnessOptions
	for _, o := range hopts {
		o(&ho)
	}
	clk := clock.NewFake(t0)
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	resources, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	backend, err := memory.New(memory.Options{Resources: resources, Clock: clk, MaxHistoryAge: -1})
	if err != nil {
		t.Fatal(err)
	}
	tolerations := int64(-1)
	if ho.defaultTolerations != nil {
		tolerations = *ho.defaultTolerations
	}
	reg, err := registry.New(backend, registry.Options{Scheme: scheme, Clock: clk, DefaultTolerationSeconds: &tolerations})
	if err != nil {
		t.Fatal(err)
	}
	s := &tracked{Interface: reg, revs: map[schema.GroupResource]int64{}}
	f, err := informer.NewFactory(informer.StoreSources(s), informer.FactoryOptions{Clock: clk, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ev := &events{}
	opts.Clock = clk
	if opts.Events == nil {
		opts.Events = ev
	}
	c, err := New(f, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		f.Wait()
	})
	f.Start(ctx)
	if err := f.WaitForSync(ctx); err != nil {
		t.Fatal(err)
	}
	return &harness{
		t: t, ctx: ctx, clk: clk, s: s, f: f, c: c, ev: ev,
		nodes:    store.For[*corev1.Node](s, nodesGR),
		status:   store.For[*corev1.Node](s, nodeStatusGR),
		pods:     store.For[*corev1.Pod](s, podsGR),
		podSt:    store.For[*corev1.Pod](s, podStatusGR),
		leases:   store.For[*coordinationv1.Lease](s, leasesResource),
		requeues: map[string]time.Duration{},
		alive:    map[string]bool{},
	}
}

type harnessOptions struct{ defaultTolerations *int64 }

type harnessOption func(*harnessOptions)

// withDefaultTolerations makes the registry add the not-ready and unreachable tolerations
// of secs seconds to new pods, as the API server does.
func withDefaultTolerations(secs int64) harnessOption {
	return func(o *harnessOptions) { o.defaultTolerations = &secs }
}

// keepAlive makes monitor renew the Leases of the nodes before each pass.
func (h *harness) keepAlive(names ...string) {
	for _, n := range names {
		h.alive[n] = true
	}
}

// silence stops the Lease renewals of the nodes.
func (h *harness) silence(names ...string) {
	for _, n := range names {
		delete(h.alive, n)
	}
}

// settle waits until the informers reflect every write made so far.
func (h *harness) settle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 10*time.Second)
	defer cancel()
	for _, w := range []struct {
		gr  schema.GroupResource
		inf interface {
			WaitForRevision(context.Context, int64) error
		}
	}{{nodesGR, h.c.nodeInf}, {podsGR, h.c.podInf}, {leasesResource, h.c.leaseInf}} {
		if err := w.inf.WaitForRevision(ctx, h.s.rev(w.gr)); err != nil {
			h.t.Fatalf("settle %s: %v", w.gr, err)
		}
	}
}

// at moves the fake clock to t0+d.
func (h *harness) at(d time.Duration) {
	h.t.Helper()
	now := h.clk.Now()
	if want := t0.Add(d); want.Before(now) {
		h.t.Fatalf("at %v: the clock is already at %v", d, now.Sub(t0))
	} else {
		h.clk.SetTime(want)
	}
}

func (h *harness) now() time.Duration { return h.clk.Now().Sub(t0) }

// monitor renews the Leases of the live nodes and runs one monitor pass on settled caches.
func (h *harness) monitor() {
	h.t.Helper()
	names := make([]string, 0, len(h.alive))
	for n := range h.alive {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h.renew(n)
	}
	h.settle()
	if err := h.c.monitor(h.ctx); err != nil {
		h.t.Fatalf("monitor at %v: %v", h.now(), err)
	}
	h.settle()
}

// taint runs one tainting pass.
func (h *harness) taint() {
	h.t.Helper()
	h.settle()
	if err := h.c.taintPass(h.ctx); err != nil {
		h.t.Fatalf("taint pass at %v: %v", h.now(), err)
	}
	h.settle()
}

// evict reconciles every pod of the cache once, as the eviction workers would.
func (h *harness) evict() {
	h.t.Helper()
	h.settle()
	for _, p := range h.c.podInf.Lister().List(nil) {
		req := controller.Request{Namespace: p.Namespace, Name: p.Name}
		res, err := h.c.reconcilePod(h.ctx, req)
		if err != nil {
			h.t.Fatalf("reconcile %s at %v: %v", req, h.now(), err)
		}
		h.requeues[req.String()] = res.RequeueAfter
	}
	h.settle()
}

// noSchedule reconciles the condition taints of every node of the cache once.
func (h *harness) noSchedule() {
	h.t.Helper()
	h.settle()
	for _, n := range h.c.nodeInf.Lister().List(nil) {
		if _, err := h.c.reconcileNode(h.ctx, controller.Request{Name: n.Name}); err != nil {
			h.t.Fatalf("reconcile node %s at %v: %v", n.Name, h.now(), err)
		}
	}
	h.settle()
}

// pass is what the controller does at one tick: a monitor pass, then the condition taints
// and the evictions.
func (h *harness) pass() {
	h.t.Helper()
	h.monitor()
	h.noSchedule()
	h.evict()
}

// runUntil runs a pass at every multiple of the monitor period up to and including t0+end.
func (h *harness) runUntil(end time.Duration) {
	h.t.Helper()
	p := h.c.opts.MonitorPeriod
	next := (h.now()/p + 1) * p
	for ; next <= end; next += p {
		h.at(next)
		h.pass()
	}
}

// addNode creates a node (ready "" for one that never reported) without a Lease.
func (h *harness) addNode(name, zone string, ready corev1.ConditionStatus) {
	h.t.Helper()
	n := &corev1.Node{ObjectMeta: meta.ObjectMeta{Name: name}}
	if zone != "" {
		n.Labels = map[string]string{corev1.LabelTopologyZone: zone}
	}
	if ready != "" {
		now := meta.NewTime(h.clk.Now())
		n.Status.Conditions = []corev1.NodeCondition{
			{Type: corev1.NodeReady, Status: ready, LastHeartbeatTime: now, LastTransitionTime: now, Reason: "KubeletReady"},
			{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, LastHeartbeatTime: now, LastTransitionTime: now},
		}
	}
	if _, err := h.nodes.Create(h.ctx, n); err != nil {
		h.t.Fatalf("create node %s: %v", name, err)
	}
}

// renew renews the node's Lease (creating it the first time).
func (h *harness) renew(name string) {
	h.t.Helper()
	now := meta.NewMicroTime(h.clk.Now())
	_, err := h.leases.GuaranteedUpdate(h.ctx, corev1.NamespaceNodeLease, name, func(l *coordinationv1.Lease) (*coordinationv1.Lease, error) {
		l.Spec.RenewTime = &now
		return l, nil
	}, store.UpdateOptions{})
	if apierrors.IsNotFound(err) {
		holder, secs := name, int32(40)
		_, err = h.leases.Create(h.ctx, &coordinationv1.Lease{
			ObjectMeta: meta.ObjectMeta{Namespace: corev1.NamespaceNodeLease, Name: name},
			Spec:       coordinationv1.LeaseSpec{HolderIdentity: &holder, LeaseDurationSeconds: &secs, RenewTime: &now},
		})
	}
	if err != nil {
		h.t.Fatalf("renew lease %s: %v", name, err)
	}
}

// post posts the node's Ready condition, as its agent would: with a fresh heartbeat.
func (h *harness) post(name string, ready corev1.ConditionStatus) {
	h.t.Helper()
	now := meta.NewTime(h.clk.Now())
	_, err := h.status.GuaranteedUpdate(h.ctx, "", name, func(n *corev1.Node) (*corev1.Node, error) {
		for i := range n.Status.Conditions {
			c := &n.Status.Conditions[i]
			if c.Type != corev1.NodeReady {
				continue
			}
			if c.Status != ready {
				c.LastTransitionTime = now
			}
			c.Status, c.LastHeartbeatTime, c.Reason, c.Message = ready, now, "KubeletReady", ""
			return n, nil
		}
		n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: corev1.NodeReady, Status: ready, LastHeartbeatTime: now, LastTransitionTime: now})
		return n, nil
	}, store.UpdateOptions{})
	if err != nil {
		h.t.Fatalf("post status of %s: %v", name, err)
	}
}

func seconds(s int64) *int64 { return &s }

// tolerate returns the toleration of the unreachable and not-ready taints for secs seconds
// (nil: forever).
func tolerate(key string, secs *int64) corev1.Toleration {
	return corev1.Toleration{Key: key, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: secs}
}

func (h *harness) addPod(name, node string, tolerations ...corev1.Toleration) {
	h.t.Helper()
	p := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec: corev1.PodSpec{
			NodeName:    node,
			Containers:  []corev1.Container{{Name: "c", Image: "img"}},
			Tolerations: tolerations,
		},
	}
	if _, err := h.pods.Create(h.ctx, p); err != nil {
		h.t.Fatalf("create pod %s: %v", name, err)
	}
	now := meta.NewTime(h.clk.Now())
	_, err := h.podSt.GuaranteedUpdate(h.ctx, "default", name, func(p *corev1.Pod) (*corev1.Pod, error) {
		p.Status.Phase = corev1.PodRunning
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: now}}
		return p, nil
	}, store.UpdateOptions{})
	if err != nil {
		h.t.Fatalf("set status of pod %s: %v", name, err)
	}
}

func (h *harness) node(name string) *corev1.Node {
	h.t.Helper()
	n, err := h.nodes.Get(h.ctx, "", name, store.GetOptions{})
	if err != nil {
		h.t.Fatalf("get node %s: %v", name, err)
	}
	return n
}

func (h *harness) ready(name string) corev1.ConditionStatus {
	h.t.Helper()
	if r := readyCondition(h.node(name)); r != nil {
		return r.Status
	}
	return ""
}

// taints returns the keys of the node's NoExecute taints, sorted.
func (h *harness) taints(name string) []string {
	return h.taintKeys(name, corev1.TaintEffectNoExecute)
}

// taintKeys returns the keys of the node's taints of an effect, sorted.
func (h *harness) taintKeys(name string, effect corev1.TaintEffect) []string {
	h.t.Helper()
	var keys []string
	for _, t := range h.node(name).Spec.Taints {
		if t.Effect == effect {
			keys = append(keys, t.Key)
		}
	}
	sort.Strings(keys)
	return keys
}

// evicted reports whether the pod is gone or being deleted.
func (h *harness) evicted(name string) bool {
	h.t.Helper()
	p, err := h.pods.Get(h.ctx, "default", name, store.GetOptions{})
	if apierrors.IsNotFound(err) {
		return true
	}
	if err != nil {
		h.t.Fatalf("get pod %s: %v", name, err)
	}
	return p.DeletionTimestamp != nil
}

func (h *harness) pod(name string) *corev1.Pod {
	h.t.Helper()
	p, err := h.pods.Get(h.ctx, "default", name, store.GetOptions{})
	if err != nil {
		h.t.Fatalf("get pod %s: %v", name, err)
	}
	return p
}

// tainted returns the nodes that carry the not-ready or unreachable taint, sorted.
func (h *harness) tainted() []string {
	h.t.Helper()
	l, err := h.nodes.List(h.ctx, "", store.ListOptions{})
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, n := range l.Items {
		if hasTaint(n.Spec.Taints, &notReadyTaint) || hasTaint(n.Spec.Taints, &unreachableTaint) {
			out = append(out, n.Name)
		}
	}
	sort.Strings(out)
	return out
}

// gr parses "resource" or "resource/sub" of the core group.
func gr(s string) schema.GroupResource { return schema.GroupResource{Resource: s} }

// restart replaces the controller by a new one, with its own informers, over the same store:
// what a restart or a new leader sees.
func (h *harness) restart() {
	h.t.Helper()
	f, err := informer.NewFactory(informer.StoreSources(h.s), informer.FactoryOptions{Clock: h.clk, Seed: 2})
	if err != nil {
		h.t.Fatal(err)
	}
	c, err := New(f, h.s, h.c.opts)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(h.ctx)
	h.t.Cleanup(func() {
		cancel()
		f.Wait()
	})
	f.Start(ctx)
	if err := f.WaitForSync(ctx); err != nil {
		h.t.Fatal(err)
	}
	h.f, h.c = f, c
}
