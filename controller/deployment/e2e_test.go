package deployment

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller/replicaset"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// kubelet marks every pod Running and Ready as soon as it appears, in place of the scheduler
// and node agents, until ctx ends.
func kubelet(ctx context.Context, t *testing.T, s store.Interface, clk clock.Clock) error {
	pods := store.For[*corev1.Pod](s, podsGR)
	status := store.For[*corev1.Pod](s, schema.GroupResource{Resource: "pods/status"})
	w, err := pods.Watch(ctx, "", store.WatchOptions{SendInitialEvents: true})
	if err != nil {
		return err
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		if ev.Type != watch.Added {
			continue
		}
		p := ev.Object
		_, err := status.GuaranteedUpdate(ctx, p.Namespace, p.Name, func(cur *corev1.Pod) (*corev1.Pod, error) {
			cur.Status.Phase = corev1.PodRunning
			cur.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: meta.NewTime(clk.Now())}}
			return cur, nil
		}, store.UpdateOptions{})
		if err != nil && ctx.Err() == nil && !apierrors.IsNotFound(err) {
			t.Errorf("kubelet: mark pod %s ready: %v", p.Name, err)
		}
	}
	return nil
}

// TestRunWithReplicaSetController runs the deployment controller's workers together with the
// ReplicaSet controller and a stand-in kubelet, and rolls a Deployment out, to a new
// template, back, and to a new size, waiting each time until kubectl rollout status would
// report success.
func TestRunWithReplicaSetController(t *testing.T) {
	scheme, err := apis.NewScheme()
	require.NoError(t, err)
	res, err := builtin.Resources(scheme)
	require.NoError(t, err)
	clk := clock.NewFake(epoch)
	raw, err := memory.New(memory.Options{Resources: res, Clock: clk})
	require.NoError(t, err)
	reg, err := registry.New(raw, registry.Options{Scheme: scheme, Clock: clk})
	require.NoError(t, err)
	f, err := informer.NewFactory(informer.StoreSources(reg), informer.FactoryOptions{Clock: clk})
	require.NoError(t, err)
	dc, err := New(f, reg, Options{Clock: clk, Workers: 2})
	require.NoError(t, err)
	rc, err := replicaset.New(f, reg, replicaset.Options{Clock: clk})
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait(); f.Wait() }()
	f.Start(ctx)
	for _, run := range []func(context.Context) error{dc.Run, rc.Run, func(ctx context.Context) error { return kubelet(ctx, t, reg, clk) }} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil && ctx.Err() == nil {
				t.Errorf("run: %v", err)
			}
		}()
	}

	deps := store.For[*appsv1.Deployment](reg, deploymentsGR)
	// rolledOut waits until the Deployment's rollout of generation gen is done.
	rolledOut := func(what string) *appsv1.Deployment {
		t.Helper()
		wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
		defer wcancel()
		w, err := deps.Watch(wctx, ns, store.WatchOptions{SendInitialEvents: true})
		require.NoError(t, err)
		defer w.Stop()
		for ev := range w.ResultChan() {
			if ev.Type != watch.Added && ev.Type != watch.Modified {
				continue
			}
			if _, done, err := RolloutStatus(ev.Object); err == nil && done {
				return ev.Object
			}
		}
		d, _ := deps.Get(ctx, ns, "web", store.GetOptions{})
		t.Fatalf("%s: rollout not done in time; status %+v", what, d.Status)
		return nil
	}
	update := func(fn func(d *appsv1.Deployment)) {
		t.Helper()
		_, err := deps.GuaranteedUpdate(ctx, ns, "web", func(d *appsv1.Deployment) (*appsv1.Deployment, error) {
			fn(d)
			return d, nil
		}, store.UpdateOptions{})
		require.NoError(t, err)
	}
	countPods := func(image string) int {
		l, err := store.For[*corev1.Pod](reg, podsGR).List(ctx, ns, store.ListOptions{})
		require.NoError(t, err)
		n := 0
		for _, p := range l.Items {
			if p.Spec.Containers[0].Image == image {
				n++
			}
		}
		return n
	}

	_, err = deps.Create(ctx, withBudget(deployment("web", 6, "v1"), "1", "1"))
	require.NoError(t, err)
	d := rolledOut("create")
	assert.Equal(t, 6, countPods("v1"))

	clk.Step(time.Minute)
	update(setImage("v2"))
	d = rolledOut("update")
	assert.Equal(t, "2", d.Annotations[RevisionAnnotation])
	assert.Equal(t, 6, countPods("v2"))
	assert.Equal(t, 0, countPods("v1"))

	clk.Step(time.Minute)
	update(setImage("v1"))
	d = rolledOut("rollback")
	assert.Equal(t, "3", d.Annotations[RevisionAnnotation])
	assert.Equal(t, 6, countPods("v1"))

	update(func(d *appsv1.Deployment) { d.Spec.Replicas = ptr(int32(10)) })
	d = rolledOut("scale")
	assert.Equal(t, int32(10), d.Status.AvailableReplicas)
	assert.Equal(t, 10, countPods("v1"))
	assertCondition(t, d, appsv1.DeploymentAvailable, corev1.ConditionTrue, ReasonMinimumReplicasAvailable)
}
