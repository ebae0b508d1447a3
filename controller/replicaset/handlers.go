package replicaset

import (
	"maps"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
)

func requestOf(m *meta.ObjectMeta) controller.Request {
	return controller.Request{Namespace: m.Namespace, Name: m.Name}
}

func (c *Controller) enqueue(r controller.Request, low bool) {
	if low {
		c.ctl.EnqueueLow(r)
	} else {
		c.ctl.Enqueue(r)
	}
}

func (c *Controller) addReplicaSet(rs *appsv1.ReplicaSet, initial bool) {
	c.enqueue(requestOf(&rs.ObjectMeta), initial)
}

func (c *Controller) updateReplicaSet(old, cur *appsv1.ReplicaSet) {
	if old == cur {
		c.enqueue(requestOf(&cur.ObjectMeta), true) // resync
		return
	}
	if old.UID != cur.UID {
		// Deleted and recreated under the same name between two events: the old one's
		// expectations say nothing about the new one.
		c.forget(requestOf(&cur.ObjectMeta).String())
	}
	c.enqueue(requestOf(&cur.ObjectMeta), false)
}

func (c *Controller) deleteReplicaSet(d informer.Deleted[*appsv1.ReplicaSet]) {
	r := requestOf(&d.Object.ObjectMeta)
	c.forget(r.String())
	c.enqueue(r, false)
}

// forget drops the expectations of the ReplicaSet key.
func (c *Controller) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.deleting, key)
	c.exp.Delete(key)
}

// owner returns the ReplicaSet that the controller reference ref (of a pod in namespace ns)
// names, if it is in the cache with the same UID.
func (c *Controller) owner(ns string, ref *meta.OwnerReference) (*appsv1.ReplicaSet, bool) {
	if ref == nil || ref.Kind != "ReplicaSet" {
		return nil, false
	}
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil || gv.Group != appsv1.GroupName {
		return nil, false
	}
	rs, ok := c.rsLister.Namespace(ns).Get(ref.Name)
	if !ok || rs.UID != ref.UID {
		return nil, false
	}
	return rs, true
}

// enqueueMatching enqueues every ReplicaSet of the pod's namespace whose selector matches it:
// the candidates to adopt an orphan.
func (c *Controller) enqueueMatching(p *corev1.Pod, low bool) {
	set := labels.Set(p.Labels)
	for _, rs := range c.rsLister.Namespace(p.Namespace).List(nil) {
		sel, err := labels.LabelSelectorAsSelector(rs.Spec.Selector)
		if err != nil || sel.Empty() || !sel.Matches(set) {
			continue
		}
		c.enqueue(requestOf(&rs.ObjectMeta), low)
	}
}

func (c *Controller) addPod(p *corev1.Pod, initial bool) {
	if c.podEventDone != nil {
		defer c.podEventDone(p)
	}
	if p.DeletionTimestamp != nil {
		// Seen for the first time already being deleted (for example after a restart):
		// counts as a deletion.
		c.podGone(p)
		return
	}
	if ref := meta.ControllerRef(&p.ObjectMeta); ref != nil {
		rs, ok := c.owner(p.Namespace, ref)
		if !ok {
			return
		}
		r := requestOf(&rs.ObjectMeta)
		c.exp.CreationObserved(r.String())
		c.enqueue(r, initial)
		return
	}
	c.enqueueMatching(p, initial)
}

func (c *Controller) updatePod(old, cur *corev1.Pod) {
	if c.podEventDone != nil {
		defer c.podEventDone(cur)
	}
	if old == cur || old.ResourceVersion == cur.ResourceVersion {
		return // resync: pods are re-checked through their ReplicaSet's resync
	}
	labelsChanged := !maps.Equal(old.Labels, cur.Labels)
	if cur.DeletionTimestamp != nil {
		// A graceful deletion started: the pod no longer counts, so its ReplicaSet may
		// replace it now instead of after the grace period.
		c.podGone(cur)
		if labelsChanged {
			c.podGone(old)
		}
		return
	}
	oldRef, curRef := meta.ControllerRef(&old.ObjectMeta), meta.ControllerRef(&cur.ObjectMeta)
	refChanged := !sameRef(oldRef, curRef)
	if refChanged && oldRef != nil {
		if rs, ok := c.owner(old.Namespace, oldRef); ok {
			c.enqueue(requestOf(&rs.ObjectMeta), false)
		}
	}
	if curRef != nil {
		if rs, ok := c.owner(cur.Namespace, curRef); ok {
			c.enqueue(requestOf(&rs.ObjectMeta), false)
		}
		return
	}
	if labelsChanged || refChanged {
		c.enqueueMatching(cur, false)
	}
}

func (c *Controller) deletePod(d informer.Deleted[*corev1.Pod]) {
	if c.podEventDone != nil {
		defer c.podEventDone(d.Object)
	}
	c.podGone(d.Object)
}

// podGone handles a pod that was deleted or started its deletion: it lowers the deletion
// expectations of its ReplicaSet (once per pod) and enqueues it.
func (c *Controller) podGone(p *corev1.Pod) {
	rs, ok := c.owner(p.Namespace, meta.ControllerRef(&p.ObjectMeta))
	if !ok {
		return
	}
	r := requestOf(&rs.ObjectMeta)
	c.deletionObserved(r.String(), podKey(p))
	c.enqueue(r, false)
}

func podKey(p *corev1.Pod) string { return p.Namespace + "/" + p.Name }

func sameRef(a, b *meta.OwnerReference) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.UID == b.UID
}

// expectDeletions sets the expectations of key to the deletion of pods.
func (c *Controller) expectDeletions(key string, pods []*corev1.Pod) {
	set := make(map[string]struct{}, len(pods))
	for _, p := range pods {
		set[podKey(p)] = struct{}{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deleting[key] = set
	c.exp.Expect(key, 0, len(pods))
}

// expectCreations sets the expectations of key to n creations.
func (c *Controller) expectCreations(key string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.deleting, key)
	c.exp.Expect(key, n, 0)
}

// deletionObserved lowers the deletion expectations of key when pod was one it expected to
// go, once.
func (c *Controller) deletionObserved(key, pod string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	set := c.deleting[key]
	if _, ok := set[pod]; ok {
		delete(set, pod)
		c.exp.DeletionObserved(key)
	}
}
