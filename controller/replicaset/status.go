package replicaset

import (
	"slices"
	"time"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Reasons of the ReplicaFailure condition (and of the Warning events that go with them).
const (
	ReasonFailedCreate = "FailedCreate"
	ReasonFailedDelete = "FailedDelete"
)

// isActive reports whether p counts towards a ReplicaSet's replicas: not finished (Succeeded
// or Failed) and not being deleted.
func isActive(p *corev1.Pod) bool {
	return p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed && p.DeletionTimestamp == nil
}

func readyCondition(p *corev1.Pod) *corev1.PodCondition {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == corev1.PodReady {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

// podReady reports whether p's Ready condition is True.
func podReady(p *corev1.Pod) bool {
	c := readyCondition(p)
	return c != nil && c.Status == corev1.ConditionTrue
}

// readySince returns when p became ready (the Ready condition's last transition), zero when
// it is not ready or the time is unknown.
func readySince(p *corev1.Pod) time.Time {
	c := readyCondition(p)
	if c == nil || c.Status != corev1.ConditionTrue {
		return time.Time{}
	}
	return c.LastTransitionTime.Time
}

// availableIn says whether a pod is available at now with minReady, and if it is ready but not
// yet available, how long until it is. A pod is available when it is ready and has been
// ready for at least minReady; with minReady zero every ready pod is available. A ready pod
// whose transition time is unknown is not available under a positive minReady (as in
// Kubernetes) and never becomes so by waiting.
func availableIn(p *corev1.Pod, minReady time.Duration, now time.Time) (available bool, wait time.Duration) {
	if !podReady(p) {
		return false, 0
	}
	if minReady <= 0 {
		return true, 0
	}
	since := readySince(p)
	if since.IsZero() {
		return false, 0
	}
	at := since.Add(minReady)
	if !now.Before(at) {
		return true, 0
	}
	return false, at.Sub(now)
}

// calculateStatus computes the status of rs from the active pods it controls, at now. manageErr
// is the error of the last attempt to create or delete pods (nil when it succeeded or did not
// run); failedCreate says whether that attempt was a create. It also returns how long until the
// next pod becomes available (0 when none is waiting).
func calculateStatus(rs *appsv1.ReplicaSet, pods []*corev1.Pod, manageErr error, failedCreate bool, now time.Time) (appsv1.ReplicaSetStatus, time.Duration) {
	st := *rs.Status.DeepCopy()
	tmpl := labels.SelectorFromSet(labels.Set(rs.Spec.Template.Labels))
	minReady := time.Duration(rs.Spec.MinReadySeconds) * time.Second
	var fully, ready, available int32
	var next time.Duration
	for _, p := range pods {
		if tmpl.Matches(labels.Set(p.Labels)) {
			fully++
		}
		if podReady(p) {
			ready++
		}
		ok, wait := availableIn(p, minReady, now)
		if ok {
			available++
		} else if wait > 0 && (next == 0 || wait < next) {
			next = wait
		}
	}
	st.Replicas = int32(len(pods))
	st.FullyLabeledReplicas = fully
	st.ReadyReplicas = ready
	st.AvailableReplicas = available
	st.ObservedGeneration = rs.Generation

	i := slices.IndexFunc(st.Conditions, func(c appsv1.ReplicaSetCondition) bool { return c.Type == appsv1.ReplicaSetReplicaFailure })
	switch {
	case manageErr != nil && i < 0:
		reason := ReasonFailedDelete
		if failedCreate {
			reason = ReasonFailedCreate
		}
		st.Conditions = append(st.Conditions, appsv1.ReplicaSetCondition{
			Type:               appsv1.ReplicaSetReplicaFailure,
			Status:             corev1.ConditionTrue,
			LastTransitionTime: meta.NewTime(now),
			Reason:             reason,
			Message:            manageErr.Error(),
		})
	case manageErr == nil && i >= 0:
		st.Conditions = slices.Delete(st.Conditions, i, i+1)
		if len(st.Conditions) == 0 {
			st.Conditions = nil
		}
	}
	return st, next
}

// replicasOf returns the desired number of replicas of rs (1 when unset, as the API defaults).
func replicasOf(rs *appsv1.ReplicaSet) int {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return int(*rs.Spec.Replicas)
}
