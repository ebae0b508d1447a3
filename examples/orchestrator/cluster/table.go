package cluster

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// The resources the cluster's tables and checks read.
var (
	NodesResource       = schema.GroupResource{Resource: "nodes"}
	PodsResource        = schema.GroupResource{Resource: "pods"}
	DeploymentsResource = schema.GroupResource{Group: "apps", Resource: "deployments"}
	ReplicaSetsResource = schema.GroupResource{Group: "apps", Resource: "replicasets"}
)

// RevisionAnnotation is the annotation that numbers a Deployment's ReplicaSets.
const RevisionAnnotation = "deployment.kubernetes.io/revision"

// Snapshot is the state of a cluster at one store revision, as the tables show it.
type Snapshot struct {
	Revision    int64
	Nodes       []*corev1.Node
	Deployments []*appsv1.Deployment
	ReplicaSets []*appsv1.ReplicaSet
	Pods        []*corev1.Pod
}

// Snapshot reads nodes, and the deployments, replicasets and pods of namespace (every namespace
// when empty), all at one revision.
func (c *Cluster) Snapshot(ctx context.Context, namespace string) (*Snapshot, error) {
	return TakeSnapshot(ctx, c.store, namespace)
}

// TakeSnapshot reads a Snapshot from any store.
func TakeSnapshot(ctx context.Context, s store.Interface, namespace string) (*Snapshot, error) {
	nodes, err := store.For[*corev1.Node](s, NodesResource).List(ctx, "", store.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	at := store.ListOptions{Revision: nodes.Revision, Consistency: store.Exact}
	if nodes.Revision == 0 { // nothing was ever written: there is no snapshot to pin
		at = store.ListOptions{}
	}
	deps, err := store.For[*appsv1.Deployment](s, DeploymentsResource).List(ctx, namespace, at)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	rss, err := store.For[*appsv1.ReplicaSet](s, ReplicaSetsResource).List(ctx, namespace, at)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	pods, err := store.For[*corev1.Pod](s, PodsResource).List(ctx, namespace, at)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return &Snapshot{Revision: nodes.Revision, Nodes: nodes.Items, Deployments: deps.Items, ReplicaSets: rss.Items, Pods: pods.Items}, nil
}

// Print writes the snapshot as four tables, the way kubectl get would show them.
func (s *Snapshot) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	podsOn := map[string]int{}
	for _, p := range s.Pods {
		if p.Spec.NodeName != "" && !PodTerminal(p) {
			podsOn[p.Spec.NodeName]++
		}
	}
	fmt.Fprintln(tw, "NODE\tSTATUS\tPODS\tTAINTS")
	for _, n := range s.Nodes {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", n.Name, NodeStatus(n), podsOn[n.Name], taints(n))
	}
	fmt.Fprintln(tw)
	if len(s.Deployments) > 0 {
		fmt.Fprintln(tw, "DEPLOYMENT\tREADY\tUP-TO-DATE\tAVAILABLE\tIMAGE\tCONDITIONS")
		for _, d := range s.Deployments {
			fmt.Fprintf(tw, "%s\t%d/%d\t%d\t%d\t%s\t%s\n", d.Name, d.Status.ReadyReplicas, replicas(d.Spec.Replicas),
				d.Status.UpdatedReplicas, d.Status.AvailableReplicas, images(d.Spec.Template.Spec), depConditions(d))
		}
		fmt.Fprintln(tw)
	}
	if len(s.ReplicaSets) > 0 {
		fmt.Fprintln(tw, "REPLICASET\tDESIRED\tCURRENT\tREADY\tREVISION\tIMAGE")
		for _, rs := range s.ReplicaSets {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\n", rs.Name, replicas(rs.Spec.Replicas), rs.Status.Replicas,
				rs.Status.ReadyReplicas, rs.Annotations[RevisionAnnotation], images(rs.Spec.Template.Spec))
		}
		fmt.Fprintln(tw)
	}
	if len(s.Pods) > 0 {
		fmt.Fprintln(tw, "POD\tREADY\tSTATUS\tRESTARTS\tNODE\tIMAGE")
		for _, p := range s.Pods {
			ready, total, restarts := 0, len(p.Spec.Containers), int32(0)
			for _, cs := range p.Status.ContainerStatuses {
				if cs.Ready {
					ready++
				}
				restarts += cs.RestartCount
			}
			node := p.Spec.NodeName
			if node == "" {
				node = "<none>"
			}
			fmt.Fprintf(tw, "%s\t%d/%d\t%s\t%d\t%s\t%s\n", p.Name, ready, total, PodStatus(p), restarts, node, images(p.Spec))
		}
	} else {
		fmt.Fprintln(tw, "(no pods)")
	}
	return tw.Flush()
}

func replicas(r *int32) int32 {
	if r == nil {
		return 1
	}
	return *r
}

func images(spec corev1.PodSpec) string {
	var out []string
	for _, c := range spec.Containers {
		out = append(out, c.Image)
	}
	return strings.Join(out, ",")
}

func taints(n *corev1.Node) string {
	var out []string
	for _, t := range n.Spec.Taints {
		out = append(out, t.Key+":"+string(t.Effect))
	}
	if len(out) == 0 {
		return "<none>"
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func depConditions(d *appsv1.Deployment) string {
	var out []string
	for _, c := range d.Status.Conditions {
		out = append(out, fmt.Sprintf("%s=%s(%s)", c.Type, c.Status, c.Reason))
	}
	return strings.Join(out, " ")
}

// NodeStatus is the STATUS column of kubectl get nodes: Ready, NotReady or Unknown, with
// SchedulingDisabled for cordoned nodes.
func NodeStatus(n *corev1.Node) string {
	st := "Unknown"
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			switch c.Status {
			case corev1.ConditionTrue:
				st = "Ready"
			case corev1.ConditionFalse:
				st = "NotReady"
			}
		}
	}
	if n.Spec.Unschedulable {
		st += ",SchedulingDisabled"
	}
	return st
}

// PodStatus is the STATUS column of kubectl get pods: Terminating while a deletion is under
// way, a waiting or terminated container's reason, else the phase.
func PodStatus(p *corev1.Pod) string {
	if p.DeletionTimestamp != nil {
		return "Terminating"
	}
	for _, cs := range p.Status.ContainerStatuses {
		if cs.State.Waiting != nil && cs.State.Waiting.Reason != "" {
			return cs.State.Waiting.Reason
		}
		if cs.State.Terminated != nil && cs.State.Terminated.Reason != "" && p.Status.Phase != corev1.PodRunning {
			return cs.State.Terminated.Reason
		}
	}
	if p.Status.Reason != "" {
		return p.Status.Reason
	}
	if p.Status.Phase == "" {
		return string(corev1.PodPending)
	}
	return string(p.Status.Phase)
}

// PodTerminal reports whether a pod reached Succeeded or Failed.
func PodTerminal(p *corev1.Pod) bool {
	return p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
}

// PodReady reports whether a pod's Ready condition is True.
func PodReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
