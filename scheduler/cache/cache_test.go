package cache_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler/cache"
	"github.com/cellkit/cellkit/scheduler/framework"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
)

func requested(c *cache.Cache, node string) (cpu int64, pods int) {
	c.Do(func(s *framework.Snapshot) {
		if ni, ok := s.Get(node); ok {
			cpu, pods = ni.Requested.MilliCPU, len(ni.Pods)
		}
	})
	return cpu, pods
}

func newCache(t *testing.T, fc clock.Clock) *cache.Cache {
	c := cache.New(cache.Options{Clock: fc, AssumedTTL: 10 * time.Second})
	for _, n := range []string{"a", "b"} {
		if err := c.AddNode(st.Node(n).Capacity("cpu", "4").Obj()); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestAssumeConfirmForgetExpire(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	type step struct {
		do      func(c *cache.Cache) error
		wantErr error
		a, b    int64 // requested millicpu on a and b afterwards
	}
	pod := st.Pod("p").Req("cpu", "1").Node("a").Obj()
	onB := st.Pod("p").Req("cpu", "1").Node("b").Obj()
	tests := []struct {
		name  string
		steps []step
	}{
		{"assume counts at once", []step{{do: func(c *cache.Cache) error { return c.AssumePod(pod) }, a: 1000}}},
		{"assume twice fails", []step{
			{do: func(c *cache.Cache) error { return c.AssumePod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { return c.AssumePod(pod) }, wantErr: cache.ErrAssumed, a: 1000}}},
		{"assume without node fails", []step{{do: func(c *cache.Cache) error { return c.AssumePod(st.Pod("p").Obj()) }, wantErr: cache.ErrNoNode}}},
		{"forget releases", []step{
			{do: func(c *cache.Cache) error { return c.AssumePod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { return c.ForgetPod(pod) }},
			{do: func(c *cache.Cache) error { return c.ForgetPod(pod) }, wantErr: cache.ErrNotAssumed}}},
		{"informer confirms: no expiry", []step{
			{do: func(c *cache.Cache) error { return c.AssumePod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { return c.FinishBinding(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { return c.AddPod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { fc.Step(time.Minute); _, err := c.Cleanup(); return err }, a: 1000},
			{do: func(c *cache.Cache) error { return c.ForgetPod(pod) }, wantErr: cache.ErrNotAssumed, a: 1000}}},
		{"unconfirmed expires after the TTL", []step{
			{do: func(c *cache.Cache) error { return c.AssumePod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { fc.Step(time.Minute); _, err := c.Cleanup(); return err }, a: 1000}, // binding in flight: never expires
			{do: func(c *cache.Cache) error { return c.FinishBinding(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { fc.Step(9 * time.Second); _, err := c.Cleanup(); return err }, a: 1000},
			{do: func(c *cache.Cache) error {
				fc.Step(time.Second)
				exp, err := c.Cleanup()
				if len(exp) != 1 {
					return fmt.Errorf("expired %d pods, want 1", len(exp))
				}
				return err
			}}}},
		{"bound elsewhere than assumed: moved", []step{
			{do: func(c *cache.Cache) error { return c.AssumePod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { return c.AddPod(onB) }, b: 1000}}},
		{"deleted", []step{
			{do: func(c *cache.Cache) error { return c.AddPod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { return c.RemovePod(pod) }},
			{do: func(c *cache.Cache) error { return c.RemovePod(pod) }}}},
		{"finished pods do not count", []step{
			{do: func(c *cache.Cache) error { return c.AddPod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error {
				done := pod.DeepCopy()
				done.Status.Phase = corev1.PodSucceeded
				return c.UpdatePod(pod, done)
			}}}},
		{"request change", []step{
			{do: func(c *cache.Cache) error { return c.AddPod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { return c.UpdatePod(pod, st.Pod("p").Req("cpu", "3").Node("a").Obj()) }, a: 3000}}},
		{"node removed and back: its pods count again", []step{
			{do: func(c *cache.Cache) error { return c.AddPod(pod) }, a: 1000},
			{do: func(c *cache.Cache) error { return c.RemoveNode(st.Node("a").Obj()) }},
			{do: func(c *cache.Cache) error { return c.AddNode(st.Node("a").Capacity("cpu", "4").Obj()) }, a: 1000}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCache(t, fc)
			for i, s := range tc.steps {
				err := s.do(c)
				if !errors.Is(err, s.wantErr) {
					t.Fatalf("step %d: err %v, want %v", i, err, s.wantErr)
				}
				a, _ := requested(c, "a")
				b, _ := requested(c, "b")
				if a != s.a || b != s.b {
					t.Fatalf("step %d: requested a=%d b=%d, want a=%d b=%d", i, a, b, s.a, s.b)
				}
			}
		})
	}
}

func TestConcurrentHandlersAndCycles(t *testing.T) {
	c := newCache(t, clock.NewFake(time.Unix(0, 0)))
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			p := st.Pod(fmt.Sprintf("p%d", i)).Req("cpu", "10m").Node("a").Obj()
			if err := c.AddPod(p); err != nil {
				t.Error(err)
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			p := st.Pod(fmt.Sprintf("q%d", i)).Req("cpu", "10m").Node("b").Obj()
			if err := c.AssumePod(p); err != nil {
				t.Error(err)
			}
			c.Do(func(s *framework.Snapshot) {
				ni, _ := s.Get("b")
				if got := ni.Requested.MilliCPU; got != int64(10*(i+1)) {
					t.Errorf("cycle %d sees %d millicpu on b", i, got)
				}
			})
		}
	}()
	wg.Wait()
	if cpu, n := requested(c, "a"); cpu != 2000 || n != 200 {
		t.Errorf("a: %d millicpu, %d pods", cpu, n)
	}
}

// TestConfirmKeepsNodeUnchanged: the informer's confirmation of an assumed pod, or a status
// change of a bound pod, swaps the object the snapshot holds without marking the node changed
// (the snapshot's generation stays); a change of what the snapshot derives from a pod (labels,
// spec, deletion) replaces it and bumps the generation.
func TestConfirmKeepsNodeUnchanged(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	c := newCache(t, fc)
	p := st.Pod("p").Label("app", "web").Req("cpu", "1").Obj()
	assumed := *p
	assumed.Spec.NodeName = "a"
	if err := c.AssumePod(&assumed); err != nil {
		t.Fatal(err)
	}
	podOnA := func() *corev1.Pod {
		var out *corev1.Pod
		c.Do(func(s *framework.Snapshot) {
			if ni, ok := s.Get("a"); ok && len(ni.Pods) == 1 {
				out = ni.Pods[0].Pod
			}
		})
		return out
	}
	cases := []struct {
		name        string
		change      func(prev *corev1.Pod) *corev1.Pod
		wantChanged bool
		wantCPU     int64
	}{
		{"confirmation with a condition", func(prev *corev1.Pod) *corev1.Pod {
			n := *prev
			n.ResourceVersion = "7"
			n.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionTrue}}
			return &n
		}, false, 1000},
		{"status phase running", func(prev *corev1.Pod) *corev1.Pod {
			n := *prev
			n.Status.Phase = corev1.PodRunning
			return &n
		}, false, 1000},
		{"label change", func(prev *corev1.Pod) *corev1.Pod {
			n := *prev
			n.Labels = map[string]string{"app": "db"}
			return &n
		}, true, 1000},
		{"request change", func(prev *corev1.Pod) *corev1.Pod {
			return st.Pod("p").Label("app", "db").Req("cpu", "2").Node("a").Obj()
		}, true, 2000},
	}
	prev := &assumed
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gen := c.Generation()
			next := tc.change(prev)
			if err := c.UpdatePod(prev, next); err != nil {
				t.Fatal(err)
			}
			if got := c.Generation() != gen; got != tc.wantChanged {
				t.Errorf("generation changed = %v, want %v", got, tc.wantChanged)
			}
			if got := podOnA(); got != next {
				t.Errorf("snapshot holds %p, want the new object %p", got, next)
			}
			if cpu, pods := requested(c, "a"); cpu != tc.wantCPU || pods != 1 {
				t.Errorf("node a: cpu %d, pods %d, want %d and 1", cpu, pods, tc.wantCPU)
			}
			prev = next
		})
	}
	if err := c.ForgetPod(prev); !errors.Is(err, cache.ErrNotAssumed) {
		t.Errorf("forget after confirmation = %v, want ErrNotAssumed", err)
	}
}

// TestFinishBindingWhileBusy: FinishBinding while a cycle holds the cache does not wait; the
// next Do or Cleanup starts the pod's expiry clock, unless the pod was assumed anew meanwhile
// (a late finish of an earlier binding must not start the clock of a binding in flight).
func TestFinishBindingWhileBusy(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	c := newCache(t, fc)
	assume := func(name string) *corev1.Pod {
		p := st.Pod(name).Req("cpu", "1").Node("a").Obj()
		if err := c.AssumePod(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p, q := assume("p"), assume("q")
	var errP, errQ error
	c.Do(func(*framework.Snapshot) { // the cache's lock is held: both calls are recorded
		errP, errQ = c.FinishBinding(p), c.FinishBinding(q)
	})
	if errP != nil || errQ != nil {
		t.Fatalf("FinishBinding while busy = %v, %v; want nil", errP, errQ)
	}
	// q is forgotten and assumed anew (a second attempt whose binding is in flight).
	if err := c.ForgetPod(q); err != nil {
		t.Fatal(err)
	}
	q2 := assume("q")
	c.Do(func(*framework.Snapshot) {}) // applies the recorded finishes
	fc.Step(11 * time.Second)
	expired, err := c.Cleanup()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range expired {
		names = append(names, e.Name)
	}
	if len(names) != 1 || names[0] != "p" {
		t.Errorf("expired %v, want [p] (q's new assumption has no finished binding)", names)
	}
	if err := c.FinishBinding(q2); err != nil {
		t.Errorf("FinishBinding of q's new assumption: %v", err)
	}
}
