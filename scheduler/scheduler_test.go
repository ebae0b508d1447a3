package scheduler_test

import (
	"errors"

	"go.uber.org/goleak"

	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/scheduler"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

var (
	podsGR  = schema.GroupResource{Resource: "pods"}
	nodesGR = schema.GroupResource{Resource: "nodes"}
)

func newStore(t *testing.T) store.Interface {
	t.Helper()
	codecs, err := apis.NewCodecs(runtime.CodecOptions{Strict: true, Default: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(codecs.Scheme)
	if err != nil {
		t.Fatal(err)
	}
	m, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	// The registry gives the API server's semantics (status subresource, binding rules).
	s, err := registry.New(m, registry.Options{Scheme: codecs.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// harness runs a scheduler on a memory store and watches pods.
type harness struct {
	t      *testing.T
	s      store.Interface
	pods   store.Typed[*corev1.Pod]
	w      watch.Interface[*corev1.Pod]
	cancel context.CancelFunc
	done   chan error
	state  map[string]*corev1.Pod
}

func start(t *testing.T, nodes []*corev1.Node, opts scheduler.Options) *harness {
	t.Helper()
	s := newStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	h := &harness{t: t, s: s, pods: store.For[*corev1.Pod](s, podsGR), cancel: cancel, done: make(chan error, 1), state: map[string]*corev1.Pod{}}
	nodesT := store.For[*corev1.Node](s, nodesGR)
	for _, n := range nodes {
		n = n.DeepCopy()
		n.Status.Capacity = n.Status.Allocatable
		if _, err := nodesT.Create(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	w, err := h.pods.Watch(ctx, "", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h.w = w
	opts.Store = s
	sch, err := scheduler.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	go func() { h.done <- sch.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-h.done; err != nil {
			t.Errorf("Run: %v", err)
		}
		w.Stop()
	})
	return h
}

func (h *harness) create(p *corev1.Pod) {
	h.t.Helper()
	p = p.DeepCopy()
	p.UID = ""
	p.Spec.Containers[0].Image = "app:v1"
	if _, err := h.pods.Create(context.Background(), p); err != nil {
		h.t.Fatal(err)
	}
}

// until consumes watch events until cond holds on the pods seen so far.
func (h *harness) until(what string, cond func(pods map[string]*corev1.Pod) bool) {
	h.t.Helper()
	for !cond(h.state) {
		ev, ok := <-h.w.ResultChan()
		if !ok {
			h.t.Fatalf("watch ended before %s", what)
		}
		if ev.Type == watch.Error {
			h.t.Fatalf("watch error before %s", what)
		}
		h.apply(ev)
	}
}

func (h *harness) apply(ev watch.Event[*corev1.Pod]) {
	switch ev.Type {
	case watch.Added, watch.Modified:
		h.state[ev.Object.Namespace+"/"+ev.Object.Name] = ev.Object
	case watch.Deleted:
		delete(h.state, ev.Object.Namespace+"/"+ev.Object.Name)
	case watch.Error:
		h.t.Fatalf("watch error: %+v", ev.Object)
	}
}

func bound(pods map[string]*corev1.Pod) int {
	n := 0
	for _, p := range pods {
		if p.Spec.NodeName != "" {
			n++
		}
	}
	return n
}

func TestSchedulesThroughTheStore(t *testing.T) {
	var nodes []*corev1.Node
	for i := 0; i < 10; i++ {
		nodes = append(nodes, st.Node(fmt.Sprintf("n%d", i)).Capacity("cpu", "4", "memory", "8Gi").Obj())
	}
	h := start(t, nodes, scheduler.Options{Parallelism: 2})
	for i := 0; i < 80; i++ {
		h.create(st.Pod(fmt.Sprintf("p%02d", i)).Req("cpu", "500m", "memory", "1Gi").Obj())
	}
	h.until("80 pods bound and marked scheduled", func(m map[string]*corev1.Pod) bool {
		n := 0
		for _, p := range m {
			if p.Spec.NodeName != "" && len(p.Status.Conditions) > 0 && p.Status.Conditions[0].Status == corev1.ConditionTrue {
				n++
			}
		}
		return n == 80
	})
	model := st.NewModel(nodes)
	for _, p := range h.state {
		model.Add(p)
		if len(p.Status.Conditions) == 0 || p.Status.Conditions[0].Type != corev1.PodScheduled || p.Status.Conditions[0].Status != corev1.ConditionTrue {
			t.Errorf("pod %s bound without PodScheduled=True: %+v", p.Name, p.Status.Conditions)
		}
	}
	for _, v := range model.CheckInvariants() {
		t.Error(v)
	}
	// The cluster is exactly full: one more pod is unschedulable and says why.
	h.create(st.Pod("extra").Req("cpu", "500m").Obj())
	want := "0/10 nodes are available: 10 Insufficient cpu. preemption: 0/10 nodes are available: 10 No preemption victims found for incoming pod."
	h.until("extra marked unschedulable", func(m map[string]*corev1.Pod) bool {
		p := m["default/extra"]
		return p != nil && len(p.Status.Conditions) > 0 && p.Status.Conditions[0].Reason == "Unschedulable"
	})
	if got := h.state["default/extra"].Status.Conditions[0].Message; got != want {
		t.Errorf("message %q\nwant    %q", got, want)
	}
}

// nodeAgent stands in for the node agent: pods being deleted gracefully are removed at once
// (a delete with grace period 0 and their UID as precondition), until ctx ends.
func nodeAgent(t *testing.T, s store.Interface) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pods := store.For[*corev1.Pod](s, podsGR)
	w, err := pods.Watch(ctx, "", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range w.ResultChan() {
			p := ev.Object
			if ev.Type != watch.Modified || p.DeletionTimestamp == nil {
				continue
			}
			zero, uid := int64(0), p.UID
			_, _ = pods.Delete(ctx, p.Namespace, p.Name, store.DeleteOptions{GracePeriodSeconds: &zero, Preconditions: &meta.Preconditions{UID: &uid}})
		}
	}()
	t.Cleanup(func() { cancel(); w.Stop(); <-done })
}

func TestPreemptsThroughTheStore(t *testing.T) {
	nodes := []*corev1.Node{st.Node("n").Capacity("cpu", "2").Obj()}
	h := start(t, nodes, scheduler.Options{InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond, FlushPeriod: 5 * time.Millisecond})
	nodeAgent(t, h.s)
	h.create(st.Pod("low").Req("cpu", "2").Priority(1).Obj())
	h.until("low bound", func(m map[string]*corev1.Pod) bool { return bound(m) == 1 })
	h.create(st.Pod("high").Req("cpu", "2").Priority(100).Obj())
	h.until("high bound on n after evicting low", func(m map[string]*corev1.Pod) bool {
		p := m["default/high"]
		return m["default/low"] == nil && p != nil && p.Spec.NodeName == "n"
	})
	// The nomination is cleared by the status write that follows the binding.
	h.until("high's nomination cleared", func(m map[string]*corev1.Pod) bool {
		p := m["default/high"]
		return p.Status.NominatedNodeName == "" && len(p.Status.Conditions) > 0 && p.Status.Conditions[0].Status == corev1.ConditionTrue
	})
}

func TestSchedulerNameSelectsProfile(t *testing.T) {
	nodes := []*corev1.Node{st.Node("n").Capacity("cpu", "2").Obj()}
	h := start(t, nodes, scheduler.Options{})
	other := st.Pod("other").Obj()
	other.Spec.SchedulerName = "someone-else"
	h.create(other)
	mine := st.Pod("mine").Obj()
	mine.Spec.SchedulerName = "default-scheduler"
	h.create(mine)
	h.until("mine bound", func(m map[string]*corev1.Pod) bool { p := m["default/mine"]; return p != nil && p.Spec.NodeName != "" })
	if p := h.state["default/other"]; p == nil || p.Spec.NodeName != "" || len(p.Status.Conditions) != 0 {
		t.Errorf("pod of another scheduler touched: %+v", p)
	}
	if !strings.HasPrefix(h.state["default/mine"].Spec.NodeName, "n") {
		t.Errorf("mine on %q", h.state["default/mine"].Spec.NodeName)
	}
}

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNewErrors(t *testing.T) {
	if _, err := scheduler.New(scheduler.Options{}); !errors.Is(err, scheduler.ErrNoStore) {
		t.Errorf("no store: %v", err)
	}
	s := newStore(t)
	p := plugins.DefaultProfile()
	if _, err := scheduler.New(scheduler.Options{Store: s, Profiles: []framework.Profile{p, p}}); !errors.Is(err, framework.ErrInvalidProfile) {
		t.Errorf("duplicate profile: %v", err)
	}
	bad := p
	bad.Plugins = append([]framework.PluginConfig(nil), p.Plugins...)
	bad.Plugins = append(bad.Plugins, framework.PluginConfig{Name: "Nope"})
	if _, err := scheduler.New(scheduler.Options{Store: s, Profiles: []framework.Profile{bad}}); !errors.Is(err, framework.ErrUnknownPlugin) {
		t.Errorf("unknown plugin: %v", err)
	}
}
