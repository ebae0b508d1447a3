package deployment

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// TestRollingUpdateInvariants rolls a Deployment from one template to another for a table of
// budgets and pod start speeds, and checks at every observed state that no more than
// replicas+maxSurge pods exist or are asked for, and that at least replicas-maxUnavailable
// stay available.
func TestRollingUpdateInvariants(t *testing.T) {
	cases := []struct {
		replicas               int32
		surge, unavail         string
		wantSurge, wantUnavail int32
	}{
		{10, "25%", "25%", 3, 2},
		{10, "0", "1", 0, 1},
		{10, "1", "0", 1, 0},
		{10, "3", "2", 3, 2},
		{3, "50%", "0", 2, 0},
		{5, "100%", "0", 5, 0},
		{5, "0", "100%", 0, 5},
		{7, "30%", "30%", 3, 2},
		{1, "0", "1", 0, 1},
		{1, "1", "0", 1, 0},
		{1, "25%", "25%", 1, 0},
		{20, "10%", "5%", 2, 1},
		{4, "0", "25%", 0, 1},
		{2, "0%", "1%", 0, 1}, // both resolve to 0: one may be unavailable
		{6, "200%", "50%", 12, 3},
	}
	gains := []struct {
		name string
		gain gainFunc
	}{{"all at once", gainAll}, {"one pod per round", gainOne}}
	for _, tc := range cases {
		for _, g := range gains {
			t.Run(fmt.Sprintf("replicas=%d surge=%s unavailable=%s %s", tc.replicas, tc.surge, tc.unavail, g.name), func(t *testing.T) {
				e := newEnv(t)
				d := e.create(withBudget(deployment("web", tc.replicas, "v1"), tc.surge, tc.unavail))
				require.Equal(t, tc.wantSurge, maxSurge(d), "maxSurge")
				require.Equal(t, tc.wantUnavail, maxUnavailable(d), "maxUnavailable")
				e.drive("web", gainAll, 10, nil)

				e.clk.Step(time.Minute) // the new ReplicaSet is younger than the old one
				e.update("web", func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "v2" })
				maxTotal := tc.replicas + tc.wantSurge
				minAvail := tc.replicas - tc.wantUnavail
				check := func(stage string) {
					rss := e.replicaSets("web")
					assert.LessOrEqual(t, sumReplicas(rss), maxTotal, "%s: pods asked for", stage)
					assert.LessOrEqual(t, sumActual(rss), maxTotal, "%s: pods running", stage)
					assert.GreaterOrEqual(t, sumAvailable(rss), minAvail, "%s: pods available", stage)
				}
				check("before")
				rounds := e.drive("web", g.gain, 4*int(tc.replicas)+10, check)
				t.Logf("rolled out in %d rounds", rounds)

				rss := e.replicaSets("web")
				require.Len(t, rss, 2)
				assert.Equal(t, int32(0), rsReplicas(rss[0]), "old scaled to zero")
				assert.Equal(t, "v2", rss[1].Spec.Template.Spec.Containers[0].Image)
				assert.Equal(t, tc.replicas, rsReplicas(rss[1]))
				final := e.get("web")
				assert.Equal(t, appsv1.DeploymentStatus{
					ObservedGeneration: final.Generation, Replicas: tc.replicas, UpdatedReplicas: tc.replicas,
					ReadyReplicas: tc.replicas, AvailableReplicas: tc.replicas,
				}, withoutConditions(final.Status))
				assert.Equal(t, "2", final.Annotations[RevisionAnnotation])
				assertCondition(t, final, appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetAvailable)
				assertCondition(t, final, appsv1.DeploymentAvailable, corev1.ConditionTrue, ReasonMinimumReplicasAvailable)
			})
		}
	}
}

func withoutConditions(st appsv1.DeploymentStatus) appsv1.DeploymentStatus {
	st.Conditions = nil
	return st
}

func assertCondition(t *testing.T, d *appsv1.Deployment, typ appsv1.DeploymentConditionType, status corev1.ConditionStatus, reason string) {
	t.Helper()
	c := getCondition(&d.Status, typ)
	if !assert.NotNil(t, c, "condition %s", typ) {
		return
	}
	assert.Equal(t, status, c.Status, "condition %s status (%s: %s)", typ, c.Reason, c.Message)
	assert.Equal(t, reason, c.Reason, "condition %s reason", typ)
}

// TestFirstRollout follows a new Deployment through its first rollout: the ReplicaSet's name,
// labels, selector, annotations and owner, the Progressing reasons in order, and the status
// kubectl rollout status reads.
func TestFirstRollout(t *testing.T) {
	e := newEnv(t)
	d := e.create(withBudget(deployment("web", 3, "v1"), "1", "0"))
	e.mustReconcile("web")

	rss := e.replicaSets("web")
	require.Len(t, rss, 1)
	rs := rss[0]
	hash, err := TemplateHash(&d.Spec.Template, nil)
	require.NoError(t, err)
	assert.Equal(t, "web-"+hash, rs.Name)
	assert.Equal(t, map[string]string{"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: hash}, rs.Labels)
	assert.Equal(t, map[string]string{"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: hash}, rs.Spec.Template.Labels)
	assert.Equal(t, map[string]string{"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: hash}, rs.Spec.Selector.MatchLabels)
	assert.Equal(t, map[string]string{RevisionAnnotation: "1", DesiredReplicasAnnotation: "3", MaxReplicasAnnotation: "4"}, rs.Annotations)
	assert.True(t, meta.IsControlledBy(&rs.ObjectMeta, &d.ObjectMeta))
	assert.Equal(t, int32(3), rsReplicas(rs))

	got := e.get("web")
	assert.Equal(t, "1", got.Annotations[RevisionAnnotation])
	assertCondition(t, got, appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetCreated)
	assertCondition(t, got, appsv1.DeploymentAvailable, corev1.ConditionFalse, ReasonMinimumReplicasUnavailable)
	msg, done, err := RolloutStatus(got)
	require.NoError(t, err)
	assert.False(t, done)
	assert.Equal(t, `Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...`, msg)

	e.settle(gainOne)
	e.mustReconcile("web")
	got = e.get("web")
	assertCondition(t, got, appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated)
	msg, _, _ = RolloutStatus(got)
	assert.Equal(t, `Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...`, msg)

	e.drive("web", gainOne, 10, nil)
	got = e.get("web")
	assertCondition(t, got, appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetAvailable)
	assert.Equal(t, `ReplicaSet "web-`+hash+`" has successfully progressed.`, getCondition(&got.Status, appsv1.DeploymentProgressing).Message)
	assert.Contains(t, e.events.all(), "Normal ScalingReplicaSet Scaled up replica set web-"+hash+" from 0 to 3")

	// A finished rollout is a fixed point: reconciling again writes nothing.
	before := e.versions("web")
	for range 3 {
		e.mustReconcile("web")
	}
	assert.Equal(t, before, e.versions("web"), "steady state writes nothing")
}

// versions maps the Deployment and each of its ReplicaSets to its resourceVersion.
func (e *env) versions(name string) map[string]string {
	out := map[string]string{"deployment": e.get(name).ResourceVersion}
	for _, rs := range e.replicaSets(name) {
		out[rs.Name] = rs.ResourceVersion
	}
	return out
}
