package scenario

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/examples/orchestrator/cluster"
	"github.com/cellkit/cellkit/store"
)

// Options configure the scenario. The zero value plays the README's story.
type Options struct {
	// Namespace and Name of the Deployment; defaults "demo" and "web".
	Namespace, Name string
	// Replicas to start with (default 6) and to scale to (default 10).
	Replicas, ScaleTo int32
	// Images of the first template and of the rollout (defaults nginx:1.27 and nginx:1.28).
	Image, NewImage string
	// MaxSurge and MaxUnavailable of the rolling update; defaults 1 and 1.
	MaxSurge, MaxUnavailable *intstr.IntOrString
	// FailNode is the node whose agent is stopped; default the node running most of the
	// deployment's pods.
	FailNode string
	// Bound is how long (cluster time) each step may take to converge; default 2 minutes.
	Bound time.Duration
	// Out receives the narration and the tables; nil discards them.
	Out io.Writer
}

func (o Options) withDefaults() Options {
	if o.Namespace == "" {
		o.Namespace = "demo"
	}
	if o.Name == "" {
		o.Name = "web"
	}
	if o.Replicas == 0 {
		o.Replicas = 6
	}
	if o.ScaleTo == 0 {
		o.ScaleTo = 10
	}
	if o.Image == "" {
		o.Image = "nginx:1.27"
	}
	if o.NewImage == "" {
		o.NewImage = "nginx:1.28"
	}
	if o.MaxSurge == nil {
		v := intstr.FromInt32(1)
		o.MaxSurge = &v
	}
	if o.MaxUnavailable == nil {
		v := intstr.FromInt32(1)
		o.MaxUnavailable = &v
	}
	if o.Bound == 0 {
		o.Bound = 2 * time.Minute
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return o
}

// Step is the record of one scenario step.
type Step struct {
	Name string
	// Took is the cluster time the step needed to converge.
	Took time.Duration
	// Notes are what the step checked, for the narration and for tests.
	Notes []string
}

// Report is what a scenario run did.
type Report struct {
	Steps []Step
	// Violations of the monitor's invariants (empty on success).
	Violations []string
	// MinAvailable and MaxPods are the extremes observed during the rollout and the rollback.
	MinAvailable int
	MaxPods      int32
	// FailedNode is the node that was stopped; Moved the pods that were replaced.
	FailedNode string
	Moved      int
}

// ErrInvariant is returned when the monitor saw an invariant broken.
var ErrInvariant = errors.New("invariant violated")

type runner struct {
	c       *cluster.Cluster
	s       store.Interface
	o       Options
	deps    store.Typed[*appsv1.Deployment]
	rss     store.Typed[*appsv1.ReplicaSet]
	pods    store.Typed[*corev1.Pod]
	nodes   store.Typed[*corev1.Node]
	mon     *Monitor
	report  *Report
	started time.Time
}

// Run plays the scenario on a started cluster: create a Deployment, scale it, roll out a new
// template, roll back, lose a node and get it back, delete the Deployment. After each step it
// waits (within Options.Bound of cluster time) until the cluster converged and prints the
// cluster. It returns an error naming the step that did not converge, or ErrInvariant when the
// monitor saw a rollout bound broken or a pod move between nodes.
func Run(ctx context.Context, c *cluster.Cluster, opts Options) (*Report, error) {
	o := opts.withDefaults()
	s := c.Store()
	r := &runner{c: c, s: s, o: o, report: &Report{},
		deps:  store.For[*appsv1.Deployment](s, cluster.DeploymentsResource),
		rss:   store.For[*appsv1.ReplicaSet](s, cluster.ReplicaSetsResource),
		pods:  store.For[*corev1.Pod](s, cluster.PodsResource),
		nodes: store.For[*corev1.Node](s, cluster.NodesResource),
	}
	steps := []struct {
		name string
		fn   func(ctx context.Context, st *Step) error
	}{
		{"wait for the nodes", r.waitNodes},
		{fmt.Sprintf("create deployment %s with %d replicas", o.Name, o.Replicas), r.create},
		{fmt.Sprintf("scale to %d replicas", o.ScaleTo), r.scale},
		{fmt.Sprintf("roll out %s", o.NewImage), r.rollout},
		{fmt.Sprintf("roll back to %s", o.Image), r.rollback},
		{"lose a node", r.loseNode},
		{"bring the node back", r.restoreNode},
		{fmt.Sprintf("delete deployment %s", o.Name), r.delete},
	}
	mon, err := StartMonitor(ctx, s, o.Namespace)
	if err != nil {
		return r.report, err
	}
	r.mon = mon
	defer func() {
		if r.mon != nil {
			r.mon.Stop()
		}
	}()
	for i, step := range steps {
		fmt.Fprintf(o.Out, "\n=== step %d: %s\n", i+1, step.name)
		st := Step{Name: step.name}
		start := c.Clock().Now()
		if err := step.fn(ctx, &st); err != nil {
			fmt.Fprintf(o.Out, "FAILED: %v\n", err)
			r.print(ctx)
			return r.report, fmt.Errorf("step %d (%s): %w", i+1, step.name, err)
		}
		st.Took = c.Clock().Now().Sub(start)
		r.report.Steps = append(r.report.Steps, st)
		for _, n := range st.Notes {
			fmt.Fprintf(o.Out, "  - %s\n", n)
		}
		fmt.Fprintf(o.Out, "  converged after %v of cluster time\n\n", st.Took.Round(time.Millisecond))
		if err := r.print(ctx); err != nil {
			return r.report, err
		}
		if v, err := r.mon.Violations(); err != nil || len(v) > 0 {
			break
		}
	}
	v, err := r.mon.Stop()
	r.mon = nil
	r.report.Violations = v
	if err != nil {
		return r.report, err
	}
	if len(v) > 0 {
		return r.report, fmt.Errorf("%w: %s", ErrInvariant, strings.Join(v, "; "))
	}
	return r.report, nil
}

func (r *runner) print(ctx context.Context) error {
	snap, err := r.c.Snapshot(ctx, r.o.Namespace)
	if err != nil {
		return err
	}
	return snap.Print(r.o.Out)
}

func (r *runner) waitNodes(ctx context.Context, st *Step) error {
	want := len(r.c.Nodes())
	err := r.c.Eventually(ctx, r.o.Bound, "nodes ready", func(ctx context.Context) (bool, string, error) {
		l, err := r.nodes.List(ctx, "", store.ListOptions{})
		if err != nil {
			return false, "", err
		}
		ready := 0
		for _, n := range l.Items {
			if cluster.NodeStatus(n) == "Ready" {
				ready++
			}
		}
		return ready == want, fmt.Sprintf("%d/%d nodes ready", ready, want), nil
	})
	if err != nil {
		return err
	}
	ns := &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: r.o.Namespace}}
	if _, err := store.For[*corev1.Namespace](r.s, schema.GroupResource{Resource: "namespaces"}).Create(ctx, ns); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	st.Notes = append(st.Notes, fmt.Sprintf("%d nodes registered and Ready", want))
	return nil
}

func (r *runner) deployment() *appsv1.Deployment {
	o := r.o
	lbl := map[string]string{"app": o.Name}
	return &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: o.Namespace, Name: o.Name, Labels: lbl},
		Spec: appsv1.DeploymentSpec{
			Replicas: &o.Replicas,
			Selector: &meta.LabelSelector{MatchLabels: lbl},
			Strategy: appsv1.DeploymentStrategy{
				Type:          appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: o.MaxSurge, MaxUnavailable: o.MaxUnavailable},
			},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: lbl},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: "web", Image: o.Image,
					Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
						corev1.ResourceCPU:    resource.MustParse("100m"),
						corev1.ResourceMemory: resource.MustParse("64Mi"),
					}},
				}}},
			},
		},
	}
}

func (r *runner) create(ctx context.Context, st *Step) error {
	if _, err := r.deps.Create(ctx, r.deployment()); err != nil {
		return err
	}
	return r.waitRolledOut(ctx, st, r.o.Replicas, r.o.Image)
}

func (r *runner) scale(ctx context.Context, st *Step) error {
	if _, err := r.deps.GuaranteedUpdate(ctx, r.o.Namespace, r.o.Name, func(d *appsv1.Deployment) (*appsv1.Deployment, error) {
		d.Spec.Replicas = &r.o.ScaleTo
		return d, nil
	}, store.UpdateOptions{}); err != nil {
		return err
	}
	return r.waitRolledOut(ctx, st, r.o.ScaleTo, r.o.Image)
}

func (r *runner) setImage(ctx context.Context, st *Step, image string) error {
	d, err := r.deps.GuaranteedUpdate(ctx, r.o.Namespace, r.o.Name, func(d *appsv1.Deployment) (*appsv1.Deployment, error) {
		d.Spec.Template.Spec.Containers[0].Image = image
		return d, nil
	}, store.UpdateOptions{})
	if err != nil {
		return err
	}
	if err := r.mon.Expect(d); err != nil {
		return err
	}
	err = r.waitRolledOut(ctx, st, r.o.ScaleTo, image)
	minAvail, maxPods := r.mon.Release()
	if r.report.MinAvailable == 0 || minAvail < r.report.MinAvailable {
		r.report.MinAvailable = minAvail
	}
	if maxPods > r.report.MaxPods {
		r.report.MaxPods = maxPods
	}
	st.Notes = append(st.Notes, fmt.Sprintf("at every observed state: available pods >= %d (fewest seen %d), pods asked for <= %d (most seen %d)",
		r.o.ScaleTo-int32(mustScaled(r.o.MaxUnavailable, r.o.ScaleTo, false)), minAvail,
		r.o.ScaleTo+int32(mustScaled(r.o.MaxSurge, r.o.ScaleTo, true)), maxPods))
	return err
}

func mustScaled(v *intstr.IntOrString, total int32, up bool) int {
	n, err := intstr.ScaledValue(v, int(total), up)
	if err != nil {
		return 0
	}
	return n
}

func (r *runner) rollout(ctx context.Context, st *Step) error {
	if err := r.setImage(ctx, st, r.o.NewImage); err != nil {
		return err
	}
	rs, err := r.replicaSetsByImage(ctx)
	if err != nil {
		return err
	}
	if len(rs) != 2 || rs[r.o.NewImage] == nil || rs[r.o.NewImage].Annotations[cluster.RevisionAnnotation] != "2" {
		return fmt.Errorf("after the rollout want two replicasets, the new one at revision 2; have %s", describeRS(rs))
	}
	st.Notes = append(st.Notes, "new replicaset "+rs[r.o.NewImage].Name+" holds revision 2, the old one is scaled to 0 and kept for rollback")
	return nil
}

func (r *runner) rollback(ctx context.Context, st *Step) error {
	before, err := r.replicaSetsByImage(ctx)
	if err != nil {
		return err
	}
	old := before[r.o.Image]
	if old == nil {
		return fmt.Errorf("no replicaset of %s to roll back to; have %s", r.o.Image, describeRS(before))
	}
	if err := r.setImage(ctx, st, r.o.Image); err != nil {
		return err
	}
	after, err := r.replicaSetsByImage(ctx)
	if err != nil {
		return err
	}
	back := after[r.o.Image]
	if len(after) != 2 || back == nil || back.UID != old.UID || back.Annotations[cluster.RevisionAnnotation] != "3" {
		return fmt.Errorf("rollback must reuse replicaset %s (uid %s) at revision 3; have %s", old.Name, old.UID, describeRS(after))
	}
	st.Notes = append(st.Notes, fmt.Sprintf("replicaset %s of %s was reused and now holds revision 3", back.Name, r.o.Image))
	return nil
}

func describeRS(m map[string]*appsv1.ReplicaSet) string {
	var out []string
	for img, rs := range m {
		out = append(out, fmt.Sprintf("%s(%s, revision %s)", rs.Name, img, rs.Annotations[cluster.RevisionAnnotation]))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func (r *runner) replicaSetsByImage(ctx context.Context) (map[string]*appsv1.ReplicaSet, error) {
	l, err := r.rss.List(ctx, r.o.Namespace, store.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := map[string]*appsv1.ReplicaSet{}
	for _, rs := range l.Items {
		if len(rs.Spec.Template.Spec.Containers) > 0 {
			out[rs.Spec.Template.Spec.Containers[0].Image] = rs
		}
	}
	return out, nil
}

// rolledOut reports whether the scenario's deployment finished its rollout to replicas pods of
// image; see RolledOut.
func (r *runner) rolledOut(ctx context.Context, replicas int32, image string) (bool, string, error) {
	return RolledOut(ctx, r.c, r.o.Namespace, r.o.Name, replicas, image)
}

// RolledOut reports whether Deployment namespace/name finished its rollout the way kubectl
// rollout status decides it (status observed the latest generation; replicas, updated and
// available replicas all equal replicas), and whether exactly replicas pods of its selector
// run ready with image, not being deleted, on nodes whose agents run. When not, it says what it
// saw.
func RolledOut(ctx context.Context, c *cluster.Cluster, namespace, name string, replicas int32, image string) (bool, string, error) {
	s := c.Store()
	d, err := store.For[*appsv1.Deployment](s, cluster.DeploymentsResource).Get(ctx, namespace, name, store.GetOptions{})
	if err != nil {
		return false, "", err
	}
	st := d.Status
	if st.ObservedGeneration < d.Generation || st.UpdatedReplicas != replicas || st.Replicas != replicas || st.AvailableReplicas != replicas {
		return false, fmt.Sprintf("deployment %s generation %d observed %d, replicas %d updated %d available %d (want %d)",
			name, d.Generation, st.ObservedGeneration, st.Replicas, st.UpdatedReplicas, st.AvailableReplicas, replicas), nil
	}
	sel, err := labels.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return false, "", err
	}
	pods, err := store.For[*corev1.Pod](s, cluster.PodsResource).List(ctx, namespace, store.ListOptions{Labels: sel})
	if err != nil {
		return false, "", err
	}
	running := 0
	for _, p := range pods.Items {
		if p.DeletionTimestamp != nil || cluster.PodTerminal(p) {
			continue
		}
		if p.Status.Phase == corev1.PodRunning && cluster.PodReady(p) && p.Spec.Containers[0].Image == image && c.AgentRunning(p.Spec.NodeName) {
			running++
		}
	}
	return running == int(replicas), fmt.Sprintf("%d of %d pods of %s (%s) running and ready on live nodes", running, replicas, name, image), nil
}

func (r *runner) waitRolledOut(ctx context.Context, st *Step, replicas int32, image string) error {
	if err := r.c.Eventually(ctx, r.o.Bound, fmt.Sprintf("%d ready pods of %s", replicas, image), func(ctx context.Context) (bool, string, error) {
		return r.rolledOut(ctx, replicas, image)
	}); err != nil {
		return err
	}
	st.Notes = append(st.Notes, fmt.Sprintf("deployment complete: %d/%d pods of %s ready and available", replicas, replicas, image))
	return nil
}

func (r *runner) loseNode(ctx context.Context, st *Step) error {
	pods, err := r.pods.List(ctx, r.o.Namespace, store.ListOptions{})
	if err != nil {
		return err
	}
	node := r.o.FailNode
	on := map[string][]string{}
	for _, p := range pods.Items {
		on[p.Spec.NodeName] = append(on[p.Spec.NodeName], p.Name)
	}
	if node == "" {
		for _, n := range r.c.Nodes() {
			if node == "" || len(on[n]) > len(on[node]) {
				node = n
			}
		}
	}
	lost := map[string]bool{}
	for _, p := range on[node] {
		lost[p] = true
	}
	r.report.FailedNode, r.report.Moved = node, len(lost)
	if err := r.c.StopAgent(node); err != nil {
		return err
	}
	st.Notes = append(st.Notes, fmt.Sprintf("stopped the agent of %s, which ran %d pods", node, len(lost)))
	err = r.c.Eventually(ctx, r.o.Bound, "replacement pods on the other nodes", func(ctx context.Context) (bool, string, error) {
		n, err := r.nodes.Get(ctx, "", node, store.GetOptions{})
		if err != nil {
			return false, "", err
		}
		if cluster.NodeStatus(n) == "Ready" {
			return false, node + " still Ready", nil
		}
		return r.rolledOut(ctx, r.o.ScaleTo, r.o.Image)
	})
	if err != nil {
		return err
	}
	n, err := r.nodes.Get(ctx, "", node, store.GetOptions{})
	if err != nil {
		return err
	}
	st.Notes = append(st.Notes, fmt.Sprintf("%s is %s with taints %s; its %d pods were evicted and replaced on other nodes",
		node, cluster.NodeStatus(n), taintKeys(n), len(lost)))
	return nil
}

func taintKeys(n *corev1.Node) string {
	var out []string
	for _, t := range n.Spec.Taints {
		out = append(out, t.Key+":"+string(t.Effect))
	}
	return "[" + strings.Join(out, " ") + "]"
}

func (r *runner) restoreNode(ctx context.Context, st *Step) error {
	node := r.report.FailedNode
	if err := r.c.StartAgent(node); err != nil {
		return err
	}
	err := r.c.Eventually(ctx, r.o.Bound, node+" ready without leftover pods", func(ctx context.Context) (bool, string, error) {
		n, err := r.nodes.Get(ctx, "", node, store.GetOptions{})
		if err != nil {
			return false, "", err
		}
		if cluster.NodeStatus(n) != "Ready" || len(n.Spec.Taints) > 0 {
			return false, fmt.Sprintf("%s is %s with taints %s", node, cluster.NodeStatus(n), taintKeys(n)), nil
		}
		pods, err := r.pods.List(ctx, r.o.Namespace, store.ListOptions{})
		if err != nil {
			return false, "", err
		}
		for _, p := range pods.Items {
			if p.DeletionTimestamp != nil {
				return false, "pod " + p.Name + " still terminating", nil
			}
		}
		return r.rolledOut(ctx, r.o.ScaleTo, r.o.Image)
	})
	if err != nil {
		return err
	}
	st.Notes = append(st.Notes, fmt.Sprintf("%s is Ready again; its agent stopped the evicted pods and finished their deletion", node))
	return nil
}

func (r *runner) delete(ctx context.Context, st *Step) error {
	if _, err := r.deps.Delete(ctx, r.o.Namespace, r.o.Name, store.DeleteOptions{}); err != nil {
		return err
	}
	err := r.c.Eventually(ctx, r.o.Bound, "garbage collection", func(ctx context.Context) (bool, string, error) {
		snap, err := r.c.Snapshot(ctx, r.o.Namespace)
		if err != nil {
			return false, "", err
		}
		n := len(snap.Deployments) + len(snap.ReplicaSets) + len(snap.Pods)
		return n == 0, fmt.Sprintf("%d deployments, %d replicasets, %d pods left", len(snap.Deployments), len(snap.ReplicaSets), len(snap.Pods)), nil
	})
	if err != nil {
		return err
	}
	st.Notes = append(st.Notes, "the garbage collector deleted the replicasets and their pods; nothing is left in "+r.o.Namespace)
	return nil
}

// Up brings the Deployment up and waits until it is rolled out, without tearing anything down:
// on a fresh store it creates the Deployment; on a store that already holds it (a restart on the
// disk backend) it only waits for the cluster to converge again, and reports which pods it found.
func Up(ctx context.Context, c *cluster.Cluster, opts Options) (*Report, error) {
	o := opts.withDefaults()
	s := c.Store()
	r := &runner{c: c, s: s, o: o, report: &Report{},
		deps:  store.For[*appsv1.Deployment](s, cluster.DeploymentsResource),
		rss:   store.For[*appsv1.ReplicaSet](s, cluster.ReplicaSetsResource),
		pods:  store.For[*corev1.Pod](s, cluster.PodsResource),
		nodes: store.For[*corev1.Node](s, cluster.NodesResource),
	}
	st := Step{Name: "up"}
	start := c.Clock().Now()
	if err := r.waitNodes(ctx, &st); err != nil {
		return r.report, err
	}
	d, err := r.deps.Get(ctx, o.Namespace, o.Name, store.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		fmt.Fprintf(o.Out, "creating deployment %s/%s with %d replicas\n", o.Namespace, o.Name, o.Replicas)
		if _, err := r.deps.Create(ctx, r.deployment()); err != nil {
			return r.report, err
		}
		err = r.waitRolledOut(ctx, &st, o.Replicas, o.Image)
	case err != nil:
		return r.report, err
	default:
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		fmt.Fprintf(o.Out, "found deployment %s/%s (created %s, %d replicas) in the store: resuming\n",
			o.Namespace, o.Name, d.CreationTimestamp.UTC().Format(time.RFC3339), want)
		err = r.waitRolledOut(ctx, &st, want, d.Spec.Template.Spec.Containers[0].Image)
	}
	st.Took = c.Clock().Now().Sub(start)
	r.report.Steps = append(r.report.Steps, st)
	for _, n := range st.Notes {
		fmt.Fprintf(o.Out, "  - %s\n", n)
	}
	if perr := r.print(ctx); perr != nil && err == nil {
		err = perr
	}
	return r.report, err
}
