package garbagecollector

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	rbacv1 "github.com/cellkit/cellkit/apimachinery/apis/rbac/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
	"github.com/cellkit/cellkit/workqueue"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	podsGR         = schema.GroupResource{Resource: "pods"}
	configMapsGR   = schema.GroupResource{Resource: "configmaps"}
	secretsGR      = schema.GroupResource{Resource: "secrets"}
	replicaSetsGR  = schema.GroupResource{Group: "apps", Resource: "replicasets"}
	deploymentsGR  = schema.GroupResource{Group: "apps", Resource: "deployments"}
	clusterRolesGR = schema.GroupResource{Group: "rbac.authorization.k8s.io", Resource: "clusterroles"}
	eventsGR       = schema.GroupResource{Resource: "events"}

	testResources = []schema.GroupResource{podsGR, configMapsGR, secretsGR, replicaSetsGR, deploymentsGR, clusterRolesGR}

	start = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
)

// env is a memory store behind the registry, a shared informer factory on a fake clock and a
// collector over them.
type env struct {
	t       testing.TB
	ctx     context.Context
	clk     *clock.Fake
	scheme  *runtime.Scheme
	mem     store.Interface
	reg     store.Interface
	factory *informer.Factory
	gc      *Controller
	cancel  context.CancelFunc
	done    chan error
}

// newEnv builds an env; extra are store resources beyond the built-in table of the scheme.
func newEnv(t testing.TB, opts Options, extra ...store.Resource) *env {
	t.Helper()
	return buildEnv(t, opts, nil, extra...)
}

// buildEnv builds an env whose collector writes through wrap(registry) when wrap is set.
func buildEnv(t testing.TB, opts Options, wrap func(store.Interface) store.Interface, extra ...store.Resource) *env {
	t.Helper()
	scheme := opts.Scheme
	if scheme == nil {
		var err error
		if scheme, err = apis.NewScheme(); err != nil {
			t.Fatal(err)
		}
	}
	resources, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	resources = append(resources, extra...)
	clk := clock.NewFake(start)
	mem, err := memory.New(memory.Options{Resources: resources, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.New(mem, registry.Options{Scheme: scheme, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	f, err := informer.NewFactory(informer.StoreSources(reg), informer.FactoryOptions{Clock: clk, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	opts.Clock, opts.Scheme = clk, scheme
	if opts.Resources == nil {
		opts.Resources = testResources
	}
	if opts.Workers == 0 {
		opts.Workers = 4
	}
	var writes store.Interface = reg
	if wrap != nil {
		writes = wrap(reg)
	}
	gc, err := New(f, writes, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &env{t: t, ctx: ctx, clk: clk, scheme: scheme, mem: mem, reg: reg, factory: f, gc: gc, cancel: cancel}
	t.Cleanup(e.stop)
	return e
}

// run starts the informers and the collector.
func (e *env) run() {
	e.factory.Start(e.ctx)
	e.done = make(chan error, 1)
	go func() { e.done <- e.gc.Run(e.ctx) }()
}

func (e *env) stop() {
	e.cancel()
	if e.done != nil {
		if err := <-e.done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
		e.done = nil
	}
	e.factory.Wait()
}

// eventually waits until cond holds, stepping the fake clock so that backoffs elapse. It
// fails the test with what cond last reported after a bound of real time.
func (e *env) eventually(what string, cond func() (bool, string)) {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	last := ""
	for {
		ok, s := cond()
		if ok {
			return
		}
		last = s
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: not reached; last seen: %s", what, last)
		}
		timer := time.NewTimer(time.Millisecond)
		<-timer.C
		e.clk.Step(10 * time.Millisecond)
	}
}

func (e *env) create(gr schema.GroupResource, obj runtime.MetaObject) runtime.MetaObject {
	e.t.Helper()
	out, err := e.reg.Create(e.ctx, gr, obj)
	if err != nil {
		e.t.Fatalf("create %s %s: %v", gr, obj.GetObjectMeta().Name, err)
	}
	return out
}

func (e *env) delete(gr schema.GroupResource, ns, name string, policy meta.DeletionPropagation) {
	e.t.Helper()
	if _, err := e.reg.Delete(e.ctx, gr, ns, name, store.DeleteOptions{PropagationPolicy: &policy}); err != nil {
		e.t.Fatalf("delete %s %s/%s: %v", gr, ns, name, err)
	}
}

// get returns the object, or nil when it does not exist.
func (e *env) get(gr schema.GroupResource, ns, name string) runtime.MetaObject {
	e.t.Helper()
	obj, err := e.reg.Get(e.ctx, gr, ns, name, store.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		e.t.Fatalf("get %s %s/%s: %v", gr, ns, name, err)
	}
	return obj
}

// state lists every object of the test resources as "resource ns/name -> owner names".
func (e *env) state() map[string][]string {
	e.t.Helper()
	out := map[string][]string{}
	for _, gr := range testResources {
		l, err := e.reg.List(e.ctx, gr, "", store.ListOptions{})
		if err != nil {
			e.t.Fatalf("list %s: %v", gr, err)
		}
		for _, obj := range l.Items {
			m := obj.GetObjectMeta()
			owners := []string{}
			for _, r := range m.OwnerReferences {
				owners = append(owners, r.Name)
			}
			sort.Strings(owners)
			out[objName(gr, m.Namespace, m.Name)] = owners
		}
	}
	return out
}

func objName(gr schema.GroupResource, ns, name string) string {
	if ns == "" {
		return gr.Resource + " " + name
	}
	return gr.Resource + " " + ns + "/" + name
}

// observedAll reports whether the graph has observed every object of the store.
func (e *env) observedAll() (bool, string) {
	for _, gr := range testResources {
		l, err := e.reg.List(e.ctx, gr, "", store.ListOptions{})
		if err != nil {
			return false, err.Error()
		}
		for _, obj := range l.Items {
			m := obj.GetObjectMeta()
			e.gc.graph.mu.Lock()
			n := e.gc.graph.nodes[m.UID]
			ok := n != nil && n.observed && slices.EqualFunc(n.owners, m.OwnerReferences, sameRef) &&
				n.beingDeleted == (m.DeletionTimestamp != nil)
			e.gc.graph.mu.Unlock()
			if !ok {
				return false, fmt.Sprintf("graph has not caught up with %s", objName(gr, m.Namespace, m.Name))
			}
		}
	}
	return true, ""
}

func (e *env) waitObserved() {
	e.t.Helper()
	e.eventually("graph caught up", e.observedAll)
}

func ref(obj runtime.MetaObject, block bool) meta.OwnerReference {
	m := obj.GetObjectMeta()
	gvk := obj.GetObjectKind().GroupVersionKind()
	apiVersion, kind := gvk.ToAPIVersionAndKind()
	r := meta.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: m.Name, UID: m.UID}
	if block {
		r.BlockOwnerDeletion = ptr(true)
	}
	return r
}

func controllerRef(obj runtime.MetaObject) meta.OwnerReference {
	r := ref(obj, true)
	r.Controller = ptr(true)
	return r
}

func ptr[T any](v T) *T { return &v }

func podSpec() corev1.PodSpec {
	return corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "img:1"}}}
}

func deployment(ns, name string) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: appsv1.DeploymentSpec{
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": name}}, Spec: podSpec()},
		},
	}
}

func replicaSet(ns, name, app string, owners ...meta.OwnerReference) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, OwnerReferences: owners},
		Spec: appsv1.ReplicaSetSpec{
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": app}},
			Template: corev1.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": app}}, Spec: podSpec()},
		},
	}
}

func pod(ns, name string, owners ...meta.OwnerReference) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, OwnerReferences: owners}, Spec: podSpec()}
}

func configMap(ns, name string, owners ...meta.OwnerReference) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, OwnerReferences: owners}}
}

func secret(ns, name string, owners ...meta.OwnerReference) *corev1.Secret {
	return &corev1.Secret{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, OwnerReferences: owners}}
}

func clusterRole(name string, owners ...meta.OwnerReference) *rbacv1.ClusterRole {
	return &rbacv1.ClusterRole{ObjectMeta: meta.ObjectMeta{Name: name, OwnerReferences: owners}}
}

// stateString renders a state for failure messages.
func stateString(s map[string][]string) string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s%v; ", k, s[k])
	}
	return b.String()
}

// idle reports whether the graph has caught up with the store and both queues are empty.
func (e *env) idle() (bool, string) {
	if ok, s := e.observedAll(); !ok {
		return false, s
	}
	for _, q := range []*workqueue.Queue[meta.UID]{e.gc.deleteQueue, e.gc.orphanQueue} {
		if st := q.Stats(); st.Ready+st.Delayed+st.Processing > 0 {
			return false, fmt.Sprintf("queue busy: %+v", st)
		}
	}
	return true, ""
}

// deletions records the revision at which each object of grs is removed, from rev on.
type deletions struct {
	mu   sync.Mutex
	revs map[string]int64
	ws   []watch.Interface[runtime.Object]
}

func (e *env) recordDeletions(grs ...schema.GroupResource) *deletions {
	e.t.Helper()
	st, err := e.reg.Stats(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	d := &deletions{revs: map[string]int64{}}
	var wg sync.WaitGroup
	for _, gr := range grs {
		w, err := e.reg.Watch(e.ctx, gr, "", store.WatchOptions{Revision: st.Revision})
		if err != nil {
			e.t.Fatal(err)
		}
		d.ws = append(d.ws, w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range w.ResultChan() {
				if ev.Type != watch.Deleted {
					continue
				}
				m := ev.Object.(runtime.MetaObject).GetObjectMeta()
				rev, _ := strconv.ParseInt(m.ResourceVersion, 10, 64)
				d.mu.Lock()
				d.revs[objName(gr, m.Namespace, m.Name)] = rev
				d.mu.Unlock()
			}
		}()
	}
	e.t.Cleanup(func() {
		for _, w := range d.ws {
			w.Stop()
		}
		wg.Wait()
	})
	return d
}

func (d *deletions) rev(name string) int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.revs[name]
}
