package hollow_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/clock"

	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/controller/nodeagent/runtimetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConformance(t *testing.T) {
	runtimetest.Run(t, runtimetest.Options{
		New: func(t *testing.T) nodeagent.Runtime {
			rt, err := hollow.New(hollow.Options{Images: map[string]hollow.Behavior{
				"true":     {ExitAfter: 10 * time.Millisecond},
				"false":    {ExitAfter: 10 * time.Millisecond, ExitCode: 3},
				"broken":   {StartError: "exec: no such file"},
				"stubborn": {IgnoreStop: true},
			}})
			if err != nil {
				t.Fatal(err)
			}
			return rt
		},
		LongRunning:     nodeagent.ContainerConfig{Name: "sleep", Image: "busybox"},
		ExitsZero:       nodeagent.ContainerConfig{Name: "true", Image: "true"},
		ExitsNonZero:    nodeagent.ContainerConfig{Name: "false", Image: "false"},
		NonZeroExitCode: 3,
		FailsToStart:    nodeagent.ContainerConfig{Name: "broken", Image: "broken"},
		IgnoresStop:     nodeagent.ContainerConfig{Name: "stubborn", Image: "stubborn"},
	})
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newFake(t *testing.T, opts hollow.Options) (*hollow.Runtime, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(t0)
	opts.Clock = clk
	rt, err := hollow.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return rt, clk
}

func sandbox(t *testing.T, rt *hollow.Runtime, name string) string {
	t.Helper()
	id, err := rt.RunPodSandbox(context.Background(), nodeagent.SandboxConfig{Namespace: "ns", Name: name, UID: meta.UID("uid-" + name)})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func started(t *testing.T, rt *hollow.Runtime, sb, image string) string {
	t.Helper()
	ctx := context.Background()
	id, err := rt.CreateContainer(ctx, sb, nodeagent.ContainerConfig{Name: "c", Image: image})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.StartContainer(ctx, id); err != nil && !errors.Is(err, nodeagent.ErrStartFailed) {
		t.Fatal(err)
	}
	return id
}

func TestNewRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts hollow.Options
	}{
		{"negative latency", hollow.Options{StartLatency: -time.Second}},
		{"negative exit delay", hollow.Options{Images: map[string]hollow.Behavior{"x": {ExitAfter: -1}}}},
		{"IPv6 CIDR", hollow.Options{PodCIDR: netip.MustParsePrefix("fd00::/64")}},
		{"CIDR too small", hollow.Options{PodCIDR: netip.MustParsePrefix("10.0.0.0/31")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := hollow.New(tt.opts); err == nil {
				t.Fatal("New accepted bad options")
			}
		})
	}
}

func TestExitAfterOnTheClock(t *testing.T) {
	rt, clk := newFake(t, hollow.Options{Images: map[string]hollow.Behavior{"job": {ExitAfter: 5 * time.Second, ExitCode: 4}}})
	exited := make(chan nodeagent.Event, 1)
	defer rt.Subscribe(func(ev nodeagent.Event) {
		if ev.Type == nodeagent.EventContainerExited {
			exited <- ev
		}
	})()
	id := started(t, rt, sandbox(t, rt, "p"), "job")
	clk.Step(4 * time.Second)
	st, _ := rt.ContainerStatus(context.Background(), id)
	if st.State != nodeagent.ContainerRunning {
		t.Fatalf("state after 4s = %s", st.State)
	}
	clk.Step(time.Second)
	select {
	case ev := <-exited:
		if ev.ContainerID != id || ev.PodUID != "uid-p" {
			t.Fatalf("event %+v", ev)
		}
	default:
		t.Fatal("no exit event inside Step")
	}
	st, _ = rt.ContainerStatus(context.Background(), id)
	want := nodeagent.ContainerStatus{State: nodeagent.ContainerExited, ExitCode: 4, Reason: hollow.ReasonError,
		StartedAt: t0, FinishedAt: t0.Add(5 * time.Second)}
	got := nodeagent.ContainerStatus{State: st.State, ExitCode: st.ExitCode, Reason: st.Reason, StartedAt: st.StartedAt, FinishedAt: st.FinishedAt}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("status (-want +got):\n%s", diff)
	}
}

func TestStartLatency(t *testing.T) {
	rt, clk := newFake(t, hollow.Options{StartLatency: 3 * time.Second})
	ctx := context.Background()
	sb := sandbox(t, rt, "p")
	id, err := rt.CreateContainer(ctx, sb, nodeagent.ContainerConfig{Name: "c", Image: "img"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- rt.StartContainer(ctx, id) }()
	if err := clk.BlockUntilWaiters(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if st, _ := rt.ContainerStatus(ctx, id); st.State != nodeagent.ContainerCreated {
		t.Fatalf("state while starting = %s", st.State)
	}
	clk.Step(3 * time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st, _ := rt.ContainerStatus(ctx, id); st.State != nodeagent.ContainerRunning || !st.StartedAt.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("after the latency: %+v", st)
	}
	// A start cancelled while waiting fails with the context's error.
	id2, _ := rt.CreateContainer(ctx, sb, nodeagent.ContainerConfig{Name: "d", Image: "img"})
	cctx, cancel := context.WithCancel(ctx)
	go func() { done <- rt.StartContainer(cctx, id2) }()
	if err := clk.BlockUntilWaiters(ctx, 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled start: %v", err)
	}
}

func TestStopWaitsGraceForStubbornContainers(t *testing.T) {
	stops := make(chan time.Duration, 1)
	rt, clk := newFake(t, hollow.Options{
		Images: map[string]hollow.Behavior{"stubborn": {IgnoreStop: true}},
		OnStop: func(_ hollow.ContainerInfo, grace time.Duration) { stops <- grace },
	})
	ctx := context.Background()
	id := started(t, rt, sandbox(t, rt, "p"), "stubborn")
	done := make(chan error, 1)
	go func() { done <- rt.StopContainer(ctx, id, 30*time.Second) }()
	if g := <-stops; g != 30*time.Second {
		t.Fatalf("OnStop grace = %v", g)
	}
	clk.Step(29 * time.Second)
	select {
	case err := <-done:
		t.Fatalf("stop returned before the grace period: %v", err)
	default:
	}
	clk.Step(time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st, _ := rt.ContainerStatus(ctx, id)
	if st.State != nodeagent.ContainerExited || st.ExitCode != hollow.ExitCodeKilled || !st.FinishedAt.Equal(t0.Add(30*time.Second)) {
		t.Fatalf("killed container: %+v", st)
	}
}

func TestBehaveOverridesImages(t *testing.T) {
	rt, _ := newFake(t, hollow.Options{
		Images: map[string]hollow.Behavior{"img": {StartError: "from the image table"}},
		Behave: func(c hollow.ContainerInfo) hollow.Behavior {
			if c.Attempt == 0 {
				return hollow.Behavior{StartError: "first attempt fails"}
			}
			return hollow.Behavior{}
		},
	})
	ctx := context.Background()
	sb := sandbox(t, rt, "p")
	for attempt, want := range []nodeagent.ContainerState{nodeagent.ContainerExited, nodeagent.ContainerRunning} {
		id, _ := rt.CreateContainer(ctx, sb, nodeagent.ContainerConfig{Name: "c", Image: "img", Attempt: int32(attempt)})
		err := rt.StartContainer(ctx, id)
		st, _ := rt.ContainerStatus(ctx, id)
		if st.State != want {
			t.Fatalf("attempt %d: state %s (err %v)", attempt, st.State, err)
		}
		if attempt == 0 && (st.Reason != hollow.ReasonStartError || st.Message != "first attempt fails" || st.ExitCode != hollow.ExitCodeStartError) {
			t.Fatalf("failed start status: %+v", st)
		}
	}
}

func TestIPsAreReusedAndExhausted(t *testing.T) {
	rt, _ := newFake(t, hollow.Options{PodCIDR: netip.MustParsePrefix("10.1.2.0/30")})
	ctx := context.Background()
	a, b := sandbox(t, rt, "a"), sandbox(t, rt, "b")
	ips := func(ids ...string) []string {
		var out []string
		for _, id := range ids {
			st, _ := rt.PodSandboxStatus(ctx, id)
			out = append(out, st.IP)
		}
		return out
	}
	if diff := cmp.Diff([]string{"10.1.2.1", "10.1.2.2"}, ips(a, b)); diff != "" {
		t.Fatalf("IPs (-want +got):\n%s", diff)
	}
	if _, err := rt.RunPodSandbox(ctx, nodeagent.SandboxConfig{Name: "c", UID: "c"}); err == nil {
		t.Fatal("a third sandbox got an IP from a /30")
	}
	if err := rt.StopPodSandbox(ctx, a); err != nil {
		t.Fatal(err)
	}
	c := sandbox(t, rt, "c")
	if diff := cmp.Diff([]string{"10.1.2.1"}, ips(c)); diff != "" {
		t.Fatalf("freed IP not reused (-want +got):\n%s", diff)
	}
}

func TestCrashAndRestart(t *testing.T) {
	rt, clk := newFake(t, hollow.Options{Images: map[string]hollow.Behavior{"job": {ExitAfter: time.Second}}})
	ctx := context.Background()
	var events []nodeagent.EventType
	defer rt.Subscribe(func(ev nodeagent.Event) {
		if ev.Type == nodeagent.EventRuntimeDown || ev.Type == nodeagent.EventRuntimeUp {
			events = append(events, ev.Type)
		}
	})()
	sb := sandbox(t, rt, "p")
	started(t, rt, sb, "job")
	rt.Crash()
	rt.Crash() // twice is one crash
	for name, err := range map[string]error{
		"Version":          func() error { _, err := rt.Version(ctx); return err }(),
		"ListPodSandboxes": func() error { _, err := rt.ListPodSandboxes(ctx); return err }(),
		"RunPodSandbox": func() error {
			_, err := rt.RunPodSandbox(ctx, nodeagent.SandboxConfig{Name: "x", UID: "x"})
			return err
		}(),
		"Kill": rt.Kill("x", 1),
	} {
		if !errors.Is(err, nodeagent.ErrRuntimeDown) {
			t.Errorf("%s on a crashed runtime: %v, want ErrRuntimeDown", name, err)
		}
	}
	clk.Step(time.Minute) // the exit timer of the lost container must not fire into the void
	rt.Restart()
	list, err := rt.ListPodSandboxes(ctx)
	if err != nil || len(list) != 0 {
		t.Fatalf("after restart: %+v, %v; want an empty runtime", list, err)
	}
	if diff := cmp.Diff([]nodeagent.EventType{nodeagent.EventRuntimeDown, nodeagent.EventRuntimeUp}, events); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	if rt.Running() != 0 {
		t.Fatal("containers survived the crash")
	}
}

func TestKill(t *testing.T) {
	rt, _ := newFake(t, hollow.Options{})
	id := started(t, rt, sandbox(t, rt, "p"), "img")
	if err := rt.Kill(id, 0); err != nil {
		t.Fatal(err)
	}
	st, _ := rt.ContainerStatus(context.Background(), id)
	if st.State != nodeagent.ContainerExited || st.Reason != hollow.ReasonCompleted {
		t.Fatalf("after Kill: %+v", st)
	}
	if err := rt.Kill(id, 1); !errors.Is(err, nodeagent.ErrInvalidState) {
		t.Fatalf("Kill of an exited container: %v", err)
	}
	if err := rt.Kill("nope", 1); !errors.Is(err, nodeagent.ErrNotFound) {
		t.Fatalf("Kill of an unknown container: %v", err)
	}
}
