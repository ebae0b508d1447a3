package replicaset

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
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

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const ns = "default"

// newBackend returns the store the tests write to: a memory store of the built-in resources
// behind the registry (defaulting, validation, status subresource, graceful deletion), and
// the memory store itself (to write what the registry would refuse).
func newBackend(t testing.TB, clk clock.Clock) (reg, raw store.Interface) {
	t.Helper()
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := memory.New(memory.Options{Resources: res, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	r, err := registry.New(mem, registry.Options{Scheme: scheme, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return r, mem
}

// baseResource strips the status subresource from gr.
func baseResource(gr schema.GroupResource) (schema.GroupResource, bool) {
	base, ok := strings.CutSuffix(gr.Resource, registry.StatusSubresource)
	return schema.GroupResource{Group: gr.Group, Resource: base}, ok
}

// faultStore injects failures into pod creates and counts them.
type faultStore struct {
	store.Interface
	// createErr, when set, decides the error of the n-th pod create (from 1).
	createErr atomic.Pointer[func(n int64) error]
	// deleteErr, when set, decides the error of the n-th pod delete (from 1).
	deleteErr atomic.Pointer[func(n int64) error]
	creates   atomic.Int64
	deletes   atomic.Int64

	writes *writes
}

// writes remembers the newest revision written per resource.
type writes struct {
	mu   sync.Mutex
	last map[schema.GroupResource]int64
}

func (s *faultStore) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	if gr == podsResource {
		n := s.creates.Add(1)
		if f := s.createErr.Load(); f != nil {
			if err := (*f)(n); err != nil {
				return nil, err
			}
		}
	}
	return s.wrote(gr)(s.Interface.Create(ctx, gr, obj))
}

func (s *faultStore) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	return s.wrote(gr)(s.Interface.Update(ctx, gr, obj))
}

func (s *faultStore) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	return s.wrote(gr)(s.Interface.GuaranteedUpdate(ctx, gr, namespace, name, fn, opts))
}

func (s *faultStore) Delete(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	if gr == podsResource {
		n := s.deletes.Add(1)
		if f := s.deleteErr.Load(); f != nil {
			if err := (*f)(n); err != nil {
				return nil, err
			}
		}
	}
	return s.wrote(gr)(s.Interface.Delete(ctx, gr, namespace, name, opts))
}

// wrote records the revision of a successful write of gr (or of its status).
func (s *faultStore) wrote(gr schema.GroupResource) func(runtime.MetaObject, error) (runtime.MetaObject, error) {
	return func(obj runtime.MetaObject, err error) (runtime.MetaObject, error) {
		if err != nil {
			return obj, err
		}
		rv, perr := strconv.ParseInt(obj.GetObjectMeta().ResourceVersion, 10, 64)
		if perr != nil {
			return obj, err
		}
		base, _ := baseResource(gr)
		w := s.writes
		w.mu.Lock()
		w.last[base] = max(w.last[base], rv)
		w.mu.Unlock()
		return obj, nil
	}
}

// lastWrite returns the revision of the newest write of gr.
func (s *faultStore) lastWrite(gr schema.GroupResource) int64 {
	w := s.writes
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last[gr]
}

// gatedSources holds back the watch events of pods while closed, as a lagging informer would.
type gatedSources struct {
	inner informer.Sources
	mu    sync.Mutex
	open  chan struct{} // closed while events flow
}

func newGatedSources(inner informer.Sources) *gatedSources {
	g := &gatedSources{inner: inner, open: make(chan struct{})}
	close(g.open)
	return g
}

// hold stops the delivery of pod watch events (they are kept, in order).
func (g *gatedSources) hold() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
		g.open = make(chan struct{})
	default:
	}
}

// release delivers the events held back and lets later ones flow.
func (g *gatedSources) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.open:
	default:
		close(g.open)
	}
}

func (g *gatedSources) gate() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.open
}

func (g *gatedSources) Source(gr schema.GroupResource) (informer.Source, error) {
	src, err := g.inner.Source(gr)
	if err != nil || gr != podsResource {
		return src, err
	}
	return informer.SourceFuncs{
		ListFunc: src.List,
		WatchFunc: func(ctx context.Context, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
			up, err := src.Watch(ctx, namespace, opts)
			if err != nil {
				return nil, err
			}
			out := make(chan watch.Event[runtime.Object])
			p := watch.NewProxy(ctx, out)
			go func() {
				defer close(out)
				defer up.Stop()
				for ev := range up.ResultChan() {
					select {
					case <-g.gate():
					case <-p.Done():
						return
					}
					select {
					case out <- ev:
					case <-p.Done():
						return
					}
				}
			}()
			return p, nil
		},
	}, nil
}

// recorder keeps the events it is given.
type recorder struct {
	mu     sync.Mutex
	events []string // "Type Reason"
}

func (r *recorder) Eventf(obj runtime.MetaObject, eventType, reason, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, eventType+" "+reason)
}

func (r *recorder) count(reason string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if strings.HasSuffix(e, " "+reason) {
			n++
		}
	}
	return n
}

// env is a controller over a memory store with a fake clock, driven synchronously: sync
// waits for the caches to reflect every write so far and reconciles one ReplicaSet.
type env struct {
	t      testing.TB
	ctx    context.Context
	clk    *clock.Fake
	store  *faultStore
	raw    store.Interface // the memory store behind the registry
	gates  *gatedSources
	f      *informer.Factory
	c      *Controller
	stop   func() // stops the informers (and anything run on e.ctx); idempotent
	seen   *handled
	rec    *recorder
	rsInf  *informer.Informer[*appsv1.ReplicaSet]
	podInf *informer.Informer[*corev1.Pod]
	rss    store.Typed[*appsv1.ReplicaSet]
	pods   store.Typed[*corev1.Pod]
}

func newEnv(t testing.TB, opts Options) *env { return newEnvWith(t, opts, nil) }

// newEnvWith is newEnv with objects created (by setup) before the informers start, so they
// are part of the initial lists.
func newEnvWith(t testing.TB, opts Options, setup func(ctx context.Context, s, raw store.Interface)) *env {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	clk := clock.NewFake(epoch)
	reg, mem := newBackend(t, clk)
	w := &writes{last: map[schema.GroupResource]int64{}}
	fs := &faultStore{Interface: reg, writes: w}
	raw := &faultStore{Interface: mem, writes: w}
	// The namespace, written first: informers of a store that was never written list at
	// revision 0 and may merge the changes that follow (see package informer), which would
	// hide from the pod handler the revisions caughtUp waits for.
	if _, err := store.For[*corev1.Namespace](fs, namespacesResource).Create(ctx, &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(ctx, fs, raw)
	}
	gates := newGatedSources(informer.StoreSources(fs))
	f, err := informer.NewFactory(gates, informer.FactoryOptions{Clock: clk, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	if opts.Clock == nil {
		opts.Clock = clk
	}
	opts.Recorder = rec
	c, err := New(f, fs, opts)
	if err != nil {
		t.Fatal(err)
	}
	seen := &handled{ch: make(chan struct{})}
	c.podEventDone = seen.observe
	e := &env{t: t, ctx: ctx, clk: clk, store: fs, raw: raw, gates: gates, f: f, c: c, seen: seen, rec: rec,
		rss:  store.For[*appsv1.ReplicaSet](fs, replicaSetsResource),
		pods: store.For[*corev1.Pod](fs, podsResource),
	}
	e.rsInf, _ = informer.Shared[*appsv1.ReplicaSet](f, replicaSetsResource, informer.Scope{})
	e.podInf, _ = informer.Shared[*corev1.Pod](f, podsResource, informer.Scope{})
	f.Start(ctx)
	var once sync.Once
	e.stop = func() {
		once.Do(func() {
			cancel()
			f.Wait()
		})
	}
	t.Cleanup(e.stop)
	syncers := []informer.Syncer{}
	for _, s := range c.CacheSyncers() {
		syncers = append(syncers, s)
	}
	if err := informer.WaitForSync(ctx, syncers...); err != nil {
		t.Fatal(err)
	}
	return e
}

// caughtUp waits until the caches reflect every write made so far (pods only when the gate
// is open).
func (e *env) caughtUp() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	if rev := e.store.lastWrite(replicaSetsResource); rev > 0 {
		if err := e.rsInf.WaitForRevision(ctx, rev); err != nil {
			e.t.Fatalf("replicaset cache did not reach revision %d: %v", rev, err)
		}
	}
	select {
	case <-e.gates.gate():
		if rev := e.store.lastWrite(podsResource); rev > 0 {
			if err := e.seen.wait(ctx, rev); err != nil {
				e.t.Fatalf("pod handler did not reach revision %d: %v", rev, err)
			}
		}
	default:
	}
}

// handled tracks the newest pod revision the controller's pod handler has processed.
type handled struct {
	mu  sync.Mutex
	rev int64
	ch  chan struct{} // closed and replaced on every change of rev
}

func (h *handled) observe(p *corev1.Pod) {
	rv, err := strconv.ParseInt(p.ResourceVersion, 10, 64)
	if err != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if rv > h.rev {
		h.rev = rv
		close(h.ch)
		h.ch = make(chan struct{})
	}
}

// wait blocks until the handler processed revision rev (or a later one).
func (h *handled) wait(ctx context.Context, rev int64) error {
	for {
		h.mu.Lock()
		cur, ch := h.rev, h.ch
		h.mu.Unlock()
		if cur >= rev {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("handled revision %d: %w", cur, ctx.Err())
		}
	}
}

// sync reconciles the ReplicaSet name once the caches caught up.
func (e *env) sync(name string) (controller.Result, error) {
	e.t.Helper()
	e.caughtUp()
	return e.c.Reconcile(e.ctx, controller.Request{Namespace: ns, Name: name})
}

// converge syncs name until a sync writes nothing (at most 20 times) and returns the last
// result.
func (e *env) converge(name string) controller.Result {
	e.t.Helper()
	for range 20 {
		before := e.revision()
		res, err := e.sync(name)
		if err != nil {
			e.t.Fatalf("sync %s: %v", name, err)
		}
		if e.revision() == before {
			return res
		}
	}
	e.t.Fatalf("replicaset %s did not converge in 20 syncs", name)
	return controller.Result{}
}

func (e *env) revision() int64 {
	st, err := e.store.Stats(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return st.Revision
}

func int32p(n int32) *int32 { return &n }

func newRS(name string, replicas int32, sel map[string]string) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: int32p(replicas),
			Selector: &meta.LabelSelector{MatchLabels: sel},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: sel},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx"}}},
			},
		},
	}
}

func (e *env) createRS(rs *appsv1.ReplicaSet) *appsv1.ReplicaSet {
	e.t.Helper()
	out, err := e.rss.Create(e.ctx, rs)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) getRS(name string) *appsv1.ReplicaSet {
	e.t.Helper()
	out, err := e.rss.Get(e.ctx, ns, name, store.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) updateRS(name string, fn func(rs *appsv1.ReplicaSet)) {
	e.t.Helper()
	_, err := e.rss.GuaranteedUpdate(e.ctx, ns, name, func(rs *appsv1.ReplicaSet) (*appsv1.ReplicaSet, error) {
		fn(rs)
		return rs, nil
	}, store.UpdateOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
}

// listPods returns the pods of the namespace in the store, by name.
func (e *env) listPods() []*corev1.Pod {
	e.t.Helper()
	l, err := e.pods.List(e.ctx, ns, store.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return l.Items
}

// ownedBy returns the names of the store's pods controlled by rs (by UID) that are not being
// deleted.
func (e *env) ownedBy(rs *appsv1.ReplicaSet) []string {
	var out []string
	for _, p := range e.listPods() {
		if p.DeletionTimestamp != nil {
			continue
		}
		if ref := meta.GetControllerOf(&p.ObjectMeta); ref != nil && ref.UID == rs.UID {
			out = append(out, p.Name)
		}
	}
	slices.Sort(out)
	return out
}

func (e *env) createPod(p *corev1.Pod) *corev1.Pod {
	e.t.Helper()
	out, err := e.pods.Create(e.ctx, p)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) updatePod(name string, fn func(p *corev1.Pod)) {
	e.t.Helper()
	_, err := e.pods.GuaranteedUpdate(e.ctx, ns, name, func(p *corev1.Pod) (*corev1.Pod, error) {
		fn(p)
		return p, nil
	}, store.UpdateOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) updatePodStatus(name string, fn func(st *corev1.PodStatus)) {
	e.t.Helper()
	_, err := store.For[*corev1.Pod](e.store, podStatusResource).GuaranteedUpdate(e.ctx, ns, name, func(p *corev1.Pod) (*corev1.Pod, error) {
		fn(&p.Status)
		return p, nil
	}, store.UpdateOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
}

// bind binds pod name to node (if it is not bound yet) and sets its phase.
func (e *env) bind(name, node string, phase corev1.PodPhase) {
	e.t.Helper()
	e.updatePod(name, func(p *corev1.Pod) {
		if p.Spec.NodeName == "" {
			p.Spec.NodeName = node
		}
	})
	e.updatePodStatus(name, func(st *corev1.PodStatus) { st.Phase = phase })
}

// setReady binds pod name to node-1 and marks it Running and Ready since at.
func (e *env) setReady(name string, at time.Time) {
	e.t.Helper()
	e.bind(name, "node-1", corev1.PodRunning)
	e.updatePodStatus(name, func(st *corev1.PodStatus) {
		st.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: meta.NewTime(at)}}
	})
}

// activePods returns the names of the store's pods that are not being deleted.
func (e *env) activePods() []string {
	var out []string
	for _, p := range e.listPods() {
		if p.DeletionTimestamp == nil {
			out = append(out, p.Name)
		}
	}
	return out
}

// testPod returns a valid pod with labels.
func testPod(name string, lbls map[string]string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Labels: lbls},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx"}}},
	}
}

var (
	podStatusResource  = schema.GroupResource{Resource: "pods/status"}
	namespacesResource = schema.GroupResource{Resource: "namespaces"}
)

var errQuota = apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", fmt.Errorf("exceeded quota"))
