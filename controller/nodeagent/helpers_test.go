package nodeagent_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/apis"
	coordv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// t0 is the fake clock's start, on a whole second.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const waitTimeout = 30 * time.Second

// env is a memory store behind the registry, a fake clock, and agents on hollow runtimes.
type env struct {
	t      *testing.T
	ctx    context.Context
	clk    *clock.Fake
	s      store.Interface
	pods   store.Typed[*corev1.Pod]
	nodes  store.Typed[*corev1.Node]
	leases store.Typed[*coordv1.Lease]
}

func newEnv(t *testing.T) *env {
	t.Helper()
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(t0)
	backend, err := memory.New(memory.Options{Resources: res, Clock: clk, MaxHistoryAge: -1})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.New(backend, registry.Options{Scheme: scheme, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	// A first write, so that lists report a revision above 0 and watches from it miss nothing.
	for _, ns := range []string{"default", nodeagent.LeaseNamespace} {
		if _, err := store.For[*corev1.Namespace](reg, schema.GroupResource{Resource: "namespaces"}).Create(ctx,
			&corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: ns}}); err != nil {
			t.Fatal(err)
		}
	}
	return &env{
		t: t, ctx: ctx, clk: clk, s: reg,
		pods:   store.For[*corev1.Pod](reg, nodeagent.PodsResource),
		nodes:  store.For[*corev1.Node](reg, nodeagent.NodesResource),
		leases: store.For[*coordv1.Lease](reg, nodeagent.LeasesResource),
	}
}

// running is an agent running in the background.
type running struct {
	agent  *nodeagent.Agent
	rt     *hollow.Runtime
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// stop stops the agent and waits for Run to return.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.once.Do(func() {
		r.cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(waitTimeout):
			t.Fatal("Run did not return after its context ended")
		}
	})
}

func (e *env) newRuntime(opts hollow.Options) *hollow.Runtime {
	e.t.Helper()
	opts.Clock = e.clk
	rt, err := hollow.New(opts)
	if err != nil {
		e.t.Fatal(err)
	}
	return rt
}

// start runs an agent for node (with a fresh hollow runtime when opts.Runtime is nil) and waits
// for its Node and Lease.
func (e *env) start(node string, opts nodeagent.Options, rtOpts hollow.Options) *running {
	e.t.Helper()
	opts.NodeName = node
	opts.Clock = e.clk
	var rt *hollow.Runtime
	if opts.Runtime == nil {
		rt = e.newRuntime(rtOpts)
		opts.Runtime = rt
	} else if h, ok := opts.Runtime.(*hollow.Runtime); ok {
		rt = h
	}
	a, err := nodeagent.New(e.s, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(e.ctx)
	r := &running{agent: a, rt: rt, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- a.Run(ctx) }()
	e.t.Cleanup(func() { r.stop(e.t) })
	e.waitLease(node, func(l *coordv1.Lease) bool { return true })
	return r
}

// waitFor watches resource objects of one kind until cond holds for the named object (nil
// when it does not exist), failing the test after waitTimeout. It never sleeps.
func waitFor[T runtime.MetaObject](e *env, typed store.Typed[T], ns, name string, what string, cond func(obj T, exists bool) bool) T {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, waitTimeout)
	defer cancel()
	var zero T
	l, err := typed.List(ctx, ns, store.ListOptions{})
	if err != nil {
		e.t.Fatalf("list: %v", err)
	}
	var last T
	exists := false
	for _, it := range l.Items {
		if it.GetObjectMeta().Name == name {
			last, exists = it, true
		}
	}
	if cond(last, exists) {
		return last
	}
	w, err := typed.Watch(ctx, ns, store.WatchOptions{Revision: l.Revision})
	if err != nil {
		e.t.Fatalf("watch: %v", err)
	}
	defer w.Stop()
	for {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				e.t.Fatalf("watch ended while waiting for %s %s/%s", what, ns, name)
			}
			if ev.Type == watch.Error || ev.Type == watch.Bookmark {
				continue
			}
			if ev.Object.GetObjectMeta().Name != name {
				continue
			}
			if ev.Type == watch.Deleted {
				if cond(zero, false) {
					return ev.Object
				}
				continue
			}
			if cond(ev.Object, true) {
				return ev.Object
			}
			last, exists = ev.Object, true
		case <-ctx.Done():
			e.t.Fatalf("timed out waiting for %s of %s/%s; last state: %s", what, ns, name, describe(last, exists))
			return zero
		}
	}
}

func describe(obj any, exists bool) string {
	if !exists {
		return "<absent>"
	}
	if p, ok := obj.(*corev1.Pod); ok {
		return podSummary(p)
	}
	return fmt.Sprintf("%+v", obj)
}

func podSummary(p *corev1.Pod) string {
	var b strings.Builder
	fmt.Fprintf(&b, "phase=%s reason=%s", p.Status.Phase, p.Status.Reason)
	for _, c := range p.Status.Conditions {
		fmt.Fprintf(&b, " %s=%s", c.Type, c.Status)
	}
	for _, cs := range p.Status.ContainerStatuses {
		fmt.Fprintf(&b, " [%s restarts=%d ready=%v", cs.Name, cs.RestartCount, cs.Ready)
		switch {
		case cs.State.Waiting != nil:
			fmt.Fprintf(&b, " waiting %s %q", cs.State.Waiting.Reason, cs.State.Waiting.Message)
		case cs.State.Running != nil:
			fmt.Fprintf(&b, " running since %s", cs.State.Running.StartedAt.Format(time.RFC3339))
		case cs.State.Terminated != nil:
			fmt.Fprintf(&b, " terminated %d %s", cs.State.Terminated.ExitCode, cs.State.Terminated.Reason)
		}
		b.WriteString("]")
	}
	return b.String()
}

func (e *env) waitPod(ns, name, what string, cond func(p *corev1.Pod) bool) *corev1.Pod {
	e.t.Helper()
	return waitFor(e, e.pods, ns, name, what, func(p *corev1.Pod, ok bool) bool { return ok && cond(p) })
}

func (e *env) waitPodGone(ns, name string) {
	e.t.Helper()
	waitFor(e, e.pods, ns, name, "removal", func(_ *corev1.Pod, ok bool) bool { return !ok })
}

func (e *env) waitLease(node string, cond func(l *coordv1.Lease) bool) *coordv1.Lease {
	e.t.Helper()
	return waitFor(e, e.leases, nodeagent.LeaseNamespace, node, "lease", func(l *coordv1.Lease, ok bool) bool { return ok && cond(l) })
}

func (e *env) waitNode(node, what string, cond func(n *corev1.Node) bool) *corev1.Node {
	e.t.Helper()
	return waitFor(e, e.nodes, "", node, what, func(n *corev1.Node, ok bool) bool { return ok && cond(n) })
}

// createPod creates a pod bound to node (no scheduler in these tests).
func (e *env) createPod(p *corev1.Pod) *corev1.Pod {
	e.t.Helper()
	out, err := e.pods.Create(e.ctx, p)
	if err != nil {
		e.t.Fatalf("create pod %s: %v", p.Name, err)
	}
	return out
}

// podSpec is a pod named name bound to node with one container per image.
func newPod(name, node string, images ...string) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, Labels: map[string]string{"app": name}},
		Spec:       corev1.PodSpec{NodeName: node},
	}
	for i, img := range images {
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: fmt.Sprintf("c%d", i), Image: img})
	}
	return p
}

func withRequests(p *corev1.Pod, cpu, mem string) *corev1.Pod {
	rl := corev1.ResourceList{}
	if cpu != "" {
		rl[corev1.ResourceCPU] = resource.MustParse(cpu)
	}
	if mem != "" {
		rl[corev1.ResourceMemory] = resource.MustParse(mem)
	}
	p.Spec.Containers[0].Resources.Requests = rl
	return p
}

func condition(p *corev1.Pod, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == t {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

func isRunningReady(p *corev1.Pod) bool {
	c := condition(p, corev1.PodReady)
	return p.Status.Phase == corev1.PodRunning && c != nil && c.Status == corev1.ConditionTrue
}

func ptr[T any](v T) *T { return &v }
