package scenario_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller/nodeagent"
	"github.com/cellkit/cellkit/examples/orchestrator/cluster"
	"github.com/cellkit/cellkit/examples/orchestrator/scenario"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
)

var (
	chaosSeeds  = flag.Int("chaos.seeds", 2, "number of seeds TestChaos plays (seeds 1..n)")
	chaosRounds = flag.Int("chaos.rounds", 6, "rounds of faults per seed in TestChaos")
)

// TestChaos kills and restarts the scheduler, the leading controller manager (a standby replica
// takes over through leader election) and node agents at random moments while Deployments
// scale and roll out. After every round the cluster must converge to the desired state; all
// along, the monitor checks that no pod ever moves between nodes, and after every round no pod
// UID runs in the runtimes of two nodes.
func TestChaos(t *testing.T) {
	for seed := 1; seed <= *chaosSeeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { chaos(t, uint64(seed), *chaosRounds) })
	}
}

type desired struct {
	replicas int32
	image    string
}

func chaos(t *testing.T, seed uint64, rounds int) {
	rng := rand.New(rand.NewPCG(seed, 0xc4a05))
	scheme, res := newScheme(t)
	fc := clock.NewFake(start)
	m, err := memory.New(memory.Options{Resources: res, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cluster.New(cluster.Options{Backend: m, Scheme: scheme, Nodes: 4, ControllerManagers: 2,
		Timings: testTimings(), Clock: fc, Tick: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := c.Stop(); err != nil {
			t.Errorf("components failed: %v", err)
		}
	}()
	s := c.Store()
	deps := store.For[*appsv1.Deployment](s, cluster.DeploymentsResource)
	const ns = "chaos"
	mon, err := scenario.StartMonitor(ctx, s, ns)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*desired{}
	for _, name := range []string{"api", "web", "worker"} {
		want[name] = &desired{replicas: 3, image: "app:v1"}
		if _, err := deps.Create(ctx, chaosDeployment(ns, name, want[name])); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"api", "web", "worker"}
	var log []string
	converge := func(what string) {
		t.Helper()
		err := c.Eventually(ctx, 2*time.Minute, what, func(ctx context.Context) (bool, string, error) {
			for _, n := range names {
				ok, seen, err := scenario.RolledOut(ctx, c, ns, n, want[n].replicas, want[n].image)
				if err != nil || !ok {
					return false, seen, err
				}
			}
			return true, "", nil
		})
		if err != nil {
			t.Fatalf("seed %d: %v\nactions so far:\n  %s", seed, err, strings.Join(log, "\n  "))
		}
	}
	converge("initial rollout")

	for round := range rounds {
		// Desired-state changes and faults, interleaved with random pauses.
		for range 1 + rng.IntN(3) {
			n := names[rng.IntN(len(names))]
			switch k := rng.IntN(5); {
			case k <= 1:
				want[n].replicas = int32(1 + rng.IntN(6))
				setDeployment(t, ctx, deps, ns, n, want[n])
				log = append(log, fmt.Sprintf("round %d: scale %s to %d", round, n, want[n].replicas))
			case k == 2:
				want[n].image = fmt.Sprintf("app:v%d", 2+rng.IntN(1000))
				setDeployment(t, ctx, deps, ns, n, want[n])
				log = append(log, fmt.Sprintf("round %d: roll %s to %s", round, n, want[n].image))
			case k == 3:
				if err := c.StopScheduler(); err != nil {
					t.Fatal(err)
				}
				log = append(log, fmt.Sprintf("round %d: kill the scheduler", round))
			default:
				leader := leaderOf(t, ctx, s)
				var i int
				if _, err := fmt.Sscanf(leader, "controller-manager-%d", &i); err == nil {
					if err := c.StopManager(i - 1); err != nil {
						t.Fatal(err)
					}
					log = append(log, fmt.Sprintf("round %d: kill the leading %s", round, leader))
				}
			}
			if err := c.Settle(ctx, time.Duration(rng.IntN(3000))*time.Millisecond); err != nil {
				t.Fatal(err)
			}
		}
		// A node failure in every other round, on a node that runs pods.
		var lostNode string
		if round%2 == 0 {
			lostNode = c.Nodes()[rng.IntN(len(c.Nodes()))]
			if err := c.StopAgent(lostNode); err != nil {
				t.Fatal(err)
			}
			log = append(log, fmt.Sprintf("round %d: kill the agent of %s", round, lostNode))
		}
		// The control plane must be there for the cluster to heal: restart what was killed,
		// sometimes at once, sometimes after a pause.
		if err := c.Settle(ctx, time.Duration(rng.IntN(2000))*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if !contains(c.RunningComponents(), "scheduler") {
			if err := c.StartScheduler(); err != nil {
				t.Fatal(err)
			}
		}
		for i := range c.Managers() {
			if !contains(c.RunningComponents(), fmt.Sprintf("controller-manager-%d", i+1)) {
				if err := c.StartManager(i); err != nil {
					t.Fatal(err)
				}
			}
		}
		converge(fmt.Sprintf("round %d", round))
		checkRuntimes(t, ctx, c, fmt.Sprintf("seed %d round %d", seed, round))
		if lostNode != "" {
			if err := c.StartAgent(lostNode); err != nil {
				t.Fatal(err)
			}
			log = append(log, fmt.Sprintf("round %d: restart the agent of %s", round, lostNode))
			converge(fmt.Sprintf("round %d after %s came back", round, lostNode))
		}
	}
	v, err := mon.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if len(v) > 0 {
		t.Fatalf("seed %d: invariants broken:\n  %s\nactions:\n  %s", seed, strings.Join(v, "\n  "), strings.Join(log, "\n  "))
	}
	if mon.Events() == 0 {
		t.Fatal("the monitor observed nothing")
	}
	t.Logf("seed %d: %d actions, %d observed states checked", seed, len(log), mon.Events())
}

func chaosDeployment(ns, name string, d *desired) *appsv1.Deployment {
	lbl := map[string]string{"app": name}
	r := d.replicas
	return &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: &r, Selector: &meta.LabelSelector{MatchLabels: lbl},
			Template: corev1.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: lbl}, Spec: corev1.PodSpec{
				Containers: []corev1.Container{{Name: "app", Image: d.image, Resources: corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("200m")}}}},
			}},
		},
	}
}

func setDeployment(t *testing.T, ctx context.Context, deps store.Typed[*appsv1.Deployment], ns, name string, d *desired) {
	t.Helper()
	if _, err := deps.GuaranteedUpdate(ctx, ns, name, func(cur *appsv1.Deployment) (*appsv1.Deployment, error) {
		r := d.replicas
		cur.Spec.Replicas = &r
		cur.Spec.Template.Spec.Containers[0].Image = d.image
		return cur, nil
	}, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func leaderOf(t *testing.T, ctx context.Context, s store.Interface) string {
	t.Helper()
	l, err := store.For[*coordinationv1.Lease](s, schema.GroupResource{Group: "coordination.k8s.io", Resource: "leases"}).
		Get(ctx, "kube-system", "controller-manager", store.GetOptions{})
	if err != nil || l.Spec.HolderIdentity == nil {
		return ""
	}
	return *l.Spec.HolderIdentity
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkRuntimes asserts that no pod UID has a ready sandbox on two nodes.
func checkRuntimes(t *testing.T, ctx context.Context, c *cluster.Cluster, when string) {
	t.Helper()
	on := map[string][]string{}
	for _, n := range c.Nodes() {
		sbs, err := c.Runtime(n).ListPodSandboxes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, sb := range sbs {
			if sb.State == nodeagent.SandboxReady {
				on[string(sb.UID)] = append(on[string(sb.UID)], n)
			}
		}
	}
	var bad []string
	for uid, nodes := range on {
		if len(nodes) > 1 {
			bad = append(bad, fmt.Sprintf("pod %s runs on %v", uid, nodes))
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Fatalf("%s: pods running on two nodes: %s", when, strings.Join(bad, "; "))
	}
}
