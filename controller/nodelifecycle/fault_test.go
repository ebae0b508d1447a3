package nodelifecycle

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/controller"
)

var errInjected = apierrors.NewServiceUnavailable("injected")

func TestFailedWritesAreRetried(t *testing.T) {
	for _, tc := range []struct {
		name  string
		op    string
		gr    string
		check func(t *testing.T, h *harness)
	}{
		{
			name: "marking pods not ready",
			op:   "update", gr: "pods/status",
			check: func(t *testing.T, h *harness) {
				for _, c := range h.pod("p").Status.Conditions {
					if c.Type == corev1.PodReady && c.Status != corev1.ConditionFalse {
						t.Errorf("pod Ready = %s after the retry, want False", c.Status)
					}
				}
			},
		},
		{
			name: "marking the node unknown",
			op:   "update", gr: "nodes/status",
			check: func(t *testing.T, h *harness) {
				if got := h.ready("n1"); got != corev1.ConditionUnknown {
					t.Errorf("Ready = %s after the retry, want Unknown", got)
				}
			},
		},
		{
			name: "tainting the node",
			op:   "update", gr: "nodes",
			check: func(t *testing.T, h *harness) {
				if diff := cmp.Diff([]string{corev1.TaintNodeUnreachable}, h.taints("n1")); diff != "" {
					t.Errorf("taints after the retry (-want +got):\n%s", diff)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.addNode("n1", "", corev1.ConditionTrue)
			h.addNode("other", "", corev1.ConditionTrue)
			h.keepAlive("other")
			h.addPod("p", "n1", tolerate("", nil))
			h.pass()
			h.runUntil(40 * time.Second)
			h.at(45 * time.Second)
			h.renew("other")
			h.settle()
			h.s.failOnce(tc.op, gr(tc.gr), errInjected)
			if err := h.c.monitor(h.ctx); !errors.Is(err, errInjected) {
				t.Fatalf("monitor with a failing %s of %s = %v, want the injected error", tc.op, tc.gr, err)
			}
			h.runUntil(50 * time.Second)
			tc.check(t, h)
		})
	}
}

func TestAFailedEvictionIsRetried(t *testing.T) {
	h := newHarness(t, Options{})
	h.addNode("n1", "", corev1.ConditionTrue)
	h.addNode("other", "", corev1.ConditionTrue)
	h.keepAlive("other")
	h.addPod("p", "n1")
	h.pass()
	h.runUntil(40 * time.Second)
	h.at(45 * time.Second)
	h.monitor()
	req := controller.Request{Namespace: "default", Name: "p"}
	h.s.failOnce("delete", podsGR, errInjected)
	if _, err := h.c.reconcilePod(h.ctx, req); !errors.Is(err, errInjected) {
		t.Fatalf("reconcile with a failing delete = %v, want the injected error", err)
	}
	if h.evicted("p") {
		t.Fatal("pod evicted although the delete failed")
	}
	if _, err := h.c.reconcilePod(h.ctx, req); err != nil {
		t.Fatalf("retried reconcile: %v", err)
	}
	if !h.evicted("p") {
		t.Fatal("pod not evicted by the retry")
	}
}

func TestTheNextTaintIsTimedByTheTokenBucket(t *testing.T) {
	h := newHarness(t, Options{EvictionRate: 0.3}) // a token every 3.33s
	for _, n := range []string{"a-1", "a-2", "a-3", "a-4", "a-5"} {
		h.addNode(n, "zone-a", corev1.ConditionTrue)
	}
	h.keepAlive("a-3", "a-4", "a-5")
	h.renew("a-1")
	h.renew("a-2")
	h.pass()
	if _, ok := h.c.nextTaint(); ok {
		t.Fatal("a taint is due with no node waiting")
	}
	h.runUntil(45 * time.Second)
	if diff := cmp.Diff([]string{"a-1"}, h.tainted()); diff != "" {
		t.Fatalf("tainted at 45s (-want +got):\n%s", diff)
	}
	d, ok := h.c.nextTaint()
	if want := 3333333333 * time.Nanosecond; !ok || d < want-time.Millisecond || d > want+time.Millisecond {
		t.Fatalf("next taint in %v (%v), want %v", d, ok, want)
	}
	h.clk.Step(d - time.Millisecond)
	h.taint()
	if diff := cmp.Diff([]string{"a-1"}, h.tainted()); diff != "" {
		t.Fatalf("tainted just before the token (-want +got):\n%s", diff)
	}
	h.clk.Step(time.Millisecond)
	h.taint()
	if diff := cmp.Diff([]string{"a-1", "a-2"}, h.tainted()); diff != "" {
		t.Fatalf("tainted when the token came (-want +got):\n%s", diff)
	}
	if _, ok := h.c.nextTaint(); ok {
		t.Error("a taint is due after the queue emptied")
	}
}
