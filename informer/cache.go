package informer

import (
	"fmt"
	"sort"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// IndexFunc returns the values under which obj is indexed (none, one or several). It must be a
// pure function of obj.
type IndexFunc[T runtime.MetaObject] func(obj T) []string

// Key identifies an object of a cache: its namespace (empty for cluster-scoped objects) and
// name.
type Key struct {
	Namespace, Name string
}

// String returns "namespace/name", or "name" for a cluster-scoped object.
func (k Key) String() string {
	if k.Namespace == "" {
		return k.Name
	}
	return k.Namespace + "/" + k.Name
}

// KeyOf returns the key of obj.
func KeyOf(obj runtime.MetaObject) Key {
	m := obj.GetObjectMeta()
	return Key{Namespace: m.Namespace, Name: m.Name}
}

// cache is the indexed, thread-safe object cache of an informer. Objects are kept by namespace,
// then name, so the namespace index costs nothing and no key string is built per object; custom
// indexes map a value to the keys of the objects that have it. Objects are never modified once
// cached; readers share them.
type cache[T runtime.MetaObject] struct {
	mu       sync.RWMutex
	byNS     map[string]map[string]T
	count    int
	indexers map[string]IndexFunc[T]
	indices  map[string]map[string]map[Key]struct{}
}

func newCache[T runtime.MetaObject]() *cache[T] {
	return &cache[T]{byNS: map[string]map[string]T{}}
}

// addIndexers adds index functions; the caller makes sure the cache is still empty.
func (c *cache[T]) addIndexers(idx map[string]IndexFunc[T]) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, fn := range idx {
		if fn == nil {
			return fmt.Errorf("informer: add index %q: %w: nil index func", name, ErrInvalidOptions)
		}
		if _, dup := c.indexers[name]; dup {
			return fmt.Errorf("informer: add index %q: %w: index exists", name, ErrInvalidOptions)
		}
	}
	if c.indexers == nil {
		c.indexers = map[string]IndexFunc[T]{}
		c.indices = map[string]map[string]map[Key]struct{}{}
	}
	for name, fn := range idx {
		c.indexers[name] = fn
		c.indices[name] = map[string]map[Key]struct{}{}
	}
	return nil
}

func (c *cache[T]) get(ns, name string) (T, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	obj, ok := c.byNS[ns][name]
	return obj, ok
}

// put stores obj and returns the object it replaced.
func (c *cache[T]) put(obj T) (old T, existed bool) {
	m := obj.GetObjectMeta()
	c.mu.Lock()
	defer c.mu.Unlock()
	names := c.byNS[m.Namespace]
	if names == nil {
		names = map[string]T{}
		c.byNS[m.Namespace] = names
	}
	old, existed = names[m.Name]
	names[m.Name] = obj
	if !existed {
		c.count++
	}
	if c.indexers != nil {
		k := Key{m.Namespace, m.Name}
		if existed {
			c.unindexLocked(k, old)
		}
		c.indexLocked(k, obj)
	}
	return old, existed
}

// remove deletes the object with obj's key and returns it.
func (c *cache[T]) remove(k Key) (old T, existed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := c.byNS[k.Namespace]
	old, existed = names[k.Name]
	if !existed {
		return old, false
	}
	delete(names, k.Name)
	if len(names) == 0 {
		delete(c.byNS, k.Namespace)
	}
	c.count--
	if c.indexers != nil {
		c.unindexLocked(k, old)
	}
	return old, true
}

func (c *cache[T]) indexLocked(k Key, obj T) {
	for name, fn := range c.indexers {
		idx := c.indices[name]
		for _, v := range fn(obj) {
			set := idx[v]
			if set == nil {
				set = map[Key]struct{}{}
				idx[v] = set
			}
			set[k] = struct{}{}
		}
	}
}

func (c *cache[T]) unindexLocked(k Key, obj T) {
	for name, fn := range c.indexers {
		idx := c.indices[name]
		for _, v := range fn(obj) {
			set := idx[v]
			delete(set, k)
			if len(set) == 0 {
				delete(idx, v)
			}
		}
	}
}

func (c *cache[T]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.count
}

// each calls fn for every object, under the read lock; fn must not call back into the cache.
func (c *cache[T]) each(fn func(T)) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, names := range c.byNS {
		for _, obj := range names {
			fn(obj)
		}
	}
}

// keys returns the keys of every cached object.
func (c *cache[T]) keys() map[Key]struct{} {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[Key]struct{}, c.count)
	for ns, names := range c.byNS {
		for name := range names {
			out[Key{ns, name}] = struct{}{}
		}
	}
	return out
}

func matches[T runtime.MetaObject](sel labels.Selector, obj T) bool {
	if sel == nil || sel.Empty() {
		return true
	}
	return sel.Matches(labels.Set(obj.GetObjectMeta().Labels))
}

// sortObjects orders objs by namespace, then name, so lister results are deterministic.
func sortObjects[T runtime.MetaObject](objs []T) {
	sort.Slice(objs, func(i, j int) bool {
		a, b := objs[i].GetObjectMeta(), objs[j].GetObjectMeta()
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		return a.Name < b.Name
	})
}

// Lister reads an informer's cache. It is a small value; copy it freely. Every method is safe
// for concurrent use. The objects it returns are shared with the cache and every other reader:
// never modify them (deep-copy first).
type Lister[T runtime.MetaObject] struct {
	c *cache[T]
}

// List returns the objects whose labels match sel (nil or empty: every object), ordered by
// namespace, then name.
func (l Lister[T]) List(sel labels.Selector) []T {
	l.c.mu.RLock()
	var out []T
	if sel == nil || sel.Empty() {
		out = make([]T, 0, l.c.count)
	}
	for _, names := range l.c.byNS {
		for _, obj := range names {
			if matches(sel, obj) {
				out = append(out, obj)
			}
		}
	}
	l.c.mu.RUnlock()
	sortObjects(out)
	return out
}

// Get returns the cluster-scoped object named name.
func (l Lister[T]) Get(name string) (T, bool) { return l.c.get("", name) }

// Len returns the number of cached objects.
func (l Lister[T]) Len() int { return l.c.len() }

// Namespace returns the view of the objects of namespace ns.
func (l Lister[T]) Namespace(ns string) NamespaceLister[T] {
	return NamespaceLister[T]{c: l.c, ns: ns}
}

// ByIndex returns the objects indexed under value by the index named index, ordered by
// namespace, then name. It fails with ErrUnknownIndex when no such index was added.
func (l Lister[T]) ByIndex(index, value string) ([]T, error) {
	l.c.mu.RLock()
	idx, ok := l.c.indices[index]
	if !ok {
		l.c.mu.RUnlock()
		return nil, fmt.Errorf("informer: list by index %q: %w", index, ErrUnknownIndex)
	}
	set := idx[value]
	out := make([]T, 0, len(set))
	for k := range set {
		if obj, ok := l.c.byNS[k.Namespace][k.Name]; ok {
			out = append(out, obj)
		}
	}
	l.c.mu.RUnlock()
	sortObjects(out)
	return out, nil
}

// IndexValues returns the values the index named index holds, sorted.
func (l Lister[T]) IndexValues(index string) ([]string, error) {
	l.c.mu.RLock()
	idx, ok := l.c.indices[index]
	if !ok {
		l.c.mu.RUnlock()
		return nil, fmt.Errorf("informer: index values of %q: %w", index, ErrUnknownIndex)
	}
	out := make([]string, 0, len(idx))
	for v := range idx {
		out = append(out, v)
	}
	l.c.mu.RUnlock()
	sort.Strings(out)
	return out, nil
}

// NamespaceLister reads the objects of one namespace of an informer's cache. Like Lister, it
// returns shared objects that must not be modified.
type NamespaceLister[T runtime.MetaObject] struct {
	c  *cache[T]
	ns string
}

// List returns the namespace's objects whose labels match sel, ordered by name.
func (l NamespaceLister[T]) List(sel labels.Selector) []T {
	l.c.mu.RLock()
	names := l.c.byNS[l.ns]
	out := make([]T, 0, len(names))
	for _, obj := range names {
		if matches(sel, obj) {
			out = append(out, obj)
		}
	}
	l.c.mu.RUnlock()
	sortObjects(out)
	return out
}

// Get returns the object named name of the namespace.
func (l NamespaceLister[T]) Get(name string) (T, bool) { return l.c.get(l.ns, name) }
