package plugins

import (
	"context"
	"fmt"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// Plugin names, as in kube-scheduler.
const (
	NamePrioritySort                    = "PrioritySort"
	NameSchedulingGates                 = "SchedulingGates"
	NameNodeName                        = "NodeName"
	NameNodeUnschedulable               = "NodeUnschedulable"
	NameNodePorts                       = "NodePorts"
	NameNodeResourcesFit                = "NodeResourcesFit"
	NameNodeResourcesBalancedAllocation = "NodeResourcesBalancedAllocation"
	NameNodeAffinity                    = "NodeAffinity"
	NameTaintToleration                 = "TaintToleration"
	NamePodTopologySpread               = "PodTopologySpread"
	NameInterPodAffinity                = "InterPodAffinity"
	NameImageLocality                   = "ImageLocality"
	NameDefaultPreemption               = "DefaultPreemption"
	NameDefaultBinder                   = "DefaultBinder"
)

// Failure reasons, worded as kube-scheduler's so that messages read the same.
const (
	ReasonNodeName          = "node(s) didn't match the requested node name"
	ReasonUnschedulable     = "node(s) were unschedulable"
	ReasonNodePorts         = "node(s) didn't have free ports for the requested pod ports"
	ReasonNodeAffinity      = "node(s) didn't match Pod's node affinity/selector"
	ReasonTooManyPods       = "Too many pods"
	ReasonSchedulingGated   = "waiting for scheduling gates"
	reasonInsufficientPrefx = "Insufficient "
)

// PrioritySort orders the queue by priority (higher first), then by queue time (older first).
type PrioritySort struct{}

var _ framework.QueueSortPlugin = PrioritySort{}

// Name implements framework.Plugin.
func (PrioritySort) Name() string { return NamePrioritySort }

// Less implements framework.QueueSortPlugin.
func (PrioritySort) Less(a, b *framework.QueuedPodInfo) bool {
	pa, pb := a.Priority(), b.Priority()
	return pa > pb || pa == pb && a.Timestamp.Before(b.Timestamp)
}

// SchedulingGates keeps pods with spec.schedulingGates out of the active queue.
type SchedulingGates struct{}

var _ framework.PreEnqueuePlugin = SchedulingGates{}

// Name implements framework.Plugin.
func (SchedulingGates) Name() string { return NameSchedulingGates }

// PreEnqueue implements framework.PreEnqueuePlugin.
func (SchedulingGates) PreEnqueue(_ context.Context, pod *corev1.Pod) *framework.Status {
	if len(pod.Spec.SchedulingGates) == 0 {
		return nil
	}
	names := make([]string, len(pod.Spec.SchedulingGates))
	for i, g := range pod.Spec.SchedulingGates {
		names[i] = g.Name
	}
	return framework.NewStatus(framework.UnschedulableAndUnresolvable, fmt.Sprintf("%s: %v", ReasonSchedulingGated, names))
}

// NodeName restricts a pod with spec.nodeName to that node.
type NodeName struct{}

var (
	_ framework.PreFilterPlugin = NodeName{}
	_ framework.FilterPlugin    = NodeName{}
)

// Name implements framework.Plugin.
func (NodeName) Name() string { return NameNodeName }

// NodeLocal implements framework.NodeLocalPlugin: the verdict depends on the pod and the node
// (and its pods) only.
func (NodeName) NodeLocal() bool { return true }

// PreFilter narrows the nodes to spec.nodeName, or skips.
func (NodeName) PreFilter(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, _ []*framework.NodeInfo) (*framework.PreFilterResult, *framework.Status) {
	if pod.Spec.NodeName == "" {
		return nil, skipStatus
	}
	return &framework.PreFilterResult{NodeNames: map[string]struct{}{pod.Spec.NodeName: {}}}, nil
}

// PreFilterExtensions implements framework.PreFilterPlugin.
func (NodeName) PreFilterExtensions() framework.PreFilterExtensions { return nil }

// Filter implements framework.FilterPlugin.
func (NodeName) Filter(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	if pod.Spec.NodeName != "" && pod.Spec.NodeName != ni.Name() {
		return framework.NewStatus(framework.UnschedulableAndUnresolvable, ReasonNodeName)
	}
	return nil
}

// NodeUnschedulable keeps pods off cordoned nodes unless they tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
type NodeUnschedulable struct{}

var _ framework.FilterPlugin = NodeUnschedulable{}

// Name implements framework.Plugin.
func (NodeUnschedulable) Name() string { return NameNodeUnschedulable }

// NodeLocal implements framework.NodeLocalPlugin: the verdict depends on the pod and the node
// (and its pods) only.
func (NodeUnschedulable) NodeLocal() bool { return true }

// Filter implements framework.FilterPlugin.
func (NodeUnschedulable) Filter(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	if !ni.Node().Spec.Unschedulable {
		return nil
	}
	taint := corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}
	if Tolerated(pod.Spec.Tolerations, &taint) {
		return nil
	}
	return framework.NewStatus(framework.UnschedulableAndUnresolvable, ReasonUnschedulable)
}

// NodePorts rejects nodes where a requested host port is taken.
type NodePorts struct{}

var (
	_ framework.PreFilterPlugin = NodePorts{}
	_ framework.FilterPlugin    = NodePorts{}
)

const nodePortsKey framework.StateKey = NameNodePorts

// Name implements framework.Plugin.
func (NodePorts) Name() string { return NameNodePorts }

// NodeLocal implements framework.NodeLocalPlugin: the verdict depends on the pod and the node
// (and its pods) only.
func (NodePorts) NodeLocal() bool { return true }

// PreFilter records the pod's host ports, or skips when it has none.
func (NodePorts) PreFilter(_ context.Context, state *framework.CycleState, pod *corev1.Pod, _ []*framework.NodeInfo) (*framework.PreFilterResult, *framework.Status) {
	ports := framework.PodHostPorts(pod)
	if len(ports) == 0 {
		return nil, skipStatus
	}
	state.Write(nodePortsKey, &immutable[[]framework.HostPort]{ports})
	return nil, nil
}

// PreFilterExtensions implements framework.PreFilterPlugin.
func (NodePorts) PreFilterExtensions() framework.PreFilterExtensions { return nil }

// Filter implements framework.FilterPlugin.
func (NodePorts) Filter(_ context.Context, state *framework.CycleState, _ *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	ports, s := readState[*immutable[[]framework.HostPort]](state, nodePortsKey)
	if s != nil {
		return s
	}
	for _, p := range ports.v {
		if ni.UsedPorts.Conflicts(p) {
			return framework.NewStatus(framework.Unschedulable, ReasonNodePorts)
		}
	}
	return nil
}

// TaintToleration filters nodes with untolerated NoSchedule/NoExecute taints and prefers
// nodes with fewer untolerated PreferNoSchedule taints.
type TaintToleration struct{}

var (
	_ framework.FilterPlugin       = TaintToleration{}
	_ framework.ScorePlugin        = TaintToleration{}
	_ framework.RawScoreExtensions = TaintToleration{}
)

// Name implements framework.Plugin.
func (TaintToleration) Name() string { return NameTaintToleration }

// NodeLocal implements framework.NodeLocalPlugin: the verdict depends on the pod and the node
// (and its pods) only.
func (TaintToleration) NodeLocal() bool { return true }

// Filter implements framework.FilterPlugin.
func (TaintToleration) Filter(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	t, bad := FirstUntoleratedTaint(ni.Node().Spec.Taints, pod.Spec.Tolerations, corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute)
	if !bad {
		return nil
	}
	return framework.NewStatus(framework.UnschedulableAndUnresolvable, fmt.Sprintf("node(s) had untolerated taint {%s: %s}", t.Key, t.Value))
}

// Score counts the untolerated PreferNoSchedule taints (only tolerations with effect
// PreferNoSchedule or empty count); NormalizeScore reverses, so fewer is better.
func (TaintToleration) Score(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	var n int64
	for i := range ni.Node().Spec.Taints {
		t := &ni.Node().Spec.Taints[i]
		if t.Effect != corev1.TaintEffectPreferNoSchedule {
			continue
		}
		tolerated := false
		for j := range pod.Spec.Tolerations {
			tol := &pod.Spec.Tolerations[j]
			if (tol.Effect == "" || tol.Effect == corev1.TaintEffectPreferNoSchedule) && ToleratesTaint(tol, t) {
				tolerated = true
				break
			}
		}
		if !tolerated {
			n++
		}
	}
	return n, nil
}

// ScoreExtensions implements framework.ScorePlugin.
func (p TaintToleration) ScoreExtensions() framework.ScoreExtensions { return p }

// NormalizeScore implements framework.ScoreExtensions.
func (TaintToleration) NormalizeScore(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, scores []framework.NodeScore) *framework.Status {
	defaultNormalize(scores, true)
	return nil
}

// NormalizeRawScores implements framework.RawScoreExtensions.
func (TaintToleration) NormalizeRawScores(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, scores []int64) *framework.Status {
	defaultNormalizeRaw(scores, true)
	return nil
}

// NodeAffinity filters by spec.nodeSelector and required node affinity and scores by the
// summed weights of matching preferred terms.
type NodeAffinity struct{}

var (
	_ framework.FilterPlugin       = NodeAffinity{}
	_ framework.PreScorePlugin     = NodeAffinity{}
	_ framework.ScorePlugin        = NodeAffinity{}
	_ framework.RawScoreExtensions = NodeAffinity{}
)

// Name implements framework.Plugin.
func (NodeAffinity) Name() string { return NameNodeAffinity }

// NodeLocal implements framework.NodeLocalPlugin: the verdict depends on the pod and the node
// (and its pods) only.
func (NodeAffinity) NodeLocal() bool { return true }

// Filter implements framework.FilterPlugin.
func (NodeAffinity) Filter(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	if MatchesNodeSelectorAndAffinity(pod, ni.Node()) {
		return nil
	}
	return framework.NewStatus(framework.UnschedulableAndUnresolvable, ReasonNodeAffinity)
}

// PreScore skips for a pod without preferred node affinity terms, as kube-scheduler's does:
// every node would score 0.
func (NodeAffinity) PreScore(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, _ []*framework.NodeInfo) *framework.Status {
	if a := pod.Spec.Affinity; a == nil || a.NodeAffinity == nil || len(a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution) == 0 {
		return skipStatus
	}
	return nil
}

// Score implements framework.ScorePlugin.
func (NodeAffinity) Score(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	a := pod.Spec.Affinity
	if a == nil || a.NodeAffinity == nil {
		return 0, nil
	}
	var sum int64
	for i := range a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
		t := &a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution[i]
		if t.Weight != 0 && MatchNodeSelectorTerm(ni.Node(), &t.Preference) {
			sum += int64(t.Weight)
		}
	}
	return sum, nil
}

// ScoreExtensions implements framework.ScorePlugin.
func (p NodeAffinity) ScoreExtensions() framework.ScoreExtensions { return p }

// NormalizeScore implements framework.ScoreExtensions.
func (NodeAffinity) NormalizeScore(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, scores []framework.NodeScore) *framework.Status {
	defaultNormalize(scores, false)
	return nil
}

// NormalizeRawScores implements framework.RawScoreExtensions.
func (NodeAffinity) NormalizeRawScores(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, scores []int64) *framework.Status {
	defaultNormalizeRaw(scores, false)
	return nil
}
