package nodelifecycle

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
)

// cond is the part of a node condition the tests compare.
type cond struct {
	Type       corev1.NodeConditionType
	Status     corev1.ConditionStatus
	Reason     string
	Heartbeat  time.Duration // since t0
	Transition time.Duration
}

func conds(n *corev1.Node) []cond {
	var out []cond
	for _, c := range n.Status.Conditions {
		out = append(out, cond{c.Type, c.Status, c.Reason, c.LastHeartbeatTime.Sub(t0), c.LastTransitionTime.Sub(t0)})
	}
	return out
}

func TestReadyBecomesUnknownAfterGracePeriodAndTrueWhenTheNodeReports(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("other") // one ready node: the zone is not fully disrupted
	h.renew("n1")
	h.pass()

	h.runUntil(40 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionTrue {
		t.Fatalf("Ready at 40s (the grace period) = %s, want True", got)
	}
	if got := h.taints("n1"); len(got) != 0 {
		t.Fatalf("taints at 40s = %v, want none", got)
	}

	h.runUntil(45 * time.Second)
	n := h.node("n1")
	want := []cond{
		{corev1.NodeReady, corev1.ConditionUnknown, ReasonNodeStatusUnknown, 0, 45 * time.Second},
		{corev1.NodeMemoryPressure, corev1.ConditionUnknown, ReasonNodeStatusUnknown, 0, 45 * time.Second},
		{corev1.NodeDiskPressure, corev1.ConditionUnknown, ReasonNodeStatusNeverUpdated, 0, 45 * time.Second},
		{corev1.NodePIDPressure, corev1.ConditionUnknown, ReasonNodeStatusNeverUpdated, 0, 45 * time.Second},
	}
	if diff := cmp.Diff(want, conds(n)); diff != "" {
		t.Fatalf("conditions at 45s (-want +got):\n%s", diff)
	}
	if r := readyCondition(n); r.Message != MessageNodeStatusUnknown {
		t.Errorf("Ready message = %q, want %q", r.Message, MessageNodeStatusUnknown)
	}
	if diff := cmp.Diff([]corev1.Taint{{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute, TimeAdded: timeAt(45 * time.Second)}}, noExecuteTaints(n.Spec.Taints)); diff != "" {
		t.Errorf("taints at 45s (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{
		"Normal node n1 RegisteredNode: Registered Node n1 in Controller",
		"Normal node other RegisteredNode: Registered Node other in Controller",
		"Normal node n1 NodeNotReady: Node n1 status is now: NodeNotReady",
	}, h.ev.take()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}

	// The node comes back: its agent renews the Lease and posts Ready=True.
	h.at(60 * time.Second)
	h.renew("n1")
	h.post("n1", corev1.ConditionTrue)
	h.pass()
	if got := h.ready("n1"); got != corev1.ConditionTrue {
		t.Fatalf("Ready after the node reported = %s, want True", got)
	}
	if got := h.taints("n1"); len(got) != 0 {
		t.Fatalf("taints after the node reported = %v, want none", got)
	}
	// A fresh grace period counts from the last heartbeat seen (60s).
	h.runUntil(100 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionTrue {
		t.Fatalf("Ready at 100s = %s, want True", got)
	}
	h.runUntil(105 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionUnknown {
		t.Fatalf("Ready at 105s = %s, want Unknown", got)
	}
}

func timeAt(d time.Duration) *meta.Time {
	ts := meta.NewTime(t0.Add(d))
	return &ts
}

func TestLeaseRenewalsAloneKeepANodeHealthy(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue) // posts its status once, at 0s
	h.keepAlive("n1")                         // and renews its Lease before every pass
	h.pass()
	h.runUntil(120 * time.Second)
	h.silence("n1")
	if got := h.ready("n1"); got != corev1.ConditionTrue {
		t.Fatalf("Ready at 120s with Lease renewals every 10s = %s, want True", got)
	}
	h.runUntil(160 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionTrue {
		t.Fatalf("Ready at 160s (40s after the last renewal) = %s, want True", got)
	}
	h.runUntil(165 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionUnknown {
		t.Fatalf("Ready at 165s = %s, want Unknown", got)
	}
}

func TestANewerStatusHeartbeatAloneKeepsANodeHealthy(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.pass()
	for d := 20 * time.Second; d <= 100*time.Second; d += 20 * time.Second {
		h.at(d)
		h.post("n1", corev1.ConditionTrue) // no Lease at all
		h.pass()
		h.runUntil(d + 15*time.Second)
	}
	h.runUntil(140 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionTrue {
		t.Fatalf("Ready at 140s = %s, want True", got)
	}
	h.runUntil(145 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionUnknown {
		t.Fatalf("Ready at 145s = %s, want Unknown", got)
	}
}

func TestANodeThatNeverReportedIsUnknownAfterTheStartupGracePeriod(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", "")
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("other")
	h.at(5 * time.Second)
	h.pass()
	h.runUntil(60 * time.Second)
	if got := h.node("n1").Status.Conditions; len(got) != 0 {
		t.Fatalf("conditions at 60s (the startup grace period) = %v, want none", got)
	}
	h.runUntil(65 * time.Second)
	var want []cond
	for _, typ := range conditionsSetUnknown {
		want = append(want, cond{typ, corev1.ConditionUnknown, ReasonNodeStatusNeverUpdated, 0, 65 * time.Second})
	}
	if diff := cmp.Diff(want, conds(h.node("n1"))); diff != "" {
		t.Fatalf("conditions at 65s (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{corev1.TaintNodeUnreachable}, h.taints("n1")); diff != "" {
		t.Errorf("taints (-want +got):\n%s", diff)
	}
	// The next passes neither rewrite the node nor take the added Ready for a heartbeat.
	rv := h.node("n1").ResourceVersion
	h.runUntil(200 * time.Second)
	if got := h.node("n1").ResourceVersion; got != rv {
		t.Errorf("node rewritten after it was marked: resourceVersion %s -> %s", rv, got)
	}
}

func TestAStatusWriteNeverOverwritesAHeartbeatPostedMeanwhile(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.pass()
	h.runUntil(45 * time.Second) // n1 is silent: marked Unknown at 45s
	h.at(48 * time.Second)
	h.post("n1", corev1.ConditionTrue)
	h.pass()
	stale := h.node("n1") // what the cache held before the node reported again
	h.at(100 * time.Second)
	h.post("n1", corev1.ConditionTrue)
	h.c.mu.Lock()
	_, _, err := h.c.updateHealth(h.ctx, stale, h.clk.Now())
	h.c.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	n := h.node("n1")
	if r := readyCondition(n); r.Status != corev1.ConditionTrue || !r.LastHeartbeatTime.Time.Equal(t0.Add(100*time.Second)) {
		t.Fatalf("Ready = %s with heartbeat %v, want True with the heartbeat posted at 100s", r.Status, r.LastHeartbeatTime.Sub(t0))
	}
}

func TestNotReadyAndUnreachableTaintsFollowReady(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionFalse) // the agent reports the node not ready
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("n1", "other")
	h.pass()
	n := h.node("n1")
	if diff := cmp.Diff([]corev1.Taint{{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute, TimeAdded: timeAt(0)}}, noExecuteTaints(n.Spec.Taints)); diff != "" {
		t.Fatalf("taints of a node reporting Ready=False (-want +got):\n%s", diff)
	}

	// The agent goes silent: Ready becomes Unknown and the taint is swapped in one write.
	h.silence("n1")
	w, err := h.nodes.Watch(h.ctx, "", store.WatchOptions{Revision: h.s.rev(nodesGR)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	h.runUntil(45 * time.Second)
	n = h.node("n1")
	if diff := cmp.Diff([]corev1.Taint{{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute, TimeAdded: timeAt(45 * time.Second)}}, noExecuteTaints(n.Spec.Taints)); diff != "" {
		t.Fatalf("taints after the node went silent (-want +got):\n%s", diff)
	}
	var seen [][]string
	for len(seen) == 0 || seen[len(seen)-1][0] != corev1.TaintNodeUnreachable {
		ev := <-w.ResultChan()
		var keys []string
		for _, t := range noExecuteTaints(ev.Object.Spec.Taints) {
			keys = append(keys, t.Key)
		}
		if len(keys) != 1 {
			t.Fatalf("a write left the node with taints %v: the swap must be atomic", keys)
		}
		seen = append(seen, keys)
	}

	// Ready again: both taints go at once, without waiting for a rate limiter.
	h.at(50 * time.Second)
	h.keepAlive("n1")
	h.post("n1", corev1.ConditionTrue)
	h.pass()
	if got := h.taints("n1"); len(got) != 0 {
		t.Fatalf("taints of a ready node = %v, want none", got)
	}
	// Not ready again.
	h.at(55 * time.Second)
	h.post("n1", corev1.ConditionFalse)
	h.pass()
	if diff := cmp.Diff([]string{corev1.TaintNodeNotReady}, h.taints("n1")); diff != "" {
		t.Fatalf("taints (-want +got):\n%s", diff)
	}
}

func TestPodsOfANodeThatStoppedReportingAreMarkedNotReady(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("silent", "", corev1.ConditionTrue)
	h.addNode("healthy", "", corev1.ConditionTrue)
	h.addNode("failing", "", corev1.ConditionTrue)
	forever := tolerate("", nil)
	h.addPod("a", "silent", forever)
	h.addPod("b", "silent", forever)
	h.addPod("c", "healthy", forever)
	h.addPod("d", "failing", forever)
	h.keepAlive("healthy", "failing")
	h.monitor()
	for d := 5 * time.Second; d <= 45*time.Second; d += 5 * time.Second {
		h.at(d)
		if d == 20*time.Second {
			// Its agent reports it not ready: the agent handles its own pods.
			h.post("failing", corev1.ConditionFalse)
		}
		h.monitor()
	}
	h.ev.take()
	type podReady struct {
		Status     corev1.ConditionStatus
		Transition time.Duration
	}
	got := map[string]podReady{}
	for _, name := range []string{"a", "b", "c", "d"} {
		for _, c := range h.pod(name).Status.Conditions {
			if c.Type == corev1.PodReady {
				got[name] = podReady{c.Status, c.LastTransitionTime.Sub(t0)}
			}
		}
	}
	want := map[string]podReady{
		"a": {corev1.ConditionFalse, 45 * time.Second},
		"b": {corev1.ConditionFalse, 45 * time.Second},
		"c": {corev1.ConditionTrue, 0},
		"d": {corev1.ConditionTrue, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("pod Ready conditions (-want +got):\n%s", diff)
	}
	// Later passes do not write them again.
	rv := h.pod("a").ResourceVersion
	h.runUntil(80 * time.Second)
	if got := h.pod("a").ResourceVersion; got != rv {
		t.Errorf("pod rewritten: resourceVersion %s -> %s", rv, got)
	}
}

func TestADeletedNodeIsForgotten(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("other")
	h.pass()
	h.runUntil(45 * time.Second) // n1 unknown and tainted
	h.ev.take()
	if _, err := h.nodes.Delete(h.ctx, "", "n1", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	h.runUntil(50 * time.Second)
	if diff := cmp.Diff([]string{"Normal node n1 RemovingNode: Removing Node n1 from Controller"}, h.ev.take()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	h.c.mu.Lock()
	_, known := h.c.health["n1"]
	h.c.mu.Unlock()
	if known {
		t.Error("the controller still tracks the health of a deleted node")
	}
	// A node created again under the same name starts afresh, with a new grace period.
	h.at(60 * time.Second)
	h.addNode("n1", "", corev1.ConditionTrue)
	h.pass()
	h.runUntil(100 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionTrue {
		t.Errorf("Ready of the new n1 at 100s = %s, want True", got)
	}
	h.runUntil(105 * time.Second)
	if got := h.ready("n1"); got != corev1.ConditionUnknown {
		t.Errorf("Ready of the new n1 at 105s = %s, want Unknown", got)
	}
}
