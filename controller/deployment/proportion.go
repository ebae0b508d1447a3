package deployment

import (
	"math"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
)

// scaleStep is one ReplicaSet and the size proportional scaling gives it.
type scaleStep struct {
	rs   *appsv1.ReplicaSet
	size int32
}

// proportionalScale spreads a change of d's size over its active ReplicaSets during a
// rollout, Kubernetes' way. The pods allowed in all are desired+maxSurge (0 when desired is
// 0); the difference to what the active ReplicaSets hold now is shared out in proportion to
// each ReplicaSet's size relative to the size it was last scaled for (its max-replicas
// annotation, else d's status.replicas), largest first; what rounding leaves over goes to the
// first (largest) one. Scaling up, equal sizes are served newest first; scaling down, oldest
// first. No ReplicaSet goes below zero and none at zero is scaled up; a scale-up ends at
// exactly the allowed total. A ReplicaSet whose max-replicas annotation contradicts its size
// (a hand edit) can move against the direction of the change, as in Kubernetes. It returns
// the steps in the order they should be applied and "up", "down" or "" for no change.
func proportionalScale(d *appsv1.Deployment, active []*appsv1.ReplicaSet) ([]scaleStep, string) {
	rss := filterActive(active)
	if len(rss) == 0 {
		return nil, ""
	}
	desired := desiredReplicas(d)
	var allowed int32
	if desired > 0 {
		allowed = desired + maxSurge(d)
	}
	toAdd := allowed - sumReplicas(rss)
	var op string
	switch {
	case toAdd > 0:
		sortBySizeNewer(rss)
		op = "up"
	case toAdd < 0:
		sortBySizeOlder(rss)
		op = "down"
	default:
		sortByAge(rss)
	}
	steps := make([]scaleStep, len(rss))
	var added int32
	for i, rs := range rss {
		p := proportion(d, rs, toAdd, added)
		steps[i] = scaleStep{rs: rs, size: rsReplicas(rs) + p}
		added += p
	}
	if len(steps) > 0 && toAdd != 0 {
		steps[0].size = max(steps[0].size+toAdd-added, 0)
	}
	return steps, op
}

// proportion is the share of toAdd (of which added is already handed out) that rs gets:
// never more, in absolute value, than what is left.
func proportion(d *appsv1.Deployment, rs *appsv1.ReplicaSet, toAdd, added int32) int32 {
	if rsReplicas(rs) == 0 || toAdd == 0 || toAdd == added {
		return 0
	}
	f := fraction(d, rs)
	left := toAdd - added
	if toAdd > 0 {
		return min(f, left)
	}
	return max(f, left)
}

// fraction is how many replicas rs should gain (or lose, negative) for its share of the
// Deployment's new size to equal its share of the size it was last scaled for.
func fraction(d *appsv1.Deployment, rs *appsv1.ReplicaSet) int32 {
	size := rsReplicas(rs)
	desired := desiredReplicas(d)
	if desired == 0 {
		return -size
	}
	total := float64(desired) + float64(maxSurge(d))
	was, ok := replicasAnnotation(rs, MaxReplicasAnnotation)
	if !ok {
		was = d.Status.Replicas
	}
	if was <= 0 {
		// Nothing to take a share of: leave rs as it is; the leftover goes to the largest.
		return 0
	}
	want := math.Round(float64(size) * total / float64(was))
	if want > math.MaxInt32 {
		want = math.MaxInt32
	}
	return int32(want) - size
}
