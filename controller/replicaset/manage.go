package replicaset

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/store"
)

// NamespaceTerminatingCause is the status cause of a create refused because its namespace is
// being deleted; the controller does not count such a refusal as a failure.
const NamespaceTerminatingCause meta.CauseType = "NamespaceTerminating"

// Event reasons of successful writes (failures use ReasonFailedCreate and ReasonFailedDelete).
const (
	ReasonSuccessfulCreate = "SuccessfulCreate"
	ReasonSuccessfulDelete = "SuccessfulDelete"
)

// manage creates or deletes pods so that the number of active pods rs controls (pods) moves
// towards spec.replicas, at most the burst per call. It raises the expectations before it
// writes and lowers them for every write that failed or was not attempted, so the next sync
// never counts from a cache that has not seen these writes. It returns whether it was
// creating, and the first error.
func (c *Controller) manage(ctx context.Context, rs *appsv1.ReplicaSet, pods []*corev1.Pod) (creating bool, err error) {
	key := requestOf(&rs.ObjectMeta).String()
	diff := len(pods) - replicasOf(rs)
	switch {
	case diff < 0:
		n := min(-diff, c.burst)
		c.log.V(4).Info("too few replicas", "replicaset", key, "need", -diff, "creating", n)
		c.expectCreations(key, n)
		created, err := slowStart(n, 1, func() error { return c.createPod(ctx, rs, key) })
		for range n - created {
			c.exp.CreationObserved(key)
		}
		return true, err
	case diff > 0:
		n := min(diff, c.burst)
		c.log.V(4).Info("too many replicas", "replicaset", key, "excess", diff, "deleting", n)
		victims := podsToDelete(pods, c.relatedPods(rs, pods), n)
		c.expectDeletions(key, victims)
		return false, c.deletePods(ctx, rs, key, victims)
	}
	return false, nil
}

// slowStart calls fn count times, in batches of growing size (initial, then doubling), the
// calls of a batch in parallel. It stops after the first batch in which a call failed, so a
// systematic failure (quota, invalid template) costs a few calls instead of count. It returns
// the number of calls that succeeded and the first error.
func slowStart(count, initial int, fn func() error) (int, error) {
	done := 0
	for batch := min(count, initial); batch > 0; batch = min(2*batch, count-done) {
		var wg sync.WaitGroup
		errs := make([]error, batch)
		for i := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = fn()
			}()
		}
		wg.Wait()
		ok := 0
		var first error
		for _, err := range errs {
			if err == nil {
				ok++
			} else if first == nil {
				first = err
			}
		}
		if first != nil {
			return done + ok, first
		}
		done += batch
	}
	return done, nil
}

// podFromTemplate returns the pod rs creates: its template's labels, annotations,
// finalizers and spec, a name generated from "<rs>-", and rs as controller.
func podFromTemplate(rs *appsv1.ReplicaSet) (*corev1.Pod, error) {
	t := &rs.Spec.Template
	p := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{
			Namespace:    rs.Namespace,
			GenerateName: rs.Name + "-",
			Labels:       maps.Clone(t.Labels),
			Annotations:  maps.Clone(t.Annotations),
			Finalizers:   slices.Clone(t.Finalizers),
		},
		Spec: *t.Spec.DeepCopy(),
	}
	if err := controller.SetControllerRef(&p.ObjectMeta, &rs.ObjectMeta, kind()); err != nil {
		return nil, err
	}
	return p, nil
}

func (c *Controller) createPod(ctx context.Context, rs *appsv1.ReplicaSet, key string) error {
	p, err := podFromTemplate(rs)
	if err != nil {
		return fmt.Errorf("create pod: %w", err)
	}
	out, err := c.podClient.Create(ctx, p)
	if err != nil {
		if apierrors.HasStatusCause(err, NamespaceTerminatingCause) {
			// Nothing can be created there any more, and nothing will appear.
			c.exp.CreationObserved(key)
			return nil
		}
		c.event(rs, corev1.EventTypeWarning, ReasonFailedCreate, "Error creating: %v", err)
		return fmt.Errorf("create pod: %w", err)
	}
	c.log.V(4).Info("created pod", "replicaset", key, "pod", out.Name)
	c.event(rs, corev1.EventTypeNormal, ReasonSuccessfulCreate, "Created pod: %s", out.Name)
	return nil
}

// deletePods deletes pods in parallel, each with its UID as precondition (a pod deleted and
// recreated under the same name meanwhile is not touched). A pod already gone is no error.
func (c *Controller) deletePods(ctx context.Context, rs *appsv1.ReplicaSet, key string, pods []*corev1.Pod) error {
	var wg sync.WaitGroup
	errs := make([]error, len(pods))
	for i, p := range pods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			uid := p.UID
			_, err := c.podClient.Delete(ctx, p.Namespace, p.Name, store.DeleteOptions{Preconditions: &meta.Preconditions{UID: &uid}})
			switch {
			case err == nil:
				c.log.V(4).Info("deleted pod", "replicaset", key, "pod", p.Name)
				c.event(rs, corev1.EventTypeNormal, ReasonSuccessfulDelete, "Deleted pod: %s", p.Name)
			case apierrors.IsNotFound(err), apierrors.IsConflict(err):
				// Gone already (or replaced by another pod of that name): the event
				// we would wait for may have passed before the expectations were set.
				c.deletionObserved(key, podKey(p))
			default:
				c.deletionObserved(key, podKey(p))
				c.event(rs, corev1.EventTypeWarning, ReasonFailedDelete, "Error deleting: %v", err)
				errs[i] = fmt.Errorf("delete pod %s: %w", p.Name, err)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// relatedPods returns the active pods of rs and of the ReplicaSets with the same controller
// (the other ReplicaSets of its Deployment): the deletion ranking prefers pods on nodes crowded
// with these. A ReplicaSet without a controller is related to itself only.
func (c *Controller) relatedPods(rs *appsv1.ReplicaSet, own []*corev1.Pod) []*corev1.Pod {
	ref := meta.ControllerRef(&rs.ObjectMeta)
	if ref == nil {
		return own
	}
	siblings := map[meta.UID]bool{rs.UID: true}
	for _, o := range c.rsLister.Namespace(rs.Namespace).List(nil) {
		if r := meta.ControllerRef(&o.ObjectMeta); r != nil && r.UID == ref.UID {
			siblings[o.UID] = true
		}
	}
	var out []*corev1.Pod
	if c.podIndexed {
		for uid := range siblings {
			pods, _ := c.pods.ByIndex(podOwnerIndex, ownerKey(uid))
			for _, p := range pods {
				if p.Namespace == rs.Namespace && isActive(p) {
					out = append(out, p)
				}
			}
		}
		return out
	}
	for _, p := range c.pods.Namespace(rs.Namespace).List(nil) {
		if r := meta.ControllerRef(&p.ObjectMeta); r != nil && siblings[r.UID] && isActive(p) {
			out = append(out, p)
		}
	}
	return out
}
