package deployment

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
)

func setImage(image string) func(d *appsv1.Deployment) {
	return func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = image }
}

// images returns "image:replicas" for every ReplicaSet of name, oldest first.
func (e *env) images(name string) []string {
	var out []string
	for _, rs := range e.replicaSets(name) {
		out = append(out, fmt.Sprintf("%s:%d", rs.Spec.Template.Spec.Containers[0].Image, rsReplicas(rs)))
	}
	return out
}

// revisions maps each image of name's ReplicaSets to its revision annotation.
func (e *env) revisions(name string) map[string]string {
	out := map[string]string{}
	for _, rs := range e.replicaSets(name) {
		out[rs.Spec.Template.Spec.Containers[0].Image] = rs.Annotations[RevisionAnnotation]
	}
	return out
}

// podOf creates a pod controlled by rs, as the ReplicaSet controller would.
func (e *env) podOf(rs *appsv1.ReplicaSet, name string) *corev1.Pod {
	e.t.Helper()
	p := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Labels: rs.Spec.Template.Labels},
		Spec:       *rs.Spec.Template.Spec.DeepCopy(),
	}
	require.NoError(e.t, controller.SetControllerRef(&p.ObjectMeta, &rs.ObjectMeta, appsv1.SchemeGroupVersion().WithKind("ReplicaSet")))
	out, err := e.pods.Create(e.ctx, p)
	require.NoError(e.t, err)
	e.wrote(podsGR, out)
	return out
}

func (e *env) deletePod(name string) {
	e.t.Helper()
	out, err := e.pods.Delete(e.ctx, ns, name, store.DeleteOptions{})
	require.NoError(e.t, err)
	e.wrote(podsGR, out)
}

// TestRecreate checks that a Recreate rollout scales the old ReplicaSet to zero, creates
// nothing while an old pod still runs, and only then brings up the new template at full size.
func TestRecreate(t *testing.T) {
	e := newEnv(t)
	d := deployment("web", 3, "v1")
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	e.create(d)
	e.drive("web", gainAll, 5, nil)
	old := e.replicaSets("web")[0]
	for i := range 3 {
		e.podOf(old, fmt.Sprintf("old-%d", i))
	}

	e.clk.Step(time.Minute)
	e.update("web", setImage("v2"))
	noOverlap := func(stage string) {
		var oldPods, newPods int32
		for _, rs := range e.replicaSets("web") {
			if rs.Spec.Template.Spec.Containers[0].Image == "v1" {
				oldPods += rs.Status.Replicas + rsReplicas(rs)
			} else {
				newPods += rsReplicas(rs)
			}
		}
		l, err := e.pods.List(e.ctx, ns, store.ListOptions{})
		require.NoError(t, err)
		oldPods += int32(len(l.Items))
		assert.False(t, oldPods > 0 && newPods > 0, "%s: old (%d) and new (%d) pods overlap", stage, oldPods, newPods)
	}
	e.mustReconcile("web")
	noOverlap("scaled down")
	assert.Equal(t, []string{"v1:0"}, e.images("web"))
	e.settle(gainAll)
	e.mustReconcile("web")
	noOverlap("old pods still running")
	assert.Equal(t, []string{"v1:0"}, e.images("web"), "no new ReplicaSet while old pods run")

	e.deletePod("old-0")
	e.deletePod("old-1")
	e.mustReconcile("web")
	noOverlap("one old pod left")
	assert.Equal(t, []string{"v1:0"}, e.images("web"))

	e.deletePod("old-2")
	e.mustReconcile("web")
	assert.Equal(t, []string{"v1:0", "v2:3"}, e.images("web"), "new ReplicaSet at full size")
	e.drive("web", gainAll, 5, noOverlap)
	assert.Equal(t, map[string]string{"v1": "1", "v2": "2"}, e.revisions("web"))
}

// TestRecreateWakesOnPodDeletion checks that the deletion of an old pod enqueues its Recreate
// Deployment, and only that.
func TestRecreateWakesOnPodDeletion(t *testing.T) {
	e := newEnv(t)
	rec := deployment("rec", 1, "v1")
	rec.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	e.create(rec)
	e.create(deployment("roll", 1, "v1"))
	e.mustReconcile("rec")
	e.mustReconcile("roll")
	recRS, rollRS := e.replicaSets("rec")[0], e.replicaSets("roll")[0]
	e.wrote(replicaSetsGR, recRS)
	e.wrote(replicaSetsGR, rollRS)
	e.waitCaches() // the listers hold the controller's ReplicaSets

	// A controller of our own whose queue only podDeleted fills.
	ctl, err := controller.New[controller.Request](controller.Func[controller.Request](func(context.Context, controller.Request) (controller.Result, error) {
		return controller.Result{}, nil
	}), controller.Options[controller.Request]{Name: "probe", Clock: e.clk})
	require.NoError(t, err)
	probe := &Controller{ctl: ctl, dLister: e.c.dLister, rsLister: e.c.rsLister}
	del := func(p *corev1.Pod) { probe.podDeleted(informer.Deleted[*corev1.Pod]{Object: p}) }
	pod := func(rs *appsv1.ReplicaSet) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: "p"}}
		require.NoError(t, controller.SetControllerRef(&p.ObjectMeta, &rs.ObjectMeta, appsv1.SchemeGroupVersion().WithKind("ReplicaSet")))
		return p
	}
	del(pod(rollRS))
	del(&corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: "orphan"}})
	assert.Zero(t, ctl.Queue().Len(), "rolling and orphan pods wake nothing")
	del(pod(recRS))
	require.Equal(t, 1, ctl.Queue().Len())
	item, err := ctl.Queue().Get(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, controller.Request{Namespace: ns, Name: "rec"}, item)
	ctl.Queue().ShutDown()
}

// TestRollback sets the template back to an earlier one, as kubectl rollout undo does: the
// old ReplicaSet is reused, not recreated, and moves to the top revision.
func TestRollback(t *testing.T) {
	e := newEnv(t)
	e.create(withBudget(deployment("web", 4, "v1"), "1", "1"))
	e.drive("web", gainAll, 10, nil)
	e.clk.Step(time.Minute)
	e.update("web", setImage("v2"))
	e.drive("web", gainAll, 20, nil)
	require.Equal(t, map[string]string{"v1": "1", "v2": "2"}, e.revisions("web"))
	v1Name := e.replicaSets("web")[0].Name

	e.clk.Step(time.Minute)
	e.update("web", setImage("v1"))
	e.drive("web", gainAll, 20, func(stage string) {
		assert.Len(t, e.replicaSets("web"), 2, "%s: no ReplicaSet created", stage)
	})
	rss := e.replicaSets("web")
	assert.Equal(t, v1Name, rss[0].Name, "the v1 ReplicaSet is reused")
	assert.Equal(t, []string{"v1:4", "v2:0"}, e.images("web"))
	assert.Equal(t, map[string]string{"v1": "3", "v2": "2"}, e.revisions("web"))
	assert.Equal(t, "1", rss[0].Annotations[RevisionHistoryAnnotation])
	d := e.get("web")
	assert.Equal(t, "3", d.Annotations[RevisionAnnotation])
	assert.Equal(t, "v1", d.Spec.Template.Spec.Containers[0].Image)
	_, done, err := RolloutStatus(d)
	require.NoError(t, err)
	assert.True(t, done)

	// And back again: v2 becomes revision 4.
	e.update("web", setImage("v2"))
	e.drive("web", gainAll, 20, nil)
	assert.Equal(t, map[string]string{"v1": "3", "v2": "4"}, e.revisions("web"))
}

// TestRevisionHistoryLimit rolls out six templates with a limit of two and checks that only
// the two most recent old ReplicaSets stay, the oldest being deleted first.
func TestRevisionHistoryLimit(t *testing.T) {
	e := newEnv(t)
	d := withBudget(deployment("web", 2, "v1"), "1", "0")
	d.Spec.RevisionHistoryLimit = ptr(int32(2))
	e.create(d)
	e.drive("web", gainAll, 10, nil)
	for i := 2; i <= 6; i++ {
		e.clk.Step(time.Minute)
		e.update("web", setImage(fmt.Sprintf("v%d", i)))
		e.drive("web", gainAll, 20, nil)
		e.mustReconcile("web") // the complete rollout cleans up
		want := map[string]string{}
		for j := max(1, i-2); j <= i; j++ {
			want[fmt.Sprintf("v%d", j)] = fmt.Sprint(j)
		}
		assert.Equal(t, want, e.revisions("web"), "after v%d", i)
	}
	assert.Equal(t, []string{"v4:0", "v5:0", "v6:2"}, e.images("web"))
}

// TestRevisionHistoryKeepsBusyReplicaSets checks that cleanup never deletes an old
// ReplicaSet that still has pods or whose status has not caught up with its spec.
func TestRevisionHistoryKeepsBusyReplicaSets(t *testing.T) {
	e := newEnv(t)
	d := withBudget(deployment("web", 1, "v1"), "1", "0")
	d.Spec.RevisionHistoryLimit = ptr(int32(0))
	e.create(d)
	e.drive("web", gainAll, 10, nil)
	e.clk.Step(time.Minute)
	e.update("web", setImage("v2"))
	e.mustReconcile("web") // new ReplicaSet at 1
	e.settle(gainAll)
	e.mustReconcile("web") // old scaled to 0, its status still says 1 pod
	require.Equal(t, []string{"v1:0", "v2:1"}, e.images("web"))
	e.mustReconcile("web")
	assert.Len(t, e.replicaSets("web"), 2, "old ReplicaSet with a pod is kept")
	e.settle(gainAll)
	e.mustReconcile("web")
	e.mustReconcile("web")
	assert.Equal(t, []string{"v2:1"}, e.images("web"), "deleted once empty")
}

// TestPauseResume checks that a paused Deployment is scaled but not rolled out, with the
// DeploymentPaused reason and no deadline, and rolls out once resumed.
func TestPauseResume(t *testing.T) {
	e := newEnv(t)
	e.create(withBudget(deployment("web", 3, "v1"), "1", "0"))
	e.drive("web", gainAll, 10, nil)

	e.update("web", func(d *appsv1.Deployment) { d.Spec.Paused = true })
	e.update("web", setImage("v2"))
	res := e.mustReconcile("web")
	assert.Zero(t, res.RequeueAfter, "no progress deadline while paused")
	d := e.get("web")
	assertCondition(t, d, appsv1.DeploymentProgressing, corev1.ConditionUnknown, ReasonDeploymentPaused)
	assert.Equal(t, []string{"v1:3"}, e.images("web"), "no rollout while paused")
	assert.Equal(t, d.Generation, d.Status.ObservedGeneration)

	e.update("web", func(d *appsv1.Deployment) { d.Spec.Replicas = ptr(int32(5)) })
	e.mustReconcile("web")
	assert.Equal(t, []string{"v1:5"}, e.images("web"), "scaled while paused")
	e.settle(gainAll)
	e.clk.Step(time.Hour) // far past any deadline: paused rollouts do not time out
	e.mustReconcile("web")
	d = e.get("web")
	assertCondition(t, d, appsv1.DeploymentProgressing, corev1.ConditionUnknown, ReasonDeploymentPaused)
	assert.Equal(t, int32(5), d.Status.AvailableReplicas)

	e.update("web", func(d *appsv1.Deployment) { d.Spec.Paused = false })
	e.mustReconcile("web")
	d = e.get("web")
	c := getCondition(&d.Status, appsv1.DeploymentProgressing)
	require.NotNil(t, c)
	assert.Contains(t, []string{ReasonDeploymentResumed, ReasonNewReplicaSetCreated}, c.Reason)
	e.drive("web", gainAll, 20, nil)
	assert.Equal(t, []string{"v1:0", "v2:5"}, e.images("web"))
	assert.Equal(t, map[string]string{"v1": "1", "v2": "2"}, e.revisions("web"))
}

// TestProportionalScalingDuringRollout replays the example of the Kubernetes documentation
// (Deployments, "Proportional scaling"): 10 replicas, maxSurge 3, maxUnavailable 2, a new
// template whose pods never become available, so the rollout stops at 8 old and 5 new pods;
// scaling to 15 adds 3 to the old ReplicaSet and 2 to the new one.
func TestProportionalScalingDuringRollout(t *testing.T) {
	e := newEnv(t)
	e.create(withBudget(deployment("web", 10, "v1"), "3", "2"))
	e.drive("web", gainAll, 10, nil)
	e.clk.Step(time.Minute)
	e.update("web", setImage("v2-broken"))
	onlyOld := func(rs *appsv1.ReplicaSet) int32 {
		if rs.Spec.Template.Spec.Containers[0].Image == "v1" {
			return 1 << 20
		}
		return 0
	}
	for range 6 {
		e.mustReconcile("web")
		e.settle(onlyOld)
	}
	require.Equal(t, []string{"v1:8", "v2-broken:5"}, e.images("web"), "the stuck rollout")

	e.update("web", func(d *appsv1.Deployment) { d.Spec.Replicas = ptr(int32(15)) })
	e.mustReconcile("web")
	assert.Equal(t, []string{"v1:11", "v2-broken:7"}, e.images("web"))
	for _, rs := range e.replicaSets("web") {
		assert.Equal(t, "15", rs.Annotations[DesiredReplicasAnnotation], rs.Name)
		assert.Equal(t, "18", rs.Annotations[MaxReplicasAnnotation], rs.Name)
	}
	e.settle(onlyOld)
	e.update("web", func(d *appsv1.Deployment) { d.Spec.Replicas = ptr(int32(10)) })
	e.mustReconcile("web")
	assert.Equal(t, []string{"v1:8", "v2-broken:5"}, e.images("web"), "and back")

	// Fixing the template finishes the rollout with a third ReplicaSet.
	e.clk.Step(time.Minute)
	e.update("web", setImage("v3"))
	e.drive("web", gainAll, 30, nil)
	assert.Equal(t, []string{"v1:0", "v2-broken:0", "v3:10"}, e.images("web"))
	var events int
	for _, l := range e.events.all() {
		if l == "Normal ScalingReplicaSet Scaled up replica set "+e.replicaSets("web")[0].Name+" from 8 to 11" {
			events++
		}
	}
	assert.Equal(t, 1, events, "scaling event recorded")
}

// TestProgressDeadline checks that a rollout that stops making progress is reported as
// ProgressDeadlineExceeded once progressDeadlineSeconds passed on the clock, that the
// controller asks to be called back for that, and that progress resets the deadline.
func TestProgressDeadline(t *testing.T) {
	e := newEnv(t)
	d := withBudget(deployment("web", 2, "v1"), "1", "0")
	d.Spec.ProgressDeadlineSeconds = ptr(int32(30))
	e.create(d)
	res := e.mustReconcile("web")
	assert.Equal(t, 31*time.Second, res.RequeueAfter, "check the deadline after it passes")
	assertCondition(t, e.get("web"), appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetCreated)
	e.settle(gainNone) // pods created (progress: 2 updated), none available
	res = e.mustReconcile("web")
	assertCondition(t, e.get("web"), appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated)
	assert.Equal(t, 31*time.Second, res.RequeueAfter)

	e.clk.Step(20 * time.Second)
	res = e.mustReconcile("web")
	assert.Equal(t, 11*time.Second, res.RequeueAfter, "no progress: the deadline stands")

	// Progress (one pod available) refreshes the condition and the deadline.
	e.settle(gainOne)
	res = e.mustReconcile("web")
	assertCondition(t, e.get("web"), appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated)
	assert.Equal(t, 31*time.Second, res.RequeueAfter)

	e.clk.Step(30 * time.Second)
	res = e.mustReconcile("web")
	assert.Equal(t, time.Second, res.RequeueAfter, "at the deadline, not past it")
	assertCondition(t, e.get("web"), appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated)
	e.clk.Step(res.RequeueAfter)
	res = e.mustReconcile("web")
	assert.Zero(t, res.RequeueAfter, "nothing more to check")
	got := e.get("web")
	assertCondition(t, got, appsv1.DeploymentProgressing, corev1.ConditionFalse, ReasonProgressDeadlineExceeded)
	assert.Equal(t, `ReplicaSet "`+e.replicaSets("web")[0].Name+`" has timed out progressing.`, getCondition(&got.Status, appsv1.DeploymentProgressing).Message)
	_, _, err := RolloutStatus(got)
	assert.ErrorIs(t, err, ErrProgressDeadlineExceeded)

	// Pods that finally start complete the rollout.
	e.settle(gainAll)
	e.mustReconcile("web")
	assertCondition(t, e.get("web"), appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetAvailable)
}

// TestHashCollision puts a foreign ReplicaSet under the name the new one would get: the
// controller bumps status.collisionCount and uses the next hash.
func TestHashCollision(t *testing.T) {
	e := newEnv(t)
	d := e.create(deployment("web", 2, "v1")) // defaulted by the registry, as the controller sees it
	hash, err := TemplateHash(&d.Spec.Template, nil)
	require.NoError(t, err)
	squatter := &appsv1.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: "web-" + hash, Labels: map[string]string{"app": "other"}},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: ptr(int32(0)),
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "other"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "other"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "other"}}},
			},
		},
	}
	out, err := e.rss.Create(e.ctx, squatter)
	require.NoError(t, err)
	e.wrote(replicaSetsGR, out)

	_, err = e.reconcile("web")
	require.ErrorIs(t, err, ErrHashCollision)
	got := e.get("web")
	require.NotNil(t, got.Status.CollisionCount)
	assert.Equal(t, int32(1), *got.Status.CollisionCount)

	e.drive("web", gainAll, 10, nil)
	rss := e.replicaSets("web")
	require.Len(t, rss, 1)
	hash1, err := TemplateHash(&d.Spec.Template, ptr(int32(1)))
	require.NoError(t, err)
	assert.Equal(t, "web-"+hash1, rss[0].Name)
	assert.Equal(t, hash1, rss[0].Labels[appsv1.DefaultDeploymentUniqueLabelKey])
	assert.Equal(t, int32(1), *e.get("web").Status.CollisionCount, "kept in later status writes")
	sq, err := e.rss.Get(e.ctx, ns, "web-"+hash, store.GetOptions{})
	require.NoError(t, err)
	assert.Nil(t, meta.GetControllerOf(&sq.ObjectMeta), "the squatter is left alone")
}

// TestAdoptAndRelease checks that an orphan ReplicaSet the selector matches is adopted (and,
// having the current template, used as the new ReplicaSet), and that an owned ReplicaSet whose
// labels stop matching is released.
func TestAdoptAndRelease(t *testing.T) {
	e := newEnv(t)
	created := e.create(deployment("web", 2, "v1"))
	hash, err := TemplateHash(&created.Spec.Template, nil)
	require.NoError(t, err)
	tmpl := *created.Spec.Template.DeepCopy()
	tmpl.Labels = withLabel(tmpl.Labels, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	orphan := &appsv1.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: "handmade", Labels: tmpl.Labels},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: ptr(int32(2)), Selector: &meta.LabelSelector{MatchLabels: tmpl.Labels}, Template: tmpl,
		},
	}
	out, err := e.rss.Create(e.ctx, orphan)
	require.NoError(t, err)
	e.wrote(replicaSetsGR, out)
	e.mustReconcile("web")
	assertCondition(t, e.get("web"), appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonFoundNewReplicaSet)
	e.drive("web", gainAll, 10, nil)
	rss := e.replicaSets("web")
	require.Len(t, rss, 1, "adopted, no other created")
	assert.Equal(t, "handmade", rss[0].Name)
	assert.Equal(t, "1", rss[0].Annotations[RevisionAnnotation])

	// Relabel it out of the selector: it is released, and a new one is made.
	for {
		cur, err := e.rss.Get(e.ctx, ns, "handmade", store.GetOptions{})
		require.NoError(t, err)
		cur.Labels = map[string]string{"app": "elsewhere"}
		out, err := e.rss.Update(e.ctx, cur)
		if err == nil {
			e.wrote(replicaSetsGR, out)
			break
		}
	}
	e.mustReconcile("web")
	hm, err := e.rss.Get(e.ctx, ns, "handmade", store.GetOptions{})
	require.NoError(t, err)
	assert.False(t, meta.IsControlledBy(&hm.ObjectMeta, &created.ObjectMeta), "released")
	rss = e.replicaSets("web")
	require.Len(t, rss, 1)
	assert.Equal(t, "web-"+hash, rss[0].Name)
}

// TestDeletingDeploymentOnlySyncsStatus checks that a Deployment being deleted gets no new
// ReplicaSet for a template change, only its status.
func TestDeletingDeploymentOnlySyncsStatus(t *testing.T) {
	e := newEnv(t)
	e.create(withBudget(deployment("web", 2, "v1"), "1", "0"))
	e.drive("web", gainAll, 10, nil)
	e.update("web", setImage("v2"))
	fg := meta.DeletePropagationForeground
	out, err := e.deps.Delete(e.ctx, ns, "web", store.DeleteOptions{PropagationPolicy: &fg})
	require.NoError(t, err)
	require.NotNil(t, out.DeletionTimestamp)
	e.wrote(deploymentsGR, out)
	e.mustReconcile("web")
	assert.Equal(t, []string{"v1:2"}, e.images("web"))
	d := e.get("web")
	assert.Equal(t, d.Generation, d.Status.ObservedGeneration, "status observed")
	assert.Equal(t, int32(0), d.Status.UpdatedReplicas)
}

// TestInvalidSpecs checks the terminal errors for specs the registry's validation would
// reject, written around it into the raw store.
func TestInvalidSpecs(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(d *appsv1.Deployment)
		want   error
		event  string
	}{
		{"both budgets zero", func(d *appsv1.Deployment) { withBudget(d, "0", "0%") }, ErrInvalidStrategy, "Warning InvalidStrategy"},
		{"negative surge", func(d *appsv1.Deployment) { withBudget(d, "-1", "1") }, ErrInvalidStrategy, "Warning InvalidStrategy"},
		{"unknown strategy", func(d *appsv1.Deployment) { d.Spec.Strategy.Type = "Blue" }, ErrInvalidStrategy, "Warning InvalidStrategy"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.create(deployment("web", 2, "v1"))
			e.mustReconcile("web")
			raw := store.For[*appsv1.Deployment](e.s.(interface{ Backend() store.Interface }).Backend(), deploymentsGR)
			cur := e.get("web")
			tc.mutate(cur)
			out, err := raw.Update(e.ctx, cur)
			require.NoError(t, err)
			e.wrote(deploymentsGR, out)
			_, err = e.reconcile("web")
			require.ErrorIs(t, err, tc.want)
			assert.True(t, controller.IsTerminal(err), "not retried")
			assert.Contains(t, e.events.all()[len(e.events.all())-1], tc.event)
			assert.Equal(t, []string{"v1:2"}, e.images("web"), "nothing changed")
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	_, err := New(nil, nil, Options{Workers: -1})
	require.True(t, errors.Is(err, ErrInvalidOptions))
	for _, part := range []string{"nil informer factory", "nil store", "workers -1 is negative"} {
		assert.Contains(t, err.Error(), part)
	}
}

// TestReplicaFailureCondition checks that a ReplicaSet's ReplicaFailure condition shows on
// its Deployment and goes away with it.
func TestReplicaFailureCondition(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 2, "v1"))
	e.mustReconcile("web")
	rs := e.replicaSets("web")[0]
	rs.Status.Conditions = []appsv1.ReplicaSetCondition{{
		Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue, Reason: "FailedCreate", Message: "quota exceeded",
	}}
	out, err := e.rsStatus.Update(e.ctx, rs)
	require.NoError(t, err)
	e.wrote(replicaSetsGR, out)
	e.mustReconcile("web")
	d := e.get("web")
	assertCondition(t, d, appsv1.DeploymentReplicaFailure, corev1.ConditionTrue, "FailedCreate")
	assert.Equal(t, "quota exceeded", getCondition(&d.Status, appsv1.DeploymentReplicaFailure).Message)

	out.Status.Conditions = nil
	out, err = e.rsStatus.Update(e.ctx, out)
	require.NoError(t, err)
	e.wrote(replicaSetsGR, out)
	e.mustReconcile("web")
	assert.Nil(t, getCondition(&e.get("web").Status, appsv1.DeploymentReplicaFailure))
}

// TestSelectingAll checks that a Deployment with an empty selector (which validation rejects;
// written around it) gets a warning and no ReplicaSet. (Kubernetes then records the
// generation as observed; our registry validates the whole object on a status update and
// refuses that write, so the reconcile fails with Invalid.)
func TestSelectingAll(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 2, "v1"))
	raw := store.For[*appsv1.Deployment](e.s.(interface{ Backend() store.Interface }).Backend(), deploymentsGR)
	cur := e.get("web")
	cur.Spec.Selector = &meta.LabelSelector{}
	cur.Generation = 2
	out, err := raw.Update(e.ctx, cur)
	require.NoError(t, err)
	e.wrote(deploymentsGR, out)
	_, err = e.reconcile("web")
	if err != nil {
		assert.True(t, apierrors.IsInvalid(err), "only the registry's validation may refuse: %v", err)
	} else {
		d := e.get("web")
		assert.Equal(t, d.Generation, d.Status.ObservedGeneration)
	}
	assert.Empty(t, e.replicaSets("web"))
	assert.Contains(t, e.events.all(), "Warning SelectingAll This deployment is selecting all pods. A non-empty selector is required.")
}
