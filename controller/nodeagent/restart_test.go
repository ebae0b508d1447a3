package nodeagent_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/store"
)

func TestRunTwiceAtOnceFails(t *testing.T) {
	e := newEnv(t)
	r := e.start("node-a", nodeagent.Options{}, hollow.Options{})
	if err := r.agent.Run(context.Background()); !errors.Is(err, nodeagent.ErrRunning) {
		t.Fatalf("second Run: %v, want ErrRunning", err)
	}
}

// TestRestartWithSameRuntimeAdopts: a new agent on the same runtime keeps the running
// containers (same ID, same IP, no restart) and knows their history.
func TestRestartWithSameRuntimeAdopts(t *testing.T) {
	e := newEnv(t)
	r1 := e.start("node-a", nodeagent.Options{}, hollow.Options{})
	e.createPod(newPod("web", "node-a", "nginx"))
	before := e.waitPod("default", "web", "running", isRunningReady)
	r1.stop(t)

	e.clk.Step(time.Minute)
	r2 := e.start("node-a", nodeagent.Options{Runtime: r1.rt}, hollow.Options{})
	if sbs, _ := r2.rt.ListPodSandboxes(e.ctx); len(sbs) != 1 {
		t.Fatalf("sandboxes after restart: %+v", sbs)
	}
	oldID := before.Status.ContainerStatuses[0].ContainerID
	// Make the adopted container exit: the new agent restarts it and reports it as the last
	// state.
	if err := r2.rt.Kill(strings.TrimPrefix(oldID, "hollow://"), 1); err != nil {
		t.Fatal(err)
	}
	got := e.waitPod("default", "web", "restart", func(p *corev1.Pod) bool {
		return p.Status.ContainerStatuses[0].RestartCount == 1 && running0(p) != nil
	})
	cs := got.Status.ContainerStatuses[0]
	if lt := cs.LastTerminationState.Terminated; lt == nil || lt.ContainerID != oldID || lt.ExitCode != 1 {
		t.Fatalf("lastState = %+v, want the adopted container %s", lt, oldID)
	}
	if got.Status.PodIP != before.Status.PodIP || !got.Status.StartTime.Equal(before.Status.StartTime) {
		t.Errorf("pod IP %s -> %s, start %v -> %v: the sandbox was not kept", before.Status.PodIP, got.Status.PodIP, before.Status.StartTime, got.Status.StartTime)
	}
}

// TestRestartWithFreshRuntime: the runtime lost everything (node reboot): the pod gets a new
// sandbox and containers, each counted as one restart, the lost one reported as
// ContainerStatusUnknown.
func TestRestartWithFreshRuntime(t *testing.T) {
	tests := []struct {
		name      string
		policy    corev1.RestartPolicy
		wantPhase corev1.PodPhase
	}{
		{"Always", corev1.RestartPolicyAlways, corev1.PodRunning},
		{"Never", corev1.RestartPolicyNever, corev1.PodFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			r1 := e.start("node-a", nodeagent.Options{}, hollow.Options{})
			p := newPod("web", "node-a", "nginx")
			p.Spec.RestartPolicy = tt.policy
			e.createPod(p)
			before := e.waitPod("default", "web", "running", isRunningReady)
			r1.stop(t)
			e.clk.Step(time.Minute)
			e.start("node-a", nodeagent.Options{}, hollow.Options{})
			got := e.waitPod("default", "web", string(tt.wantPhase), func(p *corev1.Pod) bool {
				if tt.wantPhase == corev1.PodRunning {
					return isRunningReady(p) && p.Status.ContainerStatuses[0].RestartCount == 1
				}
				return p.Status.Phase == tt.wantPhase
			})
			cs := got.Status.ContainerStatuses[0]
			lost := cs.LastTerminationState.Terminated
			if tt.wantPhase == corev1.PodFailed {
				lost = cs.State.Terminated
			}
			if lost == nil || lost.Reason != nodeagent.ReasonContainerStatusUnknown || lost.ExitCode != 137 ||
				lost.ContainerID != before.Status.ContainerStatuses[0].ContainerID {
				t.Fatalf("lost container: %+v", lost)
			}
			if tt.wantPhase == corev1.PodRunning && cs.ContainerID == before.Status.ContainerStatuses[0].ContainerID {
				t.Fatalf("the container was not recreated")
			}
		})
	}
}

// TestNodeRebootWhileRunning: the runtime crashes and comes back empty under a running agent.
func TestNodeRebootWhileRunning(t *testing.T) {
	e := newEnv(t)
	r := e.start("node-a", nodeagent.Options{}, hollow.Options{})
	e.createPod(newPod("web", "node-a", "nginx"))
	e.waitPod("default", "web", "running", isRunningReady)
	r.rt.Crash()
	r.rt.Restart()
	got := e.waitPod("default", "web", "recreated", func(p *corev1.Pod) bool {
		return isRunningReady(p) && p.Status.ContainerStatuses[0].RestartCount == 1
	})
	if lt := got.Status.ContainerStatuses[0].LastTerminationState.Terminated; lt == nil || lt.Reason != nodeagent.ReasonContainerStatusUnknown {
		t.Fatalf("lastState = %+v", lt)
	}
	if r.rt.Running() != 1 {
		t.Fatalf("running containers = %d", r.rt.Running())
	}
}

// TestChangesWhileTheAgentWasDown: pods deleted while the agent was stopped are cleaned up when
// it comes back; pods bound meanwhile start.
func TestChangesWhileTheAgentWasDown(t *testing.T) {
	e := newEnv(t)
	r1 := e.start("node-a", nodeagent.Options{}, hollow.Options{})
	for _, name := range []string{"removed", "terminating", "kept"} {
		e.createPod(newPod(name, "node-a", "nginx"))
		e.waitPod("default", name, "running", isRunningReady)
	}
	r1.stop(t)
	if _, err := e.pods.Delete(e.ctx, "default", "removed", store.DeleteOptions{GracePeriodSeconds: ptr(int64(0))}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pods.Delete(e.ctx, "default", "terminating", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	e.createPod(newPod("new", "node-a", "nginx"))

	removed := make(chan string, 10)
	defer r1.rt.Subscribe(func(ev nodeagent.Event) {
		if ev.Type == nodeagent.EventSandboxRemoved {
			removed <- ev.SandboxID
		}
	})()
	e.start("node-a", nodeagent.Options{Runtime: r1.rt}, hollow.Options{})
	e.waitPodGone("default", "terminating")
	e.waitPod("default", "new", "running", isRunningReady)
	for i := 0; i < 2; i++ { // the sandboxes of "removed" and "terminating"
		select {
		case <-removed:
		case <-time.After(waitTimeout):
			t.Fatalf("%d sandboxes removed, want 2", i)
		}
	}
	if n := r1.rt.Running(); n != 2 {
		t.Fatalf("running containers = %d, want 2 (kept and new)", n)
	}
}
