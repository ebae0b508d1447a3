package schedulertest

import (
	"fmt"
	"math/rand/v2"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	policyv1 "github.com/cellkit/cellkit/apimachinery/apis/policy/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// ClusterConfig shapes RandomCluster.
type ClusterConfig struct {
	Nodes    int // number of nodes
	Zones    int // number of zones (topology.kubernetes.io/zone)
	Existing int // pods already bound
	Pending  int // pods to schedule
	// Features switches constrained pods on; the zero value makes plain pods with requests.
	Affinity, Spread, Taints, Ports, Priorities, Extended bool
}

// Cluster is a generated cluster: nodes, bound pods, pods to schedule, namespaces' labels and
// PodDisruptionBudgets.
type Cluster struct {
	Nodes      []*corev1.Node
	Existing   []*corev1.Pod
	Pending    []*corev1.Pod
	Namespaces map[string]map[string]string
	PDBs       []*policyv1.PodDisruptionBudget
}

// ZoneKey is the zone label RandomCluster uses.
const ZoneKey = "topology.kubernetes.io/zone"

// RandomCluster generates a cluster from rng. Existing pods are placed on random nodes
// without regard to constraints other than capacity (as if placed before constraints were
// added), so the scheduler faces realistic, partly full nodes.
func RandomCluster(rng *rand.Rand, cfg ClusterConfig) *Cluster {
	c := &Cluster{Namespaces: map[string]map[string]string{"default": {"team": "a"}, "other": {"team": "b"}}}
	zones := max(cfg.Zones, 1)
	for i := 0; i < cfg.Nodes; i++ {
		b := Node(fmt.Sprintf("node-%03d", i)).Label(ZoneKey, fmt.Sprintf("zone-%d", rng.IntN(zones))).
			Capacity("cpu", fmt.Sprintf("%d", 2+2*rng.IntN(4)), "memory", fmt.Sprintf("%dGi", 4+4*rng.IntN(4)), "pods", fmt.Sprintf("%d", 8+rng.IntN(24)))
		if rng.IntN(3) == 0 {
			b.Label("disk", "ssd")
		}
		if cfg.Extended && rng.IntN(3) == 0 {
			b.Capacity("example.com/gpu", fmt.Sprintf("%d", 1+rng.IntN(4)))
		}
		if cfg.Taints {
			switch rng.IntN(8) {
			case 0:
				b.Taint("dedicated", "infra", corev1.TaintEffectNoSchedule)
			case 1:
				b.Taint("flaky", "", corev1.TaintEffectPreferNoSchedule)
			case 2:
				b.Taint("maintenance", "", corev1.TaintEffectNoExecute)
			case 3:
				if rng.IntN(2) == 0 {
					b.Unschedulable()
				}
			}
		}
		if rng.IntN(2) == 0 {
			b.Image(int64(100+rng.IntN(900))*1024*1024, fmt.Sprintf("img-%d:v1", rng.IntN(5)))
		}
		c.Nodes = append(c.Nodes, b.Obj())
	}
	apps := []string{"web", "db", "cache", "batch"}
	mk := func(i int, prefix string) *corev1.Pod {
		ns := "default"
		if rng.IntN(4) == 0 {
			ns = "other"
		}
		app := apps[rng.IntN(len(apps))]
		b := Pod(fmt.Sprintf("%s-%04d", prefix, i)).Namespace(ns).Label("app", app).Image(fmt.Sprintf("img-%d:v1", rng.IntN(5))).
			Req("cpu", fmt.Sprintf("%dm", 100+100*rng.IntN(15)), "memory", fmt.Sprintf("%dMi", 128*(1+rng.IntN(16))))
		if rng.IntN(10) == 0 {
			b.InitContainer(rng.IntN(2) == 0, "cpu", fmt.Sprintf("%dm", 100*(1+rng.IntN(20))))
		}
		if rng.IntN(15) == 0 {
			b.Overhead("cpu", "100m")
		}
		if cfg.Extended && rng.IntN(6) == 0 {
			b.Req("example.com/gpu", "1")
		}
		if cfg.Priorities {
			b.Priority(int32(rng.IntN(4) * 100))
		}
		if rng.IntN(8) == 0 {
			b.NodeSelector("disk", "ssd")
		}
		if rng.IntN(10) == 0 {
			b.RequiredNodeAffinity(ZoneKey, corev1.NodeSelectorOpNotIn, fmt.Sprintf("zone-%d", rng.IntN(zones)))
		}
		if cfg.Taints && rng.IntN(4) == 0 {
			b.Toleration("dedicated", corev1.TolerationOpEqual, "infra", corev1.TaintEffectNoSchedule)
		}
		if cfg.Ports && rng.IntN(6) == 0 {
			b.HostPort(int32(8080+rng.IntN(3)), "", "")
		}
		if cfg.Spread && rng.IntN(5) == 0 {
			key := ZoneKey
			if rng.IntN(2) == 0 {
				key = corev1.LabelHostname
			}
			ct := corev1.TopologySpreadConstraint{MaxSkew: int32(1 + rng.IntN(2)), TopologyKey: key, WhenUnsatisfiable: corev1.DoNotSchedule,
				LabelSelector: &meta.LabelSelector{MatchLabels: map[string]string{"app": app}}}
			if rng.IntN(4) == 0 {
				md := int32(zones + 1)
				ct.MinDomains = &md
			}
			b.SpreadConstraint(ct)
		}
		if cfg.Spread && rng.IntN(4) == 0 {
			// A soft constraint: it only scores, so the checker cannot see it, but runs with
			// and without the caches must still agree.
			key := ZoneKey
			if rng.IntN(3) == 0 {
				key = corev1.LabelHostname
			}
			b.SpreadConstraint(corev1.TopologySpreadConstraint{MaxSkew: int32(1 + rng.IntN(3)), TopologyKey: key, WhenUnsatisfiable: corev1.ScheduleAnyway,
				LabelSelector: &meta.LabelSelector{MatchLabels: map[string]string{"app": app}}})
		}
		if cfg.Affinity {
			switch rng.IntN(10) {
			case 0:
				b.PodAntiAffinity(Term(corev1.LabelHostname, "app", app))
			case 1:
				b.PodAntiAffinity(Term(ZoneKey, "app", apps[rng.IntN(len(apps))]))
			case 2:
				b.PodAffinity(Term(ZoneKey, "app", apps[rng.IntN(len(apps))]))
			case 3:
				t := Term(corev1.LabelHostname, "app", apps[rng.IntN(len(apps))])
				t.NamespaceSelector = &meta.LabelSelector{MatchLabels: map[string]string{"team": "b"}}
				b.PodAntiAffinity(t)
			}
		}
		return b.Obj()
	}
	// Existing pods: plain, placed where they fit by capacity.
	model := NewModel(c.Nodes)
	for i := 0; i < cfg.Existing; i++ {
		p := mk(i, "existing")
		p.Spec.Affinity, p.Spec.TopologySpreadConstraints, p.Spec.NodeSelector = nil, nil, nil
		p.Spec.Containers[0].Ports = nil
		for try := 0; try < 5; try++ {
			n := c.Nodes[rng.IntN(len(c.Nodes))]
			p.Spec.NodeName = n.Name
			if fitsCapacity(model, p, n) {
				model.Add(p)
				c.Existing = append(c.Existing, p)
				break
			}
			p.Spec.NodeName = ""
		}
	}
	for i := 0; i < cfg.Pending; i++ {
		c.Pending = append(c.Pending, mk(i, "pending"))
	}
	if cfg.Priorities {
		c.PDBs = append(c.PDBs, &policyv1.PodDisruptionBudget{ObjectMeta: meta.ObjectMeta{Name: "db", Namespace: "default"},
			Spec:   policyv1.PodDisruptionBudgetSpec{Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "db"}}},
			Status: policyv1.PodDisruptionBudgetStatus{DisruptionsAllowed: int32(rng.IntN(2))}})
	}
	return c
}

func fitsCapacity(m *Model, p *corev1.Pod, n *corev1.Node) bool {
	_, rs := m.Feasible(p, n.Name)
	for _, r := range rs {
		if r == "Too many pods" || len(r) > 13 && r[:13] == "Insufficient " {
			return false
		}
	}
	return true
}
