package garbagecollector

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/controller/record"
	"github.com/cellkit/cellkit/store"
)

// want waits until the store holds exactly want (object -> sorted owner names).
func (e *env) want(what string, want map[string][]string) {
	e.t.Helper()
	e.eventually(what, func() (bool, string) {
		got := e.state()
		if d := cmp.Diff(want, got); d != "" {
			return false, "(-want +got)\n" + d
		}
		return true, ""
	})
}

func TestBackgroundCascade(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	d := e.create(deploymentsGR, deployment("ns", "web"))
	rs := e.create(replicaSetsGR, replicaSet("ns", "web-1", "web", controllerRef(d)))
	for _, name := range []string{"web-1-a", "web-1-b", "web-1-c"} {
		e.create(podsGR, pod("ns", name, controllerRef(rs)))
	}
	other := e.create(deploymentsGR, deployment("ns", "other"))
	e.create(podsGR, pod("ns", "other-a", controllerRef(other)))
	e.create(podsGR, pod("ns", "loner"))
	e.waitObserved()

	e.delete(deploymentsGR, "ns", "web", meta.DeletePropagationBackground)
	e.want("the deployment's replica set and pods are collected", map[string][]string{
		"deployments ns/other": {},
		"pods ns/other-a":      {"other"},
		"pods ns/loner":        {},
	})
}

func TestOrphan(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	d := e.create(deploymentsGR, deployment("ns", "web"))
	rs := e.create(replicaSetsGR, replicaSet("ns", "web-1", "web", controllerRef(d)))
	e.create(podsGR, pod("ns", "web-1-a", controllerRef(rs)))
	e.create(podsGR, pod("ns", "web-1-b", controllerRef(rs), ref(d, false)))
	e.waitObserved()

	e.delete(replicaSetsGR, "ns", "web-1", meta.DeletePropagationOrphan)
	e.want("the replica set is gone, its pods stay without a reference to it", map[string][]string{
		"deployments ns/web": {},
		"pods ns/web-1-a":    {},
		"pods ns/web-1-b":    {"web"},
	})
	e.waitObserved()

	// The orphaned pods are the deployment's no more; the one it still owns goes with it.
	e.delete(deploymentsGR, "ns", "web", meta.DeletePropagationBackground)
	e.want("only the pod still owned by the deployment is collected", map[string][]string{
		"pods ns/web-1-a": {},
	})
}

func TestMultipleOwners(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	a := e.create(configMapsGR, configMap("ns", "a"))
	b := e.create(secretsGR, secret("ns", "b"))
	e.create(configMapsGR, configMap("ns", "shared", ref(a, true), ref(b, false)))
	e.create(configMapsGR, configMap("ns", "only-a", ref(a, false)))
	e.waitObserved()

	e.delete(configMapsGR, "ns", "a", meta.DeletePropagationBackground)
	e.want("the shared dependent survives and loses the reference to the deleted owner", map[string][]string{
		"secrets ns/b":         {},
		"configmaps ns/shared": {"b"},
	})
	e.waitObserved()
	e.delete(secretsGR, "ns", "b", meta.DeletePropagationBackground)
	e.want("the dependent goes with its last owner", map[string][]string{})
}

func TestForegroundWaitsForBlockingDependents(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	d := e.create(deploymentsGR, deployment("ns", "web"))
	rs := e.create(replicaSetsGR, replicaSet("ns", "web-1", "web", controllerRef(d)))
	e.create(podsGR, pod("ns", "web-1-a", controllerRef(rs)))
	held := pod("ns", "web-1-b", controllerRef(rs))
	held.Finalizers = []string{"test.cellkit.io/hold"}
	e.create(podsGR, held)
	e.create(podsGR, pod("ns", "web-1-c", ref(rs, false)))
	e.create(configMapsGR, configMap("ns", "web-config", ref(d, false)))
	e.waitObserved()
	rec := e.recordDeletions(deploymentsGR, replicaSetsGR, podsGR, configMapsGR)

	e.delete(deploymentsGR, "ns", "web", meta.DeletePropagationForeground)
	// The held pod cannot go: its replica set, deleted in the foreground because it has
	// dependents, waits for it, and the deployment waits for the replica set.
	e.eventually("everything but the held pod and its owners is gone", func() (bool, string) {
		got := e.state()
		want := map[string][]string{
			"deployments ns/web":   {},
			"replicasets ns/web-1": {"web"},
			"pods ns/web-1-b":      {"web-1"},
		}
		if d := cmp.Diff(want, got); d != "" {
			return false, d
		}
		return e.idle()
	})
	for _, o := range []struct {
		name string
		get  func() runtime.MetaObject
	}{
		{"deployment", func() runtime.MetaObject { return e.get(deploymentsGR, "ns", "web") }},
		{"replica set", func() runtime.MetaObject { return e.get(replicaSetsGR, "ns", "web-1") }},
	} {
		m := o.get().GetObjectMeta()
		if m.DeletionTimestamp == nil || !slices.Contains(m.Finalizers, FinalizerForeground) {
			t.Errorf("%s: deletionTimestamp %v finalizers %v, want it deleted in the foreground", o.name, m.DeletionTimestamp, m.Finalizers)
		}
	}

	// Releasing the pod lets the whole chain go, owners after their blocking dependents.
	_, err := e.reg.GuaranteedUpdate(e.ctx, podsGR, "ns", "web-1-b", func(cur runtime.MetaObject) (runtime.MetaObject, error) {
		cur.GetObjectMeta().Finalizers = nil
		return cur, nil
	}, store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.want("the chain is gone", map[string][]string{})
	e.eventually("every removal recorded", func() (bool, string) {
		for _, n := range []string{"deployments ns/web", "replicasets ns/web-1", "pods ns/web-1-a", "pods ns/web-1-b"} {
			if rec.rev(n) == 0 {
				return false, n + ": removal not seen"
			}
		}
		return true, ""
	})
	for _, c := range []struct{ owner, dependent string }{
		{"deployments ns/web", "replicasets ns/web-1"},
		{"replicasets ns/web-1", "pods ns/web-1-a"},
		{"replicasets ns/web-1", "pods ns/web-1-b"},
	} {
		if o, d := rec.rev(c.owner), rec.rev(c.dependent); o == 0 || d == 0 || o <= d {
			t.Errorf("%s removed at revision %d, its blocking dependent %s at %d: want the owner after", c.owner, o, c.dependent, d)
		}
	}
}

func TestOwnerRecreatedWithNewUID(t *testing.T) {
	for _, running := range []bool{false, true} {
		name := "before the collector starts"
		if running {
			name = "while the collector runs"
		}
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Options{})
			if running {
				e.run()
			}
			old := e.create(configMapsGR, configMap("ns", "owner"))
			e.create(configMapsGR, configMap("ns", "of-old", ref(old, true)))
			e.create(podsGR, pod("ns", "also-of-old", ref(old, false)))
			if running {
				e.waitObserved()
			}
			e.delete(configMapsGR, "ns", "owner", meta.DeletePropagationBackground)
			cur := e.create(configMapsGR, configMap("ns", "owner"))
			e.create(configMapsGR, configMap("ns", "of-new", ref(cur, true)))
			if !running {
				e.run()
			}
			e.want("the dependents of the old UID are collected, the new owner's stays", map[string][]string{
				"configmaps ns/owner":  {},
				"configmaps ns/of-new": {"owner"},
			})
		})
	}
}

func TestDanglingReferencesOnStartup(t *testing.T) {
	e := newEnv(t, Options{})
	gone := e.create(configMapsGR, configMap("ns", "gone"))
	e.delete(configMapsGR, "ns", "gone", meta.DeletePropagationBackground)
	live := e.create(secretsGR, secret("ns", "live"))
	never := meta.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "never", UID: "no-such-uid"}
	e.create(configMapsGR, configMap("ns", "of-gone", ref(gone, true)))
	e.create(configMapsGR, configMap("ns", "of-never", never))
	e.create(configMapsGR, configMap("ns", "of-gone-and-live", ref(gone, false), ref(live, false)))
	e.create(configMapsGR, configMap("ns", "of-live", ref(live, false)))
	// A chain under a dangling reference goes entirely.
	top := e.create(configMapsGR, configMap("ns", "top", ref(gone, false)))
	e.create(podsGR, pod("ns", "under-top", ref(top, true)))

	e.run()
	e.want("dependents of missing owners are collected; live owners keep theirs", map[string][]string{
		"secrets ns/live":                {},
		"configmaps ns/of-gone-and-live": {"live"},
		"configmaps ns/of-live":          {"live"},
	})
	if n, v := e.gc.graph.size(); v != 0 {
		t.Errorf("graph holds %d nodes, %d virtual, want no virtual node left", n, v)
	}
}

func TestOwnerResolution(t *testing.T) {
	e := newEnv(t, Options{})
	rec, err := record.New(record.Options{Client: record.ForStore(e.reg), Scheme: e.scheme, Component: "garbage-collector", Clock: e.clk})
	if err != nil {
		t.Fatal(err)
	}
	e.gc.recorder = rec
	recDone := make(chan error, 1)
	go func() { recDone <- rec.Run(e.ctx) }()
	t.Cleanup(func() {
		e.cancel()
		<-recDone
	})
	e.run()
	// An owner in another namespace: the reference is looked up in the dependent's
	// namespace, where it does not exist.
	a := e.create(configMapsGR, configMap("a", "owner"))
	e.create(configMapsGR, configMap("a", "same-namespace", ref(a, false)))
	e.create(configMapsGR, configMap("b", "cross-namespace", ref(a, false)))
	// A cluster-scoped owner of namespaced dependents.
	cr := e.create(clusterRolesGR, clusterRole("cluster-owner"))
	e.create(configMapsGR, configMap("a", "of-cluster", ref(cr, false)))
	e.create(clusterRolesGR, clusterRole("cluster-dependent", ref(cr, true)))
	// A cluster-scoped object naming a namespaced kind: never resolves, left alone.
	e.create(clusterRolesGR, clusterRole("invalid", ref(a, false)))
	// A reference whose kind or name is wrong for the UID it carries.
	wrongKind := ref(a, false)
	wrongKind.Kind = "Secret"
	e.create(configMapsGR, configMap("a", "wrong-kind", wrongKind))
	wrongName := ref(a, false)
	wrongName.Name = "other"
	e.create(configMapsGR, configMap("a", "wrong-name", wrongName))
	want := map[string][]string{
		"configmaps a/owner":             {},
		"configmaps a/same-namespace":    {"owner"},
		"clusterroles cluster-owner":     {},
		"configmaps a/of-cluster":        {"cluster-owner"},
		"clusterroles cluster-dependent": {"cluster-owner"},
		"clusterroles invalid":           {"owner"},
	}
	e.eventually("references that do not resolve to their owner are collected", func() (bool, string) {
		if d := cmp.Diff(want, e.state()); d != "" {
			return false, d
		}
		return e.idle()
	})

	// Both kinds of invalid references are reported as Kubernetes does.
	e.eventually("events about invalid references", func() (bool, string) {
		l, err := e.reg.List(e.ctx, eventsGR, "", store.ListOptions{})
		if err != nil {
			return false, err.Error()
		}
		var got []string
		for _, obj := range l.Items {
			ev := obj.(*corev1.Event)
			if ev.Reason == "OwnerRefInvalidNamespace" && ev.Type == corev1.EventTypeWarning {
				got = append(got, ev.InvolvedObject.Kind+" "+ev.InvolvedObject.Name)
			}
		}
		slices.Sort(got)
		got = slices.Compact(got)
		want := []string{"ClusterRole invalid", "ConfigMap cross-namespace"}
		return cmp.Equal(want, got), fmt.Sprintf("events about %v, want %v", got, want)
	})

	e.delete(clusterRolesGR, "", "cluster-owner", meta.DeletePropagationBackground)
	delete(want, "clusterroles cluster-owner")
	delete(want, "configmaps a/of-cluster")
	delete(want, "clusterroles cluster-dependent")
	e.want("dependents of the cluster-scoped owner follow it", want)
}

func TestForegroundThroughOwnershipCycle(t *testing.T) {
	for _, c := range []struct {
		name string
		// both deletes both objects in the foreground before the collector starts: each then
		// waits for the other from the start.
		both bool
	}{
		{name: "one owner deleted"},
		{name: "both deleted before the collector starts", both: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, Options{})
			if !c.both {
				e.run()
			}
			a := e.create(configMapsGR, configMap("ns", "a"))
			b := e.create(configMapsGR, configMap("ns", "b", ref(a, true)))
			// a and b own each other, both blocking: waiting for each other would never end.
			_, err := e.reg.GuaranteedUpdate(e.ctx, configMapsGR, "ns", "a", func(cur runtime.MetaObject) (runtime.MetaObject, error) {
				cur.GetObjectMeta().OwnerReferences = []meta.OwnerReference{ref(b, true)}
				return cur, nil
			}, store.UpdateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			e.create(configMapsGR, configMap("ns", "bystander"))
			if !c.both {
				e.waitObserved()
			}
			e.delete(configMapsGR, "ns", "a", meta.DeletePropagationForeground)
			if c.both {
				e.delete(configMapsGR, "ns", "b", meta.DeletePropagationForeground)
				e.run()
			}
			e.want("the cycle is collected", map[string][]string{"configmaps ns/bystander": {}})
		})
	}
}

func TestUntrackedOwner(t *testing.T) {
	// Secrets are not tracked: their deletion is not seen, but their dependents are checked
	// again with backoff while the owner exists, and collected once it is gone.
	e := newEnv(t, Options{Resources: []schema.GroupResource{configMapsGR}})
	e.run()
	s := e.create(secretsGR, secret("ns", "owner"))
	e.create(configMapsGR, configMap("ns", "of-secret", ref(s, true)))
	e.eventually("the owner was verified", func() (bool, string) {
		st := e.gc.deleteQueue.Stats()
		return e.gc.deleteQueue.NumRequeues(s.GetObjectMeta().UID) > 0, fmt.Sprintf("%+v", st)
	})
	if e.get(configMapsGR, "ns", "of-secret") == nil {
		t.Fatal("the dependent of an existing untracked owner was deleted")
	}
	e.delete(secretsGR, "ns", "owner", meta.DeletePropagationBackground)
	e.want("the dependent is collected after the owner", map[string][]string{})
}

func TestUnknownOwnerKind(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	unknown := meta.OwnerReference{APIVersion: "example.com/v1", Kind: "Gizmo", Name: "g", UID: "gizmo-uid"}
	cm := e.create(configMapsGR, configMap("ns", "of-gizmo", unknown))
	// The kind may be installed later: the dependent is retried with backoff, never deleted.
	e.eventually("retries with backoff", func() (bool, string) {
		n := e.gc.deleteQueue.NumRequeues("gizmo-uid")
		return n >= 5, fmt.Sprintf("%d requeues", n)
	})
	if got := e.get(configMapsGR, "ns", "of-gizmo"); got == nil || got.GetObjectMeta().UID != cm.GetObjectMeta().UID {
		t.Fatal("the dependent of an owner of unknown kind was deleted")
	}
}

// failing fails every write to the objects named bad.
type failing struct {
	store.Interface
	bad   string
	fails atomic.Int64
}

func (f *failing) Delete(ctx context.Context, gr schema.GroupResource, ns, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	if name == f.bad {
		f.fails.Add(1)
		return nil, apierrors.NewInternalError(errors.New("injected failure"))
	}
	return f.Interface.Delete(ctx, gr, ns, name, opts)
}

func (f *failing) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, ns, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	if name == f.bad {
		f.fails.Add(1)
		return nil, apierrors.NewInternalError(errors.New("injected failure"))
	}
	return f.Interface.GuaranteedUpdate(ctx, gr, ns, name, fn, opts)
}

func TestOneBadObjectBlocksNothing(t *testing.T) {
	var bad *failing
	e := buildEnv(t, Options{Workers: 1}, func(s store.Interface) store.Interface {
		bad = &failing{Interface: s, bad: "bad"}
		return bad
	})
	e.run()
	owner := e.create(configMapsGR, configMap("ns", "owner"))
	other := e.create(secretsGR, secret("ns", "other"))
	e.create(configMapsGR, configMap("ns", "bad", ref(owner, true)))
	for _, n := range []string{"a", "b", "c"} {
		e.create(configMapsGR, configMap("ns", n, ref(owner, true)))
	}
	e.create(configMapsGR, configMap("ns", "bad-shared", ref(owner, false), ref(other, false)))
	e.waitObserved()
	e.delete(configMapsGR, "ns", "owner", meta.DeletePropagationBackground)
	// With a single worker, the dependent whose deletion keeps failing is retried with
	// backoff while the others are collected.
	e.want("every dependent but the failing one is collected", map[string][]string{
		"configmaps ns/bad":        {"owner"},
		"secrets ns/other":         {},
		"configmaps ns/bad-shared": {"other"},
	})
	e.eventually("the failing dependent is retried", func() (bool, string) {
		n := bad.fails.Load()
		return n >= 5, fmt.Sprintf("%d failed writes", n)
	})
}

func TestForegroundWaitsForGracefulPodTermination(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	rs := e.create(replicaSetsGR, replicaSet("ns", "web", "web"))
	for _, name := range []string{"web-a", "web-b"} {
		p := pod("ns", name, controllerRef(rs))
		p.Spec.NodeName = "node-1"
		e.create(podsGR, p)
	}
	e.waitObserved()
	e.delete(replicaSetsGR, "ns", "web", meta.DeletePropagationForeground)
	// The pods are bound: their deletion is graceful, and the replica set waits for it.
	e.eventually("both pods terminating, the replica set waiting", func() (bool, string) {
		for _, name := range []string{"web-a", "web-b"} {
			p := e.get(podsGR, "ns", name)
			if p == nil || p.GetObjectMeta().DeletionTimestamp == nil {
				return false, name + " not terminating"
			}
		}
		if r := e.get(replicaSetsGR, "ns", "web"); r == nil {
			return false, "the replica set is gone before its pods"
		}
		return e.idle()
	})
	// The node agent finishes the pods.
	zero := int64(0)
	for _, name := range []string{"web-a", "web-b"} {
		if _, err := e.reg.Delete(e.ctx, podsGR, "ns", name, store.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
			t.Fatal(err)
		}
		if name == "web-a" {
			e.eventually("idle after the first pod", e.idle)
			if e.get(replicaSetsGR, "ns", "web") == nil {
				t.Fatal("the replica set went while a blocking pod was still terminating")
			}
		}
	}
	e.want("the replica set follows its pods", map[string][]string{})
}
