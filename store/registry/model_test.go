package registry_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/registry"
)

// model is the deletion lifecycle of one object as the package documentation states it,
// written independently of the implementation: the randomized test below runs the same
// operations on the registry and on the model and compares the results after every step.
type model struct {
	exists     bool
	pod        bool
	bound      bool
	finished   bool // phase Succeeded or Failed
	finalizers []string
	ts         *time.Time
	grace      *int64
	generation int64
}

// delete applies a Delete to the model at time now; it reports whether the object was removed
// and whether anything was written.
func (m *model) delete(now time.Time, grace *int64, policy *meta.DeletionPropagation) (removed, written bool) {
	if grace != nil && *grace < 0 {
		one := int64(1)
		grace = &one
	}
	before := fmt.Sprint(m.finalizers, m.ts, deref(m.grace), m.generation)
	graceful, period := false, int64(0)
	switch {
	case m.ts != nil && m.grace != nil && *m.grace > 0:
		if grace == nil || *grace >= *m.grace {
			return false, false
		}
		ts := m.ts.Add(time.Duration(*grace-*m.grace) * time.Second)
		m.ts, m.grace, period, graceful = &ts, ptr(*grace), *grace, true
	case m.ts == nil && m.pod:
		period = 30
		if grace != nil {
			period = *grace
		}
		if !m.bound || m.finished {
			period = 0
		}
		ts := now.Add(time.Duration(period) * time.Second)
		m.ts, m.grace, graceful = &ts, ptr(period), true
		m.generation++
	}
	if policy != nil {
		drop := map[meta.DeletionPropagation][]string{
			meta.DeletePropagationOrphan:     {registry.FinalizerForeground},
			meta.DeletePropagationForeground: {registry.FinalizerOrphan},
			meta.DeletePropagationBackground: {registry.FinalizerOrphan, registry.FinalizerForeground},
		}[*policy]
		m.finalizers = slices.DeleteFunc(m.finalizers, func(f string) bool { return slices.Contains(drop, f) })
		add := map[meta.DeletionPropagation]string{meta.DeletePropagationOrphan: registry.FinalizerOrphan,
			meta.DeletePropagationForeground: registry.FinalizerForeground}[*policy]
		if add != "" && !slices.Contains(m.finalizers, add) {
			m.finalizers = append(m.finalizers, add)
		}
	}
	pending := len(m.finalizers) > 0
	if !graceful {
		if !pending {
			m.exists = false
			return true, true
		}
		if m.ts == nil {
			m.generation++
			ts := now
			m.ts = &ts
		}
		m.grace = ptr[int64](0)
		return false, before != fmt.Sprint(m.finalizers, m.ts, deref(m.grace), m.generation)
	}
	if pending || period > 0 {
		return false, true
	}
	m.exists = false
	return true, true
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestLifecycleAgainstModel runs random sequences of creates, deletes (random grace periods
// and policies), finalizer removals and additions, status updates and clock steps on pods and
// config maps, and compares the registry with the model after every step.
func TestLifecycleAgainstModel(t *testing.T) {
	graces := []*int64{nil, nil, ptr[int64](0), ptr[int64](5), ptr[int64](60), ptr[int64](-3)}
	policies := []*meta.DeletionPropagation{nil, nil, policy(meta.DeletePropagationOrphan),
		policy(meta.DeletePropagationForeground), policy(meta.DeletePropagationBackground)}
	for seed := range uint64(6) {
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 42))
			h := newHarness(t, registry.Options{})
			names := []string{"p0", "p1", "p2", "c0", "c1"}
			models := map[string]*model{}
			for _, n := range names {
				models[n] = &model{pod: n[0] == 'p'}
			}
			gr := func(name string) store.Typed[runtime.MetaObject] {
				if name[0] == 'p' {
					return store.For[runtime.MetaObject](h.reg, podsGR)
				}
				return store.For[runtime.MetaObject](h.reg, configMapsGR)
			}
			for step := range 400 {
				name := names[rnd.IntN(len(names))]
				m := models[name]
				s := gr(name)
				var op string
				var err error
				switch k := rnd.IntN(10); {
				case k < 2: // create
					var fins []string
					for _, f := range []string{"example.com/a", "example.com/b"} {
						if rnd.IntN(2) == 0 {
							fins = append(fins, f)
						}
					}
					var obj runtime.MetaObject
					bound := rnd.IntN(3) > 0
					if m.pod {
						p := newPod(name)
						if bound {
							p.Spec.NodeName = "n1"
						}
						obj = p
					} else {
						obj = newConfigMap(name)
					}
					obj.GetObjectMeta().Finalizers = fins
					op = fmt.Sprintf("create finalizers %v bound %v", fins, bound)
					_, err = s.Create(h.ctx, obj)
					if m.exists {
						checkErr(t, op, err, errCheck{"AlreadyExists", apierrors.IsAlreadyExists})
						break
					}
					checkErr(t, op, err, noError)
					*m = model{exists: true, pod: m.pod, bound: bound && m.pod, finalizers: fins, generation: 1}
				case k < 5: // delete
					g, p := graces[rnd.IntN(len(graces))], policies[rnd.IntN(len(policies))]
					op = fmt.Sprintf("delete grace %v policy %q", deref(g), "")
					if p != nil {
						op = fmt.Sprintf("delete grace %v policy %q", deref(g), *p)
					}
					var before string
					if cur, gerr := s.Get(h.ctx, "ns", name, store.GetOptions{}); gerr == nil {
						before = cur.GetObjectMeta().ResourceVersion
					}
					var out runtime.MetaObject
					out, err = s.Delete(h.ctx, "ns", name, store.DeleteOptions{GracePeriodSeconds: g, PropagationPolicy: p})
					if !m.exists {
						checkErr(t, op, err, isNotFound)
						break
					}
					checkErr(t, op, err, noError)
					_, written := m.delete(h.clk.Now(), g, p)
					if got := out.GetObjectMeta().ResourceVersion != before; got != written {
						t.Fatalf("step %d %s %s: registry wrote %v, model says %v", step, name, op, got, written)
					}
				case k < 7: // remove a finalizer
					if !m.exists || len(m.finalizers) == 0 {
						continue
					}
					f := m.finalizers[rnd.IntN(len(m.finalizers))]
					op = "remove finalizer " + f
					_, err = s.GuaranteedUpdate(h.ctx, "ns", name, func(cur runtime.MetaObject) (runtime.MetaObject, error) {
						cm := cur.GetObjectMeta()
						cm.Finalizers = slices.DeleteFunc(slices.Clone(cm.Finalizers), func(x string) bool { return x == f })
						return cur, nil
					}, store.UpdateOptions{})
					checkErr(t, op, err, noError)
					m.finalizers = slices.DeleteFunc(m.finalizers, func(x string) bool { return x == f })
					if m.ts != nil && len(m.finalizers) == 0 && *m.grace == 0 {
						m.exists = false
					}
				case k < 8: // add a finalizer
					if !m.exists {
						continue
					}
					op = "add finalizer example.com/late"
					_, err = s.GuaranteedUpdate(h.ctx, "ns", name, func(cur runtime.MetaObject) (runtime.MetaObject, error) {
						cm := cur.GetObjectMeta()
						if !slices.Contains(cm.Finalizers, "example.com/late") {
							cm.Finalizers = append(slices.Clone(cm.Finalizers), "example.com/late")
						}
						return cur, nil
					}, store.UpdateOptions{})
					switch {
					case slices.Contains(m.finalizers, "example.com/late"):
						checkErr(t, op, err, noError)
					case m.ts != nil:
						checkErr(t, op, err, isInvalid)
					default:
						checkErr(t, op, err, noError)
						m.finalizers = append(m.finalizers, "example.com/late")
					}
				case k < 9: // a pod's status
					if !m.exists || !m.pod {
						continue
					}
					phase := []corev1.PodPhase{corev1.PodRunning, corev1.PodSucceeded, corev1.PodFailed}[rnd.IntN(3)]
					op = "status " + string(phase)
					_, err = h.podStatus.GuaranteedUpdate(h.ctx, "ns", name, func(cur *corev1.Pod) (*corev1.Pod, error) {
						cur.Status.Phase = phase
						return cur, nil
					}, store.UpdateOptions{})
					checkErr(t, op, err, noError)
					m.finished = phase != corev1.PodRunning
				default:
					d := time.Duration(rnd.IntN(40)) * time.Second
					h.clk.Step(d)
					continue
				}
				compare(t, h, step, name, op, m, s)
			}
		})
	}
}

func compare(t *testing.T, h *harness, step int, name, op string, m *model, s store.Typed[runtime.MetaObject]) {
	t.Helper()
	got, err := s.Get(h.ctx, "ns", name, store.GetOptions{})
	if !m.exists {
		if !apierrors.IsNotFound(err) {
			t.Fatalf("step %d %s after %s: get %v, want NotFound", step, name, op, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("step %d %s after %s: get %v, want the object", step, name, op, err)
	}
	gm := got.GetObjectMeta()
	var ts *time.Time
	if gm.DeletionTimestamp != nil {
		ts = &gm.DeletionTimestamp.Time
	}
	want := fmt.Sprint(m.finalizers, fmtTime(m.ts), deref(m.grace), m.generation)
	have := fmt.Sprint(gm.Finalizers, fmtTime(ts), deref(gm.DeletionGracePeriodSeconds), gm.Generation)
	if want != have {
		t.Fatalf("step %d %s after %s:\n model    %s\n registry %s", step, name, op, want, have)
	}
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
