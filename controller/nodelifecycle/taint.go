package nodelifecycle

import (
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// The NoExecute taints this controller manages: not-ready mirrors Ready=False, unreachable
// Ready=Unknown. A node carries at most one of them.
var (
	notReadyTaint    = corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute}
	unreachableTaint = corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}
)

// taintFor returns the taint that mirrors a Ready status, and the opposite one; ok is false
// for True (no taint).
func taintFor(status corev1.ConditionStatus) (add, remove corev1.Taint, ok bool) {
	switch status {
	case corev1.ConditionFalse:
		return notReadyTaint, unreachableTaint, true
	case corev1.ConditionUnknown:
		return unreachableTaint, notReadyTaint, true
	default:
		return corev1.Taint{}, corev1.Taint{}, false
	}
}

// sameTaint reports whether a and b are the same taint: key and effect (a node holds at most
// one taint per key and effect).
func sameTaint(a, b *corev1.Taint) bool { return a.Key == b.Key && a.Effect == b.Effect }

func hasTaint(taints []corev1.Taint, t *corev1.Taint) bool {
	for i := range taints {
		if sameTaint(&taints[i], t) {
			return true
		}
	}
	return false
}

// swapTaints returns taints with every taint in remove dropped and add (stamped with
// timeAdded when it is not there yet) appended; changed is false when nothing differs.
func swapTaints(taints []corev1.Taint, add *corev1.Taint, remove []corev1.Taint, now time.Time) (out []corev1.Taint, changed bool) {
	out = make([]corev1.Taint, 0, len(taints)+1)
	present := false
	for _, t := range taints {
		drop := false
		for i := range remove {
			if sameTaint(&t, &remove[i]) {
				drop = true
				break
			}
		}
		if drop {
			changed = true
			continue
		}
		if add != nil && sameTaint(&t, add) {
			present = true
		}
		out = append(out, t)
	}
	if add != nil && !present {
		t := *add
		// Truncated to the second: that is all the wire format keeps, so the eviction
		// deadline derived from it is the same whatever the backend.
		ts := meta.NewTime(now.Truncate(time.Second))
		t.TimeAdded = &ts
		out = append(out, t)
		changed = true
	}
	return out, changed
}

// noExecuteTaints returns the NoExecute taints of taints.
func noExecuteTaints(taints []corev1.Taint) []corev1.Taint {
	var out []corev1.Taint
	for _, t := range taints {
		if t.Effect == corev1.TaintEffectNoExecute {
			out = append(out, t)
		}
	}
	return out
}

// tolerates reports whether tol tolerates taint: the effects match (or the toleration's is
// empty), the keys match (or the toleration's is empty, which only Exists allows), and the
// values match with Equal (the default operator) or anything goes with Exists.
func tolerates(tol *corev1.Toleration, taint *corev1.Taint) bool {
	if tol.Effect != "" && tol.Effect != taint.Effect {
		return false
	}
	if tol.Key != "" && tol.Key != taint.Key {
		return false
	}
	switch tol.Operator {
	case corev1.TolerationOpExists:
		return true
	case "", corev1.TolerationOpEqual:
		return tol.Key != "" && tol.Value == taint.Value
	default:
		return false
	}
}

// TolerationTime says how long a pod with tolerations may keep running on a node with taints,
// by Kubernetes' NoExecute rules. Only NoExecute taints count. For each of them the first
// toleration (in the pod's order) that tolerates it is the one used; if some taint has none,
// the pod must go at once (0, false). Otherwise the pod may stay for the smallest
// tolerationSeconds among the used tolerations (a value at or below zero means at once);
// when none of them sets tolerationSeconds, or there is no NoExecute taint, it may stay
// forever (0, true).
func TolerationTime(taints []corev1.Taint, tolerations []corev1.Toleration) (d time.Duration, forever bool) {
	forever = true
	for i := range taints {
		taint := &taints[i]
		if taint.Effect != corev1.TaintEffectNoExecute {
			continue
		}
		var used *corev1.Toleration
		for j := range tolerations {
			if tolerates(&tolerations[j], taint) {
				used = &tolerations[j]
				break
			}
		}
		if used == nil {
			return 0, false
		}
		if used.TolerationSeconds == nil {
			continue
		}
		s := max(*used.TolerationSeconds, 0)
		td := time.Duration(s) * time.Second
		if s > int64(maxDuration/time.Second) {
			td = maxDuration
		}
		if forever || td < d {
			d = td
		}
		forever = false
	}
	if forever {
		return 0, true
	}
	return d, false
}

const maxDuration = time.Duration(1<<63 - 1)

// conditionTaintKeys maps node conditions to the NoSchedule taint that keeps new pods off a
// node in that condition (Kubernetes' taint-nodes-by-condition), by status.
var conditionTaintKeys = map[corev1.NodeConditionType]map[corev1.ConditionStatus]string{
	corev1.NodeReady: {
		corev1.ConditionFalse:   corev1.TaintNodeNotReady,
		corev1.ConditionUnknown: corev1.TaintNodeUnreachable,
	},
	corev1.NodeMemoryPressure:     {corev1.ConditionTrue: corev1.TaintNodeMemoryPressure},
	corev1.NodeDiskPressure:       {corev1.ConditionTrue: corev1.TaintNodeDiskPressure},
	corev1.NodePIDPressure:        {corev1.ConditionTrue: corev1.TaintNodePIDPressure},
	corev1.NodeNetworkUnavailable: {corev1.ConditionTrue: corev1.TaintNodeNetworkUnavailable},
}

// noScheduleKeys are the keys of the NoSchedule taints this controller manages.
var noScheduleKeys = map[string]bool{
	corev1.TaintNodeNotReady:           true,
	corev1.TaintNodeUnreachable:        true,
	corev1.TaintNodeMemoryPressure:     true,
	corev1.TaintNodeDiskPressure:       true,
	corev1.TaintNodePIDPressure:        true,
	corev1.TaintNodeNetworkUnavailable: true,
	corev1.TaintNodeUnschedulable:      true,
}

func managedNoSchedule(t *corev1.Taint) bool {
	return t.Effect == corev1.TaintEffectNoSchedule && noScheduleKeys[t.Key]
}

// ConditionTaints returns the NoSchedule taints a node's conditions and spec call for:
// not-ready (Ready=False), unreachable (Ready=Unknown), memory-pressure, disk-pressure,
// pid-pressure and network-unavailable (their conditions True), and unschedulable for a
// cordoned node. The scheduler keeps new pods off such nodes; unlike the NoExecute taints they
// never evict anything, so they are applied at once, without rate limit.
func ConditionTaints(n *corev1.Node) []corev1.Taint {
	var out []corev1.Taint
	for _, c := range n.Status.Conditions {
		if key := conditionTaintKeys[c.Type][c.Status]; key != "" {
			out = append(out, corev1.Taint{Key: key, Effect: corev1.TaintEffectNoSchedule})
		}
	}
	if n.Spec.Unschedulable {
		out = append(out, corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule})
	}
	return out
}

// syncConditionTaints returns taints with the managed NoSchedule taints replaced by want
// (taints already there are kept as they are); changed is false when nothing differs.
func syncConditionTaints(taints, want []corev1.Taint) (out []corev1.Taint, changed bool) {
	out = make([]corev1.Taint, 0, len(taints)+len(want))
	for _, t := range taints {
		if managedNoSchedule(&t) && !hasTaint(want, &t) {
			changed = true
			continue
		}
		out = append(out, t)
	}
	for i := range want {
		if !hasTaint(out, &want[i]) {
			out = append(out, want[i])
			changed = true
		}
	}
	return out, changed
}
