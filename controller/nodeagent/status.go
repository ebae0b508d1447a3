package nodeagent

import (
	"reflect"
	"strings"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Pod condition reasons, the kubelet's.
const (
	ReasonContainersNotReady       = "ContainersNotReady"
	ReasonContainersNotInitialized = "ContainersNotInitialized"
	ReasonPodCompleted             = "PodCompleted"
	ReasonReadinessGatesNotReady   = "ReadinessGatesNotReady"
)

func metaTime(t time.Time) meta.Time {
	if t.IsZero() {
		return meta.Time{}
	}
	return meta.NewTime(t.Truncate(time.Second))
}

// containerID is the ID the agent publishes: <runtime>://<id>.
func (a *Agent) containerID(id string) string {
	if id == "" {
		return ""
	}
	name := "runtime"
	if rs := a.currentRun(); rs != nil {
		rs.nodeMu.Lock()
		if rs.runtimeVer.Name != "" {
			name = rs.runtimeVer.Name
		}
		rs.nodeMu.Unlock()
	}
	return name + "://" + id
}

func (a *Agent) currentRun() *runState {
	a.runMu.Lock()
	defer a.runMu.Unlock()
	return a.run
}

func terminatedOf(a *Agent, s *ContainerStatus) *corev1.ContainerStateTerminated {
	return &corev1.ContainerStateTerminated{
		ExitCode: s.ExitCode, Reason: s.Reason, Message: s.Message,
		StartedAt: metaTime(s.StartedAt), FinishedAt: metaTime(s.FinishedAt),
		ContainerID: a.containerID(s.ID),
	}
}

// containerStatus converts what the agent knows of one container.
func (a *Agent) containerStatus(w *podWorker, c *corev1.Container, waitingReason string) corev1.ContainerStatus {
	st := &w.st
	cs := st.containers[c.Name]
	out := corev1.ContainerStatus{Name: c.Name, Image: c.Image}
	started := false
	if cs == nil {
		out.State.Waiting = &corev1.ContainerStateWaiting{Reason: waitingReason}
		out.Started = &started
		return out
	}
	out.RestartCount = cs.restartCount
	if cs.last != nil {
		out.LastTerminationState.Terminated = terminatedOf(a, cs.last)
	}
	switch {
	case cs.cur == nil:
		w := &corev1.ContainerStateWaiting{Reason: waitingReason}
		if cs.createErr != "" {
			w = &corev1.ContainerStateWaiting{Reason: ReasonCreateContainerError, Message: cs.createErr}
		}
		out.State.Waiting = w
	case cs.cur.State == ContainerCreated:
		out.State.Waiting = &corev1.ContainerStateWaiting{Reason: ReasonContainerCreating}
		out.ContainerID = a.containerID(cs.cur.ID)
		out.ImageID = cs.cur.ImageRef
	case cs.cur.State == ContainerRunning:
		out.State.Running = &corev1.ContainerStateRunning{StartedAt: metaTime(cs.cur.StartedAt)}
		out.ContainerID = a.containerID(cs.cur.ID)
		out.ImageID = cs.cur.ImageRef
		started = startedOK(c, cs)
		out.Ready = cs.ready && started
	default: // Exited
		out.ContainerID = a.containerID(cs.cur.ID)
		out.ImageID = cs.cur.ImageRef
		if cs.waitingBackoff && !st.terminal {
			out.State.Waiting = &corev1.ContainerStateWaiting{Reason: ReasonCrashLoopBackOff,
				Message: "back-off " + cs.backoff.d.String() + " restarting failed container=" + c.Name +
					" pod=" + st.pod.Name + "_" + st.pod.Namespace + "(" + string(st.pod.UID) + ")"}
			out.LastTerminationState.Terminated = terminatedOf(a, cs.cur)
		} else {
			out.State.Terminated = terminatedOf(a, cs.cur)
		}
	}
	out.Started = &started
	return out
}

// generateStatus computes the pod's status from what the agent knows: phase, conditions,
// container statuses, IPs, start time and QoS class.
func (a *Agent) generateStatus(w *podWorker) *corev1.PodStatus {
	st := &w.st
	pod := st.pod
	s := &corev1.PodStatus{
		ObservedGeneration: pod.Generation,
		QOSClass:           pod.Status.QOSClass,
		StartTime:          st.startTime,
		Reason:             st.reason,
		Message:            st.message,
	}
	if s.QOSClass == "" {
		// The API server (store/registry) records the class at creation and it never changes;
		// only a pod created without it (a bare store) gets the agent's own computation.
		s.QOSClass = qosClass(pod)
	}
	if a.hostIP != "" {
		s.HostIP = a.hostIP
		s.HostIPs = []corev1.HostIP{{IP: a.hostIP}}
	}
	if st.podIP != "" {
		s.PodIP = st.podIP
		s.PodIPs = []corev1.PodIP{{IP: st.podIP}}
	}

	// Init containers.
	initialized := true
	var pendingInit []string
	initFailed := false
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		cs := st.containers[c.Name]
		reason := ReasonPodInitializing
		if i == 0 || initialized {
			reason = ReasonContainerCreating
		}
		s.InitContainerStatuses = append(s.InitContainerStatuses, a.containerStatus(w, c, reason))
		done := cs != nil && (cs.completed || (cs.cur != nil && cs.cur.State == ContainerExited && cs.cur.ExitCode == 0))
		if isSidecar(c) {
			done = cs != nil && cs.cur != nil && cs.cur.State == ContainerRunning && startedOK(c, cs)
		}
		if !done {
			if initialized {
				pendingInit = append(pendingInit, c.Name)
			}
			initialized = false
			if cs != nil && cs.cur != nil && cs.cur.State == ContainerExited && cs.cur.ExitCode != 0 &&
				pod.Spec.RestartPolicy == corev1.RestartPolicyNever && !isSidecar(c) {
				initFailed = true
			}
		}
	}
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		if initialized || containsString(pendingInit, c.Name) {
			continue
		}
		if cs := st.containers[c.Name]; cs == nil || !cs.completed {
			pendingInit = append(pendingInit, c.Name)
		}
	}

	// Containers.
	waiting, running, stopped, succeeded := 0, 0, 0, 0
	var unready []string
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		reason := ReasonContainerCreating
		if !initialized {
			reason = ReasonPodInitializing
		}
		cst := a.containerStatus(w, c, reason)
		s.ContainerStatuses = append(s.ContainerStatuses, cst)
		switch {
		case cst.State.Running != nil:
			running++
		case cst.State.Terminated != nil:
			stopped++
			if cst.State.Terminated.ExitCode == 0 {
				succeeded++
			}
		case cst.State.Waiting != nil:
			if cst.LastTerminationState.Terminated != nil {
				stopped++
				if cst.LastTerminationState.Terminated.ExitCode == 0 {
					succeeded++
				}
			} else {
				waiting++
			}
		}
		if !cst.Ready {
			unready = append(unready, c.Name)
		}
	}

	// Phase, as the kubelet computes it; a phase that became terminal stays.
	policy := pod.Spec.RestartPolicy
	if policy == "" {
		policy = corev1.RestartPolicyAlways
	}
	switch {
	case st.reason == ReasonDeadlineExceeded:
		s.Phase = corev1.PodFailed
	case initFailed:
		s.Phase = corev1.PodFailed
	case !initialized:
		s.Phase = corev1.PodPending
	case waiting > 0:
		s.Phase = corev1.PodPending
	case running > 0:
		s.Phase = corev1.PodRunning
	case stopped > 0:
		switch {
		case st.terminal || st.pod.DeletionTimestamp != nil:
			if stopped == succeeded {
				s.Phase = corev1.PodSucceeded
			} else {
				s.Phase = corev1.PodFailed
			}
		case policy == corev1.RestartPolicyAlways:
			s.Phase = corev1.PodRunning
		case stopped == succeeded:
			s.Phase = corev1.PodSucceeded
		case policy == corev1.RestartPolicyNever:
			s.Phase = corev1.PodFailed
		default:
			s.Phase = corev1.PodRunning
		}
	default:
		s.Phase = corev1.PodPending
	}
	if st.terminal && !isTerminalPhase(s.Phase) {
		// Stopped before everything ran (deleted while pending): the containers never
		// succeeded.
		s.Phase = corev1.PodFailed
	}
	if isTerminalPhase(pod.Status.Phase) {
		s.Phase = pod.Status.Phase
	}

	// Conditions.
	now := metaTime(a.clock.Now())
	prev := pod.Status.Conditions
	if st.lastStatus != nil {
		prev = st.lastStatus.Conditions
	}
	cond := func(t corev1.PodConditionType, ok bool, reason, message string) corev1.PodCondition {
		c := corev1.PodCondition{Type: t, Status: corev1.ConditionFalse, Reason: reason, Message: message,
			ObservedGeneration: pod.Generation}
		if ok {
			c.Status, c.Reason, c.Message = corev1.ConditionTrue, "", ""
		}
		c.LastTransitionTime = now
		for _, p := range prev {
			if p.Type == t && p.Status == c.Status && !p.LastTransitionTime.IsZero() {
				c.LastTransitionTime = p.LastTransitionTime
			}
		}
		return c
	}
	sandboxReady := st.sandboxID != "" && !st.terminal
	initMsg := ""
	if !initialized {
		initMsg = "containers with incomplete status: [" + strings.Join(pendingInit, " ") + "]"
	}
	readyReason, readyMsg := ReasonContainersNotReady, "containers with unready status: ["+strings.Join(unready, " ")+"]"
	containersReady := len(unready) == 0 && len(pod.Spec.Containers) > 0
	if s.Phase == corev1.PodSucceeded {
		readyReason, readyMsg, containersReady = ReasonPodCompleted, "", false
	}
	gatesOK := true
	var missingGates []string
	for _, g := range pod.Spec.ReadinessGates {
		found := false
		for _, c := range pod.Status.Conditions {
			if c.Type == g.ConditionType && c.Status == corev1.ConditionTrue {
				found = true
			}
		}
		if !found {
			gatesOK = false
			missingGates = append(missingGates, string(g.ConditionType))
		}
	}
	podReady := cond(corev1.PodReady, containersReady && gatesOK, readyReason, readyMsg)
	if containersReady && !gatesOK {
		podReady = cond(corev1.PodReady, false, ReasonReadinessGatesNotReady,
			"corresponding condition of pod readiness gate \""+strings.Join(missingGates, "\", \"")+"\" does not exist.")
	}
	scheduled := cond(corev1.PodScheduled, true, "", "")
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodScheduled {
			scheduled = c
		}
	}
	s.Conditions = []corev1.PodCondition{
		cond(corev1.PodReadyToStartContainers, sandboxReady, "", ""),
		cond(corev1.PodInitialized, initialized, ReasonContainersNotInitialized, initMsg),
		podReady,
		cond(corev1.ContainersReady, containersReady, readyReason, readyMsg),
		scheduled,
	}
	return s
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ownedConditions are the pod conditions the agent writes; others are kept.
var ownedConditions = map[corev1.PodConditionType]bool{
	corev1.PodReadyToStartContainers: true, corev1.PodInitialized: true, corev1.PodReady: true,
	corev1.ContainersReady: true, corev1.PodScheduled: true,
}

// mergeStatus returns want with the parts of cur the agent does not own: conditions of other
// types, nominatedNodeName, resize and resource claim statuses. A terminal phase of cur stays.
func mergeStatus(cur, want *corev1.PodStatus) *corev1.PodStatus {
	out := want.DeepCopy()
	for _, c := range cur.Conditions {
		if !ownedConditions[c.Type] {
			out.Conditions = append(out.Conditions, c)
		}
	}
	out.NominatedNodeName = cur.NominatedNodeName
	out.Resize = cur.Resize
	out.ResourceClaimStatuses = cur.ResourceClaimStatuses
	if isTerminalPhase(cur.Phase) && !isTerminalPhase(out.Phase) {
		out.Phase = cur.Phase
	}
	return out
}

func equalStatus(a, b *corev1.PodStatus) bool {
	return reflect.DeepEqual(a, b)
}

// qosClass is the pod's quality of service class: Guaranteed when every container limits cpu
// and memory and requests equal limits, BestEffort when none requests or limits anything,
// Burstable otherwise.
func qosClass(pod *corev1.Pod) corev1.PodQOSClass {
	all := append(append([]corev1.Container(nil), pod.Spec.InitContainers...), pod.Spec.Containers...)
	any, guaranteed := false, true
	for _, c := range all {
		for _, rl := range []corev1.ResourceList{c.Resources.Requests, c.Resources.Limits} {
			for name, q := range rl {
				if (name == corev1.ResourceCPU || name == corev1.ResourceMemory) && !q.IsZero() {
					any = true
				}
			}
		}
		for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			lim, ok := c.Resources.Limits[name]
			if !ok || lim.IsZero() {
				guaranteed = false
				continue
			}
			if req, ok := c.Resources.Requests[name]; ok && req.Cmp(lim) != 0 {
				guaranteed = false
			}
		}
	}
	switch {
	case !any:
		return corev1.PodQOSBestEffort
	case guaranteed:
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}
