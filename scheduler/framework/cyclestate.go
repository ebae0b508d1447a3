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
	data map[StateKey]StateData
	// SkipFilterPlugins and SkipScorePlugins name the plugins whose PreFilter or PreScore
	// returned Skip.
	SkipFilterPlugins map[string]struct{}
	SkipScorePlugins  map[string]struct{}

	// filters are the Filter plugins not skipped, fixed when PreFilter ends, so that the
	// per-node loop does no map lookups.
	filters    []FilterPlugin
	filtersSet bool

	// class is the pod's equivalence-class cache (nil when off); cacheFilters says whether
	// this cycle's filter verdicts go through it.
	class        *classCache
	cacheFilters bool
	localFilters int // the node-local prefix of filters whose verdicts are cached
}

// NewCycleState returns an empty state.
func NewCycleState() *CycleState {
	return &CycleState{data: map[StateKey]StateData{}}
}

// Read returns the data under key, or ErrNotFound wrapped.
func (c *CycleState) Read(key StateKey) (StateData, bool) {
	d, ok := c.data[key]
	return d, ok
}

// Write stores data under key.
func (c *CycleState) Write(key StateKey, d StateData) { c.data[key] = d }

// Delete removes key.
func (c *CycleState) Delete(key StateKey) { delete(c.data, key) }

// Clone copies the state, cloning every entry.
func (c *CycleState) Clone() *CycleState {
	out := &CycleState{data: make(map[StateKey]StateData, len(c.data)),
		SkipFilterPlugins: c.SkipFilterPlugins, SkipScorePlugins: c.SkipScorePlugins, filters: c.filters, filtersSet: c.filtersSet}
	for k, v := range c.data {
		out.data[k] = v.Clone()
	}
	return out
}
