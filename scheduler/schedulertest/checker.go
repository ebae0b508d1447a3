package schedulertest

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// Model is an independent oracle of Kubernetes placement rules, written apart from the
// scheduler's plugins (it shares no code with them) so that each can check the other. It keeps
// its own view of nodes and placed pods; Feasible says whether a pod may go to a node and, if
// not, every reason in kube-scheduler's wording.
//
// It covers what RandomCluster generates: spec.nodeName, cordons, NoSchedule/NoExecute taints,
// nodeSelector and required node affinity, cpu/memory/ephemeral-storage/extended resources and
// the pod count (init containers, sidecars and overhead included), host ports, required
// DoNotSchedule topology spread (maxSkew, minDomains, default inclusion policies), and required
// pod affinity and anti-affinity in both directions with namespaces.
type Model struct {
	nodes     []*corev1.Node
	byName    map[string]*corev1.Node
	pods      map[string][]*corev1.Pod // node -> pods
	nsLabels  map[string]map[string]string
	Nominated map[string]string // pod key -> node, informational
}

// NewModel returns a model of nodes with no pods.
func NewModel(nodes []*corev1.Node) *Model {
	m := &Model{byName: map[string]*corev1.Node{}, pods: map[string][]*corev1.Pod{}, nsLabels: map[string]map[string]string{}}
	for _, n := range nodes {
		m.nodes = append(m.nodes, n)
		m.byName[n.Name] = n
	}
	return m
}

// SetNamespaceLabels records the labels of a namespace.
func (m *Model) SetNamespaceLabels(ns string, l map[string]string) { m.nsLabels[ns] = l }

// Add places pod on pod.Spec.NodeName.
func (m *Model) Add(pod *corev1.Pod) {
	m.pods[pod.Spec.NodeName] = append(m.pods[pod.Spec.NodeName], pod)
}

// Remove deletes the pod (by namespace and name) from its node; it reports whether it was there.
func (m *Model) Remove(pod *corev1.Pod) bool {
	ps := m.pods[pod.Spec.NodeName]
	for i, p := range ps {
		if p.Namespace == pod.Namespace && p.Name == pod.Name {
			m.pods[pod.Spec.NodeName] = append(ps[:i:i], ps[i+1:]...)
			return true
		}
	}
	return false
}

// Pods returns the pods on a node.
func (m *Model) Pods(node string) []*corev1.Pod { return m.pods[node] }

// quantities in integer units: millicores for cpu, plain values otherwise.
type amounts map[corev1.ResourceName]int64

func amountOf(name corev1.ResourceName, q resource.Quantity) int64 {
	if name == corev1.ResourceCPU {
		return q.MilliValue()
	}
	return q.Value()
}

// Requests is what a pod needs: max(sum(app containers) + sum(sidecars), for each init
// container its own need plus the sidecars declared before it, each sidecar prefix) + overhead.
func Requests(pod *corev1.Pod) map[corev1.ResourceName]int64 {
	out := amounts{}
	for _, c := range pod.Spec.Containers {
		for n, q := range c.Resources.Requests {
			out[n] += amountOf(n, q)
		}
	}
	side := amounts{}
	peak := amounts{}
	for _, c := range pod.Spec.InitContainers {
		mine := amounts{}
		for n, q := range c.Resources.Requests {
			mine[n] = amountOf(n, q)
		}
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			for n, v := range mine {
				side[n] += v
			}
			for n, v := range side {
				peak[n] = max(peak[n], v)
			}
			continue
		}
		for n, v := range side {
			mine[n] += v
		}
		for n, v := range mine {
			peak[n] = max(peak[n], v)
		}
	}
	for n, v := range side {
		out[n] += v
	}
	for n, v := range peak {
		out[n] = max(out[n], v)
	}
	for n, q := range pod.Spec.Overhead {
		out[n] += amountOf(n, q)
	}
	return out
}

func tolerates(pod *corev1.Pod, t corev1.Taint) bool {
	for _, tol := range pod.Spec.Tolerations {
		if tol.Effect != "" && tol.Effect != t.Effect {
			continue
		}
		if tol.Key == "" {
			if tol.Operator == corev1.TolerationOpExists {
				return true
			}
			continue
		}
		if tol.Key != t.Key {
			continue
		}
		if tol.Operator == corev1.TolerationOpExists || tol.Value == t.Value {
			return true
		}
	}
	return false
}

func termMatches(node *corev1.Node, term corev1.NodeSelectorTerm) bool {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return false
	}
	for _, r := range term.MatchExpressions {
		v, has := node.Labels[r.Key]
		in := false
		for _, x := range r.Values {
			if x == v {
				in = true
			}
		}
		ok := false
		switch r.Operator {
		case corev1.NodeSelectorOpIn:
			ok = has && in
		case corev1.NodeSelectorOpNotIn:
			ok = !has || !in
		case corev1.NodeSelectorOpExists:
			ok = has
		case corev1.NodeSelectorOpDoesNotExist:
			ok = !has
		case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
			a, err1 := strconv.Atoi(v)
			b, err2 := strconv.Atoi(r.Values[0])
			ok = has && err1 == nil && err2 == nil && (r.Operator == corev1.NodeSelectorOpGt && a > b || r.Operator == corev1.NodeSelectorOpLt && a < b)
		}
		if !ok {
			return false
		}
	}
	for _, r := range term.MatchFields {
		in := len(r.Values) == 1 && r.Values[0] == node.Name
		if r.Operator == corev1.NodeSelectorOpIn && !in || r.Operator == corev1.NodeSelectorOpNotIn && in {
			return false
		}
	}
	return true
}

func nodeAffinityOK(pod *corev1.Pod, node *corev1.Node) bool {
	for k, v := range pod.Spec.NodeSelector {
		if node.Labels[k] != v {
			return false
		}
		if _, ok := node.Labels[k]; !ok {
			return false
		}
	}
	a := pod.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return true
	}
	for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		if termMatches(node, t) {
			return true
		}
	}
	return false
}

// selects reports whether the affinity term owned by owner selects pod.
func (m *Model) selects(owner *corev1.Pod, term corev1.PodAffinityTerm, pod *corev1.Pod) bool {
	inNs := false
	if len(term.Namespaces) == 0 && term.NamespaceSelector == nil {
		inNs = pod.Namespace == owner.Namespace
	}
	for _, ns := range term.Namespaces {
		if ns == pod.Namespace {
			inNs = true
		}
	}
	if !inNs && term.NamespaceSelector != nil {
		s, err := labels.LabelSelectorAsSelector(term.NamespaceSelector)
		inNs = err == nil && s.Matches(labels.Set(m.nsLabels[pod.Namespace]))
	}
	if !inNs {
		return false
	}
	s, err := labels.LabelSelectorAsSelector(term.LabelSelector)
	return err == nil && s.Matches(labels.Set(pod.Labels))
}

func sameDomain(a, b *corev1.Node, key string) bool {
	va, oka := a.Labels[key]
	vb, okb := b.Labels[key]
	return oka && okb && va == vb
}

// Feasible reports whether pod may be placed on node now, and every reason it may not.
func (m *Model) Feasible(pod *corev1.Pod, nodeName string) (bool, []string) {
	node := m.byName[nodeName]
	var reasons []string
	if node == nil {
		return false, []string{"no such node"}
	}
	if pod.Spec.NodeName != "" && pod.Spec.NodeName != nodeName {
		reasons = append(reasons, "node(s) didn't match the requested node name")
	}
	if node.Spec.Unschedulable && !tolerates(pod, corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}) {
		reasons = append(reasons, "node(s) were unschedulable")
	}
	for _, t := range node.Spec.Taints {
		if (t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute) && !tolerates(pod, t) {
			reasons = append(reasons, fmt.Sprintf("node(s) had untolerated taint {%s: %s}", t.Key, t.Value))
			break
		}
	}
	if !nodeAffinityOK(pod, node) {
		reasons = append(reasons, "node(s) didn't match Pod's node affinity/selector")
	}
	// Resources.
	used := amounts{}
	for _, p := range m.pods[nodeName] {
		for n, v := range Requests(p) {
			used[n] += v
		}
	}
	alloc := amounts{}
	for n, q := range node.Status.Allocatable {
		alloc[n] = amountOf(n, q)
	}
	if int64(len(m.pods[nodeName]))+1 > alloc[corev1.ResourcePods] {
		reasons = append(reasons, "Too many pods")
	}
	req := Requests(pod)
	names := make([]string, 0, len(req))
	for n := range req {
		names = append(names, string(n))
	}
	sort.Strings(names)
	for _, n := range names {
		r := req[corev1.ResourceName(n)]
		if n == string(corev1.ResourcePods) {
			continue
		}
		if r > 0 && used[corev1.ResourceName(n)]+r > alloc[corev1.ResourceName(n)] {
			reasons = append(reasons, "Insufficient "+n)
		}
	}
	// Host ports.
	type hp struct {
		ip, proto string
		port      int32
	}
	var taken []hp
	norm := func(p corev1.ContainerPort) hp {
		h := hp{p.HostIP, string(p.Protocol), p.HostPort}
		if h.ip == "" {
			h.ip = "0.0.0.0"
		}
		if h.proto == "" {
			h.proto = "TCP"
		}
		return h
	}
	for _, p := range m.pods[nodeName] {
		for _, c := range append(append([]corev1.Container(nil), p.Spec.InitContainers...), p.Spec.Containers...) {
			for _, port := range c.Ports {
				if port.HostPort > 0 {
					taken = append(taken, norm(port))
				}
			}
		}
	}
portLoop:
	for _, c := range append(append([]corev1.Container(nil), pod.Spec.InitContainers...), pod.Spec.Containers...) {
		for _, port := range c.Ports {
			if port.HostPort <= 0 {
				continue
			}
			w := norm(port)
			for _, t := range taken {
				if t.port == w.port && t.proto == w.proto && (t.ip == w.ip || t.ip == "0.0.0.0" || w.ip == "0.0.0.0") {
					reasons = append(reasons, "node(s) didn't have free ports for the requested pod ports")
					break portLoop
				}
			}
		}
	}
	reasons = append(reasons, m.spreadReasons(pod, node)...)
	reasons = append(reasons, m.affinityReasons(pod, node)...)
	return len(reasons) == 0, reasons
}

func (m *Model) spreadReasons(pod *corev1.Pod, node *corev1.Node) []string {
	var hard []corev1.TopologySpreadConstraint
	for _, c := range pod.Spec.TopologySpreadConstraints {
		if c.WhenUnsatisfiable == corev1.DoNotSchedule {
			hard = append(hard, c)
		}
	}
	if len(hard) == 0 {
		return nil
	}
	for _, c := range hard {
		if _, ok := node.Labels[c.TopologyKey]; !ok {
			return []string{"node(s) didn't match pod topology spread constraints (missing required label)"}
		}
	}
	for _, c := range hard {
		sel, err := labels.LabelSelectorAsSelector(c.LabelSelector)
		if err != nil {
			return []string{"bad selector"}
		}
		for _, k := range c.MatchLabelKeys {
			if v, ok := pod.Labels[k]; ok {
				r, _ := labels.NewRequirement(k, labels.In, []string{v})
				sel = sel.Add(r)
			}
		}
		counts := map[string]int{}
		for _, n := range m.nodes {
			ok := true
			for _, c2 := range hard {
				if _, has := n.Labels[c2.TopologyKey]; !has {
					ok = false
				}
			}
			honorAff := c.NodeAffinityPolicy == nil || *c.NodeAffinityPolicy == corev1.NodeInclusionPolicyHonor
			honorTaints := c.NodeTaintsPolicy != nil && *c.NodeTaintsPolicy == corev1.NodeInclusionPolicyHonor
			if !ok || honorAff && !nodeAffinityOK(pod, n) {
				continue
			}
			if honorTaints {
				bad := false
				for _, t := range n.Spec.Taints {
					if (t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute) && !tolerates(pod, t) {
						bad = true
					}
				}
				if bad {
					continue
				}
			}
			d := n.Labels[c.TopologyKey]
			counts[d] += 0
			for _, p := range m.pods[n.Name] {
				if p.Namespace == pod.Namespace && p.DeletionTimestamp == nil && sel.Matches(labels.Set(p.Labels)) {
					counts[d]++
				}
			}
		}
		minC := -1
		for _, v := range counts {
			if minC < 0 || v < minC {
				minC = v
			}
		}
		minDomains := 1
		if c.MinDomains != nil {
			minDomains = int(*c.MinDomains)
		}
		if len(counts) < minDomains || minC < 0 {
			minC = 0
		}
		self := 0
		if sel.Matches(labels.Set(pod.Labels)) {
			self = 1
		}
		if len(counts) > 0 && counts[node.Labels[c.TopologyKey]]+self-minC > int(c.MaxSkew) {
			return []string{"node(s) didn't match pod topology spread constraints"}
		}
	}
	return nil
}

func (m *Model) affinityReasons(pod *corev1.Pod, node *corev1.Node) []string {
	var reasons []string
	var aff, anti []corev1.PodAffinityTerm
	if a := pod.Spec.Affinity; a != nil {
		if a.PodAffinity != nil {
			aff = a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution
		}
		if a.PodAntiAffinity != nil {
			anti = a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution
		}
	}
	if len(aff) > 0 {
		ok := true
		anyMatch := false
		for _, t := range aff {
			if _, has := node.Labels[t.TopologyKey]; !has {
				ok = false
			}
		}
		// Every term must have, in the node's domain, a pod matching all the terms.
		for _, n := range m.nodes {
			for _, p := range m.pods[n.Name] {
				all := true
				for _, t := range aff {
					if !m.selects(pod, t, p) {
						all = false
					}
				}
				if all {
					anyMatch = true
				}
			}
		}
		if ok {
			for _, t := range aff {
				found := false
				for _, n := range m.nodes {
					if !sameDomain(n, node, t.TopologyKey) {
						continue
					}
					for _, p := range m.pods[n.Name] {
						all := true
						for _, t2 := range aff {
							if !m.selects(pod, t2, p) {
								all = false
							}
						}
						if all {
							found = true
						}
					}
				}
				if !found {
					ok = false
				}
			}
		}
		if !ok {
			selfAll := true
			for _, t := range aff {
				if !m.selects(pod, t, pod) {
					selfAll = false
				}
			}
			keys := true
			for _, t := range aff {
				if _, has := node.Labels[t.TopologyKey]; !has {
					keys = false
				}
			}
			if anyMatch || !selfAll || !keys {
				reasons = append(reasons, "node(s) didn't match pod affinity rules")
			}
		}
	}
	for _, t := range anti {
		hit := false
		for _, n := range m.nodes {
			if !sameDomain(n, node, t.TopologyKey) {
				continue
			}
			for _, p := range m.pods[n.Name] {
				if m.selects(pod, t, p) {
					hit = true
				}
			}
		}
		if hit {
			reasons = append(reasons, "node(s) didn't match pod anti-affinity rules")
			break
		}
	}
	// Existing pods' anti-affinity towards the incoming pod.
existing:
	for _, n := range m.nodes {
		for _, p := range m.pods[n.Name] {
			if p.Spec.Affinity == nil || p.Spec.Affinity.PodAntiAffinity == nil {
				continue
			}
			for _, t := range p.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
				if sameDomain(n, node, t.TopologyKey) && m.selects(p, t, pod) {
					reasons = append(reasons, "node(s) didn't satisfy existing pods anti-affinity rules")
					break existing
				}
			}
		}
	}
	return reasons
}

// CheckInvariants checks the final state: no node over its allocatable of any resource or pod
// count, no host port used twice on a node, and every placed pod's required anti-affinity (and
// every other pod's against it) holds. It returns one line per violation.
func (m *Model) CheckInvariants() []string {
	var out []string
	for _, n := range m.nodes {
		used := amounts{}
		for _, p := range m.pods[n.Name] {
			for k, v := range Requests(p) {
				used[k] += v
			}
		}
		for k, v := range used {
			if k == corev1.ResourcePods {
				continue
			}
			if a := amountOf(k, n.Status.Allocatable[k]); v > a {
				out = append(out, fmt.Sprintf("node %s over-committed: %s %d > %d", n.Name, k, v, a))
			}
		}
		if c := int64(len(m.pods[n.Name])); c > n.Status.Allocatable.Pods().Value() {
			out = append(out, fmt.Sprintf("node %s runs %d pods > %d", n.Name, c, n.Status.Allocatable.Pods().Value()))
		}
		for _, p := range m.pods[n.Name] {
			if p.Spec.Affinity == nil || p.Spec.Affinity.PodAntiAffinity == nil {
				continue
			}
			for _, t := range p.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
				for _, n2 := range m.nodes {
					if !sameDomain(n, n2, t.TopologyKey) {
						continue
					}
					for _, q := range m.pods[n2.Name] {
						if q != p && m.selects(p, t, q) {
							out = append(out, fmt.Sprintf("pod %s/%s on %s violates anti-affinity of %s/%s on %s", q.Namespace, q.Name, n2.Name, p.Namespace, p.Name, n.Name))
						}
					}
				}
			}
		}
	}
	return out
}

var histogramEntry = regexp.MustCompile(`^(\d+) (.+)$`)

// CheckFitMessage checks a pending pod's message "0/N nodes are available: <count> <reason>,
// ... ." against the model: N is the node count, no node is feasible, every reason is one the
// model finds on at least as many nodes as counted, and every node is accounted for.
func (m *Model) CheckFitMessage(pod *corev1.Pod, msg string) []string {
	var out []string
	reasonNodes := map[string]int{}
	for _, n := range m.nodes {
		ok, rs := m.Feasible(pod, n.Name)
		if ok {
			out = append(out, fmt.Sprintf("pod %s/%s left pending but fits node %s", pod.Namespace, pod.Name, n.Name))
		}
		for _, r := range rs {
			reasonNodes[r]++
		}
	}
	prefix := fmt.Sprintf("0/%d nodes are available: ", len(m.nodes))
	if !strings.HasPrefix(msg, prefix) {
		return append(out, fmt.Sprintf("pod %s/%s message %q lacks prefix %q", pod.Namespace, pod.Name, msg, prefix))
	}
	body := strings.TrimPrefix(msg, prefix)
	if i := strings.Index(body, ". preemption: "); i >= 0 {
		body = body[:i]
	}
	body = strings.TrimSuffix(body, ".")
	total := 0
	for _, part := range splitReasons(body) {
		sm := histogramEntry.FindStringSubmatch(part)
		if sm == nil {
			out = append(out, fmt.Sprintf("pod %s/%s: unparsable reason %q in %q", pod.Namespace, pod.Name, part, msg))
			continue
		}
		cnt, _ := strconv.Atoi(sm[1])
		total += cnt
		if reasonNodes[sm[2]] < cnt {
			out = append(out, fmt.Sprintf("pod %s/%s: message says %d nodes %q, model finds %d (message %q)", pod.Namespace, pod.Name, cnt, sm[2], reasonNodes[sm[2]], msg))
		}
	}
	if total < len(m.nodes) {
		out = append(out, fmt.Sprintf("pod %s/%s: message accounts for %d of %d nodes: %q", pod.Namespace, pod.Name, total, len(m.nodes), msg))
	}
	return out
}

// splitReasons splits "3 a, 2 b {k: v}, 1 c" at ", " followed by a count.
func splitReasons(s string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] == ',' && s[i+1] == ' ' && s[i+2] >= '0' && s[i+2] <= '9' {
			out = append(out, s[start:i])
			start = i + 2
		}
	}
	return append(out, s[start:])
}
