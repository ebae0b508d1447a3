package garbagecollector

import (
	"fmt"
	"sync"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
)

// BenchmarkCascade measures the collection of an owner's dependents: a ReplicaSet-like
// config map owning replicas pods (background), or owning 10 config maps that own
// replicas/10 pods each (foreground, so every level waits for the one below), or owning
// replicas pods that are orphaned. Reported: removed objects per second (for orphan, the
// owner only), from the owner's delete call to the last removal.
func BenchmarkCascade(b *testing.B) {
	for _, c := range []struct {
		policy   meta.DeletionPropagation
		replicas int
	}{
		{meta.DeletePropagationBackground, 1000},
		{meta.DeletePropagationForeground, 1000},
		{meta.DeletePropagationOrphan, 1000},
	} {
		b.Run(fmt.Sprintf("%s/pods=%d", c.policy, c.replicas), func(b *testing.B) {
			e := newEnv(b, Options{Workers: DefaultWorkers})
			e.run()
			b.ReportAllocs()
			b.ResetTimer()
			var collected int
			for i := range b.N {
				b.StopTimer()
				owner := e.create(configMapsGR, configMap("ns", fmt.Sprintf("owner-%d", i)))
				mids, perMid := 1, c.replicas
				if c.policy == meta.DeletePropagationForeground {
					mids, perMid = 10, c.replicas/10
				}
				for m := range mids {
					parent := owner
					if c.policy == meta.DeletePropagationForeground {
						parent = e.create(configMapsGR, configMap("ns", fmt.Sprintf("mid-%d-%d", i, m), ref(owner, true)))
					}
					for p := range perMid {
						e.create(podsGR, &corev1.Pod{
							ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: fmt.Sprintf("pod-%d-%d-%d", i, m, p),
								OwnerReferences: []meta.OwnerReference{ref(parent, true)}},
							Spec: podSpec(),
						})
					}
				}
				e.waitObserved()
				st, err := e.reg.Stats(e.ctx)
				if err != nil {
					b.Fatal(err)
				}
				total := c.replicas + 1
				switch c.policy {
				case meta.DeletePropagationForeground:
					total += mids
				case meta.DeletePropagationOrphan:
					total = 1 // the owner, removed once every dependent is orphaned
				}
				w := e.watchDeletions(b, st.Revision, podsGR, configMapsGR)
				b.StartTimer()
				e.delete(configMapsGR, "ns", owner.GetObjectMeta().Name, c.policy)
				w.wait(b, total)
				b.StopTimer()
				w.stop()
				collected += total
				b.StartTimer()
			}
			b.ReportMetric(float64(collected)/b.Elapsed().Seconds(), "removals/s")
		})
	}
}

// deletionStream delivers one value per object of grs removed after rev.
type deletionStream struct {
	ch   chan struct{}
	ws   []watch.Interface[runtime.Object]
	done sync.WaitGroup
}

func (e *env) watchDeletions(b *testing.B, rev int64, grs ...schema.GroupResource) *deletionStream {
	b.Helper()
	d := &deletionStream{ch: make(chan struct{}, 1<<16)}
	for _, gr := range grs {
		w, err := e.reg.Watch(e.ctx, gr, "", store.WatchOptions{Revision: rev})
		if err != nil {
			b.Fatal(err)
		}
		d.ws = append(d.ws, w)
		d.done.Add(1)
		go func() {
			defer d.done.Done()
			for ev := range w.ResultChan() {
				if ev.Type == watch.Deleted {
					d.ch <- struct{}{}
				}
			}
		}()
	}
	return d
}

func (d *deletionStream) wait(b *testing.B, n int) {
	b.Helper()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for seen := 0; seen < n; seen++ {
		select {
		case <-d.ch:
		case <-timeout.C:
			b.Fatalf("%d of %d removals within a minute", seen, n)
		}
	}
}

func (d *deletionStream) stop() {
	for _, w := range d.ws {
		w.Stop()
	}
	d.done.Wait()
}

// BenchmarkGraphObserve measures the graph's handling of one informer notification: objects
// owned by one of 1,000 owners, added and then updated.
func BenchmarkGraphObserve(b *testing.B) {
	g, _ := testGraph()
	g.attemptToDelete = func(meta.UID) {}
	owners := make([]meta.OwnerReference, 1000)
	for i := range owners {
		uid := meta.UID(fmt.Sprintf("owner-%d", i))
		g.observe(configMapsGR, cm("ns", string(uid), uid))
		owners[i] = cmRef(string(uid), uid, true)
	}
	objs := make([]*corev1.ConfigMap, 4096)
	for i := range objs {
		objs[i] = cm("ns", fmt.Sprintf("dep-%d", i), meta.UID(fmt.Sprintf("dep-%d", i)), owners[i%len(owners)])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		g.observe(configMapsGR, objs[i%len(objs)])
	}
}

// BenchmarkGraphAdd measures adding objects to the graph (each owned by one of 1,000 owners):
// B/op is the graph's memory per object.
func BenchmarkGraphAdd(b *testing.B) {
	g, _ := testGraph()
	g.attemptToDelete = func(meta.UID) {}
	owners := make([]meta.OwnerReference, 1000)
	for i := range owners {
		uid := meta.UID(fmt.Sprintf("owner-%d", i))
		g.observe(configMapsGR, cm("ns", string(uid), uid))
		owners[i] = cmRef(string(uid), uid, true)
	}
	objs := make([]*corev1.ConfigMap, b.N)
	for i := range objs {
		objs[i] = cm("ns", fmt.Sprintf("dep-%d", i), meta.UID(fmt.Sprintf("dep-%d", i)), owners[i%len(owners)])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		g.observe(configMapsGR, objs[i])
	}
}
