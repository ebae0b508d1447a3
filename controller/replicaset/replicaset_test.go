package replicaset

import (
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
)

var webLabels = map[string]string{"app": "web"}

func TestNewRejectsInvalidOptions(t *testing.T) {
	s, _ := newBackend(t, nil)
	f, err := informer.NewFactory(informer.StoreSources(s), informer.FactoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    *informer.Factory
		s    store.Interface
		opts Options
	}{
		{"nil factory", nil, s, Options{}},
		{"nil store", f, nil, Options{}},
		{"negative workers", f, s, Options{Workers: -1}},
		{"negative burst", f, s, Options{BurstReplicas: -1}},
		{"negative expectations ttl", f, s, Options{ExpectationsTTL: -time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.f, tt.s, tt.opts)
			if !errors.Is(err, controller.ErrInvalidOptions) {
				t.Fatalf("New: got %v, want an error wrapping ErrInvalidOptions", err)
			}
		})
	}
}

func TestScaleUpAndDown(t *testing.T) {
	e := newEnv(t, Options{})
	rs := e.createRS(newRS("web", 0, webLabels))
	steps := []struct {
		name     string
		replicas int32
	}{
		{"up from zero", 3},
		{"up", 7},
		{"down", 2},
		{"to zero", 0},
		{"up again", 1},
	}
	wantCreates, wantDeletes := 0, 0
	prev := 0
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			e.updateRS("web", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = int32p(st.replicas) })
			if res := e.converge("web"); res.RequeueAfter != 0 {
				t.Errorf("RequeueAfter = %v, want 0 (no minReadySeconds)", res.RequeueAfter)
			}
			if d := int(st.replicas) - prev; d > 0 {
				wantCreates += d
			} else {
				wantDeletes -= d
			}
			prev = int(st.replicas)
			owned := e.ownedBy(rs)
			if len(owned) != int(st.replicas) {
				t.Fatalf("owned pods = %v, want %d", owned, st.replicas)
			}
			if len(e.listPods()) != int(st.replicas) {
				t.Fatalf("pods in the store = %d, want %d", len(e.listPods()), st.replicas)
			}
			got := e.getRS("web")
			want := appsv1.ReplicaSetStatus{Replicas: st.replicas, FullyLabeledReplicas: st.replicas, ObservedGeneration: got.Generation}
			if diff := cmp.Diff(want, got.Status); diff != "" {
				t.Errorf("status (-want +got):\n%s", diff)
			}
			if n := e.rec.count(ReasonSuccessfulCreate); n != wantCreates {
				t.Errorf("SuccessfulCreate events = %d, want %d", n, wantCreates)
			}
			if n := e.rec.count(ReasonSuccessfulDelete); n != wantDeletes {
				t.Errorf("SuccessfulDelete events = %d, want %d", n, wantDeletes)
			}
		})
	}
}

func TestCreatedPodsComeFromTheTemplate(t *testing.T) {
	e := newEnv(t, Options{})
	in := newRS("web", 2, webLabels)
	in.Spec.Template.Labels = map[string]string{"app": "web", "tier": "front"}
	in.Spec.Template.Annotations = map[string]string{"note": "x"}
	rs := e.createRS(in)
	e.converge("web")
	pods := e.listPods()
	if len(pods) != 2 {
		t.Fatalf("pods = %d, want 2", len(pods))
	}
	yes := true
	for _, p := range pods {
		if !strings.HasPrefix(p.Name, "web-") || p.GenerateName != "web-" {
			t.Errorf("pod name %q, generateName %q: want generated from \"web-\"", p.Name, p.GenerateName)
		}
		want := []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web", UID: rs.UID, Controller: &yes, BlockOwnerDeletion: &yes}}
		if diff := cmp.Diff(want, p.OwnerReferences); diff != "" {
			t.Errorf("owner references of %s (-want +got):\n%s", p.Name, diff)
		}
		if diff := cmp.Diff(in.Spec.Template.Labels, p.Labels); diff != "" {
			t.Errorf("labels of %s (-want +got):\n%s", p.Name, diff)
		}
		if diff := cmp.Diff(in.Spec.Template.Annotations, p.Annotations); diff != "" {
			t.Errorf("annotations of %s (-want +got):\n%s", p.Name, diff)
		}
		if diff := cmp.Diff(in.Spec.Template.Spec.Containers[0].Image, p.Spec.Containers[0].Image); diff != "" {
			t.Errorf("image of %s (-want +got):\n%s", p.Name, diff)
		}
	}
}

func TestScaleDownDeletesLeastValuableFirst(t *testing.T) {
	e := newEnv(t, Options{})
	e.createRS(newRS("web", 4, webLabels))
	e.converge("web")
	pods := e.listPods()
	// pods[0]: ready long ago; pods[1]: ready recently; pods[2]: running, not ready;
	// pods[3]: unscheduled.
	e.setReady(pods[0].Name, epoch.Add(-time.Hour))
	e.setReady(pods[1].Name, epoch.Add(-time.Minute))
	e.bind(pods[2].Name, "node-2", corev1.PodRunning)
	order := []string{pods[3].Name, pods[2].Name, pods[1].Name, pods[0].Name}
	for n := int32(3); n >= 0; n-- {
		e.updateRS("web", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = int32p(n) })
		e.converge("web")
		// Bound pods are deleted gracefully: they stay, with a deletion timestamp, until
		// their node agent removes them; they no longer count.
		left := e.activePods()
		want := append([]string(nil), order[4-n:]...)
		if diff := cmp.Diff(want, left, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Fatalf("pods left at %d replicas (-want +got):\n%s", n, diff)
		}
	}
}

func TestTerminatingPodIsReplacedAtOnce(t *testing.T) {
	e := newEnv(t, Options{})
	rs := e.createRS(newRS("web", 2, webLabels))
	e.converge("web")
	pods := e.ownedBy(rs)
	e.setReady(pods[0], epoch)
	// Someone deletes the bound pod: it terminates gracefully, still in the store.
	deleted, err := e.pods.Delete(e.ctx, ns, pods[0], store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if deleted.DeletionTimestamp == nil {
		t.Fatal("the bound pod was not deleted gracefully")
	}
	e.converge("web")
	if got := e.ownedBy(rs); len(got) != 2 || slices.Contains(got, pods[0]) {
		t.Errorf("active pods = %v, want 2 without the terminating %s", got, pods[0])
	}
	if got := len(e.listPods()); got != 3 {
		t.Errorf("pods in the store = %d, want 3 (one terminating)", got)
	}
	if st := e.getRS("web").Status; st.Replicas != 2 || st.ReadyReplicas != 0 {
		t.Errorf("status replicas %d, ready %d; want 2, 0 (the terminating pod does not count)", st.Replicas, st.ReadyReplicas)
	}
}

func TestBurstReplicasCapsOneSync(t *testing.T) {
	e := newEnv(t, Options{BurstReplicas: 4})
	e.createRS(newRS("web", 10, webLabels))
	wantPods := []int{4, 8, 10}
	for i, want := range wantPods {
		if _, err := e.sync("web"); err != nil {
			t.Fatal(err)
		}
		if got := len(e.listPods()); got != want {
			t.Fatalf("after sync %d: pods = %d, want %d", i+1, got, want)
		}
	}
	e.updateRS("web", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = int32p(1) })
	for i, want := range []int{6, 2, 1} {
		if _, err := e.sync("web"); err != nil {
			t.Fatal(err)
		}
		if got := len(e.listPods()); got != want {
			t.Fatalf("after scale-down sync %d: pods = %d, want %d", i+1, got, want)
		}
	}
}

func TestAdoptionAndRelease(t *testing.T) {
	e := newEnv(t, Options{})
	other := e.createRS(newRS("other", 0, map[string]string{"app": "other"}))
	orphan := e.createPod(testPod("orphan", webLabels))
	foreign := testPod("foreign", webLabels)
	if err := controller.SetControllerRef(&foreign.ObjectMeta, &other.ObjectMeta, kind()); err != nil {
		t.Fatal(err)
	}
	e.createPod(foreign)
	e.createPod(testPod("unrelated", map[string]string{"app": "db"}))
	done := e.createPod(testPod("finished", webLabels))
	e.updatePodStatus(done.Name, func(st *corev1.PodStatus) { st.Phase = corev1.PodSucceeded })

	rs := e.createRS(newRS("web", 2, webLabels))
	e.converge("web")
	owned := e.ownedBy(rs)
	if len(owned) != 2 || !contains(owned, orphan.Name) {
		t.Fatalf("owned = %v, want the orphan and one new pod", owned)
	}
	if got := e.ownedBy(other); !cmp.Equal(got, []string{"foreign"}) {
		t.Errorf("pods of the other ReplicaSet = %v, want [foreign] (never taken)", got)
	}
	if got := e.ownedBy(&appsv1.ReplicaSet{ObjectMeta: meta.ObjectMeta{UID: rs.UID}}); contains(got, done.Name) {
		t.Errorf("a finished pod was adopted")
	}

	// Release: the orphan's labels stop matching; it is let go and replaced.
	e.updatePod(orphan.Name, func(p *corev1.Pod) { p.Labels = map[string]string{"app": "web-debug"} })
	e.converge("web")
	released, err := e.pods.Get(e.ctx, ns, orphan.Name, store.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(released.OwnerReferences) != 0 {
		t.Errorf("released pod still has owner references %v", released.OwnerReferences)
	}
	owned = e.ownedBy(rs)
	if len(owned) != 2 || contains(owned, orphan.Name) {
		t.Errorf("owned after release = %v, want 2 pods without %s", owned, orphan.Name)
	}
}

func TestReplicaSetBeingDeletedLeavesPodsAlone(t *testing.T) {
	e := newEnv(t, Options{})
	rs := e.createRS(newRS("web", 2, webLabels))
	e.converge("web")
	before := e.ownedBy(rs)
	orphan := e.createPod(testPod("orphan", webLabels))
	e.updatePod(before[0], func(p *corev1.Pod) { p.Labels = map[string]string{"app": "moved"} })
	// Being deleted in the foreground (kept by its finalizer), and asking for more.
	fg := meta.DeletePropagationForeground
	if _, err := e.rss.Delete(e.ctx, ns, "web", store.DeleteOptions{PropagationPolicy: &fg}); err != nil {
		t.Fatal(err)
	}
	e.updateRS("web", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = int32p(5) })
	if e.getRS("web").DeletionTimestamp == nil {
		t.Fatal("the ReplicaSet is not being deleted")
	}
	e.converge("web")
	if diff := cmp.Diff(before, e.ownedBy(rs)); diff != "" {
		t.Errorf("pods of a ReplicaSet being deleted changed (-before +after):\n%s", diff)
	}
	p, err := e.pods.Get(e.ctx, ns, orphan.Name, store.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.OwnerReferences) != 0 {
		t.Errorf("orphan adopted by a ReplicaSet being deleted: %v", p.OwnerReferences)
	}
	if got := len(e.listPods()); got != 3 {
		t.Errorf("pods = %d, want 3 (nothing created or deleted)", got)
	}
}

func TestSlowStartStopsAtFirstFailure(t *testing.T) {
	e := newEnv(t, Options{})
	// The 4th create fails: batches 1 and 2 succeed, the batch of 4 has one failure, and
	// the last batch is never tried.
	failFourth := func(n int64) error {
		if n == 4 {
			return errQuota
		}
		return nil
	}
	e.store.createErr.Store(&failFourth)
	e.createRS(newRS("web", 10, webLabels))
	_, err := e.sync("web")
	if !errors.Is(err, errQuota) {
		t.Fatalf("sync: got %v, want the quota error", err)
	}
	if got := e.store.creates.Load(); got != 7 {
		t.Errorf("create calls = %d, want 7 (batches of 1, 2 and 4)", got)
	}
	if got := len(e.listPods()); got != 6 {
		t.Errorf("pods = %d, want 6", got)
	}
	if n := e.rec.count(ReasonFailedCreate); n != 1 {
		t.Errorf("FailedCreate events = %d, want 1", n)
	}
	st := e.getRS("web").Status
	want := []appsv1.ReplicaSetCondition{{
		Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue, Reason: ReasonFailedCreate,
		LastTransitionTime: meta.NewTime(epoch), Message: "create pod: " + errQuota.Error(),
	}}
	if diff := cmp.Diff(want, st.Conditions); diff != "" {
		t.Errorf("conditions after the failure (-want +got):\n%s", diff)
	}

	// The expectations were lowered for the failed and the skipped creates: as soon as the
	// cache sees the 6 pods, the next sync creates the rest, and the condition goes away.
	e.store.createErr.Store(nil)
	e.converge("web")
	st = e.getRS("web").Status
	if len(e.listPods()) != 10 || st.Replicas != 10 || len(st.Conditions) != 0 {
		t.Errorf("after healing: pods %d, status %+v; want 10 pods, no condition", len(e.listPods()), st)
	}
}

func TestFailedDeleteSetsConditionAndRetries(t *testing.T) {
	e := newEnv(t, Options{})
	e.createRS(newRS("web", 3, webLabels))
	e.converge("web")
	failSecond := func(n int64) error {
		if n == 2 {
			return errQuota
		}
		return nil
	}
	e.store.deleteErr.Store(&failSecond)
	e.updateRS("web", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = int32p(0) })
	if _, err := e.sync("web"); !errors.Is(err, errQuota) {
		t.Fatalf("sync: got %v, want the injected error", err)
	}
	if got := len(e.listPods()); got != 1 {
		t.Errorf("pods = %d, want 1 (the failed delete)", got)
	}
	conds := e.getRS("web").Status.Conditions
	if len(conds) != 1 || conds[0].Reason != ReasonFailedDelete || conds[0].Status != corev1.ConditionTrue {
		t.Errorf("conditions = %+v, want ReplicaFailure FailedDelete", conds)
	}
	if n := e.rec.count(ReasonFailedDelete); n != 1 {
		t.Errorf("FailedDelete events = %d, want 1", n)
	}
	// The failed delete lowered the expectations: the next sync tries again at once.
	e.converge("web")
	if got := len(e.listPods()); got != 0 {
		t.Errorf("pods after the retry = %d, want 0", got)
	}
	if conds := e.getRS("web").Status.Conditions; len(conds) != 0 {
		t.Errorf("conditions after the retry = %+v, want none", conds)
	}
}

func TestTerminatingNamespaceIsNoFailure(t *testing.T) {
	e := newEnv(t, Options{})
	terminating := apierrors.NewForbidden(podsResource, "", errors.New("unable to create new content in namespace default because it is being terminated"))
	terminating.ErrStatus.Details.Causes = append(terminating.ErrStatus.Details.Causes, meta.StatusCause{Type: NamespaceTerminatingCause})
	always := func(int64) error { return terminating }
	e.store.createErr.Store(&always)
	e.createRS(newRS("web", 2, webLabels))
	if _, err := e.sync("web"); err != nil {
		t.Fatalf("sync: %v, want no error", err)
	}
	if !e.c.exp.Satisfied("default/web") {
		t.Error("expectations wait for pods that can never appear")
	}
	if conds := e.getRS("web").Status.Conditions; len(conds) != 0 {
		t.Errorf("conditions = %+v, want none", conds)
	}
	if got := e.store.creates.Load(); got != 2 {
		t.Errorf("create calls = %d, want 2", got)
	}
}

func TestSlowStartBatches(t *testing.T) {
	tests := []struct {
		name      string
		count     int
		failAt    int // 0: never
		wantCalls int
		wantOK    int
	}{
		{"zero", 0, 0, 0, 0},
		{"one", 1, 0, 1, 1},
		{"all succeed", 10, 0, 10, 10},
		{"first fails", 10, 1, 1, 0},
		{"fails in the second batch", 10, 2, 3, 2},
		{"fails in the last batch", 10, 10, 10, 9},
		{"exact powers", 7, 0, 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int64
			failed := errors.New("boom")
			ok, err := slowStart(tt.count, 1, func() error {
				if n := calls.Add(1); int(n) == tt.failAt {
					return failed
				}
				return nil
			})
			if int(calls.Load()) != tt.wantCalls || ok != tt.wantOK {
				t.Errorf("calls %d, ok %d; want %d, %d", calls.Load(), ok, tt.wantCalls, tt.wantOK)
			}
			if (tt.failAt != 0) != errors.Is(err, failed) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestExpectationsPreventOverCreationWhileCacheLags(t *testing.T) {
	e := newEnv(t, Options{})
	e.createRS(newRS("web", 5, webLabels))
	e.gates.hold()
	for i := range 3 {
		if _, err := e.sync("web"); err != nil {
			t.Fatalf("sync %d: %v", i, err)
		}
		if got := len(e.listPods()); got != 5 {
			t.Fatalf("after sync %d with a lagging cache: pods = %d, want 5", i, got)
		}
	}
	if got := e.store.creates.Load(); got != 5 {
		t.Errorf("create calls = %d, want 5", got)
	}
	// Scale down while the cache still lags: the controller waits rather than deleting
	// pods it has not seen.
	e.updateRS("web", func(rs *appsv1.ReplicaSet) { rs.Spec.Replicas = int32p(2) })
	if _, err := e.sync("web"); err != nil {
		t.Fatal(err)
	}
	if got := e.store.deletes.Load(); got != 0 {
		t.Errorf("deletes while the cache lagged = %d, want 0", got)
	}
	e.gates.release()
	e.converge("web")
	if got := len(e.listPods()); got != 2 {
		t.Errorf("pods after the cache caught up = %d, want 2", got)
	}
	if got := e.store.deletes.Load(); got != 3 {
		t.Errorf("deletes = %d, want 3", got)
	}
}

func TestExpectationsExpire(t *testing.T) {
	e := newEnv(t, Options{ExpectationsTTL: time.Minute})
	e.createRS(newRS("web", 2, webLabels))
	e.gates.hold()
	if _, err := e.sync("web"); err != nil {
		t.Fatal(err)
	}
	// The pod events never arrive; someone deletes the pods meanwhile.
	for _, p := range e.listPods() {
		if _, err := e.pods.Delete(e.ctx, ns, p.Name, store.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.sync("web"); err != nil {
		t.Fatal(err)
	}
	if got := e.store.creates.Load(); got != 2 {
		t.Fatalf("creates before the ttl = %d, want 2", got)
	}
	e.clk.Step(time.Minute)
	e.gates.release()
	e.converge("web")
	if got := len(e.listPods()); got != 2 {
		t.Errorf("pods after the ttl = %d, want 2", got)
	}
}

func TestMinReadySecondsAvailability(t *testing.T) {
	e := newEnv(t, Options{})
	in := newRS("web", 2, webLabels)
	in.Spec.MinReadySeconds = 10
	e.createRS(in)
	e.converge("web")
	pods := e.listPods()
	e.setReady(pods[0].Name, epoch)
	e.clk.Step(4 * time.Second)
	e.setReady(pods[1].Name, e.clk.Now())
	res := e.converge("web")
	if res.RequeueAfter != 6*time.Second {
		t.Errorf("RequeueAfter = %v, want 6s (until the first pod is available)", res.RequeueAfter)
	}
	st := e.getRS("web").Status
	if st.ReadyReplicas != 2 || st.AvailableReplicas != 0 {
		t.Errorf("ready %d, available %d; want 2, 0", st.ReadyReplicas, st.AvailableReplicas)
	}
	e.clk.Step(res.RequeueAfter)
	res = e.converge("web")
	if got := e.getRS("web").Status.AvailableReplicas; got != 1 || res.RequeueAfter != 4*time.Second {
		t.Errorf("available %d, RequeueAfter %v; want 1, 4s", got, res.RequeueAfter)
	}
	e.clk.Step(res.RequeueAfter)
	res = e.converge("web")
	if got := e.getRS("web").Status.AvailableReplicas; got != 2 || res.RequeueAfter != 0 {
		t.Errorf("available %d, RequeueAfter %v; want 2, 0", got, res.RequeueAfter)
	}
}

func TestStatus(t *testing.T) {
	e := newEnv(t, Options{})
	in := newRS("web", 3, webLabels)
	in.Spec.Template.Labels = map[string]string{"app": "web", "tier": "front"}
	rs := e.createRS(in)
	e.converge("web")
	pods := e.listPods()
	// One pod lost the template's extra label but still matches the selector.
	e.updatePod(pods[0].Name, func(p *corev1.Pod) { p.Labels = webLabels })
	e.setReady(pods[1].Name, epoch)
	e.converge("web")
	got := e.getRS("web")
	want := appsv1.ReplicaSetStatus{Replicas: 3, FullyLabeledReplicas: 2, ReadyReplicas: 1, AvailableReplicas: 1, ObservedGeneration: rs.Generation}
	if diff := cmp.Diff(want, got.Status); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
	// A spec change without a change of pods still moves observedGeneration.
	e.updateRS("web", func(rs *appsv1.ReplicaSet) { rs.Spec.MinReadySeconds = 30 })
	e.converge("web")
	got = e.getRS("web")
	if got.Status.ObservedGeneration != got.Generation || got.Generation == rs.Generation {
		t.Errorf("observedGeneration %d, generation %d (was %d)", got.Status.ObservedGeneration, got.Generation, rs.Generation)
	}
	if got.Status.AvailableReplicas != 0 {
		t.Errorf("available = %d, want 0 under minReadySeconds 30 at ready+0", got.Status.AvailableReplicas)
	}
	// A sync that changes nothing writes nothing.
	before := e.revision()
	if _, err := e.sync("web"); err != nil {
		t.Fatal(err)
	}
	if e.revision() != before {
		t.Errorf("a sync without change wrote to the store")
	}
}

func TestInvalidSelectorIsTerminal(t *testing.T) {
	tests := []struct {
		name    string
		sel     *meta.LabelSelector
		wantErr error
	}{
		{"bad operator", &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "app", Operator: "Bogus"}}}, nil},
		{"nil selector", nil, ErrInvalidSpec},
		{"empty selector", &meta.LabelSelector{}, ErrInvalidSpec},
		{"does not match the template", &meta.LabelSelector{MatchLabels: map[string]string{"app": "db"}}, ErrInvalidSpec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Options{})
			e.createPod(testPod("orphan", webLabels))
			in := newRS("web", 1, webLabels)
			in.Spec.Selector = tt.sel
			// The registry refuses these; write around it, as a store without validation would.
			if _, err := store.For[*appsv1.ReplicaSet](e.raw, replicaSetsResource).Create(e.ctx, in); err != nil {
				t.Fatal(err)
			}
			_, err := e.sync("web")
			if !controller.IsTerminal(err) {
				t.Fatalf("sync: got %v, want a terminal error", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("sync: got %v, want %v", err, tt.wantErr)
			}
			pods := e.listPods()
			if len(pods) != 1 || len(pods[0].OwnerReferences) != 0 {
				t.Errorf("pods = %d, first owned by %v; want only the orphan, untouched", len(pods), pods[0].OwnerReferences)
			}
		})
	}
}

func TestDeletedReplicaSetIsForgotten(t *testing.T) {
	e := newEnv(t, Options{})
	e.createRS(newRS("web", 2, webLabels))
	e.gates.hold()
	if _, err := e.sync("web"); err != nil {
		t.Fatal(err)
	}
	if e.c.exp.Satisfied("default/web") {
		t.Fatal("expectations satisfied before the pods were seen")
	}
	if _, err := e.rss.Delete(e.ctx, ns, "web", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sync("web"); err != nil {
		t.Fatal(err)
	}
	if !e.c.exp.Satisfied("default/web") {
		t.Error("expectations of a deleted ReplicaSet kept")
	}
	e.gates.release()
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
