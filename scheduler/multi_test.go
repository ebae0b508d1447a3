package scheduler_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/scheduler"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
	"github.com/cellkit/cellkit/store"
)

// TestTwoSchedulersNeverOverCommit runs two scheduler instances (same profile, so both take
// every pod) on one memory store with tight nodes: each decides from its own cache, which
// does not know the other's assumed pods, so without the node reservation protocol both would
// place pods on the same free room. Every round ends with more pods than room; the store's
// final state is checked with the independent model.
func TestTwoSchedulersNeverOverCommit(t *testing.T) {
	const rounds, nodesN, perNode, podsN = 3, 4, 4, 24 // 16 slots, 24 pods
	for round := 0; round < rounds; round++ {
		t.Run(fmt.Sprintf("round-%d", round), func(t *testing.T) {
			s := newStore(t)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			var nodes []*corev1.Node
			nodesT := store.For[*corev1.Node](s, nodesGR)
			for i := 0; i < nodesN; i++ {
				n := st.Node(fmt.Sprintf("n%d", i)).Capacity("cpu", "2", "memory", "4Gi").Obj()
				if _, err := nodesT.Create(ctx, n); err != nil {
					t.Fatal(err)
				}
				nodes = append(nodes, n)
			}
			pods := store.For[*corev1.Pod](s, podsGR)
			for i := 0; i < podsN; i++ {
				p := st.Pod(fmt.Sprintf("p%02d", i)).Req("cpu", "500m", "memory", "1Gi").Obj()
				p.UID = ""
				if _, err := pods.Create(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			w, err := pods.Watch(ctx, "", store.WatchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Stop()
			runCtx, stop := context.WithCancel(ctx)
			var wg sync.WaitGroup
			errs := make(chan error, 2)
			for i := 0; i < 2; i++ {
				sch, err := scheduler.New(scheduler.Options{Store: s, Parallelism: 2, Seed: uint64(round*2 + i),
					InitialBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, FlushPeriod: 5 * time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				wg.Add(1)
				go func() { defer wg.Done(); errs <- sch.Run(runCtx) }()
			}
			// Wait until the slots are taken (or more, which the check below reports).
			state := map[string]*corev1.Pod{}
			for bound(state) < nodesN*perNode {
				select {
				case ev := <-w.ResultChan():
					if ev.Type == watch.Added || ev.Type == watch.Modified {
						state[ev.Object.Name] = ev.Object
					}
				case <-ctx.Done():
					t.Fatalf("only %d pods bound", bound(state))
				}
			}
			stop()
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			}
			// Every binding goroutine has ended: the store's state is final.
			l, err := pods.List(context.Background(), "", store.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			model := st.NewModel(nodes)
			n := 0
			for _, p := range l.Items {
				if p.Spec.NodeName != "" {
					model.Add(p)
					n++
				}
			}
			for _, v := range model.CheckInvariants() {
				t.Error(v)
			}
			if n != nodesN*perNode {
				t.Errorf("%d pods bound, want exactly %d (the nodes' room)", n, nodesN*perNode)
			}
		})
	}
}
