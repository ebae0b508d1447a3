package garbagecollector

import (
	"slices"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// The finalizers of the deletion propagation policies.
const (
	// FinalizerOrphan marks an object deleted with PropagationPolicy Orphan: the collector
	// removes the owner references to it from its dependents, then removes the finalizer.
	FinalizerOrphan = "orphan"
	// FinalizerForeground marks an object deleted with PropagationPolicy Foreground: the
	// collector deletes its dependents and removes the finalizer once no dependent with
	// blockOwnerDeletion is left.
	FinalizerForeground = "foregroundDeletion"
)

// ownerKey locates an object the way one owner reference, read from one dependent, names it:
// group and kind, the namespace it is looked up in (the dependent's for namespaced kinds, ""
// for cluster-scoped ones), name and UID. Two references with the same UID may locate
// different objects (a wrong namespace, kind or name), which is why references are checked
// one by one against the key they give.
type ownerKey struct {
	Group, Kind     string
	Namespace, Name string
	UID             meta.UID
}

// node is an object of the graph: observed (seen through an informer) or virtual (only named
// by the owner references of its dependents, not seen yet).
type node struct {
	key      ownerKey
	gr       schema.GroupResource // the resource of an observed node
	observed bool
	// beingDeleted is set when the object has a deletionTimestamp; deletingDependents when it
	// also carries the foregroundDeletion finalizer (and not the orphan one).
	beingDeleted       bool
	deletingDependents bool
	// owners are the owner references of an observed node, as last seen.
	owners []meta.OwnerReference
	// dependents are the UIDs of the observed nodes whose owner references name this one
	// (nil until it has one: most objects are leaves).
	dependents map[meta.UID]struct{}
}

// scopeFunc says whether the kind of group is namespaced (known false when the kind is not
// in the scheme; such owners are looked up in the dependent's namespace).
type scopeFunc func(group, kind string) (namespaced, known bool)

// graph is the owner-reference graph: uid -> node, each node with its owners and dependents.
// It is a synchronous core fed by the informers' handlers and by the workers' verifications;
// it never reads the store, and reports the work it finds through its two callbacks (called
// with mu held: they must only enqueue).
type graph struct {
	scope           scopeFunc
	kinds           map[schema.GroupResource]string // kind of every tracked resource
	absent          *absentCache
	attemptToDelete func(meta.UID)
	attemptToOrphan func(meta.UID)

	mu    sync.Mutex
	nodes map[meta.UID]*node
}

func newGraph(scope scopeFunc, kinds map[schema.GroupResource]string, absent *absentCache, del, orphan func(meta.UID)) *graph {
	return &graph{scope: scope, kinds: kinds, absent: absent, attemptToDelete: del, attemptToOrphan: orphan,
		nodes: map[meta.UID]*node{}}
}

// refKey is the key the reference ref of an object in namespace ns gives its owner.
func (g *graph) refKey(ns string, ref meta.OwnerReference) ownerKey {
	gk := schema.FromAPIVersionAndKind(ref.APIVersion, ref.Kind).GroupKind()
	if namespaced, known := g.scope(gk.Group, gk.Kind); known && !namespaced {
		ns = ""
	}
	return ownerKey{Group: gk.Group, Kind: gk.Kind, Namespace: ns, Name: ref.Name, UID: ref.UID}
}

// observedKey is the key of an object of resource gr.
func (g *graph) observedKey(gr schema.GroupResource, m *meta.ObjectMeta) ownerKey {
	return ownerKey{Group: gr.Group, Kind: g.kinds[gr], Namespace: m.Namespace, Name: m.Name, UID: m.UID}
}

func hasFinalizer(m *meta.ObjectMeta, f string) bool { return slices.Contains(m.Finalizers, f) }

func isTrue(b *bool) bool { return b != nil && *b }

// observe applies an added or updated object.
func (g *graph) observe(gr schema.GroupResource, obj runtime.MetaObject) {
	m := obj.GetObjectMeta()
	if m.UID == "" {
		return
	}
	key := g.observedKey(gr, m)
	g.mu.Lock()
	defer g.mu.Unlock()
	n, found := g.nodes[m.UID]
	if found && !n.observed {
		// A virtual node is seen for real: dependents that name it by other coordinates
		// (another namespace, kind or name) must be checked again; for them the owner
		// they name does not exist.
		n.observed, n.gr = true, gr
		if n.key != key {
			for d := range n.dependents {
				if dep := g.nodes[d]; dep != nil && !g.refersTo(dep, key) {
					g.attemptToDelete(d)
				}
			}
			n.key = key
		}
	}
	if !found {
		n = &node{key: key, gr: gr, observed: true}
		g.nodes[m.UID] = n
		n.owners = slices.Clone(m.OwnerReferences)
		g.addToOwners(n, n.owners)
	} else {
		n.key = key
		if slices.EqualFunc(n.owners, m.OwnerReferences, sameRef) {
			// The common case (a status update): nothing to diff.
		} else if added, removed, changed := diffRefs(n.owners, m.OwnerReferences); len(added)+len(removed)+len(changed) > 0 {
			// An owner waiting for its dependents may be unblocked by a removed reference or
			// by one that stopped blocking.
			for _, r := range slices.Concat(removed, changed) {
				if o := g.nodes[r.UID]; o != nil && o.deletingDependents {
					g.attemptToDelete(r.UID)
				}
			}
			n.owners = slices.Clone(m.OwnerReferences)
			g.removeFromOwners(n, removed)
			g.addToOwners(n, added)
			for _, r := range changed {
				if o := g.nodes[r.UID]; o != nil && o.observed && g.refKey(n.key.Namespace, r) != o.key {
					g.attemptToDelete(m.UID)
				}
			}
		}
	}
	n.beingDeleted = m.DeletionTimestamp != nil
	orphan := n.beingDeleted && hasFinalizer(m, FinalizerOrphan)
	if orphan {
		g.attemptToOrphan(m.UID)
	}
	// Orphaning goes first: foreground deletion of the dependents starts only once the orphan
	// finalizer is gone (by then no dependent is left).
	was := n.deletingDependents
	n.deletingDependents = n.beingDeleted && !orphan && hasFinalizer(m, FinalizerForeground)
	if n.deletingDependents && !was {
		for d := range n.dependents {
			g.attemptToDelete(d)
		}
		g.attemptToDelete(m.UID)
	}
}

// removed applies a deleted object.
func (g *graph) removed(_ schema.GroupResource, obj runtime.MetaObject) {
	m := obj.GetObjectMeta()
	g.mu.Lock()
	defer g.mu.Unlock()
	if n := g.nodes[m.UID]; n != nil {
		g.removeNode(n)
	}
}

// virtualDelete applies a verification by a worker: the object key names does not exist (it
// is not found there, or another UID has that name).
func (g *graph) virtualDelete(key ownerKey) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.nodes[key.UID]
	if n == nil {
		return
	}
	if n.observed && n.key == key {
		// Seen by an informer, and gone since: its delete event is on its way; UIDs are never
		// reused, so the node can go now.
		g.removeNode(n)
		return
	}
	g.absent.add(key)
	var others []meta.UID
	for d := range n.dependents {
		dep := g.nodes[d]
		if dep != nil && g.namesOtherwise(dep, key) {
			others = append(others, d)
			continue
		}
		// For this dependent the owner is verified absent: it need not stay linked (its
		// reference can only be dangling from now on).
		if !n.observed {
			delete(n.dependents, d)
		}
		g.attemptToDelete(d)
	}
	if n.observed {
		return
	}
	if len(n.dependents) == 0 {
		delete(g.nodes, key.UID)
		return
	}
	if n.key == key {
		// The remaining dependents name the owner by other coordinates: verify those next.
		slices.Sort(others)
		dep := g.nodes[others[0]]
		for _, r := range dep.owners {
			if r.UID == key.UID {
				n.key = g.refKey(dep.key.Namespace, r)
				break
			}
		}
		g.attemptToDelete(key.UID)
	}
}

// namesOtherwise reports whether dep has a reference with key's UID that gives another key.
func (g *graph) namesOtherwise(dep *node, key ownerKey) bool {
	for _, r := range dep.owners {
		if r.UID == key.UID && g.refKey(dep.key.Namespace, r) != key {
			return true
		}
	}
	return false
}

// refersTo reports whether dep has a reference that gives key (by UID and coordinates).
func (g *graph) refersTo(dep *node, key ownerKey) bool {
	for _, r := range dep.owners {
		if r.UID == key.UID && g.refKey(dep.key.Namespace, r) == key {
			return true
		}
	}
	return false
}

func (g *graph) removeNode(n *node) {
	delete(g.nodes, n.key.UID)
	g.removeFromOwners(n, n.owners)
	if len(n.dependents) > 0 {
		g.absent.add(n.key)
	}
	for d := range n.dependents {
		g.attemptToDelete(d)
	}
	for _, r := range n.owners {
		if o := g.nodes[r.UID]; o != nil && o.deletingDependents {
			g.attemptToDelete(r.UID)
		}
	}
}

// addToOwners links n to the owners refs name, creating virtual nodes for owners not seen yet
// (and asking the workers to verify them).
func (g *graph) addToOwners(n *node, refs []meta.OwnerReference) {
	uid := n.key.UID
	for _, r := range refs {
		o := g.nodes[r.UID]
		if o == nil {
			o = &node{key: g.refKey(n.key.Namespace, r), dependents: map[meta.UID]struct{}{uid: {}}}
			g.nodes[r.UID] = o
			g.attemptToDelete(r.UID)
			continue
		}
		if o.dependents == nil {
			o.dependents = map[meta.UID]struct{}{}
		}
		o.dependents[uid] = struct{}{}
		switch {
		case o.observed && g.refKey(n.key.Namespace, r) != o.key:
			// The reference names the owner by other coordinates than the object it has: for
			// this dependent the owner does not exist.
			g.attemptToDelete(uid)
		case o.deletingDependents:
			// A dependent that joins an owner being deleted in the foreground is deleted too.
			g.attemptToDelete(uid)
		}
	}
}

func (g *graph) removeFromOwners(n *node, refs []meta.OwnerReference) {
	uid := n.key.UID
	for _, r := range refs {
		o := g.nodes[r.UID]
		if o == nil {
			continue
		}
		delete(o.dependents, uid)
		if !o.observed && len(o.dependents) == 0 {
			delete(g.nodes, r.UID)
		}
	}
}

// diffRefs compares two lists of owner references by UID: added and removed ones, and changed
// ones (same UID, other fields; given as they are now).
func diffRefs(old, cur []meta.OwnerReference) (added, removed, changed []meta.OwnerReference) {
	oldBy := make(map[meta.UID]meta.OwnerReference, len(old))
	for _, r := range old {
		if _, dup := oldBy[r.UID]; !dup {
			oldBy[r.UID] = r
		}
	}
	curBy := make(map[meta.UID]bool, len(cur))
	for _, r := range cur {
		if curBy[r.UID] {
			continue
		}
		curBy[r.UID] = true
		o, ok := oldBy[r.UID]
		switch {
		case !ok:
			added = append(added, r)
		case !sameRef(o, r):
			changed = append(changed, r)
		}
	}
	for _, r := range old {
		if !curBy[r.UID] {
			removed = append(removed, r)
			curBy[r.UID] = true // report duplicates once
		}
	}
	return added, removed, changed
}

func sameRef(a, b meta.OwnerReference) bool {
	return a.APIVersion == b.APIVersion && a.Kind == b.Kind && a.Name == b.Name && a.UID == b.UID &&
		isTrue(a.Controller) == isTrue(b.Controller) && isTrue(a.BlockOwnerDeletion) == isTrue(b.BlockOwnerDeletion)
}

// deleteView is what a worker needs to know of a node to attempt its deletion.
type deleteView struct {
	key                ownerKey
	gr                 schema.GroupResource
	observed           bool
	beingDeleted       bool
	deletingDependents bool
	dependents         int
	// blocking are the dependents whose reference to this node has blockOwnerDeletion, and
	// whether each is itself deleting its dependents.
	blocking []blockingDependent
	// dependentDeletingDependents is set when a dependent is being deleted in the foreground.
	dependentDeletingDependents bool
}

type blockingDependent struct {
	uid                meta.UID
	deletingDependents bool
	// cycle is set when the dependent, being deleted in the foreground, waits (through
	// blocking dependents all being deleted in the foreground) for this node: a cycle of
	// waits that only unblocking a reference ends.
	cycle bool
}

func (g *graph) deleteView(uid meta.UID) (deleteView, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.nodes[uid]
	if n == nil {
		return deleteView{}, false
	}
	v := deleteView{key: n.key, gr: n.gr, observed: n.observed, beingDeleted: n.beingDeleted,
		deletingDependents: n.deletingDependents, dependents: len(n.dependents)}
	for d := range n.dependents {
		dep := g.nodes[d]
		if dep == nil {
			continue
		}
		if dep.deletingDependents {
			v.dependentDeletingDependents = true
		}
		for _, r := range dep.owners {
			if r.UID == uid && isTrue(r.BlockOwnerDeletion) {
				b := blockingDependent{uid: d, deletingDependents: dep.deletingDependents}
				b.cycle = n.deletingDependents && dep.deletingDependents && g.waitsFor(dep, uid)
				v.blocking = append(v.blocking, b)
				break
			}
		}
	}
	slices.SortFunc(v.blocking, func(a, b blockingDependent) int { return cmpUID(a.uid, b.uid) })
	return v, true
}

// blockingDependentsOf returns the dependents of n whose reference to it blocks its deletion.
func (g *graph) blockingDependentsOf(n *node) []*node {
	var out []*node
	for d := range n.dependents {
		dep := g.nodes[d]
		if dep == nil {
			continue
		}
		for _, r := range dep.owners {
			if r.UID == n.key.UID && isTrue(r.BlockOwnerDeletion) {
				out = append(out, dep)
				break
			}
		}
	}
	return out
}

// waitsFor reports whether from, being deleted in the foreground, waits for target: target is
// reachable from it through blocking dependents that are all being deleted in the foreground.
func (g *graph) waitsFor(from *node, target meta.UID) bool {
	seen := map[meta.UID]bool{from.key.UID: true}
	stack := []*node{from}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, dep := range g.blockingDependentsOf(n) {
			if dep.key.UID == target {
				return true
			}
			if dep.deletingDependents && !seen[dep.key.UID] {
				seen[dep.key.UID] = true
				stack = append(stack, dep)
			}
		}
	}
	return false
}

func cmpUID(a, b meta.UID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// dependentRef locates one dependent of a node.
type dependentRef struct {
	gr              schema.GroupResource
	namespace, name string
	uid             meta.UID
}

// orphanView returns the node's key and its dependents; ok is false when the node is gone.
func (g *graph) orphanView(uid meta.UID) (key ownerKey, gr schema.GroupResource, deps []dependentRef, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.nodes[uid]
	if n == nil || !n.observed {
		return ownerKey{}, schema.GroupResource{}, nil, false
	}
	for d := range n.dependents {
		if dep := g.nodes[d]; dep != nil {
			deps = append(deps, dependentRef{gr: dep.gr, namespace: dep.key.Namespace, name: dep.key.Name, uid: d})
		}
	}
	slices.SortFunc(deps, func(a, b dependentRef) int { return cmpUID(a.uid, b.uid) })
	return n.key, n.gr, deps, true
}

// size returns the number of nodes and how many of them are virtual.
func (g *graph) size() (nodes, virtual int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, n := range g.nodes {
		if !n.observed {
			virtual++
		}
	}
	return len(g.nodes), virtual
}

// observedNamespace returns the namespace of the observed object uid.
func (g *graph) observedNamespace(uid meta.UID) (string, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.nodes[uid]
	if n == nil || !n.observed {
		return "", false
	}
	return n.key.Namespace, true
}

// locate returns where the observed object uid lives.
func (g *graph) locate(uid meta.UID) (dependentRef, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.nodes[uid]
	if n == nil || !n.observed {
		return dependentRef{}, false
	}
	return dependentRef{gr: n.gr, namespace: n.key.Namespace, name: n.key.Name, uid: uid}, true
}
