package memory

import "sync"

// remainingCacheSize bounds the remembered continue tokens of a table: enough for many
// paginated lists in flight at once; a token evicted before its use costs one full count.
const remainingCacheSize = 256

// remainingKey names a page boundary: a continue token and the namespace of the list that
// issued it (the same token continues a cluster-wide list too, with a different count).
type remainingKey struct {
	ns, token string
}

// remainingCache maps page boundaries to the number of unfiltered items after them, with
// first-in first-out eviction. It is safe for concurrent use (List holds only Store.mu's read
// lock).
type remainingCache struct {
	mu    sync.Mutex
	count map[remainingKey]int64
	order []remainingKey // ring of the keys in count, oldest at next
	next  int
}

// get returns the count remembered for k.
func (c *remainingCache) get(k remainingKey) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.count[k]
	return n, ok
}

// put remembers n for k, evicting the oldest key when full.
func (c *remainingCache) put(k remainingKey, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count == nil {
		c.count = make(map[remainingKey]int64, remainingCacheSize)
	}
	if _, ok := c.count[k]; ok {
		c.count[k] = n
		return
	}
	if len(c.order) < remainingCacheSize {
		c.order = append(c.order, k)
	} else {
		delete(c.count, c.order[c.next])
		c.order[c.next] = k
		c.next = (c.next + 1) % remainingCacheSize
	}
	c.count[k] = n
}
