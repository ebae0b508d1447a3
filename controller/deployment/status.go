package deployment

import (
	"fmt"
	"math"
	"slices"
	"time"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// The reasons of the Deployment conditions, with Kubernetes' names so kubectl and people
// recognise them.
const (
	// ReasonNewReplicaSetCreated (Progressing True): the controller created the ReplicaSet of
	// the current template.
	ReasonNewReplicaSetCreated = "NewReplicaSetCreated"
	// ReasonFoundNewReplicaSet (Progressing True): the ReplicaSet of the current template
	// already existed when the Deployment had no Progressing condition.
	ReasonFoundNewReplicaSet = "FoundNewReplicaSet"
	// ReasonReplicaSetUpdated (Progressing True): the rollout made progress (more updated,
	// ready or available pods, or fewer old ones).
	ReasonReplicaSetUpdated = "ReplicaSetUpdated"
	// ReasonNewReplicaSetAvailable (Progressing True): the rollout is complete.
	ReasonNewReplicaSetAvailable = "NewReplicaSetAvailable"
	// ReasonProgressDeadlineExceeded (Progressing False): no progress for
	// progressDeadlineSeconds. kubectl rollout status fails on this reason.
	ReasonProgressDeadlineExceeded = "ProgressDeadlineExceeded"
	// ReasonReplicaSetCreateError (Progressing False): the new ReplicaSet could not be created.
	ReasonReplicaSetCreateError = "ReplicaSetCreateError"
	// ReasonDeploymentPaused (Progressing Unknown): spec.paused is set; the template is not
	// rolled out and the deadline does not run.
	ReasonDeploymentPaused = "DeploymentPaused"
	// ReasonDeploymentResumed (Progressing Unknown): spec.paused was cleared.
	ReasonDeploymentResumed = "DeploymentResumed"
	// ReasonMinimumReplicasAvailable (Available True): at least replicas-maxUnavailable pods
	// are available.
	ReasonMinimumReplicasAvailable = "MinimumReplicasAvailable"
	// ReasonMinimumReplicasUnavailable (Available False): fewer than that are available.
	ReasonMinimumReplicasUnavailable = "MinimumReplicasUnavailable"
)

// conditionTime is the form of a condition timestamp: UTC, whole seconds, as the wire keeps
// it, so a status read back compares equal to the one written.
func conditionTime(now time.Time) meta.Time {
	return meta.NewTime(now.UTC().Truncate(time.Second))
}

func newCondition(t appsv1.DeploymentConditionType, s corev1.ConditionStatus, reason, msg string, now time.Time) appsv1.DeploymentCondition {
	ts := conditionTime(now)
	return appsv1.DeploymentCondition{Type: t, Status: s, Reason: reason, Message: msg, LastUpdateTime: ts, LastTransitionTime: ts}
}

// getCondition returns a copy of the condition of type t, or nil.
func getCondition(s *appsv1.DeploymentStatus, t appsv1.DeploymentConditionType) *appsv1.DeploymentCondition {
	for i := range s.Conditions {
		if s.Conditions[i].Type == t {
			c := s.Conditions[i]
			return &c
		}
	}
	return nil
}

// setCondition puts c in s, Kubernetes' way: a condition of the same type with the same
// status and reason is left as it is (timestamps included); with the same status only, its
// transition time is kept; otherwise c replaces it.
func setCondition(s *appsv1.DeploymentStatus, c appsv1.DeploymentCondition) {
	cur := getCondition(s, c.Type)
	if cur != nil && cur.Status == c.Status && cur.Reason == c.Reason {
		return
	}
	if cur != nil && cur.Status == c.Status {
		c.LastTransitionTime = cur.LastTransitionTime
	}
	removeCondition(s, c.Type)
	s.Conditions = append(s.Conditions, c)
}

func removeCondition(s *appsv1.DeploymentStatus, t appsv1.DeploymentConditionType) {
	s.Conditions = slices.DeleteFunc(slices.Clone(s.Conditions), func(c appsv1.DeploymentCondition) bool { return c.Type == t })
	if len(s.Conditions) == 0 {
		s.Conditions = nil
	}
}

// hasProgressDeadline reports whether d has a progress deadline (set and not MaxInt32).
func hasProgressDeadline(d *appsv1.Deployment) bool {
	p := d.Spec.ProgressDeadlineSeconds
	return p != nil && *p != math.MaxInt32
}

// hasRevisionHistoryLimit reports whether d limits its history (set and not MaxInt32).
func hasRevisionHistoryLimit(d *appsv1.Deployment) bool {
	l := d.Spec.RevisionHistoryLimit
	return l != nil && *l != math.MaxInt32
}

// calculateStatus is d's status computed from its ReplicaSets (allRSs, which may hold a nil
// newRS): counts, observedGeneration, and the Available condition; other conditions are
// carried over.
func calculateStatus(d *appsv1.Deployment, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, now time.Time) appsv1.DeploymentStatus {
	available := sumAvailable(allRSs)
	st := appsv1.DeploymentStatus{
		ObservedGeneration:  d.Generation,
		Replicas:            sumActual(allRSs),
		UpdatedReplicas:     sumActual([]*appsv1.ReplicaSet{newRS}),
		ReadyReplicas:       sumReady(allRSs),
		AvailableReplicas:   available,
		UnavailableReplicas: max(sumReplicas(allRSs)-available, 0),
		CollisionCount:      d.Status.CollisionCount,
		Conditions:          slices.Clone(d.Status.Conditions),
	}
	var terminating *int32
	for _, rs := range allRSs {
		if rs != nil && rs.Status.TerminatingReplicas != nil {
			if terminating == nil {
				terminating = new(int32)
			}
			*terminating += *rs.Status.TerminatingReplicas
		}
	}
	st.TerminatingReplicas = terminating
	if available >= desiredReplicas(d)-maxUnavailable(d) {
		setCondition(&st, newCondition(appsv1.DeploymentAvailable, corev1.ConditionTrue, ReasonMinimumReplicasAvailable, "Deployment has minimum availability.", now))
	} else {
		setCondition(&st, newCondition(appsv1.DeploymentAvailable, corev1.ConditionFalse, ReasonMinimumReplicasUnavailable, "Deployment does not have minimum availability.", now))
	}
	return st
}

// deploymentComplete reports whether st shows d fully rolled out: every desired pod updated
// and available, no old pod left, and the current generation observed.
func deploymentComplete(d *appsv1.Deployment, st *appsv1.DeploymentStatus) bool {
	want := desiredReplicas(d)
	return st.UpdatedReplicas == want && st.Replicas == want && st.AvailableReplicas == want &&
		st.ObservedGeneration >= d.Generation
}

// deploymentProgressing reports whether st shows progress over d's recorded status: more
// updated, ready or available pods, or fewer old ones.
func deploymentProgressing(d *appsv1.Deployment, st *appsv1.DeploymentStatus) bool {
	old := d.Status
	return st.UpdatedReplicas > old.UpdatedReplicas ||
		st.Replicas-st.UpdatedReplicas < old.Replicas-old.UpdatedReplicas ||
		st.ReadyReplicas > old.ReadyReplicas ||
		st.AvailableReplicas > old.AvailableReplicas
}

// deploymentTimedOut reports whether d's rollout, with status st, made no progress for its
// progress deadline: the Progressing condition was last updated longer ago than that.
func deploymentTimedOut(d *appsv1.Deployment, st *appsv1.DeploymentStatus, now time.Time) bool {
	if !hasProgressDeadline(d) {
		return false
	}
	c := getCondition(st, appsv1.DeploymentProgressing)
	if c == nil {
		return false
	}
	switch c.Reason {
	case ReasonNewReplicaSetAvailable:
		return false
	case ReasonProgressDeadlineExceeded:
		return true
	}
	deadline := c.LastUpdateTime.Add(time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second)
	return deadline.Before(now)
}

// progressCheckAfter is how long until d's rollout should be checked against its deadline,
// or 0 when no check is due (no deadline, complete, already timed out, or no condition).
func progressCheckAfter(d *appsv1.Deployment, st *appsv1.DeploymentStatus, now time.Time) time.Duration {
	c := getCondition(&d.Status, appsv1.DeploymentProgressing)
	if !hasProgressDeadline(d) || c == nil || deploymentComplete(d, st) {
		return 0
	}
	switch c.Reason {
	case ReasonProgressDeadlineExceeded, ReasonDeploymentPaused:
		return 0
	}
	deadline := c.LastUpdateTime.Add(time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second)
	// The deadline passes strictly after it is reached; check a second later, the
	// resolution of condition timestamps.
	return max(deadline.Sub(now), 0) + time.Second
}

// replicaFailure is the ReplicaFailure condition to show for d: that of the new ReplicaSet,
// else of the first old one that has one set to True; nil when none.
func replicaFailure(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) *appsv1.DeploymentCondition {
	check := func(rs *appsv1.ReplicaSet) *appsv1.DeploymentCondition {
		if rs == nil {
			return nil
		}
		for _, c := range rs.Status.Conditions {
			if c.Type == appsv1.ReplicaSetReplicaFailure && c.Status == corev1.ConditionTrue {
				return &appsv1.DeploymentCondition{
					Type: appsv1.DeploymentReplicaFailure, Status: c.Status, Reason: c.Reason, Message: c.Message,
					LastUpdateTime: c.LastTransitionTime, LastTransitionTime: c.LastTransitionTime,
				}
			}
		}
		return nil
	}
	if c := check(newRS); c != nil {
		return c
	}
	for _, rs := range allRSs {
		if rs == newRS {
			continue
		}
		if c := check(rs); c != nil {
			return c
		}
	}
	return nil
}

// progressMessage names what made progress, timed out or completed.
func progressMessage(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, what string) string {
	if newRS != nil {
		return fmt.Sprintf("ReplicaSet %q %s.", newRS.Name, what)
	}
	return fmt.Sprintf("Deployment %q %s.", d.Name, what)
}
