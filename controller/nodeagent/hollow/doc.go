// Package hollow is an in-memory container runtime for the node agent: sandboxes get IPs from a
// pod CIDR, containers "run" from StartContainer until they are stopped, killed or exit on
// their own, and nothing is executed. It is what tests, density benchmarks and the orchestrator
// example run thousands of nodes with.
//
// Behaviour is configurable per image (Options.Images) or through a hook (Options.Behave): a
// failing start (StartError, the container ends Exited with code 128 and reason StartError as
// containerd reports it), an exit with a code after a duration on the clock (ExitAfter,
// ExitCode), a container that ignores the stop signal and is killed after its grace period
// (IgnoreStop, exit code 137), failing probes (FailProbes, or any answer through
// Options.Probe). Options.StartLatency makes every start take that long on the clock.
// Crash simulates the death of the node (every call fails with nodeagent.ErrRuntimeDown and
// the state is lost); Restart brings it back empty, as after a reboot.
//
// Usage:
//
//	rt, err := hollow.New(hollow.Options{Clock: clk, Images: map[string]hollow.Behavior{
//		"crash:1": {ExitAfter: time.Second, ExitCode: 1},
//	}})
//	agent, err := nodeagent.New(reg, nodeagent.Options{NodeName: "node-1", Runtime: rt})
//
// Concurrency: every method is safe for concurrent use. Subscribers are called without the
// runtime's lock, from the goroutine that made the change (with a fake clock, from inside
// Step for exits after a duration); they must not block and must not call Subscribe or the
// function it returned.
package hollow
