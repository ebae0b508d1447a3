package replicaset

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// pod builds a pod for the ranking tests from a few traits.
type podSpec struct {
	name     string
	node     string
	phase    corev1.PodPhase
	ready    bool
	readyAt  time.Time
	cost     string
	restarts int32
	created  time.Time
}

func (s podSpec) pod() *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: s.name, CreationTimestamp: meta.NewTime(s.created)},
		Spec:       corev1.PodSpec{NodeName: s.node},
		Status:     corev1.PodStatus{Phase: s.phase},
	}
	if s.cost != "" {
		p.Annotations = map[string]string{PodDeletionCostAnnotation: s.cost}
	}
	if s.ready {
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: meta.NewTime(s.readyAt)}}
	} else {
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse}}
	}
	if s.restarts > 0 {
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "a", RestartCount: 1}, {Name: "b", RestartCount: s.restarts}}
	}
	return p
}

func TestDeletionOrder(t *testing.T) {
	t0 := epoch
	running := func(name string) podSpec {
		return podSpec{name: name, node: "n1", phase: corev1.PodRunning, ready: true, readyAt: t0, created: t0}
	}
	with := func(s podSpec, f func(*podSpec)) podSpec { f(&s); return s }
	tests := []struct {
		name       string
		a, b       podSpec
		colA, colB int
		want       int // sign of deletionOrder(a, b): -1 means a goes first
	}{
		{"identical", running("a"), running("b"), 0, 0, 0},
		{"unassigned before assigned", with(running("a"), func(s *podSpec) { s.node = "" }), running("b"), 0, 0, -1},
		{"assigned after unassigned", running("a"), with(running("b"), func(s *podSpec) { s.node = "" }), 0, 0, 1},
		{"pending before running", with(running("a"), func(s *podSpec) { s.phase = corev1.PodPending }), running("b"), 0, 0, -1},
		{"pending before unknown", with(running("a"), func(s *podSpec) { s.phase = corev1.PodPending }), with(running("b"), func(s *podSpec) { s.phase = corev1.PodUnknown }), 0, 0, -1},
		{"unknown before running", with(running("a"), func(s *podSpec) { s.phase = corev1.PodUnknown }), running("b"), 0, 0, -1},
		{"no phase before pending", with(running("a"), func(s *podSpec) { s.phase = "" }), with(running("b"), func(s *podSpec) { s.phase = corev1.PodPending }), 0, 0, -1},
		{"phase outranks readiness", with(running("a"), func(s *podSpec) { s.phase = corev1.PodPending }), with(running("b"), func(s *podSpec) { s.ready = false }), 0, 0, -1},
		{"not ready before ready", with(running("a"), func(s *podSpec) { s.ready = false }), running("b"), 0, 0, -1},
		{"lower deletion cost first", with(running("a"), func(s *podSpec) { s.cost = "-5" }), running("b"), 0, 0, -1},
		{"higher deletion cost last", with(running("a"), func(s *podSpec) { s.cost = "100" }), with(running("b"), func(s *podSpec) { s.cost = "3" }), 0, 0, 1},
		{"invalid deletion cost counts as zero", with(running("a"), func(s *podSpec) { s.cost = "lots" }), running("b"), 0, 0, 0},
		{"readiness outranks cost", with(running("a"), func(s *podSpec) { s.ready = false; s.cost = "1000" }), running("b"), 0, 0, -1},
		{"doubled up first", running("a"), running("b"), 3, 1, -1},
		{"cost outranks colocation", with(running("a"), func(s *podSpec) { s.cost = "1" }), running("b"), 5, 1, 1},
		{"recently ready first", with(running("a"), func(s *podSpec) { s.readyAt = t0.Add(time.Minute) }), running("b"), 0, 0, -1},
		{"ready without time first", with(running("a"), func(s *podSpec) { s.readyAt = time.Time{} }), running("b"), 0, 0, -1},
		{"colocation outranks ready time", with(running("a"), func(s *podSpec) { s.readyAt = t0.Add(time.Minute) }), running("b"), 1, 2, 1},
		{"more restarts first", with(running("a"), func(s *podSpec) { s.restarts = 7 }), running("b"), 0, 0, -1},
		{"ready time outranks restarts", with(running("a"), func(s *podSpec) { s.restarts = 7 }), with(running("b"), func(s *podSpec) { s.readyAt = t0.Add(time.Second) }), 0, 0, 1},
		{"newer first", with(running("a"), func(s *podSpec) { s.created = t0.Add(time.Hour) }), running("b"), 0, 0, -1},
		{"no creation time first", with(running("a"), func(s *podSpec) { s.created = time.Time{} }), running("b"), 0, 0, -1},
		{"restarts outrank age", with(running("a"), func(s *podSpec) { s.created = t0.Add(time.Hour) }), with(running("b"), func(s *podSpec) { s.restarts = 1 }), 0, 0, 1},
		{"not ready pods ignore ready time", with(running("a"), func(s *podSpec) { s.ready = false; s.created = t0.Add(-time.Hour) }), with(running("b"), func(s *podSpec) { s.ready = false }), 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := rankedPod{pod: tt.a.pod(), colocated: tt.colA}, rankedPod{pod: tt.b.pod(), colocated: tt.colB}
			if got := sign(deletionOrder(a, b)); got != tt.want {
				t.Errorf("deletionOrder(a, b) = %d, want %d", got, tt.want)
			}
			if got := sign(deletionOrder(b, a)); got != -tt.want {
				t.Errorf("deletionOrder(b, a) = %d, want %d (antisymmetry)", got, -tt.want)
			}
		})
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func TestPodsToDelete(t *testing.T) {
	t0 := epoch
	mk := func(name, node string, ready bool, created time.Duration) *corev1.Pod {
		return podSpec{name: name, node: node, phase: corev1.PodRunning, ready: ready, readyAt: t0, created: t0.Add(created)}.pod()
	}
	a := mk("a", "n1", true, 0)
	b := mk("b", "n1", true, time.Second)
	c := mk("c", "n2", true, 2*time.Second)
	d := mk("d", "n3", false, 0)
	e := podSpec{name: "e", phase: corev1.PodPending, created: t0}.pod()
	sibling := mk("s", "n2", true, 0)
	g := mk("g", "n3", true, 0)
	finished := mk("f", "n3", true, 0)
	finished.Status.Phase = corev1.PodSucceeded
	tests := []struct {
		name    string
		pods    []*corev1.Pod
		related []*corev1.Pod
		n       int
		want    []string
	}{
		{"none", []*corev1.Pod{a, b}, nil, 0, nil},
		{"unscheduled, then not ready", []*corev1.Pod{a, b, c, d, e}, nil, 2, []string{"e", "d"}},
		{"newest of equals", []*corev1.Pod{a, b, c}, nil, 1, []string{"c"}},
		{"crowded node first", []*corev1.Pod{a, b, c}, []*corev1.Pod{a, b, c}, 2, []string{"b", "a"}},
		{"siblings crowd a node", []*corev1.Pod{a, b, c}, []*corev1.Pod{a, b, c, sibling, mk("t", "n2", true, 0)}, 1, []string{"c"}},
		{"finished related pods do not crowd", []*corev1.Pod{c, g}, []*corev1.Pod{c, g, finished, finished}, 1, []string{"c"}},
		{"active related pods crowd", []*corev1.Pod{c, g}, []*corev1.Pod{c, g, mk("h", "n3", true, 0)}, 1, []string{"g"}},
		{"more than there are", []*corev1.Pod{a}, nil, 3, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range podsToDelete(tt.pods, tt.related, tt.n) {
				got = append(got, p.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("podsToDelete (-want +got):\n%s", diff)
			}
		})
	}
}
