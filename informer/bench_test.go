package informer_test

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	rt "github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
)

var podsGR = schema.GroupResource{Resource: "pods"}

func podResource() store.Resource {
	return store.Resource{
		GroupResource: podsGR,
		Kind:          schema.GroupVersionKind{Version: "v1", Kind: "Pod"},
		Namespaced:    true,
		New:           func() rt.MetaObject { return &corev1.Pod{} },
	}
}

// benchPod is a realistic small pod: labels, an owner, one container with requests, a node,
// status, and a managedFields entry like the ones server-side apply writes.
func benchPod(i int) *corev1.Pod {
	ctrl := true
	return &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{
			Namespace: "ns-" + strconv.Itoa(i%100),
			Name:      "pod-" + strconv.Itoa(i),
			Labels:    map[string]string{"app": "app-" + strconv.Itoa(i%1000), "tier": "backend"},
			OwnerReferences: []meta.OwnerReference{{
				APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs-" + strconv.Itoa(i%1000),
				UID: meta.UID("uid-rs-" + strconv.Itoa(i%1000)), Controller: &ctrl,
			}},
			ManagedFields: []meta.ManagedFieldsEntry{{
				Manager: "kube-controller-manager", Operation: "Update", APIVersion: "v1", FieldsType: "FieldsV1",
				FieldsV1: &meta.FieldsV1{Raw: []byte(`{"f:metadata":{"f:labels":{".":{},"f:app":{},"f:tier":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"x\"}":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"main\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{".":{},"f:requests":{".":{},"f:cpu":{},"f:memory":{}}}}}}}`)},
			}},
		},
		Spec: corev1.PodSpec{
			NodeName: "node-" + strconv.Itoa(i%500),
			Containers: []corev1.Container{{
				Name: "main", Image: "registry.example/app:1.2.3",
				Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
					corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi"),
				}},
			}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0." + strconv.Itoa(i%250) + "." + strconv.Itoa(i%200)},
	}
}

var (
	podStoresMu sync.Mutex
	podStores   = map[int]*memory.Store{}
)

func podStore(b *testing.B, n int) *memory.Store {
	podStoresMu.Lock()
	defer podStoresMu.Unlock()
	if s := podStores[n]; s != nil {
		return s
	}
	s, err := memory.New(memory.Options{Resources: []store.Resource{podResource()}, MaxHistory: -1, MaxObjectSize: -1})
	if err != nil {
		b.Fatal(err)
	}
	pods := store.For[*corev1.Pod](s, podsGR)
	for i := range n {
		if _, err := pods.Create(context.Background(), benchPod(i)); err != nil {
			b.Fatal(err)
		}
	}
	podStores[n] = s
	return s
}

func dropManagedFields(p *corev1.Pod) (*corev1.Pod, error) {
	p.ManagedFields = nil
	return p, nil
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkInitialSync measures a cold start: list every pod from the memory store (which
// copies each one), cache it and hand it to one handler, until HasSynced. It reports the heap
// the synced informer retains per pod.
func BenchmarkInitialSync(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		for _, tr := range []struct {
			name   string
			fn     func(*corev1.Pod) (*corev1.Pod, error)
			shared bool
		}{
			{"transform=none", nil, false},
			{"transform=dropManagedFields", dropManagedFields, false},
			// In-process zero copy: the initial events of one watch, sharing the store's
			// immutable objects.
			{"streaming+sharedObjects", nil, true},
			{"labelIndex", nil, false},
		} {
			b.Run(fmt.Sprintf("pods=%d/%s", n, tr.name), func(b *testing.B) {
				s := podStore(b, n)
				src := informer.ForResource(s, podsGR)
				var retained uint64
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					b.StopTimer()
					before := heapInUse()
					b.StartTimer()
					ctx, cancel := context.WithCancel(context.Background())
					o := informer.Options[*corev1.Pod]{Transform: tr.fn, LabelIndex: tr.name == "labelIndex"}
					if tr.shared {
						o.InitialList, o.SharedObjects = informer.StreamingList, true
					}
					inf, err := informer.New[*corev1.Pod](src, o)
					if err != nil {
						b.Fatal(err)
					}
					reg, _ := inf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{}, informer.HandlerOptions{})
					done := make(chan struct{})
					go func() { defer close(done); inf.Run(ctx) }()
					if err := informer.WaitForSync(ctx, inf, reg); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					retained += heapInUse() - before
					if inf.Lister().Len() != n {
						b.Fatalf("synced %d pods, want %d", inf.Lister().Len(), n)
					}
					cancel()
					<-done
					b.StartTimer()
				}
				b.ReportMetric(float64(retained)/float64(b.N)/float64(n), "B/pod")
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pods/s")
			})
		}
	}
}

// chanSource serves an empty list at revision 1 and one watch fed from a channel.
type chanSource struct {
	ch chan watch.Event[rt.Object]
}

func (c chanSource) List(context.Context, string, store.ListOptions) (*store.List, error) {
	return &store.List{Revision: 1}, nil
}

func (c chanSource) Watch(ctx context.Context, _ string, o store.WatchOptions) (watch.Interface[rt.Object], error) {
	return watch.NewProxy(ctx, c.ch), nil
}

// BenchmarkEvents measures steady-state watch events per second through one informer into 1
// and 10 handlers (each counts its calls). The producer builds one small pod per event on its
// own goroutine; 1,000 pods are updated round-robin.
func BenchmarkEvents(b *testing.B) {
	for _, handlers := range []int{1, 10} {
		b.Run(fmt.Sprintf("handlers=%d", handlers), func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			src := chanSource{ch: make(chan watch.Event[rt.Object], 1024)}
			inf, err := informer.New[*corev1.Pod](src, informer.Options[*corev1.Pod]{})
			if err != nil {
				b.Fatal(err)
			}
			var counts = make([]atomic.Int64, handlers)
			done := make(chan struct{}, handlers)
			total := int64(b.N)
			for h := range handlers {
				c := &counts[h]
				count := func() {
					if c.Add(1) == total {
						done <- struct{}{}
					}
				}
				inf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{
					AddFunc:    func(*corev1.Pod, bool) { count() },
					UpdateFunc: func(_, _ *corev1.Pod) { count() },
				}, informer.HandlerOptions{})
			}
			runDone := make(chan struct{})
			go func() { defer close(runDone); inf.Run(ctx) }()
			informer.WaitForSync(ctx, inf)
			b.ReportAllocs()
			b.ResetTimer()
			go func() {
				for i := range b.N {
					p := &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "pod-" + strconv.Itoa(i%1000), ResourceVersion: strconv.Itoa(i + 2)}}
					typ := watch.Modified
					if i < 1000 {
						typ = watch.Added
					}
					select {
					case src.ch <- watch.Event[rt.Object]{Type: typ, Object: p}:
					case <-ctx.Done():
						return
					}
				}
			}()
			for range handlers {
				<-done
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			cancel()
			<-runDone
		})
	}
}

// BenchmarkListerSelector lists the pods of one app (100 of 100k) through the lister, by
// scanning the cache and through the label index; "app=app-7,tier=backend" has a second
// requirement that every pod meets, checked per candidate.
func BenchmarkListerSelector(b *testing.B) {
	s := podStore(b, 100_000)
	for _, index := range []bool{false, true} {
		inf, err := informer.New[*corev1.Pod](informer.ForResource(s, podsGR), informer.Options[*corev1.Pod]{LabelIndex: index, SharedObjects: true, InitialList: informer.StreamingList})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); inf.Run(ctx) }()
		informer.WaitForSync(ctx, inf)
		for _, sel := range []string{"app=app-7", "app=app-7,tier=backend", "app in (app-7,app-8),tier"} {
			want := 100 * strings.Count(sel, "app-")
			b.Run(fmt.Sprintf("labelIndex=%t/%s", index, sel), func(b *testing.B) {
				sel := labels.MustParse(sel)
				b.ReportAllocs()
				for range b.N {
					if got := len(inf.Lister().List(sel)); got != want {
						b.Fatalf("listed %d pods, want %d", got, want)
					}
				}
			})
		}
		cancel()
		<-done
	}
}
