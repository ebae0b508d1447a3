package nodeagent_test

import (
	"errors"
	goruntime "runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	coordv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/controller/nodeagent/hollow"
	"github.com/cellkit/cellkit/store"
)

func TestNewRejectsBadOptions(t *testing.T) {
	e := newEnv(t)
	rt := e.newRuntime(hollow.Options{})
	tests := []struct {
		name string
		opts nodeagent.Options
	}{
		{"no node name", nodeagent.Options{Runtime: rt}},
		{"bad node name", nodeagent.Options{NodeName: "Node_1", Runtime: rt}},
		{"no runtime", nodeagent.Options{NodeName: "n1"}},
		{"negative renew interval", nodeagent.Options{NodeName: "n1", Runtime: rt, RenewInterval: -time.Second}},
		{"sub-second lease", nodeagent.Options{NodeName: "n1", Runtime: rt, LeaseDuration: time.Millisecond}},
		{"negative capacity", nodeagent.Options{NodeName: "n1", Runtime: rt, Capacity: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("-1")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := nodeagent.New(e.s, tt.opts)
			if !errors.Is(err, nodeagent.ErrInvalidOptions) {
				t.Fatalf("New: got %v, want ErrInvalidOptions", err)
			}
		})
	}
	if _, err := nodeagent.New(nil, nodeagent.Options{NodeName: "n1", Runtime: rt}); !errors.Is(err, nodeagent.ErrInvalidOptions) {
		t.Fatalf("New with nil store: got %v, want ErrInvalidOptions", err)
	}
}

func TestRegistersNodeAndRenewsLease(t *testing.T) {
	e := newEnv(t)
	r := e.start("node-a", nodeagent.Options{
		Labels: map[string]string{"zone": "z1"},
		Taints: []corev1.Taint{{Key: "dedicated", Value: "batch", Effect: corev1.TaintEffectNoSchedule}},
	}, hollow.Options{})

	node := e.waitNode("node-a", "registration", func(n *corev1.Node) bool { return len(n.Status.Conditions) == 4 })
	wantLabels := map[string]string{"zone": "z1", nodeagent.LabelHostname: "node-a", nodeagent.LabelOS: "linux", nodeagent.LabelArch: goruntime.GOARCH}
	if diff := cmp.Diff(wantLabels, node.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]corev1.Taint{{Key: "dedicated", Value: "batch", Effect: corev1.TaintEffectNoSchedule}}, node.Spec.Taints); diff != "" {
		t.Errorf("taints (-want +got):\n%s", diff)
	}
	now := meta.NewTime(t0)
	wantConds := []corev1.NodeCondition{
		{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientMemory", Message: "kubelet has sufficient memory available", LastHeartbeatTime: now, LastTransitionTime: now},
		{Type: corev1.NodeDiskPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasNoDiskPressure", Message: "kubelet has no disk pressure", LastHeartbeatTime: now, LastTransitionTime: now},
		{Type: corev1.NodePIDPressure, Status: corev1.ConditionFalse, Reason: "KubeletHasSufficientPID", Message: "kubelet has sufficient PID available", LastHeartbeatTime: now, LastTransitionTime: now},
		{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady", Message: "kubelet is posting ready status", LastHeartbeatTime: now, LastTransitionTime: now},
	}
	if diff := cmp.Diff(wantConds, node.Status.Conditions); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	for name, want := range map[corev1.ResourceName]string{"cpu": "4", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi"} {
		if got := node.Status.Capacity[name]; got.Cmp(resource.MustParse(want)) != 0 {
			t.Errorf("capacity %s = %s, want %s", name, got.String(), want)
		}
		if got := node.Status.Allocatable[name]; got.Cmp(resource.MustParse(want)) != 0 {
			t.Errorf("allocatable %s = %s, want %s", name, got.String(), want)
		}
	}
	if got := node.Status.NodeInfo.ContainerRuntimeVersion; got != "hollow://"+hollow.Version {
		t.Errorf("containerRuntimeVersion = %q", got)
	}
	if node.Status.NodeInfo.KubeletVersion != nodeagent.DefaultVersion || node.Status.NodeInfo.BootID == "" || node.Status.NodeInfo.OperatingSystem != "linux" {
		t.Errorf("nodeInfo = %+v", node.Status.NodeInfo)
	}
	if node.Status.DaemonEndpoints.KubeletEndpoint.Port != nodeagent.DefaultPort {
		t.Errorf("daemonEndpoints = %+v", node.Status.DaemonEndpoints)
	}
	if len(node.Status.Addresses) != 2 || node.Status.Addresses[0].Type != corev1.NodeInternalIP || node.Status.Addresses[1] != (corev1.NodeAddress{Type: corev1.NodeHostName, Address: "node-a"}) {
		t.Errorf("addresses = %+v", node.Status.Addresses)
	}

	lease := e.waitLease("node-a", func(*coordv1.Lease) bool { return true })
	wantSpec := coordv1.LeaseSpec{HolderIdentity: ptr("node-a"), LeaseDurationSeconds: ptr(int32(40)), RenewTime: ptr(meta.NewMicroTime(t0))}
	if diff := cmp.Diff(wantSpec, lease.Spec); diff != "" {
		t.Errorf("lease spec (-want +got):\n%s", diff)
	}
	if len(lease.OwnerReferences) != 1 || lease.OwnerReferences[0].Kind != "Node" || lease.OwnerReferences[0].UID != node.UID {
		t.Errorf("lease owner references = %+v, want the node %s", lease.OwnerReferences, node.UID)
	}

	// Each renew interval moves renewTime, each status period the heartbeats.
	for i := 1; i <= 3; i++ {
		e.clk.Step(10 * time.Second)
		want := t0.Add(time.Duration(i) * 10 * time.Second)
		e.waitLease("node-a", func(l *coordv1.Lease) bool { return l.Spec.RenewTime.Time.Equal(want) })
		n := e.waitNode("node-a", "heartbeat", func(n *corev1.Node) bool {
			return n.Status.Conditions[3].LastHeartbeatTime.Time.Equal(want)
		})
		if !n.Status.Conditions[3].LastTransitionTime.Time.Equal(t0) {
			t.Errorf("heartbeat %d moved the Ready transition time to %v", i, n.Status.Conditions[3].LastTransitionTime)
		}
	}

	// The runtime dies: the node turns NotReady at the next status post, and Ready again
	// once the runtime is back.
	r.rt.Crash()
	e.clk.Step(10 * time.Second)
	n := e.waitNode("node-a", "runtime down", func(n *corev1.Node) bool { return n.Status.Conditions[3].Status == corev1.ConditionFalse })
	if c := n.Status.Conditions[3]; c.Reason != "KubeletNotReady" || c.Message != "container runtime is down" || !c.LastTransitionTime.Time.Equal(t0.Add(40*time.Second)) {
		t.Errorf("Ready condition with the runtime down = %+v", c)
	}
	r.rt.Restart()
	e.clk.Step(10 * time.Second)
	e.waitNode("node-a", "runtime back", func(n *corev1.Node) bool { return n.Status.Conditions[3].Status == corev1.ConditionTrue })
}

func TestExistingNodeKeepsSpecAndGetsStatus(t *testing.T) {
	e := newEnv(t)
	_, err := e.nodes.Create(e.ctx, &corev1.Node{
		ObjectMeta: meta.ObjectMeta{Name: "node-a", Labels: map[string]string{"custom": "yes"}},
		Spec:       corev1.NodeSpec{Unschedulable: true, Taints: []corev1.Taint{{Key: "k", Effect: corev1.TaintEffectNoExecute}}},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{
			{Type: corev1.NodeNetworkUnavailable, Status: corev1.ConditionFalse, Reason: "RouteCreated"},
			{Type: corev1.NodeReady, Status: corev1.ConditionUnknown, Reason: "NodeStatusUnknown", LastTransitionTime: meta.NewTime(t0.Add(-time.Hour))},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.start("node-a", nodeagent.Options{Taints: []corev1.Taint{{Key: "ignored", Effect: corev1.TaintEffectNoSchedule}}}, hollow.Options{})
	n := e.waitNode("node-a", "status", func(n *corev1.Node) bool { return len(n.Status.Conditions) == 5 })
	if !n.Spec.Unschedulable || len(n.Spec.Taints) != 1 || n.Spec.Taints[0].Key != "k" {
		t.Errorf("spec of an existing node changed: %+v", n.Spec)
	}
	if n.Labels["custom"] != "yes" || n.Labels[nodeagent.LabelHostname] != "node-a" {
		t.Errorf("labels = %v", n.Labels)
	}
	got := map[corev1.NodeConditionType]corev1.NodeCondition{}
	for _, c := range n.Status.Conditions {
		got[c.Type] = c
	}
	if c := got[corev1.NodeNetworkUnavailable]; c.Reason != "RouteCreated" {
		t.Errorf("a condition the agent does not own was dropped: %+v", n.Status.Conditions)
	}
	if c := got[corev1.NodeReady]; c.Status != corev1.ConditionTrue || !c.LastTransitionTime.Time.Equal(t0) {
		t.Errorf("Ready = %+v, want True since now", c)
	}
}

func TestPodRunsWithConditionsAndStatuses(t *testing.T) {
	e := newEnv(t)
	e.start("node-a", nodeagent.Options{}, hollow.Options{})
	p := newPod("web", "node-a", "nginx:1.27", "sidecar:1")
	p.Spec.Containers[0].Resources.Limits = corev1.ResourceList{"cpu": resource.MustParse("1"), "memory": resource.MustParse("1Gi")}
	created := e.createPod(p)

	got := e.waitPod("default", "web", "running and ready", isRunningReady)
	s := got.Status
	if s.HostIP == "" || s.HostIP != s.HostIPs[0].IP || s.PodIP == "" || s.PodIP != s.PodIPs[0].IP {
		t.Errorf("IPs: host %q %v pod %q %v", s.HostIP, s.HostIPs, s.PodIP, s.PodIPs)
	}
	if s.StartTime == nil || !s.StartTime.Time.Equal(t0) {
		t.Errorf("startTime = %v, want %v", s.StartTime, t0)
	}
	if s.QOSClass != corev1.PodQOSBurstable {
		t.Errorf("qosClass = %q, want Burstable", s.QOSClass)
	}
	if s.ObservedGeneration != created.Generation {
		t.Errorf("observedGeneration = %d, want %d", s.ObservedGeneration, created.Generation)
	}
	now := meta.NewTime(t0)
	wantConds := []corev1.PodCondition{
		{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: corev1.ContainersReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
		{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now},
	}
	if diff := cmp.Diff(wantConds, s.Conditions, cmpopts.IgnoreFields(corev1.PodCondition{}, "ObservedGeneration")); diff != "" {
		t.Errorf("conditions (-want +got):\n%s", diff)
	}
	if len(s.ContainerStatuses) != 2 {
		t.Fatalf("container statuses: %+v", s.ContainerStatuses)
	}
	for i, cs := range s.ContainerStatuses {
		want := corev1.ContainerStatus{
			Name: p.Spec.Containers[i].Name, Image: p.Spec.Containers[i].Image, Ready: true, Started: ptr(true),
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}},
		}
		if diff := cmp.Diff(want, cs, cmpopts.IgnoreFields(corev1.ContainerStatus{}, "ContainerID", "ImageID")); diff != "" {
			t.Errorf("container %d status (-want +got):\n%s", i, diff)
		}
		if len(cs.ContainerID) < len("hollow://")+8 || cs.ContainerID[:len("hollow://")] != "hollow://" {
			t.Errorf("containerID = %q", cs.ContainerID)
		}
		if cs.ImageID == "" {
			t.Errorf("imageID empty for %s", cs.Name)
		}
	}
}

func TestIgnoresPodsOfOtherNodes(t *testing.T) {
	e := newEnv(t)
	r := e.start("node-a", nodeagent.Options{}, hollow.Options{})
	e.createPod(newPod("elsewhere", "node-b", "nginx"))
	e.createPod(newPod("unbound", "", "nginx"))
	e.createPod(newPod("mine", "node-a", "nginx"))
	e.waitPod("default", "mine", "running", isRunningReady)
	for _, name := range []string{"elsewhere", "unbound"} {
		p, err := e.pods.Get(e.ctx, "default", name, store.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Status.Phase != corev1.PodPending || len(p.Status.ContainerStatuses) != 0 || p.Status.HostIP != "" {
			t.Errorf("pod %s was touched: %s", name, podSummary(p))
		}
	}
	sbs, err := r.rt.ListPodSandboxes(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sbs) != 1 || sbs[0].Name != "mine" {
		t.Errorf("sandboxes = %+v, want only the pod of this node", sbs)
	}
}

func TestPartialCapacityGetsDefaults(t *testing.T) {
	e := newEnv(t)
	e.start("node-a", nodeagent.Options{
		Capacity:    corev1.ResourceList{"cpu": resource.MustParse("2"), "example.com/gpu": resource.MustParse("1")},
		Allocatable: corev1.ResourceList{"cpu": resource.MustParse("1500m")},
	}, hollow.Options{})
	n := e.waitNode("node-a", "registration", func(n *corev1.Node) bool { return len(n.Status.Conditions) > 0 })
	str := func(rl corev1.ResourceList) map[string]string {
		out := map[string]string{}
		for k, v := range rl {
			out[string(k)] = v.String()
		}
		return out
	}
	wantCap := map[string]string{"cpu": "2", "memory": "16Gi", "ephemeral-storage": "100Gi", "pods": "110", "example.com/gpu": "1"}
	wantAlloc := map[string]string{"cpu": "1500m", "memory": "16Gi", "ephemeral-storage": "100Gi", "pods": "110", "example.com/gpu": "1"}
	if diff := cmp.Diff(wantCap, str(n.Status.Capacity)); diff != "" {
		t.Errorf("capacity (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantAlloc, str(n.Status.Allocatable)); diff != "" {
		t.Errorf("allocatable (-want +got):\n%s", diff)
	}
}
