package replicaset

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
)

func TestCandidatesIndexMatchesScan(t *testing.T) {
	e := newEnv(t, Options{})
	if !e.c.podIndexed {
		t.Fatal("the pod informer did not take the index")
	}
	web := e.createRS(newRS("web", 2, webLabels))
	db := e.createRS(newRS("db", 1, map[string]string{"app": "db"}))
	e.converge("web")
	e.converge("db")
	e.createPod(testPod("orphan-a", webLabels))
	e.createPod(testPod("orphan-b", map[string]string{"app": "other"}))
	notRS := testPod("job-pod", webLabels)
	notRS.OwnerReferences = []meta.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "j", UID: "job-uid", Controller: new(bool)}}
	*notRS.OwnerReferences[0].Controller = true
	e.createPod(notRS)
	if _, err := store.For[*corev1.Namespace](e.store, namespacesResource).Create(e.ctx, &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "elsewhere"}}); err != nil {
		t.Fatal(err)
	}
	far := testPod("far-orphan", webLabels)
	far.Namespace = "elsewhere"
	e.createPod(far)
	e.caughtUp()

	names := func(pods []*corev1.Pod) []string {
		var out []string
		for _, p := range pods {
			out = append(out, p.Namespace+"/"+p.Name)
		}
		return out
	}
	for _, rs := range []*appsv1.ReplicaSet{web, db} {
		indexed := names(e.c.candidates(rs))
		e.c.podIndexed = false
		var scanned []*corev1.Pod
		for _, p := range e.c.candidates(rs) {
			ref := meta.GetControllerOf(&p.ObjectMeta)
			if ref == nil || ref.UID == rs.UID {
				scanned = append(scanned, p)
			}
		}
		e.c.podIndexed = true
		if diff := cmp.Diff(names(scanned), indexed); diff != "" {
			t.Errorf("candidates of %s (-scan +index):\n%s", rs.Name, diff)
		}
		if len(indexed) != int(*rs.Spec.Replicas)+2 {
			t.Errorf("candidates of %s = %v, want its pods and the 2 orphans of its namespace", rs.Name, indexed)
		}
	}
}

func TestControllerOnRunningInformerScansNamespace(t *testing.T) {
	e := newEnv(t, Options{})
	// A second controller created after the factory started: the pod informer runs and
	// takes no index, so it falls back to scanning the namespace.
	late, err := New(e.f, e.store, Options{Clock: e.clk})
	if err != nil {
		t.Fatal(err)
	}
	if late.podIndexed {
		t.Fatal("an index was added to a running informer")
	}
	syncers := []informer.Syncer{}
	for _, s := range late.CacheSyncers() {
		syncers = append(syncers, s)
	}
	if err := informer.WaitForSync(e.ctx, syncers...); err != nil {
		t.Fatal(err)
	}
	rs := e.createRS(newRS("web", 3, webLabels))
	for range 5 {
		e.caughtUp()
		if _, err := late.Reconcile(e.ctx, controller.Request{Namespace: ns, Name: "web"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(e.ownedBy(rs)); got != 3 {
		t.Errorf("pods = %d, want 3", got)
	}
}

// BenchmarkSyncCrowdedNamespace measures one sync (nothing to do) of a ReplicaSet of 10 pods
// in a namespace that holds 10,000 pods of 100 other ReplicaSets, reading candidates through
// the owner index or by scanning the namespace.
func BenchmarkSyncCrowdedNamespace(b *testing.B) {
	e := newEnv(b, Options{})
	for i := range 100 {
		name := fmt.Sprintf("rs-%03d", i)
		e.createRS(newRS(name, 100, map[string]string{"app": name}))
		e.converge(name)
	}
	e.createRS(newRS("web", 10, webLabels))
	e.converge("web")
	e.caughtUp()
	for _, mode := range []struct {
		name    string
		indexed bool
	}{{"index", true}, {"scan", false}} {
		b.Run(mode.name, func(b *testing.B) {
			e.c.podIndexed = mode.indexed
			ctx := context.Background()
			b.ReportAllocs()
			for range b.N {
				if _, err := e.c.Reconcile(ctx, controller.Request{Namespace: ns, Name: "web"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	e.c.podIndexed = true
}
