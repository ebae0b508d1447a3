package deployment

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
)

// defaultBudget is the rolling-update budget of a Deployment that sets none (apps/v1's
// defaults).
var defaultBudget = intstr.FromString("25%")

// ResolveFenceposts turns a rolling update's maxSurge and maxUnavailable (counts or
// percentages of desired; nil means 25%) into pod counts: maxSurge rounds up, maxUnavailable
// rounds down. When both resolve to zero (small percentages of a small deployment),
// maxUnavailable becomes 1 so the rollout can make progress, as in Kubernetes. A negative
// value, a string that is neither a count nor a percentage, or both values being written as
// zero (0 or "0%") fail with an error wrapping ErrInvalidStrategy.
func ResolveFenceposts(maxSurge, maxUnavailable *intstr.IntOrString, desired int32) (surge, unavailable int32, err error) {
	if maxSurge == nil {
		maxSurge = &defaultBudget
	}
	if maxUnavailable == nil {
		maxUnavailable = &defaultBudget
	}
	if writtenZero(maxSurge) && writtenZero(maxUnavailable) {
		return 0, 0, fmt.Errorf("%w: maxSurge and maxUnavailable may not both be 0", ErrInvalidStrategy)
	}
	surge, err = scaled(maxSurge, desired, true, "maxSurge")
	if err != nil {
		return 0, 0, err
	}
	unavailable, err = scaled(maxUnavailable, desired, false, "maxUnavailable")
	if err != nil {
		return 0, 0, err
	}
	if surge == 0 && unavailable == 0 {
		unavailable = 1
	}
	return surge, unavailable, nil
}

// writtenZero reports whether v is written as zero: the count 0 or a zero percentage.
func writtenZero(v *intstr.IntOrString) bool {
	if v.Type == intstr.Int {
		return v.IntVal == 0
	}
	s, ok := strings.CutSuffix(v.StrVal, "%")
	if !ok {
		return false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n == 0
}

// scaled resolves one budget value against desired, rejecting negative values and results
// beyond the int32 range.
func scaled(v *intstr.IntOrString, desired int32, roundUp bool, name string) (int32, error) {
	if v.Type == intstr.Int && v.IntVal < 0 {
		return 0, fmt.Errorf("%w: %s %d is negative", ErrInvalidStrategy, name, v.IntVal)
	}
	if v.Type != intstr.Int {
		// ScaledValue multiplies the percentage by desired in 64 bits; bound the percentage
		// first so that product cannot overflow.
		s, _ := strings.CutSuffix(v.StrVal, "%")
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > math.MaxInt32 {
			return 0, fmt.Errorf("%w: %s %q is too large", ErrInvalidStrategy, name, v.StrVal)
		}
	}
	n, err := intstr.ScaledValue(v, int(max(desired, 0)), roundUp)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %w", ErrInvalidStrategy, name, err)
	}
	if n < 0 || n > math.MaxInt32 {
		return 0, fmt.Errorf("%w: %s %s resolves to %d pods", ErrInvalidStrategy, name, v.String(), n)
	}
	return int32(n), nil
}

// desiredReplicas is d's spec.replicas, 1 when unset.
func desiredReplicas(d *appsv1.Deployment) int32 {
	if d.Spec.Replicas == nil {
		return appsv1.DefaultReplicas
	}
	return *d.Spec.Replicas
}

// rsReplicas is rs's spec.replicas, 1 when unset; 0 for a nil rs.
func rsReplicas(rs *appsv1.ReplicaSet) int32 {
	switch {
	case rs == nil:
		return 0
	case rs.Spec.Replicas == nil:
		return appsv1.DefaultReplicas
	}
	return *rs.Spec.Replicas
}

func isRollingUpdate(d *appsv1.Deployment) bool {
	return d.Spec.Strategy.Type == "" || d.Spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType
}

// budget is the resolved rolling-update budget of d: (0, 0) for Recreate.
func budget(d *appsv1.Deployment) (surge, unavailable int32, err error) {
	if !isRollingUpdate(d) {
		return 0, 0, nil
	}
	var ms, mu *intstr.IntOrString
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
		ms, mu = ru.MaxSurge, ru.MaxUnavailable
	}
	return ResolveFenceposts(ms, mu, desiredReplicas(d))
}

// maxSurge is how many pods d may run above its desired replicas (0 for Recreate). Callers
// have validated the budget (see budget); an invalid one counts as 0.
func maxSurge(d *appsv1.Deployment) int32 {
	s, _, err := budget(d)
	if err != nil {
		return 0
	}
	return s
}

// maxUnavailable is how many of d's desired pods may be unavailable, at most desired (0 for
// Recreate and for a Deployment of zero replicas).
func maxUnavailable(d *appsv1.Deployment) int32 {
	desired := desiredReplicas(d)
	if !isRollingUpdate(d) || desired == 0 {
		return 0
	}
	_, u, err := budget(d)
	if err != nil {
		return 0
	}
	return min(u, desired)
}

// sumReplicas is the sum of the spec.replicas of rss (nil entries skipped).
func sumReplicas(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		n += rsReplicas(rs)
	}
	return n
}

// sumActual is the sum of status.replicas (pods that exist and are not terminating).
func sumActual(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += rs.Status.Replicas
		}
	}
	return n
}

func sumReady(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += rs.Status.ReadyReplicas
		}
	}
	return n
}

func sumAvailable(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += rs.Status.AvailableReplicas
		}
	}
	return n
}

// sumAvailableKept counts, per ReplicaSet, the available pods it keeps: at most its
// spec.replicas. A ReplicaSet that was just scaled down still reports the available pods it
// is about to delete; counting those would let a rolling update scale down twice for one
// budget.
func sumAvailableKept(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += min(rs.Status.AvailableReplicas, rsReplicas(rs))
		}
	}
	return n
}

// filterActive returns the ReplicaSets of rss with a positive spec.replicas.
func filterActive(rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, rs := range rss {
		if rs != nil && rsReplicas(rs) > 0 {
			out = append(out, rs)
		}
	}
	return out
}

// newRSNewReplicas is the size the new ReplicaSet may grow to now: for RollingUpdate, as far
// as the surge allows (desired+maxSurge pods in all) but not beyond desired; for Recreate,
// desired.
func newRSNewReplicas(d *appsv1.Deployment, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) int32 {
	desired := desiredReplicas(d)
	if !isRollingUpdate(d) {
		return desired
	}
	maxTotal := desired + maxSurge(d)
	current := sumReplicas(allRSs)
	if current >= maxTotal {
		return rsReplicas(newRS)
	}
	up := min(maxTotal-current, desired-rsReplicas(newRS))
	return rsReplicas(newRS) + max(up, 0)
}

// isSaturated reports whether rs runs all of d's desired pods, available, and was sized for
// the current desired count.
func isSaturated(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	if rs == nil {
		return false
	}
	desired, ok := replicasAnnotation(rs, DesiredReplicasAnnotation)
	if !ok {
		return false
	}
	want := desiredReplicas(d)
	return rsReplicas(rs) == want && desired == want && rs.Status.AvailableReplicas == want
}
