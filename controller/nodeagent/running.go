package nodeagent

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Reasons the agent reports, the kubelet's: waiting reasons of containers, and the reason of a
// pod past its deadline.
const (
	ReasonContainerCreating    = "ContainerCreating"
	ReasonPodInitializing      = "PodInitializing"
	ReasonCrashLoopBackOff     = "CrashLoopBackOff"
	ReasonCreateContainerError = "CreateContainerError"
	// ReasonDeadlineExceeded is the reason of a pod failed for its activeDeadlineSeconds.
	ReasonDeadlineExceeded      = "DeadlineExceeded"
	messageDeadlineExceeded     = "Pod was active on the node longer than the specified deadline"
	labelPodName                = "io.kubernetes.pod.name"
	labelPodNamespace           = "io.kubernetes.pod.namespace"
	labelPodUID                 = "io.kubernetes.pod.uid"
	labelContainerName          = "io.kubernetes.container.name"
	annotationRestartCount      = "io.kubernetes.container.restartCount"
	annotationTerminationPeriod = "io.kubernetes.pod.terminationGracePeriod"
)

// soonest returns the earlier of two wake-up times, ignoring zero ones.
func soonest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero():
		return a
	case b.Before(a):
		return b
	}
	return a
}

// syncRunning runs the pod: sandbox, init containers in order, then the containers, restarts
// with back-off, probes; then writes the status.
func (a *Agent) syncRunning(ctx context.Context, rs *runState, w *podWorker) (time.Time, bool) {
	st := &w.st
	pod := st.pod
	now := a.clock.Now()
	retry := now.Add(a.opts.RetryInterval)
	if st.startTime == nil {
		t := meta.NewTime(now.Truncate(time.Second))
		st.startTime = &t
	}
	var next time.Time

	// Active deadline.
	if d := pod.Spec.ActiveDeadlineSeconds; d != nil {
		deadline := st.startTime.Add(time.Duration(*d) * time.Second)
		if !now.Before(deadline) {
			st.reason, st.message = ReasonDeadlineExceeded, messageDeadlineExceeded
			st.terminal = true
			a.event(pod, corev1.EventTypeNormal, ReasonDeadlineExceeded, "%s", messageDeadlineExceeded)
			return a.syncTerminal(ctx, rs, w)
		}
		next = deadline
	}

	// Sandbox.
	if st.sandboxID != "" {
		sb, err := a.rt.PodSandboxStatus(ctx, st.sandboxID)
		switch {
		case errors.Is(err, ErrNotFound) || (err == nil && sb.State != SandboxReady):
			a.log.V(2).Info("pod sandbox lost, creating a new one", "pod", w.key)
			if err == nil {
				if err := a.rt.RemovePodSandbox(ctx, st.sandboxID); err != nil && !errors.Is(err, ErrNotFound) {
					return retry, false
				}
			}
			st.sandboxID = ""
			for _, cs := range st.containers {
				if err := a.refreshContainer(ctx, cs, false); err != nil {
					return retry, false
				}
				cs.completed = false
			}
		case err != nil:
			return retry, false
		}
	}
	if st.sandboxID == "" {
		// A pod whose containers all finished for good gets no new sandbox.
		if st.sandboxAttempt > 0 && !a.anythingToStart(st) {
			st.terminal = true
			return a.syncTerminal(ctx, rs, w)
		}
		id, err := a.rt.RunPodSandbox(ctx, SandboxConfig{
			Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID, Attempt: st.sandboxAttempt,
			Hostname: hostnameOf(pod), Labels: pod.Labels, Annotations: pod.Annotations,
		})
		if err != nil {
			if ctx.Err() == nil {
				a.log.Error(err, "creating the pod sandbox failed", "pod", w.key)
				a.event(pod, corev1.EventTypeWarning, "FailedCreatePodSandBox", "Failed to create pod sandbox: %v", err)
			}
			return retry, false
		}
		sb, err := a.rt.PodSandboxStatus(ctx, id)
		if err != nil {
			return retry, false
		}
		st.sandboxID = id
		st.sandboxAttempt++
		st.podIP = sb.IP
		for _, cs := range st.containers {
			cs.completed = false
		}
		st.shownCreating = false
	}

	// Init containers, one at a time.
	initialized := true
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		cs := st.ctr(c.Name)
		if err := a.refreshContainer(ctx, cs, false); err != nil {
			return retry, false
		}
		if isSidecar(c) {
			n, ok := a.syncContainer(ctx, w, c, cs, corev1.RestartPolicyAlways, now)
			next = soonest(next, n)
			if !ok {
				return retry, false
			}
			if cs.cur == nil || cs.cur.State != ContainerRunning || !startedOK(c, cs) {
				initialized = false
				break
			}
			continue
		}
		if cs.completed || (cs.cur != nil && cs.cur.State == ContainerExited && cs.cur.ExitCode == 0) {
			cs.completed = true
			continue
		}
		initialized = false
		policy := pod.Spec.RestartPolicy
		if policy == corev1.RestartPolicyAlways || policy == "" {
			policy = corev1.RestartPolicyOnFailure
		}
		n, ok := a.syncContainer(ctx, w, c, cs, policy, now)
		next = soonest(next, n)
		if !ok {
			return retry, false
		}
		if cs.cur != nil && cs.cur.State == ContainerExited && cs.cur.ExitCode == 0 {
			cs.completed = true
			// Go on with the next one at once.
			next = now
		}
		break
	}

	if initialized {
		policy := pod.Spec.RestartPolicy
		if policy == "" {
			policy = corev1.RestartPolicyAlways
		}
		for i := range pod.Spec.Containers {
			c := &pod.Spec.Containers[i]
			cs := st.ctr(c.Name)
			if err := a.refreshContainer(ctx, cs, false); err != nil {
				return retry, false
			}
			n, ok := a.syncContainer(ctx, w, c, cs, policy, now)
			next = soonest(next, n)
			if !ok {
				return retry, false
			}
		}
	}

	status := a.generateStatus(w)
	if isTerminalPhase(status.Phase) {
		st.terminal = true
		return a.syncTerminal(ctx, rs, w)
	}
	if err := a.writeStatus(ctx, w, status); err != nil && !gone(err) {
		return soonest(next, retry), false
	}
	return next, false
}

// anythingToStart reports whether some container of a pod that lost its sandbox would run
// again under the restart policy.
func (a *Agent) anythingToStart(st *podState) bool {
	policy := st.pod.Spec.RestartPolicy
	for i := range st.pod.Spec.Containers {
		c := &st.pod.Spec.Containers[i]
		cs := st.containers[c.Name]
		if cs == nil || cs.cur == nil || cs.cur.State != ContainerExited {
			return true
		}
		if shouldRestart(policy, cs) {
			return true
		}
	}
	return false
}

func hostnameOf(pod *corev1.Pod) string {
	if pod.Spec.Hostname != "" {
		return pod.Spec.Hostname
	}
	return pod.Name
}

func isSidecar(c *corev1.Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// shouldRestart says whether an exited container is started again under policy.
func shouldRestart(policy corev1.RestartPolicy, cs *ctrState) bool {
	switch policy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return cs.restartAnyway || cs.cur.ExitCode != 0
	}
	return true
}

// startedOK reports whether a running container passed its startup probe (or has none).
func startedOK(c *corev1.Container, cs *ctrState) bool {
	return c.StartupProbe == nil || (cs.start.forID == cs.cur.ID && cs.start.result == ProbeSuccess)
}

// syncContainer drives one container: creates and starts it, restarts it after an exit when
// policy says so (with the crash-loop back-off), and runs its probes. It returns when it wants
// to run again and false when the runtime failed (retry later).
func (a *Agent) syncContainer(ctx context.Context, w *podWorker, c *corev1.Container, cs *ctrState, policy corev1.RestartPolicy, now time.Time) (time.Time, bool) {
	st := &w.st
	cs.waitingBackoff = false
	switch {
	case cs.cur == nil:
		return a.startContainer(ctx, w, c, cs, now, nil)
	case cs.cur.State == ContainerCreated:
		// Created but not started (the agent stopped in between): start it.
		if err := a.rt.StartContainer(ctx, cs.cur.ID); err != nil && !errors.Is(err, ErrStartFailed) {
			if errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvalidState) {
				return now, true
			}
			return time.Time{}, false
		}
		if err := a.refreshContainer(ctx, cs, false); err != nil {
			return time.Time{}, false
		}
		return now, true
	case cs.cur.State == ContainerRunning && cs.cur.Image != c.Image:
		// The image was changed (the one mutable part of a container's spec): restart with
		// the new one.
		a.event(st.pod, corev1.EventTypeNormal, "Killing", "Container %s definition changed, will be restarted", c.Name)
		if err := a.rt.StopContainer(ctx, cs.cur.ID, a.graceOf(st.pod, false)); err != nil && !errors.Is(err, ErrNotFound) {
			return time.Time{}, false
		}
		if err := a.refreshContainer(ctx, cs, false); err != nil {
			return time.Time{}, false
		}
		cs.restartAnyway = true
		cs.ready = false
		return now, true
	case cs.cur.State == ContainerRunning:
		return a.probeContainer(ctx, w, c, cs, now)
	}
	// Exited.
	cs.ready = false
	if !shouldRestart(policy, cs) {
		return time.Time{}, true
	}
	finished := cs.cur.FinishedAt
	if until, wait := cs.backoff.wait(finished, now); wait {
		if !cs.waitingBackoffSeen {
			a.event(st.pod, corev1.EventTypeWarning, "BackOff", "Back-off restarting failed container %s in pod %s", c.Name, st.pod.Name)
		}
		cs.waitingBackoff = true
		cs.waitingBackoffSeen = true
		return until, true
	}
	cs.waitingBackoffSeen = false
	return a.startContainer(ctx, w, c, cs, now, &finished)
}

// startContainer creates and starts a new attempt of the container; the previous one becomes
// the last state (and the one before it is removed). restartOf is the exit time of the
// container this one replaces, nil for a first start: a restart raises the back-off once the
// new container exists.
func (a *Agent) startContainer(ctx context.Context, w *podWorker, c *corev1.Container, cs *ctrState, now time.Time, restartOf *time.Time) (time.Time, bool) {
	st := &w.st
	pod := st.pod
	attempt := cs.nextAttempt
	grace := a.graceOf(pod, false)
	cfg := ContainerConfig{
		Name: c.Name, Attempt: attempt, Image: c.Image,
		Command: c.Command, Args: c.Args, WorkingDir: c.WorkingDir,
		Env: a.resolveEnv(pod, c, st.podIP),
		Labels: map[string]string{
			labelPodName: pod.Name, labelPodNamespace: pod.Namespace, labelPodUID: string(pod.UID), labelContainerName: c.Name,
		},
		Annotations: map[string]string{
			annotationRestartCount:      fmt.Sprint(attempt),
			annotationTerminationPeriod: fmt.Sprint(int64(grace / time.Second)),
		},
	}
	id, err := a.rt.CreateContainer(ctx, st.sandboxID, cfg)
	if err != nil {
		switch {
		case errors.Is(err, ErrRuntimeDown) || ctx.Err() != nil:
			return time.Time{}, false
		case errors.Is(err, ErrNotFound) || errors.Is(err, ErrInvalidState):
			// The sandbox went away under us: the next sync makes a new one.
			return now, true
		}
		cs.createErr = err.Error()
		a.event(pod, corev1.EventTypeWarning, "Failed", "Error: %v", err)
		return now.Add(a.opts.RetryInterval), true
	}
	cs.createErr = ""
	if restartOf != nil {
		// The clock's time now, not the sync's start: a sync can be slower than the clock.
		cs.backoff.restart(*restartOf, a.clock.Now())
	}
	if cs.cur != nil {
		if cs.last != nil && cs.last.ID != "" && cs.last.ID != cs.cur.ID {
			// Only the newest dead container is kept (for its last state); an error leaves an
			// older one behind, which the sandbox's removal takes away.
			if err := a.rt.RemoveContainer(ctx, cs.last.ID); err != nil && !errors.Is(err, ErrNotFound) {
				a.log.V(2).Info("removing an old container failed", "pod", w.key, "container", c.Name, "error", err.Error())
			}
		}
		prev := *cs.cur
		cs.last = &prev
	}
	cs.cur = &ContainerStatus{ID: id, SandboxID: st.sandboxID, Name: c.Name, Attempt: attempt, Image: c.Image, State: ContainerCreated}
	cs.restartCount = attempt
	cs.nextAttempt = attempt + 1
	cs.restartAnyway = false
	cs.ready = false
	a.event(pod, corev1.EventTypeNormal, "Created", "Created container %s", c.Name)
	if !st.shownCreating {
		// Show the pod as being set up (its IPs, start time, the container Created) before
		// the first start in a sandbox, which may take a while.
		st.shownCreating = true
		if err := a.writeStatus(ctx, w, a.generateStatus(w)); err != nil && !gone(err) {
			// Not fatal: the status after the start is written anyway.
			a.log.V(2).Info("writing the pending status failed", "pod", w.key, "error", err.Error())
		}
	}
	startErr := a.rt.StartContainer(ctx, id)
	if err := a.refreshContainer(ctx, cs, false); err != nil {
		return time.Time{}, false
	}
	switch {
	case startErr == nil:
		a.event(pod, corev1.EventTypeNormal, "Started", "Started container %s", c.Name)
	case errors.Is(startErr, ErrStartFailed):
		a.event(pod, corev1.EventTypeWarning, "Failed", "Error: %v", startErr)
	case errors.Is(startErr, ErrRuntimeDown) || ctx.Err() != nil:
		return time.Time{}, false
	default:
		a.log.Error(startErr, "starting a container failed", "pod", w.key, "container", c.Name)
	}
	if cs.cur.State == ContainerRunning {
		// Readiness of a container without probes, and the first probes, in this same sync.
		return a.probeContainer(ctx, w, c, cs, now)
	}
	// Look at the new state (an exit to handle) at once.
	return now, true
}

// resolveEnv gives the container's environment: literal values and references to the pod's
// own fields (metadata.name, metadata.namespace, metadata.uid, spec.nodeName,
// spec.serviceAccountName, status.podIP, status.hostIP, metadata.labels['k'],
// metadata.annotations['k']). Variables whose value comes from elsewhere (config maps,
// secrets, resource fields) are left out.
func (a *Agent) resolveEnv(pod *corev1.Pod, c *corev1.Container, podIP string) []EnvVar {
	var out []EnvVar
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			out = append(out, EnvVar{Name: e.Name, Value: e.Value})
		case e.ValueFrom.FieldRef != nil:
			if v, ok := a.podField(pod, e.ValueFrom.FieldRef.FieldPath, podIP); ok {
				out = append(out, EnvVar{Name: e.Name, Value: v})
			}
		}
	}
	return out
}

func (a *Agent) podField(pod *corev1.Pod, path, podIP string) (string, bool) {
	switch path {
	case "metadata.name":
		return pod.Name, true
	case "metadata.namespace":
		return pod.Namespace, true
	case "metadata.uid":
		return string(pod.UID), true
	case "spec.nodeName":
		return pod.Spec.NodeName, true
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, true
	case "status.podIP":
		return podIP, true
	case "status.hostIP":
		return a.hostIP, true
	}
	for _, p := range []struct {
		prefix string
		m      map[string]string
	}{{"metadata.labels['", pod.Labels}, {"metadata.annotations['", pod.Annotations}} {
		if len(path) > len(p.prefix)+2 && path[:len(p.prefix)] == p.prefix && path[len(path)-2:] == "']" {
			v, ok := p.m[path[len(p.prefix):len(path)-2]]
			return v, ok
		}
	}
	return "", false
}

// probeContainer runs the probes of a running container that are due, at most one of each
// kind per call, and applies their thresholds. A failed liveness or startup probe kills the
// container so that it restarts.
func (a *Agent) probeContainer(ctx context.Context, w *podWorker, c *corev1.Container, cs *ctrState, now time.Time) (time.Time, bool) {
	id := cs.cur.ID
	started := cs.cur.StartedAt
	var next time.Time
	if c.StartupProbe != nil && !(cs.start.forID == id && cs.start.result == ProbeSuccess) {
		n, res, ok := a.runProbe(ctx, id, StartupProbe, c.StartupProbe, &cs.start, started, ProbeFailure, now)
		if !ok {
			return time.Time{}, false
		}
		cs.ready = false
		if res == ProbeFailure && cs.start.run >= threshold(c.StartupProbe.FailureThreshold, corev1.DefaultProbeFailureThreshold) {
			return a.killForRestart(ctx, w, c, cs, c.StartupProbe, "Startup probe failed", now)
		}
		if res != ProbeSuccess {
			return n, true
		}
		next = soonest(next, n)
	}
	if c.LivenessProbe != nil {
		n, res, ok := a.runProbe(ctx, id, LivenessProbe, c.LivenessProbe, &cs.liveness, started, ProbeSuccess, now)
		if !ok {
			return time.Time{}, false
		}
		if res == ProbeFailure {
			return a.killForRestart(ctx, w, c, cs, c.LivenessProbe, "Liveness probe failed", now)
		}
		next = soonest(next, n)
	}
	if c.ReadinessProbe != nil {
		n, res, ok := a.runProbe(ctx, id, ReadinessProbe, c.ReadinessProbe, &cs.readiness, started, ProbeFailure, now)
		if !ok {
			return time.Time{}, false
		}
		if cs.ready != (res == ProbeSuccess) && res == ProbeFailure && cs.ready {
			a.event(w.st.pod, corev1.EventTypeWarning, "Unhealthy", "Readiness probe failed")
		}
		cs.ready = res == ProbeSuccess
		next = soonest(next, n)
	} else {
		cs.ready = true
	}
	return next, true
}

func threshold(v, def int32) int32 {
	if v <= 0 {
		return def
	}
	return v
}

// runProbe runs the probe if it is due and returns when the next one is, and the probe's
// current result after thresholds. The first probe runs initialDelaySeconds after the
// container started, then one every periodSeconds; a result counts once the same outcome
// came successThreshold (or failureThreshold) times in a row.
func (a *Agent) runProbe(ctx context.Context, id string, kind ProbeKind, p *corev1.Probe, ps *probeState, started time.Time, initial ProbeResult, now time.Time) (time.Time, ProbeResult, bool) {
	period := time.Duration(threshold(p.PeriodSeconds, corev1.DefaultProbePeriodSeconds)) * time.Second
	if ps.forID != id {
		*ps = probeState{forID: id, result: initial,
			next: started.Add(time.Duration(max(p.InitialDelaySeconds, 0)) * time.Second)}
	}
	if now.Before(ps.next) {
		return ps.next, ps.result, true
	}
	res, err := a.rt.Probe(ctx, id, kind, p)
	if err != nil {
		if errors.Is(err, ErrRuntimeDown) || ctx.Err() != nil {
			return time.Time{}, ps.result, false
		}
		res = ProbeFailure
	}
	if res == ps.last {
		ps.run++
	} else {
		ps.last, ps.run = res, 1
	}
	switch {
	case res == ProbeFailure && ps.run >= threshold(p.FailureThreshold, corev1.DefaultProbeFailureThreshold):
		ps.result = ProbeFailure
	case res == ProbeSuccess && ps.run >= threshold(p.SuccessThreshold, corev1.DefaultProbeSuccessThreshold):
		ps.result = ProbeSuccess
	}
	ps.next = ps.next.Add(period)
	return ps.next, ps.result, true
}

// killForRestart stops a container that failed its liveness or startup probe; it is then
// restarted unless the pod's policy is Never.
func (a *Agent) killForRestart(ctx context.Context, w *podWorker, c *corev1.Container, cs *ctrState, p *corev1.Probe, why string, now time.Time) (time.Time, bool) {
	grace := a.graceOf(w.st.pod, false)
	if p.TerminationGracePeriodSeconds != nil {
		grace = time.Duration(max(*p.TerminationGracePeriodSeconds, 0)) * time.Second
	}
	a.event(w.st.pod, corev1.EventTypeWarning, "Unhealthy", "%s", why)
	a.event(w.st.pod, corev1.EventTypeNormal, "Killing", "Container %s %s, will be restarted", c.Name, why)
	cs.ready = false
	if err := a.rt.StopContainer(ctx, cs.cur.ID, grace); err != nil && !errors.Is(err, ErrNotFound) {
		return time.Time{}, false
	}
	if err := a.refreshContainer(ctx, cs, false); err != nil {
		return time.Time{}, false
	}
	cs.restartAnyway = true
	return now, true
}
