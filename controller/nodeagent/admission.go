package nodeagent

import (
	"fmt"
	"sort"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
)

// Admission reasons, the kubelet's.
const (
	// ReasonNodeAffinity: the pod's nodeSelector or required node affinity does not match
	// the node's labels.
	ReasonNodeAffinity = "NodeAffinity"
	// ReasonOutOfPrefix is followed by the resource the node lacks: OutOfcpu, OutOfmemory,
	// OutOfpods, OutOfephemeral-storage, OutOf<extended resource>.
	ReasonOutOfPrefix = "OutOf"
)

// rejection is an admission failure.
type rejection struct {
	reason, message string
}

// admit decides whether pod may run on the node given the pods admitted before it, and
// remembers the decision. It is idempotent.
func (a *Agent) admit(rs *runState, pod *corev1.Pod) *rejection {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if _, ok := rs.admitted[pod.UID]; ok {
		return nil
	}
	if r, ok := rs.rejected[pod.UID]; ok {
		return r
	}
	if r := a.check(rs, pod); r != nil {
		rs.rejected[pod.UID] = r
		return r
	}
	req := framework.PodRequests(pod, false)
	rs.admitted[pod.UID] = req
	rs.used.Add(req)
	return nil
}

// release forgets the resources of a pod that finished or left the node.
func (a *Agent) release(rs *runState, uid meta.UID) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if req, ok := rs.admitted[uid]; ok {
		rs.used.Sub(req)
		delete(rs.admitted, uid)
	}
}

// check runs the kubelet's admission predicates: resources (pods, cpu, memory,
// ephemeral-storage, extended resources, in that order), then node affinity.
func (a *Agent) check(rs *runState, pod *corev1.Pod) *rejection {
	alloc := framework.NewResource(a.opts.Allocatable)
	req := framework.PodRequests(pod, false)
	used := rs.used
	n := int64(len(rs.admitted))
	if n+1 > alloc.AllowedPodNumber {
		return outOf(corev1.ResourcePods, 1, n, alloc.AllowedPodNumber)
	}
	type item struct {
		name             corev1.ResourceName
		want, have, capa int64
	}
	items := []item{
		{corev1.ResourceCPU, req.MilliCPU, used.MilliCPU, alloc.MilliCPU},
		{corev1.ResourceMemory, req.Memory, used.Memory, alloc.Memory},
		{corev1.ResourceEphemeralStorage, req.EphemeralStorage, used.EphemeralStorage, alloc.EphemeralStorage},
	}
	names := make([]string, 0, len(req.Scalar))
	for name := range req.Scalar {
		names = append(names, string(name))
	}
	sort.Strings(names)
	for _, name := range names {
		rn := corev1.ResourceName(name)
		items = append(items, item{rn, req.Scalar[rn], used.Scalar[rn], alloc.Scalar[rn]})
	}
	for _, it := range items {
		if it.want > 0 && it.want+it.have > it.capa {
			return outOf(it.name, it.want, it.have, it.capa)
		}
	}
	node := &corev1.Node{ObjectMeta: meta.ObjectMeta{Name: a.opts.NodeName, Labels: a.opts.Labels}}
	if !plugins.MatchesNodeSelectorAndAffinity(pod, node) {
		return &rejection{reason: ReasonNodeAffinity,
			message: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"}
	}
	return nil
}

func outOf(name corev1.ResourceName, want, used, capacity int64) *rejection {
	return &rejection{
		reason: ReasonOutOfPrefix + string(name),
		message: fmt.Sprintf("Pod was rejected: Node didn't have enough resource: %s, requested: %d, used: %d, capacity: %d",
			name, want, used, capacity),
	}
}
