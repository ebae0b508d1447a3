package etcd_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/storetest"
)

// ackedWrite is a write the store acknowledged: the truth the watch stream is checked against.
type ackedWrite struct {
	rev  int64
	typ  watch.EventType
	name string
	size int64
}

// TestClusterMemberRestart drives writers and a watcher through a client that knows all three
// members of a cluster while the leader, and then a follower, is stopped and restarted. The
// watch stream (resumed from its last revision after every error) must be ordered and unique,
// contain every acknowledged write exactly as acknowledged, and replay to the final state.
func TestClusterMemberRestart(t *testing.T) {
	c := etcdtest.StartCluster(t, 3, etcdtest.Options{})
	ctx := context.Background()
	cfg := suiteConfig()
	s, err := etcd.New(etcd.Options{Client: c.Client(t), Resources: cfg.Resources, Clock: cfg.Clock})
	if err != nil {
		t.Fatal(err)
	}
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := st.Revision

	// The watcher records every event after start, resuming after errors.
	var events []watch.Event[*storetest.Widget]
	resumes := 0
	stopWatch := make(chan int64, 1) // the final revision, once the writers are done
	watchDone := make(chan error, 1)
	go func() {
		from := start
		var until int64
		for {
			var w watch.Interface[*storetest.Widget]
			var err error
			for try := 0; ; try++ { // the cluster may be electing a leader
				if w, err = widgets.Watch(ctx, "ns1", store.WatchOptions{Revision: from}); err == nil {
					break
				}
				if try == 200 {
					watchDone <- fmt.Errorf("watch from %d: %w", from, err)
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			p := w.(store.ProgressRequester)
			if until != 0 {
				p.RequestProgress()
			}
		read:
			for {
				select {
				case until = <-stopWatch:
					p.RequestProgress()
				case ev, ok := <-w.ResultChan():
					if !ok {
						watchDone <- fmt.Errorf("stream ended without an error event")
						return
					}
					switch ev.Type {
					case watch.Error:
						if apierrors.IsResourceExpired(watch.EventError(ev)) {
							watchDone <- fmt.Errorf("expired at %d: %v", from, ev.ErrorStatus())
							return
						}
						resumes++
						w.Stop()
						break read
					case watch.Bookmark:
						from = max(from, mustRV(t, ev.Object.ResourceVersion))
						if until != 0 && from >= until {
							w.Stop()
							watchDone <- nil
							return
						}
						if until != 0 {
							p.RequestProgress()
						}
					default:
						events = append(events, ev)
						from = mustRV(t, ev.Object.ResourceVersion)
					}
				case <-time.After(30 * time.Second):
					watchDone <- fmt.Errorf("no event within 30s (from %d, until %d)", from, until)
					return
				}
			}
		}
	}()

	// Writers: create, guaranteed-update and delete a few keys; failed calls (the member
	// talked to went away, an election is going on) have an unknown outcome and are only
	// counted.
	const writers, opsPerWriter, keys = 4, 120, 6
	var mu sync.Mutex
	var acked []ackedWrite
	failed, attempted := 0, 0
	var firstErrs []string
	var progress sync.WaitGroup
	progress.Add(writers)
	phase := make(chan struct{})
	var wg sync.WaitGroup
	for id := 0; id < writers; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(id), 7))
			for i := 0; i < opsPerWriter; i++ {
				if i == opsPerWriter/3 {
					progress.Done()
					<-phase // wait until the fault is in place
				}
				name := "k" + strconv.Itoa(rng.IntN(keys))
				octx, cancel := context.WithTimeout(ctx, 5*time.Second)
				var out *storetest.Widget
				var typ watch.EventType
				var err error
				switch r := rng.IntN(10); {
				case r < 3:
					typ = watch.Added
					out, err = widgets.Create(octx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns1", Name: name}})
				case r < 9:
					typ = watch.Modified
					out, err = widgets.GuaranteedUpdate(octx, "ns1", name, func(w *storetest.Widget) (*storetest.Widget, error) {
						w.Spec.Size++
						return w, nil
					}, store.UpdateOptions{})
				default:
					typ = watch.Deleted
					out, err = widgets.Delete(octx, "ns1", name, store.DeleteOptions{})
				}
				cancel()
				mu.Lock()
				attempted++
				switch {
				case err == nil:
					acked = append(acked, ackedWrite{rev: mustRV(t, out.ResourceVersion), typ: typ, name: name, size: out.Spec.Size})
				case apierrors.IsNotFound(err), apierrors.IsAlreadyExists(err):
				default:
					failed++
					if len(firstErrs) < 5 {
						firstErrs = append(firstErrs, err.Error())
					}
				}
				mu.Unlock()
			}
		}()
	}
	progress.Wait()
	lead := c.Leader()
	if lead < 0 {
		lead = 0
	}
	c.Stop(lead)
	close(phase)
	// Let a third of the remaining traffic go through the two survivors, then bring the
	// member back and stop a follower.
	waitAcked := func(n int) {
		for {
			mu.Lock()
			got := attempted
			mu.Unlock()
			if got >= n {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitAcked(writers * opsPerWriter / 2)
	c.Restart(t, lead)
	follower := (lead + 1) % c.Size()
	c.Stop(follower)
	waitAcked(writers * opsPerWriter * 2 / 3)
	c.Restart(t, follower)
	wg.Wait()

	var final *store.List
	for try := 0; ; try++ {
		l, err := s.List(ctx, storetest.Widgets, "ns1", store.ListOptions{})
		if err == nil {
			final = l
			break
		}
		if try == 100 {
			t.Fatalf("final list: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopWatch <- final.Revision
	if err := <-watchDone; err != nil {
		t.Fatalf("watcher: %v", err)
	}
	t.Logf("first failures: %q", firstErrs)
	t.Logf("%d acknowledged writes, %d failed, %d events, %d resumptions, leader %d restarted, follower %d restarted",
		len(acked), failed, len(events), resumes, lead, follower)

	// Ordered and unique.
	byRev := map[int64]watch.Event[*storetest.Widget]{}
	var last int64
	for _, ev := range events {
		r := mustRV(t, ev.Object.ResourceVersion)
		if r <= last {
			t.Fatalf("event at revision %d after %d: not ordered or repeated", r, last)
		}
		last = r
		byRev[r] = ev
	}
	// Reliable: every acknowledged write is in the stream as acknowledged.
	for _, a := range acked {
		ev, ok := byRev[a.rev]
		if !ok {
			t.Errorf("acknowledged %s of %s at %d missing from the stream", a.typ, a.name, a.rev)
			continue
		}
		got := ackedWrite{rev: a.rev, typ: ev.Type, name: ev.Object.Name, size: ev.Object.Spec.Size}
		if d := cmp.Diff(a, got, cmp.AllowUnexported(ackedWrite{})); d != "" {
			t.Errorf("event at %d (-acknowledged +watched):\n%s", a.rev, d)
		}
	}
	// The stream replays to the final state.
	state := map[string]string{}
	for _, ev := range events {
		key := ev.Object.Name
		if ev.Type == watch.Deleted {
			delete(state, key)
		} else {
			state[key] = fmt.Sprintf("%s size=%d", ev.Object.ResourceVersion, ev.Object.Spec.Size)
		}
	}
	want := map[string]string{}
	for _, o := range final.Items {
		w := o.(*storetest.Widget)
		want[w.Name] = fmt.Sprintf("%s size=%d", w.ResourceVersion, w.Spec.Size)
	}
	if d := cmp.Diff(want, state); d != "" {
		t.Errorf("replayed stream vs final list (-list +stream):\n%s", d)
	}
	if len(acked) < writers*opsPerWriter/2 {
		t.Errorf("only %d of %d writes acknowledged", len(acked), writers*opsPerWriter)
	}
	names := make([]string, 0, len(want))
	for k := range want {
		names = append(names, k)
	}
	sort.Strings(names)
	t.Logf("final objects: %v", names)
}
