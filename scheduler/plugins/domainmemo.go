package plugins

import (
	"slices"

	"github.com/cellkit/cellkit/scheduler/framework"
)

// contribution is what one node adds to the domain counts of one constraint: n matching pods
// in domain value (and the node itself as an eligible member of that domain).
type contribution struct {
	constraint int
	value      string
	n          int
}

// domainMemo is a per-equivalence-class aggregate of matching pods per topology domain,
// brought up to date from the snapshot's change log: only nodes that changed since the last
// cycle of the class are recounted. counts and members are per constraint.
type domainMemo struct {
	gen     int64
	counts  []map[string]int // domain -> matching pods
	members []map[string]int // domain -> eligible nodes (a domain with none is no domain)
	bySlot  [][]contribution
	// keys, when set, make the memo keep dom and ids: per key, the node slots' domains
	// (label values) interned as small integers, -1 for a slot without the label or node,
	// so that a Filter can look a node's domain up by slot instead of by label.
	keys []string
	dom  [][]int32
	ids  []map[string]int32
	// ownFn, when set (on a memo used again, like keys), gives each node's own counts for
	// the constraints counted per node (hostname), kept by slot in own (per constraint; nil
	// for the others).
	ownFn func(ni *framework.NodeInfo) []ownCount
	own   [][]int32
}

// ownCount is a node's own count of matching pods for a constraint counted per node.
type ownCount struct {
	constraint int
	n          int32
}

// setOwn records the own counts of the node in slot (ni nil: the slot's node is gone).
func (m *domainMemo) setOwn(slot int, ni *framework.NodeInfo) {
	if m.ownFn == nil || slot < 0 {
		return
	}
	for k := range m.own {
		for slot >= len(m.own[k]) {
			m.own[k] = append(m.own[k], 0)
		}
		m.own[k][slot] = 0
	}
	if ni == nil || ni.Node() == nil {
		return
	}
	for _, c := range m.ownFn(ni) {
		m.own[c.constraint][slot] = c.n
	}
}

// initOwn starts keeping the own counts of fn over nodes.
func (m *domainMemo) initOwn(fn func(ni *framework.NodeInfo) []ownCount, nodes []*framework.NodeInfo) {
	m.ownFn, m.own = fn, make([][]int32, len(m.counts))
	for _, ni := range nodes {
		m.setOwn(ni.Slot(), ni)
	}
}

// setDomains records the domains of ni (nil: the slot's node is gone) for every key.
func (m *domainMemo) setDomains(slot int, ni *framework.NodeInfo) {
	if m.keys == nil || slot < 0 {
		return
	}
	for k, key := range m.keys {
		for slot >= len(m.dom[k]) {
			m.dom[k] = append(m.dom[k], -1)
		}
		id := int32(-1)
		if ni != nil && ni.Node() != nil {
			if v, ok := ni.Node().Labels[key]; ok {
				var seen bool
				if id, seen = m.ids[k][v]; !seen {
					id = int32(len(m.ids[k]))
					m.ids[k][v] = id
				}
			}
		}
		m.dom[k][slot] = id
	}
}

// newDomainMemo counts over nodes at snapshot generation gen.
func newDomainMemo(gen int64, nodes []*framework.NodeInfo, constraints int, contribute func(ni *framework.NodeInfo) []contribution) *domainMemo {
	m := &domainMemo{gen: gen, counts: make([]map[string]int, constraints), members: make([]map[string]int, constraints)}
	for i := range m.counts {
		m.counts[i], m.members[i] = map[string]int{}, map[string]int{}
	}
	for _, ni := range nodes {
		m.setSlot(ni.Slot(), contribute(ni))
		m.apply(ni.Slot(), 1)
	}
	return m
}

// initDomains starts keeping the per-slot domains of keys over nodes.
func (m *domainMemo) initDomains(keys []string, nodes []*framework.NodeInfo) {
	m.keys, m.dom, m.ids = keys, make([][]int32, len(keys)), make([]map[string]int32, len(keys))
	for k := range keys {
		m.ids[k] = map[string]int32{}
	}
	for _, ni := range nodes {
		m.setDomains(ni.Slot(), ni)
	}
}

// catchUp brings m to the snapshot's generation by recounting the nodes that changed since;
// false when the snapshot's change log does not reach back (rebuild instead).
func (m *domainMemo) catchUp(snap *framework.Snapshot, contribute func(ni *framework.NodeInfo) []contribution) bool {
	changed, ok := snap.ChangedSince(m.gen)
	if !ok {
		return false
	}
	for _, slot := range changed {
		m.apply(slot, -1)
		m.setSlot(slot, nil)
		ni := snap.NodeAt(slot)
		if ni != nil {
			m.setSlot(slot, contribute(ni))
			m.apply(slot, 1)
		}
		m.setDomains(slot, ni)
		m.setOwn(slot, ni)
	}
	m.gen = snap.Generation()
	return true
}

// memoized returns the class's memo under key brought up to date, or a new one over nodes
// (stored for the class when the constraints are the class's own: memoize). keys, if not nil,
// are the topology keys whose per-slot domains a memo used again keeps from then on (see
// domainMemo.dom; a memo used once, as with equivalence classes off, does not pay for them).
//
// own, if not nil, gives a node's own counts for the constraints counted per node; a memo used
// again keeps them by slot from then on (domainMemo.own), like the domains of keys.
func memoized(h framework.Handle, state *framework.CycleState, key framework.StateKey, memoize bool, nodes []*framework.NodeInfo, constraints int, keys []string, contribute func(ni *framework.NodeInfo) []contribution, own func(ni *framework.NodeInfo) []ownCount) *domainMemo {
	snap := h.Snapshot()
	if memoize {
		if m, ok := h.ClassMemo(state, key).(*domainMemo); ok && len(m.counts) == constraints && m.catchUp(snap, contribute) {
			if keys != nil && !slices.Equal(m.keys, keys) {
				m.initDomains(keys, snap.NodeInfos())
			}
			if own != nil {
				// The constraints are the class's: the per-node counts of the memo's first
				// use hold; the function is renewed as it closes over this cycle's state.
				if m.ownFn == nil {
					m.initOwn(own, snap.NodeInfos())
				}
				m.ownFn = own
			}
			return m
		}
	}
	m := newDomainMemo(snap.Generation(), nodes, constraints, contribute)
	if memoize {
		h.SetClassMemo(state, key, m)
	}
	return m
}

func (m *domainMemo) setSlot(slot int, cs []contribution) {
	if slot < 0 {
		return
	}
	for slot >= len(m.bySlot) {
		m.bySlot = append(m.bySlot, nil)
	}
	m.bySlot[slot] = cs
}

func (m *domainMemo) apply(slot, sign int) {
	if slot < 0 || slot >= len(m.bySlot) {
		return
	}
	for _, c := range m.bySlot[slot] {
		m.counts[c.constraint][c.value] += sign * c.n
		m.members[c.constraint][c.value] += sign
		if m.members[c.constraint][c.value] == 0 {
			delete(m.members[c.constraint], c.value)
			delete(m.counts[c.constraint], c.value)
		}
	}
}

// countsCopy returns a copy of the counts of constraint i that a cycle may change.
func (m *domainMemo) countsCopy(i int) map[string]int {
	out := make(map[string]int, len(m.counts[i]))
	for k, v := range m.counts[i] {
		out[k] = v
	}
	return out
}
