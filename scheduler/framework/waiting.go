package framework

import (
	"fmt"
	"slices"
	"sync"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// WaitingPod is a pod that Permit plugins asked to wait: it is reserved (assumed) on its node
// and is bound once every waiting plugin allowed it, or rejected and un-reserved when one
// rejects it or the earliest deadline passes. Plugins reach waiting pods through
// Handle.GetWaitingPod and Handle.IterateOverWaitingPods and call Allow or Reject; the driver
// waits on Changed and the deadline. All methods are safe for concurrent use.
type WaitingPod struct {
	pod  *corev1.Pod
	node string

	mu       sync.Mutex
	pending  map[string]permitWait // by plugin
	rejected *Status
	changed  chan struct{}
}

// permitWait is one plugin's wait: its timeout and the deadline it gives.
type permitWait struct {
	timeout  time.Duration
	deadline time.Time
}

func newWaitingPod(pod *corev1.Pod, node string, pending map[string]permitWait) *WaitingPod {
	return &WaitingPod{pod: pod, node: node, pending: pending, changed: make(chan struct{}, 1)}
}

// Pod is the waiting pod.
func (w *WaitingPod) Pod() *corev1.Pod { return w.pod }

// NodeName is the node it is reserved on.
func (w *WaitingPod) NodeName() string { return w.node }

// Pending lists the plugins that have not allowed the pod yet, sorted.
func (w *WaitingPod) Pending() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pendingLocked()
}

func (w *WaitingPod) pendingLocked() []string {
	out := make([]string, 0, len(w.pending))
	for k := range w.pending {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (w *WaitingPod) signal() {
	select {
	case w.changed <- struct{}{}:
	default:
	}
}

// Allow records plugin's permission.
func (w *WaitingPod) Allow(plugin string) {
	w.mu.Lock()
	delete(w.pending, plugin)
	w.mu.Unlock()
	w.signal()
}

// Reject rejects the pod on behalf of plugin; the first rejection wins.
func (w *WaitingPod) Reject(plugin, msg string) {
	w.mu.Lock()
	if w.rejected == nil {
		w.rejected = NewStatus(Unschedulable, msg).WithPlugin(plugin)
	}
	w.mu.Unlock()
	w.signal()
}

// Changed receives after an Allow or Reject (coalesced): the waiter re-reads Status.
func (w *WaitingPod) Changed() <-chan struct{} { return w.changed }

// Deadline is the earliest deadline of the pending plugins (zero if none pending).
func (w *WaitingPod) Deadline() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	var d time.Time
	for _, pw := range w.pending {
		if d.IsZero() || pw.deadline.Before(d) {
			d = pw.deadline
		}
	}
	return d
}

// Status at now: Success when every plugin allowed, Unschedulable when one rejected or a
// deadline passed ("rejected due to timeout after waiting at plugin X", plugin X), Wait
// otherwise.
func (w *WaitingPod) Status(now time.Time) *Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.rejected != nil {
		return w.rejected
	}
	for _, name := range w.pendingLocked() {
		if pw := w.pending[name]; !now.Before(pw.deadline) {
			return NewStatus(Unschedulable, fmt.Sprintf("rejected due to timeout after waiting %v at plugin %s", pw.timeout, name)).WithPlugin(name)
		}
	}
	if len(w.pending) == 0 {
		return nil
	}
	return NewStatus(Wait, "waiting on permit")
}

// waitingPods is a framework's set of waiting pods by UID.
type waitingPods struct {
	mu   sync.RWMutex
	pods map[meta.UID]*WaitingPod
}

func (s *waitingPods) add(w *WaitingPod) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pods == nil {
		s.pods = map[meta.UID]*WaitingPod{}
	}
	s.pods[w.pod.UID] = w
}

func (s *waitingPods) remove(w *WaitingPod) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pods[w.pod.UID] == w {
		delete(s.pods, w.pod.UID)
	}
}

func (s *waitingPods) get(uid meta.UID) *WaitingPod {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.pods[uid]
}

func (s *waitingPods) list() []*WaitingPod {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*WaitingPod, 0, len(s.pods))
	for _, w := range s.pods {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b *WaitingPod) int {
		if a.pod.Namespace+"/"+a.pod.Name < b.pod.Namespace+"/"+b.pod.Name {
			return -1
		}
		return 1
	})
	return out
}
