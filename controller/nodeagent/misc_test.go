package nodeagent_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/store"
)

// recorder collects events as "reason: message".
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Eventf(obj runtime.MetaObject, eventType, reason, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, obj.GetObjectMeta().Name+" "+eventType+" "+reason+": "+fmt.Sprintf(format, args...))
}

func (r *recorder) has(prefix string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if strings.HasPrefix(e, prefix) {
			return true
		}
	}
	return false
}

func TestEventsAreRecorded(t *testing.T) {
	e := newEnv(t)
	rec := &recorder{}
	e.start("node-a", nodeagent.Options{Recorder: rec, Capacity: corev1.ResourceList{"cpu": mustQ("1"), "pods": mustQ("10")}},
		hollow.Options{Images: map[string]hollow.Behavior{"crash": {ExitAfter: time.Second, ExitCode: 1}}})
	e.createPod(newPod("crash", "node-a", "crash"))
	e.createPod(withRequests(newPod("huge", "node-a", "nginx"), "2", ""))
	e.waitPod("default", "huge", "rejection", func(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodFailed })
	e.waitPod("default", "crash", "running", func(p *corev1.Pod) bool { return running0(p) != nil })
	e.clk.Step(time.Second)
	e.waitPod("default", "crash", "restart", func(p *corev1.Pod) bool { return p.Status.ContainerStatuses[0].RestartCount == 1 })
	e.clk.Step(time.Second)
	e.waitPod("default", "crash", "back-off", func(p *corev1.Pod) bool { return p.Status.ContainerStatuses[0].State.Waiting != nil })
	for _, want := range []string{
		"crash Normal Created: Created container c0",
		"crash Normal Started: Started container c0",
		"crash Warning BackOff: Back-off restarting failed container c0 in pod crash",
		"huge Warning OutOfcpu: Pod was rejected: Node didn't have enough resource: cpu",
	} {
		if !rec.has(want) {
			t.Errorf("no event %q in %q", want, rec.events)
		}
	}
}

func TestContainerConfig(t *testing.T) {
	e := newEnv(t)
	r := e.start("node-a", nodeagent.Options{Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "192.0.2.7"}}}, hollow.Options{})
	p := newPod("web", "node-a", "nginx:1.27")
	p.Labels["tier"] = "front"
	c := &p.Spec.Containers[0]
	c.Command, c.Args, c.WorkingDir = []string{"/bin/server"}, []string{"--port", "80"}, "/srv"
	c.Env = []corev1.EnvVar{
		{Name: "LITERAL", Value: "x"},
		{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
		{Name: "NODE", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "spec.nodeName"}}},
		{Name: "HOST_IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.hostIP"}}},
		{Name: "POD_IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}},
		{Name: "TIER", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.labels['tier']"}}},
	}
	e.createPod(p)
	got := e.waitPod("default", "web", "running", isRunningReady)
	if got.Status.HostIP != "192.0.2.7" {
		t.Errorf("hostIP = %q", got.Status.HostIP)
	}
	cfg, err := r.rt.Config(strings.TrimPrefix(got.Status.ContainerStatuses[0].ContainerID, "hollow://"))
	if err != nil {
		t.Fatal(err)
	}
	want := []nodeagent.EnvVar{{"LITERAL", "x"}, {"POD_NAME", "web"}, {"NODE", "node-a"}, {"HOST_IP", "192.0.2.7"},
		{"POD_IP", got.Status.PodIP}, {"TIER", "front"}}
	if diff := cmp.Diff(want, cfg.Env); diff != "" {
		t.Errorf("env (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/bin/server", "--port", "80", "/srv", "nginx:1.27"}, append(append(cfg.Command, cfg.Args...), cfg.WorkingDir, cfg.Image)); diff != "" {
		t.Errorf("command (-want +got):\n%s", diff)
	}
	var labels []string
	for k, v := range cfg.Labels {
		labels = append(labels, k+"="+v)
	}
	sort.Strings(labels)
	wantLabels := []string{"io.kubernetes.container.name=c0", "io.kubernetes.pod.name=web", "io.kubernetes.pod.namespace=default", "io.kubernetes.pod.uid=" + string(got.UID)}
	if diff := cmp.Diff(wantLabels, labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
}

// TestRejectedPodKeepsItsStatusAcrossRestarts: a new agent does not rewrite the reason of a
// pod an earlier one rejected.
func TestRejectedPodKeepsItsStatusAcrossRestarts(t *testing.T) {
	e := newEnv(t)
	r1 := e.start("node-a", nodeagent.Options{Capacity: corev1.ResourceList{"cpu": mustQ("1"), "pods": mustQ("10")}}, hollow.Options{})
	e.createPod(withRequests(newPod("huge", "node-a", "nginx"), "2", ""))
	e.waitPod("default", "huge", "rejection", func(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodFailed })
	r1.stop(t)
	// The new agent has room, but a finished pod stays finished.
	e.start("node-a", nodeagent.Options{Runtime: r1.rt}, hollow.Options{})
	e.createPod(newPod("marker", "node-a", "nginx"))
	e.waitPod("default", "marker", "running", isRunningReady)
	got := e.waitPod("default", "huge", "still rejected", func(p *corev1.Pod) bool { return true })
	if got.Status.Phase != corev1.PodFailed || got.Status.Reason != "OutOfcpu" || r1.rt.Running() != 1 {
		t.Fatalf("after restart: %s, %d running", podSummary(got), r1.rt.Running())
	}
}

// TestReadinessGatesAndForeignConditions: a pod with a readiness gate is Ready only once
// another component sets that condition, which the agent keeps in every status it writes.
func TestReadinessGatesAndForeignConditions(t *testing.T) {
	e := newEnv(t)
	e.start("node-a", nodeagent.Options{}, hollow.Options{})
	p := newPod("web", "node-a", "nginx")
	p.Spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "example.com/lb-ready"}}
	e.createPod(p)
	got := e.waitPod("default", "web", "containers ready", func(p *corev1.Pod) bool {
		c := condition(p, corev1.ContainersReady)
		return c != nil && c.Status == corev1.ConditionTrue
	})
	ready := condition(got, corev1.PodReady)
	if ready.Status != corev1.ConditionFalse || ready.Reason != nodeagent.ReasonReadinessGatesNotReady {
		t.Fatalf("Ready with the gate unset = %+v", ready)
	}
	status := store.For[*corev1.Pod](e.s, nodeagent.PodStatusResource)
	if _, err := status.GuaranteedUpdate(e.ctx, "default", "web", func(p *corev1.Pod) (*corev1.Pod, error) {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: "example.com/lb-ready", Status: corev1.ConditionTrue})
		return p, nil
	}, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	got = e.waitPod("default", "web", "ready", isRunningReady)
	if c := condition(got, "example.com/lb-ready"); c == nil || c.Status != corev1.ConditionTrue {
		t.Fatalf("the gate's condition was dropped: %+v", got.Status.Conditions)
	}
}
