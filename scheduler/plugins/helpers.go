package plugins

import (
	"strconv"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// ToleratesTaint reports whether t tolerates taint: effects equal (or the toleration's empty),
// keys equal (or the toleration's empty, with Exists), and for Equal (or empty) operator the
// values equal.
func ToleratesTaint(t *corev1.Toleration, taint *corev1.Taint) bool {
	if t.Effect != "" && t.Effect != taint.Effect {
		return false
	}
	if t.Key != "" && t.Key != taint.Key {
		return false
	}
	switch t.Operator {
	case corev1.TolerationOpExists:
		return true
	case "", corev1.TolerationOpEqual:
		return t.Value == taint.Value
	default:
		return false
	}
}

// Tolerated reports whether any of tolerations tolerates taint.
func Tolerated(tolerations []corev1.Toleration, taint *corev1.Taint) bool {
	for i := range tolerations {
		if ToleratesTaint(&tolerations[i], taint) {
			return true
		}
	}
	return false
}

// FirstUntoleratedTaint returns the first taint with one of effects that no toleration
// tolerates.
func FirstUntoleratedTaint(taints []corev1.Taint, tolerations []corev1.Toleration, effects ...corev1.TaintEffect) (*corev1.Taint, bool) {
	for i := range taints {
		t := &taints[i]
		in := false
		for _, e := range effects {
			if t.Effect == e {
				in = true
				break
			}
		}
		if in && !Tolerated(tolerations, t) {
			return t, true
		}
	}
	return nil, false
}

// MatchNodeSelectorTerm reports whether node matches one term: every expression on labels and
// every field requirement (metadata.name) holds. An empty term matches nothing; a malformed
// requirement does not match.
func MatchNodeSelectorTerm(node *corev1.Node, term *corev1.NodeSelectorTerm) bool {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return false
	}
	for i := range term.MatchExpressions {
		r := &term.MatchExpressions[i]
		v, ok := node.Labels[r.Key]
		if !matchRequirement(r, v, ok) {
			return false
		}
	}
	for i := range term.MatchFields {
		r := &term.MatchFields[i]
		if r.Key != "metadata.name" || (r.Operator != corev1.NodeSelectorOpIn && r.Operator != corev1.NodeSelectorOpNotIn) || len(r.Values) != 1 {
			return false
		}
		if !matchRequirement(r, node.Name, true) {
			return false
		}
	}
	return true
}

func matchRequirement(r *corev1.NodeSelectorRequirement, v string, present bool) bool {
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		return present && contains(r.Values, v)
	case corev1.NodeSelectorOpNotIn:
		return !present || !contains(r.Values, v)
	case corev1.NodeSelectorOpExists:
		return present && len(r.Values) == 0
	case corev1.NodeSelectorOpDoesNotExist:
		return !present && len(r.Values) == 0
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
		if !present || len(r.Values) != 1 {
			return false
		}
		want, err1 := strconv.ParseInt(r.Values[0], 10, 64)
		have, err2 := strconv.ParseInt(v, 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if r.Operator == corev1.NodeSelectorOpGt {
			return have > want
		}
		return have < want
	default:
		return false
	}
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// MatchNodeSelector reports whether node matches any term of sel (nil sel matches all).
func MatchNodeSelector(node *corev1.Node, sel *corev1.NodeSelector) bool {
	if sel == nil {
		return true
	}
	for i := range sel.NodeSelectorTerms {
		if MatchNodeSelectorTerm(node, &sel.NodeSelectorTerms[i]) {
			return true
		}
	}
	return false
}

// MatchesNodeSelectorAndAffinity reports whether node satisfies the pod's spec.nodeSelector
// and required node affinity.
func MatchesNodeSelectorAndAffinity(pod *corev1.Pod, node *corev1.Node) bool {
	for k, v := range pod.Spec.NodeSelector {
		if lv, ok := node.Labels[k]; !ok || lv != v {
			return false
		}
	}
	if a := pod.Spec.Affinity; a != nil && a.NodeAffinity != nil {
		return MatchNodeSelector(node, a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution)
	}
	return true
}

// defaultNormalize scales scores to [0, 100] by the maximum; reverse flips them. With all
// scores 0, every node gets 0 (or 100 reversed).
func defaultNormalize(scores []framework.NodeScore, reverse bool) {
	var maxScore int64
	for _, s := range scores {
		maxScore = max(maxScore, s.Score)
	}
	for i := range scores {
		scores[i].Score = scaleByMax(scores[i].Score, maxScore, reverse)
	}
}

// defaultNormalizeRaw is defaultNormalize on raw scores (a cycle's hot loop: no accessor
// calls per score).
func defaultNormalizeRaw(scores []int64, reverse bool) {
	var maxScore int64
	for _, s := range scores {
		maxScore = max(maxScore, s)
	}
	if maxScore == 0 && !reverse {
		return // all stay 0
	}
	for i, s := range scores {
		scores[i] = scaleByMax(s, maxScore, reverse)
	}
}

// scaleByMax is one score of defaultNormalize given the maximum.
func scaleByMax(s, maxScore int64, reverse bool) int64 {
	if maxScore == 0 {
		if reverse {
			return framework.MaxNodeScore
		}
		return s
	}
	s = framework.MaxNodeScore * s / maxScore
	if reverse {
		s = framework.MaxNodeScore - s
	}
	return s
}

// skipStatus is the Skip status PreFilter and PreScore return: statuses are never changed
// after they are made (WithPlugin copies), so one value serves every cycle without an
// allocation.
var skipStatus = framework.NewStatus(framework.Skip)

// immutable is a CycleState entry that never changes after PreFilter/PreScore, so Clone can
// share it.
type immutable[T any] struct{ v T }

func (i *immutable[T]) Clone() framework.StateData { return i }

func readState[T any](state *framework.CycleState, key framework.StateKey) (T, *framework.Status) {
	var zero T
	d, ok := state.Read(key)
	if !ok {
		return zero, framework.AsStatus(&MissingStateError{Key: key})
	}
	v, ok := d.(T)
	if !ok {
		return zero, framework.AsStatus(&MissingStateError{Key: key})
	}
	return v, nil
}

// MissingStateError: a plugin's Filter or Score found no state of its PreFilter or PreScore
// (the plugin was enabled at one point and not the other).
type MissingStateError struct{ Key framework.StateKey }

func (e *MissingStateError) Error() string {
	return "cycle state has no entry " + strconv.Quote(string(e.Key))
}
