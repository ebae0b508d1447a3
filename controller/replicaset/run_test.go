package replicaset

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
)

// run starts the controller's workers until the test ends.
func (e *env) run() {
	e.t.Helper()
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- e.c.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("Run: %v", err)
		}
	})
}

// waitFor blocks until cond holds, re-checking it on every change of pods or ReplicaSets in
// the store; it fails the test when that takes more than 10 seconds.
func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	changes := make(chan struct{}, 1)
	for _, gr := range []struct {
		w func() (watch.Interface[runtime.Object], error)
	}{
		{func() (watch.Interface[runtime.Object], error) {
			return e.store.Watch(ctx, podsResource, "", store.WatchOptions{})
		}},
		{func() (watch.Interface[runtime.Object], error) {
			return e.store.Watch(ctx, replicaSetsResource, "", store.WatchOptions{})
		}},
	} {
		w, err := gr.w()
		if err != nil {
			e.t.Fatal(err)
		}
		go func() {
			defer w.Stop()
			for range w.ResultChan() {
				select {
				case changes <- struct{}{}:
				default:
				}
			}
		}()
	}
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-changes:
		case <-deadline:
			e.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestRunConvergesAndAdoptsOrphans(t *testing.T) {
	e := newEnv(t, Options{Workers: 2})
	e.run()
	rs := e.createRS(newRS("web", 3, webLabels))
	e.waitFor("3 pods and their status", func() bool {
		return len(e.ownedBy(rs)) == 3 && e.getRS("web").Status.Replicas == 3
	})
	// An orphan that matches: only its own event can bring the ReplicaSet to adopt it, and
	// then one pod is too many.
	// It is made ready before its labels match, so that it is the most valuable pod.
	orphan := e.createPod(testPod("orphan", map[string]string{"app": "staging"}))
	e.setReady(orphan.Name, epoch)
	e.updatePod(orphan.Name, func(p *corev1.Pod) { p.Labels = webLabels })
	e.waitFor("the orphan adopted and the excess deleted", func() bool {
		owned := e.ownedBy(rs)
		return len(owned) == 3 && slices.Contains(owned, orphan.Name) && len(e.listPods()) == 3
	})
	e.waitFor("status of the adopted ready pod", func() bool {
		st := e.getRS("web").Status
		return st.Replicas == 3 && st.ReadyReplicas == 1 && st.AvailableReplicas == 1
	})
	// A pod deleted by someone else is replaced.
	victim := e.ownedBy(rs)[0]
	if _, err := e.pods.Delete(e.ctx, ns, victim, store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	e.waitFor("the deleted pod replaced", func() bool {
		owned := e.ownedBy(rs)
		return len(owned) == 3 && !slices.Contains(owned, victim)
	})
}

func TestRunTwice(t *testing.T) {
	e := newEnv(t, Options{})
	e.run()
	rs := e.createRS(newRS("web", 1, webLabels))
	e.waitFor("one pod", func() bool { return len(e.ownedBy(rs)) == 1 })
	if err := e.c.Run(e.ctx); !errors.Is(err, controller.ErrStarted) {
		t.Errorf("second Run: got %v, want ErrStarted", err)
	}
}

// drain returns the requests waiting in the controller's queue, sorted.
func (e *env) drain() []string {
	e.t.Helper()
	q := e.c.ctl.Queue()
	var out []string
	for q.Len() > 0 {
		r, err := q.Get(e.ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		q.Done(r)
		out = append(out, r.String())
	}
	slices.Sort(out)
	return out
}

func TestPodEventsMapToReplicaSets(t *testing.T) {
	var web, web2 *appsv1.ReplicaSet
	e := newEnvWith(t, Options{}, func(ctx context.Context, s, raw store.Interface) {
		create := func(rs *appsv1.ReplicaSet) *appsv1.ReplicaSet {
			to := s
			if rs.Spec.Selector != nil && len(rs.Spec.Selector.MatchLabels) == 0 {
				to = raw // the registry refuses an empty selector
			}
			out, err := store.For[*appsv1.ReplicaSet](to, replicaSetsResource).Create(ctx, rs)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		web = create(newRS("web", 1, webLabels))
		web2 = create(newRS("web2", 1, map[string]string{"app": "web"}))
		create(newRS("db", 1, map[string]string{"app": "db"}))
		everything := newRS("everything", 1, webLabels)
		everything.Spec.Selector = &meta.LabelSelector{}
		create(everything)
	})
	if got := e.drain(); len(got) != 4 {
		t.Fatalf("initial requests = %v, want the 4 ReplicaSets", got)
	}
	owned := func(name string, owner *appsv1.ReplicaSet, lbls map[string]string) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Labels: lbls, ResourceVersion: "1"}}
		if owner != nil {
			if err := controller.SetControllerRef(&p.ObjectMeta, &owner.ObjectMeta, kind()); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	stale := owned("stale", web, webLabels)
	stale.OwnerReferences[0].UID = "not-web"
	changed := func(p *corev1.Pod, f func(p *corev1.Pod)) *corev1.Pod {
		q := p.DeepCopy()
		q.ResourceVersion = "2"
		f(q)
		return q
	}
	now := meta.NewTime(epoch)
	tests := []struct {
		name  string
		event func()
		want  []string
	}{
		{"add of a controlled pod", func() { e.c.addPod(owned("p", web, webLabels), false) }, []string{"default/web"}},
		{"add of an orphan", func() { e.c.addPod(owned("p", nil, webLabels), false) }, []string{"default/web", "default/web2"}},
		{"add of an orphan nobody selects", func() { e.c.addPod(owned("p", nil, map[string]string{"app": "x"}), false) }, nil},
		{"add with a stale controller uid", func() { e.c.addPod(stale, false) }, nil},
		{"update of a controlled pod", func() {
			p := owned("p", web, webLabels)
			e.c.updatePod(p, changed(p, func(p *corev1.Pod) { p.Status.Phase = corev1.PodRunning }))
		}, []string{"default/web"}},
		{"resync of a pod", func() { p := owned("p", web, webLabels); e.c.updatePod(p, p) }, nil},
		{"release", func() {
			p := owned("p", web, webLabels)
			e.c.updatePod(p, changed(p, func(p *corev1.Pod) { p.OwnerReferences = nil; p.Labels = map[string]string{"app": "db"} }))
		}, []string{"default/db", "default/web"}},
		{"orphan relabelled", func() {
			p := owned("p", nil, map[string]string{"app": "db"})
			e.c.updatePod(p, changed(p, func(p *corev1.Pod) { p.Labels = webLabels }))
		}, []string{"default/web", "default/web2"}},
		{"orphan status change", func() {
			p := owned("p", nil, webLabels)
			e.c.updatePod(p, changed(p, func(p *corev1.Pod) { p.Status.Phase = corev1.PodRunning }))
		}, nil},
		{"graceful deletion starts", func() {
			p := owned("p", web2, webLabels)
			e.c.updatePod(p, changed(p, func(p *corev1.Pod) { p.DeletionTimestamp = &now }))
		}, []string{"default/web2"}},
		{"delete of a controlled pod", func() { e.c.deletePod(informer.Deleted[*corev1.Pod]{Object: owned("p", web, webLabels)}) }, []string{"default/web"}},
		{"delete of an orphan", func() { e.c.deletePod(informer.Deleted[*corev1.Pod]{Object: owned("p", nil, webLabels)}) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.event()
			if diff := cmp.Diff(tt.want, e.drain()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPodEventsLowerExpectations(t *testing.T) {
	var web *appsv1.ReplicaSet
	e := newEnvWith(t, Options{}, func(ctx context.Context, s, _ store.Interface) {
		var err error
		web, err = store.For[*appsv1.ReplicaSet](s, replicaSetsResource).Create(ctx, newRS("web", 1, webLabels))
		if err != nil {
			t.Fatal(err)
		}
	})
	key := "default/web"
	pod := func(name string) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Labels: webLabels, ResourceVersion: "1"}}
		if err := controller.SetControllerRef(&p.ObjectMeta, &web.ObjectMeta, kind()); err != nil {
			t.Fatal(err)
		}
		return p
	}
	e.c.expectCreations(key, 2)
	e.c.addPod(pod("a"), false)
	if e.c.exp.Satisfied(key) {
		t.Fatal("satisfied after 1 of 2 creations")
	}
	e.c.addPod(pod("b"), false)
	if !e.c.exp.Satisfied(key) {
		t.Fatal("not satisfied after 2 of 2 creations")
	}

	e.c.expectDeletions(key, []*corev1.Pod{pod("a"), pod("b")})
	// "a" starts a graceful deletion, then goes: one observation, not two.
	a := pod("a")
	terminating := a.DeepCopy()
	terminating.ResourceVersion = "2"
	now := meta.NewTime(epoch)
	terminating.DeletionTimestamp = &now
	e.c.updatePod(a, terminating)
	e.c.deletePod(informer.Deleted[*corev1.Pod]{Object: terminating})
	// A pod the controller did not delete does not count.
	e.c.deletePod(informer.Deleted[*corev1.Pod]{Object: pod("other")})
	if e.c.exp.Satisfied(key) {
		t.Fatal("satisfied before b was deleted")
	}
	e.c.deletePod(informer.Deleted[*corev1.Pod]{Object: pod("b")})
	if !e.c.exp.Satisfied(key) {
		t.Fatal("not satisfied after both deletions")
	}
}
