package framework

// StateKey names a plugin's entry in a CycleState; plugins use their own name.
type StateKey string

// StateData is a plugin's per-cycle data. Clone must return a copy that can be changed
// without changing the original (preemption simulates on clones).
type StateData interface {
	Clone() StateData
}

// CycleState holds plugins' data for one scheduling cycle of one pod. It is written only in
// the sequential steps of a cycle (PreFilter, PreScore, the extensions on a clone) and read
// concurrently by Filter and Score, so it needs no lock.
type CycleState struct {
	// data holds the entries in a slice (a cycle has a handful; Filter and Score read them
	// for every node, and comparing a few keys, usually by length alone, is cheaper than
	// hashing one). It starts in inline, so a new state is one allocation.
	data   []stateEntry
	inline [8]stateEntry
	// SkipFilterPlugins and SkipScorePlugins name the plugins whose PreFilter or PreScore
	// returned Skip.
	SkipFilterPlugins map[string]struct{}
	SkipScorePlugins  map[string]struct{}

	// filters are the Filter plugins not skipped, fixed when PreFilter ends, so that the
	// per-node loop does no map lookups.
	filters       []FilterPlugin
	filtersInline [16]FilterPlugin
	filtersSet    bool

	// class is the pod's equivalence-class cache (nil when off); cacheFilters says whether
	// this cycle's filter verdicts go through it.
	class        *classCache
	cacheFilters bool
	localFilters int // the node-local prefix of filters whose verdicts are cached
	// slotFilters[k] is filters[localFilters+k] as a SlotFilterPlugin, nil if it is not one.
	slotFilters       []SlotFilterPlugin
	slotFiltersInline [4]SlotFilterPlugin
	// nominated is false when the cycle's Nominator said no pod is nominated anywhere.
	nominated bool
	// nodeSlots are the slots of the nodes of the cycle's PreScore and Score (see NodeSlots).
	nodeSlots []int32
}

type stateEntry struct {
	key  StateKey
	data StateData
}

// NewCycleState returns an empty state.
func NewCycleState() *CycleState {
	c := &CycleState{}
	c.data = c.inline[:0]
	return c
}

// NodeSlots returns the snapshot slots (NodeInfo.Slot) of the nodes that SchedulePod passes to
// PreScore and scores, in their order, or nil when it does not know them; PreScore may use them
// instead of reading each NodeInfo. The slice is the framework's: do not modify or keep it.
func (c *CycleState) NodeSlots() []int32 { return c.nodeSlots }

// Read returns the data under key and whether there is any.
func (c *CycleState) Read(key StateKey) (StateData, bool) {
	for i := range c.data {
		if c.data[i].key == key {
			return c.data[i].data, true
		}
	}
	return nil, false
}

// Write stores data under key.
func (c *CycleState) Write(key StateKey, d StateData) {
	for i := range c.data {
		if c.data[i].key == key {
			c.data[i].data = d
			return
		}
	}
	if c.data == nil {
		c.data = c.inline[:0] // a zero CycleState{} is usable too
	}
	c.data = append(c.data, stateEntry{key: key, data: d})
}

// Delete removes key.
func (c *CycleState) Delete(key StateKey) {
	for i := range c.data {
		if c.data[i].key == key {
			c.data = append(c.data[:i], c.data[i+1:]...)
			c.data[len(c.data):cap(c.data)][0] = stateEntry{}
			return
		}
	}
}

// Clone copies the state, cloning every entry.
func (c *CycleState) Clone() *CycleState {
	out := &CycleState{SkipFilterPlugins: c.SkipFilterPlugins, SkipScorePlugins: c.SkipScorePlugins, filtersSet: c.filtersSet}
	out.data = out.inline[:0]
	if c.filters != nil {
		out.filters = append(out.filtersInline[:0], c.filters...)
	}
	for _, e := range c.data {
		out.data = append(out.data, stateEntry{key: e.key, data: e.data.Clone()})
	}
	return out
}
