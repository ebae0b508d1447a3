package plugins

import (
	"context"
	"fmt"
	"math"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// Reasons of PodTopologySpread.
const (
	ReasonTopologySpread             = "node(s) didn't match pod topology spread constraints"
	ReasonTopologySpreadMissingLabel = "node(s) didn't match pod topology spread constraints (missing required label)"
)

// DefaultingType says where PodTopologySpread's default constraints come from.
type DefaultingType string

// The defaulting types.
const (
	// SystemDefaulting uses kube-scheduler's built-in constraints: hostname maxSkew 3 and
	// zone maxSkew 5, both ScheduleAnyway.
	SystemDefaulting DefaultingType = "System"
	// ListDefaulting uses PodTopologySpreadArgs.DefaultConstraints.
	ListDefaulting DefaultingType = "List"
)

// OwnerSelectors finds the selector of the workload owning a pod (its services, replica set,
// stateful set ...), which default constraints use. Return nil or an empty selector for none.
type OwnerSelectors interface {
	SelectorFor(pod *corev1.Pod) labels.Selector
}

// PodTopologySpreadArgs are PodTopologySpread's arguments.
type PodTopologySpreadArgs struct {
	// DefaultingType defaults to System.
	DefaultingType DefaultingType
	// DefaultConstraints (ListDefaulting) apply to pods without constraints of their own; their
	// LabelSelector must be empty: it comes from Owners.
	DefaultConstraints []corev1.TopologySpreadConstraint
	// Owners gives default constraints their selector; nil means no pod gets defaults.
	Owners OwnerSelectors
}

// System default constraints of kube-scheduler.
var systemDefaultConstraints = []corev1.TopologySpreadConstraint{
	{TopologyKey: corev1.LabelHostname, WhenUnsatisfiable: corev1.ScheduleAnyway, MaxSkew: 3},
	{TopologyKey: "topology.kubernetes.io/zone", WhenUnsatisfiable: corev1.ScheduleAnyway, MaxSkew: 5},
}

// PodTopologySpread enforces (DoNotSchedule) and prefers (ScheduleAnyway) an even spread of
// matching pods across topology domains.
type PodTopologySpread struct {
	h        framework.Handle
	defaults []corev1.TopologySpreadConstraint
	system   bool
	owners   OwnerSelectors
	// The Filter's two rejections, made once with the plugin named (statuses are immutable):
	// Filter runs on every sampled node of every cycle.
	missingLabel, skewed *framework.Status
}

var (
	_ framework.PreFilterPlugin  = (*PodTopologySpread)(nil)
	_ framework.FilterPlugin     = (*PodTopologySpread)(nil)
	_ framework.SlotFilterPlugin = (*PodTopologySpread)(nil)
	_ framework.SlotScorePlugin  = (*PodTopologySpread)(nil)
	_ framework.PreScorePlugin   = (*PodTopologySpread)(nil)
	_ framework.ScorePlugin      = (*PodTopologySpread)(nil)
)

// NewPodTopologySpread validates args (nil for defaults).
func NewPodTopologySpread(args *PodTopologySpreadArgs, h framework.Handle) (*PodTopologySpread, error) {
	p := &PodTopologySpread{h: h, defaults: systemDefaultConstraints, system: true,
		missingLabel: framework.NewStatus(framework.UnschedulableAndUnresolvable, ReasonTopologySpreadMissingLabel).WithPlugin(NamePodTopologySpread),
		skewed:       framework.NewStatus(framework.Unschedulable, ReasonTopologySpread).WithPlugin(NamePodTopologySpread)}
	if args == nil {
		return p, nil
	}
	p.owners = args.Owners
	switch args.DefaultingType {
	case "", SystemDefaulting:
		if len(args.DefaultConstraints) > 0 {
			return nil, fmt.Errorf("pod topology spread: default constraints need defaultingType List: %w", ErrInvalidArgs)
		}
	case ListDefaulting:
		p.defaults, p.system = args.DefaultConstraints, false
		for i, c := range p.defaults {
			if c.LabelSelector != nil {
				return nil, fmt.Errorf("pod topology spread: default constraint %d has a label selector: %w", i, ErrInvalidArgs)
			}
			if c.MaxSkew <= 0 || c.TopologyKey == "" {
				return nil, fmt.Errorf("pod topology spread: default constraint %d needs maxSkew > 0 and a topology key: %w", i, ErrInvalidArgs)
			}
		}
	default:
		return nil, fmt.Errorf("pod topology spread: unknown defaulting type %q: %w", args.DefaultingType, ErrInvalidArgs)
	}
	return p, nil
}

// Name implements framework.Plugin.
func (*PodTopologySpread) Name() string { return NamePodTopologySpread }

type spreadConstraint struct {
	maxSkew       int32
	key           string
	selector      labels.Selector
	minDomains    int32
	honorAffinity bool
	honorTaints   bool
}

// constraints returns the pod's constraints with the action, or the defaults (whose selector
// comes from the owners) when the pod has none; defaulted reports the latter.
func (p *PodTopologySpread) constraints(pod *corev1.Pod, action corev1.UnsatisfiableConstraintAction) (cs []spreadConstraint, defaulted bool, err error) {
	if len(pod.Spec.TopologySpreadConstraints) > 0 {
		for i := range pod.Spec.TopologySpreadConstraints {
			c := &pod.Spec.TopologySpreadConstraints[i]
			if c.WhenUnsatisfiable != action {
				continue
			}
			sel, err := labels.LabelSelectorAsSelector(c.LabelSelector)
			if err != nil {
				return nil, false, fmt.Errorf("%w: pod %s/%s: topology spread selector: %w", framework.ErrInvalidPod, pod.Namespace, pod.Name, err)
			}
			if c.LabelSelector != nil {
				for _, k := range c.MatchLabelKeys {
					if v, ok := pod.Labels[k]; ok {
						r, err := labels.NewRequirement(k, labels.In, []string{v})
						if err != nil {
							return nil, false, fmt.Errorf("%w: pod %s/%s: matchLabelKeys: %w", framework.ErrInvalidPod, pod.Namespace, pod.Name, err)
						}
						sel = sel.Add(r)
					}
				}
			}
			cs = append(cs, newSpreadConstraint(c, sel))
		}
		return cs, false, nil
	}
	if p.owners == nil {
		return nil, false, nil
	}
	sel := p.owners.SelectorFor(pod)
	if sel == nil || sel.Empty() {
		return nil, false, nil
	}
	for i := range p.defaults {
		if p.defaults[i].WhenUnsatisfiable == action {
			cs = append(cs, newSpreadConstraint(&p.defaults[i], sel))
		}
	}
	return cs, true, nil
}

// classConstraints is constraints, kept per equivalence class when they are the pod's own (the
// class fixes its spec and labels, so the parsed selectors; defaults take theirs from the
// owners, which change outside the snapshot). Only PreFilter and PreScore call it.
func (p *PodTopologySpread) classConstraints(state *framework.CycleState, pod *corev1.Pod, action corev1.UnsatisfiableConstraintAction) ([]spreadConstraint, bool, error) {
	key := spreadConstraintsKey + framework.StateKey(action)
	if m, ok := p.h.ClassMemo(state, key).(*immutable[[]spreadConstraint]); ok {
		return m.v, false, nil
	}
	cs, defaulted, err := p.constraints(pod, action)
	if err == nil && !defaulted {
		p.h.SetClassMemo(state, key, &immutable[[]spreadConstraint]{cs})
	}
	return cs, defaulted, err
}

const spreadConstraintsKey framework.StateKey = "Constraints" + NamePodTopologySpread + "/"

func newSpreadConstraint(c *corev1.TopologySpreadConstraint, sel labels.Selector) spreadConstraint {
	sc := spreadConstraint{maxSkew: c.MaxSkew, key: c.TopologyKey, selector: sel, minDomains: 1, honorAffinity: true}
	if c.MinDomains != nil && *c.MinDomains > 0 {
		sc.minDomains = *c.MinDomains
	}
	if c.NodeAffinityPolicy != nil && *c.NodeAffinityPolicy == corev1.NodeInclusionPolicyIgnore {
		sc.honorAffinity = false
	}
	if c.NodeTaintsPolicy != nil && *c.NodeTaintsPolicy == corev1.NodeInclusionPolicyHonor {
		sc.honorTaints = true
	}
	return sc
}

// includes reports whether node counts as a domain member for c (inclusion policies).
func (c *spreadConstraint) includes(pod *corev1.Pod, node *corev1.Node) bool {
	if c.honorAffinity && !MatchesNodeSelectorAndAffinity(pod, node) {
		return false
	}
	if c.honorTaints {
		if _, bad := FirstUntoleratedTaint(node.Spec.Taints, pod.Spec.Tolerations, corev1.TaintEffectNoSchedule, corev1.TaintEffectNoExecute); bad {
			return false
		}
	}
	return true
}

func hasAllKeys(node *corev1.Node, cs []spreadConstraint) bool {
	for i := range cs {
		if _, ok := node.Labels[cs[i].key]; !ok {
			return false
		}
	}
	return true
}

// countMatching counts the pods on ni in ns, not terminating, that sel selects.
func countMatching(ni *framework.NodeInfo, sel labels.Selector, ns string) int {
	n := 0
	for _, p := range ni.Pods {
		if p.Pod.Namespace == ns && p.Pod.DeletionTimestamp == nil && sel.Matches(labels.Set(p.Pod.Labels)) {
			n++
		}
	}
	return n
}

// criticalPaths are the two domains with the fewest matching pods, [0] the smallest.
type criticalPaths [2]struct {
	value string
	num   int
}

func newCriticalPaths() criticalPaths {
	var p criticalPaths
	p[0].num, p[1].num = math.MaxInt32, math.MaxInt32
	return p
}

func (p *criticalPaths) update(value string, num int) {
	i := -1
	if value == p[0].value {
		i = 0
	} else if value == p[1].value {
		i = 1
	}
	if i >= 0 {
		p[i].num = num
		if p[0].num > p[1].num {
			p[0], p[1] = p[1], p[0]
		}
		return
	}
	if num < p[0].num {
		p[1] = p[0]
		p[0].value, p[0].num = value, num
	} else if num < p[1].num {
		p[1].value, p[1].num = value, num
	}
}

type spreadFilterState struct {
	constraints []spreadConstraint
	counts      []map[string]int // per constraint: domain value -> matching pods
	paths       []criticalPaths
	self        []int // per constraint: 1 if the pod matches its own selector
	// slotDom (shared with the class's memo, read-only, valid for this cycle) and domOK:
	// per constraint, each node slot's domain id (-1: no label) and each domain's verdict.
	// nil once the counts change (simulations on clones).
	slotDom [][]int32
	domOK   [][]bool
}

func (s *spreadFilterState) Clone() framework.StateData {
	// The clone is for simulations that change counts: no precomputed verdicts.
	c := &spreadFilterState{constraints: s.constraints, counts: make([]map[string]int, len(s.counts)), paths: append([]criticalPaths(nil), s.paths...), self: s.self}
	for i, m := range s.counts {
		c.counts[i] = make(map[string]int, len(m))
		for k, v := range m {
			c.counts[i][k] = v
		}
	}
	return c
}

const spreadFilterKey framework.StateKey = "PreFilter" + NamePodTopologySpread
const spreadScoreKey framework.StateKey = "PreScore" + NamePodTopologySpread

// PreFilter counts the matching pods per domain of every hard constraint; skips without any.
func (p *PodTopologySpread) PreFilter(_ context.Context, state *framework.CycleState, pod *corev1.Pod, nodes []*framework.NodeInfo) (*framework.PreFilterResult, *framework.Status) {
	cs, defaulted, err := p.classConstraints(state, pod, corev1.DoNotSchedule)
	if err != nil {
		return nil, framework.AsStatus(err)
	}
	if len(cs) == 0 {
		return nil, skipStatus
	}
	st := &spreadFilterState{constraints: cs, counts: make([]map[string]int, len(cs)), paths: make([]criticalPaths, len(cs))}
	// Every eligible node (all keys, inclusion policies) adds its matching pods to its domain.
	// The counts depend only on the pod's class when its constraints are its own (defaults
	// take their selector from owners, outside the snapshot), so they are kept per class and
	// only changed nodes are recounted.
	contribute := func(ni *framework.NodeInfo) []contribution {
		node := ni.Node()
		if !hasAllKeys(node, cs) {
			return nil
		}
		var out []contribution
		for i := range cs {
			c := &cs[i]
			if c.includes(pod, node) {
				out = append(out, contribution{constraint: i, value: node.Labels[c.key], n: countMatching(ni, c.selector, pod.Namespace)})
			}
		}
		return out
	}
	keys := make([]string, len(cs))
	for i := range cs {
		keys[i] = cs[i].key
	}
	m := memoized(p.h, state, spreadFilterKey, !defaulted, nodes, len(cs), keys, contribute, nil)
	st.self = make([]int, len(cs))
	podLabels := labels.Set(pod.Labels)
	for i := range cs {
		st.counts[i] = m.countsCopy(i)
		if cs[i].selector.Matches(podLabels) {
			st.self[i] = 1
		}
	}
	for i := range cs {
		st.paths[i] = newCriticalPaths()
		for v, n := range st.counts[i] {
			st.paths[i].update(v, n)
		}
	}
	if m.keys != nil {
		// Every domain's verdict, computed once: Filter then looks the node's domain up by
		// slot (two slice reads instead of two map lookups per node and constraint).
		st.slotDom = m.dom
		st.domOK = make([][]bool, len(cs))
		for i := range cs {
			st.domOK[i] = make([]bool, len(m.ids[i]))
			for v, id := range m.ids[i] {
				st.domOK[i][id] = st.skew(i, v) <= int(cs[i].maxSkew)
			}
		}
	}
	state.Write(spreadFilterKey, st)
	return nil, nil
}

// skew is count(domain v) + self - min(domains) of constraint i, min being 0 while fewer
// than minDomains domains are eligible.
func (st *spreadFilterState) skew(i int, v string) int {
	minMatch := st.paths[i][0].num
	if int32(len(st.counts[i])) < st.constraints[i].minDomains {
		minMatch = 0
	}
	return st.counts[i][v] + st.self[i] - minMatch
}

// PreFilterExtensions implements framework.PreFilterPlugin.
func (p *PodTopologySpread) PreFilterExtensions() framework.PreFilterExtensions { return p }

// AddPod implements framework.PreFilterExtensions.
func (p *PodTopologySpread) AddPod(_ context.Context, state *framework.CycleState, pod *corev1.Pod, added *framework.PodInfo, ni *framework.NodeInfo) *framework.Status {
	return p.updateWithPod(state, pod, added.Pod, ni.Node(), 1)
}

// RemovePod implements framework.PreFilterExtensions.
func (p *PodTopologySpread) RemovePod(_ context.Context, state *framework.CycleState, pod *corev1.Pod, removed *framework.PodInfo, ni *framework.NodeInfo) *framework.Status {
	return p.updateWithPod(state, pod, removed.Pod, ni.Node(), -1)
}

func (p *PodTopologySpread) updateWithPod(state *framework.CycleState, pod, changed *corev1.Pod, node *corev1.Node, delta int) *framework.Status {
	st, s := readState[*spreadFilterState](state, spreadFilterKey)
	if s != nil {
		return s
	}
	if changed.Namespace != pod.Namespace || changed.DeletionTimestamp != nil || !hasAllKeys(node, st.constraints) {
		return nil
	}
	st.slotDom, st.domOK = nil, nil // the counts change: verdicts by slot no longer hold
	for i := range st.constraints {
		c := &st.constraints[i]
		if !c.includes(pod, node) || !c.selector.Matches(labels.Set(changed.Labels)) {
			continue
		}
		v := node.Labels[c.key]
		st.counts[i][v] += delta
		st.paths[i].update(v, st.counts[i][v])
	}
	return nil
}

// Filter implements framework.FilterPlugin: for every hard constraint, the node must have the
// key and placing the pod there must keep count(domain) + self - min(domains) <= maxSkew,
// where min is 0 while fewer than minDomains domains are eligible.
func (p *PodTopologySpread) Filter(_ context.Context, state *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	st, s := readState[*spreadFilterState](state, spreadFilterKey)
	if s != nil {
		return s
	}
	if s, ok := p.filterBySlot(st, ni.Slot()); ok {
		return s
	}
	return p.filterByLabels(st, ni)
}

// FilterSlot implements framework.SlotFilterPlugin: the node's domains by slot, from the
// class memo, when PreFilter kept them.
func (p *PodTopologySpread) FilterSlot(state *framework.CycleState, slot int) (*framework.Status, bool) {
	st, s := readState[*spreadFilterState](state, spreadFilterKey)
	if s != nil {
		return nil, false
	}
	return p.filterBySlot(st, slot)
}

// filterBySlot judges the node in slot with the per-slot domains and per-domain verdicts;
// false when they are not kept or do not cover the slot.
func (p *PodTopologySpread) filterBySlot(st *spreadFilterState, slot int) (*framework.Status, bool) {
	if st.slotDom == nil || slot < 0 {
		return nil, false
	}
	for i := range st.constraints {
		if slot >= len(st.slotDom[i]) {
			return nil, false
		}
	}
	for i := range st.constraints {
		d := st.slotDom[i][slot]
		if d < 0 {
			return p.missingLabel, true
		}
		if !st.domOK[i][d] {
			return p.skewed, true
		}
	}
	return nil, true
}

func (p *PodTopologySpread) filterByLabels(st *spreadFilterState, ni *framework.NodeInfo) *framework.Status {
	node := ni.Node()
	for i := range st.constraints {
		c := &st.constraints[i]
		v, ok := node.Labels[c.key]
		if !ok {
			return p.missingLabel
		}
		if st.skew(i, v) > int(c.maxSkew) {
			return p.skewed
		}
	}
	return nil
}

type spreadScoreState struct {
	constraints []spreadConstraint
	ignored     map[string]struct{}
	counts      []map[string]int
	weights     []float64
	namespace   string
	requireAll  bool
	// slotDom (shared with the class's memo, read-only, valid for this cycle) and domCount:
	// per constraint, each node slot's domain id (-1: no label) and each domain's matching
	// pods; when set, Score reads them instead of the node's labels and counts.
	slotDom  [][]int32
	domCount [][]int
	own      [][]int32 // per constraint counted per node (hostname), each slot's count
}

func (s *spreadScoreState) Clone() framework.StateData { return s }

// ignore records a node missing a key of the constraints (made at the first: most cycles
// have none).
func (s *spreadScoreState) ignore(name string) {
	if s.ignored == nil {
		s.ignored = map[string]struct{}{}
	}
	s.ignored[name] = struct{}{}
}

// PreScore counts matching pods per domain of every soft constraint over all nodes, for the
// domains of the feasible nodes; skips without soft constraints.
func (p *PodTopologySpread) PreScore(_ context.Context, state *framework.CycleState, pod *corev1.Pod, filtered []*framework.NodeInfo) *framework.Status {
	cs, defaulted, err := p.classConstraints(state, pod, corev1.ScheduleAnyway)
	if err != nil {
		return framework.AsStatus(err)
	}
	if len(cs) == 0 {
		return skipStatus
	}
	st := &spreadScoreState{constraints: cs, counts: make([]map[string]int, len(cs)),
		weights: make([]float64, len(cs)), namespace: pod.Namespace, requireAll: !(defaulted && p.system)}
	// Matching pods per domain over every node (hostname domains are counted per node in
	// Score), kept per class like PreFilter's counts.
	contribute := func(ni *framework.NodeInfo) []contribution {
		node := ni.Node()
		if st.requireAll && !hasAllKeys(node, cs) {
			return nil
		}
		var out []contribution
		for i := range cs {
			c := &cs[i]
			if c.key == corev1.LabelHostname || !c.includes(pod, node) {
				continue
			}
			if v, ok := node.Labels[c.key]; ok {
				out = append(out, contribution{constraint: i, value: v, n: countMatching(ni, c.selector, pod.Namespace)})
			}
		}
		return out
	}
	keys := make([]string, len(cs))
	for i := range cs {
		keys[i] = cs[i].key
	}
	// The hostname constraints are counted per node in Score; a memo used again keeps each
	// slot's count (only nodes that changed are recounted).
	var own func(ni *framework.NodeInfo) []ownCount
	for i := range cs {
		if cs[i].key == corev1.LabelHostname {
			own = func(ni *framework.NodeInfo) []ownCount {
				var out []ownCount
				for i := range cs {
					if cs[i].key == corev1.LabelHostname {
						out = append(out, ownCount{constraint: i, n: int32(countMatching(ni, cs[i].selector, pod.Namespace))})
					}
				}
				return out
			}
			break
		}
	}
	m := memoized(p.h, state, spreadScoreKey, !defaulted, p.h.Snapshot().NodeInfos(), len(cs), keys, contribute, own)
	if m.keys != nil && p.preScoreBySlot(st, m, filtered, state.NodeSlots()) {
		state.Write(spreadScoreKey, st)
		return nil
	}
	for i := range cs {
		st.counts[i] = map[string]int{}
	}
	for _, ni := range filtered {
		node := ni.Node()
		if st.requireAll && !hasAllKeys(node, cs) {
			st.ignore(node.Name)
			continue
		}
		for i := range cs {
			if cs[i].key == corev1.LabelHostname {
				continue
			}
			if v, ok := node.Labels[cs[i].key]; ok {
				if _, seen := st.counts[i][v]; !seen {
					st.counts[i][v] = 0
				}
			}
		}
	}
	for i := range cs {
		size := len(st.counts[i])
		if cs[i].key == corev1.LabelHostname {
			size = len(filtered) - len(st.ignored)
		}
		st.weights[i] = math.Log(float64(size + 2))
	}
	for i := range cs {
		for v := range st.counts[i] {
			st.counts[i][v] = m.counts[i][v]
		}
	}
	state.Write(spreadScoreKey, st)
	return nil
}

// preScoreBySlot is PreScore's second half with the nodes' domains read by slot from the
// memo (no label lookups): the ignored nodes, the weights, and the counts per domain id.
// False when a node's slot is outside the memo (the caller then reads labels).
//
// slots, when the framework gives them (CycleState.NodeSlots), are the filtered nodes' slots:
// then only ignored nodes' NodeInfos are read.
func (p *PodTopologySpread) preScoreBySlot(st *spreadScoreState, m *domainMemo, filtered []*framework.NodeInfo, slots []int32) bool {
	if len(slots) != len(filtered) {
		slots = nil
	}
	cs := st.constraints
	seen := make([][]bool, len(cs))
	distinct := make([]int, len(cs))
	for i := range cs {
		if cs[i].key != corev1.LabelHostname { // hostname domains are the nodes: not counted here
			seen[i] = make([]bool, len(m.ids[i]))
		}
	}
	for k, ni := range filtered {
		var slot int
		if slots != nil {
			slot = int(slots[k])
		} else {
			slot = ni.Slot()
		}
		if slot < 0 {
			return false
		}
		missing := false
		for i := range cs {
			if slot >= len(m.dom[i]) {
				return false
			}
			if m.dom[i][slot] < 0 {
				missing = true
			}
		}
		if st.requireAll && missing {
			st.ignore(ni.Name())
			continue
		}
		for i := range cs {
			if cs[i].key == corev1.LabelHostname {
				continue
			}
			if d := m.dom[i][slot]; d >= 0 && !seen[i][d] {
				seen[i][d] = true
				distinct[i]++
			}
		}
	}
	st.domCount = make([][]int, len(cs))
	for i := range cs {
		size := distinct[i]
		if cs[i].key == corev1.LabelHostname {
			size = len(filtered) - len(st.ignored)
		} else {
			st.domCount[i] = make([]int, len(m.ids[i]))
			for v, id := range m.ids[i] {
				st.domCount[i][id] = m.counts[i][v]
			}
		}
		st.weights[i] = math.Log(float64(size + 2))
	}
	// The memo's counts by domain value (read-only, valid for this cycle) for scoreByLabels.
	st.counts = m.counts
	st.slotDom = m.dom
	st.own = make([][]int32, len(cs))
	if m.own != nil {
		copy(st.own, m.own)
	}
	return true
}

// Score implements framework.ScorePlugin: sum over constraints of count(domain) * log(domains
// + 2) + maxSkew - 1 (lower is better; NormalizeScore inverts).
func (p *PodTopologySpread) Score(_ context.Context, state *framework.CycleState, pod *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	st, s := readState[*spreadScoreState](state, spreadScoreKey)
	if s != nil {
		return 0, s
	}
	if len(st.ignored) > 0 {
		if _, ign := st.ignored[ni.Name()]; ign {
			return 0, nil
		}
	}
	if sc, ok := p.scoreBySlot(st, ni.Slot()); ok {
		return sc, nil
	}
	return p.scoreByLabels(st, ni), nil
}

// ScoreSlot implements framework.SlotScorePlugin: the node's score from the per-slot domains
// and counts of the class memo, when PreScore kept them and ignores no node.
func (p *PodTopologySpread) ScoreSlot(state *framework.CycleState, slot int) (int64, bool) {
	st, s := readState[*spreadScoreState](state, spreadScoreKey)
	if s != nil || len(st.ignored) > 0 {
		return 0, false
	}
	return p.scoreBySlot(st, slot)
}

// scoreBySlot is Score from the per-slot domains (and hostname counts); false when they are
// not kept or do not cover the slot.
func (p *PodTopologySpread) scoreBySlot(st *spreadScoreState, slot int) (int64, bool) {
	if st.slotDom == nil || slot < 0 {
		return 0, false
	}
	for i := range st.constraints {
		if slot >= len(st.slotDom[i]) || st.constraints[i].key == corev1.LabelHostname && slot >= len(st.own[i]) {
			return 0, false
		}
	}
	var score float64
	for i := range st.constraints {
		c := &st.constraints[i]
		d := st.slotDom[i][slot]
		if d < 0 {
			continue
		}
		var cnt int
		if c.key == corev1.LabelHostname {
			cnt = int(st.own[i][slot])
		} else {
			cnt = st.domCount[i][d]
		}
		score += float64(cnt)*st.weights[i] + float64(c.maxSkew-1)
	}
	return int64(math.Round(score)), true
}

func (p *PodTopologySpread) scoreByLabels(st *spreadScoreState, ni *framework.NodeInfo) int64 {
	node := ni.Node()
	var score float64
	for i := range st.constraints {
		c := &st.constraints[i]
		v, ok := node.Labels[c.key]
		if !ok {
			continue
		}
		var cnt int
		if c.key == corev1.LabelHostname {
			cnt = countMatching(ni, c.selector, st.namespace)
		} else {
			cnt = st.counts[i][v]
		}
		score += float64(cnt)*st.weights[i] + float64(c.maxSkew-1)
	}
	return int64(math.Round(score))
}

// ScoreExtensions implements framework.ScorePlugin.
func (p *PodTopologySpread) ScoreExtensions() framework.ScoreExtensions { return p }

// NormalizeScore maps the lowest raw score to the highest normalized one:
// 100 * (max + min - s) / max; ignored nodes (missing a key) get 0.
func (p *PodTopologySpread) NormalizeScore(_ context.Context, state *framework.CycleState, _ *corev1.Pod, scores []framework.NodeScore) *framework.Status {
	st, s := readState[*spreadScoreState](state, spreadScoreKey)
	if s != nil {
		return s
	}
	var minS, maxS int64 = math.MaxInt64, math.MinInt64
	for _, sc := range scores {
		if _, ign := st.ignored[sc.Name]; ign {
			continue
		}
		minS, maxS = min(minS, sc.Score), max(maxS, sc.Score)
	}
	for i := range scores {
		if _, ign := st.ignored[scores[i].Name]; ign {
			scores[i].Score = 0
			continue
		}
		if maxS == 0 {
			scores[i].Score = framework.MaxNodeScore
			continue
		}
		scores[i].Score = framework.MaxNodeScore * (maxS + minS - scores[i].Score) / maxS
	}
	return nil
}
