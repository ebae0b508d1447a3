package nodeagent

import (
	"context"
	"errors"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Runtime runs the sandboxes and containers of pods on one node. It is the agent's only way to
// act on the node, shaped after the Kubernetes container runtime interface (CRI): a pod gets a
// sandbox (its network identity and IP), containers are created in a sandbox, started, stopped
// with a grace period and removed; their state is read back with ContainerStatus and
// ListContainers. The hollow runtime of package hollow implements it in memory (for tests and
// scale); the shape is the one a runtime running real processes needs (a command, arguments,
// environment and working directory per container; stop with a grace period then kill; probes
// run by the runtime), and package runtimetest checks any implementation.
//
// Every method takes ctx first and returns once the operation took effect or failed; a
// cancelled ctx aborts a wait (a simulated start latency, a stop grace period) with ctx's error,
// wrapped. Errors wrap the sentinels below (ErrNotFound, ErrInvalidState, ErrRuntimeDown) so that
// callers test them with errors.Is. Every method must be safe for concurrent use.
type Runtime interface {
	// Version identifies the runtime; the agent publishes it in the node's nodeInfo as
	// "<name>://<version>". It doubles as the health check: an error means the runtime is down.
	Version(ctx context.Context) (RuntimeVersion, error)

	// RunPodSandbox creates and starts the sandbox of a pod and returns its ID. The sandbox is
	// Ready with an IP when it returns.
	RunPodSandbox(ctx context.Context, cfg SandboxConfig) (string, error)
	// StopPodSandbox kills every container still running in the sandbox (without grace) and
	// releases its network; the sandbox becomes NotReady. Stopping a stopped sandbox is a no-op.
	StopPodSandbox(ctx context.Context, sandboxID string) error
	// RemovePodSandbox removes a sandbox and its containers, stopping them first. Removing a
	// sandbox that does not exist is a no-op.
	RemovePodSandbox(ctx context.Context, sandboxID string) error
	// PodSandboxStatus returns the status of a sandbox, or ErrNotFound.
	PodSandboxStatus(ctx context.Context, sandboxID string) (SandboxStatus, error)
	// ListPodSandboxes returns every sandbox the runtime knows, in any order.
	ListPodSandboxes(ctx context.Context) ([]SandboxStatus, error)

	// CreateContainer creates a container in a sandbox (state Created) and returns its ID. It
	// fails with ErrNotFound when the sandbox does not exist and ErrInvalidState when it is
	// not Ready.
	CreateContainer(ctx context.Context, sandboxID string, cfg ContainerConfig) (string, error)
	// StartContainer starts a Created container. When the container cannot be started, the
	// error wraps ErrStartFailed and the container is left Exited (exit code 128, reason
	// StartError), as containerd reports a failed start.
	StartContainer(ctx context.Context, containerID string) error
	// StopContainer asks a running container to stop and waits at most grace for it to exit;
	// then it kills it. The container is Exited when StopContainer returns nil. Stopping a
	// container that is not running is a no-op.
	StopContainer(ctx context.Context, containerID string, grace time.Duration) error
	// RemoveContainer removes a container, killing it first if it runs. Removing a container
	// that does not exist is a no-op.
	RemoveContainer(ctx context.Context, containerID string) error
	// ContainerStatus returns the status of a container, or ErrNotFound.
	ContainerStatus(ctx context.Context, containerID string) (ContainerStatus, error)
	// ListContainers returns the containers of a sandbox (every container when sandboxID is
	// empty), in any order.
	ListContainers(ctx context.Context, sandboxID string) ([]ContainerStatus, error)

	// Probe runs one probe of a running container and returns its result. An error means the
	// probe could not be run; the agent counts it as a failure.
	Probe(ctx context.Context, containerID string, kind ProbeKind, probe *corev1.Probe) (ProbeResult, error)

	// Subscribe registers fn to be told about every change of state the runtime makes on its
	// own (a container exits, a sandbox dies) and about the results of the calls above; the
	// agent uses it to react at once instead of waiting for its next resync. fn is called from
	// the runtime's goroutines, possibly concurrently, and must not block. The returned
	// function unsubscribes; after it returns fn is not called any more.
	Subscribe(fn func(Event)) (unsubscribe func())
}

// Errors of runtimes, usable with errors.Is.
var (
	// ErrNotFound: the sandbox or container does not exist.
	ErrNotFound = errors.New("not found in the runtime")
	// ErrInvalidState: the operation is not allowed in the object's state (starting a container
	// twice, creating a container in a stopped sandbox).
	ErrInvalidState = errors.New("invalid state for the operation")
	// ErrStartFailed: the container could not be started; it is Exited with reason StartError.
	ErrStartFailed = errors.New("container start failed")
	// ErrRuntimeDown: the runtime does not answer (its node died).
	ErrRuntimeDown = errors.New("container runtime is down")
)

// RuntimeVersion identifies a runtime.
type RuntimeVersion struct {
	// Name of the runtime, such as "hollow" or "containerd"; also the scheme of container IDs.
	Name string
	// Version of the runtime.
	Version string
}

// SandboxConfig describes the sandbox of a pod.
type SandboxConfig struct {
	// Namespace, Name and UID of the pod.
	Namespace, Name string
	UID             meta.UID
	// Attempt counts the sandboxes created for the pod before this one.
	Attempt int32
	// Hostname of the pod.
	Hostname string
	// Labels and Annotations of the pod.
	Labels, Annotations map[string]string
}

// SandboxState is the state of a sandbox.
type SandboxState string

// The states of a sandbox.
const (
	SandboxReady    SandboxState = "Ready"
	SandboxNotReady SandboxState = "NotReady"
)

// SandboxStatus is the state of a sandbox.
type SandboxStatus struct {
	// ID of the sandbox.
	ID string
	// Namespace, Name and UID of its pod, and the attempt it was created with.
	Namespace, Name string
	UID             meta.UID
	Attempt         int32
	// State is Ready or NotReady.
	State SandboxState
	// IP of the pod (empty once the sandbox stopped).
	IP string
	// CreatedAt is when the sandbox was created.
	CreatedAt time.Time
}

// EnvVar is an environment variable of a container, with its value resolved.
type EnvVar struct {
	Name, Value string
}

// ContainerConfig describes a container to create.
type ContainerConfig struct {
	// Name of the container in its pod.
	Name string
	// Attempt is the restart count of the container: 0 for the first, n for the n-th restart.
	Attempt int32
	// Image to run.
	Image string
	// Command and Args of the process; WorkingDir its directory.
	Command, Args []string
	WorkingDir    string
	// Env are the environment variables, resolved.
	Env []EnvVar
	// Labels and Annotations of the container (the agent puts the pod's identity there).
	Labels, Annotations map[string]string
}

// ContainerState is the state of a container.
type ContainerState string

// The states of a container.
const (
	ContainerCreated ContainerState = "Created"
	ContainerRunning ContainerState = "Running"
	ContainerExited  ContainerState = "Exited"
	ContainerUnknown ContainerState = "Unknown"
)

// ContainerStatus is the state of a container.
type ContainerStatus struct {
	// ID of the container and of its sandbox.
	ID, SandboxID string
	// Name and Attempt from its ContainerConfig.
	Name    string
	Attempt int32
	// Image as configured and ImageRef, the resolved image (with digest).
	Image, ImageRef string
	// State of the container.
	State ContainerState
	// CreatedAt, StartedAt and FinishedAt are the times of the transitions (zero until they
	// happened).
	CreatedAt, StartedAt, FinishedAt time.Time
	// ExitCode of an Exited container.
	ExitCode int32
	// Reason and Message explain the state (Completed, Error, StartError, OOMKilled ...).
	Reason, Message string
}

// ProbeKind says which probe of a container runs.
type ProbeKind string

// The kinds of probes.
const (
	ReadinessProbe ProbeKind = "Readiness"
	LivenessProbe  ProbeKind = "Liveness"
	StartupProbe   ProbeKind = "Startup"
)

// ProbeResult is the outcome of one probe.
type ProbeResult string

// The results of a probe.
const (
	ProbeSuccess ProbeResult = "Success"
	ProbeFailure ProbeResult = "Failure"
)

// EventType says what changed in a runtime.
type EventType string

// The events of a runtime.
const (
	EventSandboxCreated   EventType = "SandboxCreated"
	EventSandboxStopped   EventType = "SandboxStopped"
	EventSandboxRemoved   EventType = "SandboxRemoved"
	EventContainerCreated EventType = "ContainerCreated"
	EventContainerStarted EventType = "ContainerStarted"
	// EventContainerExited: a container exited, on its own or because it was stopped.
	EventContainerExited  EventType = "ContainerExited"
	EventContainerRemoved EventType = "ContainerRemoved"
	// EventRuntimeDown: the runtime stopped answering; every sandbox is gone with it.
	EventRuntimeDown EventType = "RuntimeDown"
	// EventRuntimeUp: the runtime answers again (after a restart of its node, with no
	// sandboxes).
	EventRuntimeUp EventType = "RuntimeUp"
)

// Event tells a subscriber that something changed in a runtime.
type Event struct {
	// Type of the change.
	Type EventType
	// UID of the pod whose sandbox or container changed (empty for RuntimeDown and RuntimeUp).
	PodUID meta.UID
	// SandboxID and ContainerID of what changed (ContainerID empty for sandbox events).
	SandboxID, ContainerID string
}
