package plugins

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// The cluster events each rejecting plugin registers (framework.EnqueueExtensions), with
// hints, following kube-scheduler: a pod one of them rejected is retried only after an event
// that could change that plugin's verdict.

func nodeOf(obj any) *corev1.Node {
	n, _ := obj.(*corev1.Node)
	return n
}

func podOf(obj any) *corev1.Pod {
	p, _ := obj.(*corev1.Pod)
	return p
}

var (
	_ framework.EnqueueExtensions = NodeUnschedulable{}
	_ framework.EnqueueExtensions = NodeName{}
	_ framework.EnqueueExtensions = NodePorts{}
	_ framework.EnqueueExtensions = TaintToleration{}
	_ framework.EnqueueExtensions = NodeAffinity{}
	_ framework.EnqueueExtensions = (*NodeResourcesFit)(nil)
	_ framework.EnqueueExtensions = (*InterPodAffinity)(nil)
	_ framework.EnqueueExtensions = (*PodTopologySpread)(nil)
	_ framework.EnqueueExtensions = SchedulingGates{}
)

// EventsToRegister implements framework.EnqueueExtensions: a new node, or a node uncordoned
// (or whose taints changed) that the pod may now use.
func (NodeUnschedulable) EventsToRegister() []framework.ClusterEventWithHint {
	return []framework.ClusterEventWithHint{{
		Event: framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add | framework.UpdateNodeUnschedulable | framework.UpdateNodeTaint},
		Hint: func(pod *corev1.Pod, _, newObj any) bool {
			n := nodeOf(newObj)
			if n == nil || !n.Spec.Unschedulable {
				return true
			}
			return Tolerated(pod.Spec.Tolerations, &corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule})
		},
	}}
}

// EventsToRegister implements framework.EnqueueExtensions: the named node appears.
func (NodeName) EventsToRegister() []framework.ClusterEventWithHint {
	return []framework.ClusterEventWithHint{{
		Event: framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add},
		Hint: func(pod *corev1.Pod, _, newObj any) bool {
			n := nodeOf(newObj)
			return n == nil || pod.Spec.NodeName == "" || n.Name == pod.Spec.NodeName
		},
	}}
}

// EventsToRegister implements framework.EnqueueExtensions: a pod holding host ports goes
// away, or a node appears.
func (NodePorts) EventsToRegister() []framework.ClusterEventWithHint {
	return []framework.ClusterEventWithHint{
		{Event: framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Delete},
			Hint: func(_ *corev1.Pod, oldObj, _ any) bool {
				p := podOf(oldObj)
				return p == nil || len(framework.PodHostPorts(p)) > 0
			}},
		{Event: framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add}},
	}
}

// EventsToRegister implements framework.EnqueueExtensions: a node the pod tolerates appears
// or loses the taints the pod did not tolerate.
func (TaintToleration) EventsToRegister() []framework.ClusterEventWithHint {
	untolerated := func(pod *corev1.Pod, n *corev1.Node) bool {
		_, bad := FirstUntoleratedTaint(n.Spec.Taints, pod.Spec.Tolerations, corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute)
		return bad
	}
	return []framework.ClusterEventWithHint{{
		Event: framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add | framework.UpdateNodeTaint},
		Hint: func(pod *corev1.Pod, oldObj, newObj any) bool {
			n := nodeOf(newObj)
			if n == nil {
				return true
			}
			if old := nodeOf(oldObj); old != nil && !untolerated(pod, old) {
				return false // it was tolerated before: taints were not what kept the pod off it
			}
			return !untolerated(pod, n)
		},
	}}
}

// EventsToRegister implements framework.EnqueueExtensions: a node that now matches the pod's
// node selector and required node affinity.
func (NodeAffinity) EventsToRegister() []framework.ClusterEventWithHint {
	return []framework.ClusterEventWithHint{{
		Event: framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add | framework.UpdateNodeLabel},
		Hint: func(pod *corev1.Pod, oldObj, newObj any) bool {
			n := nodeOf(newObj)
			if n == nil {
				return true
			}
			if old := nodeOf(oldObj); old != nil && MatchesNodeSelectorAndAffinity(pod, old) {
				return false
			}
			return MatchesNodeSelectorAndAffinity(pod, n)
		},
	}}
}

// EventsToRegister implements framework.EnqueueExtensions: resources freed by a pod that goes
// away or shrinks, or a node (new, or with more allocatable) big enough for the pod when empty.
func (p *NodeResourcesFit) EventsToRegister() []framework.ClusterEventWithHint {
	return []framework.ClusterEventWithHint{
		{Event: framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Delete | framework.UpdatePodScaleDown}},
		{Event: framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add | framework.UpdateNodeAllocatable},
			Hint: func(pod *corev1.Pod, _, newObj any) bool {
				n := nodeOf(newObj)
				if n == nil {
					return true
				}
				ni := framework.NewNodeInfo()
				ni.SetNode(n)
				return len(p.Insufficient(framework.PodRequests(pod, false), ni)) == 0
			}},
	}
}

// EventsToRegister implements framework.EnqueueExtensions: any assigned pod change (affinity
// counts pods across the cluster) and nodes appearing or relabelled (topology domains).
func (*InterPodAffinity) EventsToRegister() []framework.ClusterEventWithHint {
	return []framework.ClusterEventWithHint{
		{Event: framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Add | framework.Delete | framework.UpdatePodLabel}},
		{Event: framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add | framework.UpdateNodeLabel}},
	}
}

// EventsToRegister implements framework.EnqueueExtensions: assigned pods of the pod's
// namespace changing the counts, and nodes changing the domains.
func (*PodTopologySpread) EventsToRegister() []framework.ClusterEventWithHint {
	return []framework.ClusterEventWithHint{
		{Event: framework.ClusterEvent{Resource: framework.AssignedPodEvent, Action: framework.Add | framework.Delete | framework.UpdatePodLabel},
			Hint: func(pod *corev1.Pod, oldObj, newObj any) bool {
				for _, o := range []any{oldObj, newObj} {
					if p := podOf(o); p != nil && p.Namespace == pod.Namespace {
						return true
					}
				}
				return false
			}},
		{Event: framework.ClusterEvent{Resource: framework.NodeEvent, Action: framework.Add | framework.Delete | framework.UpdateNodeLabel | framework.UpdateNodeTaint}},
	}
}

// EventsToRegister implements framework.EnqueueExtensions: no cluster event lifts a gate; an
// update of the pod itself does (the queue handles it).
func (SchedulingGates) EventsToRegister() []framework.ClusterEventWithHint {
	return []framework.ClusterEventWithHint{}
}
