package framework

import (
	"strings"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// ImageState is what ImageLocality knows of an image on a node: its size. How many nodes
// have it is Snapshot.ImageNumNodes.
type ImageState struct {
	Size int64
}

// HostPort is one host port in use on a node.
type HostPort struct {
	IP       string // "0.0.0.0" for all addresses
	Protocol corev1.Protocol
	Port     int32
}

// HostPorts is the set of host ports in use on a node, with a use count per entry.
type HostPorts map[HostPort]int

// Conflicts reports whether p collides with a port in use: same protocol and port, and the
// same IP or either side bound to 0.0.0.0.
func (hp HostPorts) Conflicts(p HostPort) bool {
	if p.IP == "0.0.0.0" {
		for q := range hp {
			if q.Port == p.Port && q.Protocol == p.Protocol {
				return true
			}
		}
		return false
	}
	if hp[p] > 0 {
		return true
	}
	return hp[HostPort{IP: "0.0.0.0", Protocol: p.Protocol, Port: p.Port}] > 0
}

// PodHostPorts lists the host ports a pod asks for, normalised (empty IP is 0.0.0.0, empty
// protocol is TCP). Ports with hostPort 0 are skipped.
func PodHostPorts(pod *corev1.Pod) []HostPort {
	var out []HostPort
	add := func(cs []corev1.Container) {
		for i := range cs {
			for _, p := range cs[i].Ports {
				if p.HostPort <= 0 {
					continue
				}
				hp := HostPort{IP: p.HostIP, Protocol: p.Protocol, Port: p.HostPort}
				if hp.IP == "" {
					hp.IP = "0.0.0.0"
				}
				if hp.Protocol == "" {
					hp.Protocol = corev1.ProtocolTCP
				}
				out = append(out, hp)
			}
		}
	}
	add(pod.Spec.InitContainers)
	add(pod.Spec.Containers)
	return out
}

// NodeInfo is a node with the pods the scheduler places on it and the sums it needs:
// requested (and non-zero requested) resources, used host ports and pods with affinity terms.
// A NodeInfo in a Snapshot is read-only during a cycle; Clone it to simulate changes.
type NodeInfo struct {
	node *corev1.Node

	// Pods on the node, assumed ones included.
	Pods []*PodInfo
	// PodsWithAffinity are the pods with any pod (anti-)affinity term.
	PodsWithAffinity []*PodInfo
	// PodsWithRequiredAntiAffinity are the pods with a required anti-affinity term.
	PodsWithRequiredAntiAffinity []*PodInfo
	// UsedPorts are the host ports the pods use.
	UsedPorts HostPorts
	// Requested is the sum of the pods' requests.
	Requested Resource
	// NonZeroRequested is the sum with the non-zero CPU and memory defaults (for scoring).
	NonZeroRequested Resource
	// Allocatable is the node's allocatable resources.
	Allocatable Resource
	// ImageStates of the images on the node, keyed by every name of each image; filled by the
	// Snapshot (nil when the node reports no images).
	ImageStates map[string]*ImageState
	// Generation is the snapshot generation of the last change to this NodeInfo.
	Generation int64

	slot int    // dense number of the node in its snapshot, for per-node caches
	name string // node.Name, kept here: read for every node of every cycle
}

// Slot is the node's dense number in its Snapshot (below Snapshot.NumSlots), stable while the
// node is in the snapshot; a slot freed by a removed node is reused. Per-node caches index by
// it and validate entries with Generation. A NodeInfo outside a snapshot (NewNodeInfo) has
// slot -1 until AddNode gives it one; a Clone has -1 too and is never cached.
func (ni *NodeInfo) Slot() int { return ni.slot }

// NewNodeInfo returns a NodeInfo with the pods on it and no node set.
func NewNodeInfo(pods ...*PodInfo) *NodeInfo {
	ni := &NodeInfo{UsedPorts: HostPorts{}, slot: -1}
	for _, p := range pods {
		ni.AddPod(p)
	}
	return ni
}

// Node returns the node; nil if only pods are known.
func (ni *NodeInfo) Node() *corev1.Node { return ni.node }

// Name is the node's name, "" without a node.
func (ni *NodeInfo) Name() string { return ni.name }

// SetNode sets the node and its allocatable resources.
func (ni *NodeInfo) SetNode(n *corev1.Node) {
	ni.node = n
	ni.name = n.Name
	ni.Allocatable = NewResource(n.Status.Allocatable)
}

// AddPod accounts for a pod on the node.
func (ni *NodeInfo) AddPod(p *PodInfo) {
	ni.Pods = append(ni.Pods, p)
	if p.HasAffinity() {
		ni.PodsWithAffinity = append(ni.PodsWithAffinity, p)
	}
	if len(p.RequiredAntiAffinityTerms) > 0 {
		ni.PodsWithRequiredAntiAffinity = append(ni.PodsWithRequiredAntiAffinity, p)
	}
	ni.Requested.Add(p.Requests)
	ni.NonZeroRequested.Add(p.NonZeroRequests)
	if ni.UsedPorts == nil {
		ni.UsedPorts = HostPorts{}
	}
	for _, hp := range PodHostPorts(p.Pod) {
		ni.UsedPorts[hp]++
	}
}

// RemovePod removes the pod with p's UID (or namespace/name when UIDs are empty); it reports
// whether the pod was there.
func (ni *NodeInfo) RemovePod(pod *corev1.Pod) bool {
	i := indexOfPod(ni.Pods, pod)
	if i < 0 {
		return false
	}
	p := ni.Pods[i]
	ni.Pods = removeAt(ni.Pods, i)
	if j := indexOfPod(ni.PodsWithAffinity, pod); j >= 0 {
		ni.PodsWithAffinity = removeAt(ni.PodsWithAffinity, j)
	}
	if j := indexOfPod(ni.PodsWithRequiredAntiAffinity, pod); j >= 0 {
		ni.PodsWithRequiredAntiAffinity = removeAt(ni.PodsWithRequiredAntiAffinity, j)
	}
	ni.Requested.Sub(p.Requests)
	ni.NonZeroRequested.Sub(p.NonZeroRequests)
	for _, hp := range PodHostPorts(p.Pod) {
		if ni.UsedPorts[hp] <= 1 {
			delete(ni.UsedPorts, hp)
		} else {
			ni.UsedPorts[hp]--
		}
	}
	return true
}

// SamePod reports whether a and b are the same pod: equal UIDs, or equal namespace/name when
// either UID is empty.
func SamePod(a, b *corev1.Pod) bool {
	if a.UID != "" && b.UID != "" {
		return a.UID == b.UID
	}
	return a.Namespace == b.Namespace && a.Name == b.Name
}

func indexOfPod(ps []*PodInfo, pod *corev1.Pod) int {
	for i, p := range ps {
		if SamePod(p.Pod, pod) {
			return i
		}
	}
	return -1
}

// removeAt deletes element i without touching the backing array shared with clones.
func removeAt(ps []*PodInfo, i int) []*PodInfo {
	out := make([]*PodInfo, 0, len(ps)-1)
	out = append(out, ps[:i]...)
	return append(out, ps[i+1:]...)
}

// Clone returns a copy that can be changed (AddPod, RemovePod) without changing ni. Pods
// (PodInfo) are shared: they are immutable.
func (ni *NodeInfo) Clone() *NodeInfo {
	c := &NodeInfo{
		node:                         ni.node,
		name:                         ni.name,
		Pods:                         append([]*PodInfo(nil), ni.Pods...),
		PodsWithAffinity:             append([]*PodInfo(nil), ni.PodsWithAffinity...),
		PodsWithRequiredAntiAffinity: append([]*PodInfo(nil), ni.PodsWithRequiredAntiAffinity...),
		UsedPorts:                    make(HostPorts, len(ni.UsedPorts)),
		Requested:                    ni.Requested.Clone(),
		NonZeroRequested:             ni.NonZeroRequested.Clone(),
		Allocatable:                  ni.Allocatable.Clone(),
		ImageStates:                  ni.ImageStates,
		Generation:                   ni.Generation,
		slot:                         -1, // a clone is changed freely: never cached
	}
	for k, v := range ni.UsedPorts {
		c.UsedPorts[k] = v
	}
	return c
}

// NormalizedImageName adds ":latest" to an image name with neither tag nor digest, as the
// container runtime reports it.
func NormalizedImageName(name string) string {
	if strings.LastIndex(name, ":") <= strings.LastIndex(name, "/") && !strings.Contains(name, "@") {
		return name + ":latest"
	}
	return name
}
