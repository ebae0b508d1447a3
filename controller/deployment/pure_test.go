package deployment

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

func ptr[T any](v T) *T { return &v }

func template(image string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: image}}},
	}
}

func TestTemplateHash(t *testing.T) {
	base := template("nginx:1")
	h, err := TemplateHash(&base, nil)
	require.NoError(t, err)
	// Pinned: the hash names every ReplicaSet, so changing the function would make every
	// Deployment roll out again after an upgrade. Change it only on purpose.
	assert.Equal(t, "mtz9lwf", h)

	withHashLabel := template("nginx:1")
	withHashLabel.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = "whatever"
	emptyMaps := template("nginx:1")
	emptyMaps.Annotations = map[string]string{}
	emptyMaps.Spec.NodeSelector = map[string]string{}
	zero, one := int32(0), int32(1)
	cases := []struct {
		name      string
		tmpl      corev1.PodTemplateSpec
		collision *int32
		same      bool
	}{
		{"same template", template("nginx:1"), nil, true},
		{"hash label ignored", withHashLabel, nil, true},
		{"empty maps equal absent ones", emptyMaps, nil, true},
		{"other image", template("nginx:2"), nil, false},
		{"collision count zero differs from none", template("nginx:1"), &zero, false},
		{"collision count one", template("nginx:1"), &one, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := TemplateHash(&tc.tmpl, tc.collision)
			require.NoError(t, err)
			assert.Equal(t, tc.same, got == h, "hash %q vs base %q", got, h)
			assert.LessOrEqual(t, len(got), 7)
			assert.Empty(t, strings.Trim(got, hashAlphabet), "only safe characters")
		})
	}
	// Every collision count gives another name.
	seen := map[string]int32{}
	for i := int32(0); i < 1000; i++ {
		got, err := TemplateHash(&base, &i)
		require.NoError(t, err)
		if prev, dup := seen[got]; dup {
			t.Fatalf("collision counts %d and %d share hash %q", prev, i, got)
		}
		seen[got] = i
	}
	_, err = TemplateHash(nil, nil)
	assert.ErrorIs(t, err, ErrNilTemplate)
}

func TestEncodeHash(t *testing.T) {
	cases := []struct {
		in   uint32
		want string
	}{
		{0, "b"},
		{26, "9"},
		{27, "cb"},
		{27*27 + 1, "cbc"},
		{math.MaxUint32, "pdlz8r4"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, encodeHash(tc.in), "encodeHash(%d)", tc.in)
	}
}

func TestEqualIgnoreHash(t *testing.T) {
	a, b := template("x"), template("x")
	b.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = "abc"
	assert.True(t, equalIgnoreHash(&a, &b))
	c := template("y")
	assert.False(t, equalIgnoreHash(&a, &c))
	onlyHash := corev1.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{appsv1.DefaultDeploymentUniqueLabelKey: "h"}}}
	assert.True(t, equalIgnoreHash(&onlyHash, &corev1.PodTemplateSpec{}))
	assert.Equal(t, "h", onlyHash.Labels[appsv1.DefaultDeploymentUniqueLabelKey], "input not modified")
}

func TestResolveFenceposts(t *testing.T) {
	i := func(n int32) *intstr.IntOrString { return ptr(intstr.FromInt32(n)) }
	s := func(v string) *intstr.IntOrString { return ptr(intstr.FromString(v)) }
	cases := []struct {
		name           string
		surge, unavail *intstr.IntOrString
		desired        int32
		wantS, wantU   int32
		wantErr        bool
	}{
		{"defaults of 10", nil, nil, 10, 3, 2, false},
		{"25% of 4", s("25%"), s("25%"), 4, 1, 1, false},
		{"25% of 1: surge rounds up, unavailable down", s("25%"), s("25%"), 1, 1, 0, false},
		{"30% of 10", s("30%"), s("30%"), 10, 3, 3, false},
		{"33% of 10", s("33%"), s("33%"), 10, 4, 3, false},
		{"absolute", i(2), i(1), 10, 2, 1, false},
		{"surge over 100%", s("150%"), i(0), 10, 15, 0, false},
		{"unavailable 100%", i(0), s("100%"), 7, 0, 7, false},
		{"both resolve to zero: unavailable becomes 1", i(0), s("5%"), 10, 0, 1, false},
		{"zero replicas", s("25%"), s("25%"), 0, 0, 1, false},
		{"both written zero", i(0), i(0), 10, 0, 0, true},
		{"both zero percent", s("0%"), i(0), 10, 0, 0, true},
		{"negative surge", i(-1), i(1), 10, 0, 0, true},
		{"negative unavailable", i(1), i(-2), 10, 0, 0, true},
		{"not a percentage", s("abc"), i(1), 10, 0, 0, true},
		{"negative percentage", s("-5%"), i(1), 10, 0, 0, true},
		{"huge percentage", s("99999999999%"), i(1), 10, 0, 0, true},
		{"percentage overflowing int32", s("2000000000%"), i(1), 200, 0, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			su, un, err := ResolveFenceposts(tc.surge, tc.unavail, tc.desired)
			if tc.wantErr {
				require.ErrorIs(t, err, ErrInvalidStrategy)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, [2]int32{tc.wantS, tc.wantU}, [2]int32{su, un})
		})
	}
}

// dep builds a RollingUpdate Deployment of replicas pods with the given budget.
func dep(replicas int32, surge, unavail string) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(replicas),
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxSurge: ptr(intstr.Parse(surge)), MaxUnavailable: ptr(intstr.Parse(unavail)),
				},
			},
		},
	}
}

// rs builds a ReplicaSet of size replicas, created at second age, with a max-replicas
// annotation when maxAnn >= 0.
func rs(name string, replicas int32, age int, maxAnn int32) *appsv1.ReplicaSet {
	r := &appsv1.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Name: name, CreationTimestamp: meta.NewTime(time.Unix(int64(age), 0))},
		Spec:       appsv1.ReplicaSetSpec{Replicas: ptr(replicas)},
	}
	if maxAnn >= 0 {
		r.Annotations = map[string]string{MaxReplicasAnnotation: itoa(maxAnn)}
	}
	return r
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

func TestMaxUnavailableAndSurge(t *testing.T) {
	cases := []struct {
		name           string
		d              *appsv1.Deployment
		surge, unavail int32
	}{
		{"rolling 10", dep(10, "25%", "25%"), 3, 2},
		{"unavailable clamped to replicas", dep(2, "0", "5"), 0, 2},
		{"zero replicas: none unavailable", dep(0, "1", "1"), 1, 0},
		{"recreate", &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: ptr(int32(5)), Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}}}, 0, 0},
		{"rolling without parameters uses 25%", &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: ptr(int32(8))}}, 2, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.surge, maxSurge(tc.d), "maxSurge")
			assert.Equal(t, tc.unavail, maxUnavailable(tc.d), "maxUnavailable")
		})
	}
}

func TestNewRSNewReplicas(t *testing.T) {
	cases := []struct {
		name       string
		d          *appsv1.Deployment
		old, newRS int32
		want       int32
	}{
		{"fresh deployment", dep(10, "25%", "25%"), 0, 0, 10},
		{"surge room", dep(10, "3", "2"), 10, 0, 3},
		{"surge room used", dep(10, "3", "2"), 10, 3, 3},
		{"old shrunk", dep(10, "3", "2"), 5, 3, 8},
		{"capped at desired", dep(10, "3", "2"), 0, 8, 10},
		{"no surge", dep(4, "0", "1"), 4, 0, 0},
		{"no surge, old shrunk", dep(4, "0", "1"), 3, 0, 1},
		{"recreate takes desired", &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: ptr(int32(4)), Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}}}, 4, 0, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := rs("new", tc.newRS, 2, -1)
			all := []*appsv1.ReplicaSet{rs("old", tc.old, 1, -1), n}
			assert.Equal(t, tc.want, newRSNewReplicas(tc.d, all, n))
		})
	}
}

func TestProportionalScale(t *testing.T) {
	type size struct {
		name string
		n    int32
	}
	cases := []struct {
		name   string
		d      *appsv1.Deployment
		status int32 // d.Status.Replicas, the fallback for a missing annotation
		rss    []*appsv1.ReplicaSet
		want   []size
		op     string
	}{
		{
			// kubernetes.io/docs/concepts/workloads/controllers/deployment/#proportional-scaling:
			// 10 replicas, maxSurge 3, maxUnavailable 2, a rollout stuck with 8 old and 5 new
			// pods; scaled to 15, 3 more go to the old ReplicaSet and 2 to the new one.
			name: "documented example: 10 to 15", d: dep(15, "3", "2"),
			rss:  []*appsv1.ReplicaSet{rs("old", 8, 1, 13), rs("new", 5, 2, 13)},
			want: []size{{"old", 11}, {"new", 7}}, op: "up",
		},
		{
			name: "documented example back: 15 to 10", d: dep(10, "3", "2"),
			rss:  []*appsv1.ReplicaSet{rs("old", 11, 1, 18), rs("new", 7, 2, 18)},
			want: []size{{"old", 8}, {"new", 5}}, op: "down",
		},
		{
			name: "to zero", d: dep(0, "3", "2"),
			rss:  []*appsv1.ReplicaSet{rs("old", 11, 1, 18), rs("new", 7, 2, 18)},
			want: []size{{"old", 0}, {"new", 0}}, op: "down",
		},
		{
			name: "leftover to the newest of equals when scaling up", d: dep(7, "3", "0"),
			rss:  []*appsv1.ReplicaSet{rs("a", 3, 1, 9), rs("b", 3, 2, 9), rs("c", 3, 3, 9)},
			want: []size{{"c", 4}, {"b", 3}, {"a", 3}}, op: "up",
		},
		{
			name: "leftover from the oldest of equals when scaling down", d: dep(5, "3", "0"),
			rss: []*appsv1.ReplicaSet{rs("a", 3, 1, 9), rs("b", 3, 2, 9), rs("c", 3, 3, 9)},
			// allowed 8: toAdd -1; each share rounds to 0 (3*8/9 = 2.67 -> 3), the oldest loses one.
			want: []size{{"a", 2}, {"b", 3}, {"c", 3}}, op: "down",
		},
		{
			name: "missing annotation falls back to status.replicas", d: dep(20, "0", "1"), status: 10,
			rss:  []*appsv1.ReplicaSet{rs("old", 6, 1, -1), rs("new", 4, 2, -1)},
			want: []size{{"old", 12}, {"new", 8}}, op: "up",
		},
		{
			name: "empty replica sets are not scaled up", d: dep(20, "0", "1"),
			rss:  []*appsv1.ReplicaSet{rs("old", 6, 1, 10), rs("empty", 0, 2, 10), rs("new", 4, 3, 10)},
			want: []size{{"old", 12}, {"new", 8}}, op: "up",
		},
		{
			name: "unchanged size", d: dep(10, "3", "2"),
			rss:  []*appsv1.ReplicaSet{rs("new", 5, 2, 13), rs("old", 8, 1, 13)},
			want: []size{{"old", 8}, {"new", 5}}, op: "",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.d.Status.Replicas = tc.status
			steps, op := proportionalScale(tc.d, tc.rss)
			var got []size
			for _, st := range steps {
				got = append(got, size{st.rs.Name, st.size})
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(size{})); diff != "" {
				t.Errorf("sizes (-want +got):\n%s", diff)
			}
			assert.Equal(t, tc.op, op)
		})
	}
}

func TestSetNewReplicaSetAnnotations(t *testing.T) {
	d := dep(10, "3", "2")
	d.Annotations = map[string]string{
		"team": "a", lastAppliedAnnotation: "{}", RevisionAnnotation: "9", DesiredReplicasAnnotation: "1",
	}
	cases := []struct {
		name    string
		ann     map[string]string
		rev     int64
		exists  bool
		want    map[string]string
		changed bool
	}{
		{
			name: "new replica set", rev: 1,
			want:    map[string]string{"team": "a", RevisionAnnotation: "1", DesiredReplicasAnnotation: "10", MaxReplicasAnnotation: "13"},
			changed: true,
		},
		{
			name: "current, up to date", exists: true, rev: 3,
			ann:  map[string]string{"team": "a", RevisionAnnotation: "3"},
			want: map[string]string{"team": "a", RevisionAnnotation: "3"},
		},
		{
			name: "rolled back to: new revision, old one in history", exists: true, rev: 5,
			ann:     map[string]string{"team": "a", RevisionAnnotation: "2", RevisionHistoryAnnotation: "1"},
			want:    map[string]string{"team": "a", RevisionAnnotation: "5", RevisionHistoryAnnotation: "1,2"},
			changed: true,
		},
		{
			name: "revision above the new one is kept", exists: true, rev: 2,
			ann:  map[string]string{"team": "a", RevisionAnnotation: "7"},
			want: map[string]string{"team": "a", RevisionAnnotation: "7"},
		},
		{
			name: "unreadable revision is left alone", exists: true, rev: 2,
			ann:  map[string]string{"team": "a", RevisionAnnotation: "x"},
			want: map[string]string{"team": "a", RevisionAnnotation: "x"},
		},
		{
			name: "deployment annotations copied, own ones kept", exists: true, rev: 1,
			ann:     map[string]string{"team": "b", "mine": "1", RevisionAnnotation: "1"},
			want:    map[string]string{"team": "a", "mine": "1", RevisionAnnotation: "1"},
			changed: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &appsv1.ReplicaSet{ObjectMeta: meta.ObjectMeta{Annotations: tc.ann}}
			changed := setNewReplicaSetAnnotations(d, r, tc.rev, tc.exists, maxSurge(d))
			if diff := cmp.Diff(tc.want, r.Annotations); diff != "" {
				t.Errorf("annotations (-want +got):\n%s", diff)
			}
			assert.Equal(t, tc.changed, changed)
		})
	}
}

func TestAppendRevisionHistory(t *testing.T) {
	cases := []struct {
		name, history, rev string
		limit              int
		want               string
		ok                 bool
	}{
		{"first", "", "1", 10, "1", true},
		{"append", "1,2", "3", 10, "1,2,3", true},
		{"drop oldest", "1,2,3", "4", 4, "3,4", true},
		{"fits at the limit", "1,2,3", "4", 7, "1,2,3,4", true},
		{"drop many", "10,20,30", "400", 7, "30,400", true},
		{"rev alone too long", "1", "123456", 5, "1", false},
		{"exactly fits", "12", "34", 5, "12,34", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := appendRevisionHistory(tc.history, tc.rev, tc.limit)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.ok, ok)
		})
	}
}

func TestRevision(t *testing.T) {
	cases := []struct {
		v       *string
		want    int64
		wantErr bool
	}{
		{nil, 0, false},
		{ptr(""), 0, false},
		{ptr("7"), 7, false},
		{ptr("-1"), 0, true},
		{ptr("x"), 0, true},
		{ptr("99999999999999999999"), 0, true},
	}
	for _, tc := range cases {
		m := &meta.ObjectMeta{}
		if tc.v != nil {
			m.Annotations = map[string]string{RevisionAnnotation: *tc.v}
		}
		got, err := Revision(m)
		if tc.wantErr {
			assert.ErrorIs(t, err, ErrInvalidAnnotation)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
	}
}

func TestSetCondition(t *testing.T) {
	t0, t1 := time.Unix(100, 0), time.Unix(200, 0)
	st := appsv1.DeploymentStatus{}
	setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetCreated, "a", t0))
	// Same status and reason: nothing changes, timestamps included.
	setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetCreated, "b", t1))
	c := getCondition(&st, appsv1.DeploymentProgressing)
	require.NotNil(t, c)
	assert.Equal(t, "a", c.Message)
	assert.True(t, c.LastUpdateTime.Equal(&meta.Time{Time: t0}))
	// Same status, new reason: replaced, transition time kept.
	setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated, "c", t1))
	c = getCondition(&st, appsv1.DeploymentProgressing)
	assert.Equal(t, ReasonReplicaSetUpdated, c.Reason)
	assert.Equal(t, t1.UTC(), c.LastUpdateTime.Time)
	assert.Equal(t, t0.UTC(), c.LastTransitionTime.Time)
	// New status: both times move.
	setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionFalse, ReasonProgressDeadlineExceeded, "d", t1))
	c = getCondition(&st, appsv1.DeploymentProgressing)
	assert.Equal(t, t1.UTC(), c.LastTransitionTime.Time)
	assert.Len(t, st.Conditions, 1)
	removeCondition(&st, appsv1.DeploymentProgressing)
	assert.Nil(t, st.Conditions)
}

func TestDeploymentTimedOutAndCheckAfter(t *testing.T) {
	start := time.Unix(1000, 0)
	d := dep(3, "1", "0")
	d.Spec.ProgressDeadlineSeconds = ptr(int32(60))
	d.Status.Conditions = []appsv1.DeploymentCondition{newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated, "", start)}
	cases := []struct {
		name    string
		at      time.Duration
		reason  string
		timeout bool
		after   time.Duration
	}{
		{"just started", 0, ReasonReplicaSetUpdated, false, 61 * time.Second},
		{"at the deadline", 60 * time.Second, ReasonReplicaSetUpdated, false, time.Second},
		{"past the deadline", 61 * time.Second, ReasonReplicaSetUpdated, true, time.Second},
		{"complete never times out", 600 * time.Second, ReasonNewReplicaSetAvailable, false, 0},
		{"timed out stays timed out", 0, ReasonProgressDeadlineExceeded, true, 0},
		{"paused has no deadline", 0, ReasonDeploymentPaused, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dd := d.DeepCopy()
			dd.Status.Conditions[0].Reason = tc.reason
			st := dd.Status
			now := start.Add(tc.at)
			assert.Equal(t, tc.timeout, deploymentTimedOut(dd, &st, now), "timed out")
			if tc.reason == ReasonNewReplicaSetAvailable {
				return // progressCheckAfter is about incomplete rollouts; see TestRollingUpdate
			}
			assert.Equal(t, tc.after, progressCheckAfter(dd, &st, now), "check after")
		})
	}
	noDeadline := d.DeepCopy()
	noDeadline.Spec.ProgressDeadlineSeconds = ptr(int32(math.MaxInt32))
	assert.False(t, deploymentTimedOut(noDeadline, &noDeadline.Status, start.Add(time.Hour)))
	assert.Zero(t, progressCheckAfter(noDeadline, &noDeadline.Status, start))
}

func TestCalculateStatus(t *testing.T) {
	d := dep(4, "1", "1")
	d.Generation = 3
	d.Status.CollisionCount = ptr(int32(2))
	oldRS := rs("old", 2, 1, -1)
	oldRS.Status = appsv1.ReplicaSetStatus{Replicas: 2, ReadyReplicas: 2, AvailableReplicas: 2, TerminatingReplicas: ptr(int32(1))}
	newRS := rs("new", 3, 2, -1)
	newRS.Status = appsv1.ReplicaSetStatus{Replicas: 3, ReadyReplicas: 2, AvailableReplicas: 1}
	now := time.Unix(500, 0)
	st := calculateStatus(d, []*appsv1.ReplicaSet{oldRS, newRS, nil}, newRS, now)
	want := appsv1.DeploymentStatus{
		ObservedGeneration: 3, Replicas: 5, UpdatedReplicas: 3, ReadyReplicas: 4, AvailableReplicas: 3,
		UnavailableReplicas: 2, TerminatingReplicas: ptr(int32(1)), CollisionCount: ptr(int32(2)),
		Conditions: []appsv1.DeploymentCondition{newCondition(appsv1.DeploymentAvailable, corev1.ConditionTrue, ReasonMinimumReplicasAvailable, "Deployment has minimum availability.", now)},
	}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
	newRS.Status.AvailableReplicas = 0
	st = calculateStatus(d, []*appsv1.ReplicaSet{oldRS, newRS}, newRS, now)
	c := getCondition(&st, appsv1.DeploymentAvailable)
	assert.Equal(t, ReasonMinimumReplicasUnavailable, c.Reason)
	assert.Equal(t, corev1.ConditionFalse, c.Status)
}

func TestRolloutStatus(t *testing.T) {
	d := func(gen, observed int64, replicas, updated, total, available int32, reason string) *appsv1.Deployment {
		x := dep(replicas, "1", "1")
		x.Generation = gen
		x.Status = appsv1.DeploymentStatus{ObservedGeneration: observed, UpdatedReplicas: updated, Replicas: total, AvailableReplicas: available}
		if reason != "" {
			x.Status.Conditions = []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Reason: reason}}
		}
		return x
	}
	cases := []struct {
		name    string
		d       *appsv1.Deployment
		msg     string
		done    bool
		wantErr error
	}{
		{"spec not observed", d(2, 1, 3, 3, 3, 3, ""), "Waiting for deployment spec update to be observed...", false, nil},
		{"timed out", d(1, 1, 3, 1, 3, 1, ReasonProgressDeadlineExceeded), "", false, ErrProgressDeadlineExceeded},
		{"updating", d(1, 1, 3, 1, 3, 1, ""), `Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...`, false, nil},
		{"old pending", d(1, 1, 3, 3, 4, 3, ""), `Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...`, false, nil},
		{"not available", d(1, 1, 3, 3, 3, 2, ""), `Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...`, false, nil},
		{"done", d(1, 1, 3, 3, 3, 3, ReasonNewReplicaSetAvailable), `deployment "web" successfully rolled out`, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg, done, err := RolloutStatus(tc.d)
			if tc.wantErr != nil {
				assert.True(t, errors.Is(err, tc.wantErr), "err %v", err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.msg, msg)
			assert.Equal(t, tc.done, done)
		})
	}
}

func TestFindActiveOrLatest(t *testing.T) {
	oldA, oldB := rs("a", 0, 1, -1), rs("b", 0, 2, -1)
	newRS := rs("n", 0, 3, -1)
	active := rs("act", 2, 1, -1)
	cases := []struct {
		name  string
		newRS *appsv1.ReplicaSet
		old   []*appsv1.ReplicaSet
		want  *appsv1.ReplicaSet
	}{
		{"nothing", nil, nil, nil},
		{"none active: the new one", newRS, []*appsv1.ReplicaSet{oldA, oldB}, newRS},
		{"none active, no new: the newest old", nil, []*appsv1.ReplicaSet{oldA, oldB}, oldB},
		{"one active", newRS, []*appsv1.ReplicaSet{oldA, active}, active},
		{"two active", rs("n2", 1, 3, -1), []*appsv1.ReplicaSet{active}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Same(t, tc.want, findActiveOrLatest(tc.newRS, tc.old))
		})
	}
}
