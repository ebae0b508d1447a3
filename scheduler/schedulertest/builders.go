package schedulertest

import (
	"strconv"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// NodeBuilder builds a Node fluently.
type NodeBuilder struct{ n corev1.Node }

// Node starts a node with a hostname label and 110 allocatable pods.
func Node(name string) *NodeBuilder {
	b := &NodeBuilder{}
	b.n.Name = name
	b.n.Labels = map[string]string{corev1.LabelHostname: name}
	b.n.Status.Allocatable = corev1.ResourceList{corev1.ResourcePods: resource.MustParse("110")}
	return b
}

// Label sets a label.
func (b *NodeBuilder) Label(k, v string) *NodeBuilder { b.n.Labels[k] = v; return b }

// Capacity sets allocatable quantities, for example Capacity("cpu", "4", "memory", "8Gi").
func (b *NodeBuilder) Capacity(kv ...string) *NodeBuilder {
	for i := 0; i+1 < len(kv); i += 2 {
		b.n.Status.Allocatable[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return b
}

// Taint adds a taint.
func (b *NodeBuilder) Taint(key, value string, effect corev1.TaintEffect) *NodeBuilder {
	b.n.Spec.Taints = append(b.n.Spec.Taints, corev1.Taint{Key: key, Value: value, Effect: effect})
	return b
}

// Unschedulable cordons the node.
func (b *NodeBuilder) Unschedulable() *NodeBuilder { b.n.Spec.Unschedulable = true; return b }

// Image adds an image of size bytes with the names.
func (b *NodeBuilder) Image(size int64, names ...string) *NodeBuilder {
	b.n.Status.Images = append(b.n.Status.Images, corev1.ContainerImage{Names: names, SizeBytes: size})
	return b
}

// Obj returns the node.
func (b *NodeBuilder) Obj() *corev1.Node { n := b.n; return &n }

// PodBuilder builds a Pod fluently.
type PodBuilder struct{ p corev1.Pod }

// Pod starts a pod in namespace "default" with UID "<ns>/<name>" and one container "c".
func Pod(name string) *PodBuilder {
	b := &PodBuilder{}
	b.p.Name, b.p.Namespace = name, "default"
	b.p.UID = meta.UID("default/" + name)
	b.p.Spec.Containers = []corev1.Container{{Name: "c", Image: "app"}}
	return b
}

// Namespace sets the namespace (and the UID accordingly).
func (b *PodBuilder) Namespace(ns string) *PodBuilder {
	b.p.Namespace = ns
	b.p.UID = meta.UID(ns + "/" + b.p.Name)
	return b
}

// Label sets a label.
func (b *PodBuilder) Label(k, v string) *PodBuilder {
	if b.p.Labels == nil {
		b.p.Labels = map[string]string{}
	}
	b.p.Labels[k] = v
	return b
}

// Req sets the requests of the first container, for example Req("cpu", "500m").
func (b *PodBuilder) Req(kv ...string) *PodBuilder {
	c := &b.p.Spec.Containers[0]
	if c.Resources.Requests == nil {
		c.Resources.Requests = corev1.ResourceList{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Resources.Requests[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return b
}

// Container adds a container with requests.
func (b *PodBuilder) Container(image string, kv ...string) *PodBuilder {
	c := corev1.Container{Name: "c" + strconv.Itoa(len(b.p.Spec.Containers)), Image: image, Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{}}}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Resources.Requests[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	b.p.Spec.Containers = append(b.p.Spec.Containers, c)
	return b
}

// InitContainer adds an init container (a sidecar when restartable) with requests.
func (b *PodBuilder) InitContainer(restartable bool, kv ...string) *PodBuilder {
	c := corev1.Container{Name: "i" + strconv.Itoa(len(b.p.Spec.InitContainers)), Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{}}}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Resources.Requests[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	if restartable {
		always := corev1.ContainerRestartPolicyAlways
		c.RestartPolicy = &always
	}
	b.p.Spec.InitContainers = append(b.p.Spec.InitContainers, c)
	return b
}

// Overhead sets the pod overhead.
func (b *PodBuilder) Overhead(kv ...string) *PodBuilder {
	b.p.Spec.Overhead = corev1.ResourceList{}
	for i := 0; i+1 < len(kv); i += 2 {
		b.p.Spec.Overhead[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return b
}

// Image sets the first container's image.
func (b *PodBuilder) Image(img string) *PodBuilder { b.p.Spec.Containers[0].Image = img; return b }

// HostPort adds a host port to the first container.
func (b *PodBuilder) HostPort(port int32, proto corev1.Protocol, ip string) *PodBuilder {
	c := &b.p.Spec.Containers[0]
	c.Ports = append(c.Ports, corev1.ContainerPort{ContainerPort: port, HostPort: port, Protocol: proto, HostIP: ip})
	return b
}

// Node sets spec.nodeName.
func (b *PodBuilder) Node(name string) *PodBuilder { b.p.Spec.NodeName = name; return b }

// Priority sets spec.priority.
func (b *PodBuilder) Priority(p int32) *PodBuilder { b.p.Spec.Priority = &p; return b }

// NodeSelector sets a nodeSelector entry.
func (b *PodBuilder) NodeSelector(k, v string) *PodBuilder {
	if b.p.Spec.NodeSelector == nil {
		b.p.Spec.NodeSelector = map[string]string{}
	}
	b.p.Spec.NodeSelector[k] = v
	return b
}

// Toleration adds a toleration.
func (b *PodBuilder) Toleration(key string, op corev1.TolerationOperator, value string, effect corev1.TaintEffect) *PodBuilder {
	b.p.Spec.Tolerations = append(b.p.Spec.Tolerations, corev1.Toleration{Key: key, Operator: op, Value: value, Effect: effect})
	return b
}

func (b *PodBuilder) affinity() *corev1.Affinity {
	if b.p.Spec.Affinity == nil {
		b.p.Spec.Affinity = &corev1.Affinity{}
	}
	return b.p.Spec.Affinity
}

// RequiredNodeAffinity adds a required node selector term with one In expression.
func (b *PodBuilder) RequiredNodeAffinity(key string, op corev1.NodeSelectorOperator, values ...string) *PodBuilder {
	a := b.affinity()
	if a.NodeAffinity == nil {
		a.NodeAffinity = &corev1.NodeAffinity{}
	}
	if a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = &corev1.NodeSelector{}
	}
	ns := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	ns.NodeSelectorTerms = append(ns.NodeSelectorTerms, corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: key, Operator: op, Values: values}}})
	return b
}

// PreferredNodeAffinity adds a weighted preferred term with one expression.
func (b *PodBuilder) PreferredNodeAffinity(weight int32, key string, op corev1.NodeSelectorOperator, values ...string) *PodBuilder {
	a := b.affinity()
	if a.NodeAffinity == nil {
		a.NodeAffinity = &corev1.NodeAffinity{}
	}
	a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution = append(a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution,
		corev1.PreferredSchedulingTerm{Weight: weight, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: key, Operator: op, Values: values}}}})
	return b
}

// Term builds a pod affinity term selecting pods with label k=v.
func Term(topologyKey, k, v string) corev1.PodAffinityTerm {
	return corev1.PodAffinityTerm{TopologyKey: topologyKey, LabelSelector: &meta.LabelSelector{MatchLabels: map[string]string{k: v}}}
}

// PodAffinity adds a required pod affinity term.
func (b *PodBuilder) PodAffinity(t corev1.PodAffinityTerm) *PodBuilder {
	a := b.affinity()
	if a.PodAffinity == nil {
		a.PodAffinity = &corev1.PodAffinity{}
	}
	a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution = append(a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution, t)
	return b
}

// PodAntiAffinity adds a required pod anti-affinity term.
func (b *PodBuilder) PodAntiAffinity(t corev1.PodAffinityTerm) *PodBuilder {
	a := b.affinity()
	if a.PodAntiAffinity == nil {
		a.PodAntiAffinity = &corev1.PodAntiAffinity{}
	}
	a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution = append(a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution, t)
	return b
}

// PreferredPodAffinity adds a preferred pod affinity term (negative weight: anti-affinity).
func (b *PodBuilder) PreferredPodAffinity(weight int32, t corev1.PodAffinityTerm) *PodBuilder {
	a := b.affinity()
	if weight < 0 {
		if a.PodAntiAffinity == nil {
			a.PodAntiAffinity = &corev1.PodAntiAffinity{}
		}
		a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution = append(a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution, corev1.WeightedPodAffinityTerm{Weight: -weight, PodAffinityTerm: t})
		return b
	}
	if a.PodAffinity == nil {
		a.PodAffinity = &corev1.PodAffinity{}
	}
	a.PodAffinity.PreferredDuringSchedulingIgnoredDuringExecution = append(a.PodAffinity.PreferredDuringSchedulingIgnoredDuringExecution, corev1.WeightedPodAffinityTerm{Weight: weight, PodAffinityTerm: t})
	return b
}

// Spread adds a topology spread constraint selecting pods with label k=v.
func (b *PodBuilder) Spread(maxSkew int32, topologyKey string, action corev1.UnsatisfiableConstraintAction, k, v string) *PodBuilder {
	b.p.Spec.TopologySpreadConstraints = append(b.p.Spec.TopologySpreadConstraints, corev1.TopologySpreadConstraint{
		MaxSkew: maxSkew, TopologyKey: topologyKey, WhenUnsatisfiable: action,
		LabelSelector: &meta.LabelSelector{MatchLabels: map[string]string{k: v}},
	})
	return b
}

// SpreadConstraint adds a full constraint.
func (b *PodBuilder) SpreadConstraint(c corev1.TopologySpreadConstraint) *PodBuilder {
	b.p.Spec.TopologySpreadConstraints = append(b.p.Spec.TopologySpreadConstraints, c)
	return b
}

// Gate adds a scheduling gate.
func (b *PodBuilder) Gate(name string) *PodBuilder {
	b.p.Spec.SchedulingGates = append(b.p.Spec.SchedulingGates, corev1.PodSchedulingGate{Name: name})
	return b
}

// Obj returns the pod.
func (b *PodBuilder) Obj() *corev1.Pod { p := b.p; return &p }
