package deployment

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/controller/record"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The event recorder of controller/record fits Options.Recorder.
var _ EventRecorder = (*record.Recorder)(nil)

const ns = "default"

var (
	rsStatusGR = schema.GroupResource{Group: "apps", Resource: "replicasets/status"}
	epoch      = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// eventLog is an EventRecorder that keeps "Type Reason message" lines.
type eventLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *eventLog) Eventf(obj runtime.MetaObject, eventType, reason, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, eventType+" "+reason+" "+fmt.Sprintf(format, args...))
}

func (l *eventLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}

// env is a store with the registry's semantics, shared informers on it, and the controller,
// driven step by step: the test calls reconcile (the controller's work for one Deployment)
// and settle (the ReplicaSet controller's and the pods' work: every ReplicaSet gets its pods
// at once, and gain decides how many more of them become available per round).
type env struct {
	t      testing.TB
	ctx    context.Context
	clk    *clock.Fake
	s      store.Interface
	c      *Controller
	f      *informer.Factory
	events *eventLog
	podInf *informer.Informer[*corev1.Pod]

	deps     store.Typed[*appsv1.Deployment]
	rss      store.Typed[*appsv1.ReplicaSet]
	rsStatus store.Typed[*appsv1.ReplicaSet]
	pods     store.Typed[*corev1.Pod]

	mu   sync.Mutex
	revs map[schema.GroupResource]int64 // latest revision the test wrote, per resource
}

func newEnv(t testing.TB) *env {
	t.Helper()
	scheme, err := apis.NewScheme()
	require.NoError(t, err)
	res, err := builtin.Resources(scheme)
	require.NoError(t, err)
	clk := clock.NewFake(epoch)
	raw, err := memory.New(memory.Options{Resources: res, Clock: clk})
	require.NoError(t, err)
	s, err := registry.New(raw, registry.Options{Scheme: scheme, Clock: clk})
	require.NoError(t, err)
	f, err := informer.NewFactory(informer.StoreSources(s), informer.FactoryOptions{Clock: clk})
	require.NoError(t, err)
	ev := &eventLog{}
	c, err := New(f, s, Options{Clock: clk, Recorder: ev, Scheme: scheme})
	require.NoError(t, err)
	podInf, err := informer.Shared[*corev1.Pod](f, podsGR, informer.Scope{})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	f.Start(ctx)
	t.Cleanup(func() { cancel(); f.Wait() })
	require.NoError(t, f.WaitForSync(ctx))
	return &env{
		t: t, ctx: ctx, clk: clk, s: s, c: c, f: f, events: ev, podInf: podInf,
		deps: store.For[*appsv1.Deployment](s, deploymentsGR), rss: store.For[*appsv1.ReplicaSet](s, replicaSetsGR),
		rsStatus: store.For[*appsv1.ReplicaSet](s, rsStatusGR), pods: store.For[*corev1.Pod](s, podsGR),
		revs: map[schema.GroupResource]int64{},
	}
}

func (e *env) wrote(gr schema.GroupResource, obj runtime.MetaObject) {
	rev, err := strconv.ParseInt(obj.GetObjectMeta().ResourceVersion, 10, 64)
	require.NoError(e.t, err)
	e.mu.Lock()
	e.revs[gr] = max(e.revs[gr], rev)
	e.mu.Unlock()
}

// waitCaches waits until the informers reflect every write the test made.
func (e *env) waitCaches() {
	e.t.Helper()
	e.mu.Lock()
	revs := map[schema.GroupResource]int64{}
	for k, v := range e.revs {
		revs[k] = v
	}
	e.mu.Unlock()
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	require.NoError(e.t, e.c.dInf.WaitForRevision(ctx, revs[deploymentsGR]))
	require.NoError(e.t, e.c.rsInf.WaitForRevision(ctx, revs[replicaSetsGR]))
	require.NoError(e.t, e.podInf.WaitForRevision(ctx, revs[podsGR]))
}

// deployment is a RollingUpdate Deployment "name" of replicas pods running image.
func deployment(name string, replicas int32, image string) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(replicas),
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": name}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: image}}},
			},
		},
	}
}

func withBudget(d *appsv1.Deployment, surge, unavail string) *appsv1.Deployment {
	d.Spec.Strategy = appsv1.DeploymentStrategy{
		Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{
			MaxSurge: ptr(intstr.Parse(surge)), MaxUnavailable: ptr(intstr.Parse(unavail)),
		},
	}
	return d
}

func (e *env) create(d *appsv1.Deployment) *appsv1.Deployment {
	e.t.Helper()
	out, err := e.deps.Create(e.ctx, d)
	require.NoError(e.t, err)
	e.wrote(deploymentsGR, out)
	return out
}

// update changes a Deployment as a user would (its spec; status is the controller's).
func (e *env) update(name string, fn func(d *appsv1.Deployment)) *appsv1.Deployment {
	e.t.Helper()
	for {
		d := e.get(name)
		fn(d)
		out, err := e.deps.Update(e.ctx, d)
		if apierrors.IsConflict(err) {
			continue
		}
		require.NoError(e.t, err)
		e.wrote(deploymentsGR, out)
		return out
	}
}

func (e *env) get(name string) *appsv1.Deployment {
	e.t.Helper()
	d, err := e.deps.Get(e.ctx, ns, name, store.GetOptions{})
	require.NoError(e.t, err)
	return d
}

// replicaSets returns the ReplicaSets controlled by Deployment name, oldest first.
func (e *env) replicaSets(name string) []*appsv1.ReplicaSet {
	e.t.Helper()
	d := e.get(name)
	l, err := e.rss.List(e.ctx, ns, store.ListOptions{})
	require.NoError(e.t, err)
	var out []*appsv1.ReplicaSet
	for _, rs := range l.Items {
		if meta.IsControlledBy(&rs.ObjectMeta, &d.ObjectMeta) {
			out = append(out, rs)
		}
	}
	sortByAge(out)
	return out
}

func (e *env) reconcile(name string) (controller.Result, error) {
	e.t.Helper()
	e.waitCaches()
	return e.c.Reconcile(e.ctx, controller.Request{Namespace: ns, Name: name})
}

// mustReconcile reconciles and fails the test on an error.
func (e *env) mustReconcile(name string) controller.Result {
	e.t.Helper()
	res, err := e.reconcile(name)
	require.NoError(e.t, err)
	return res
}

// gainFunc says how many more pods of rs become available in one round.
type gainFunc func(rs *appsv1.ReplicaSet) int32

func gainAll(*appsv1.ReplicaSet) int32  { return 1 << 20 }
func gainOne(*appsv1.ReplicaSet) int32  { return 1 }
func gainNone(*appsv1.ReplicaSet) int32 { return 0 }

// settle plays the ReplicaSet controller and the pods for one round: every ReplicaSet gets
// exactly spec.replicas pods (a scale-down removes unavailable pods first), gain(rs) more of
// them become available, and the status says so.
func (e *env) settle(gain gainFunc) {
	e.t.Helper()
	l, err := e.rss.List(e.ctx, ns, store.ListOptions{})
	require.NoError(e.t, err)
	for _, rs := range l.Items {
		n := rsReplicas(rs)
		avail := min(rs.Status.AvailableReplicas, n)
		avail = min(n, avail+gain(rs))
		st := appsv1.ReplicaSetStatus{Replicas: n, ReadyReplicas: avail, AvailableReplicas: avail, ObservedGeneration: rs.Generation}
		if rs.Status.Replicas == st.Replicas && rs.Status.AvailableReplicas == st.AvailableReplicas &&
			rs.Status.ReadyReplicas == st.ReadyReplicas && rs.Status.ObservedGeneration == st.ObservedGeneration {
			continue
		}
		cp := rs.DeepCopy()
		cp.Status = st
		out, err := e.rsStatus.Update(e.ctx, cp)
		require.NoError(e.t, err)
		e.wrote(replicaSetsGR, out)
	}
}

// drive runs rounds of reconcile and settle until kubectl rollout status would say the
// rollout of name is done, calling check after every reconcile and every settle. It fails
// the test after maxRounds rounds and returns the number of rounds.
func (e *env) drive(name string, gain gainFunc, maxRounds int, check func(stage string)) int {
	e.t.Helper()
	for round := 1; round <= maxRounds; round++ {
		e.mustReconcile(name)
		if check != nil {
			check(fmt.Sprintf("round %d after reconcile", round))
		}
		if _, done, err := RolloutStatus(e.get(name)); err == nil && done {
			return round
		}
		e.settle(gain)
		if check != nil {
			check(fmt.Sprintf("round %d after settle", round))
		}
	}
	d := e.get(name)
	msg, _, err := RolloutStatus(d)
	e.t.Fatalf("rollout of %s not done after %d rounds: %s %v; status %+v", name, maxRounds, msg, err, d.Status)
	return 0
}
