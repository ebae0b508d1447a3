// Package runtimetest is the conformance suite of node agent runtimes: Run exercises any
// nodeagent.Runtime (sandbox and container lifecycles, states and times, typed errors, events,
// idempotent stops and removals, concurrent use) and fails the test where it breaks the
// contract documented on nodeagent.Runtime. The hollow runtime passes it; a runtime that runs
// real processes is tested the same way, with containers that run real commands (as in the
// example below).
//
// Usage, in a _test.go file of the runtime's package:
//
//	func TestConformance(t *testing.T) {
//		runtimetest.Run(t, runtimetest.Options{
//			New:          func(t *testing.T) nodeagent.Runtime { return newRuntime(t) },
//			LongRunning:  nodeagent.ContainerConfig{Name: "sleep", Image: "busybox", Command: []string{"sleep", "3600"}},
//			ExitsZero:    nodeagent.ContainerConfig{Name: "true", Image: "busybox", Command: []string{"true"}},
//			ExitsNonZero: nodeagent.ContainerConfig{Name: "false", Image: "busybox", Command: []string{"sh", "-c", "exit 3"}},
//			NonZeroExitCode: 3,
//		})
//	}
//
// Concurrency: Run runs its subtests one after another, each on a fresh runtime from
// Options.New; within a subtest it calls the runtime from many goroutines at once. Waits use
// the real clock, bounded by Options.Timeout: runtimes under test must use the real clock.
package runtimetest

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller/nodeagent"
)

// Options describe the runtime under test and the containers the suite may run in it.
type Options struct {
	// New returns a fresh, empty runtime for one subtest; it registers its own cleanup with t.
	// Required.
	New func(t *testing.T) nodeagent.Runtime
	// LongRunning is a container that runs until it is stopped and exits at once on the stop
	// signal. Required.
	LongRunning nodeagent.ContainerConfig
	// ExitsZero is a container that exits on its own soon after it started, with code 0.
	// Required.
	ExitsZero nodeagent.ContainerConfig
	// ExitsNonZero is a container that exits on its own soon after it started, with
	// NonZeroExitCode. Required.
	ExitsNonZero    nodeagent.ContainerConfig
	NonZeroExitCode int32
	// FailsToStart, when its Name is set, is a container whose start fails. Optional.
	FailsToStart nodeagent.ContainerConfig
	// IgnoresStop, when its Name is set, is a container that keeps running after the stop
	// signal until it is killed at the end of its grace period. Optional.
	IgnoresStop nodeagent.ContainerConfig
	// Timeout bounds every wait for a container to exit. Default 10 s.
	Timeout time.Duration
}

// Run runs the conformance suite against the runtimes opts.New makes.
func Run(t *testing.T, opts Options) {
	t.Helper()
	if opts.New == nil || opts.LongRunning.Name == "" || opts.ExitsZero.Name == "" || opts.ExitsNonZero.Name == "" {
		t.Fatal("runtimetest: New, LongRunning, ExitsZero and ExitsNonZero are required")
	}
	if opts.NonZeroExitCode == 0 {
		t.Fatal("runtimetest: NonZeroExitCode must not be 0")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	s := &suite{opts: opts}
	tests := []struct {
		name string
		fn   func(t *testing.T, h *harness)
	}{
		{"Version", s.version},
		{"SandboxLifecycle", s.sandboxLifecycle},
		{"SandboxIPsAreDistinct", s.distinctIPs},
		{"ContainerLifecycle", s.containerLifecycle},
		{"CreateNeedsAReadySandbox", s.createNeedsSandbox},
		{"ExitOnItsOwn", s.exits},
		{"StartFailure", s.startFailure},
		{"StopAfterGracePeriod", s.ignoresStop},
		{"StopSandboxKillsContainers", s.stopSandboxKills},
		{"RemoveSandboxRemovesContainers", s.removeSandboxRemoves},
		{"ListContainersBySandbox", s.listBySandbox},
		{"Events", s.events},
		{"ProbeErrors", s.probeErrors},
		{"CancelledContext", s.cancelled},
		{"ConcurrentUse", s.concurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := opts.New(t)
			if rt == nil {
				t.Fatal("runtimetest: New returned nil")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 4*opts.Timeout)
			defer cancel()
			tt.fn(t, &harness{t: t, rt: rt, ctx: ctx, timeout: opts.Timeout})
		})
	}
}

type suite struct{ opts Options }

type harness struct {
	t       *testing.T
	rt      nodeagent.Runtime
	ctx     context.Context
	timeout time.Duration
	n       int
}

func (h *harness) sandbox() (string, nodeagent.SandboxConfig) {
	h.t.Helper()
	h.n++
	cfg := nodeagent.SandboxConfig{
		Namespace: "default", Name: fmt.Sprintf("pod-%d", h.n), UID: meta.UID(fmt.Sprintf("uid-%d", h.n)),
		Hostname: fmt.Sprintf("pod-%d", h.n), Labels: map[string]string{"app": "conformance"},
	}
	id, err := h.rt.RunPodSandbox(h.ctx, cfg)
	if err != nil {
		h.t.Fatalf("RunPodSandbox: %v", err)
	}
	if id == "" {
		h.t.Fatal("RunPodSandbox returned an empty ID")
	}
	return id, cfg
}

func (h *harness) create(sandboxID string, cfg nodeagent.ContainerConfig) string {
	h.t.Helper()
	id, err := h.rt.CreateContainer(h.ctx, sandboxID, cfg)
	if err != nil {
		h.t.Fatalf("CreateContainer %s: %v", cfg.Name, err)
	}
	if id == "" {
		h.t.Fatal("CreateContainer returned an empty ID")
	}
	return id
}

func (h *harness) start(id string) {
	h.t.Helper()
	if err := h.rt.StartContainer(h.ctx, id); err != nil {
		h.t.Fatalf("StartContainer %s: %v", id, err)
	}
}

func (h *harness) status(id string) nodeagent.ContainerStatus {
	h.t.Helper()
	s, err := h.rt.ContainerStatus(h.ctx, id)
	if err != nil {
		h.t.Fatalf("ContainerStatus %s: %v", id, err)
	}
	return s
}

// waitExited waits for the container to be Exited, woken by the runtime's events and
// re-checking at most every 50 ms (runtimes may coalesce events).
func (h *harness) waitExited(id string) nodeagent.ContainerStatus {
	h.t.Helper()
	wake := make(chan struct{}, 1)
	unsub := h.rt.Subscribe(func(nodeagent.Event) {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	defer unsub()
	deadline := time.NewTimer(h.timeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		s := h.status(id)
		if s.State == nodeagent.ContainerExited {
			return s
		}
		select {
		case <-wake:
		case <-tick.C:
		case <-deadline.C:
			h.t.Fatalf("container %s (%s) did not exit within %v; state %s", s.Name, id, h.timeout, s.State)
		}
	}
}

func (s *suite) version(t *testing.T, h *harness) {
	v, err := h.rt.Version(h.ctx)
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	if v.Name == "" || v.Version == "" {
		t.Errorf("Version = %+v, want a name and a version", v)
	}
}

func (s *suite) sandboxLifecycle(t *testing.T, h *harness) {
	before := time.Now().Add(-time.Second)
	id, cfg := h.sandbox()
	st, err := h.rt.PodSandboxStatus(h.ctx, id)
	if err != nil {
		t.Fatalf("PodSandboxStatus: %v", err)
	}
	if st.ID != id || st.Namespace != cfg.Namespace || st.Name != cfg.Name || st.UID != cfg.UID || st.Attempt != cfg.Attempt {
		t.Errorf("sandbox status %+v does not describe %+v", st, cfg)
	}
	if st.State != nodeagent.SandboxReady {
		t.Errorf("new sandbox state = %s, want Ready", st.State)
	}
	if _, err := netip.ParseAddr(st.IP); err != nil {
		t.Errorf("sandbox IP %q: %v", st.IP, err)
	}
	if st.CreatedAt.Before(before) {
		t.Errorf("CreatedAt %v is before the call", st.CreatedAt)
	}
	list, err := h.rt.ListPodSandboxes(h.ctx)
	if err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("ListPodSandboxes = %+v, %v; want the one sandbox", list, err)
	}
	for i := 0; i < 2; i++ { // stopping twice is fine
		if err := h.rt.StopPodSandbox(h.ctx, id); err != nil {
			t.Fatalf("StopPodSandbox #%d: %v", i+1, err)
		}
	}
	st, err = h.rt.PodSandboxStatus(h.ctx, id)
	if err != nil || st.State != nodeagent.SandboxNotReady {
		t.Fatalf("stopped sandbox: %+v, %v; want NotReady", st, err)
	}
	for i := 0; i < 2; i++ { // removing twice is fine
		if err := h.rt.RemovePodSandbox(h.ctx, id); err != nil {
			t.Fatalf("RemovePodSandbox #%d: %v", i+1, err)
		}
	}
	if _, err := h.rt.PodSandboxStatus(h.ctx, id); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Errorf("status of a removed sandbox: %v, want ErrNotFound", err)
	}
	if err := h.rt.StopPodSandbox(h.ctx, "no-such-sandbox"); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Errorf("stopping an unknown sandbox: %v, want ErrNotFound", err)
	}
	if list, err := h.rt.ListPodSandboxes(h.ctx); err != nil || len(list) != 0 {
		t.Errorf("ListPodSandboxes after removal = %+v, %v", list, err)
	}
}

func (s *suite) distinctIPs(t *testing.T, h *harness) {
	seen := map[string]bool{}
	for i := 0; i < 5; i++ {
		id, _ := h.sandbox()
		st, err := h.rt.PodSandboxStatus(h.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if seen[st.IP] {
			t.Fatalf("IP %s given to two ready sandboxes", st.IP)
		}
		seen[st.IP] = true
	}
}

func (s *suite) containerLifecycle(t *testing.T, h *harness) {
	sb, _ := h.sandbox()
	cfg := s.opts.LongRunning
	cfg.Attempt = 2
	before := time.Now().Add(-time.Second)
	id := h.create(sb, cfg)
	st := h.status(id)
	if st.ID != id || st.SandboxID != sb || st.Name != cfg.Name || st.Attempt != 2 || st.Image != cfg.Image {
		t.Errorf("created container status %+v does not describe %+v", st, cfg)
	}
	if st.State != nodeagent.ContainerCreated || st.CreatedAt.Before(before) || !st.StartedAt.IsZero() {
		t.Errorf("created container: state %s, created %v, started %v", st.State, st.CreatedAt, st.StartedAt)
	}
	h.start(id)
	st = h.status(id)
	if st.State != nodeagent.ContainerRunning || st.StartedAt.Before(st.CreatedAt) {
		t.Errorf("started container: state %s, created %v, started %v", st.State, st.CreatedAt, st.StartedAt)
	}
	if st.ImageRef == "" {
		t.Errorf("running container has no ImageRef")
	}
	if err := h.rt.StartContainer(h.ctx, id); !errors.Is(err, nodeagent.ErrInvalidState) {
		t.Errorf("starting a running container: %v, want ErrInvalidState", err)
	}
	for i := 0; i < 2; i++ { // stopping twice is fine
		if err := h.rt.StopContainer(h.ctx, id, 5*time.Second); err != nil {
			t.Fatalf("StopContainer #%d: %v", i+1, err)
		}
	}
	st = h.status(id)
	if st.State != nodeagent.ContainerExited || st.FinishedAt.Before(st.StartedAt) {
		t.Errorf("stopped container: state %s, started %v, finished %v", st.State, st.StartedAt, st.FinishedAt)
	}
	for i := 0; i < 2; i++ {
		if err := h.rt.RemoveContainer(h.ctx, id); err != nil {
			t.Fatalf("RemoveContainer #%d: %v", i+1, err)
		}
	}
	if _, err := h.rt.ContainerStatus(h.ctx, id); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Errorf("status of a removed container: %v, want ErrNotFound", err)
	}
	if err := h.rt.StartContainer(h.ctx, id); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Errorf("starting a removed container: %v, want ErrNotFound", err)
	}
	if err := h.rt.StopContainer(h.ctx, "no-such-container", 0); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Errorf("stopping an unknown container: %v, want ErrNotFound", err)
	}
}

func (s *suite) createNeedsSandbox(t *testing.T, h *harness) {
	if _, err := h.rt.CreateContainer(h.ctx, "no-such-sandbox", s.opts.LongRunning); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Errorf("create in an unknown sandbox: %v, want ErrNotFound", err)
	}
	sb, _ := h.sandbox()
	if err := h.rt.StopPodSandbox(h.ctx, sb); err != nil {
		t.Fatal(err)
	}
	if _, err := h.rt.CreateContainer(h.ctx, sb, s.opts.LongRunning); !errors.Is(err, nodeagent.ErrInvalidState) {
		t.Errorf("create in a stopped sandbox: %v, want ErrInvalidState", err)
	}
}

func (s *suite) exits(t *testing.T, h *harness) {
	sb, _ := h.sandbox()
	for _, tc := range []struct {
		cfg  nodeagent.ContainerConfig
		code int32
	}{{s.opts.ExitsZero, 0}, {s.opts.ExitsNonZero, s.opts.NonZeroExitCode}} {
		id := h.create(sb, tc.cfg)
		h.start(id)
		st := h.waitExited(id)
		if st.ExitCode != tc.code {
			t.Errorf("%s exited with %d, want %d", tc.cfg.Name, st.ExitCode, tc.code)
		}
		if st.FinishedAt.Before(st.StartedAt) || st.StartedAt.IsZero() {
			t.Errorf("%s: started %v, finished %v", tc.cfg.Name, st.StartedAt, st.FinishedAt)
		}
	}
}

func (s *suite) startFailure(t *testing.T, h *harness) {
	if s.opts.FailsToStart.Name == "" {
		t.Skip("runtimetest: Options.FailsToStart not given")
	}
	sb, _ := h.sandbox()
	id := h.create(sb, s.opts.FailsToStart)
	err := h.rt.StartContainer(h.ctx, id)
	if !errors.Is(err, nodeagent.ErrStartFailed) {
		t.Fatalf("StartContainer: %v, want ErrStartFailed", err)
	}
	st := h.status(id)
	if st.State != nodeagent.ContainerExited || st.ExitCode == 0 || st.Reason == "" {
		t.Errorf("after a failed start: state %s, exit %d, reason %q; want Exited, non-zero, a reason", st.State, st.ExitCode, st.Reason)
	}
}

func (s *suite) ignoresStop(t *testing.T, h *harness) {
	if s.opts.IgnoresStop.Name == "" {
		t.Skip("runtimetest: Options.IgnoresStop not given")
	}
	sb, _ := h.sandbox()
	id := h.create(sb, s.opts.IgnoresStop)
	h.start(id)
	const grace = 300 * time.Millisecond
	begin := time.Now()
	if err := h.rt.StopContainer(h.ctx, id, grace); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(begin); took < grace {
		t.Errorf("a container that ignores the stop signal stopped after %v, before its grace period %v", took, grace)
	}
	st := h.status(id)
	if st.State != nodeagent.ContainerExited || st.ExitCode == 0 {
		t.Errorf("killed container: state %s, exit %d; want Exited, non-zero", st.State, st.ExitCode)
	}
}

func (s *suite) stopSandboxKills(t *testing.T, h *harness) {
	sb, _ := h.sandbox()
	id := h.create(sb, s.opts.LongRunning)
	h.start(id)
	if err := h.rt.StopPodSandbox(h.ctx, sb); err != nil {
		t.Fatal(err)
	}
	if st := h.status(id); st.State != nodeagent.ContainerExited {
		t.Errorf("container of a stopped sandbox is %s, want Exited", st.State)
	}
	st, err := h.rt.PodSandboxStatus(h.ctx, sb)
	if err != nil || st.State != nodeagent.SandboxNotReady {
		t.Errorf("stopped sandbox: %+v, %v", st, err)
	}
}

func (s *suite) removeSandboxRemoves(t *testing.T, h *harness) {
	sb, _ := h.sandbox()
	id := h.create(sb, s.opts.LongRunning)
	h.start(id)
	if err := h.rt.RemovePodSandbox(h.ctx, sb); err != nil {
		t.Fatal(err)
	}
	if _, err := h.rt.ContainerStatus(h.ctx, id); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Errorf("container of a removed sandbox: %v, want ErrNotFound", err)
	}
	if list, err := h.rt.ListContainers(h.ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("ListContainers after removal = %+v, %v", list, err)
	}
}

func (s *suite) listBySandbox(t *testing.T, h *harness) {
	sb1, _ := h.sandbox()
	sb2, _ := h.sandbox()
	a := h.create(sb1, s.opts.LongRunning)
	cfg := s.opts.LongRunning
	cfg.Attempt = 1
	b := h.create(sb1, cfg)
	c := h.create(sb2, s.opts.LongRunning)
	ids := func(list []nodeagent.ContainerStatus) map[string]bool {
		m := map[string]bool{}
		for _, s := range list {
			m[s.ID] = true
		}
		return m
	}
	for _, tc := range []struct {
		sandbox string
		want    []string
	}{{sb1, []string{a, b}}, {sb2, []string{c}}, {"", []string{a, b, c}}} {
		list, err := h.rt.ListContainers(h.ctx, tc.sandbox)
		if err != nil {
			t.Fatal(err)
		}
		got := ids(list)
		if len(got) != len(tc.want) {
			t.Errorf("ListContainers(%q) = %d containers, want %d", tc.sandbox, len(got), len(tc.want))
		}
		for _, id := range tc.want {
			if !got[id] {
				t.Errorf("ListContainers(%q) misses %s", tc.sandbox, id)
			}
		}
	}
}

func (s *suite) events(t *testing.T, h *harness) {
	var mu sync.Mutex
	var got []nodeagent.Event
	unsub := h.rt.Subscribe(func(ev nodeagent.Event) {
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
	})
	sb, cfg := h.sandbox()
	id := h.create(sb, s.opts.ExitsZero)
	h.start(id)
	h.waitExited(id)
	unsub()
	mu.Lock()
	seen := map[nodeagent.EventType]nodeagent.Event{}
	for _, ev := range got {
		seen[ev.Type] = ev
	}
	n := len(got)
	mu.Unlock()
	for _, typ := range []nodeagent.EventType{nodeagent.EventSandboxCreated, nodeagent.EventContainerStarted, nodeagent.EventContainerExited} {
		ev, ok := seen[typ]
		if !ok {
			t.Errorf("no %s event", typ)
			continue
		}
		if ev.PodUID != cfg.UID || ev.SandboxID != sb {
			t.Errorf("%s event %+v does not name pod %s and sandbox %s", typ, ev, cfg.UID, sb)
		}
		if typ != nodeagent.EventSandboxCreated && ev.ContainerID != id {
			t.Errorf("%s event names container %q, want %s", typ, ev.ContainerID, id)
		}
	}
	// After unsubscribing, nothing more arrives.
	if err := h.rt.RemovePodSandbox(h.ctx, sb); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != n {
		t.Errorf("%d events after unsubscribing", len(got)-n)
	}
}

func (s *suite) probeErrors(t *testing.T, h *harness) {
	probe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}}
	if _, err := h.rt.Probe(h.ctx, "no-such-container", nodeagent.ReadinessProbe, probe); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Errorf("probing an unknown container: %v, want ErrNotFound", err)
	}
	sb, _ := h.sandbox()
	id := h.create(sb, s.opts.ExitsZero)
	h.start(id)
	h.waitExited(id)
	res, err := h.rt.Probe(h.ctx, id, nodeagent.ReadinessProbe, probe)
	if err == nil && res == nodeagent.ProbeSuccess {
		t.Errorf("probing an exited container succeeded")
	}
}

func (s *suite) cancelled(t *testing.T, h *harness) {
	ctx, cancel := context.WithCancel(h.ctx)
	cancel()
	if _, err := h.rt.RunPodSandbox(ctx, nodeagent.SandboxConfig{Namespace: "default", Name: "x", UID: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("RunPodSandbox with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := h.rt.ListPodSandboxes(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ListPodSandboxes with a cancelled context: %v, want context.Canceled", err)
	}
}

func (s *suite) concurrent(t *testing.T, h *harness) {
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx := h.ctx
			sb, err := h.rt.RunPodSandbox(ctx, nodeagent.SandboxConfig{Namespace: "default", Name: fmt.Sprintf("c-%d", i), UID: meta.UID(fmt.Sprintf("c-%d", i))})
			if err != nil {
				errs <- err
				return
			}
			id, err := h.rt.CreateContainer(ctx, sb, s.opts.LongRunning)
			if err == nil {
				err = h.rt.StartContainer(ctx, id)
			}
			if err == nil {
				_, err = h.rt.ListContainers(ctx, "")
			}
			if err == nil {
				err = h.rt.StopContainer(ctx, id, time.Second)
			}
			if err == nil {
				err = h.rt.RemovePodSandbox(ctx, sb)
			}
			if err != nil {
				errs <- fmt.Errorf("pod %d: %w", i, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if list, err := h.rt.ListPodSandboxes(h.ctx); err != nil || len(list) != 0 {
		t.Errorf("sandboxes left after concurrent use: %d, %v", len(list), err)
	}
}
