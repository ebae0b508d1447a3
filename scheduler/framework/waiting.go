package framework

import (
	"fmt"
	"slices"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// WaitingPod is a pod that Permit plugins asked to wait. It is a plain state machine: the
// driver keeps it, plugins Allow or Reject it, and Status(now) says where it stands. Not safe
// for concurrent use; the driver serialises access.
type WaitingPod struct {
	pod      *corev1.Pod
	node     string
	pending  map[string]time.Time // plugin -> deadline
	rejected *Status
}

// Pod is the waiting pod.
func (w *WaitingPod) Pod() *corev1.Pod { return w.pod }

// NodeName is the node it is reserved on.
func (w *WaitingPod) NodeName() string { return w.node }

// Pending lists the plugins that have not allowed the pod yet, in order.
func (w *WaitingPod) Pending() []string {
	out := make([]string, 0, len(w.pending))
	for k := range w.pending {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Allow records plugin's permission.
func (w *WaitingPod) Allow(plugin string) { delete(w.pending, plugin) }

// Reject rejects the pod on behalf of plugin.
func (w *WaitingPod) Reject(plugin, msg string) {
	if w.rejected == nil {
		w.rejected = NewStatus(Unschedulable, msg).WithPlugin(plugin)
	}
}

// Deadline is the earliest deadline of the pending plugins (zero if none pending).
func (w *WaitingPod) Deadline() time.Time {
	var d time.Time
	for _, t := range w.pending {
		if d.IsZero() || t.Before(d) {
			d = t
		}
	}
	return d
}

// Status at now: Success when every plugin allowed, Unschedulable when one rejected or a
// deadline passed, Wait otherwise.
func (w *WaitingPod) Status(now time.Time) *Status {
	if w.rejected != nil {
		return w.rejected
	}
	for _, name := range w.Pending() {
		if !now.Before(w.pending[name]) {
			return NewStatus(Unschedulable, fmt.Sprintf("rejected due to timeout after waiting at plugin %s", name)).WithPlugin(name)
		}
	}
	if len(w.pending) == 0 {
		return nil
	}
	return NewStatus(Wait, "waiting on permit")
}
