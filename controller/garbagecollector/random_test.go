package garbagecollector

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

var (
	seeds     = flag.Uint64("gc.seeds", 12, "number of seeds TestRandomized runs")
	firstSeed = flag.Uint64("gc.seed", 1, "first seed of TestRandomized")
)

// model is what the store must hold: every object by name, with the names of its owners.
type model struct {
	objs map[string]*modelObj
}

type modelObj struct {
	gr     schema.GroupResource
	ns     string
	name   string
	owners []string
}

func (m *model) state() map[string][]string {
	out := map[string][]string{}
	for _, o := range m.objs {
		owners := slices.Clone(o.owners)
		if owners == nil {
			owners = []string{}
		}
		sort.Strings(owners)
		out[objName(o.gr, o.ns, o.name)] = owners
	}
	return out
}

// collect applies garbage collection to a fixpoint: an object with owners none of which exists
// is deleted; survivors lose their references to owners that do not exist.
func (m *model) collect() {
	for changed := true; changed; {
		changed = false
		for name, o := range m.objs {
			if len(o.owners) > 0 && !slices.ContainsFunc(o.owners, func(n string) bool { return m.objs[n] != nil }) {
				delete(m.objs, name)
				changed = true
			}
		}
	}
	for _, o := range m.objs {
		o.owners = slices.DeleteFunc(o.owners, func(n string) bool { return m.objs[n] == nil })
	}
}

// delete applies the deletion of name with policy.
func (m *model) delete(name string, policy meta.DeletionPropagation) {
	delete(m.objs, name)
	if policy == meta.DeletePropagationOrphan {
		for _, o := range m.objs {
			o.owners = slices.DeleteFunc(o.owners, func(n string) bool { return n == name })
		}
		return
	}
	m.collect()
}

// closure returns name and its transitive dependents.
func (m *model) closure(name string) map[string]bool {
	out := map[string]bool{name: true}
	for changed := true; changed; {
		changed = false
		for n, o := range m.objs {
			if !out[n] && slices.ContainsFunc(o.owners, func(x string) bool { return out[x] }) {
				out[n] = true
				changed = true
			}
		}
	}
	return out
}

func (m *model) names() []string {
	out := make([]string, 0, len(m.objs))
	for n := range m.objs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// TestRandomized builds random graphs of owners and dependents (configmaps and secrets, with
// cluster roles as cluster-scoped owners; mostly forests, with a few cycles), some with
// dangling references from the start, and
// deletes random objects with random policies, several at once when their subtrees are
// disjoint. After each round the store must hold exactly what Kubernetes' semantics leave:
// nothing that should survive is deleted, and no survivor keeps a reference to an owner that
// does not exist.
func TestRandomized(t *testing.T) {
	for seed := *firstSeed; seed < *firstSeed+*seeds; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { randomRun(t, seed) })
	}
}

func randomRun(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x9c))
	e := newEnv(t, Options{Workers: 1 + rng.IntN(6)})
	m := &model{objs: map[string]*modelObj{}}
	created := map[string]runtime.MetaObject{}
	var order []string
	n := 25 + rng.IntN(25)
	for i := range n {
		name := fmt.Sprintf("o%02d", i)
		clusterScoped := i < 6 && rng.IntN(2) == 0
		var refs []meta.OwnerReference
		var owners []string
		for range rng.IntN(3) {
			if len(order) == 0 {
				break
			}
			owner := order[rng.IntN(len(order))]
			if slices.Contains(owners, owner) || (clusterScoped && m.objs[owner].ns != "") {
				continue
			}
			owners = append(owners, owner)
			refs = append(refs, ref(created[owner], rng.IntN(2) == 0))
		}
		if rng.IntN(10) == 0 {
			ghost := fmt.Sprintf("ghost-%02d", i)
			owners = append(owners, ghost)
			r := meta.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: ghost, UID: meta.UID("uid-" + ghost)}
			if clusterScoped {
				// (a cluster-scoped object's reference to a namespaced kind never resolves)
				r.APIVersion, r.Kind = "rbac.authorization.k8s.io/v1", "ClusterRole"
			}
			refs = append(refs, r)
		}
		var obj runtime.MetaObject
		o := &modelObj{name: name, owners: owners}
		switch {
		case clusterScoped:
			o.gr, obj = clusterRolesGR, clusterRole(name, refs...)
		case rng.IntN(2) == 0:
			o.gr, o.ns, obj = configMapsGR, "ns", configMap("ns", name, refs...)
		default:
			o.gr, o.ns, obj = secretsGR, "ns", secret("ns", name, refs...)
		}
		created[name] = e.create(o.gr, obj)
		m.objs[name] = o
		order = append(order, name)
	}
	// A few references point forward, closing cycles of ownership.
	for _, name := range slices.Clone(order) {
		if rng.IntN(8) != 0 {
			continue
		}
		o := m.objs[name]
		owner := order[rng.IntN(len(order))]
		if owner == name || slices.Contains(o.owners, owner) || (o.ns == "" && m.objs[owner].ns != "") {
			continue
		}
		r := ref(created[owner], rng.IntN(2) == 0)
		_, err := e.reg.GuaranteedUpdate(e.ctx, o.gr, o.ns, name, func(cur runtime.MetaObject) (runtime.MetaObject, error) {
			m := cur.GetObjectMeta()
			m.OwnerReferences = append(m.OwnerReferences, r)
			return cur, nil
		}, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		o.owners = append(o.owners, owner)
	}
	// Owners deleted before the collector starts leave dangling references.
	for range rng.IntN(3) {
		names := m.names()
		victim := m.objs[names[rng.IntN(len(names))]]
		e.delete(victim.gr, victim.ns, victim.name, meta.DeletePropagationBackground)
		delete(m.objs, victim.name)
	}
	m.collect()
	e.run()
	e.want(fmt.Sprintf("seed %d: initial collection", seed), m.state())

	policies := []meta.DeletionPropagation{meta.DeletePropagationBackground, meta.DeletePropagationForeground, meta.DeletePropagationOrphan}
	for round := 0; round < 8 && len(m.objs) > 0; round++ {
		e.waitObserved()
		names := m.names()
		taken := map[string]bool{}
		type deletion struct {
			o      *modelObj
			policy meta.DeletionPropagation
		}
		var batch []deletion
		for range 1 + rng.IntN(3) {
			name := names[rng.IntN(len(names))]
			cl := m.closure(name)
			disjoint := true
			for x := range cl {
				if taken[x] {
					disjoint = false
				}
			}
			if !disjoint {
				continue
			}
			for x := range cl {
				taken[x] = true
			}
			batch = append(batch, deletion{m.objs[name], policies[rng.IntN(len(policies))]})
		}
		var what []string
		for _, d := range batch {
			e.delete(d.o.gr, d.o.ns, d.o.name, d.policy)
			what = append(what, fmt.Sprintf("%s(%s)", d.o.name, d.policy))
		}
		for _, d := range batch {
			m.delete(d.o.name, d.policy)
		}
		e.want(fmt.Sprintf("seed %d round %d: after deleting %v", seed, round, what), m.state())
	}
}
