package hollow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/internal/clock"
)

// Name is the runtime name the hollow runtime reports (and the scheme of its container IDs as
// the agent publishes them: hollow://<id>).
const Name = "hollow"

// Version is the version the hollow runtime reports.
const Version = "1.0.0"

// Exit codes and reasons the hollow runtime reports, the values containerd reports for the
// same events.
const (
	// ExitCodeStartError and ReasonStartError: the container could not be started.
	ExitCodeStartError int32 = 128
	ReasonStartError         = "StartError"
	// ExitCodeKilled: the container was killed (SIGKILL) after its grace period or with its
	// sandbox.
	ExitCodeKilled int32 = 137
	// ReasonCompleted: the container exited with code 0; ReasonError with another code.
	ReasonCompleted = "Completed"
	ReasonError     = "Error"
)

// Behavior is what a hollow container does.
type Behavior struct {
	// StartError, when not empty, makes StartContainer fail with this message: the container
	// ends Exited with ExitCodeStartError and ReasonStartError.
	StartError string
	// ExitAfter, when positive, makes the container exit on its own ExitAfter after it started
	// (on the runtime's clock), with ExitCode. Zero runs it until it is stopped.
	ExitAfter time.Duration
	// ExitCode of an exit after ExitAfter.
	ExitCode int32
	// IgnoreStop makes the container ignore the stop signal: StopContainer waits the whole
	// grace period (on the clock) and then kills it with ExitCodeKilled. Otherwise it exits
	// with code 0 as soon as it is asked to stop.
	IgnoreStop bool
	// FailProbes makes every probe of the container fail (unless Options.Probe answers).
	FailProbes bool
}

// ContainerInfo identifies a container for the hooks of Options.
type ContainerInfo struct {
	// ID of the container and SandboxID of its sandbox.
	ID, SandboxID string
	// Namespace, PodName and PodUID of its pod.
	Namespace, PodName string
	PodUID             meta.UID
	// Name, Attempt and Image from its configuration.
	Name    string
	Attempt int32
	Image   string
	// StartedAt is when it started (zero before).
	StartedAt time.Time
}

// Options configure a hollow runtime. The zero value of every field is a documented default.
type Options struct {
	// Clock drives start latency, exits after a duration and stop grace periods. Default the
	// real clock.
	Clock clock.Clock
	// StartLatency is how long after its creation (on the clock) a container runs:
	// StartContainer waits until then. Default 0: containers start at once.
	StartLatency time.Duration
	// Images gives the behaviour of the containers of an image (exact match of the image
	// reference). Images not listed run until stopped and pass every probe.
	Images map[string]Behavior
	// Behave, when set, decides the behaviour of every container when it is started; it
	// overrides Images. It is called without the runtime's lock held and must be safe for
	// concurrent use.
	Behave func(c ContainerInfo) Behavior
	// Probe, when set, answers every probe (overriding Behavior.FailProbes). It is called
	// without the runtime's lock held and must be safe for concurrent use.
	Probe func(c ContainerInfo, kind nodeagent.ProbeKind) (nodeagent.ProbeResult, error)
	// PodCIDR is the range sandbox IPs are taken from. Default 10.88.0.0/16.
	PodCIDR netip.Prefix
	// OnStop, when set, is called by StopContainer for a running container once the stop
	// is under way (for a container that ignores the stop signal, after its grace timer is
	// armed), with the grace period asked for. Tests use it to know when a fake clock may be
	// stepped past a grace period. It must not block.
	OnStop func(c ContainerInfo, grace time.Duration)
}

// Runtime is the hollow container runtime: sandboxes and containers are records in memory,
// containers "run" from StartContainer until they are stopped or their Behavior makes them
// exit. It implements nodeagent.Runtime and is safe for concurrent use. Crash and Restart
// simulate the death and reboot of its node.
type Runtime struct {
	opts  Options
	clock clock.Clock

	mu         sync.Mutex
	down       bool
	seq        uint64
	sandboxes  map[string]*sandbox
	containers map[string]*container
	ipsInUse   map[netip.Addr]bool
	nextIP     netip.Addr

	subMu   sync.RWMutex
	subs    map[int]func(nodeagent.Event)
	nextSub int
}

type sandbox struct {
	status nodeagent.SandboxStatus
	labels map[string]string
}

type container struct {
	status   nodeagent.ContainerStatus
	cfg      nodeagent.ContainerConfig
	sandbox  *sandbox
	behavior Behavior
	// exitTimer fires the exit of a container with ExitAfter.
	exitTimer clock.Timer
	// exited is closed when the container leaves Running (or is removed).
	exited chan struct{}
}

var _ nodeagent.Runtime = (*Runtime)(nil)

// New returns a hollow runtime.
func New(opts Options) (*Runtime, error) {
	if opts.StartLatency < 0 {
		return nil, fmt.Errorf("new hollow runtime: negative start latency %v", opts.StartLatency)
	}
	for img, b := range opts.Images {
		if b.ExitAfter < 0 {
			return nil, fmt.Errorf("new hollow runtime: image %q: negative exit delay %v", img, b.ExitAfter)
		}
	}
	if !opts.PodCIDR.IsValid() {
		opts.PodCIDR = netip.MustParsePrefix("10.88.0.0/16")
	}
	if !opts.PodCIDR.Addr().Is4() || opts.PodCIDR.Bits() > 30 || opts.PodCIDR.Bits() < 8 {
		return nil, fmt.Errorf("new hollow runtime: pod CIDR %v must be IPv4 between /8 and /30", opts.PodCIDR)
	}
	opts.PodCIDR = opts.PodCIDR.Masked()
	c := opts.Clock
	if c == nil {
		c = clock.Real()
	}
	r := &Runtime{
		opts:       opts,
		clock:      c,
		sandboxes:  map[string]*sandbox{},
		containers: map[string]*container{},
		ipsInUse:   map[netip.Addr]bool{},
		subs:       map[int]func(nodeagent.Event){},
	}
	r.nextIP = opts.PodCIDR.Addr().Next()
	return r, nil
}

// Subscribe implements nodeagent.Runtime.
func (r *Runtime) Subscribe(fn func(nodeagent.Event)) func() {
	r.subMu.Lock()
	id := r.nextSub
	r.nextSub++
	r.subs[id] = fn
	r.subMu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.subMu.Lock()
			delete(r.subs, id)
			r.subMu.Unlock()
		})
	}
}

func (r *Runtime) emit(evs ...nodeagent.Event) {
	if len(evs) == 0 {
		return
	}
	r.subMu.RLock()
	defer r.subMu.RUnlock()
	for _, ev := range evs {
		for _, fn := range r.subs {
			fn(ev)
		}
	}
}

// Crash simulates the death of the node: every sandbox and container is gone (their timers
// stopped) and every call fails with nodeagent.ErrRuntimeDown until Restart. Subscribers get a
// RuntimeDown event.
func (r *Runtime) Crash() {
	r.mu.Lock()
	if r.down {
		r.mu.Unlock()
		return
	}
	r.down = true
	r.wipeLocked()
	r.mu.Unlock()
	r.emit(nodeagent.Event{Type: nodeagent.EventRuntimeDown})
}

// Restart brings a crashed runtime back, empty, as after a reboot of its node. Subscribers get
// a RuntimeUp event. Restarting a runtime that is up wipes it the same way.
func (r *Runtime) Restart() {
	r.mu.Lock()
	r.down = false
	r.wipeLocked()
	r.mu.Unlock()
	r.emit(nodeagent.Event{Type: nodeagent.EventRuntimeUp})
}

func (r *Runtime) wipeLocked() {
	for _, c := range r.containers {
		r.finishLocked(c, ExitCodeKilled, ReasonError, "")
	}
	r.containers = map[string]*container{}
	r.sandboxes = map[string]*sandbox{}
	r.ipsInUse = map[netip.Addr]bool{}
	r.nextIP = r.opts.PodCIDR.Addr().Next()
}

// Version implements nodeagent.Runtime.
func (r *Runtime) Version(ctx context.Context) (nodeagent.RuntimeVersion, error) {
	if err := r.check(ctx, "version"); err != nil {
		return nodeagent.RuntimeVersion{}, err
	}
	return nodeagent.RuntimeVersion{Name: Name, Version: Version}, nil
}

// check fails when ctx is done or the runtime is down. It takes the lock briefly.
func (r *Runtime) check(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	r.mu.Lock()
	down := r.down
	r.mu.Unlock()
	if down {
		return fmt.Errorf("%s: %w", op, nodeagent.ErrRuntimeDown)
	}
	return nil
}

func (r *Runtime) newIDLocked(parts ...string) string {
	r.seq++
	h := sha256.Sum256([]byte(strings.Join(parts, "/") + "/" + strconv.FormatUint(r.seq, 10)))
	return hex.EncodeToString(h[:16])
}

func (r *Runtime) allocIPLocked() (netip.Addr, error) {
	p := r.opts.PodCIDR
	first, last := p.Addr().Next(), lastAddr(p)
	size := 1 << (32 - p.Bits()) // the prefix is IPv4 between /8 and /30
	ip := r.nextIP
	for i := 0; i < size; i++ {
		if !p.Contains(ip) || ip == last || ip.Less(first) {
			ip = first
		}
		if !r.ipsInUse[ip] {
			r.ipsInUse[ip] = true
			r.nextIP = ip.Next()
			return ip, nil
		}
		ip = ip.Next()
	}
	return netip.Addr{}, fmt.Errorf("allocate pod IP: every address of %v is in use", p)
}

// lastAddr is the broadcast address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	bits := p.Bits()
	for i := range b {
		for j := 0; j < 8; j++ {
			if i*8+j >= bits {
				b[i] |= 1 << (7 - j)
			}
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// RunPodSandbox implements nodeagent.Runtime.
func (r *Runtime) RunPodSandbox(ctx context.Context, cfg nodeagent.SandboxConfig) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("run pod sandbox: %w", err)
	}
	if cfg.UID == "" || cfg.Name == "" {
		return "", fmt.Errorf("run pod sandbox: the pod's name and UID are required")
	}
	r.mu.Lock()
	if r.down {
		r.mu.Unlock()
		return "", fmt.Errorf("run pod sandbox: %w", nodeagent.ErrRuntimeDown)
	}
	ip, err := r.allocIPLocked()
	if err != nil {
		r.mu.Unlock()
		return "", fmt.Errorf("run pod sandbox %s/%s: %w", cfg.Namespace, cfg.Name, err)
	}
	id := r.newIDLocked("sandbox", string(cfg.UID), strconv.Itoa(int(cfg.Attempt)))
	sb := &sandbox{status: nodeagent.SandboxStatus{
		ID: id, Namespace: cfg.Namespace, Name: cfg.Name, UID: cfg.UID, Attempt: cfg.Attempt,
		State: nodeagent.SandboxReady, IP: ip.String(), CreatedAt: r.clock.Now(),
	}, labels: cloneMap(cfg.Labels)}
	r.sandboxes[id] = sb
	r.mu.Unlock()
	r.emit(nodeagent.Event{Type: nodeagent.EventSandboxCreated, PodUID: cfg.UID, SandboxID: id})
	return id, nil
}

// StopPodSandbox implements nodeagent.Runtime.
func (r *Runtime) StopPodSandbox(ctx context.Context, sandboxID string) error {
	if err := r.check(ctx, "stop pod sandbox"); err != nil {
		return err
	}
	r.mu.Lock()
	sb, ok := r.sandboxes[sandboxID]
	if !ok {
		r.mu.Unlock()
		return fmt.Errorf("stop pod sandbox %s: %w", sandboxID, nodeagent.ErrNotFound)
	}
	evs := r.stopSandboxLocked(sb)
	r.mu.Unlock()
	r.emit(evs...)
	return nil
}

func (r *Runtime) stopSandboxLocked(sb *sandbox) []nodeagent.Event {
	var evs []nodeagent.Event
	for _, c := range r.containers {
		if c.sandbox == sb && c.status.State == nodeagent.ContainerRunning {
			r.finishLocked(c, ExitCodeKilled, ReasonError, "")
			evs = append(evs, nodeagent.Event{Type: nodeagent.EventContainerExited, PodUID: sb.status.UID, SandboxID: sb.status.ID, ContainerID: c.status.ID})
		}
	}
	if sb.status.State == nodeagent.SandboxReady {
		if ip, err := netip.ParseAddr(sb.status.IP); err == nil {
			delete(r.ipsInUse, ip)
		}
		sb.status.State = nodeagent.SandboxNotReady
		sb.status.IP = ""
		evs = append(evs, nodeagent.Event{Type: nodeagent.EventSandboxStopped, PodUID: sb.status.UID, SandboxID: sb.status.ID})
	}
	return evs
}

// RemovePodSandbox implements nodeagent.Runtime.
func (r *Runtime) RemovePodSandbox(ctx context.Context, sandboxID string) error {
	if err := r.check(ctx, "remove pod sandbox"); err != nil {
		return err
	}
	r.mu.Lock()
	sb, ok := r.sandboxes[sandboxID]
	if !ok {
		r.mu.Unlock()
		return nil
	}
	evs := r.stopSandboxLocked(sb)
	for id, c := range r.containers {
		if c.sandbox == sb {
			delete(r.containers, id)
			evs = append(evs, nodeagent.Event{Type: nodeagent.EventContainerRemoved, PodUID: sb.status.UID, SandboxID: sandboxID, ContainerID: id})
		}
	}
	delete(r.sandboxes, sandboxID)
	evs = append(evs, nodeagent.Event{Type: nodeagent.EventSandboxRemoved, PodUID: sb.status.UID, SandboxID: sandboxID})
	r.mu.Unlock()
	r.emit(evs...)
	return nil
}

// PodSandboxStatus implements nodeagent.Runtime.
func (r *Runtime) PodSandboxStatus(ctx context.Context, sandboxID string) (nodeagent.SandboxStatus, error) {
	if err := r.check(ctx, "pod sandbox status"); err != nil {
		return nodeagent.SandboxStatus{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	sb, ok := r.sandboxes[sandboxID]
	if !ok {
		return nodeagent.SandboxStatus{}, fmt.Errorf("pod sandbox status %s: %w", sandboxID, nodeagent.ErrNotFound)
	}
	return sb.status, nil
}

// ListPodSandboxes implements nodeagent.Runtime. The sandboxes are ordered by creation.
func (r *Runtime) ListPodSandboxes(ctx context.Context) ([]nodeagent.SandboxStatus, error) {
	if err := r.check(ctx, "list pod sandboxes"); err != nil {
		return nil, err
	}
	r.mu.Lock()
	out := make([]nodeagent.SandboxStatus, 0, len(r.sandboxes))
	for _, sb := range r.sandboxes {
		out = append(out, sb.status)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// CreateContainer implements nodeagent.Runtime.
func (r *Runtime) CreateContainer(ctx context.Context, sandboxID string, cfg nodeagent.ContainerConfig) (string, error) {
	if err := r.check(ctx, "create container"); err != nil {
		return "", err
	}
	if cfg.Name == "" {
		return "", fmt.Errorf("create container in %s: the container name is required", sandboxID)
	}
	r.mu.Lock()
	sb, ok := r.sandboxes[sandboxID]
	if !ok {
		r.mu.Unlock()
		return "", fmt.Errorf("create container %s in %s: %w", cfg.Name, sandboxID, nodeagent.ErrNotFound)
	}
	if sb.status.State != nodeagent.SandboxReady {
		r.mu.Unlock()
		return "", fmt.Errorf("create container %s in %s: sandbox not ready: %w", cfg.Name, sandboxID, nodeagent.ErrInvalidState)
	}
	id := r.newIDLocked("container", sandboxID, cfg.Name, strconv.Itoa(int(cfg.Attempt)))
	c := &container{
		cfg:     cloneConfig(cfg),
		sandbox: sb,
		exited:  make(chan struct{}),
		status: nodeagent.ContainerStatus{
			ID: id, SandboxID: sandboxID, Name: cfg.Name, Attempt: cfg.Attempt,
			Image: cfg.Image, ImageRef: imageRef(cfg.Image),
			State: nodeagent.ContainerCreated, CreatedAt: r.clock.Now(),
		},
	}
	r.containers[id] = c
	uid := sb.status.UID
	r.mu.Unlock()
	r.emit(nodeagent.Event{Type: nodeagent.EventContainerCreated, PodUID: uid, SandboxID: sandboxID, ContainerID: id})
	return id, nil
}

// imageRef is the resolved reference of an image: the image with a digest derived from its
// name, as a registry would give one.
func imageRef(image string) string {
	if strings.Contains(image, "@sha256:") {
		return image
	}
	h := sha256.Sum256([]byte(image))
	name := image
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		name = name[:i]
	}
	return name + "@sha256:" + hex.EncodeToString(h[:])
}

func (r *Runtime) infoLocked(c *container) ContainerInfo {
	return ContainerInfo{
		ID: c.status.ID, SandboxID: c.status.SandboxID,
		Namespace: c.sandbox.status.Namespace, PodName: c.sandbox.status.Name, PodUID: c.sandbox.status.UID,
		Name: c.status.Name, Attempt: c.status.Attempt, Image: c.status.Image, StartedAt: c.status.StartedAt,
	}
}

// StartContainer implements nodeagent.Runtime. It takes Options.StartLatency on the clock.
func (r *Runtime) StartContainer(ctx context.Context, containerID string) error {
	if err := r.check(ctx, "start container"); err != nil {
		return err
	}
	r.mu.Lock()
	c, ok := r.containers[containerID]
	if !ok {
		r.mu.Unlock()
		return fmt.Errorf("start container %s: %w", containerID, nodeagent.ErrNotFound)
	}
	if c.status.State != nodeagent.ContainerCreated {
		st := c.status.State
		r.mu.Unlock()
		return fmt.Errorf("start container %s in state %s: %w", containerID, st, nodeagent.ErrInvalidState)
	}
	info := r.infoLocked(c)
	createdAt := c.status.CreatedAt
	r.mu.Unlock()

	b, ok := r.opts.Images[info.Image]
	if r.opts.Behave != nil {
		b, ok = r.opts.Behave(info), true
	}
	if !ok {
		b = Behavior{}
	}
	if b.ExitAfter < 0 {
		b.ExitAfter = 0
	}
	if r.opts.StartLatency > 0 {
		// The start completes StartLatency after the container was created, however late
		// this call comes.
		if d := createdAt.Add(r.opts.StartLatency).Sub(r.clock.Now()); d > 0 {
			if err := r.clock.Sleep(ctx, d); err != nil {
				return fmt.Errorf("start container %s: %w", containerID, err)
			}
		}
	}

	r.mu.Lock()
	if r.down {
		r.mu.Unlock()
		return fmt.Errorf("start container %s: %w", containerID, nodeagent.ErrRuntimeDown)
	}
	if cur, ok := r.containers[containerID]; !ok || cur != c {
		r.mu.Unlock()
		return fmt.Errorf("start container %s: removed while starting: %w", containerID, nodeagent.ErrNotFound)
	}
	if c.status.State != nodeagent.ContainerCreated {
		st := c.status.State
		r.mu.Unlock()
		return fmt.Errorf("start container %s in state %s: %w", containerID, st, nodeagent.ErrInvalidState)
	}
	uid, sbID := c.sandbox.status.UID, c.sandbox.status.ID
	if c.sandbox.status.State != nodeagent.SandboxReady {
		b.StartError = "sandbox " + sbID + " is not ready"
	}
	now := r.clock.Now()
	c.behavior = b
	if b.StartError != "" {
		c.status.StartedAt = now
		r.finishLocked(c, ExitCodeStartError, ReasonStartError, b.StartError)
		r.mu.Unlock()
		r.emit(nodeagent.Event{Type: nodeagent.EventContainerExited, PodUID: uid, SandboxID: sbID, ContainerID: containerID})
		return fmt.Errorf("start container %s: %s: %w", containerID, b.StartError, nodeagent.ErrStartFailed)
	}
	c.status.State = nodeagent.ContainerRunning
	c.status.StartedAt = now
	if b.ExitAfter > 0 {
		code := b.ExitCode
		c.exitTimer = r.clock.AfterFunc(b.ExitAfter, func() { r.exitOnItsOwn(c, code) })
	}
	r.mu.Unlock()
	r.emit(nodeagent.Event{Type: nodeagent.EventContainerStarted, PodUID: uid, SandboxID: sbID, ContainerID: containerID})
	return nil
}

func (r *Runtime) exitOnItsOwn(c *container, code int32) {
	r.mu.Lock()
	if cur, ok := r.containers[c.status.ID]; !ok || cur != c || c.status.State != nodeagent.ContainerRunning {
		r.mu.Unlock()
		return
	}
	reason := ReasonCompleted
	if code != 0 {
		reason = ReasonError
	}
	r.finishLocked(c, code, reason, "")
	ev := nodeagent.Event{Type: nodeagent.EventContainerExited, PodUID: c.sandbox.status.UID, SandboxID: c.status.SandboxID, ContainerID: c.status.ID}
	r.mu.Unlock()
	r.emit(ev)
}

// finishLocked moves a container to Exited (if it is not already) and releases its waiters.
func (r *Runtime) finishLocked(c *container, code int32, reason, message string) {
	if c.exitTimer != nil {
		c.exitTimer.Stop()
		c.exitTimer = nil
	}
	if c.status.State == nodeagent.ContainerExited {
		return
	}
	c.status.State = nodeagent.ContainerExited
	c.status.FinishedAt = r.clock.Now()
	c.status.ExitCode = code
	c.status.Reason = reason
	c.status.Message = message
	close(c.exited)
}

// StopContainer implements nodeagent.Runtime. A container exits with code 0 as soon as it is
// asked to, unless its Behavior.IgnoreStop makes it wait out grace on the clock and be killed.
func (r *Runtime) StopContainer(ctx context.Context, containerID string, grace time.Duration) error {
	if err := r.check(ctx, "stop container"); err != nil {
		return err
	}
	r.mu.Lock()
	c, ok := r.containers[containerID]
	if !ok {
		r.mu.Unlock()
		return fmt.Errorf("stop container %s: %w", containerID, nodeagent.ErrNotFound)
	}
	switch c.status.State {
	case nodeagent.ContainerExited:
		r.mu.Unlock()
		return nil
	case nodeagent.ContainerCreated:
		// Never started: it exits without having run.
		r.finishLocked(c, 0, ReasonCompleted, "")
		ev := nodeagent.Event{Type: nodeagent.EventContainerExited, PodUID: c.sandbox.status.UID, SandboxID: c.status.SandboxID, ContainerID: containerID}
		r.mu.Unlock()
		r.emit(ev)
		return nil
	}
	ignore := c.behavior.IgnoreStop
	exited := c.exited
	info := r.infoLocked(c)
	code := int32(0)
	if !ignore {
		r.finishLocked(c, 0, ReasonCompleted, "")
	}
	r.mu.Unlock()
	if ignore && grace > 0 {
		t := r.clock.NewTimer(grace)
		if r.opts.OnStop != nil {
			r.opts.OnStop(info, grace)
		}
		select {
		case <-exited:
			t.Stop()
			return nil
		case <-t.C():
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("stop container %s: %w", containerID, ctx.Err())
		}
	}
	if r.opts.OnStop != nil && (!ignore || grace <= 0) {
		r.opts.OnStop(info, grace)
	}
	if ignore {
		code = ExitCodeKilled
		r.mu.Lock()
		if cur, ok := r.containers[containerID]; !ok || cur != c || c.status.State == nodeagent.ContainerExited {
			r.mu.Unlock()
			return nil
		}
		r.finishLocked(c, code, ReasonError, "")
		r.mu.Unlock()
	}
	r.emit(nodeagent.Event{Type: nodeagent.EventContainerExited, PodUID: c.sandbox.status.UID, SandboxID: c.status.SandboxID, ContainerID: containerID})
	return nil
}

// RemoveContainer implements nodeagent.Runtime.
func (r *Runtime) RemoveContainer(ctx context.Context, containerID string) error {
	if err := r.check(ctx, "remove container"); err != nil {
		return err
	}
	r.mu.Lock()
	c, ok := r.containers[containerID]
	if !ok {
		r.mu.Unlock()
		return nil
	}
	var evs []nodeagent.Event
	if c.status.State != nodeagent.ContainerExited {
		r.finishLocked(c, ExitCodeKilled, ReasonError, "")
		evs = append(evs, nodeagent.Event{Type: nodeagent.EventContainerExited, PodUID: c.sandbox.status.UID, SandboxID: c.status.SandboxID, ContainerID: containerID})
	}
	delete(r.containers, containerID)
	evs = append(evs, nodeagent.Event{Type: nodeagent.EventContainerRemoved, PodUID: c.sandbox.status.UID, SandboxID: c.status.SandboxID, ContainerID: containerID})
	r.mu.Unlock()
	r.emit(evs...)
	return nil
}

// ContainerStatus implements nodeagent.Runtime.
func (r *Runtime) ContainerStatus(ctx context.Context, containerID string) (nodeagent.ContainerStatus, error) {
	if err := r.check(ctx, "container status"); err != nil {
		return nodeagent.ContainerStatus{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.containers[containerID]
	if !ok {
		return nodeagent.ContainerStatus{}, fmt.Errorf("container status %s: %w", containerID, nodeagent.ErrNotFound)
	}
	return c.status, nil
}

// ListContainers implements nodeagent.Runtime. The containers are ordered by creation.
func (r *Runtime) ListContainers(ctx context.Context, sandboxID string) ([]nodeagent.ContainerStatus, error) {
	if err := r.check(ctx, "list containers"); err != nil {
		return nil, err
	}
	r.mu.Lock()
	var out []nodeagent.ContainerStatus
	for _, c := range r.containers {
		if sandboxID == "" || c.status.SandboxID == sandboxID {
			out = append(out, c.status)
		}
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		if out[i].Attempt != out[j].Attempt {
			return out[i].Attempt < out[j].Attempt
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Probe implements nodeagent.Runtime: Options.Probe answers when set, else the container's
// Behavior.FailProbes decides. Probing a container that is not running fails.
func (r *Runtime) Probe(ctx context.Context, containerID string, kind nodeagent.ProbeKind, probe *corev1.Probe) (nodeagent.ProbeResult, error) {
	if err := r.check(ctx, "probe"); err != nil {
		return nodeagent.ProbeFailure, err
	}
	r.mu.Lock()
	c, ok := r.containers[containerID]
	if !ok {
		r.mu.Unlock()
		return nodeagent.ProbeFailure, fmt.Errorf("probe %s: %w", containerID, nodeagent.ErrNotFound)
	}
	if c.status.State != nodeagent.ContainerRunning {
		st := c.status.State
		r.mu.Unlock()
		return nodeagent.ProbeFailure, fmt.Errorf("probe %s in state %s: %w", containerID, st, nodeagent.ErrInvalidState)
	}
	info := r.infoLocked(c)
	fail := c.behavior.FailProbes
	r.mu.Unlock()
	if r.opts.Probe != nil {
		return r.opts.Probe(info, kind)
	}
	if fail {
		return nodeagent.ProbeFailure, nil
	}
	return nodeagent.ProbeSuccess, nil
}

// Kill makes a running container exit now with exitCode, as if its process died (reason
// Completed for code 0, else Error). It fails with nodeagent.ErrNotFound for an unknown
// container and nodeagent.ErrInvalidState for one that is not running.
func (r *Runtime) Kill(containerID string, exitCode int32) error {
	r.mu.Lock()
	if r.down {
		r.mu.Unlock()
		return fmt.Errorf("kill container %s: %w", containerID, nodeagent.ErrRuntimeDown)
	}
	c, ok := r.containers[containerID]
	if !ok {
		r.mu.Unlock()
		return fmt.Errorf("kill container %s: %w", containerID, nodeagent.ErrNotFound)
	}
	if c.status.State != nodeagent.ContainerRunning {
		st := c.status.State
		r.mu.Unlock()
		return fmt.Errorf("kill container %s in state %s: %w", containerID, st, nodeagent.ErrInvalidState)
	}
	reason := ReasonCompleted
	if exitCode != 0 {
		reason = ReasonError
	}
	r.finishLocked(c, exitCode, reason, "")
	ev := nodeagent.Event{Type: nodeagent.EventContainerExited, PodUID: c.sandbox.status.UID, SandboxID: c.status.SandboxID, ContainerID: containerID}
	r.mu.Unlock()
	r.emit(ev)
	return nil
}

// Config returns the configuration a container was created with, or nodeagent.ErrNotFound.
func (r *Runtime) Config(containerID string) (nodeagent.ContainerConfig, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.containers[containerID]
	if !ok {
		return nodeagent.ContainerConfig{}, fmt.Errorf("config of container %s: %w", containerID, nodeagent.ErrNotFound)
	}
	return cloneConfig(c.cfg), nil
}

// Running returns the number of running containers (for tests and benchmarks).
func (r *Runtime) Running() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.containers {
		if c.status.State == nodeagent.ContainerRunning {
			n++
		}
	}
	return n
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneConfig(c nodeagent.ContainerConfig) nodeagent.ContainerConfig {
	c.Command = append([]string(nil), c.Command...)
	c.Args = append([]string(nil), c.Args...)
	c.Env = append([]nodeagent.EnvVar(nil), c.Env...)
	c.Labels = cloneMap(c.Labels)
	c.Annotations = cloneMap(c.Annotations)
	return c
}
