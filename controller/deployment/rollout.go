package deployment

import (
	"context"
	"slices"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller"
)

// rolloutRolling takes one step of a rolling update: grow the new ReplicaSet as far as the
// surge allows, else shrink old ones as far as availability allows, else (once complete)
// clean up history; then report status.
func (s *syncer) rolloutRolling(ctx context.Context) (controller.Result, error) {
	newRS, old, err := s.allReplicaSets(ctx, true)
	if err != nil {
		return controller.Result{}, err
	}
	allRSs := append(slices.Clone(old), newRS)
	scaledUp, err := s.reconcileNewReplicaSet(ctx, allRSs, newRS)
	if err != nil {
		return controller.Result{}, err
	}
	if scaledUp {
		return s.syncRolloutStatus(ctx, allRSs, newRS)
	}
	scaledDown, err := s.reconcileOldReplicaSets(ctx, allRSs, filterActive(old), newRS)
	if err != nil {
		return controller.Result{}, err
	}
	if scaledDown {
		return s.syncRolloutStatus(ctx, allRSs, newRS)
	}
	if deploymentComplete(s.d, &s.d.Status) {
		if err := s.cleanup(ctx, old); err != nil {
			return controller.Result{}, err
		}
	}
	return s.syncRolloutStatus(ctx, allRSs, newRS)
}

// reconcileNewReplicaSet sizes the new ReplicaSet: down to desired when above it, else up as
// far as newRSNewReplicas allows. It reports whether it scaled.
func (s *syncer) reconcileNewReplicaSet(ctx context.Context, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) (bool, error) {
	desired := desiredReplicas(s.d)
	switch n := rsReplicas(newRS); {
	case n == desired:
		return false, nil
	case n > desired:
		return s.scaleAndRecord(ctx, newRS, desired)
	}
	return s.scaleAndRecord(ctx, newRS, newRSNewReplicas(s.d, allRSs, newRS))
}

// reconcileOldReplicaSets shrinks the old ReplicaSets as far as availability allows: first
// their unavailable pods (which count against maxUnavailable without serving), oldest
// ReplicaSet first, then available ones down to desired-maxUnavailable available pods in all.
// It reports whether it scaled.
func (s *syncer) reconcileOldReplicaSets(ctx context.Context, allRSs, oldActive []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) (bool, error) {
	if sumReplicas(oldActive) == 0 {
		return false, nil
	}
	minAvailable := desiredReplicas(s.d) - maxUnavailable(s.d)
	newUnavailable := rsReplicas(newRS) - newRS.Status.AvailableReplicas
	// The most the old ReplicaSets may lose without the pods that stay (old ones, plus the
	// new ones that are available) falling below minAvailable.
	maxScaledDown := sumReplicas(allRSs) - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		return false, nil
	}
	cleaned, err := s.cleanupUnhealthyReplicas(ctx, oldActive, maxScaledDown)
	if err != nil {
		return false, err
	}
	scaled, err := s.scaleDownOldForRollingUpdate(ctx, append(slices.Clone(oldActive), newRS), oldActive, maxScaledDown-cleaned)
	if err != nil {
		return false, err
	}
	return cleaned+scaled > 0, nil
}

// cleanupUnhealthyReplicas removes up to maxCleanup unavailable pods from the old
// ReplicaSets, oldest first, and returns how many.
func (s *syncer) cleanupUnhealthyReplicas(ctx context.Context, oldActive []*appsv1.ReplicaSet, maxCleanup int32) (int32, error) {
	sorted := slices.Clone(oldActive)
	sortByAge(sorted)
	var total int32
	for _, rs := range sorted {
		if total >= maxCleanup {
			break
		}
		n := rsReplicas(rs)
		unhealthy := n - rs.Status.AvailableReplicas
		if n == 0 || unhealthy <= 0 {
			continue
		}
		down := min(maxCleanup-total, unhealthy)
		if _, err := s.scaleAndRecord(ctx, rs, n-down); err != nil {
			return total, err
		}
		total += down
	}
	return total, nil
}

// scaleDownOldForRollingUpdate removes available pods from the old ReplicaSets, oldest
// first, as long as more than desired-maxUnavailable pods stay available, and at most limit
// pods; it returns how many.
func (s *syncer) scaleDownOldForRollingUpdate(ctx context.Context, allRSs, oldActive []*appsv1.ReplicaSet, limit int32) (int32, error) {
	minAvailable := desiredReplicas(s.d) - maxUnavailable(s.d)
	available := sumAvailableKept(allRSs)
	if available <= minAvailable || limit <= 0 {
		return 0, nil
	}
	want := min(available-minAvailable, limit)
	sorted := slices.Clone(oldActive)
	sortByAge(sorted)
	var total int32
	for _, rs := range sorted {
		if total >= want {
			break
		}
		n := rsReplicas(rs)
		if n == 0 {
			continue
		}
		down := min(n, want-total)
		if _, err := s.scaleAndRecord(ctx, rs, n-down); err != nil {
			return total, err
		}
		total += down
	}
	return total, nil
}

// rolloutRecreate takes one step of a Recreate rollout: scale every old ReplicaSet to zero,
// wait until none of their pods runs, then create or grow the new ReplicaSet to desired.
func (s *syncer) rolloutRecreate(ctx context.Context, sel labels.Selector) (controller.Result, error) {
	newRS, old, err := s.allReplicaSets(ctx, false)
	if err != nil {
		return controller.Result{}, err
	}
	allRSs := append(slices.Clone(old), newRS)
	scaledDown := false
	for _, rs := range filterActive(old) {
		scaled, err := s.scaleAndRecord(ctx, rs, 0)
		if err != nil {
			return controller.Result{}, err
		}
		scaledDown = scaledDown || scaled
	}
	if scaledDown || s.oldPodsRunning(sel, newRS, old) {
		return s.syncRolloutStatus(ctx, allRSs, newRS)
	}
	if newRS == nil {
		if newRS, old, err = s.allReplicaSets(ctx, true); err != nil {
			return controller.Result{}, err
		}
		allRSs = append(slices.Clone(old), newRS)
	}
	if _, err := s.scaleAndRecord(ctx, newRS, desiredReplicas(s.d)); err != nil {
		return controller.Result{}, err
	}
	if deploymentComplete(s.d, &s.d.Status) {
		if err := s.cleanup(ctx, old); err != nil {
			return controller.Result{}, err
		}
	}
	return s.syncRolloutStatus(ctx, allRSs, newRS)
}

// oldPodsRunning reports whether an old ReplicaSet still has pods: counted in its status, or
// seen in the pod cache (controlled by it, matching the selector, and not Succeeded or
// Failed; terminating pods still run).
func (s *syncer) oldPodsRunning(sel labels.Selector, newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet) bool {
	if sumActual(old) > 0 {
		return true
	}
	oldUIDs := map[meta.UID]bool{}
	for _, rs := range old {
		oldUIDs[rs.UID] = true
	}
	if newRS != nil {
		delete(oldUIDs, newRS.UID)
	}
	for _, pod := range s.c.podLister.Namespace(s.d.Namespace).List(sel) {
		ref := meta.ControllerRef(&pod.ObjectMeta)
		if ref == nil || !oldUIDs[ref.UID] {
			continue
		}
		switch pod.Status.Phase {
		case corev1.PodSucceeded, corev1.PodFailed:
			continue
		}
		return true
	}
	return false
}
