package garbagecollector

import (
	"fmt"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// FuzzGraph drives the graph with a sequence of events decoded from the input (adds and
// updates with arbitrary owner references, namespaces, deletion states and finalizers,
// deletes, and verifications of absence) and checks its invariants after each: every
// dependent link points at an observed node that references the owner, every virtual node
// has a dependent, and every view is consistent with the nodes.
func FuzzGraph(f *testing.F) {
	f.Add([]byte{0, 1, 0b10, 0})
	f.Add([]byte{0, 0, 0, 0, 0, 1, 0b1, 0b1, 0, 1, 0b1, 0b110, 1, 0, 0, 0})
	f.Add([]byte{0, 2, 0b11, 0b1000, 2, 0, 0, 0, 2, 1, 0, 0b1000, 0, 0, 0b100, 0})
	f.Add([]byte{0, 3, 0b1000, 0b10000, 0, 3, 0, 0b110000, 3, 3, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		g, q := testGraph()
		now := meta.NewTime(time.Unix(1, 0))
		uid := func(i byte) meta.UID { return meta.UID(fmt.Sprintf("u%d", i%8)) }
		name := func(i byte) string { return fmt.Sprintf("o%d", i%8) }
		for len(data) >= 4 {
			op, obj, mask, flags := data[0]%4, data[1]%8, data[2], data[3]
			data = data[4:]
			ns := "a"
			if flags&0b1000 != 0 {
				ns = "b"
			}
			switch op {
			case 0: // add or update
				c := &corev1.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name(obj), UID: uid(obj)}}
				for i := byte(0); i < 8; i++ {
					if mask&(1<<i) != 0 {
						r := cmRef(name(i), uid(i), flags&0b1 != 0)
						if flags&0b10000 != 0 && i%2 == 0 {
							r.Name = "renamed"
						}
						c.OwnerReferences = append(c.OwnerReferences, r)
					}
				}
				if flags&0b10 != 0 {
					c.DeletionTimestamp = &now
				}
				if flags&0b100 != 0 {
					c.Finalizers = append(c.Finalizers, FinalizerForeground)
				}
				if flags&0b100000 != 0 {
					c.Finalizers = append(c.Finalizers, FinalizerOrphan)
				}
				g.observe(configMapsGR, c)
			case 1: // delete
				g.removed(configMapsGR, &corev1.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name(obj), UID: uid(obj)}})
			case 2: // verified absent
				g.virtualDelete(ownerKey{Kind: "ConfigMap", Namespace: ns, Name: name(obj), UID: uid(obj)})
			case 3: // the workers' views
				g.deleteView(uid(obj))
				g.orphanView(uid(obj))
			}
			q.take()
			checkGraph(t, g)
		}
	})
}

func checkGraph(t *testing.T, g *graph) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	for u, n := range g.nodes {
		if n.key.UID != u {
			t.Fatalf("node %s has key %+v", u, n.key)
		}
		if !n.observed && len(n.dependents) == 0 {
			t.Fatalf("virtual node %s has no dependent", u)
		}
		if !n.observed && (n.owners != nil || n.deletingDependents || n.beingDeleted) {
			t.Fatalf("virtual node %s has state of an observed one: %+v", u, n)
		}
		if n.deletingDependents && !n.beingDeleted {
			t.Fatalf("node %s deletes its dependents without being deleted", u)
		}
		for d := range n.dependents {
			dep := g.nodes[d]
			if dep == nil || !dep.observed {
				t.Fatalf("node %s lists dependent %s, which is not an observed node", u, d)
			}
			found := false
			for _, r := range dep.owners {
				found = found || r.UID == u
			}
			if !found {
				t.Fatalf("node %s lists dependent %s, which does not reference it", u, d)
			}
		}
	}
}
