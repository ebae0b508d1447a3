package nodelifecycle

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/store"
)

// Reasons and messages the controller writes on node conditions, as Kubernetes does.
const (
	ReasonNodeStatusUnknown      = "NodeStatusUnknown"
	MessageNodeStatusUnknown     = "Kubelet stopped posting node status."
	ReasonNodeStatusNeverUpdated = "NodeStatusNeverUpdated"
	MessageNodeNeverUpdated      = "Kubelet never posted node status."
)

// conditionsSetUnknown are the conditions set to Unknown when a node stops reporting.
// NetworkUnavailable is left alone: the network plugin owns it.
var conditionsSetUnknown = []corev1.NodeConditionType{
	corev1.NodeReady, corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure,
}

// nodeHealth is what the controller observed of a node's heartbeats. probe is the local time
// (Options.Clock) of the last heartbeat observed: a new lastHeartbeatTime of the Ready
// condition or a newer renewTime of the node's Lease, whichever came last. Comparing local
// observation times, never the node's own clock, keeps clock skew out of the decision.
type nodeHealth struct {
	node       *corev1.Node // the last state seen (shared with the cache: read only)
	probe      time.Time
	hasReady   bool
	readyHB    time.Time
	leaseRenew time.Time
}

// errHeartbeatRaced aborts a status write when the node reported between the cached read and
// the write: the next pass judges it afresh.
var errHeartbeatRaced = errors.New("node posted a heartbeat meanwhile")

func readyCondition(n *corev1.Node) *corev1.NodeCondition {
	for i := range n.Status.Conditions {
		if n.Status.Conditions[i].Type == corev1.NodeReady {
			return &n.Status.Conditions[i]
		}
	}
	return nil
}

// monitor is one pass of the health monitor: update every node's health from its heartbeats,
// mark nodes without a heartbeat for a grace period Unknown, keep the not-ready/unreachable
// taints in line with Ready (queueing new taints behind the zone's rate limit), mark the pods
// of nodes that just stopped reporting not ready, recompute zone states and rates, and run the
// tainting pass. An error on one node does not stop the pass; the errors are joined.
func (c *Controller) monitor(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	nodes := c.nodeInf.Lister().List(nil)
	type count struct{ ready, notReady int }
	counts := map[string]*count{}
	seen := make(map[string]bool, len(nodes))
	var errs []error
	for _, cached := range nodes {
		name := cached.Name
		seen[name] = true
		zk := ZoneKey(cached)
		if counts[zk] == nil {
			counts[zk] = &count{}
		}
		node, observed, err := c.updateHealth(ctx, cached, now)
		if err != nil {
			errs = append(errs, err)
			node = cached
		}
		ready := readyCondition(node)
		if ready != nil && ready.Status == corev1.ConditionTrue {
			counts[zk].ready++
		} else {
			counts[zk].notReady++
		}
		if ready == nil {
			continue // never reported and still within the startup grace period
		}
		if err := c.processTaints(ctx, node, ready.Status, zk, now); err != nil {
			errs = append(errs, err)
		}
		// Mark the pods not ready when this controller flipped Ready away from True (the
		// node agent, which would do it otherwise, is not reporting), or when that failed
		// before.
		switch {
		case ready.Status != corev1.ConditionTrue && observed == corev1.ConditionTrue:
			c.event(node, corev1.EventTypeNormal, "NodeNotReady", "Node %s status is now: NodeNotReady", name)
			fallthrough
		case ready.Status != corev1.ConditionTrue && c.retryPods[name]:
			if err := c.markPodsNotReady(ctx, name, now); err != nil {
				c.retryPods[name] = true
				errs = append(errs, err)
			} else {
				delete(c.retryPods, name)
			}
		default:
			delete(c.retryPods, name)
		}
	}
	for name, h := range c.health {
		if !seen[name] {
			if h.node != nil {
				c.event(h.node, corev1.EventTypeNormal, "RemovingNode", "Removing Node %s from Controller", name)
			}
			delete(c.health, name)
			delete(c.retryPods, name)
			for _, z := range c.zones {
				z.remove(name)
			}
		}
	}
	sizes := map[string][2]int{}
	for zk, n := range counts {
		sizes[zk] = [2]int{n.ready, n.notReady}
	}
	if err := c.handleDisruption(ctx, nodes, sizes, now); err != nil {
		errs = append(errs, err)
	}
	if err := c.taintPassLocked(ctx, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// updateHealth records the node's heartbeats and, when none came for the grace period, sets
// its conditions to Unknown through the status subresource. It returns the node as it is
// now and the Ready status it had before this pass (Unknown when it had no Ready condition).
func (c *Controller) updateHealth(ctx context.Context, node *corev1.Node, now time.Time) (*corev1.Node, corev1.ConditionStatus, error) {
	ready := readyCondition(node)
	observed := corev1.ConditionUnknown
	grace := c.opts.GracePeriod
	if ready != nil {
		observed = ready.Status
	} else {
		grace = c.opts.StartupGracePeriod
	}
	h := c.health[node.Name]
	switch {
	case h == nil, h.node != nil && h.node.UID != node.UID: // new, or recreated under its name
		c.event(node, corev1.EventTypeNormal, "RegisteredNode", "Registered Node %s in Controller", node.Name)
		h = &nodeHealth{probe: now}
		if ready == nil && !node.CreationTimestamp.IsZero() && !node.CreationTimestamp.After(now) {
			// A node that never reported has its startup grace counted from its creation.
			h.probe = node.CreationTimestamp.Time
		}
		c.health[node.Name] = h
	case ready != nil && !h.hasReady, ready == nil && h.hasReady:
		// Ready appeared (the node reported for the first time, or the controller was
		// restarted with the node already known) or vanished: start counting afresh.
		h.probe = now
	case ready != nil && !ready.LastHeartbeatTime.Time.Equal(h.readyHB):
		h.probe = now
	}
	h.node = node
	h.hasReady = ready != nil
	if ready != nil {
		h.readyHB = ready.LastHeartbeatTime.Time
	}
	if lease, ok := c.leaseInf.Lister().Namespace(corev1.NamespaceNodeLease).Get(node.Name); ok && lease.Spec.RenewTime != nil {
		if renew := lease.Spec.RenewTime.Time; h.leaseRenew.IsZero() || renew.After(h.leaseRenew) {
			h.leaseRenew = renew
			h.probe = now
		}
	}
	if !now.After(h.probe.Add(grace)) {
		return node, observed, nil
	}
	probe := node.DeepCopy()
	if !setUnknown(probe, now) {
		return node, observed, nil
	}
	wantHB := meta.Time{}
	if ready != nil {
		wantHB = ready.LastHeartbeatTime
	}
	wrote, prior := false, observed
	updated, err := c.nodeStatus.GuaranteedUpdate(ctx, "", node.Name, func(cur *corev1.Node) (*corev1.Node, error) {
		r := readyCondition(cur)
		switch {
		case r == nil && ready != nil, r != nil && ready == nil:
			return nil, errHeartbeatRaced
		case r != nil && !r.LastHeartbeatTime.Time.Equal(wantHB.Time):
			return nil, errHeartbeatRaced
		}
		// The Ready status before this write, as the store has it: the cache may still show
		// the True this controller already replaced in an earlier pass.
		prior = corev1.ConditionUnknown
		if r != nil {
			prior = r.Status
		}
		wrote = setUnknown(cur, now)
		return cur, nil
	}, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &node.UID}})
	switch {
	case errors.Is(err, errHeartbeatRaced):
		return node, observed, nil
	case apierrors.IsNotFound(err):
		return node, observed, nil
	case err != nil:
		return node, observed, fmt.Errorf("nodelifecycle: mark node %s unknown: %w", node.Name, err)
	}
	if wrote {
		c.log.V(1).Info("Node stopped reporting, conditions set to Unknown", "node", node.Name, "silentFor", now.Sub(h.probe))
	}
	observed = prior
	r := readyCondition(updated)
	h.hasReady = r != nil
	if r != nil {
		h.readyHB = r.LastHeartbeatTime.Time
	}
	return updated, observed, nil
}

// setUnknown sets the conditions a silent node cannot vouch for to Unknown, adding the ones it
// never posted, and reports whether anything changed.
func setUnknown(n *corev1.Node, now time.Time) bool {
	changed := false
	ts := meta.NewTime(now)
	for _, typ := range conditionsSetUnknown {
		var cond *corev1.NodeCondition
		for i := range n.Status.Conditions {
			if n.Status.Conditions[i].Type == typ {
				cond = &n.Status.Conditions[i]
				break
			}
		}
		switch {
		case cond == nil:
			n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{
				Type:               typ,
				Status:             corev1.ConditionUnknown,
				LastHeartbeatTime:  n.CreationTimestamp,
				LastTransitionTime: ts,
				Reason:             ReasonNodeStatusNeverUpdated,
				Message:            MessageNodeNeverUpdated,
			})
			changed = true
		case cond.Status != corev1.ConditionUnknown:
			cond.Status = corev1.ConditionUnknown
			cond.Reason = ReasonNodeStatusUnknown
			cond.Message = MessageNodeStatusUnknown
			cond.LastTransitionTime = ts
			changed = true
		}
	}
	return changed
}

// processTaints keeps the node's not-ready/unreachable taint in line with its Ready status.
// Replacing one by the other, and removing them when the node is ready, happens at once; a
// new taint, which starts evictions, waits in the zone's queue for its rate limiter.
func (c *Controller) processTaints(ctx context.Context, node *corev1.Node, status corev1.ConditionStatus, zk string, now time.Time) error {
	for k, z := range c.zones {
		if k != zk {
			z.remove(node.Name)
		}
	}
	z := c.zone(zk, now)
	add, opposite, unhealthy := taintFor(status)
	if !unhealthy {
		z.remove(node.Name)
		if hasTaint(node.Spec.Taints, &notReadyTaint) || hasTaint(node.Spec.Taints, &unreachableTaint) {
			return c.markReachable(ctx, node.Name, now)
		}
		return nil
	}
	switch {
	case hasTaint(node.Spec.Taints, &opposite):
		if c.fullDisruption {
			return nil
		}
		z.remove(node.Name)
		_, err := c.applyTaint(ctx, node.Name, now)
		return err
	case hasTaint(node.Spec.Taints, &add):
		z.remove(node.Name)
		return nil
	default:
		z.enqueue(node.Name)
		return nil
	}
}

func (c *Controller) zone(zk string, now time.Time) *zone {
	z := c.zones[zk]
	if z == nil {
		r := c.opts.EvictionRate
		if c.fullDisruption {
			r = 0
		}
		z = newZone(r, now)
		if c.fullDisruption {
			z.state = ZoneFullDisruption
		}
		c.zones[zk] = z
	}
	return z
}

// applyTaint gives the node the taint its current Ready status calls for (not-ready for
// False, unreachable for Unknown) and removes the other one, in one write. It reports whether
// it wrote; a node that is ready again or gone is left alone.
func (c *Controller) applyTaint(ctx context.Context, name string, now time.Time) (bool, error) {
	wrote := false
	_, err := c.nodes.GuaranteedUpdate(ctx, "", name, func(cur *corev1.Node) (*corev1.Node, error) {
		wrote = false
		r := readyCondition(cur)
		if r == nil {
			return cur, nil
		}
		add, opposite, ok := taintFor(r.Status)
		if !ok {
			return cur, nil
		}
		taints, changed := swapTaints(cur.Spec.Taints, &add, []corev1.Taint{opposite}, now)
		if changed {
			cur.Spec.Taints = taints
			wrote = true
		}
		return cur, nil
	}, store.UpdateOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("nodelifecycle: taint node %s: %w", name, err)
	}
	if wrote {
		c.log.V(1).Info("Node tainted for eviction", "node", name)
	}
	return wrote, nil
}

// markReachable removes the not-ready and unreachable taints.
func (c *Controller) markReachable(ctx context.Context, name string, now time.Time) error {
	_, err := c.nodes.GuaranteedUpdate(ctx, "", name, func(cur *corev1.Node) (*corev1.Node, error) {
		if taints, changed := swapTaints(cur.Spec.Taints, nil, []corev1.Taint{notReadyTaint, unreachableTaint}, now); changed {
			cur.Spec.Taints = taints
		}
		return cur, nil
	}, store.UpdateOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("nodelifecycle: untaint node %s: %w", name, err)
	}
	return nil
}

// handleDisruption recomputes the zone states from the Ready counts ([ready, notReady] per
// zone) and sets the zones' rates. When every zone is fully disrupted the controller assumes
// it is itself cut off from the nodes: it removes the not-ready/unreachable taints everywhere
// (which cancels pending evictions) and stops tainting until some node is ready again; then
// every node gets a fresh grace period.
func (c *Controller) handleDisruption(ctx context.Context, nodes []*corev1.Node, counts map[string][2]int, now time.Time) error {
	for zk := range c.zones {
		if _, ok := counts[zk]; !ok {
			delete(c.zones, zk)
		}
	}
	states := make(map[string]ZoneState, len(counts))
	allFull := len(counts) > 0
	for zk, n := range counts {
		s := ComputeZoneState(n[0], n[1], c.opts.UnhealthyZoneThreshold)
		states[zk] = s
		if s != ZoneFullDisruption {
			allFull = false
		}
	}
	var errs []error
	switch {
	case allFull:
		if !c.fullDisruption {
			c.log.Info("No node is ready in any zone: assuming the control plane is cut off, stopping evictions")
			c.fullDisruption = true
		}
		// Every pass, so that a removal that failed is retried.
		for _, n := range nodes {
			for _, z := range c.zones {
				z.remove(n.Name)
			}
			if hasTaint(n.Spec.Taints, &notReadyTaint) || hasTaint(n.Spec.Taints, &unreachableTaint) {
				if err := c.markReachable(ctx, n.Name, now); err != nil {
					errs = append(errs, err)
				}
			}
		}
		for zk, n := range counts {
			z := c.zone(zk, now)
			z.state, z.size = ZoneFullDisruption, n[0]+n[1]
			if z.rate != 0 {
				z.setRate(0, now)
			}
		}
		return errors.Join(errs...)
	case c.fullDisruption:
		c.log.Info("Some nodes are ready again: leaving full disruption, every node gets a fresh grace period")
		c.fullDisruption = false
		for _, h := range c.health {
			h.probe = now
		}
	}
	for zk, n := range counts {
		z := c.zone(zk, now)
		size := n[0] + n[1]
		if z.state != states[zk] {
			c.log.Info("Zone changed state", "zone", zk, "from", z.state, "to", states[zk], "notReady", n[1], "nodes", size)
		}
		z.state, z.size = states[zk], size
		if r := EvictionRate(z.state, size, c.opts); r != z.rate {
			z.setRate(r, now)
		}
	}
	return errors.Join(errs...)
}

// taintPass applies the queued taints as the zones' token buckets allow.
func (c *Controller) taintPass(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.taintPassLocked(ctx, c.clock.Now())
}

func (c *Controller) taintPassLocked(ctx context.Context, now time.Time) error {
	if c.fullDisruption {
		return nil
	}
	keys := make([]string, 0, len(c.zones))
	for zk := range c.zones {
		keys = append(keys, zk)
	}
	sort.Strings(keys)
	var errs []error
	for _, zk := range keys {
		z := c.zones[zk]
		for len(z.queue) > 0 && z.rate > 0 {
			name := z.queue[0]
			r := z.limiter.ReserveN(now, 1)
			if !r.OK() || r.DelayFrom(now) > 0 {
				r.CancelAt(now)
				break
			}
			z.remove(name)
			// applyTaint decides on the node as the store has it now (the cache may not
			// show this pass's own status write yet).
			wrote, err := c.applyTaint(ctx, name, now)
			if err != nil {
				errs = append(errs, err) // the next monitor pass queues it again
			}
			if !wrote {
				r.CancelAt(now) // gone, healthy again or already tainted: no token spent
			}
		}
	}
	return errors.Join(errs...)
}

// nextTaint returns how long until some zone's token bucket allows its next queued node.
func (c *Controller) nextTaint() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fullDisruption {
		return 0, false
	}
	now := c.clock.Now()
	best, found := time.Duration(0), false
	for _, z := range c.zones {
		if len(z.queue) == 0 || z.rate <= 0 {
			continue
		}
		missing := 1 - z.limiter.TokensAt(now)
		d := time.Duration(0)
		if missing > 0 {
			d = time.Duration(missing / z.rate * float64(time.Second))
			if d <= 0 {
				d = time.Nanosecond
			}
		}
		if !found || d < best {
			best, found = d, true
		}
	}
	if found && best <= 0 {
		best = time.Nanosecond
	}
	return best, found
}

// markPodsNotReady sets the Ready condition of every pod on the node to False (pods without
// a Ready condition are left alone), through the status subresource.
func (c *Controller) markPodsNotReady(ctx context.Context, node string, now time.Time) error {
	pods, err := c.podInf.Lister().ByIndex(podsByNode, node)
	if err != nil {
		return fmt.Errorf("nodelifecycle: mark pods of node %s not ready: %w", node, err)
	}
	var errs []error
	for _, p := range pods {
		if !podReadyNotFalse(p) {
			continue
		}
		wrote := false
		updated, err := c.podStatus.GuaranteedUpdate(ctx, p.Namespace, p.Name, func(cur *corev1.Pod) (*corev1.Pod, error) {
			wrote = false
			if cur.Spec.NodeName != node {
				return cur, nil
			}
			for i := range cur.Status.Conditions {
				cond := &cur.Status.Conditions[i]
				if cond.Type == corev1.PodReady && cond.Status != corev1.ConditionFalse {
					cond.Status = corev1.ConditionFalse
					cond.LastTransitionTime = meta.NewTime(now)
					wrote = true
					break
				}
			}
			return cur, nil
		}, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &p.UID}})
		switch {
		case apierrors.IsNotFound(err), apierrors.IsConflict(err):
			// Gone, or replaced by another pod of the same name (the UID precondition;
			// GuaranteedUpdate retries resourceVersion conflicts itself).
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("nodelifecycle: mark pod %s/%s not ready: %w", p.Namespace, p.Name, err))
			continue
		}
		if wrote {
			c.event(updated, corev1.EventTypeWarning, "NodeNotReady", "Node is not ready")
		}
	}
	return errors.Join(errs...)
}

func podReadyNotFalse(p *corev1.Pod) bool {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == corev1.PodReady {
			return p.Status.Conditions[i].Status != corev1.ConditionFalse
		}
	}
	return false
}

func (c *Controller) event(obj runtime.MetaObject, typ, reason, format string, args ...any) {
	if c.opts.Events != nil {
		c.opts.Events.Eventf(obj, typ, reason, format, args...)
	}
}

// reconcileNode gives the node the NoSchedule taints its conditions call for (see
// ConditionTaints) and removes the managed ones they no longer call for.
func (c *Controller) reconcileNode(ctx context.Context, req controller.Request) (controller.Result, error) {
	n, ok := c.nodeInf.Lister().Get(req.Name)
	if !ok {
		return controller.Result{}, nil
	}
	if _, changed := syncConditionTaints(n.Spec.Taints, ConditionTaints(n)); !changed {
		return controller.Result{}, nil
	}
	_, err := c.nodes.GuaranteedUpdate(ctx, "", req.Name, func(cur *corev1.Node) (*corev1.Node, error) {
		if taints, changed := syncConditionTaints(cur.Spec.Taints, ConditionTaints(cur)); changed {
			cur.Spec.Taints = taints
		}
		return cur, nil
	}, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &n.UID}})
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return controller.Result{}, nil // gone or replaced: its own events follow
	}
	if err != nil {
		return controller.Result{}, fmt.Errorf("nodelifecycle: condition taints of node %s: %w", req.Name, err)
	}
	return controller.Result{}, nil
}
