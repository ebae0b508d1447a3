package nodelifecycle

import (
	"context"
	"fmt"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/store"
)

// Reason and message of the DisruptionTarget condition set on a pod before it is evicted, and
// of the events about it, as Kubernetes writes them.
const (
	ReasonDeletionByTaintManager  = "DeletionByTaintManager"
	MessageDeletionByTaintManager = "Taint manager: deleting due to NoExecute taint"
	ReasonTaintManagerEviction    = "TaintManagerEviction"
)

// evictionStart is when the eviction clock of one pod (by UID) started: the toleration time
// counts from there.
type evictionStart struct {
	uid   meta.UID
	start time.Time
}

// reconcilePod is the taint-based eviction of one pod: a pod bound to a node with NoExecute
// taints is deleted once the smallest tolerationSeconds of the tolerations it uses for them
// has passed (at once for a taint it does not tolerate, never when the tolerations have no
// tolerationSeconds). The clock starts when the taints were added (timeAdded, but not before
// the pod was created) or, without timeAdded, when this controller first saw them; it is kept
// while the node stays tainted (a not-ready taint swapped for unreachable does not restart
// it) and reset when the taints go away, which cancels the eviction.
func (c *Controller) reconcilePod(ctx context.Context, req controller.Request) (controller.Result, error) {
	pod, ok := c.podInf.Lister().Namespace(req.Namespace).Get(req.Name)
	if !ok || pod.Spec.NodeName == "" || pod.DeletionTimestamp != nil {
		c.forgetEviction(req, nil)
		return controller.Result{}, nil
	}
	node, ok := c.nodeInf.Lister().Get(pod.Spec.NodeName)
	if !ok {
		c.forgetEviction(req, nil)
		return controller.Result{}, nil
	}
	now := c.clock.Now()
	at, evict := c.evictionTime(req, pod, node, now)
	if !evict {
		return controller.Result{}, nil
	}
	if now.Before(at) {
		return controller.Result{RequeueAfter: at.Sub(now)}, nil
	}
	// The cache may lag behind a node that just recovered: decide on the node as it is now.
	fresh, err := c.nodes.Get(ctx, "", node.Name, store.GetOptions{})
	if apierrors.IsNotFound(err) {
		c.forgetEviction(req, nil)
		return controller.Result{}, nil
	}
	if err != nil {
		return controller.Result{}, fmt.Errorf("nodelifecycle: evict pod %s: read node %s: %w", req, node.Name, err)
	}
	if fresh.UID != node.UID {
		c.forgetEviction(req, nil)
		return controller.Result{}, nil
	}
	if at, evict = c.evictionTime(req, pod, fresh, now); !evict {
		return controller.Result{}, nil
	}
	if now.Before(at) {
		return controller.Result{RequeueAfter: at.Sub(now)}, nil
	}
	return controller.Result{}, c.evict(ctx, req, pod, now)
}

// evictionTime returns when the pod must leave the node, or false when it may stay (no
// NoExecute taint, or tolerated forever), recording or forgetting the pod's eviction start.
func (c *Controller) evictionTime(req controller.Request, pod *corev1.Pod, node *corev1.Node, now time.Time) (time.Time, bool) {
	taints := noExecuteTaints(node.Spec.Taints)
	d, forever := TolerationTime(taints, pod.Spec.Tolerations)
	if forever {
		c.forgetEviction(req, pod)
		return time.Time{}, false
	}
	c.emu.Lock()
	defer c.emu.Unlock()
	e, ok := c.evictStart[req]
	if !ok || e.uid != pod.UID {
		e = evictionStart{uid: pod.UID, start: startOf(taints, pod, now)}
		c.evictStart[req] = e
		if d > 0 {
			c.log.V(1).Info("Pod scheduled for eviction", "pod", req, "node", node.Name, "at", e.start.Add(d))
		}
	}
	return e.start.Add(d), true
}

// startOf returns when the pod's eviction clock starts: the earliest timeAdded of the node's
// NoExecute taints, not before the pod was created and not after now; now without timeAdded.
func startOf(taints []corev1.Taint, pod *corev1.Pod, now time.Time) time.Time {
	start := now
	for _, t := range taints {
		if t.TimeAdded != nil && t.TimeAdded.Time.Before(start) {
			start = t.TimeAdded.Time
		}
	}
	if created := pod.CreationTimestamp.Time; created.After(start) && !created.After(now) {
		start = created
	}
	return start
}

// forgetEviction drops the pod's eviction clock; with pod set (the pod is still there and
// tolerated now), an eviction that was pending is reported as cancelled.
func (c *Controller) forgetEviction(req controller.Request, pod *corev1.Pod) {
	c.emu.Lock()
	_, pending := c.evictStart[req]
	delete(c.evictStart, req)
	c.emu.Unlock()
	if pending && pod != nil {
		c.log.V(1).Info("Pod eviction cancelled", "pod", req)
		c.event(pod, corev1.EventTypeNormal, ReasonTaintManagerEviction, "Cancelling deletion of Pod %s", req)
	}
}

// evict marks the pod as a disruption target and deletes it (gracefully: the registry gives
// bound pods their termination grace period), both guarded by its UID so that a new pod of
// the same name is never touched.
func (c *Controller) evict(ctx context.Context, req controller.Request, pod *corev1.Pod, now time.Time) error {
	uid := pod.UID
	pre := &meta.Preconditions{UID: &uid}
	_, err := c.podStatus.GuaranteedUpdate(ctx, pod.Namespace, pod.Name, func(cur *corev1.Pod) (*corev1.Pod, error) {
		setDisruptionTarget(cur, now)
		return cur, nil
	}, store.UpdateOptions{Preconditions: pre})
	switch {
	case apierrors.IsNotFound(err), apierrors.IsConflict(err):
		c.forgetEviction(req, nil)
		return nil
	case err != nil:
		return fmt.Errorf("nodelifecycle: evict pod %s: set condition: %w", req, err)
	}
	c.event(pod, corev1.EventTypeNormal, ReasonTaintManagerEviction, "Marking for deletion Pod %s", req)
	_, err = c.pods.Delete(ctx, pod.Namespace, pod.Name, store.DeleteOptions{Preconditions: pre})
	switch {
	case apierrors.IsNotFound(err), apierrors.IsConflict(err):
	case err != nil:
		return fmt.Errorf("nodelifecycle: evict pod %s: delete: %w", req, err)
	}
	c.log.V(1).Info("Pod evicted", "pod", req, "node", pod.Spec.NodeName)
	c.forgetEviction(req, nil)
	return nil
}

// setDisruptionTarget sets the pod's DisruptionTarget condition to True with the taint
// manager's reason, unless it already is.
func setDisruptionTarget(p *corev1.Pod, now time.Time) {
	cond := corev1.PodCondition{
		Type:               corev1.DisruptionTarget,
		Status:             corev1.ConditionTrue,
		Reason:             ReasonDeletionByTaintManager,
		Message:            MessageDeletionByTaintManager,
		LastTransitionTime: meta.NewTime(now),
	}
	for i := range p.Status.Conditions {
		c := &p.Status.Conditions[i]
		if c.Type != corev1.DisruptionTarget {
			continue
		}
		if c.Status == cond.Status && c.Reason == cond.Reason && c.Message == cond.Message {
			return
		}
		*c = cond
		return
	}
	p.Status.Conditions = append(p.Status.Conditions, cond)
}
