package framework

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// EventResource is the kind of object a cluster event is about.
type EventResource string

// The resources of cluster events.
const (
	// NodeEvent: a node was added, changed or deleted.
	NodeEvent EventResource = "Node"
	// AssignedPodEvent: a pod bound to a node (or assumed on one) was added, changed or
	// deleted; pending pods are not cluster events.
	AssignedPodEvent EventResource = "Pod"
	// AnyResource matches every resource in a registration.
	AnyResource EventResource = "*"
)

// ActionType is a bit set of what happened to the object.
type ActionType uint32

// The actions of cluster events. Update actions name the part of the object that changed.
const (
	Add ActionType = 1 << iota
	Delete
	// UpdateNodeAllocatable: status.allocatable changed.
	UpdateNodeAllocatable
	// UpdateNodeLabel: metadata.labels changed.
	UpdateNodeLabel
	// UpdateNodeTaint: spec.taints changed.
	UpdateNodeTaint
	// UpdateNodeUnschedulable: spec.unschedulable changed.
	UpdateNodeUnschedulable
	// UpdateNodeImages: status.images changed.
	UpdateNodeImages
	// UpdatePodLabel: an assigned pod's labels changed.
	UpdatePodLabel
	// UpdatePodScaleDown: an assigned pod's requests went down (resized) or it terminated.
	UpdatePodScaleDown

	// UpdateNode is every node update action.
	UpdateNode = UpdateNodeAllocatable | UpdateNodeLabel | UpdateNodeTaint | UpdateNodeUnschedulable | UpdateNodeImages
	// UpdatePod is every assigned-pod update action.
	UpdatePod = UpdatePodLabel | UpdatePodScaleDown
	// All is every action.
	All ActionType = 1<<iota - 1
)

// ClusterEvent is something that happened in the cluster that may make pending pods
// schedulable.
type ClusterEvent struct {
	Resource EventResource
	Action   ActionType
}

// Matches reports whether a registration r covers the event e: same resource (or AnyResource)
// and at least one common action.
func (r ClusterEvent) Matches(e ClusterEvent) bool {
	return (r.Resource == AnyResource || r.Resource == e.Resource) && r.Action&e.Action != 0
}

// QueueingHintFn refines a registration: given the pending pod the plugin rejected and the
// event's old and new objects (nil for an add's old and a delete's new; *corev1.Node or
// *corev1.Pod), it says whether the event may make the pod schedulable. It must be cheap and
// must not change its arguments.
type QueueingHintFn func(pod *corev1.Pod, oldObj, newObj any) bool

// ClusterEventWithHint is one registration: an event and an optional hint (nil: every matching
// event may help).
type ClusterEventWithHint struct {
	Event ClusterEvent
	Hint  QueueingHintFn
}

// EnqueueExtensions is implemented by plugins that reject pods (PreEnqueue, PreFilter, Filter,
// Reserve, Permit) and know which cluster events can make a pod they rejected schedulable. A
// pod parked as unschedulable is moved back to be retried only by an event that one of the
// plugins that rejected it registered (and whose hint agrees). A rejecting plugin that does
// not implement EnqueueExtensions is moved by every event.
type EnqueueExtensions interface {
	Plugin
	EventsToRegister() []ClusterEventWithHint
}

// MayHelp reports whether event ev (with its old and new objects) may make pod schedulable,
// given the plugins that rejected it: true if any of them registered a matching event whose
// hint agrees, or does not register events, or is not a plugin of this framework; and true
// when rejectors is empty (the failure was not a plugin's).
func (f *Framework) MayHelp(rejectors map[string]struct{}, pod *corev1.Pod, ev ClusterEvent, oldObj, newObj any) bool {
	if len(rejectors) == 0 {
		return true
	}
	for name := range rejectors {
		regs, known := f.events[name]
		if !known || regs == nil {
			return true
		}
		for _, r := range regs {
			if r.Event.Matches(ev) && (r.Hint == nil || r.Hint(pod, oldObj, newObj)) {
				return true
			}
		}
	}
	return false
}

// NodeUpdateActions says what changed between two versions of a node, as update actions
// (0 when nothing a scheduler looks at changed, for example a heartbeat).
func NodeUpdateActions(old, cur *corev1.Node) ActionType {
	var a ActionType
	if !resourceListEqual(old.Status.Allocatable, cur.Status.Allocatable) {
		a |= UpdateNodeAllocatable
	}
	if !stringMapEqual(old.Labels, cur.Labels) {
		a |= UpdateNodeLabel
	}
	if !taintsEqual(old.Spec.Taints, cur.Spec.Taints) {
		a |= UpdateNodeTaint
	}
	if old.Spec.Unschedulable != cur.Spec.Unschedulable {
		a |= UpdateNodeUnschedulable
	}
	if !imagesEqual(old.Status.Images, cur.Status.Images) {
		a |= UpdateNodeImages
	}
	return a
}

// PodUpdateActions says what changed between two versions of an assigned pod.
func PodUpdateActions(old, cur *corev1.Pod) ActionType {
	var a ActionType
	if !stringMapEqual(old.Labels, cur.Labels) {
		a |= UpdatePodLabel
	}
	o, c := PodRequests(old, false), PodRequests(cur, false)
	if c.MilliCPU < o.MilliCPU || c.Memory < o.Memory || c.EphemeralStorage < o.EphemeralStorage {
		a |= UpdatePodScaleDown
	}
	for k, v := range o.Scalar {
		if c.Scalar[k] < v {
			a |= UpdatePodScaleDown
		}
	}
	return a
}

func resourceListEqual(a, b corev1.ResourceList) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || v.Cmp(w) != 0 {
			return false
		}
	}
	return true
}

func stringMapEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v != w {
			return false
		}
	}
	return true
}

func taintsEqual(a, b []corev1.Taint) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Value != b[i].Value || a[i].Effect != b[i].Effect {
			return false
		}
	}
	return true
}

func imagesEqual(a, b []corev1.ContainerImage) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].SizeBytes != b[i].SizeBytes || len(a[i].Names) != len(b[i].Names) {
			return false
		}
		for j := range a[i].Names {
			if a[i].Names[j] != b[i].Names[j] {
				return false
			}
		}
	}
	return true
}
