package nodeagent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
)

// podKey identifies one pod: a pod deleted and created again under the same name is another
// pod (another UID) and gets another worker.
type podKey struct {
	Namespace, Name string
	UID             meta.UID
}

func keyOf(p *corev1.Pod) podKey {
	return podKey{Namespace: p.Namespace, Name: p.Name, UID: p.UID}
}

// podWorker owns one pod: its goroutine is the only one that touches st.
type podWorker struct {
	key  podKey
	wake chan struct{}
	st   podState
}

func (w *podWorker) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// podState is what the agent knows of one pod beyond the store.
type podState struct {
	pod *corev1.Pod
	// decided: admission ran (or the pod was terminal when first seen).
	decided bool
	// rejection is the admission failure of a rejected pod.
	rejection *rejection
	// terminal: the pod reached Succeeded or Failed; nothing starts any more.
	terminal bool
	// torndown: everything of a terminal pod is stopped.
	torndown bool
	// deleted: the final Delete was sent.
	deleted bool
	// recovered: the runtime's leftovers for this pod were adopted.
	recovered bool

	// shownCreating: a status was written since the sandbox was created.
	shownCreating  bool
	sandboxID      string
	sandboxAttempt int32
	podIP          string
	startTime      *meta.Time
	// reason and message of the pod (DeadlineExceeded).
	reason, message string

	containers map[string]*ctrState
	lastStatus *corev1.PodStatus
}

// ctrState is what the agent knows of one container of a pod.
type ctrState struct {
	// cur is the runtime status of the newest container (nil when none exists).
	cur *ContainerStatus
	// last is the terminated status of the one before (the lastState).
	last *ContainerStatus
	// restartCount is the attempt of the newest container.
	restartCount int32
	// nextAttempt is the attempt of the next container to create.
	nextAttempt int32
	// createErr is why the last create failed.
	createErr string
	// backoff is the crash-loop back-off.
	backoff backOff
	// waitingBackoff: the container waits out its back-off.
	waitingBackoff bool
	// waitingBackoffSeen: the BackOff event of the current wait was recorded.
	waitingBackoffSeen bool
	// restartAnyway: the agent killed it (failed liveness or startup probe): it restarts
	// unless the policy is Never.
	restartAnyway bool
	// completed: an init container that exited 0 in the current sandbox.
	completed bool

	ready                      bool
	readiness, liveness, start probeState
}

// probeState tracks one probe of the current container.
type probeState struct {
	// forID is the container the state is about; a new container starts over.
	forID  string
	next   time.Time
	last   ProbeResult
	run    int32
	result ProbeResult
}

func (st *podState) ctr(name string) *ctrState {
	if st.containers == nil {
		st.containers = map[string]*ctrState{}
	}
	cs := st.containers[name]
	if cs == nil {
		cs = &ctrState{}
		st.containers[name] = cs
	}
	return cs
}

// notify wakes the worker of key, starting it when needed.
func (a *Agent) notify(rs *runState, key podKey) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if !rs.accepting {
		return
	}
	w := rs.workers[key]
	if w == nil {
		w = &podWorker{key: key, wake: make(chan struct{}, 1)}
		rs.workers[key] = w
		rs.byUID[key.UID] = key
		rs.wg.Add(1)
		go a.runWorker(rs, w)
	}
	w.poke()
}

func (a *Agent) runWorker(rs *runState, w *podWorker) {
	defer rs.wg.Done()
	var timer clock.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	ctx := rs.ctx
	for {
		var timerC <-chan time.Time
		if timer != nil {
			timerC = timer.C()
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-timerC:
		}
		if timer != nil {
			timer.Stop()
			timer = nil
		}
		next, done := a.syncPod(ctx, rs, w)
		if ctx.Err() != nil {
			return
		}
		if done {
			rs.mu.Lock()
			if len(w.wake) == 0 {
				delete(rs.workers, w.key)
				if rs.byUID[w.key.UID] == w.key {
					delete(rs.byUID, w.key.UID)
				}
				delete(rs.rejected, w.key.UID)
				rs.mu.Unlock()
				return
			}
			rs.mu.Unlock()
			continue
		}
		if next.IsZero() {
			continue
		}
		d := next.Sub(a.clock.Now())
		if d <= 0 {
			w.poke()
			continue
		}
		timer = a.clock.NewTimer(d)
	}
}

// cachedPod returns the pod of key from the informer's cache, nil when it is gone (or replaced
// by another pod of the same name).
func (a *Agent) cachedPod(rs *runState, key podKey) *corev1.Pod {
	p, ok := rs.lister.Namespace(key.Namespace).Get(key.Name)
	if !ok || p.UID != key.UID || p.Spec.NodeName != a.opts.NodeName {
		return nil
	}
	return p
}

func isTerminalPhase(p corev1.PodPhase) bool {
	return p == corev1.PodSucceeded || p == corev1.PodFailed
}

// syncPod brings one pod's containers and status in line with its spec. It returns when it
// wants to be called again (zero: only when something changes) and whether the pod is gone for
// good.
func (a *Agent) syncPod(ctx context.Context, rs *runState, w *podWorker) (time.Time, bool) {
	st := &w.st
	pod := a.cachedPod(rs, w.key)
	if pod != nil {
		st.pod = pod
	}
	if !st.recovered {
		if err := a.recover(ctx, rs, w); err != nil {
			a.log.Error(err, "adopting the runtime's containers failed", "pod", w.key)
			return a.clock.Now().Add(a.opts.RetryInterval), false
		}
	}
	if pod == nil {
		// Gone from the store (deleted outright, or our final delete went through).
		if err := a.killPod(ctx, w, a.graceOf(st.pod, false), true); err != nil {
			a.log.Error(err, "cleaning up a removed pod failed", "pod", w.key)
			return a.clock.Now().Add(a.opts.RetryInterval), false
		}
		a.release(rs, w.key.UID)
		return time.Time{}, true
	}
	if !st.decided {
		st.decided = true
		switch {
		case isTerminalPhase(pod.Status.Phase):
			st.terminal = true
		case pod.DeletionTimestamp == nil:
			if r := a.admit(rs, pod); r != nil {
				st.rejection = r
				st.terminal = true
				a.event(pod, corev1.EventTypeWarning, r.reason, "%s", r.message)
			}
		}
	}
	if st.rejection != nil {
		return a.writeRejection(ctx, w)
	}
	if isTerminalPhase(pod.Status.Phase) {
		st.terminal = true
	}
	if pod.DeletionTimestamp != nil {
		return a.syncDeletion(ctx, rs, w)
	}
	if st.terminal {
		return a.syncTerminal(ctx, rs, w)
	}
	return a.syncRunning(ctx, rs, w)
}

// graceOf is the grace period to stop a pod's containers with: the deletion grace period of a
// pod being deleted, else its terminationGracePeriodSeconds (default 30 s).
func (a *Agent) graceOf(pod *corev1.Pod, deleting bool) time.Duration {
	if pod == nil {
		return 0
	}
	if deleting && pod.DeletionGracePeriodSeconds != nil {
		return time.Duration(max(*pod.DeletionGracePeriodSeconds, 0)) * time.Second
	}
	if pod.Spec.TerminationGracePeriodSeconds != nil {
		return time.Duration(max(*pod.Spec.TerminationGracePeriodSeconds, 0)) * time.Second
	}
	return time.Duration(corev1.DefaultTerminationGracePeriodSeconds) * time.Second
}

// writeRejection writes the status of a pod admission refused.
func (a *Agent) writeRejection(ctx context.Context, w *podWorker) (time.Time, bool) {
	st := &w.st
	status := st.pod.Status.DeepCopy()
	status.Phase = corev1.PodFailed
	status.Reason = st.rejection.reason
	status.Message = st.rejection.message
	if err := a.writeStatus(ctx, w, status); err != nil {
		return a.clock.Now().Add(a.opts.RetryInterval), false
	}
	return time.Time{}, false
}

// syncDeletion stops the containers of a pod being deleted within its grace period, writes its
// final status, and deletes it for good (grace 0, UID precondition).
func (a *Agent) syncDeletion(ctx context.Context, rs *runState, w *podWorker) (time.Time, bool) {
	st := &w.st
	if st.deleted {
		return time.Time{}, false
	}
	if !st.torndown {
		grace := a.graceOf(st.pod, true)
		a.event(st.pod, corev1.EventTypeNormal, "Killing", "Stopping pod with grace period %v", grace)
		if err := a.killCuttable(ctx, rs, w, grace); err != nil {
			if errors.Is(err, errGraceShortened) {
				return a.clock.Now(), false
			}
			if ctx.Err() == nil {
				a.log.Error(err, "stopping a deleted pod failed", "pod", w.key)
			}
			return a.clock.Now().Add(a.opts.RetryInterval), false
		}
		st.torndown = true
	}
	st.terminal = true
	a.release(rs, w.key.UID)
	status := a.generateStatus(w)
	if err := a.writeStatus(ctx, w, status); err != nil && !gone(err) {
		return a.clock.Now().Add(a.opts.RetryInterval), false
	}
	zero := int64(0)
	uid := w.key.UID
	_, err := a.pods.Delete(ctx, w.key.Namespace, w.key.Name, store.DeleteOptions{
		GracePeriodSeconds: &zero,
		Preconditions:      &meta.Preconditions{UID: &uid},
	})
	if err != nil && !gone(err) {
		a.log.Error(err, "deleting a stopped pod failed", "pod", w.key)
		return a.clock.Now().Add(a.opts.RetryInterval), false
	}
	st.deleted = true
	return time.Time{}, false
}

// errGraceShortened: a kill was cut short to start again with a shorter grace period.
var errGraceShortened = errors.New("grace period shortened")

// killCuttable stops the pod's containers with grace like killPod, but gives up (with
// errGraceShortened) when the pod is deleted again with a shorter grace period, or removed,
// while it waits: the caller starts over with the new grace period, as the kubelet does.
func (a *Agent) killCuttable(ctx context.Context, rs *runState, w *podWorker, grace time.Duration) error {
	kctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.killPod(kctx, w, grace, false) }()
	woken := false
	// A wake consumed here is handed on to the worker loop.
	defer func() {
		if woken {
			w.poke()
		}
	}()
	for {
		select {
		case err := <-done:
			return err
		case <-w.wake:
			woken = true
			// Only the pod's store state is read here; w.st belongs to killPod until it ends.
			p := a.cachedPod(rs, w.key)
			if p == nil || a.graceOf(p, true) < grace {
				cancel()
				if err := <-done; err == nil {
					return nil
				}
				return errGraceShortened
			}
		}
	}
}

// gone reports whether err says the pod is not there any more (deleted, or replaced by another
// with the same name).
func gone(err error) bool {
	return apierrors.IsNotFound(err) || apierrors.IsConflict(err)
}

// syncTerminal makes sure nothing of a finished pod runs and its final status is written.
func (a *Agent) syncTerminal(ctx context.Context, rs *runState, w *podWorker) (time.Time, bool) {
	st := &w.st
	if !st.torndown {
		if err := a.killPod(ctx, w, a.graceOf(st.pod, false), false); err != nil {
			return a.clock.Now().Add(a.opts.RetryInterval), false
		}
		st.torndown = true
	}
	a.release(rs, w.key.UID)
	// A pod the store already shows as finished keeps the status it has (its reason and
	// message, from an admission failure for instance).
	if !isTerminalPhase(st.pod.Status.Phase) {
		if err := a.writeStatus(ctx, w, a.generateStatus(w)); err != nil && !gone(err) {
			return a.clock.Now().Add(a.opts.RetryInterval), false
		}
	}
	return time.Time{}, false
}

// killPod stops every container of the pod with grace (in parallel) and stops its sandbox;
// with remove, it also removes them from the runtime.
func (a *Agent) killPod(ctx context.Context, w *podWorker, grace time.Duration, remove bool) error {
	st := &w.st
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for name, cs := range st.containers {
		if cs.cur == nil || cs.cur.State == ContainerExited {
			continue
		}
		wg.Add(1)
		go func(name string, cs *ctrState) {
			defer wg.Done()
			if err := a.rt.StopContainer(ctx, cs.cur.ID, grace); err != nil && !errors.Is(err, ErrNotFound) {
				mu.Lock()
				errs = append(errs, fmt.Errorf("stop container %s of %s/%s: %w", name, w.key.Namespace, w.key.Name, err))
				mu.Unlock()
			}
		}(name, cs)
	}
	wg.Wait()
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for _, cs := range st.containers {
		if cs.cur != nil {
			a.refreshContainer(ctx, cs, true)
		}
	}
	if st.sandboxID != "" {
		var err error
		if remove {
			err = a.rt.RemovePodSandbox(ctx, st.sandboxID)
		} else {
			err = a.rt.StopPodSandbox(ctx, st.sandboxID)
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("stop sandbox of %s/%s: %w", w.key.Namespace, w.key.Name, err)
		}
		if remove {
			st.sandboxID = ""
		}
	}
	return nil
}

// refreshContainer reads the runtime status of the newest container. A container the runtime
// lost while it ran (its node restarted) becomes terminated with ContainerStatusUnknown, as
// the kubelet reports it; with podGone the loss is final.
func (a *Agent) refreshContainer(ctx context.Context, cs *ctrState, podGone bool) error {
	if cs.cur == nil {
		return nil
	}
	s, err := a.rt.ContainerStatus(ctx, cs.cur.ID)
	switch {
	case err == nil:
		cs.cur = &s
	case errors.Is(err, ErrNotFound):
		if cs.cur.State != ContainerExited {
			lost := *cs.cur
			lost.State = ContainerExited
			lost.ExitCode = 137
			lost.Reason = ReasonContainerStatusUnknown
			lost.Message = "The container could not be located when the pod was terminated"
			if !podGone {
				lost.Message = "The container could not be located in the runtime; the container used to be running"
			}
			lost.FinishedAt = a.clock.Now()
			cs.cur = &lost
		}
	default:
		return err
	}
	return nil
}

// ReasonContainerStatusUnknown is the terminated reason of a container the runtime lost.
const ReasonContainerStatusUnknown = "ContainerStatusUnknown"

// recover adopts what the runtime still holds of the pod (after a restart of the agent with
// the same runtime) or, with a runtime that lost it (a fresh one, a restarted node), carries
// the restart counts over from the pod's stored status.
func (a *Agent) recover(ctx context.Context, rs *runState, w *podWorker) error {
	st := &w.st
	rs.mu.Lock()
	sandboxes := rs.recovered[w.key.UID]
	rs.mu.Unlock()
	var keep *SandboxStatus
	for i := range sandboxes {
		sb := &sandboxes[i]
		if sb.State == SandboxReady && (keep == nil || sb.Attempt > keep.Attempt) {
			keep = sb
		}
	}
	for _, sb := range sandboxes {
		if keep != nil && sb.ID == keep.ID {
			continue
		}
		if err := a.rt.RemovePodSandbox(ctx, sb.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("remove stale sandbox %s: %w", sb.ID, err)
		}
	}
	if keep != nil {
		st.sandboxID = keep.ID
		st.sandboxAttempt = keep.Attempt + 1
		st.podIP = keep.IP
		ctrs, err := a.rt.ListContainers(ctx, keep.ID)
		if err != nil {
			return fmt.Errorf("list containers of sandbox %s: %w", keep.ID, err)
		}
		byName := map[string][]ContainerStatus{}
		for _, c := range ctrs {
			byName[c.Name] = append(byName[c.Name], c)
		}
		for name, list := range byName {
			// Newest attempt first.
			for i := 1; i < len(list); i++ {
				for j := i; j > 0 && list[j].Attempt > list[j-1].Attempt; j-- {
					list[j], list[j-1] = list[j-1], list[j]
				}
			}
			cs := st.ctr(name)
			cur := list[0]
			cs.cur = &cur
			cs.restartCount = cur.Attempt
			cs.nextAttempt = cur.Attempt + 1
			if cur.State == ContainerExited && cur.ExitCode == 0 {
				cs.completed = true
			}
			if len(list) > 1 {
				last := list[1]
				cs.last = &last
			}
			for _, old := range list[min(len(list), 2):] {
				if err := a.rt.RemoveContainer(ctx, old.ID); err != nil && !errors.Is(err, ErrNotFound) {
					return fmt.Errorf("remove old container %s: %w", old.ID, err)
				}
			}
		}
	} else if st.pod != nil {
		// The runtime has nothing of the pod: carry restart counts over from the stored status
		// (as the kubelet does from its log directory after a reboot); containers that ran are
		// lost and count as restarted when they are created again.
		old := append(append([]corev1.ContainerStatus(nil), st.pod.Status.InitContainerStatuses...), st.pod.Status.ContainerStatuses...)
		for _, s := range old {
			cs := st.ctr(s.Name)
			cs.restartCount = s.RestartCount
			cs.nextAttempt = s.RestartCount
			switch {
			case s.State.Running != nil:
				cs.cur = &ContainerStatus{
					ID: trimScheme(s.ContainerID), Name: s.Name, Attempt: s.RestartCount, Image: s.Image, ImageRef: s.ImageID,
					State: ContainerRunning, StartedAt: s.State.Running.StartedAt.Time,
				}
				cs.nextAttempt = s.RestartCount + 1
			case s.State.Terminated != nil:
				t := s.State.Terminated
				cs.cur = &ContainerStatus{
					ID: trimScheme(t.ContainerID), Name: s.Name, Attempt: s.RestartCount, Image: s.Image, ImageRef: s.ImageID,
					State: ContainerExited, ExitCode: t.ExitCode, Reason: t.Reason, Message: t.Message,
					StartedAt: t.StartedAt.Time, FinishedAt: t.FinishedAt.Time,
				}
				cs.nextAttempt = s.RestartCount + 1
			case s.LastTerminationState.Terminated != nil:
				t := s.LastTerminationState.Terminated
				cs.cur = &ContainerStatus{
					ID: trimScheme(t.ContainerID), Name: s.Name, Attempt: s.RestartCount, Image: s.Image, ImageRef: s.ImageID,
					State: ContainerExited, ExitCode: t.ExitCode, Reason: t.Reason, Message: t.Message,
					StartedAt: t.StartedAt.Time, FinishedAt: t.FinishedAt.Time,
				}
				cs.nextAttempt = s.RestartCount + 1
			}
			if s.LastTerminationState.Terminated != nil && s.State.Waiting == nil {
				t := s.LastTerminationState.Terminated
				cs.last = &ContainerStatus{ID: trimScheme(t.ContainerID), Name: s.Name, State: ContainerExited,
					ExitCode: t.ExitCode, Reason: t.Reason, Message: t.Message, StartedAt: t.StartedAt.Time, FinishedAt: t.FinishedAt.Time}
			}
		}
		if len(old) > 0 {
			// A sandbox existed before: the next one is a new attempt.
			st.sandboxAttempt = 1
		}
	}
	if st.pod != nil && st.pod.Status.StartTime != nil {
		t := *st.pod.Status.StartTime
		st.startTime = &t
	}
	st.recovered = true
	rs.mu.Lock()
	delete(rs.recovered, w.key.UID)
	rs.mu.Unlock()
	return nil
}

func trimScheme(id string) string {
	for i := 0; i+2 < len(id); i++ {
		if id[i] == ':' && id[i+1] == '/' && id[i+2] == '/' {
			return id[i+3:]
		}
	}
	return id
}

// writeStatus writes status through pods/status unless it is what the agent wrote last. The
// write carries the pod's UID as precondition, keeps the conditions the agent does not own,
// and never moves a pod out of a terminal phase.
func (a *Agent) writeStatus(ctx context.Context, w *podWorker, status *corev1.PodStatus) error {
	st := &w.st
	if st.lastStatus != nil && equalStatus(st.lastStatus, status) {
		return nil
	}
	uid := w.key.UID
	_, err := a.podStatus.GuaranteedUpdate(ctx, w.key.Namespace, w.key.Name, func(cur *corev1.Pod) (*corev1.Pod, error) {
		if cur.UID != uid {
			return nil, apierrors.NewConflict(PodsResource, w.key.Name, errors.New("the pod was replaced"))
		}
		merged := mergeStatus(&cur.Status, status)
		cur.Status = *merged
		return cur, nil
	}, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &uid}})
	if err != nil {
		if ctx.Err() == nil && !gone(err) {
			a.log.Error(err, "writing pod status failed", "pod", w.key)
		}
		return fmt.Errorf("update status of pod %s/%s: %w", w.key.Namespace, w.key.Name, err)
	}
	st.lastStatus = status.DeepCopy()
	return nil
}

// event records an event when a recorder is configured.
func (a *Agent) event(pod *corev1.Pod, eventType, reason, format string, args ...any) {
	if a.opts.Recorder != nil && pod != nil {
		a.opts.Recorder.Eventf(pod, eventType, reason, format, args...)
	}
}
