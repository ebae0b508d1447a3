package hollow_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/internal/clock"
)

// A hollow container that exits with code 1 two seconds after it started, on a fake clock.
func ExampleRuntime() {
	clk := clock.NewFake(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	rt, _ := hollow.New(hollow.Options{Clock: clk, Images: map[string]hollow.Behavior{
		"crash:1": {ExitAfter: 2 * time.Second, ExitCode: 1},
	}})
	ctx := context.Background()
	sb, _ := rt.RunPodSandbox(ctx, nodeagent.SandboxConfig{Namespace: "default", Name: "web", UID: "uid-1"})
	sbStatus, _ := rt.PodSandboxStatus(ctx, sb)
	id, _ := rt.CreateContainer(ctx, sb, nodeagent.ContainerConfig{Name: "app", Image: "crash:1"})
	_ = rt.StartContainer(ctx, id)
	st, _ := rt.ContainerStatus(ctx, id)
	fmt.Println("pod IP:", sbStatus.IP, "state:", st.State)

	clk.Step(2 * time.Second)
	st, _ = rt.ContainerStatus(ctx, id)
	fmt.Println("state:", st.State, "exit code:", st.ExitCode, "reason:", st.Reason, "ran:", st.FinishedAt.Sub(st.StartedAt))
	// Output:
	// pod IP: 10.88.0.1 state: Running
	// state: Exited exit code: 1 reason: Error ran: 2s
}
