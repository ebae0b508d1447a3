package nodelifecycle

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

func TestTaintBasedEvictionHonoursTolerationSeconds(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("other")
	h.renew("n1") // n1 renews once, at 0s, then falls silent: unreachable at 45s

	const never = time.Duration(-1)
	pods := []struct {
		name        string
		tolerations []corev1.Toleration
		evictAt     time.Duration // since t0; never for pods that stay
	}{
		{"untolerated", nil, 45 * time.Second},
		{"tolerates-300s", []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, seconds(300))}, 345 * time.Second},
		{"tolerates-0s", []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, seconds(0))}, 45 * time.Second},
		{"tolerates-forever", []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, nil)}, never},
		{"tolerates-everything", []corev1.Toleration{{Operator: corev1.TolerationOpExists}}, never},
		{"tolerates-only-not-ready", []corev1.Toleration{tolerate(corev1.TaintNodeNotReady, seconds(600))}, 45 * time.Second},
		{"first-match-wins", []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, seconds(100)), tolerate("", nil)}, 145 * time.Second},
	}
	for _, p := range pods {
		h.addPod(p.name, "n1", p.tolerations...)
	}
	h.addPod("elsewhere", "other")
	h.pass()

	check := func(at time.Duration) {
		t.Helper()
		for _, p := range append(pods, struct {
			name        string
			tolerations []corev1.Toleration
			evictAt     time.Duration
		}{"elsewhere", nil, never}) {
			want := p.evictAt != never && p.evictAt <= at
			if got := h.evicted(p.name); got != want {
				t.Errorf("at %v: pod %s evicted = %v, want %v", at, p.name, got, want)
			}
		}
	}
	for _, at := range []time.Duration{40 * time.Second, 45 * time.Second, 144 * time.Second, 145 * time.Second, 344 * time.Second, 345 * time.Second, time.Hour} {
		if at%(5*time.Second) == 0 {
			h.runUntil(at)
		} else {
			h.at(at)
			h.evict()
		}
		check(at)
		if at == 344*time.Second {
			if got := h.requeues["default/tolerates-300s"]; got != time.Second {
				t.Errorf("at 344s the 300s pod is requeued after %v, want 1s", got)
			}
		}
	}
	// The registry deletes bound pods gracefully: the evicted pod is still there, marked as
	// a disruption target, with its 30s termination grace period running.
	p := h.pod("tolerates-300s")
	var dt *corev1.PodCondition
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == corev1.DisruptionTarget {
			dt = &p.Status.Conditions[i]
		}
	}
	if dt == nil || dt.Status != corev1.ConditionTrue || dt.Reason != ReasonDeletionByTaintManager || dt.Message != MessageDeletionByTaintManager {
		t.Errorf("DisruptionTarget condition of the evicted pod = %+v", dt)
	}
	if p.DeletionTimestamp == nil || !p.DeletionTimestamp.Time.Equal(t0.Add(375*time.Second)) || p.DeletionGracePeriodSeconds == nil || *p.DeletionGracePeriodSeconds != 30 {
		t.Errorf("deletion of the evicted pod: timestamp %v, grace %v; want 375s and 30", p.DeletionTimestamp, p.DeletionGracePeriodSeconds)
	}
	got := h.ev.take()
	want := []string{
		"Normal node n1 RegisteredNode: Registered Node n1 in Controller",
		"Normal node other RegisteredNode: Registered Node other in Controller",
		"Normal node n1 NodeNotReady: Node n1 status is now: NodeNotReady",
		"Normal pod default/tolerates-0s TaintManagerEviction: Marking for deletion Pod default/tolerates-0s",
		"Normal pod default/tolerates-only-not-ready TaintManagerEviction: Marking for deletion Pod default/tolerates-only-not-ready",
		"Normal pod default/untolerated TaintManagerEviction: Marking for deletion Pod default/untolerated",
		"Normal pod default/first-match-wins TaintManagerEviction: Marking for deletion Pod default/first-match-wins",
		"Normal pod default/tolerates-300s TaintManagerEviction: Marking for deletion Pod default/tolerates-300s",
	}
	// NodeNotReady on the pods of n1 comes with marking them not ready.
	var evictionEvents []string
	for _, e := range got {
		if !strings.Contains(e, "NodeNotReady: Node is not ready") {
			evictionEvents = append(evictionEvents, e)
		}
	}
	if diff := cmp.Diff(want, evictionEvents); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestEvictionIsCancelledWhenTheNodeRecovers(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("other")
	h.renew("n1")
	h.addPod("p", "n1", tolerate(corev1.TaintNodeUnreachable, seconds(300)))
	h.pass()
	h.runUntil(100 * time.Second)
	if diff := cmp.Diff([]string{corev1.TaintNodeUnreachable}, h.taints("n1")); diff != "" {
		t.Fatalf("taints at 100s (-want +got):\n%s", diff)
	}
	h.ev.take()

	// n1 comes back at 100s: the taint goes, and with it the eviction due at 345s.
	h.keepAlive("n1")
	h.post("n1", corev1.ConditionTrue)
	h.pass()
	if got := h.taints("n1"); len(got) != 0 {
		t.Fatalf("taints after recovery = %v", got)
	}
	if diff := cmp.Diff([]string{"Normal pod default/p TaintManagerEviction: Cancelling deletion of Pod default/p"}, h.ev.take()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	h.runUntil(400 * time.Second)
	if h.evicted("p") {
		t.Fatal("pod evicted although its node recovered")
	}

	// It fails again at 400s: a new eviction clock starts with the new taint (445s + 300s).
	h.silence("n1")
	h.runUntil(740 * time.Second)
	if h.evicted("p") {
		t.Fatal("pod evicted at 740s, before 300s of the new taint (added at 445s)")
	}
	h.runUntil(745 * time.Second)
	if !h.evicted("p") {
		t.Fatal("pod not evicted at 745s, 300s after the taint was added")
	}
}

func TestSwappingTheTaintKeepsTheEvictionClock(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionFalse)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("n1", "other")
	h.addPod("p", "n1", tolerate("", seconds(100)))
	h.pass() // not-ready at 0s: eviction due at 100s
	h.at(5 * time.Second)
	h.pass()
	h.silence("n1") // last renewal at 5s: unreachable at 50s
	h.runUntil(95 * time.Second)
	if diff := cmp.Diff([]string{corev1.TaintNodeUnreachable}, h.taints("n1")); diff != "" {
		t.Fatalf("taints at 95s (-want +got):\n%s", diff)
	}
	if h.evicted("p") {
		t.Fatal("evicted before 100s")
	}
	h.runUntil(100 * time.Second)
	if !h.evicted("p") {
		t.Fatal("not evicted at 100s: the swap to unreachable restarted the clock")
	}
}

func TestAPodBoundToAnAlreadyTaintedNodeGetsItsFullToleration(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionFalse)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("n1", "other")
	h.pass() // tainted not-ready at 0s
	h.runUntil(1000 * time.Second)
	h.addPod("late", "n1", tolerate(corev1.TaintNodeNotReady, seconds(60)))
	h.pass()
	h.runUntil(1055 * time.Second)
	if h.evicted("late") {
		t.Fatal("a pod created at 1000s was evicted before 60s passed")
	}
	h.runUntil(1060 * time.Second)
	if !h.evicted("late") {
		t.Fatal("a pod created at 1000s was not evicted at 1060s")
	}
}

func ExampleTolerationTime() {
	taints := []corev1.Taint{{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}}
	for _, tols := range [][]corev1.Toleration{
		nil,
		{tolerate(corev1.TaintNodeUnreachable, seconds(300))},
		{tolerate(corev1.TaintNodeUnreachable, nil)},
	} {
		d, forever := TolerationTime(taints, tols)
		fmt.Println(d, forever)
	}
	// Output:
	// 0s false
	// 5m0s false
	// 0s true
}

func TestPodsWithTheAPIServersDefaultTolerationsGetFiveMinutes(t *testing.T) {
	h := newHarness(t, Options{}, withDefaultTolerations(300))
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("other")
	h.renew("n1")
	h.addPod("web", "n1") // the registry adds not-ready and unreachable for 300s
	if got := len(h.pod("web").Spec.Tolerations); got != 2 {
		t.Fatalf("pod has %d tolerations, want the registry's two defaults", got)
	}
	h.pass()
	h.runUntil(344 * time.Second)
	if h.evicted("web") {
		t.Fatal("evicted before 300s of the unreachable taint (added at 45s)")
	}
	h.runUntil(345 * time.Second)
	if !h.evicted("web") {
		t.Fatal("not evicted 300s after the unreachable taint")
	}
}

func TestARestartedControllerKeepsTheEvictionDeadlines(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("other")
	h.renew("n1")
	h.addPod("p", "n1", tolerate(corev1.TaintNodeUnreachable, seconds(300)))
	h.pass()
	h.runUntil(100 * time.Second) // n1 tainted unreachable at 45s
	h.restart()
	h.pass()
	if diff := cmp.Diff([]string{corev1.TaintNodeUnreachable}, h.taints("n1")); diff != "" {
		t.Fatalf("taints after the restart (-want +got):\n%s", diff)
	}
	// The new controller gives n1 a fresh grace period (it never saw a heartbeat), but the
	// taint, and the pod's deadline with it, count from when the taint was added.
	h.runUntil(340 * time.Second)
	if h.evicted("p") {
		t.Fatal("evicted before 300s of the taint")
	}
	h.at(344 * time.Second)
	h.evict()
	if h.evicted("p") {
		t.Fatal("evicted at 344s")
	}
	h.at(345 * time.Second)
	h.evict()
	if !h.evicted("p") {
		t.Fatal("not evicted at 345s, 300s after the taint was added before the restart")
	}
}
