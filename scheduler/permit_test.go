package scheduler_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/scheduler/plugins"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
	"github.com/cellkit/cellkit/store"
)

// untilDriving is until with the fake clock driven forward (1 s per 5 ms of real time) while
// no event satisfies cond, so that backoffs and flushes on the fake clock make progress
// whatever the interleaving. It returns how far the clock was driven.
func (h *harness) untilDriving(clk *clock.Fake, what string, cond func(pods map[string]*corev1.Pod) bool) time.Duration {
	h.t.Helper()
	start := clk.Now()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond(h.state) {
		select {
		case ev, ok := <-h.w.ResultChan():
			if !ok {
				h.t.Fatalf("watch ended before %s", what)
			}
			h.apply(ev)
		case <-tick.C:
			clk.Step(time.Second)
		}
	}
	return clk.Now().Sub(start)
}

// gang is a test Permit plugin: pods labelled gang=<name> with gang-size=<n> wait until n
// pods of the gang are reserved, then all are allowed; a gang that does not assemble within
// timeout is rejected as a whole by the clock.
type gang struct {
	h       framework.Handle
	timeout time.Duration
	waits   chan string // receives a pod's name each time it is told to wait
}

func (g *gang) Name() string { return "Gang" }

func (g *gang) Permit(_ context.Context, _ *framework.CycleState, pod *corev1.Pod, _ string) (*framework.Status, time.Duration) {
	name, ok := pod.Labels["gang"]
	if !ok {
		return nil, 0
	}
	size, _ := strconv.Atoi(pod.Labels["gang-size"])
	var members []*framework.WaitingPod
	g.h.IterateOverWaitingPods(func(w *framework.WaitingPod) {
		if w.Pod().Labels["gang"] == name {
			members = append(members, w)
		}
	})
	if len(members)+1 >= size {
		for _, w := range members {
			w.Allow(g.Name())
		}
		return nil, 0
	}
	g.waits <- pod.Name
	return framework.NewStatus(framework.Wait), g.timeout
}

func gangPod(name, group string, size int) *corev1.Pod {
	return st.Pod(name).Label("gang", group).Label("gang-size", strconv.Itoa(size)).Req("cpu", "1").Obj()
}

func startGang(t *testing.T, clk clock.Clock, nodes []*corev1.Node) (*harness, *gang) {
	g := &gang{timeout: 30 * time.Second, waits: make(chan string, 16)}
	prof := plugins.DefaultProfile()
	prof.Plugins = append(prof.Plugins, framework.PluginConfig{Name: "Gang"})
	h := start(t, nodes, scheduler.Options{Clock: clk, Profiles: []framework.Profile{prof}, Registry: framework.Registry{
		"Gang": func(_ any, h framework.Handle) (framework.Plugin, error) { g.h = h; return g, nil },
	}})
	return h, g
}

func TestPermitWaitsUntilAllowed(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	h, g := startGang(t, clk, []*corev1.Node{st.Node("n").Capacity("cpu", "4").Obj()})
	h.create(gangPod("a", "g1", 3))
	h.create(gangPod("b", "g1", 3))
	waiting := map[string]bool{<-g.waits: true, <-g.waits: true}
	if !waiting["a"] || !waiting["b"] {
		t.Fatalf("waiting %v, want a and b", waiting)
	}
	l, err := h.pods.List(context.Background(), "", store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range l.Items {
		if p.Spec.NodeName != "" {
			t.Errorf("%s bound while its gang is incomplete", p.Name)
		}
	}
	h.create(gangPod("c", "g1", 3))
	h.until("the whole gang bound", func(m map[string]*corev1.Pod) bool { return bound(m) == 3 })
}

func TestPermitTimeoutRejectsAndUnreserves(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	h, g := startGang(t, clk, []*corev1.Node{st.Node("n").Capacity("cpu", "2").Obj()})
	h.create(gangPod("a", "g1", 3))
	h.create(gangPod("b", "g1", 3))
	<-g.waits
	<-g.waits
	// a and b hold the node's 2 cpu while they wait: solo does not fit.
	h.create(st.Pod("solo").Req("cpu", "1").Obj())
	h.until("solo unschedulable while the gang holds the node", func(m map[string]*corev1.Pod) bool {
		p := m["default/solo"]
		return p != nil && len(p.Status.Conditions) > 0 && p.Status.Conditions[0].Reason == "Unschedulable"
	})
	// The gang never completes: at the deadline both are rejected and un-reserved, and solo
	// gets the room.
	clk.Step(30 * time.Second)
	h.untilDriving(clk, "solo bound after the gang timed out", func(m map[string]*corev1.Pod) bool {
		p := m["default/solo"]
		return p != nil && p.Spec.NodeName == "n"
	})
	for _, name := range []string{"a", "b"} {
		if p := h.state["default/"+name]; p != nil && p.Spec.NodeName != "" {
			t.Errorf("%s bound although its gang timed out", name)
		}
	}
}

func TestPermitWaitingPodDeleted(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	h, g := startGang(t, clk, []*corev1.Node{st.Node("n").Capacity("cpu", "1").Obj()})
	g.timeout = framework.MaxPermitTimeout
	h.create(gangPod("a", "g1", 2))
	<-g.waits
	if _, err := h.pods.Delete(context.Background(), "default", "a", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	// a's reservation is released long before its permit timeout: solo fits.
	h.create(st.Pod("solo").Req("cpu", "1").Obj())
	driven := h.untilDriving(clk, "solo bound after the waiting pod was deleted", func(m map[string]*corev1.Pod) bool {
		p := m["default/solo"]
		return p != nil && p.Spec.NodeName == "n"
	})
	if driven >= framework.MaxPermitTimeout {
		t.Errorf("solo bound only after %v, the permit timeout: deletion did not release the waiting pod", driven)
	}
}
