package registry_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/registry"
)

// deletion is the deletion state of an object as a test expects it. A nil *deletion means
// "removed from the store".
type deletion struct {
	After      time.Duration // deletionTimestamp - start
	Grace      int64
	Finalizers []string
	Generation int64
}

func stateOf(m *meta.ObjectMeta) *deletion {
	d := &deletion{Finalizers: m.Finalizers, Generation: m.Generation}
	if m.DeletionTimestamp != nil {
		d.After = m.DeletionTimestamp.Sub(start)
	} else {
		d.After = -1
	}
	if m.DeletionGracePeriodSeconds != nil {
		d.Grace = *m.DeletionGracePeriodSeconds
	} else {
		d.Grace = -1
	}
	return d
}

func boundPod(name string, mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := newPod(name)
	p.Spec.NodeName = "n1"
	for _, m := range mutate {
		m(p)
	}
	return p
}

func unboundPod(name string, mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := newPod(name)
	for _, m := range mutate {
		m(p)
	}
	return p
}

func policy(p meta.DeletionPropagation) *meta.DeletionPropagation { return &p }

func TestDelete(t *testing.T) {
	// start is truncated to the second, so deletion timestamps are exact.
	tests := []struct {
		name    string
		obj     runtime.MetaObject
		status  corev1.PodPhase // a pod phase to set after creation
		opts    store.DeleteOptions
		want    errCheck
		removed bool
		state   *deletion // when kept
	}{
		{name: "an object without finalizers is removed", obj: newConfigMap("c"), want: noError, removed: true},
		{name: "an object with finalizers is kept with a deletion timestamp",
			obj: newConfigMap("c", "example.com/a"), want: noError,
			state: &deletion{After: 0, Grace: 0, Finalizers: []string{"example.com/a"}, Generation: 2}},
		{name: "Orphan adds the orphan finalizer", obj: newConfigMap("c"),
			opts: store.DeleteOptions{PropagationPolicy: policy(meta.DeletePropagationOrphan)}, want: noError,
			state: &deletion{After: 0, Grace: 0, Finalizers: []string{"orphan"}, Generation: 2}},
		{name: "Foreground adds foregroundDeletion and drops orphan", obj: newConfigMap("c", "orphan", "example.com/a"),
			opts: store.DeleteOptions{PropagationPolicy: policy(meta.DeletePropagationForeground)}, want: noError,
			state: &deletion{After: 0, Grace: 0, Finalizers: []string{"example.com/a", "foregroundDeletion"}, Generation: 2}},
		{name: "Background drops the collector's finalizers and removes", obj: newConfigMap("c", "orphan"),
			opts: store.DeleteOptions{PropagationPolicy: policy(meta.DeletePropagationBackground)}, want: noError, removed: true},
		{name: "a bound pod is deleted gracefully with its terminationGracePeriodSeconds",
			obj: boundPod("p"), want: noError,
			state: &deletion{After: 30 * time.Second, Grace: 30, Generation: 2}},
		{name: "a bound pod's own grace period counts",
			obj: boundPod("p", func(p *corev1.Pod) { p.Spec.TerminationGracePeriodSeconds = ptr[int64](5) }), want: noError,
			state: &deletion{After: 5 * time.Second, Grace: 5, Generation: 2}},
		{name: "GracePeriodSeconds overrides it", obj: boundPod("p"),
			opts: store.DeleteOptions{GracePeriodSeconds: ptr[int64](10)}, want: noError,
			state: &deletion{After: 10 * time.Second, Grace: 10, Generation: 2}},
		{name: "a negative grace period is one second", obj: boundPod("p"),
			opts: store.DeleteOptions{GracePeriodSeconds: ptr[int64](-5)}, want: noError,
			state: &deletion{After: time.Second, Grace: 1, Generation: 2}},
		{name: "grace 0 removes a bound pod at once", obj: boundPod("p"),
			opts: store.DeleteOptions{GracePeriodSeconds: ptr[int64](0)}, want: noError, removed: true},
		{name: "an unbound pod is removed at once", obj: newPod("p"), want: noError, removed: true},
		{name: "a succeeded pod is removed at once", obj: boundPod("p"), status: corev1.PodSucceeded, want: noError, removed: true},
		{name: "a failed pod is removed at once", obj: boundPod("p"), status: corev1.PodFailed, want: noError, removed: true},
		{name: "a bound pod with a finalizer and grace 0 is kept",
			obj:  boundPod("p", func(p *corev1.Pod) { p.Finalizers = []string{"example.com/a"} }),
			opts: store.DeleteOptions{GracePeriodSeconds: ptr[int64](0)}, want: noError,
			state: &deletion{After: 0, Grace: 0, Finalizers: []string{"example.com/a"}, Generation: 2}},
		{name: "an unbound pod with a finalizer is kept with grace 0",
			obj:  unboundPod("p", func(p *corev1.Pod) { p.Finalizers = []string{"example.com/a"} }),
			want: noError, state: &deletion{After: 0, Grace: 0, Finalizers: []string{"example.com/a"}, Generation: 2}},
		{name: "a UID precondition that fails is a Conflict", obj: newConfigMap("c"),
			opts: store.DeleteOptions{Preconditions: &meta.Preconditions{UID: ptr[meta.UID]("other")}}, want: isConflict},
		{name: "a resourceVersion precondition that fails is a Conflict", obj: newConfigMap("c"),
			opts: store.DeleteOptions{Preconditions: &meta.Preconditions{ResourceVersion: ptr("999")}}, want: isConflict},
		{name: "an unknown propagation policy is Invalid", obj: newConfigMap("c"),
			opts: store.DeleteOptions{PropagationPolicy: policy("Sideways")}, want: isInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, registry.Options{})
			gr := configMapsGR
			if _, ok := tc.obj.(*corev1.Pod); ok {
				gr = podsGR
			}
			created, err := h.reg.Create(h.ctx, gr, tc.obj)
			if err != nil {
				t.Fatal(err)
			}
			if tc.status != "" {
				p := created.(*corev1.Pod)
				p.Status.Phase = tc.status
				if created, err = h.podStatus.Update(h.ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			m := created.GetObjectMeta()
			out, err := h.reg.Delete(h.ctx, gr, m.Namespace, m.Name, tc.opts)
			checkErr(t, "delete", err, tc.want)
			stored, gerr := h.reg.Get(h.ctx, gr, m.Namespace, m.Name, store.GetOptions{})
			if err != nil {
				if gerr != nil || stored.GetObjectMeta().ResourceVersion != m.ResourceVersion {
					t.Errorf("a failed delete changed the object: %v", gerr)
				}
				return
			}
			if tc.removed {
				checkErr(t, "get after delete", gerr, isNotFound)
				if out.GetObjectMeta().UID != m.UID {
					t.Errorf("delete returned another object")
				}
				rv, _ := strconv.Atoi(out.GetObjectMeta().ResourceVersion)
				prev, _ := strconv.Atoi(m.ResourceVersion)
				if rv <= prev {
					t.Errorf("returned resourceVersion %d, want the removal's, after %d", rv, prev)
				}
				return
			}
			if gerr != nil {
				t.Fatalf("get after a delete that keeps the object: %v", gerr)
			}
			if d := cmp.Diff(runtime.Object(stored), runtime.Object(out)); d != "" {
				t.Errorf("Delete's result is not the stored object (-stored +result):\n%s", d)
			}
			if d := cmp.Diff(tc.state, stateOf(stored.GetObjectMeta())); d != "" {
				t.Errorf("deletion state (-want +got):\n%s", d)
			}
		})
	}
}

func TestDeleteNotFound(t *testing.T) {
	h := newHarness(t, registry.Options{})
	_, err := h.cms.Delete(h.ctx, "ns", "missing", store.DeleteOptions{})
	checkErr(t, "delete", err, isNotFound)
}

// A second Delete of an object being deleted: unchanged, shortened, or the end.
func TestDeleteAgain(t *testing.T) {
	tests := []struct {
		name       string
		finalizers []string
		first      *int64 // grace of the first delete (nil: the pod's 30)
		step       time.Duration
		second     store.DeleteOptions
		removed    bool
		changed    bool
		state      *deletion
	}{
		{name: "no grace period given: unchanged",
			state: &deletion{After: 30 * time.Second, Grace: 30, Generation: 2}},
		{name: "a longer grace period: unchanged", second: store.DeleteOptions{GracePeriodSeconds: ptr[int64](60)},
			state: &deletion{After: 30 * time.Second, Grace: 30, Generation: 2}},
		{name: "a shorter grace period moves the timestamp earlier", second: store.DeleteOptions{GracePeriodSeconds: ptr[int64](10)},
			changed: true, state: &deletion{After: 10 * time.Second, Grace: 10, Generation: 2}},
		{name: "a shorter grace period later keeps the original start", step: 5 * time.Second,
			second:  store.DeleteOptions{GracePeriodSeconds: ptr[int64](10)},
			changed: true, state: &deletion{After: 10 * time.Second, Grace: 10, Generation: 2}},
		{name: "the node agent's grace 0 removes the pod", second: store.DeleteOptions{GracePeriodSeconds: ptr[int64](0)}, removed: true},
		{name: "grace 0 with a finalizer keeps it with grace 0", finalizers: []string{"example.com/a"},
			second:  store.DeleteOptions{GracePeriodSeconds: ptr[int64](0)},
			changed: true, state: &deletion{After: 0, Grace: 0, Finalizers: []string{"example.com/a"}, Generation: 2}},
		{name: "a policy does not change a pending graceful deletion",
			second: store.DeleteOptions{PropagationPolicy: policy(meta.DeletePropagationForeground)},
			state:  &deletion{After: 30 * time.Second, Grace: 30, Generation: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, registry.Options{})
			mustCreate(t, h, h.pods, boundPod("p", func(p *corev1.Pod) { p.Finalizers = tc.finalizers }))
			first, err := h.pods.Delete(h.ctx, "ns", "p", store.DeleteOptions{GracePeriodSeconds: tc.first})
			if err != nil {
				t.Fatal(err)
			}
			h.clk.Step(tc.step)
			out, err := h.pods.Delete(h.ctx, "ns", "p", tc.second)
			if err != nil {
				t.Fatal(err)
			}
			stored, gerr := h.pods.Get(h.ctx, "ns", "p", store.GetOptions{})
			if tc.removed {
				checkErr(t, "get", gerr, isNotFound)
				return
			}
			if gerr != nil {
				t.Fatal(gerr)
			}
			if d := cmp.Diff(stored, out); d != "" {
				t.Errorf("result is not the stored object (-stored +result):\n%s", d)
			}
			if changed := stored.ResourceVersion != first.ResourceVersion; changed != tc.changed {
				t.Errorf("written: %v, want %v", changed, tc.changed)
			}
			if d := cmp.Diff(tc.state, stateOf(&stored.ObjectMeta)); d != "" {
				t.Errorf("deletion state (-want +got):\n%s", d)
			}
		})
	}
}

func TestDeleteAgainWithFinalizers(t *testing.T) {
	h := newHarness(t, registry.Options{})
	mustCreate(t, h, h.cms, newConfigMap("c", "example.com/a"))
	first, err := h.cms.Delete(h.ctx, "ns", "c", store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h.clk.Step(time.Minute)
	again, err := h.cms.Delete(h.ctx, "ns", "c", store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.ResourceVersion != first.ResourceVersion {
		t.Errorf("a repeated delete wrote: %s -> %s", first.ResourceVersion, again.ResourceVersion)
	}
	// Kubernetes lets a Delete change the collector's finalizers of an object whose deletion
	// has no grace period pending; the timestamp stays the first one.
	fg, err := h.cms.Delete(h.ctx, "ns", "c", store.DeleteOptions{PropagationPolicy: policy(meta.DeletePropagationForeground)})
	if err != nil {
		t.Fatal(err)
	}
	want := &deletion{After: 0, Grace: 0, Finalizers: []string{"example.com/a", "foregroundDeletion"}, Generation: 2}
	if d := cmp.Diff(want, stateOf(&fg.ObjectMeta)); d != "" {
		t.Errorf("deletion state (-want +got):\n%s", d)
	}
}

func TestNamespaceDeletionTerminates(t *testing.T) {
	h := newHarness(t, registry.Options{})
	nss := store.For[*corev1.Namespace](h.reg, namespacesGR)
	mustCreate(t, h, nss, &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "team", Finalizers: []string{"example.com/a"}}})
	out, err := nss.Delete(h.ctx, "", "team", store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status.Phase != corev1.NamespaceTerminating || out.DeletionTimestamp == nil {
		t.Errorf("phase %q, deletionTimestamp %v; want Terminating and set", out.Status.Phase, out.DeletionTimestamp)
	}
	mustCreate(t, h, nss, &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "empty"}})
	if _, err := nss.Delete(h.ctx, "", "empty", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = nss.Get(h.ctx, "", "empty", store.GetOptions{})
	checkErr(t, "get", err, isNotFound)
}

// Dropping the last finalizer of an object being deleted removes it; the write returns the
// final state and watchers see Modified then Deleted.
func TestLastFinalizerRemoval(t *testing.T) {
	type writer func(h *harness, c *corev1.ConfigMap, finalizers []string) (*corev1.ConfigMap, error)
	update := func(h *harness, c *corev1.ConfigMap, f []string) (*corev1.ConfigMap, error) {
		req := c.DeepCopy()
		req.Finalizers = f
		return h.cms.Update(h.ctx, req)
	}
	guaranteed := func(h *harness, c *corev1.ConfigMap, f []string) (*corev1.ConfigMap, error) {
		return h.cms.GuaranteedUpdate(h.ctx, c.Namespace, c.Name, func(cur *corev1.ConfigMap) (*corev1.ConfigMap, error) {
			cur.Finalizers = f
			return cur, nil
		}, store.UpdateOptions{})
	}
	for _, tc := range []struct {
		name  string
		write writer
	}{{"Update", update}, {"GuaranteedUpdate", guaranteed}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, registry.Options{})
			mustCreate(t, h, h.cms, newConfigMap("c", "example.com/a", "example.com/b"))
			w, err := h.cms.Watch(h.ctx, "ns", store.WatchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Stop()
			deleting, err := h.cms.Delete(h.ctx, "ns", "c", store.DeleteOptions{})
			if err != nil {
				t.Fatal(err)
			}
			one, err := tc.write(h, deleting, []string{"example.com/b"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.cms.Get(h.ctx, "ns", "c", store.GetOptions{}); err != nil {
				t.Fatalf("removed before the last finalizer: %v", err)
			}
			final, err := tc.write(h, one, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(final.Finalizers) != 0 || final.DeletionTimestamp == nil {
				t.Errorf("final state: finalizers %v, deletionTimestamp %v", final.Finalizers, final.DeletionTimestamp)
			}
			_, err = h.cms.Get(h.ctx, "ns", "c", store.GetOptions{})
			checkErr(t, "get after the last finalizer", err, isNotFound)

			var got []string
			for range 4 {
				select {
				case ev := <-w.ResultChan():
					got = append(got, string(ev.Type)+" "+ev.Object.ResourceVersion+" "+strconv.Itoa(len(ev.Object.Finalizers)))
				case <-time.After(10 * time.Second):
					t.Fatalf("events so far %v: timed out", got)
				}
			}
			rv := func(n int) string { r, _ := strconv.Atoi(deleting.ResourceVersion); return strconv.Itoa(r + n) }
			want := []string{
				string(watch.Modified) + " " + rv(0) + " 2",
				string(watch.Modified) + " " + rv(1) + " 1",
				string(watch.Modified) + " " + rv(2) + " 0",
				string(watch.Deleted) + " " + rv(3) + " 0",
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("events (-want +got):\n%s", d)
			}
			if final.ResourceVersion != rv(3) {
				t.Errorf("final resourceVersion %s, want the removal's %s", final.ResourceVersion, rv(3))
			}
		})
	}
}

// A pod in graceful deletion is not removed when its finalizers go: the node agent's grace-0
// delete removes it, as in Kubernetes.
func TestGracefulPodFinalizerRemoval(t *testing.T) {
	h := newHarness(t, registry.Options{})
	mustCreate(t, h, h.pods, boundPod("p", func(p *corev1.Pod) { p.Finalizers = []string{"example.com/a"} }))
	deleting, err := h.pods.Delete(h.ctx, "ns", "p", store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if *deleting.DeletionGracePeriodSeconds != 30 {
		t.Fatalf("grace %d, want 30", *deleting.DeletionGracePeriodSeconds)
	}
	req := deleting.DeepCopy()
	req.Finalizers = nil
	if _, err := h.pods.Update(h.ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := h.pods.Get(h.ctx, "ns", "p", store.GetOptions{}); err != nil {
		t.Fatalf("the pod went before its grace period: %v", err)
	}
	uid := deleting.UID
	if _, err := h.pods.Delete(h.ctx, "ns", "p", store.DeleteOptions{GracePeriodSeconds: ptr[int64](0), Preconditions: &meta.Preconditions{UID: &uid}}); err != nil {
		t.Fatal(err)
	}
	_, err = h.pods.Get(h.ctx, "ns", "p", store.GetOptions{})
	checkErr(t, "get", err, isNotFound)
}

// An object left finalized (deletion timestamp, grace 0, no finalizers) by a write straight
// to the backend is removed by the next write or delete through the registry.
func TestFinalizedLeftoverIsRemoved(t *testing.T) {
	for _, via := range []string{"status update", "delete"} {
		t.Run(via, func(t *testing.T) {
			h := newHarness(t, registry.Options{})
			p := mustCreate(t, h, h.pods, newPod("p"))
			ts := meta.NewTime(start)
			p.DeletionTimestamp = &ts
			p.DeletionGracePeriodSeconds = ptr[int64](0)
			if _, err := store.For[*corev1.Pod](h.mem, podsGR).Update(h.ctx, p); err != nil {
				t.Fatal(err)
			}
			var err error
			if via == "delete" {
				_, err = h.pods.Delete(h.ctx, "ns", "p", store.DeleteOptions{})
			} else {
				_, err = h.podStatus.GuaranteedUpdate(h.ctx, "ns", "p", func(c *corev1.Pod) (*corev1.Pod, error) {
					c.Status.Phase = corev1.PodRunning
					return c, nil
				}, store.UpdateOptions{})
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = h.pods.Get(h.ctx, "ns", "p", store.GetOptions{})
			checkErr(t, "get", err, isNotFound)
		})
	}
}

func TestCreateInTerminatingNamespace(t *testing.T) {
	h := newHarness(t, registry.Options{})
	nss := store.For[*corev1.Namespace](h.reg, namespacesGR)
	mustCreate(t, h, nss, &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "ns", Finalizers: []string{"example.com/a"}}})
	mustCreate(t, h, h.cms, newConfigMap("before"))
	if _, err := nss.Delete(h.ctx, "", "ns", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := h.cms.Create(h.ctx, newConfigMap("after"))
	if !apierrors.IsForbidden(err) || !apierrors.HasStatusCause(err, registry.NamespaceTerminatingCause) {
		t.Fatalf("create in a terminating namespace: %v, want Forbidden with a NamespaceTerminating cause", err)
	}
	// Updates and deletes in it go on; other namespaces, existing or not, are open.
	if _, err := h.cms.Delete(h.ctx, "ns", "before", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	other := newConfigMap("c")
	other.Namespace = "never-created"
	if _, err := h.cms.Create(h.ctx, other); err != nil {
		t.Fatalf("create in a namespace that does not exist: %v", err)
	}
}
