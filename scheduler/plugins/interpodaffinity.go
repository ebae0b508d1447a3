package plugins

import (
	"context"
	"fmt"
	"math"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/scheduler/framework"
)

// Reasons of InterPodAffinity.
const (
	ReasonAffinityRulesNotMatch         = "node(s) didn't match pod affinity rules"
	ReasonAntiAffinityRulesNotMatch     = "node(s) didn't match pod anti-affinity rules"
	ReasonExistingAntiAffinityNotSatisf = "node(s) didn't satisfy existing pods anti-affinity rules"
)

// InterPodAffinityArgs are InterPodAffinity's arguments.
type InterPodAffinityArgs struct {
	// HardPodAffinityWeight is the score weight given to an existing pod's required affinity
	// terms that the incoming pod matches, in [0, 100]; nil means 1.
	HardPodAffinityWeight *int32
}

// InterPodAffinity enforces required pod affinity and anti-affinity (the incoming pod's, and
// the anti-affinity of pods already running, symmetrically) and scores preferred terms.
type InterPodAffinity struct {
	h          framework.Handle
	hardWeight int64
	// The Filter's rejections, made once with the plugin named (statuses are immutable).
	affinityMismatch, antiMismatch, existingAnti *framework.Status
}

var (
	_ framework.RawScoreExtensions = (*InterPodAffinity)(nil)
	_ framework.PreFilterPlugin    = (*InterPodAffinity)(nil)
	_ framework.FilterPlugin       = (*InterPodAffinity)(nil)
	_ framework.PreScorePlugin     = (*InterPodAffinity)(nil)
	_ framework.ScorePlugin        = (*InterPodAffinity)(nil)
)

// NewInterPodAffinity validates args (nil for defaults).
func NewInterPodAffinity(args *InterPodAffinityArgs, h framework.Handle) (*InterPodAffinity, error) {
	p := &InterPodAffinity{h: h, hardWeight: 1,
		affinityMismatch: framework.NewStatus(framework.UnschedulableAndUnresolvable, ReasonAffinityRulesNotMatch).WithPlugin(NameInterPodAffinity),
		antiMismatch:     framework.NewStatus(framework.Unschedulable, ReasonAntiAffinityRulesNotMatch).WithPlugin(NameInterPodAffinity),
		existingAnti:     framework.NewStatus(framework.Unschedulable, ReasonExistingAntiAffinityNotSatisf).WithPlugin(NameInterPodAffinity)}
	if args != nil && args.HardPodAffinityWeight != nil {
		w := *args.HardPodAffinityWeight
		if w < 0 || w > 100 {
			return nil, fmt.Errorf("inter-pod affinity: hardPodAffinityWeight %d not in [0, 100]: %w", w, ErrInvalidArgs)
		}
		p.hardWeight = int64(w)
	}
	return p, nil
}

// Name implements framework.Plugin.
func (*InterPodAffinity) Name() string { return NameInterPodAffinity }

type topoPair struct{ key, value string }

type topoCounts map[topoPair]int

func (m topoCounts) add(node *corev1.Node, key string, delta int) {
	if v, ok := node.Labels[key]; ok {
		p := topoPair{key, v}
		m[p] += delta
		if m[p] == 0 {
			delete(m, p)
		}
	}
}

func (m topoCounts) clone() topoCounts {
	c := make(topoCounts, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

type affinityState struct {
	pod          *framework.PodInfo
	nsLabels     labels.Set
	existingAnti topoCounts
	affinity     topoCounts
	anti         topoCounts
	// shared: the maps belong to the class memo and must be copied before a change.
	shared bool
}

func (s *affinityState) Clone() framework.StateData {
	return &affinityState{pod: s.pod, nsLabels: s.nsLabels, existingAnti: s.existingAnti.clone(), affinity: s.affinity.clone(), anti: s.anti.clone()}
}

// topoContrib is what one node adds to one of the three counts of a class (0 existingAnti,
// 1 affinity, 2 anti).
type topoContrib struct {
	which int
	pair  topoPair
}

// affinityMemo keeps a class's affinityState counts between cycles, recounting only the nodes
// that changed (Snapshot.ChangedSince; namespace label changes make it rebuild).
type affinityMemo struct {
	gen    int64
	counts [3]topoCounts
	bySlot [][]topoContrib
}

func (m *affinityMemo) set(slot int, cs []topoContrib, sign int) {
	for slot >= len(m.bySlot) {
		m.bySlot = append(m.bySlot, nil)
	}
	if sign < 0 {
		cs = m.bySlot[slot]
		m.bySlot[slot] = nil
	} else {
		m.bySlot[slot] = cs
	}
	for _, c := range cs {
		m.counts[c.which][c.pair] += sign
		if m.counts[c.which][c.pair] == 0 {
			delete(m.counts[c.which], c.pair)
		}
	}
}

// contributions of a node to the counts of the incoming pod's class.
func (s *affinityState) contributions(snap *framework.Snapshot, ni *framework.NodeInfo) []topoContrib {
	node := ni.Node()
	var out []topoContrib
	add := func(which int, key string) {
		if v, ok := node.Labels[key]; ok {
			out = append(out, topoContrib{which: which, pair: topoPair{key, v}})
		}
	}
	for _, ex := range ni.PodsWithRequiredAntiAffinity {
		for i := range ex.RequiredAntiAffinityTerms {
			t := &ex.RequiredAntiAffinityTerms[i]
			if t.Matches(s.pod.Pod, s.nsLabels) {
				add(0, t.TopologyKey)
			}
		}
	}
	if len(s.pod.RequiredAffinityTerms) == 0 && len(s.pod.RequiredAntiAffinityTerms) == 0 {
		return out
	}
	for _, ex := range ni.Pods {
		exNs := snap.NamespaceLabels(ex.Pod.Namespace)
		if matchesAll(s.pod.RequiredAffinityTerms, ex.Pod, exNs) {
			for i := range s.pod.RequiredAffinityTerms {
				add(1, s.pod.RequiredAffinityTerms[i].TopologyKey)
			}
		}
		for i := range s.pod.RequiredAntiAffinityTerms {
			t := &s.pod.RequiredAntiAffinityTerms[i]
			if t.Matches(ex.Pod, exNs) {
				add(2, t.TopologyKey)
			}
		}
	}
	return out
}

// unshare copies maps that belong to the class memo before the state is changed.
func (s *affinityState) unshare() {
	if s.shared {
		s.existingAnti, s.affinity, s.anti = s.existingAnti.clone(), s.affinity.clone(), s.anti.clone()
		s.shared = false
	}
}

const affinityFilterKey framework.StateKey = "PreFilter" + NameInterPodAffinity
const affinityScoreKey framework.StateKey = "PreScore" + NameInterPodAffinity

// podAffinityTerms reports whether pod's spec has required, and preferred, pod affinity or
// anti-affinity terms (NewPodInfo parses exactly these).
func podAffinityTerms(pod *corev1.Pod) (required, preferred bool) {
	a := pod.Spec.Affinity
	if a == nil {
		return false, false
	}
	if x := a.PodAffinity; x != nil {
		required = required || len(x.RequiredDuringSchedulingIgnoredDuringExecution) > 0
		preferred = preferred || len(x.PreferredDuringSchedulingIgnoredDuringExecution) > 0
	}
	if x := a.PodAntiAffinity; x != nil {
		required = required || len(x.RequiredDuringSchedulingIgnoredDuringExecution) > 0
		preferred = preferred || len(x.PreferredDuringSchedulingIgnoredDuringExecution) > 0
	}
	return required, preferred
}

func matchesAll(terms []framework.AffinityTerm, pod *corev1.Pod, nsLabels labels.Set) bool {
	if len(terms) == 0 {
		return false
	}
	for i := range terms {
		if !terms[i].Matches(pod, nsLabels) {
			return false
		}
	}
	return true
}

// PreFilter counts, per topology domain, the existing pods whose required anti-affinity the
// pod matches, and the existing pods the pod's required (anti-)affinity terms match.
func (p *InterPodAffinity) PreFilter(_ context.Context, state *framework.CycleState, pod *corev1.Pod, nodes []*framework.NodeInfo) (*framework.PreFilterResult, *framework.Status) {
	snap := p.h.Snapshot()
	// Checked on the spec before parsing the terms: most pods have none, and the parse allocates.
	if req, _ := podAffinityTerms(pod); !req && len(snap.HavePodsWithRequiredAntiAffinity()) == 0 {
		return nil, skipStatus
	}
	pi, err := framework.NewPodInfo(pod)
	if err != nil {
		return nil, framework.AsStatus(err)
	}
	st := &affinityState{pod: pi, nsLabels: snap.NamespaceLabels(pod.Namespace)}
	// The counts depend only on the pod's class (its terms, labels and namespace) and the
	// cluster: they are kept per class and only changed nodes are recounted.
	m, _ := p.h.ClassMemo(state, affinityFilterKey).(*affinityMemo)
	if m != nil {
		changed, ok := snap.ChangedSince(m.gen)
		if ok {
			for _, slot := range changed {
				m.set(slot, nil, -1)
				if ni := snap.NodeAt(slot); ni != nil {
					m.set(slot, st.contributions(snap, ni), 1)
				}
			}
			m.gen = snap.Generation()
		} else {
			m = nil
		}
	}
	if m == nil {
		m = &affinityMemo{gen: snap.Generation(), counts: [3]topoCounts{{}, {}, {}}}
		for _, ni := range nodes {
			if ni.Slot() >= 0 {
				m.set(ni.Slot(), st.contributions(snap, ni), 1)
				continue
			}
			for _, c := range st.contributions(snap, ni) {
				m.counts[c.which][c.pair]++
			}
		}
		p.h.SetClassMemo(state, affinityFilterKey, m)
	}
	st.existingAnti, st.affinity, st.anti, st.shared = m.counts[0], m.counts[1], m.counts[2], true
	state.Write(affinityFilterKey, st)
	return nil, nil
}

func (s *affinityState) addExistingAnti(ex *framework.PodInfo, node *corev1.Node, delta int) {
	for i := range ex.RequiredAntiAffinityTerms {
		t := &ex.RequiredAntiAffinityTerms[i]
		if t.Matches(s.pod.Pod, s.nsLabels) {
			s.existingAnti.add(node, t.TopologyKey, delta)
		}
	}
}

func (s *affinityState) addIncomingTerms(ex *corev1.Pod, exNs labels.Set, node *corev1.Node, delta int) {
	if matchesAll(s.pod.RequiredAffinityTerms, ex, exNs) {
		for i := range s.pod.RequiredAffinityTerms {
			s.affinity.add(node, s.pod.RequiredAffinityTerms[i].TopologyKey, delta)
		}
	}
	for i := range s.pod.RequiredAntiAffinityTerms {
		t := &s.pod.RequiredAntiAffinityTerms[i]
		if t.Matches(ex, exNs) {
			s.anti.add(node, t.TopologyKey, delta)
		}
	}
}

// PreFilterExtensions implements framework.PreFilterPlugin.
func (p *InterPodAffinity) PreFilterExtensions() framework.PreFilterExtensions { return p }

// AddPod implements framework.PreFilterExtensions.
func (p *InterPodAffinity) AddPod(_ context.Context, state *framework.CycleState, _ *corev1.Pod, added *framework.PodInfo, ni *framework.NodeInfo) *framework.Status {
	return p.update(state, added, ni.Node(), 1)
}

// RemovePod implements framework.PreFilterExtensions.
func (p *InterPodAffinity) RemovePod(_ context.Context, state *framework.CycleState, _ *corev1.Pod, removed *framework.PodInfo, ni *framework.NodeInfo) *framework.Status {
	return p.update(state, removed, ni.Node(), -1)
}

func (p *InterPodAffinity) update(state *framework.CycleState, changed *framework.PodInfo, node *corev1.Node, delta int) *framework.Status {
	st, s := readState[*affinityState](state, affinityFilterKey)
	if s != nil {
		return s
	}
	st.unshare()
	st.addExistingAnti(changed, node, delta)
	st.addIncomingTerms(changed.Pod, p.h.Snapshot().NamespaceLabels(changed.Pod.Namespace), node, delta)
	return nil
}

// Filter implements framework.FilterPlugin.
func (p *InterPodAffinity) Filter(_ context.Context, state *framework.CycleState, _ *corev1.Pod, ni *framework.NodeInfo) *framework.Status {
	st, s := readState[*affinityState](state, affinityFilterKey)
	if s != nil {
		return s
	}
	node := ni.Node()
	if !st.satisfiesAffinity(node) {
		return p.affinityMismatch
	}
	for i := range st.pod.RequiredAntiAffinityTerms {
		key := st.pod.RequiredAntiAffinityTerms[i].TopologyKey
		if v, ok := node.Labels[key]; ok && st.anti[topoPair{key, v}] > 0 {
			return p.antiMismatch
		}
	}
	if len(st.existingAnti) > 0 {
		for k, v := range node.Labels {
			if st.existingAnti[topoPair{k, v}] > 0 {
				return p.existingAnti
			}
		}
	}
	return nil
}

// satisfiesAffinity: every required affinity term's domain on the node holds a matching pod;
// or no pod anywhere matches and the pod matches its own terms (the first of a group).
func (s *affinityState) satisfiesAffinity(node *corev1.Node) bool {
	exist := true
	for i := range s.pod.RequiredAffinityTerms {
		key := s.pod.RequiredAffinityTerms[i].TopologyKey
		v, ok := node.Labels[key]
		if !ok {
			return false
		}
		if s.affinity[topoPair{key, v}] <= 0 {
			exist = false
		}
	}
	if exist {
		return true
	}
	return len(s.affinity) == 0 && matchesAll(s.pod.RequiredAffinityTerms, s.pod.Pod, s.nsLabels)
}

type affinityScoreState struct {
	scores map[string]map[string]int64 // topology key -> value -> score; read-only
}

type scoreContrib struct {
	key, value string
	w          int64
}

// scoreMemo keeps a class's PreScore sums between cycles, by node slot.
type scoreMemo struct {
	gen    int64
	scores map[string]map[string]int64
	bySlot [][]scoreContrib
}

func (m *scoreMemo) set(slot int, cs []scoreContrib, sign int64) {
	if slot >= 0 {
		for slot >= len(m.bySlot) {
			m.bySlot = append(m.bySlot, nil)
		}
		if sign < 0 {
			cs = m.bySlot[slot]
			m.bySlot[slot] = nil
		} else {
			m.bySlot[slot] = cs
		}
	}
	for _, c := range cs {
		vals := m.scores[c.key]
		if vals == nil {
			vals = map[string]int64{}
			m.scores[c.key] = vals
		}
		vals[c.value] += sign * c.w
	}
}

func (s *affinityScoreState) Clone() framework.StateData { return s }

// PreScore sums, per topology domain, the weights of preferred terms (both directions) and of
// existing pods' required affinity terms (HardPodAffinityWeight) that match.
func (p *InterPodAffinity) PreScore(_ context.Context, state *framework.CycleState, pod *corev1.Pod, _ []*framework.NodeInfo) *framework.Status {
	snap := p.h.Snapshot()
	_, has := podAffinityTerms(pod)
	nodes := snap.HavePodsWithAffinity()
	if has {
		nodes = snap.NodeInfos()
	} else if len(nodes) == 0 {
		return skipStatus
	}
	pi, err := framework.NewPodInfo(pod)
	if err != nil {
		return framework.AsStatus(err)
	}
	nsLabels := snap.NamespaceLabels(pod.Namespace)
	contribute := func(ni *framework.NodeInfo) []scoreContrib {
		var out []scoreContrib
		node := ni.Node()
		add := func(key string, w int64) {
			if v, ok := node.Labels[key]; ok && w != 0 {
				out = append(out, scoreContrib{key: key, value: v, w: w})
			}
		}
		pods := ni.PodsWithAffinity
		if has {
			pods = ni.Pods
		}
		for _, ex := range pods {
			exNs := snap.NamespaceLabels(ex.Pod.Namespace)
			for i := range pi.PreferredAffinityTerms {
				t := &pi.PreferredAffinityTerms[i]
				if t.Matches(ex.Pod, exNs) {
					add(t.TopologyKey, int64(t.Weight))
				}
			}
			for i := range pi.PreferredAntiAffinityTerms {
				t := &pi.PreferredAntiAffinityTerms[i]
				if t.Matches(ex.Pod, exNs) {
					add(t.TopologyKey, -int64(t.Weight))
				}
			}
			if p.hardWeight > 0 {
				for i := range ex.RequiredAffinityTerms {
					t := &ex.RequiredAffinityTerms[i]
					if t.Matches(pod, nsLabels) {
						add(t.TopologyKey, p.hardWeight)
					}
				}
			}
			for i := range ex.PreferredAffinityTerms {
				t := &ex.PreferredAffinityTerms[i]
				if t.Matches(pod, nsLabels) {
					add(t.TopologyKey, int64(t.Weight))
				}
			}
			for i := range ex.PreferredAntiAffinityTerms {
				t := &ex.PreferredAntiAffinityTerms[i]
				if t.Matches(pod, nsLabels) {
					add(t.TopologyKey, -int64(t.Weight))
				}
			}
		}
		return out
	}
	// Kept per class between cycles; only changed nodes are recounted. Every node contributes
	// (a node without pods with affinity contributes nothing unless the pod has preferred
	// terms), so the memo does not depend on which nodes have such pods.
	m, _ := p.h.ClassMemo(state, affinityScoreKey).(*scoreMemo)
	if m != nil {
		if changed, ok := snap.ChangedSince(m.gen); ok {
			for _, slot := range changed {
				m.set(slot, nil, -1)
				if ni := snap.NodeAt(slot); ni != nil {
					m.set(slot, contribute(ni), 1)
				}
			}
			m.gen = snap.Generation()
		} else {
			m = nil
		}
	}
	if m == nil {
		m = &scoreMemo{gen: snap.Generation(), scores: map[string]map[string]int64{}}
		for _, ni := range nodes {
			m.set(ni.Slot(), contribute(ni), 1)
		}
		p.h.SetClassMemo(state, affinityScoreKey, m)
	}
	st := &affinityScoreState{scores: m.scores}
	state.Write(affinityScoreKey, st)
	return nil
}

// Score implements framework.ScorePlugin: the sum of the scores of the node's domains.
func (p *InterPodAffinity) Score(_ context.Context, state *framework.CycleState, _ *corev1.Pod, ni *framework.NodeInfo) (int64, *framework.Status) {
	st, s := readState[*affinityScoreState](state, affinityScoreKey)
	if s != nil {
		return 0, s
	}
	var sum int64
	for key, vals := range st.scores {
		if v, ok := ni.Node().Labels[key]; ok {
			sum += vals[v]
		}
	}
	return sum, nil
}

// ScoreExtensions implements framework.ScorePlugin.
func (p *InterPodAffinity) ScoreExtensions() framework.ScoreExtensions { return p }

// NormalizeScore maps [min, max] to [0, 100]; all equal gives 0.
func (p *InterPodAffinity) NormalizeScore(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, scores []framework.NodeScore) *framework.Status {
	var minS, maxS int64 = math.MaxInt64, math.MinInt64
	for _, s := range scores {
		minS, maxS = min(minS, s.Score), max(maxS, s.Score)
	}
	for i := range scores {
		scores[i].Score = scaleMinMax(scores[i].Score, minS, maxS)
	}
	return nil
}

// NormalizeRawScores implements framework.RawScoreExtensions.
func (p *InterPodAffinity) NormalizeRawScores(_ context.Context, _ *framework.CycleState, _ *corev1.Pod, scores []int64) *framework.Status {
	var minS, maxS int64 = math.MaxInt64, math.MinInt64
	for _, s := range scores {
		minS, maxS = min(minS, s), max(maxS, s)
	}
	for i, s := range scores {
		scores[i] = scaleMinMax(s, minS, maxS)
	}
	return nil
}

// scaleMinMax maps s from [minS, maxS] to [0, 100]; 0 when all are equal.
func scaleMinMax(s, minS, maxS int64) int64 {
	if maxS > minS {
		return framework.MaxNodeScore * (s - minS) / (maxS - minS)
	}
	return 0
}
