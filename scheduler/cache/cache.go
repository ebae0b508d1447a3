package cache

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// DefaultAssumedTTL is how long an assumed pod whose binding finished may stay unconfirmed
// by the informer before the cache forgets it.
const DefaultAssumedTTL = 30 * time.Second

// Options configure a Cache. The zero value uses the real clock and DefaultAssumedTTL.
type Options struct {
	// Clock measures the assumed-pod TTL.
	Clock clock.Clock
	// AssumedTTL is the time after FinishBinding an assumed pod expires if the informer never
	// confirms it; 0 means DefaultAssumedTTL, negative means never.
	AssumedTTL time.Duration
}

// Errors of the cache, for errors.Is.
var (
	// ErrAssumed: the pod is already assumed or known.
	ErrAssumed = errors.New("pod already in cache")
	// ErrNotAssumed: the pod is not an assumed pod.
	ErrNotAssumed = errors.New("pod is not assumed")
	// ErrNoNode: an assumed pod has no spec.nodeName.
	ErrNoNode = errors.New("pod has no node name")
)

type podState struct {
	pod *corev1.Pod
	// pi is the pod's PodInfo in the snapshot (pi.Pod == pod).
	pi       *framework.PodInfo
	assumed  bool
	deadline time.Time // set by FinishBinding; zero while binding is in flight
}

// Cache is the scheduler's cluster state: nodes and bound pods as the informers report them,
// plus assumed pods — placed by a scheduling decision before the binding is observed, so the
// next decision already accounts for them. It owns a framework.Snapshot that it updates
// incrementally with every change.
//
// All methods are safe for concurrent use: informer handlers call the Add/Update/Remove
// methods while the scheduling loop runs cycles inside Do, which holds the cache's lock for
// the duration of the cycle.
type Cache struct {
	mu   sync.Mutex
	opts Options
	snap *framework.Snapshot
	pods map[string]*podState // by key namespace/name

	// finished holds the assumed pods whose FinishBinding came while the lock was taken (a
	// cycle in progress); the next Do or Cleanup applies them. hasFinished says it is not
	// empty, so that those need not take finMu otherwise.
	finMu       sync.Mutex
	finished    []*corev1.Pod
	hasFinished atomic.Bool
}

// New returns an empty cache.
func New(opts Options) *Cache {
	if opts.Clock == nil {
		opts.Clock = clock.Real()
	}
	if opts.AssumedTTL == 0 {
		opts.AssumedTTL = DefaultAssumedTTL
	}
	return &Cache{opts: opts, snap: framework.NewSnapshot(), pods: map[string]*podState{}}
}

func key(p *corev1.Pod) string { return p.Namespace + "/" + p.Name }

// Do runs fn with the snapshot, under the cache's lock: fn must not keep the snapshot or call
// other Cache methods. A scheduling cycle runs inside Do.
func (c *Cache) Do(fn func(s *framework.Snapshot)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyFinishedLocked()
	fn(c.snap)
}

// Generation is the snapshot's generation.
func (c *Cache) Generation() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap.Generation()
}

// AssumePod places pod (with spec.nodeName set to the chosen node) in the cache before it is
// bound.
func (c *Cache) AssumePod(pod *corev1.Pod) error {
	if pod.Spec.NodeName == "" {
		return fmt.Errorf("assume pod %s: %w", key(pod), ErrNoNode)
	}
	pi, err := framework.NewPodInfo(pod)
	if err != nil {
		return fmt.Errorf("assume pod %s: %w", key(pod), err)
	}
	_, err = c.AssumePodInfo(pi, false)
	return err
}

// AssumePodInfo is AssumePod for a pod whose PodInfo the caller already derived (pi.Pod has
// spec.nodeName set; the cache keeps pi, which must not be modified afterwards). With view
// set it also returns the view of the pod's node right after the placement (see NodePods),
// taken under the same lock.
func (c *Cache) AssumePodInfo(pi *framework.PodInfo, view bool) (NodeView, error) {
	pod := pi.Pod
	if pod.Spec.NodeName == "" {
		return NodeView{}, fmt.Errorf("assume pod %s: %w", key(pod), ErrNoNode)
	}
	k := key(pod)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.pods[k]; ok {
		return NodeView{}, fmt.Errorf("assume pod %s: %w", k, ErrAssumed)
	}
	if err := c.snap.AddPod(pi); err != nil {
		return NodeView{}, fmt.Errorf("assume pod %s: %w", k, err)
	}
	c.pods[k] = &podState{pod: pod, pi: pi, assumed: true}
	if !view {
		return NodeView{}, nil
	}
	v, _ := c.nodePodsLocked(pod.Spec.NodeName)
	return v, nil
}

// FinishBinding starts the expiry clock of an assumed pod whose binding call returned.
//
// When the cache is busy (a cycle holds its lock), the call does not wait: the pod is recorded
// and the next Do or Cleanup starts its clock, if it is still assumed then as this very object
// (not confirmed, forgotten or assumed anew meanwhile); the call then returns nil.
func (c *Cache) FinishBinding(pod *corev1.Pod) error {
	if !c.mu.TryLock() {
		c.finMu.Lock()
		c.finished = append(c.finished, pod)
		c.hasFinished.Store(true)
		c.finMu.Unlock()
		return nil
	}
	defer c.mu.Unlock()
	ps, ok := c.pods[key(pod)]
	if !ok || !ps.assumed {
		return fmt.Errorf("finish binding %s: %w", key(pod), ErrNotAssumed)
	}
	if c.opts.AssumedTTL > 0 {
		ps.deadline = c.opts.Clock.Now().Add(c.opts.AssumedTTL)
	}
	return nil
}

// applyFinishedLocked applies the FinishBinding calls recorded while the lock was taken.
// Callers hold c.mu.
func (c *Cache) applyFinishedLocked() {
	if !c.hasFinished.Load() {
		return
	}
	c.finMu.Lock()
	fin := c.finished
	c.finished = nil
	c.hasFinished.Store(false)
	c.finMu.Unlock()
	var now time.Time
	for _, pod := range fin {
		ps, ok := c.pods[key(pod)]
		if !ok || !ps.assumed || ps.pod != pod || c.opts.AssumedTTL <= 0 {
			continue
		}
		if now.IsZero() {
			now = c.opts.Clock.Now()
		}
		ps.deadline = now.Add(c.opts.AssumedTTL)
	}
}

// ForgetPod removes an assumed pod (its binding failed).
func (c *Cache) ForgetPod(pod *corev1.Pod) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps, ok := c.pods[key(pod)]
	if !ok || !ps.assumed {
		return fmt.Errorf("forget pod %s: %w", key(pod), ErrNotAssumed)
	}
	delete(c.pods, key(pod))
	if err := c.snap.RemovePod(ps.pod); err != nil {
		return fmt.Errorf("forget pod %s: %w", key(pod), err)
	}
	return nil
}

// IsAssumed reports whether the pod is assumed and not yet confirmed.
func (c *Cache) IsAssumed(pod *corev1.Pod) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps, ok := c.pods[key(pod)]
	return ok && ps.assumed
}

func terminal(p *corev1.Pod) bool {
	return p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
}

// AddPod records a pod the informer reports. Unbound and terminated pods are ignored. An
// assumed pod is confirmed (and moved if it was bound to another node than assumed).
func (c *Cache) AddPod(pod *corev1.Pod) error {
	if pod.Spec.NodeName == "" || terminal(pod) {
		return nil
	}
	k := key(pod)
	c.mu.Lock()
	if ps, ok := c.pods[k]; ok && ps.pi != nil && sameForSnapshot(ps.pod, pod) {
		// The informer confirms an assumed pod (or reports a change the snapshot does not
		// depend on, such as status): the node's aggregates stay as they are, the snapshot's
		// PodInfo gets the new object, and the node is not marked changed, so caches keyed
		// on the node's generation stay valid.
		ps.pi.Pod = pod
		ps.pod, ps.assumed, ps.deadline = pod, false, time.Time{}
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	pi, err := framework.NewPodInfo(pod)
	if err != nil {
		return fmt.Errorf("add pod %s: %w", k, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if ps, ok := c.pods[k]; ok {
		if err := c.snap.RemovePod(ps.pod); err != nil {
			return fmt.Errorf("add pod %s: %w", k, err)
		}
	}
	if err := c.snap.AddPod(pi); err != nil {
		return fmt.Errorf("add pod %s: %w", k, err)
	}
	c.pods[k] = &podState{pod: pod, pi: pi}
	return nil
}

// sameForSnapshot reports whether next, a new state of the pod old (the one the snapshot
// holds), leaves everything the snapshot derives from a pod unchanged: same UID and node, same
// spec (requests, ports, affinity, volumes) and labels, neither being deleted. Status and the
// rest of the metadata may differ: readers of the snapshot get them from the pod object.
func sameForSnapshot(old, next *corev1.Pod) bool {
	return old.UID == next.UID && old.Spec.NodeName == next.Spec.NodeName &&
		old.DeletionTimestamp == nil && next.DeletionTimestamp == nil &&
		maps.Equal(old.Labels, next.Labels) && reflect.DeepEqual(&old.Spec, &next.Spec)
}

// UpdatePod applies a pod change the informer reports (it may bind, move, finish or change
// the pod's requests and labels).
func (c *Cache) UpdatePod(_, pod *corev1.Pod) error {
	if pod.Spec.NodeName == "" || terminal(pod) {
		return c.RemovePod(pod)
	}
	return c.AddPod(pod)
}

// RemovePod removes a pod (deleted, or terminated); removing an unknown pod is not an error.
func (c *Cache) RemovePod(pod *corev1.Pod) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps, ok := c.pods[key(pod)]
	if !ok {
		return nil
	}
	delete(c.pods, key(pod))
	if err := c.snap.RemovePod(ps.pod); err != nil {
		return fmt.Errorf("remove pod %s: %w", key(pod), err)
	}
	return nil
}

// AddNode records a node.
func (c *Cache) AddNode(n *corev1.Node) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.snap.Get(n.Name); ok {
		return c.snap.UpdateNode(n)
	}
	return c.snap.AddNode(n)
}

// UpdateNode records a node change.
func (c *Cache) UpdateNode(_, n *corev1.Node) error { return c.AddNode(n) }

// RemoveNode forgets a node; its pods stay known and count again if it comes back.
func (c *Cache) RemoveNode(n *corev1.Node) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.snap.RemoveNode(n.Name); err != nil {
		return err
	}
	// Pods bound to the node are kept under their node name so that they count if the node
	// returns, as the snapshot does for pods seen before their node.
	for _, ps := range c.pods {
		if ps.pod.Spec.NodeName == n.Name {
			pi, err := framework.NewPodInfo(ps.pod)
			if err != nil {
				return err
			}
			if err := c.snap.AddPod(pi); err != nil {
				return err
			}
			ps.pi = pi
		}
	}
	return nil
}

// SetNamespace and SetPDB forward namespaces (for namespace selectors) and budgets (for
// preemption) to the snapshot.
func (c *Cache) SetNamespace(ns *corev1.Namespace) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.snap.SetNamespace(ns)
}

// RemoveNamespace forgets a namespace.
func (c *Cache) RemoveNamespace(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.snap.RemoveNamespace(name)
}

// SetPDB records a PodDisruptionBudget.
func (c *Cache) SetPDB(pdb *policyv1.PodDisruptionBudget) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.snap.SetPDB(pdb)
}

// RemovePDB forgets a PodDisruptionBudget.
func (c *Cache) RemovePDB(namespace, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.snap.RemovePDB(namespace, name)
}

// Cleanup forgets assumed pods whose binding finished more than the TTL ago without the
// informer confirming them, and returns them.
func (c *Cache) Cleanup() ([]*corev1.Pod, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.applyFinishedLocked()
	now := c.opts.Clock.Now()
	var expired []*corev1.Pod
	for k, ps := range c.pods {
		if !ps.assumed || ps.deadline.IsZero() || now.Before(ps.deadline) {
			continue
		}
		delete(c.pods, k)
		if err := c.snap.RemovePod(ps.pod); err != nil {
			return expired, fmt.Errorf("expire pod %s: %w", k, err)
		}
		expired = append(expired, ps.pod)
	}
	return expired, nil
}

// NodePod is a pod the cache places on a node.
type NodePod struct {
	// Pod is the cache's object (shared: do not modify).
	Pod *corev1.Pod
	// Requests are the pod's requests as the cache computed them (framework.PodRequests
	// without defaults; shared: do not modify).
	Requests framework.Resource
	// Assumed: placed by this scheduler and not yet confirmed bound by the informer.
	Assumed bool
}

// NodeView is a node as the cache knows it, for readers outside a scheduling cycle.
type NodeView struct {
	// Node is the cache's object (shared: do not modify).
	Node *corev1.Node
	// Allocatable is the node's allocatable resources (the caller's own).
	Allocatable framework.Resource
	// Pods are the pods on the node, assumed ones included, terminated ones not.
	Pods []NodePod
}

// NodePods returns the node and the pods on it, as the cache knows them; ok is false when the
// cache does not know the node. It waits for a cycle in progress (the cache's lock).
func (c *Cache) NodePods(name string) (view NodeView, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nodePodsLocked(name)
}

func (c *Cache) nodePodsLocked(name string) (NodeView, bool) {
	ni, found := c.snap.Get(name)
	if !found || ni.Node() == nil {
		return NodeView{}, false
	}
	pods := make([]NodePod, 0, len(ni.Pods))
	for _, pi := range ni.Pods {
		ps := c.pods[key(pi.Pod)]
		pods = append(pods, NodePod{Pod: pi.Pod, Requests: pi.Requests, Assumed: ps != nil && ps.assumed})
	}
	return NodeView{Node: ni.Node(), Allocatable: ni.Allocatable.Clone(), Pods: pods}, true
}
