package nodeagent_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/store"
)

func running0(p *corev1.Pod) *corev1.ContainerStateRunning {
	if len(p.Status.ContainerStatuses) == 0 {
		return nil
	}
	return p.Status.ContainerStatuses[0].State.Running
}

// TestCrashLoopBackOff: a container that exits one second after every start is restarted at
// once, then after 10, 20, 40, 80, 160 and 300 s, waiting in CrashLoopBackOff in between.
func TestCrashLoopBackOff(t *testing.T) {
	e := newEnv(t)
	e.start("node-a", nodeagent.Options{}, hollow.Options{Images: map[string]hollow.Behavior{
		"crash": {ExitAfter: time.Second, ExitCode: 1},
	}})
	pod := e.createPod(newPod("crash", "node-a", "crash"))
	e.waitPod("default", "crash", "first start", func(p *corev1.Pod) bool { return running0(p) != nil })

	// The first exit restarts at once.
	e.clk.Step(time.Second)
	now := t0.Add(time.Second)
	p := e.waitPod("default", "crash", "first restart", func(p *corev1.Pod) bool {
		return p.Status.ContainerStatuses[0].RestartCount == 1 && running0(p) != nil
	})
	if got := running0(p).StartedAt.Time; !got.Equal(now) {
		t.Fatalf("first restart at %v, want %v (at once)", got, now)
	}
	if lt := p.Status.ContainerStatuses[0].LastTerminationState.Terminated; lt == nil || lt.ExitCode != 1 || lt.Reason != hollow.ReasonError ||
		!lt.StartedAt.Time.Equal(t0) || !lt.FinishedAt.Time.Equal(now) {
		t.Fatalf("lastState after the first restart = %+v", lt)
	}

	for i, wait := range []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second,
		160 * time.Second, 300 * time.Second, 300 * time.Second} {
		restarts := int32(i + 1)
		e.clk.Step(time.Second)
		now = now.Add(time.Second)
		wantMsg := fmt.Sprintf("back-off %v restarting failed container=c0 pod=crash_default(%s)", wait, pod.UID)
		p := e.waitPod("default", "crash", "CrashLoopBackOff "+wait.String(), func(p *corev1.Pod) bool {
			w := p.Status.ContainerStatuses[0].State.Waiting
			return w != nil && w.Reason == nodeagent.ReasonCrashLoopBackOff && w.Message == wantMsg
		})
		cs := p.Status.ContainerStatuses[0]
		if cs.RestartCount != restarts || cs.Ready || cs.LastTerminationState.Terminated == nil ||
			cs.LastTerminationState.Terminated.ExitCode != 1 || !cs.LastTerminationState.Terminated.FinishedAt.Time.Equal(now) {
			t.Fatalf("during back-off %d: %s", i, podSummary(p))
		}
		if p.Status.Phase != corev1.PodRunning {
			t.Fatalf("phase during back-off = %s, want Running (restartPolicy Always)", p.Status.Phase)
		}
		if c := condition(p, corev1.PodReady); c == nil || c.Status != corev1.ConditionFalse || c.Reason != nodeagent.ReasonContainersNotReady {
			t.Fatalf("Ready during back-off = %+v", c)
		}

		e.clk.Step(wait)
		now = now.Add(wait)
		p = e.waitPod("default", "crash", "restart after "+wait.String(), func(p *corev1.Pod) bool {
			return p.Status.ContainerStatuses[0].RestartCount == restarts+1 && running0(p) != nil
		})
		if got := running0(p).StartedAt.Time; !got.Equal(now) {
			t.Fatalf("restart %d at %v, want %v", restarts+1, got, now)
		}
	}
}

// TestBackOffResetsAfterLongRun: a container that ran more than ten minutes restarts at once.
func TestBackOffResetsAfterLongRun(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	runFor := []time.Duration{time.Second, time.Second, 11 * time.Minute, time.Second}
	e.start("node-a", nodeagent.Options{}, hollow.Options{Behave: func(c hollow.ContainerInfo) hollow.Behavior {
		mu.Lock()
		defer mu.Unlock()
		d := time.Hour
		if int(c.Attempt) < len(runFor) {
			d = runFor[c.Attempt]
		}
		return hollow.Behavior{ExitAfter: d, ExitCode: 1}
	}})
	e.createPod(newPod("p", "node-a", "img"))
	e.waitPod("default", "p", "start", func(p *corev1.Pod) bool { return running0(p) != nil })
	e.clk.Step(time.Second) // attempt 0 exits: restart at once
	e.waitPod("default", "p", "restart 1", func(p *corev1.Pod) bool {
		return p.Status.ContainerStatuses[0].RestartCount == 1 && running0(p) != nil
	})
	e.clk.Step(time.Second) // attempt 1 exits: back-off 10 s
	e.waitPod("default", "p", "back-off", func(p *corev1.Pod) bool { return p.Status.ContainerStatuses[0].State.Waiting != nil })
	e.clk.Step(10 * time.Second) // attempt 2 starts at t0+12 and runs 11 minutes
	e.waitPod("default", "p", "restart 2", func(p *corev1.Pod) bool {
		return p.Status.ContainerStatuses[0].RestartCount == 2 && running0(p) != nil
	})
	e.clk.Step(11 * time.Minute)
	exit := t0.Add(12*time.Second + 11*time.Minute)
	p := e.waitPod("default", "p", "restart 3", func(p *corev1.Pod) bool {
		return p.Status.ContainerStatuses[0].RestartCount == 3 && running0(p) != nil
	})
	if got := running0(p).StartedAt.Time; !got.Equal(exit) {
		t.Fatalf("restart after a long run at %v, want %v (at once)", got, exit)
	}
	e.clk.Step(time.Second) // attempt 3 exits after one second: back-off starts over at 10 s
	e.waitPod("default", "p", "back-off 10s", func(p *corev1.Pod) bool {
		w := p.Status.ContainerStatuses[0].State.Waiting
		return w != nil && strings.HasPrefix(w.Message, "back-off 10s ")
	})
}

func TestRestartPolicies(t *testing.T) {
	tests := []struct {
		name         string
		policy       corev1.RestartPolicy
		exitCode     int32
		wantPhase    corev1.PodPhase
		wantRestarts int32
	}{
		{"Never, failure", corev1.RestartPolicyNever, 2, corev1.PodFailed, 0},
		{"Never, success", corev1.RestartPolicyNever, 0, corev1.PodSucceeded, 0},
		{"OnFailure, success", corev1.RestartPolicyOnFailure, 0, corev1.PodSucceeded, 0},
		{"OnFailure, failure restarts", corev1.RestartPolicyOnFailure, 3, corev1.PodRunning, 1},
		{"Always, success restarts", corev1.RestartPolicyAlways, 0, corev1.PodRunning, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.start("node-a", nodeagent.Options{}, hollow.Options{Images: map[string]hollow.Behavior{
				"job": {ExitAfter: 5 * time.Second, ExitCode: tt.exitCode},
			}})
			p := newPod("job", "node-a", "job")
			p.Spec.RestartPolicy = tt.policy
			e.createPod(p)
			e.waitPod("default", "job", "running", func(p *corev1.Pod) bool { return running0(p) != nil })
			e.clk.Step(5 * time.Second)
			got := e.waitPod("default", "job", "outcome", func(p *corev1.Pod) bool {
				cs := p.Status.ContainerStatuses[0]
				if isTerminalPhase(tt.wantPhase) {
					return p.Status.Phase == tt.wantPhase
				}
				return cs.RestartCount == tt.wantRestarts && cs.State.Running != nil
			})
			cs := got.Status.ContainerStatuses[0]
			if cs.RestartCount != tt.wantRestarts || got.Status.Phase != tt.wantPhase {
				t.Fatalf("got %s, want phase %s with %d restarts", podSummary(got), tt.wantPhase, tt.wantRestarts)
			}
			if !isTerminalPhase(tt.wantPhase) {
				return
			}
			term := cs.State.Terminated
			wantReason := hollow.ReasonCompleted
			if tt.exitCode != 0 {
				wantReason = hollow.ReasonError
			}
			if term == nil || term.ExitCode != tt.exitCode || term.Reason != wantReason || !term.FinishedAt.Time.Equal(t0.Add(5*time.Second)) {
				t.Fatalf("terminated state = %+v", term)
			}
			ready := condition(got, corev1.PodReady)
			wantReadyReason := nodeagent.ReasonContainersNotReady
			if tt.wantPhase == corev1.PodSucceeded {
				wantReadyReason = nodeagent.ReasonPodCompleted
			}
			if ready.Status != corev1.ConditionFalse || ready.Reason != wantReadyReason {
				t.Errorf("Ready = %+v, want False/%s", ready, wantReadyReason)
			}
			if c := condition(got, corev1.PodReadyToStartContainers); c.Status != corev1.ConditionFalse {
				t.Errorf("PodReadyToStartContainers = %+v, want False (sandbox stopped)", c)
			}
			sbs, err := r.rt.ListPodSandboxes(e.ctx)
			if err != nil || len(sbs) != 1 || sbs[0].State != nodeagent.SandboxNotReady {
				t.Errorf("sandboxes of a finished pod = %+v, %v; want one, stopped", sbs, err)
			}
			// Time goes on: nothing restarts a finished pod.
			e.clk.Step(time.Hour)
			if n := r.rt.Running(); n != 0 {
				t.Errorf("%d containers running after the pod finished", n)
			}
		})
	}
}

func isTerminalPhase(p corev1.PodPhase) bool {
	return p == corev1.PodSucceeded || p == corev1.PodFailed
}

// probeScript answers readiness probes from a list of results and reports each probe's time.
type probeScript struct {
	mu      sync.Mutex
	results []nodeagent.ProbeResult
	calls   chan time.Time
	clk     interface{ Now() time.Time }
}

func (s *probeScript) probe(_ hollow.ContainerInfo, kind nodeagent.ProbeKind) (nodeagent.ProbeResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res := nodeagent.ProbeFailure
	if len(s.results) > 0 {
		res, s.results = s.results[0], s.results[1:]
	}
	s.calls <- s.clk.Now()
	return res, nil
}

func (s *probeScript) wait(t *testing.T, want time.Time) {
	t.Helper()
	select {
	case got := <-s.calls:
		if !got.Equal(want) {
			t.Fatalf("probe at %v, want %v", got, want)
		}
	case <-time.After(waitTimeout):
		t.Fatalf("no probe (expected at %v)", want)
	}
}

// TestReadinessProbeThresholds: initialDelaySeconds 5, periodSeconds 10, successThreshold 2,
// failureThreshold 3.
func TestReadinessProbeThresholds(t *testing.T) {
	e := newEnv(t)
	S, F := nodeagent.ProbeSuccess, nodeagent.ProbeFailure
	script := &probeScript{results: []nodeagent.ProbeResult{S, F, S, S, F, F, S, F, F, F}, calls: make(chan time.Time, 100), clk: e.clk}
	e.start("node-a", nodeagent.Options{}, hollow.Options{Probe: script.probe})
	p := newPod("web", "node-a", "nginx")
	p.Spec.Containers[0].ReadinessProbe = &corev1.Probe{
		ProbeHandler:        corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}},
		InitialDelaySeconds: 5, PeriodSeconds: 10, SuccessThreshold: 2, FailureThreshold: 3,
	}
	e.createPod(p)
	got := e.waitPod("default", "web", "running", func(p *corev1.Pod) bool { return running0(p) != nil })
	if got.Status.Phase != corev1.PodRunning || got.Status.ContainerStatuses[0].Ready || condition(got, corev1.PodReady).Status != corev1.ConditionFalse {
		t.Fatalf("before any probe: %s", podSummary(got))
	}
	steps := []struct {
		step      time.Duration
		wantReady bool
	}{
		{5 * time.Second, false},  // S: 1 of 2
		{10 * time.Second, false}, // F: run broken
		{10 * time.Second, false}, // S: 1 of 2
		{10 * time.Second, true},  // S: 2 of 2 -> ready at t0+35
		{10 * time.Second, true},  // F: 1 of 3
		{10 * time.Second, true},  // F: 2 of 3
		{10 * time.Second, true},  // S: run broken
		{10 * time.Second, true},  // F: 1 of 3
		{10 * time.Second, true},  // F: 2 of 3
		{10 * time.Second, false}, // F: 3 of 3 -> not ready at t0+95
	}
	now := t0
	wasReady := false
	for i, s := range steps {
		e.clk.Step(s.step)
		now = now.Add(s.step)
		script.wait(t, now)
		if s.wantReady != wasReady {
			want := s.wantReady
			p := e.waitPod("default", "web", fmt.Sprintf("ready=%v after probe %d", want, i+1), func(p *corev1.Pod) bool {
				return p.Status.ContainerStatuses[0].Ready == want
			})
			wantStatus := corev1.ConditionFalse
			if want {
				wantStatus = corev1.ConditionTrue
			}
			for _, ct := range []corev1.PodConditionType{corev1.PodReady, corev1.ContainersReady} {
				c := condition(p, ct)
				if c.Status != wantStatus || !c.LastTransitionTime.Time.Equal(now) {
					t.Fatalf("probe %d: %s = %s since %v, want %s since %v", i+1, ct, c.Status, c.LastTransitionTime, wantStatus, now)
				}
			}
			wasReady = want
		}
	}
	// The readiness of the last write is still what the script says.
	p2, err := e.pods.Get(e.ctx, "default", "web", store.GetOptions{})
	if err != nil || p2.Status.ContainerStatuses[0].Ready {
		t.Fatalf("final: %v %s", err, podSummary(p2))
	}
}

// TestLivenessProbeRestarts: a container failing its liveness probe failureThreshold times in
// a row is killed and restarted.
func TestLivenessProbeRestarts(t *testing.T) {
	e := newEnv(t)
	script := &probeScript{results: []nodeagent.ProbeResult{nodeagent.ProbeFailure, nodeagent.ProbeFailure}, calls: make(chan time.Time, 100), clk: e.clk}
	e.start("node-a", nodeagent.Options{}, hollow.Options{Probe: script.probe})
	p := newPod("web", "node-a", "nginx")
	p.Spec.Containers[0].LivenessProbe = &corev1.Probe{PeriodSeconds: 10, FailureThreshold: 2, InitialDelaySeconds: 10,
		ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}}
	e.createPod(p)
	e.waitPod("default", "web", "running", func(p *corev1.Pod) bool { return running0(p) != nil })
	e.clk.Step(10 * time.Second)
	script.wait(t, t0.Add(10*time.Second))
	e.clk.Step(10 * time.Second)
	script.wait(t, t0.Add(20*time.Second))
	got := e.waitPod("default", "web", "restart", func(p *corev1.Pod) bool {
		return p.Status.ContainerStatuses[0].RestartCount == 1 && running0(p) != nil
	})
	if !running0(got).StartedAt.Time.Equal(t0.Add(20 * time.Second)) {
		t.Fatalf("restarted at %v", running0(got).StartedAt)
	}
}

// TestGracefulDeletion: the pod is removed only after its containers stopped, within the
// grace period of the deletion.
func TestGracefulDeletion(t *testing.T) {
	tests := []struct {
		name       string
		image      string
		grace      *int64
		wantGrace  time.Duration
		wantExit   int32
		wantPhase  corev1.PodPhase
		stepToKill time.Duration
	}{
		{"cooperative container stops at once", "nginx", nil, 30 * time.Second, 0, corev1.PodSucceeded, 0},
		{"stubborn container is killed after the grace period", "stubborn", nil, 30 * time.Second, hollow.ExitCodeKilled, corev1.PodFailed, 30 * time.Second},
		{"delete with a shorter grace period", "stubborn", ptr(int64(5)), 5 * time.Second, hollow.ExitCodeKilled, corev1.PodFailed, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			stops := make(chan time.Duration, 10)
			r := e.start("node-a", nodeagent.Options{}, hollow.Options{
				Images: map[string]hollow.Behavior{"stubborn": {IgnoreStop: true}},
				OnStop: func(_ hollow.ContainerInfo, grace time.Duration) { stops <- grace },
			})
			e.createPod(newPod("web", "node-a", tt.image))
			e.waitPod("default", "web", "running", isRunningReady)

			// Record every state of the pod until it is removed.
			w, err := e.pods.Watch(e.ctx, "default", store.WatchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Stop()
			deleted, err := e.pods.Delete(e.ctx, "default", "web", store.DeleteOptions{GracePeriodSeconds: tt.grace})
			if err != nil {
				t.Fatal(err)
			}
			if deleted.DeletionTimestamp == nil || *deleted.DeletionGracePeriodSeconds != int64(tt.wantGrace/time.Second) {
				t.Fatalf("registry did not delete gracefully: %+v", deleted.ObjectMeta)
			}
			select {
			case g := <-stops:
				if g != tt.wantGrace {
					t.Fatalf("stopped with grace %v, want %v", g, tt.wantGrace)
				}
			case <-time.After(waitTimeout):
				t.Fatal("the agent never stopped the container")
			}
			if tt.stepToKill > 0 {
				if _, err := e.pods.Get(e.ctx, "default", "web", store.GetOptions{}); err != nil {
					t.Fatalf("pod removed before its grace period ended: %v", err)
				}
				if r.rt.Running() != 1 {
					t.Fatalf("stubborn container stopped before its grace period ended")
				}
				e.clk.Step(tt.stepToKill)
			}
			var last *corev1.Pod
			for ev := range w.ResultChan() {
				if ev.Type == watch.Deleted {
					if r.rt.Running() != 0 {
						t.Fatal("pod removed while its container still runs")
					}
					break
				}
				if ev.Type == watch.Modified {
					last = ev.Object
				}
			}
			if last == nil {
				t.Fatal("no status written before removal")
			}
			cs := last.Status.ContainerStatuses[0]
			if last.Status.Phase != tt.wantPhase || cs.State.Terminated == nil || cs.State.Terminated.ExitCode != tt.wantExit || cs.Ready {
				t.Fatalf("final status: %s", podSummary(last))
			}
			if !cs.State.Terminated.FinishedAt.Time.Equal(t0.Add(tt.stepToKill)) {
				t.Errorf("container finished at %v, want %v", cs.State.Terminated.FinishedAt, t0.Add(tt.stepToKill))
			}
		})
	}
}

// TestShorterGracePeriodCutsTheWait: a second delete with a shorter grace period ends the
// stop of a container that ignores the stop signal sooner.
func TestShorterGracePeriodCutsTheWait(t *testing.T) {
	e := newEnv(t)
	stops := make(chan time.Duration, 10)
	r := e.start("node-a", nodeagent.Options{}, hollow.Options{
		Images: map[string]hollow.Behavior{"stubborn": {IgnoreStop: true}},
		OnStop: func(_ hollow.ContainerInfo, grace time.Duration) { stops <- grace },
	})
	e.createPod(newPod("web", "node-a", "stubborn"))
	e.waitPod("default", "web", "running", isRunningReady)
	waitStop := func(want time.Duration) {
		t.Helper()
		select {
		case g := <-stops:
			if g != want {
				t.Fatalf("stop with grace %v, want %v", g, want)
			}
		case <-time.After(waitTimeout):
			t.Fatalf("no stop with grace %v", want)
		}
	}
	if _, err := e.pods.Delete(e.ctx, "default", "web", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	waitStop(30 * time.Second)
	e.clk.Step(10 * time.Second)
	if _, err := e.pods.Delete(e.ctx, "default", "web", store.DeleteOptions{GracePeriodSeconds: ptr(int64(5))}); err != nil {
		t.Fatal(err)
	}
	waitStop(5 * time.Second)
	if r.rt.Running() != 1 {
		t.Fatal("the container stopped before the shorter grace period ended")
	}
	e.clk.Step(5 * time.Second)
	e.waitPodGone("default", "web")
	if r.rt.Running() != 0 {
		t.Fatal("pod removed while its container runs")
	}
}

// TestPodRemovedOutrightIsStopped: a pod the store removes without a grace period is stopped
// and its sandbox removed.
func TestPodRemovedOutrightIsStopped(t *testing.T) {
	e := newEnv(t)
	r := e.start("node-a", nodeagent.Options{}, hollow.Options{})
	removed := make(chan string, 10)
	defer r.rt.Subscribe(func(ev nodeagent.Event) {
		if ev.Type == nodeagent.EventSandboxRemoved {
			removed <- ev.SandboxID
		}
	})()
	e.createPod(newPod("web", "node-a", "nginx"))
	e.waitPod("default", "web", "running", isRunningReady)
	if _, err := e.pods.Delete(e.ctx, "default", "web", store.DeleteOptions{GracePeriodSeconds: ptr(int64(0))}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-removed:
	case <-time.After(waitTimeout):
		t.Fatal("sandbox of the removed pod not removed")
	}
	if n := r.rt.Running(); n != 0 {
		t.Fatalf("%d containers still running", n)
	}
	// The same name again is a new pod with a new sandbox.
	e.createPod(newPod("web", "node-a", "nginx"))
	e.waitPod("default", "web", "running again", isRunningReady)
}

func TestAdmission(t *testing.T) {
	e := newEnv(t)
	e.start("node-a", nodeagent.Options{
		Capacity: corev1.ResourceList{"cpu": mustQ("2"), "memory": mustQ("4Gi"), "pods": mustQ("3")},
		Labels:   map[string]string{"disktype": "hdd"},
	}, hollow.Options{})
	steps := []struct {
		pod         *corev1.Pod
		wantReason  string
		wantMessage string
	}{
		{pod: withRequests(newPod("big", "node-a", "nginx"), "1500m", "1Gi")},
		{pod: withRequests(newPod("too-much-cpu", "node-a", "nginx"), "1", ""), wantReason: "OutOfcpu",
			wantMessage: "Pod was rejected: Node didn't have enough resource: cpu, requested: 1000, used: 1500, capacity: 2000"},
		{pod: withRequests(newPod("too-much-memory", "node-a", "nginx"), "", "1Gi"), wantReason: "OutOfmemory"},
		{pod: func() *corev1.Pod {
			p := newPod("wrong-disk", "node-a", "nginx")
			p.Spec.NodeSelector = map[string]string{"disktype": "ssd"}
			return p
		}(), wantReason: nodeagent.ReasonNodeAffinity,
			wantMessage: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"},
		{pod: withRequests(newPod("small-1", "node-a", "nginx"), "100m", "")},
		{pod: newPod("small-2", "node-a", "nginx")},
		{pod: newPod("one-too-many", "node-a", "nginx"), wantReason: "OutOfpods",
			wantMessage: "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3"},
	}
	for _, s := range steps {
		if strings.HasSuffix(s.pod.Name, "memory") {
			s.pod.Spec.Containers[0].Resources.Requests["memory"] = mustQ("3073Mi")
		}
		e.createPod(s.pod)
		if s.wantReason == "" {
			e.waitPod("default", s.pod.Name, "running", isRunningReady)
			continue
		}
		got := e.waitPod("default", s.pod.Name, "rejection", func(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodFailed })
		if got.Status.Reason != s.wantReason {
			t.Errorf("%s: reason %q, want %q", s.pod.Name, got.Status.Reason, s.wantReason)
		}
		if s.wantMessage != "" && got.Status.Message != s.wantMessage {
			t.Errorf("%s: message %q, want %q", s.pod.Name, got.Status.Message, s.wantMessage)
		}
		if len(got.Status.ContainerStatuses) != 0 || got.Status.PodIP != "" {
			t.Errorf("%s: a rejected pod ran: %s", s.pod.Name, podSummary(got))
		}
	}
	// Freeing the big pod makes room.
	if _, err := e.pods.Delete(e.ctx, "default", "big", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	e.waitPodGone("default", "big")
	e.createPod(withRequests(newPod("fits-now", "node-a", "nginx"), "1", ""))
	e.waitPod("default", "fits-now", "running", isRunningReady)
}

func TestInitContainers(t *testing.T) {
	tests := []struct {
		name      string
		initExit  int32
		policy    corev1.RestartPolicy
		wantPhase corev1.PodPhase
	}{
		{"init succeeds", 0, corev1.RestartPolicyAlways, corev1.PodRunning},
		{"init fails with Never", 1, corev1.RestartPolicyNever, corev1.PodFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.start("node-a", nodeagent.Options{}, hollow.Options{Images: map[string]hollow.Behavior{
				"setup": {ExitAfter: 3 * time.Second, ExitCode: tt.initExit},
			}})
			p := newPod("web", "node-a", "nginx")
			p.Spec.RestartPolicy = tt.policy
			p.Spec.InitContainers = []corev1.Container{{Name: "setup", Image: "setup"}}
			e.createPod(p)
			got := e.waitPod("default", "web", "initializing", func(p *corev1.Pod) bool {
				return len(p.Status.InitContainerStatuses) == 1 && p.Status.InitContainerStatuses[0].State.Running != nil
			})
			init := condition(got, corev1.PodInitialized)
			if got.Status.Phase != corev1.PodPending || init.Status != corev1.ConditionFalse ||
				init.Message != "containers with incomplete status: [setup]" || init.Reason != nodeagent.ReasonContainersNotInitialized {
				t.Fatalf("while initializing: %s, Initialized %+v", podSummary(got), init)
			}
			if w := got.Status.ContainerStatuses[0].State.Waiting; w == nil || w.Reason != nodeagent.ReasonPodInitializing {
				t.Fatalf("container while initializing: %+v", got.Status.ContainerStatuses[0].State)
			}
			e.clk.Step(3 * time.Second)
			got = e.waitPod("default", "web", string(tt.wantPhase), func(p *corev1.Pod) bool {
				if tt.wantPhase == corev1.PodRunning {
					return isRunningReady(p)
				}
				return p.Status.Phase == tt.wantPhase
			})
			ic := got.Status.InitContainerStatuses[0]
			if ic.State.Terminated == nil || ic.State.Terminated.ExitCode != tt.initExit {
				t.Fatalf("init container: %+v", ic.State)
			}
			if tt.wantPhase == corev1.PodRunning && condition(got, corev1.PodInitialized).Status != corev1.ConditionTrue {
				t.Fatalf("Initialized = %+v", condition(got, corev1.PodInitialized))
			}
		})
	}
}

func TestActiveDeadline(t *testing.T) {
	e := newEnv(t)
	r := e.start("node-a", nodeagent.Options{}, hollow.Options{})
	p := newPod("job", "node-a", "worker")
	p.Spec.ActiveDeadlineSeconds = ptr(int64(60))
	p.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
	e.createPod(p)
	e.waitPod("default", "job", "running", isRunningReady)
	e.clk.Step(time.Minute)
	got := e.waitPod("default", "job", "deadline", func(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodFailed })
	if got.Status.Reason != nodeagent.ReasonDeadlineExceeded || !strings.Contains(got.Status.Message, "deadline") {
		t.Fatalf("status: %s %q", got.Status.Reason, got.Status.Message)
	}
	if r.rt.Running() != 0 {
		t.Fatal("containers still run after the deadline")
	}
}

func mustQ(s string) resource.Quantity { return resource.MustParse(s) }

// TestStartupProbe: until the startup probe succeeds the container is not started (nor ready);
// failureThreshold failures in a row restart it.
func TestStartupProbe(t *testing.T) {
	S, F := nodeagent.ProbeSuccess, nodeagent.ProbeFailure
	tests := []struct {
		name         string
		results      []nodeagent.ProbeResult
		wantRestarts int32
	}{
		{"succeeds on the second probe", []nodeagent.ProbeResult{F, S}, 0},
		{"fails twice and restarts", []nodeagent.ProbeResult{F, F, S}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			script := &probeScript{results: tt.results, calls: make(chan time.Time, 100), clk: e.clk}
			e.start("node-a", nodeagent.Options{}, hollow.Options{Probe: script.probe})
			p := newPod("web", "node-a", "nginx")
			p.Spec.Containers[0].StartupProbe = &corev1.Probe{PeriodSeconds: 5, FailureThreshold: 2,
				ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(80)}}}
			e.createPod(p)
			script.wait(t, t0) // the first probe runs as the container starts
			got := e.waitPod("default", "web", "running, not started", func(p *corev1.Pod) bool { return running0(p) != nil })
			if cs := got.Status.ContainerStatuses[0]; *cs.Started || cs.Ready {
				t.Fatalf("before the startup probe succeeded: started=%v ready=%v", *cs.Started, cs.Ready)
			}
			e.clk.Step(5 * time.Second)
			script.wait(t, t0.Add(5*time.Second))
			if tt.wantRestarts > 0 {
				// Restarted at t0+5; the new container's first startup probe runs at once.
				script.wait(t, t0.Add(5*time.Second))
			}
			got = e.waitPod("default", "web", "started", func(p *corev1.Pod) bool {
				cs := p.Status.ContainerStatuses[0]
				return *cs.Started && cs.Ready && cs.RestartCount == tt.wantRestarts
			})
			if !isRunningReady(got) {
				t.Fatalf("after the startup probe: %s", podSummary(got))
			}
		})
	}
}

// TestImageChangeRestartsContainer: a new image in the pod's spec restarts the container with it.
func TestImageChangeRestartsContainer(t *testing.T) {
	e := newEnv(t)
	e.start("node-a", nodeagent.Options{}, hollow.Options{})
	e.createPod(newPod("web", "node-a", "nginx:1.26"))
	e.waitPod("default", "web", "running", isRunningReady)
	if _, err := e.pods.GuaranteedUpdate(e.ctx, "default", "web", func(p *corev1.Pod) (*corev1.Pod, error) {
		p.Spec.Containers[0].Image = "nginx:1.27"
		return p, nil
	}, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	got := e.waitPod("default", "web", "restart with the new image", func(p *corev1.Pod) bool {
		cs := p.Status.ContainerStatuses[0]
		return cs.Image == "nginx:1.27" && cs.RestartCount == 1 && cs.State.Running != nil && cs.Ready
	})
	if !strings.HasPrefix(got.Status.ContainerStatuses[0].ImageID, "nginx@sha256:") {
		t.Errorf("imageID = %q", got.Status.ContainerStatuses[0].ImageID)
	}
}

// TestPendingWhileContainersStart: with a slow runtime the pod shows Pending with its
// containers ContainerCreating (and its IPs and start time) until they run.
func TestPendingWhileContainersStart(t *testing.T) {
	e := newEnv(t)
	e.start("node-a", nodeagent.Options{}, hollow.Options{StartLatency: 5 * time.Second})
	e.createPod(newPod("web", "node-a", "nginx"))
	got := e.waitPod("default", "web", "pending", func(p *corev1.Pod) bool { return len(p.Status.ContainerStatuses) == 1 })
	cs := got.Status.ContainerStatuses[0]
	if got.Status.Phase != corev1.PodPending || cs.State.Waiting == nil || cs.State.Waiting.Reason != nodeagent.ReasonContainerCreating ||
		got.Status.PodIP == "" || got.Status.StartTime == nil || *cs.Started || cs.Ready {
		t.Fatalf("while starting: %s ip=%q start=%v", podSummary(got), got.Status.PodIP, got.Status.StartTime)
	}
	if c := condition(got, corev1.PodReadyToStartContainers); c == nil || c.Status != corev1.ConditionTrue {
		t.Errorf("PodReadyToStartContainers = %+v", c)
	}
	e.clk.Step(5 * time.Second)
	got = e.waitPod("default", "web", "running", isRunningReady)
	if !running0(got).StartedAt.Time.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("started at %v", running0(got).StartedAt)
	}
}
