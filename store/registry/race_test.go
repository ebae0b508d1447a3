package registry_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/registry"
)

// Finalizer owners remove their finalizers while status writers update the status of the same
// objects being deleted. Every removal must land (no finalizer comes back), every status write
// that reported success must be in the final state, and the object must go exactly when the
// last finalizer goes.
func TestConcurrentFinalizerRemovalAndStatusUpdates(t *testing.T) {
	defer goleak.VerifyNone(t)
	const (
		objects       = 8
		finalizers    = 4
		statusWriters = 3
	)
	h := newHarness(t, registry.Options{})
	status := store.For[*appsv1.Deployment](h.reg, deployStatus)
	w, err := h.deploys.Watch(h.ctx, "ns", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	for i := range objects {
		d := newDeployment(fmt.Sprintf("d%d", i))
		for f := range finalizers {
			d.Finalizers = append(d.Finalizers, fmt.Sprintf("example.com/f%d", f))
		}
		mustCreate(t, h, h.deploys, d)
		if _, err := h.deploys.Delete(h.ctx, "ns", d.Name, store.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}

	// Collect the watch stream while the writers run, so the watcher never falls behind.
	events := make(chan []watch.Event[*appsv1.Deployment], 1)
	go func() {
		var got []watch.Event[*appsv1.Deployment]
		removed := 0
		timeout := time.After(30 * time.Second)
		for removed < objects {
			select {
			case ev, ok := <-w.ResultChan():
				if !ok {
					events <- got
					return
				}
				got = append(got, ev)
				if ev.Type == watch.Deleted || ev.Type == watch.Error {
					removed++
				}
			case <-timeout:
				events <- got
				return
			}
		}
		events <- got
	}()

	var wg sync.WaitGroup
	errs := make(chan error, objects*(finalizers+statusWriters))
	statusWrites := make([]int32, objects) // successful status writes per object
	var mu sync.Mutex
	for i := range objects {
		name := fmt.Sprintf("d%d", i)
		for f := range finalizers {
			mine := fmt.Sprintf("example.com/f%d", f)
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := h.deploys.GuaranteedUpdate(h.ctx, "ns", name, func(cur *appsv1.Deployment) (*appsv1.Deployment, error) {
					keep := cur.Finalizers[:0:0]
					found := false
					for _, x := range cur.Finalizers {
						if x == mine {
							found = true
							continue
						}
						keep = append(keep, x)
					}
					if !found {
						return nil, fmt.Errorf("finalizer %s of %s is gone before its owner removed it", mine, name)
					}
					cur.Finalizers = keep
					return cur, nil
				}, store.UpdateOptions{})
				if err != nil {
					errs <- fmt.Errorf("remove %s from %s: %w", mine, name, err)
				}
			}()
		}
		for range statusWriters {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					_, err := status.GuaranteedUpdate(h.ctx, "ns", name, func(cur *appsv1.Deployment) (*appsv1.Deployment, error) {
						cur.Status.Replicas++
						cur.Spec.Paused = !cur.Spec.Paused // ignored on the status subresource
						return cur, nil
					}, store.UpdateOptions{})
					if apierrors.IsNotFound(err) {
						return
					}
					if err != nil {
						errs <- fmt.Errorf("status of %s: %w", name, err)
						return
					}
					mu.Lock()
					statusWrites[i]++
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// Replay the watch: per object, finalizers only shrink, status.replicas only grows, the
	// spec never changes, and the last event is the removal carrying every status write.
	type seen struct {
		finalizers int
		replicas   int32
		deleted    bool
	}
	last := map[string]*seen{}
	deleted := 0
	for _, ev := range <-events {
		if ev.Type == watch.Error {
			t.Fatalf("watch error: %v", ev.ErrorStatus())
		}
		d := ev.Object
		s := last[d.Name]
		if s == nil {
			s = &seen{finalizers: finalizers}
			last[d.Name] = s
		}
		if s.deleted {
			t.Fatalf("%s: %s event after its removal", d.Name, ev.Type)
		}
		if len(d.Finalizers) > s.finalizers {
			t.Errorf("%s: finalizers grew from %d to %v", d.Name, s.finalizers, d.Finalizers)
		}
		if d.Status.Replicas < s.replicas {
			t.Errorf("%s: status.replicas went back from %d to %d", d.Name, s.replicas, d.Status.Replicas)
		}
		wantGen := int64(2) // bumped once, by the deletion
		if ev.Type == watch.Added {
			wantGen = 1
		}
		if d.Spec.Paused || d.Generation != wantGen {
			t.Errorf("%s: spec changed through status (paused %v, generation %d)", d.Name, d.Spec.Paused, d.Generation)
		}
		s.finalizers, s.replicas = len(d.Finalizers), d.Status.Replicas
		if ev.Type == watch.Deleted {
			s.deleted = true
			deleted++
			if len(d.Finalizers) != 0 {
				t.Errorf("%s removed with finalizers %v", d.Name, d.Finalizers)
			}
		}
	}
	if deleted != objects {
		t.Fatalf("%d of %d objects removed in the watch stream", deleted, objects)
	}
	for i := range objects {
		name := fmt.Sprintf("d%d", i)
		if got := last[name].replicas; got != statusWrites[i] {
			t.Errorf("%s: final status.replicas %d, want the %d successful status writes", name, got, statusWrites[i])
		}
		if _, err := h.deploys.Get(h.ctx, "ns", name, store.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("%s: get after the last finalizer: %v, want NotFound", name, err)
		}
	}
}

// Unconditional spec updates racing with each other are never lost, and each bumps the
// generation exactly once.
func TestConcurrentSpecUpdates(t *testing.T) {
	const writers, each = 8, 25
	h := newHarness(t, registry.Options{})
	mustCreate(t, h, h.deploys, newDeployment("web"))
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if _, err := h.deploys.GuaranteedUpdate(h.ctx, "ns", "web", func(cur *appsv1.Deployment) (*appsv1.Deployment, error) {
					*cur.Spec.Replicas++
					return cur, nil
				}, store.UpdateOptions{}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := h.deploys.Get(h.ctx, "ns", "web", store.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if *got.Spec.Replicas != 1+writers*each || got.Generation != 1+writers*each {
		t.Errorf("replicas %d, generation %d; want both %d", *got.Spec.Replicas, got.Generation, 1+writers*each)
	}
}

// Deletes racing with status updates and with each other: the pod is gone at the end, every
// Delete returns the pod or NotFound, and nothing else fails.
func TestConcurrentDeletes(t *testing.T) {
	const pods = 16
	h := newHarness(t, registry.Options{})
	for i := range pods {
		mustCreate(t, h, h.pods, boundPod(fmt.Sprintf("p%d", i)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, pods*4)
	for i := range pods {
		name := fmt.Sprintf("p%d", i)
		for _, grace := range []int64{30, 5, 0} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := h.pods.Delete(h.ctx, "ns", name, store.DeleteOptions{GracePeriodSeconds: ptr(grace)}); err != nil && !apierrors.IsNotFound(err) {
					errs <- fmt.Errorf("delete %s with grace %d: %w", name, grace, err)
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := h.podStatus.GuaranteedUpdate(h.ctx, "ns", name, func(cur *corev1.Pod) (*corev1.Pod, error) {
					cur.Status.Phase = corev1.PodRunning
					cur.Status.Message = cur.ResourceVersion
					return cur, nil
				}, store.UpdateOptions{})
				if apierrors.IsNotFound(err) {
					return
				}
				if err != nil {
					errs <- fmt.Errorf("status of %s: %w", name, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	l, err := h.pods.List(h.ctx, "", store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 0 {
		t.Errorf("%d pods left, want none (the grace-0 delete removes them)", len(l.Items))
	}
}
