package garbagecollector

import "sync"

// absentCache remembers owners verified absent, so that the many dependents of one deleted
// owner cost one read of the store, not one each. UIDs are never reused, so an entry never
// becomes wrong; the cache is bounded, the oldest entries go first.
type absentCache struct {
	mu    sync.Mutex
	max   int
	set   map[ownerKey]struct{}
	order []ownerKey // ring of the keys in insertion order
	next  int
}

func newAbsentCache(max int) *absentCache {
	return &absentCache{max: max, set: make(map[ownerKey]struct{}, max)}
}

func (c *absentCache) add(k ownerKey) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.set[k]; ok {
		return
	}
	if len(c.order) < c.max {
		c.order = append(c.order, k)
	} else {
		delete(c.set, c.order[c.next])
		c.order[c.next] = k
		c.next = (c.next + 1) % c.max
	}
	c.set[k] = struct{}{}
}

func (c *absentCache) has(k ownerKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.set[k]
	return ok
}
