package scenario

import (
	"context"
	"errors"
	"fmt"
	"sync"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/examples/orchestrator/cluster"
	"github.com/cellkit/cellkit/store"
)

// Monitor watches the pods and ReplicaSets of one namespace and checks invariants at every
// state it observes (every revision of the watch stream), not only at the end of a step:
//
//   - a pod never moves: once bound, its node never changes (so a pod never runs on two nodes);
//   - while a rollout is being checked (Expect), the ReplicaSets of the deployment never ask
//     for more than replicas + maxSurge pods in total, and the pods that are available (ready,
//     not being deleted) never drop below replicas - maxUnavailable.
//
// Violations are collected and returned by Stop or Violations.
type Monitor struct {
	mu         sync.Mutex
	pods       map[string]*corev1.Pod        // by name
	rss        map[string]*appsv1.ReplicaSet // by name
	boundTo    map[string]string             // pod UID -> node it was first seen bound to
	violations []string
	rollout    *rolloutBounds
	minAvail   int
	maxTotal   int32
	events     int

	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

type rolloutBounds struct {
	selector              labels.Selector
	deployment            string
	minAvailable, maxPods int32
}

// StartMonitor starts watching namespace of s from its current revision.
func StartMonitor(ctx context.Context, s store.Interface, namespace string) (*Monitor, error) {
	pods, err := s.List(ctx, cluster.PodsResource, namespace, store.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("start monitor: %w", err)
	}
	rss, err := s.List(ctx, cluster.ReplicaSetsResource, namespace, store.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("start monitor: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	pw, err := s.Watch(ctx, cluster.PodsResource, namespace, store.WatchOptions{Revision: pods.Revision})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("start monitor: %w", err)
	}
	rw, err := s.Watch(ctx, cluster.ReplicaSetsResource, namespace, store.WatchOptions{Revision: rss.Revision})
	if err != nil {
		cancel()
		pw.Stop()
		return nil, fmt.Errorf("start monitor: %w", err)
	}
	m := &Monitor{pods: map[string]*corev1.Pod{}, rss: map[string]*appsv1.ReplicaSet{}, boundTo: map[string]string{},
		cancel: cancel, done: make(chan struct{})}
	for _, o := range pods.Items {
		m.observe(o, false)
	}
	for _, o := range rss.Items {
		m.observe(o, false)
	}
	go m.run(ctx, pw, rw)
	return m, nil
}

func (m *Monitor) run(ctx context.Context, pw, rw watch.Interface[runtime.Object]) {
	defer close(m.done)
	defer pw.Stop()
	defer rw.Stop()
	for {
		var ev watch.Event[runtime.Object]
		var ok bool
		select {
		case <-ctx.Done():
			return
		case ev, ok = <-pw.ResultChan():
		case ev, ok = <-rw.ResultChan():
		}
		if !ok {
			if ctx.Err() == nil {
				m.setErr(errors.New("monitor: watch ended"))
			}
			return
		}
		switch ev.Type {
		case watch.Error:
			m.setErr(fmt.Errorf("monitor: watch failed: %v", ev.Status))
			return
		case watch.Bookmark:
			continue
		}
		mo, isMeta := ev.Object.(runtime.MetaObject)
		if !isMeta {
			continue
		}
		m.observe(mo, ev.Type == watch.Deleted)
	}
}

func (m *Monitor) setErr(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err == nil {
		m.err = err
	}
}

func (m *Monitor) observe(o runtime.MetaObject, deleted bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events++
	switch o := o.(type) {
	case *corev1.Pod:
		if deleted {
			delete(m.pods, o.Name)
		} else {
			m.pods[o.Name] = o
		}
		if o.Spec.NodeName != "" {
			if prev, seen := m.boundTo[string(o.UID)]; seen && prev != o.Spec.NodeName {
				m.violations = append(m.violations, fmt.Sprintf("pod %s (uid %s) moved from %s to %s", o.Name, o.UID, prev, o.Spec.NodeName))
			} else if !seen {
				m.boundTo[string(o.UID)] = o.Spec.NodeName
			}
		}
	case *appsv1.ReplicaSet:
		if deleted {
			delete(m.rss, o.Name)
		} else {
			m.rss[o.Name] = o
		}
	}
	m.check()
}

// check tests the rollout bounds against the current state; m.mu is held.
func (m *Monitor) check() {
	b := m.rollout
	if b == nil {
		return
	}
	var total int32
	for _, rs := range m.rss {
		if ref := meta.ControllerRef(&rs.ObjectMeta); ref != nil && ref.Kind == "Deployment" && ref.Name == b.deployment && rs.DeletionTimestamp == nil {
			if rs.Spec.Replicas != nil {
				total += *rs.Spec.Replicas
			} else {
				total++
			}
		}
	}
	avail := 0
	for _, p := range m.pods {
		if b.selector.Matches(labels.Set(p.Labels)) && p.DeletionTimestamp == nil && p.Status.Phase == corev1.PodRunning && cluster.PodReady(p) {
			avail++
		}
	}
	if total > m.maxTotal {
		m.maxTotal = total
	}
	if avail < m.minAvail {
		m.minAvail = avail
	}
	if total > b.maxPods {
		m.violations = append(m.violations, fmt.Sprintf("replicasets of %s ask for %d pods, more than replicas+maxSurge=%d", b.deployment, total, b.maxPods))
	}
	if int32(avail) < b.minAvailable {
		m.violations = append(m.violations, fmt.Sprintf("only %d pods of %s available, fewer than replicas-maxUnavailable=%d", avail, b.deployment, b.minAvailable))
	}
}

// Expect starts checking the rollout bounds of deployment d (its replicas, maxSurge and
// maxUnavailable) at every observed state, until Release. It fails when the state already
// violates them.
func (m *Monitor) Expect(d *appsv1.Deployment) error {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	surge, unavail := intstr.FromString("25%"), intstr.FromString("25%")
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
		if ru.MaxSurge != nil {
			surge = *ru.MaxSurge
		}
		if ru.MaxUnavailable != nil {
			unavail = *ru.MaxUnavailable
		}
	}
	s, err := intstr.ScaledValue(&surge, int(want), true)
	if err != nil {
		return fmt.Errorf("expect rollout of %s: %w", d.Name, err)
	}
	u, err := intstr.ScaledValue(&unavail, int(want), false)
	if err != nil {
		return fmt.Errorf("expect rollout of %s: %w", d.Name, err)
	}
	if s == 0 && u == 0 {
		u = 1 // Kubernetes' rule: both zero means one may be unavailable
	}
	sel, err := labels.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return fmt.Errorf("expect rollout of %s: %w", d.Name, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rollout = &rolloutBounds{selector: sel, deployment: d.Name, minAvailable: want - int32(u), maxPods: want + int32(s)}
	m.minAvail, m.maxTotal = int(^uint(0)>>1), 0
	before := len(m.violations)
	m.check()
	if len(m.violations) > before {
		return fmt.Errorf("expect rollout of %s: already violated: %s", d.Name, m.violations[before])
	}
	return nil
}

// Release stops checking rollout bounds and returns the extremes observed while checking: the
// fewest available pods and the most pods asked for.
func (m *Monitor) Release() (minAvailable int, maxPods int32) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rollout = nil
	return m.minAvail, m.maxTotal
}

// Violations returns the invariant violations seen so far, and the monitor's own failure.
func (m *Monitor) Violations() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.violations...), m.err
}

// Events is how many object states the monitor has checked.
func (m *Monitor) Events() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.events
}

// Stop ends the watch and returns the violations seen, and the monitor's own failure.
func (m *Monitor) Stop() ([]string, error) {
	m.cancel()
	<-m.done
	return m.Violations()
}
