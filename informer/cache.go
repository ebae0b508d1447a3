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
	// labels is the inverted label index (label key, then value, then the keys of the
	// objects with that label); nil when the informer has no label index.
	labels map[string]map[string]map[Key]struct{}
}

func newCache[T runtime.MetaObject](labelIndex bool) *cache[T] {
	c := &cache[T]{byNS: map[string]map[string]T{}}
	if labelIndex {
		c.labels = map[string]map[string]map[Key]struct{}{}
	}
	return c
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

// staged returns an empty cache with c's indexes (their functions shared: they never change
// once the informer runs), in which an initial list builds the complete state privately, page
// by page, before adopt makes it c's.
func (c *cache[T]) staged() *cache[T] {
	c.mu.RLock()
	defer c.mu.RUnlock()
	s := newCache[T](c.labels != nil)
	if c.indexers != nil {
		s.indexers = c.indexers
		s.indices = make(map[string]map[string]map[Key]struct{}, len(c.indexers))
		for name := range c.indexers {
			s.indices[name] = map[string]map[Key]struct{}{}
		}
	}
	return s
}

// adopt makes the contents of the staged cache s c's own, in one step under c's lock; s must
// not be used afterwards. Readers see c empty before and complete after.
func (c *cache[T]) adopt(s *cache[T]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byNS, c.count, c.indices, c.labels = s.byNS, s.count, s.indices, s.labels
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
	if c.indexers != nil || c.labels != nil {
		k := Key{m.Namespace, m.Name}
		if c.indexers != nil {
			if existed {
				c.unindexLocked(k, old)
			}
			c.indexLocked(k, obj)
		}
		if c.labels != nil {
			var was map[string]string
			if existed {
				was = old.GetObjectMeta().Labels
			}
			c.relabelLocked(k, was, m.Labels)
		}
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
	if c.labels != nil {
		c.relabelLocked(k, old.GetObjectMeta().Labels, nil)
	}
	return old, true
}

// relabelLocked moves the object k from the label index entries of the labels was to those of
// now. Only the labels that differ are touched, so an update that keeps the labels (the common
// case: status and spec changes) costs one comparison per label.
func (c *cache[T]) relabelLocked(k Key, was, now map[string]string) {
	if len(was) == len(now) {
		same := true
		for lk, lv := range was {
			if nv, ok := now[lk]; !ok || nv != lv {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	for lk, lv := range was {
		if nv, ok := now[lk]; ok && nv == lv {
			continue
		}
		vals := c.labels[lk]
		set := vals[lv]
		delete(set, k)
		if len(set) == 0 {
			delete(vals, lv)
			if len(vals) == 0 {
				delete(c.labels, lk)
			}
		}
	}
	for lk, lv := range now {
		if ov, ok := was[lk]; ok && ov == lv {
			continue
		}
		vals := c.labels[lk]
		if vals == nil {
			vals = map[string]map[Key]struct{}{}
			c.labels[lk] = vals
		}
		set := vals[lv]
		if set == nil {
			set = map[Key]struct{}{}
			vals[lv] = set
		}
		set[k] = struct{}{}
	}
}

// candidatesLocked returns the label index entries whose union holds every object sel can
// match: those of the equality or "in" requirement with the fewest objects, and their total
// size. ok is false when the cache has no label index or sel has no such requirement (the
// caller then scans). The entries of one requirement are disjoint (an object has one value
// per key), so their union needs no de-duplication.
func (c *cache[T]) candidatesLocked(sel labels.Selector) (sets []map[Key]struct{}, n int, ok bool) {
	if c.labels == nil || sel == nil || sel.Empty() {
		return nil, 0, false
	}
	rs, expressible := sel.Requirements()
	if !expressible {
		return nil, 0, false
	}
	best := -1
	for _, r := range rs {
		var vals []string
		switch r.Operator() {
		case labels.Equals, labels.DoubleEquals, labels.In:
			vals = r.Values()
		default:
			continue
		}
		byValue := c.labels[r.Key()]
		size := 0
		for _, v := range vals {
			size += len(byValue[v])
		}
		if best >= 0 && size >= best {
			continue
		}
		best = size
		sets = sets[:0]
		for _, v := range vals {
			if set := byValue[v]; len(set) > 0 {
				sets = append(sets, set)
			}
		}
		if size == 0 {
			break
		}
	}
	if best < 0 {
		return nil, 0, false
	}
	return sets, best, true
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

// fromIndexLocked returns the objects of the index entries sets that match sel, in namespace
// ns unless all is set, unsorted; n is a capacity hint.
func (c *cache[T]) fromIndexLocked(sets []map[Key]struct{}, n int, sel labels.Selector, ns string, all bool) []T {
	out := make([]T, 0, n)
	for _, set := range sets {
		for k := range set {
			if !all && k.Namespace != ns {
				continue
			}
			if obj, ok := c.byNS[k.Namespace][k.Name]; ok && matches(sel, obj) {
				out = append(out, obj)
			}
		}
	}
	return out
}

// Lister reads an informer's cache. It is a small value; copy it freely. Every method is safe
// for concurrent use. The objects it returns are shared with the cache and every other reader:
// never modify them (deep-copy first).
type Lister[T runtime.MetaObject] struct {
	c *cache[T]
}

// List returns the objects whose labels match sel (nil or empty: every object), ordered by
// namespace, then name. With a label index (Options.LabelIndex) a selector with an equality
// or "in" requirement reads only the objects having one of its values, the rarest such
// requirement's, instead of every object.
func (l Lister[T]) List(sel labels.Selector) []T {
	l.c.mu.RLock()
	// Reading an index entry costs about as much per object as the scan (two map lookups
	// instead of one map iteration), so the index is used only when it reads far fewer.
	if sets, n, ok := l.c.candidatesLocked(sel); ok && 2*n <= l.c.count {
		out := l.c.fromIndexLocked(sets, n, sel, "", true)
		l.c.mu.RUnlock()
		sortObjects(out)
		return out
	}
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

// List returns the namespace's objects whose labels match sel, ordered by name. Like
// Lister.List it uses the label index when that reads fewer objects than the namespace holds.
func (l NamespaceLister[T]) List(sel labels.Selector) []T {
	l.c.mu.RLock()
	names := l.c.byNS[l.ns]
	if sets, n, ok := l.c.candidatesLocked(sel); ok && n < len(names) {
		out := l.c.fromIndexLocked(sets, 0, sel, l.ns, false)
		l.c.mu.RUnlock()
		sortObjects(out)
		return out
	}
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
