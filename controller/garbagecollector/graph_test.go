package garbagecollector

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// recorder collects what a graph enqueues.
type enqueued struct{ del, orphan []meta.UID }

func (q *enqueued) take() (del, orphan []meta.UID) {
	del, orphan = q.del, q.orphan
	slices.Sort(del)
	slices.Sort(orphan)
	q.del, q.orphan = nil, nil
	return slices.Compact(del), slices.Compact(orphan)
}

func testGraph() (*graph, *enqueued) {
	q := &enqueued{}
	scope := func(group, kind string) (bool, bool) {
		switch (schema.GroupKind{Group: group, Kind: kind}) {
		case schema.GroupKind{Kind: "ConfigMap"}:
			return true, true
		case schema.GroupKind{Group: "rbac.authorization.k8s.io", Kind: "ClusterRole"}:
			return false, true
		}
		return false, false
	}
	kinds := map[schema.GroupResource]string{configMapsGR: "ConfigMap", clusterRolesGR: "ClusterRole"}
	g := newGraph(scope, kinds, newAbsentCache(10),
		func(u meta.UID) { q.del = append(q.del, u) }, func(u meta.UID) { q.orphan = append(q.orphan, u) })
	return g, q
}

func cm(ns, name string, uid meta.UID, owners ...meta.OwnerReference) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, UID: uid, OwnerReferences: owners}}
}

func cmRef(name string, uid meta.UID, block bool) meta.OwnerReference {
	r := meta.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: name, UID: uid}
	if block {
		r.BlockOwnerDeletion = ptr(true)
	}
	return r
}

func checkQueued(t *testing.T, step string, q *enqueued, wantDel, wantOrphan []meta.UID) {
	t.Helper()
	del, orphan := q.take()
	if d := cmp.Diff(wantDel, del); d != "" {
		t.Errorf("%s: attemptToDelete (-want +got):\n%s", step, d)
	}
	if d := cmp.Diff(wantOrphan, orphan); d != "" {
		t.Errorf("%s: attemptToOrphan (-want +got):\n%s", step, d)
	}
}

func TestDiffRefs(t *testing.T) {
	a, b, c := cmRef("a", "ua", false), cmRef("b", "ub", false), cmRef("c", "uc", false)
	bBlocking := cmRef("b", "ub", true)
	for _, tc := range []struct {
		name                    string
		old, cur                []meta.OwnerReference
		added, removed, changed []meta.OwnerReference
	}{
		{name: "none"},
		{name: "same", old: []meta.OwnerReference{a, b}, cur: []meta.OwnerReference{b, a}},
		{name: "added", old: []meta.OwnerReference{a}, cur: []meta.OwnerReference{a, c}, added: []meta.OwnerReference{c}},
		{name: "removed", old: []meta.OwnerReference{a, b}, cur: []meta.OwnerReference{b}, removed: []meta.OwnerReference{a}},
		{name: "blockOwnerDeletion changed", old: []meta.OwnerReference{a, b}, cur: []meta.OwnerReference{a, bBlocking}, changed: []meta.OwnerReference{bBlocking}},
		{name: "duplicates count once", old: []meta.OwnerReference{a, a}, cur: []meta.OwnerReference{c, c}, added: []meta.OwnerReference{c}, removed: []meta.OwnerReference{a}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			added, removed, changed := diffRefs(tc.old, tc.cur)
			if d := cmp.Diff([][]meta.OwnerReference{tc.added, tc.removed, tc.changed}, [][]meta.OwnerReference{added, removed, changed}); d != "" {
				t.Errorf("added, removed, changed (-want +got):\n%s", d)
			}
		})
	}
}

func TestGraphVirtualNodes(t *testing.T) {
	g, q := testGraph()
	g.observe(configMapsGR, cm("a", "dep-a", "d1", cmRef("owner", "o", false)))
	checkQueued(t, "a dependent of an unseen owner", q, []meta.UID{"o"}, nil)
	g.observe(configMapsGR, cm("b", "dep-b", "d2", cmRef("owner", "o", false)))
	checkQueued(t, "a second dependent", q, nil, nil)
	if _, v := g.size(); v != 1 {
		t.Fatalf("%d virtual nodes, want 1", v)
	}

	// The owner is verified absent in namespace a: only dep-a is concerned; the virtual node
	// stays for dep-b, which names it in namespace b, and is verified again.
	g.virtualDelete(ownerKey{Kind: "ConfigMap", Namespace: "a", Name: "owner", UID: "o"})
	checkQueued(t, "absent in a", q, []meta.UID{"d1", "o"}, nil)
	v, ok := g.deleteView("o")
	if !ok || v.key.Namespace != "b" || v.dependents != 1 {
		t.Fatalf("virtual node after the first verification: %+v %v, want namespace b with one dependent", v, ok)
	}
	g.virtualDelete(ownerKey{Kind: "ConfigMap", Namespace: "b", Name: "owner", UID: "o"})
	checkQueued(t, "absent in b", q, []meta.UID{"d2"}, nil)
	if n, _ := g.size(); n != 2 {
		t.Fatalf("%d nodes, want the two dependents only", n)
	}
	if !g.absent.has(ownerKey{Kind: "ConfigMap", Namespace: "b", Name: "owner", UID: "o"}) {
		t.Error("the verified owner is not remembered as absent")
	}
}

func TestGraphObservedOwnerWithOtherCoordinates(t *testing.T) {
	g, q := testGraph()
	g.observe(configMapsGR, cm("b", "dep-b", "d2", cmRef("owner", "o", false)))
	g.observe(configMapsGR, cm("a", "dep-a", "d1", cmRef("owner", "o", false)))
	q.take()
	// The owner turns up in namespace a: dep-b's reference does not resolve to it.
	g.observe(configMapsGR, cm("a", "owner", "o"))
	checkQueued(t, "owner observed in a", q, []meta.UID{"d2"}, nil)
	// A new dependent naming it with the wrong name is checked at once.
	g.observe(configMapsGR, cm("a", "dep-wrong", "d3", cmRef("other-name", "o", false)))
	checkQueued(t, "a dependent with a wrong name", q, []meta.UID{"d3"}, nil)
	// A cluster-scoped owner resolves from any namespace.
	cr := &corev1.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "role", UID: "r"}}
	g.observe(clusterRolesGR, cr)
	g.observe(configMapsGR, cm("z", "dep-z", "d4", meta.OwnerReference{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole", Name: "role", UID: "r"}))
	checkQueued(t, "a dependent of a cluster-scoped owner", q, nil, nil)
}

func TestGraphDeletionTransitions(t *testing.T) {
	g, q := testGraph()
	now := meta.NewTime(time.Unix(1, 0))
	g.observe(configMapsGR, cm("a", "owner", "o"))
	g.observe(configMapsGR, cm("a", "blocking", "d1", cmRef("owner", "o", true)))
	g.observe(configMapsGR, cm("a", "free", "d2", cmRef("owner", "o", false)))
	checkQueued(t, "setup", q, nil, nil)

	deleting := cm("a", "owner", "o")
	deleting.DeletionTimestamp = &now
	deleting.Finalizers = []string{FinalizerForeground}
	g.observe(configMapsGR, deleting)
	checkQueued(t, "foreground deletion starts", q, []meta.UID{"d1", "d2", "o"}, nil)
	g.observe(configMapsGR, deleting)
	checkQueued(t, "the same state again", q, nil, nil)
	v, _ := g.deleteView("o")
	if d := cmp.Diff([]blockingDependent{{uid: "d1"}}, v.blocking, cmp.AllowUnexported(blockingDependent{})); d != "" {
		t.Errorf("blocking dependents (-want +got):\n%s", d)
	}
	// The blocking dependent stops blocking: the owner is looked at again.
	g.observe(configMapsGR, cm("a", "blocking", "d1", cmRef("owner", "o", false)))
	checkQueued(t, "a dependent stops blocking", q, []meta.UID{"o"}, nil)
	// A dependent is removed: the owner is looked at again.
	g.removed(configMapsGR, cm("a", "free", "d2", cmRef("owner", "o", false)))
	checkQueued(t, "a dependent is gone", q, []meta.UID{"o"}, nil)
	// The owner is removed: its dependents are looked at.
	g.removed(configMapsGR, deleting)
	checkQueued(t, "the owner is gone", q, []meta.UID{"d1"}, nil)
	if !g.absent.has(ownerKey{Kind: "ConfigMap", Namespace: "a", Name: "owner", UID: "o"}) {
		t.Error("the removed owner with dependents is not remembered as absent")
	}

	orphaning := cm("a", "o2", "o2")
	orphaning.DeletionTimestamp = &now
	orphaning.Finalizers = []string{FinalizerOrphan, FinalizerForeground}
	g.observe(configMapsGR, orphaning)
	checkQueued(t, "orphan and foreground: orphaning goes first", q, nil, []meta.UID{"o2"})
	orphaning.Finalizers = []string{FinalizerForeground}
	g.observe(configMapsGR, orphaning)
	checkQueued(t, "then the foreground deletion", q, []meta.UID{"o2"}, nil)
}

func TestAbsentCacheEvictsOldest(t *testing.T) {
	c := newAbsentCache(2)
	k := func(n string) ownerKey { return ownerKey{Name: n, UID: meta.UID(n)} }
	c.add(k("a"))
	c.add(k("b"))
	c.add(k("a"))
	c.add(k("c"))
	got := []bool{c.has(k("a")), c.has(k("b")), c.has(k("c"))}
	if d := cmp.Diff([]bool{false, true, true}, got); d != "" {
		t.Errorf("a, b, c present (-want +got):\n%s", d)
	}
	off := newAbsentCache(-1)
	off.add(k("a"))
	if off.has(k("a")) {
		t.Error("a disabled cache remembers")
	}
}
