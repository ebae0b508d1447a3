package replicaset

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// PodDeletionCostAnnotation lets users say which pods of a ReplicaSet should go first when it
// scales down: pods with a lower cost are deleted before pods with a higher one (after the
// scheduling, phase and readiness criteria). The value is an int32; a missing or invalid
// value counts as 0.
const PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

// rankedPod is a candidate for deletion with what the ranking needs, computed once.
type rankedPod struct {
	pod *corev1.Pod
	// colocated is the number of active related pods on the same node (0 when unassigned).
	colocated int
}

// deletionOrder compares two candidates for deletion and returns a negative number when a
// should be deleted before b, positive when after, 0 when they are equally valuable. The
// criteria, in order (Kubernetes' ActivePodsWithRanks):
//
//  1. unassigned before assigned;
//  2. Pending before Unknown before Running (other phases before Pending);
//  3. not ready before ready;
//  4. lower pod-deletion-cost before higher;
//  5. more colocated related pods on the same node before fewer (spread what stays);
//  6. ready more recently before ready longer (a ready pod without a transition time first);
//  7. more container restarts before fewer;
//  8. created more recently before created earlier (no creation time first).
func deletionOrder(a, b rankedPod) int {
	pa, pb := a.pod, b.pod
	// 1. Unassigned < assigned.
	if (pa.Spec.NodeName == "") != (pb.Spec.NodeName == "") {
		if pa.Spec.NodeName == "" {
			return -1
		}
		return 1
	}
	// 2. Pending < Unknown < Running.
	if c := cmp.Compare(phaseRank(pa.Status.Phase), phaseRank(pb.Status.Phase)); c != 0 {
		return c
	}
	// 3. Not ready < ready.
	ra, rb := podReady(pa), podReady(pb)
	if ra != rb {
		if !ra {
			return -1
		}
		return 1
	}
	// 4. Lower deletion cost first.
	if c := cmp.Compare(deletionCost(pa), deletionCost(pb)); c != 0 {
		return c
	}
	// 5. Doubled up (more related pods on the node) first.
	if c := cmp.Compare(b.colocated, a.colocated); c != 0 {
		return c
	}
	// 6. Both ready (or both not): more recently ready first.
	if ra {
		if c := newerFirst(readySince(pa), readySince(pb)); c != 0 {
			return c
		}
	}
	// 7. More restarts first.
	if c := cmp.Compare(maxRestarts(pb), maxRestarts(pa)); c != 0 {
		return c
	}
	// 8. Newer first.
	return newerFirst(pa.CreationTimestamp.Time, pb.CreationTimestamp.Time)
}

// newerFirst orders a zero time first, then later times before earlier ones.
func newerFirst(a, b time.Time) int {
	switch {
	case a.Equal(b):
		return 0
	case a.IsZero():
		return -1
	case b.IsZero():
		return 1
	case a.After(b):
		return -1
	default:
		return 1
	}
}

func phaseRank(p corev1.PodPhase) int {
	switch p {
	case corev1.PodPending:
		return 1
	case corev1.PodUnknown:
		return 2
	case corev1.PodRunning:
		return 3
	default: // "" and anything unexpected: least valuable.
		return 0
	}
}

func deletionCost(p *corev1.Pod) int32 {
	v, ok := p.Annotations[PodDeletionCostAnnotation]
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0
	}
	return int32(n)
}

func maxRestarts(p *corev1.Pod) int32 {
	var m int32
	for i := range p.Status.ContainerStatuses {
		m = max(m, p.Status.ContainerStatuses[i].RestartCount)
	}
	for i := range p.Status.InitContainerStatuses {
		m = max(m, p.Status.InitContainerStatuses[i].RestartCount)
	}
	return m
}

// podsToDelete returns the n least valuable of pods (n <= len(pods)), most expendable first.
// related are the active pods of this ReplicaSet and of its siblings (ReplicaSets with the
// same controller); they say how crowded each pod's node is.
func podsToDelete(pods, related []*corev1.Pod, n int) []*corev1.Pod {
	if n <= 0 {
		return nil
	}
	onNode := make(map[string]int, len(related))
	for _, p := range related {
		if p.Spec.NodeName != "" && isActive(p) {
			onNode[p.Spec.NodeName]++
		}
	}
	ranked := make([]rankedPod, len(pods))
	for i, p := range pods {
		ranked[i] = rankedPod{pod: p}
		if p.Spec.NodeName != "" {
			ranked[i].colocated = onNode[p.Spec.NodeName]
		}
	}
	slices.SortStableFunc(ranked, deletionOrder)
	n = min(n, len(ranked))
	out := make([]*corev1.Pod, n)
	for i := range n {
		out[i] = ranked[i].pod
	}
	return out
}
