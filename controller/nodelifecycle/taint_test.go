package nodelifecycle

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/store"
)

func TestTolerationTime(t *testing.T) {
	unreachable := corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}
	notReady := corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute}
	noSchedule := corev1.Taint{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}
	custom := corev1.Taint{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoExecute}
	for _, tc := range []struct {
		name        string
		taints      []corev1.Taint
		tolerations []corev1.Toleration
		want        time.Duration
		forever     bool
	}{
		{"no taints", nil, nil, 0, true},
		{"only a NoSchedule taint", []corev1.Taint{noSchedule}, nil, 0, true},
		{"untolerated", []corev1.Taint{unreachable}, nil, 0, false},
		{"tolerated for 300s", []corev1.Taint{unreachable}, []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, seconds(300))}, 300 * time.Second, false},
		{"tolerated forever", []corev1.Taint{unreachable}, []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, nil)}, 0, true},
		{"zero seconds", []corev1.Taint{unreachable}, []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, seconds(0))}, 0, false},
		{"negative seconds mean at once", []corev1.Taint{unreachable}, []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, seconds(-5))}, 0, false},
		{"huge seconds do not overflow", []corev1.Taint{unreachable}, []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, seconds(1<<62))}, maxDuration, false},
		{"one of two taints untolerated", []corev1.Taint{unreachable, custom}, []corev1.Toleration{tolerate(corev1.TaintNodeUnreachable, nil)}, 0, false},
		{"minimum over the used tolerations", []corev1.Taint{unreachable, custom}, []corev1.Toleration{
			tolerate(corev1.TaintNodeUnreachable, seconds(600)),
			{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "gpu", Effect: corev1.TaintEffectNoExecute, TolerationSeconds: seconds(60)},
		}, 60 * time.Second, false},
		{"forever and bounded: the bound wins", []corev1.Taint{unreachable, custom}, []corev1.Toleration{
			tolerate(corev1.TaintNodeUnreachable, nil),
			{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "gpu", TolerationSeconds: seconds(60)},
		}, 60 * time.Second, false},
		{"Equal with another value does not tolerate", []corev1.Taint{custom}, []corev1.Toleration{
			{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "cpu", Effect: corev1.TaintEffectNoExecute},
		}, 0, false},
		{"empty operator means Equal", []corev1.Taint{custom}, []corev1.Toleration{{Key: "dedicated", Value: "gpu"}}, 0, true},
		{"toleration of another effect", []corev1.Taint{unreachable}, []corev1.Toleration{
			{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		}, 0, false},
		{"empty key with Exists tolerates everything", []corev1.Taint{unreachable, notReady, custom}, []corev1.Toleration{{Operator: corev1.TolerationOpExists}}, 0, true},
		{"first matching toleration is used", []corev1.Taint{unreachable}, []corev1.Toleration{
			tolerate(corev1.TaintNodeUnreachable, seconds(30)), tolerate(corev1.TaintNodeUnreachable, nil),
		}, 30 * time.Second, false},
		{"unknown operator tolerates nothing", []corev1.Taint{unreachable}, []corev1.Toleration{{Key: corev1.TaintNodeUnreachable, Operator: "Gt"}}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, forever := TolerationTime(tc.taints, tc.tolerations)
			if d != tc.want || forever != tc.forever {
				t.Errorf("TolerationTime = (%v, %v), want (%v, %v)", d, forever, tc.want, tc.forever)
			}
		})
	}
}

func TestSwapTaints(t *testing.T) {
	now := t0.Add(90*time.Second + 700*time.Millisecond)
	stamped := func(tt corev1.Taint, d time.Duration) corev1.Taint { tt.TimeAdded = timeAt(d); return tt }
	other := corev1.Taint{Key: "dedicated", Effect: corev1.TaintEffectNoSchedule}
	for _, tc := range []struct {
		name    string
		in      []corev1.Taint
		add     *corev1.Taint
		remove  []corev1.Taint
		want    []corev1.Taint
		changed bool
	}{
		{"add to none", nil, &unreachableTaint, nil, []corev1.Taint{stamped(unreachableTaint, 90*time.Second)}, true},
		{"already there keeps its time", []corev1.Taint{stamped(unreachableTaint, 5*time.Second)}, &unreachableTaint, []corev1.Taint{notReadyTaint},
			[]corev1.Taint{stamped(unreachableTaint, 5*time.Second)}, false},
		{"swap", []corev1.Taint{other, stamped(notReadyTaint, 5*time.Second)}, &unreachableTaint, []corev1.Taint{notReadyTaint},
			[]corev1.Taint{other, stamped(unreachableTaint, 90*time.Second)}, true},
		{"remove only", []corev1.Taint{stamped(notReadyTaint, 0), other}, nil, []corev1.Taint{notReadyTaint, unreachableTaint}, []corev1.Taint{other}, true},
		{"remove nothing", []corev1.Taint{other}, nil, []corev1.Taint{notReadyTaint, unreachableTaint}, []corev1.Taint{other}, false},
		{"same key, other effect is another taint", []corev1.Taint{{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoSchedule}}, nil,
			[]corev1.Taint{unreachableTaint}, []corev1.Taint{{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoSchedule}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := swapTaints(tc.in, tc.add, tc.remove, now)
			if diff := cmp.Diff(tc.want, got); diff != "" || changed != tc.changed {
				t.Errorf("swapTaints changed=%v, want %v; taints (-want +got):\n%s", changed, tc.changed, diff)
			}
		})
	}
}

func TestConditionTaints(t *testing.T) {
	ns := func(key string) corev1.Taint { return corev1.Taint{Key: key, Effect: corev1.TaintEffectNoSchedule} }
	node := func(unschedulable bool, conds ...corev1.NodeCondition) *corev1.Node {
		return &corev1.Node{Spec: corev1.NodeSpec{Unschedulable: unschedulable}, Status: corev1.NodeStatus{Conditions: conds}}
	}
	c := func(typ corev1.NodeConditionType, s corev1.ConditionStatus) corev1.NodeCondition {
		return corev1.NodeCondition{Type: typ, Status: s}
	}
	for _, tc := range []struct {
		name string
		node *corev1.Node
		want []corev1.Taint
	}{
		{"no conditions", node(false), nil},
		{"healthy", node(false, c(corev1.NodeReady, corev1.ConditionTrue), c(corev1.NodeMemoryPressure, corev1.ConditionFalse)), nil},
		{"not ready", node(false, c(corev1.NodeReady, corev1.ConditionFalse)), []corev1.Taint{ns(corev1.TaintNodeNotReady)}},
		{"unreachable", node(false, c(corev1.NodeReady, corev1.ConditionUnknown), c(corev1.NodeMemoryPressure, corev1.ConditionUnknown)), []corev1.Taint{ns(corev1.TaintNodeUnreachable)}},
		{"pressures", node(false,
			c(corev1.NodeReady, corev1.ConditionTrue), c(corev1.NodeMemoryPressure, corev1.ConditionTrue), c(corev1.NodeDiskPressure, corev1.ConditionTrue),
			c(corev1.NodePIDPressure, corev1.ConditionTrue), c(corev1.NodeNetworkUnavailable, corev1.ConditionTrue)),
			[]corev1.Taint{ns(corev1.TaintNodeMemoryPressure), ns(corev1.TaintNodeDiskPressure), ns(corev1.TaintNodePIDPressure), ns(corev1.TaintNodeNetworkUnavailable)}},
		{"cordoned", node(true, c(corev1.NodeReady, corev1.ConditionTrue)), []corev1.Taint{ns(corev1.TaintNodeUnschedulable)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, ConditionTaints(tc.node)); diff != "" {
				t.Errorf("ConditionTaints (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSyncConditionTaints(t *testing.T) {
	ns := func(key string) corev1.Taint { return corev1.Taint{Key: key, Effect: corev1.TaintEffectNoSchedule} }
	user := corev1.Taint{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule}
	for _, tc := range []struct {
		name    string
		in      []corev1.Taint
		want    []corev1.Taint
		out     []corev1.Taint
		changed bool
	}{
		{"nothing to do", []corev1.Taint{user}, nil, []corev1.Taint{user}, false},
		{"add", []corev1.Taint{user}, []corev1.Taint{ns(corev1.TaintNodeNotReady)}, []corev1.Taint{user, ns(corev1.TaintNodeNotReady)}, true},
		{"replace", []corev1.Taint{ns(corev1.TaintNodeNotReady), user}, []corev1.Taint{ns(corev1.TaintNodeUnreachable)}, []corev1.Taint{user, ns(corev1.TaintNodeUnreachable)}, true},
		{"remove", []corev1.Taint{ns(corev1.TaintNodeMemoryPressure), unreachableTaint}, nil, []corev1.Taint{unreachableTaint}, true},
		{"NoExecute taints are not touched", []corev1.Taint{notReadyTaint}, []corev1.Taint{ns(corev1.TaintNodeNotReady)}, []corev1.Taint{notReadyTaint, ns(corev1.TaintNodeNotReady)}, true},
		{"already in line", []corev1.Taint{ns(corev1.TaintNodeUnschedulable)}, []corev1.Taint{ns(corev1.TaintNodeUnschedulable)}, []corev1.Taint{ns(corev1.TaintNodeUnschedulable)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, changed := syncConditionTaints(tc.in, tc.want)
			if diff := cmp.Diff(tc.out, out); diff != "" || changed != tc.changed {
				t.Errorf("changed=%v, want %v; taints (-want +got):\n%s", changed, tc.changed, diff)
			}
		})
	}
}

func TestNoScheduleTaintsFollowConditionsAtOnce(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("n1", "other")
	h.pass()
	if got := h.taintKeys("n1", corev1.TaintEffectNoSchedule); len(got) != 0 {
		t.Fatalf("NoSchedule taints of a healthy node = %v", got)
	}
	// Memory pressure and a cordon.
	h.at(5 * time.Second)
	_, err := h.status.GuaranteedUpdate(h.ctx, "", "n1", func(n *corev1.Node) (*corev1.Node, error) {
		for i := range n.Status.Conditions {
			if n.Status.Conditions[i].Type == corev1.NodeMemoryPressure {
				n.Status.Conditions[i].Status = corev1.ConditionTrue
			}
		}
		return n, nil
	}, store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.nodes.GuaranteedUpdate(h.ctx, "", "n1", func(n *corev1.Node) (*corev1.Node, error) {
		n.Spec.Unschedulable = true
		return n, nil
	}, store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h.noSchedule()
	if diff := cmp.Diff([]string{corev1.TaintNodeMemoryPressure, corev1.TaintNodeUnschedulable}, h.taintKeys("n1", corev1.TaintEffectNoSchedule)); diff != "" {
		t.Fatalf("NoSchedule taints (-want +got):\n%s", diff)
	}
	// Every zone fully disrupted: the NoExecute taints go, the NoSchedule ones stay, so that
	// nothing new is placed on nodes that may be gone.
	h.silence("n1", "other")
	h.runUntil(50 * time.Second)
	for _, n := range []string{"n1", "other"} {
		if got := h.taints(n); len(got) != 0 {
			t.Errorf("NoExecute taints of %s in full disruption = %v", n, got)
		}
	}
	if diff := cmp.Diff([]string{corev1.TaintNodeUnreachable}, h.taintKeys("other", corev1.TaintEffectNoSchedule)); diff != "" {
		t.Errorf("NoSchedule taints of other (-want +got):\n%s", diff)
	}
	// memory-pressure went with the condition (now Unknown), the cordon stays.
	if diff := cmp.Diff([]string{corev1.TaintNodeUnreachable, corev1.TaintNodeUnschedulable}, h.taintKeys("n1", corev1.TaintEffectNoSchedule)); diff != "" {
		t.Errorf("NoSchedule taints of n1 (-want +got):\n%s", diff)
	}
}
