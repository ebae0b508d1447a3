package informer

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	k8sv1 "k8s.io/api/core/v1"
	k8sresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	k8stypes "k8s.io/apimachinery/pkg/types"
	k8swatch "k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	rt "github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
)

const managedFieldsJSON = `{"f:metadata":{"f:labels":{".":{},"f:app":{},"f:tier":{}},"f:ownerReferences":{".":{},"k:{\"uid\":\"x\"}":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"main\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{".":{},"f:requests":{".":{},"f:cpu":{},"f:memory":{}}}}}}}`

// The same pod in both type systems.
func ourPod(i int) corev1.Pod {
	ctrl := true
	return corev1.Pod{
		ObjectMeta: meta.ObjectMeta{
			Namespace: "ns-" + strconv.Itoa(i%100), Name: "pod-" + strconv.Itoa(i), ResourceVersion: strconv.Itoa(i + 1),
			UID:    meta.UID("uid-pod-" + strconv.Itoa(i)),
			Labels: map[string]string{"app": "app-" + strconv.Itoa(i%1000), "tier": "backend"},
			OwnerReferences: []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs-" + strconv.Itoa(i%1000),
				UID: meta.UID("uid-rs-" + strconv.Itoa(i%1000)), Controller: &ctrl}},
			ManagedFields: []meta.ManagedFieldsEntry{{Manager: "kube-controller-manager", Operation: "Update", APIVersion: "v1",
				FieldsType: "FieldsV1", FieldsV1: &meta.FieldsV1{Raw: []byte(managedFieldsJSON)}}},
		},
		Spec: corev1.PodSpec{
			NodeName: "node-" + strconv.Itoa(i%500),
			Containers: []corev1.Container{{Name: "main", Image: "registry.example/app:1.2.3",
				Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
					corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")}}}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0." + strconv.Itoa(i%250) + "." + strconv.Itoa(i%200)},
	}
}

func k8sPod(i int) k8sv1.Pod {
	ctrl := true
	return k8sv1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Namespace: "ns-" + strconv.Itoa(i%100), Name: "pod-" + strconv.Itoa(i), ResourceVersion: strconv.Itoa(i + 1),
			UID:    k8stypes.UID("uid-pod-" + strconv.Itoa(i)),
			Labels: map[string]string{"app": "app-" + strconv.Itoa(i%1000), "tier": "backend"},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs-" + strconv.Itoa(i%1000),
				UID: k8stypes.UID("uid-rs-" + strconv.Itoa(i%1000)), Controller: &ctrl}},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kube-controller-manager", Operation: "Update", APIVersion: "v1",
				FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(managedFieldsJSON)}}},
		},
		Spec: k8sv1.PodSpec{
			NodeName: "node-" + strconv.Itoa(i%500),
			Containers: []k8sv1.Container{{Name: "main", Image: "registry.example/app:1.2.3",
				Resources: k8sv1.ResourceRequirements{Requests: k8sv1.ResourceList{
					k8sv1.ResourceCPU: k8sresource.MustParse("100m"), k8sv1.ResourceMemory: k8sresource.MustParse("128Mi")}}}},
		},
		Status: k8sv1.PodStatus{Phase: k8sv1.PodRunning, PodIP: "10.0." + strconv.Itoa(i%250) + "." + strconv.Itoa(i%200)},
	}
}

var (
	dataMu  sync.Mutex
	ourData = map[int][]corev1.Pod{}
	k8sData = map[int][]k8sv1.Pod{}
)

func data(n int) ([]corev1.Pod, []k8sv1.Pod) {
	dataMu.Lock()
	defer dataMu.Unlock()
	if ourData[n] == nil {
		o, k := make([]corev1.Pod, n), make([]k8sv1.Pod, n)
		for i := range n {
			o[i], k[i] = ourPod(i), k8sPod(i)
		}
		ourData[n], k8sData[n] = o, k
	}
	return ourData[n], k8sData[n]
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// silentWatch is a cellkit watch that delivers nothing until stopped.
func silentWatch() watch.Interface[rt.Object] { return watch.NewFake[rt.Object](0) }

// The list functions of the Sync benchmark serve pages for both sides identically: each
// request gets at most Limit pods from the index its Continue token names (the token is that
// index), with the next token and the remaining count when more follow, and each page's pods
// are fresh deep copies made inside the call, so the copy (which stands for decoding) stays
// inside the measured sync. Both informers page at 500, their default: cellkit's PageSize and
// client-go's reflector pager (its initial list is at resourceVersion "0", which keeps the
// pager's 500, and once a page carries a Continue token the pager requests the rest).
//
// page returns the bounds of the page of n items that limit and cont ask for, the next token
// and the count of the items after the page.
func page(n int, limit int64, cont string) (start, end int, next string, remaining *int64, err error) {
	pageCalls.Add(1)
	if cont != "" {
		if start, err = strconv.Atoi(cont); err != nil || start < 0 || start > n {
			return 0, 0, "", nil, fmt.Errorf("bad continue token %q", cont)
		}
	}
	end = n
	if limit > 0 && int64(end-start) > limit {
		end = start + int(limit)
		rem := int64(n - end)
		next, remaining = strconv.Itoa(end), &rem
	}
	return start, end, next, remaining, nil
}

// pageCalls counts the list requests served; the Sync benchmark checks that both sides made
// one request per page of 500.
var pageCalls atomic.Int64

// checkPages fails b when a sync made other than one list request per page of 500.
func checkPages(b *testing.B, side string, n int, calls int64) {
	if want := int64((n + 499) / 500); calls != want {
		b.Fatalf("%s made %d list requests for %d pods, want %d (pages of 500)", side, calls, n, want)
	}
}

func ourSource(pods []corev1.Pod) informer.Source {
	return informer.SourceFuncs{
		ListFunc: func(_ context.Context, _ string, opts store.ListOptions) (*store.List, error) {
			start, end, next, rem, err := page(len(pods), opts.Limit, opts.Continue)
			if err != nil {
				return nil, err
			}
			items := make([]rt.MetaObject, end-start)
			for i := range items {
				items[i] = pods[start+i].DeepCopy()
			}
			return &store.List{Items: items, Revision: int64(len(pods)), Continue: next, RemainingItemCount: rem}, nil
		},
		WatchFunc: func(context.Context, string, store.WatchOptions) (watch.Interface[rt.Object], error) {
			return silentWatch(), nil
		},
	}
}

// listWatch is client-go's ListWatch declaring that it serves plain list+watch (no
// streaming initial events), as cellkit's informer does by default.
type listWatch struct{ *cache.ListWatch }

func (listWatch) IsWatchListSemanticsUnSupported() bool { return true }

func k8sListWatch(pods []k8sv1.Pod, w func() k8swatch.Interface) cache.ListerWatcher {
	return listWatch{&cache.ListWatch{
		ListFunc: func(opts metav1.ListOptions) (k8sruntime.Object, error) {
			start, end, next, rem, err := page(len(pods), opts.Limit, opts.Continue)
			if err != nil {
				return nil, err
			}
			l := &k8sv1.PodList{ListMeta: metav1.ListMeta{ResourceVersion: strconv.Itoa(len(pods)), Continue: next, RemainingItemCount: rem},
				Items: make([]k8sv1.Pod, end-start)}
			for i := range l.Items {
				pods[start+i].DeepCopyInto(&l.Items[i])
			}
			return l, nil
		},
		WatchFunc: func(metav1.ListOptions) (k8swatch.Interface, error) { return w(), nil },
	}}
}

type result struct {
	nsPerOp, bytesPerPod, allocsPerOp, overheadPerPod, cpuNsPerOp float64
}

// processCPU returns the CPU time the process used so far (user and system, all threads, so
// the garbage collector's work counts too). Other processes on a loaded machine stretch wall
// time but not this, which makes it the steadier measure of the work each side does.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var (
	resultsMu sync.Mutex
	results   = map[string]result{}
)

func record(name string, r result) {
	resultsMu.Lock()
	results[name] = r
	resultsMu.Unlock()
}

func printRatios(prefix string) {
	resultsMu.Lock()
	defer resultsMu.Unlock()
	var names []string
	for k := range results {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix && k[len(k)-len("/cellkit"):] == "/cellkit" {
			names = append(names, k[:len(k)-len("/cellkit")])
		}
	}
	sort.Strings(names)
	for _, n := range names {
		c, ok1 := results[n+"/cellkit"]
		g, ok2 := results[n+"/client-go"]
		if !ok1 || !ok2 {
			continue
		}
		fmt.Fprintf(os.Stdout, "RATIO %-42s time client-go/cellkit %.2fx", n, g.nsPerOp/c.nsPerOp)
		if c.cpuNsPerOp > 0 {
			fmt.Fprintf(os.Stdout, "   cpu %.2fx", g.cpuNsPerOp/c.cpuNsPerOp)
		}
		fmt.Fprintf(os.Stdout, "   allocs %.2fx", g.allocsPerOp/c.allocsPerOp)
		if c.bytesPerPod > 0 {
			fmt.Fprintf(os.Stdout, "   retained B/pod %.0f vs %.0f (cellkit/client-go %.2f)", c.bytesPerPod, g.bytesPerPod, c.bytesPerPod/g.bytesPerPod)
			if c.overheadPerPod > 0 {
				fmt.Fprintf(os.Stdout, "   overhead B/pod %.0f vs %.0f (%.2f)", c.overheadPerPod, g.overheadPerPod, c.overheadPerPod/g.overheadPerPod)
			}
		}
		fmt.Fprintln(os.Stdout)
	}
}

func allocs() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Mallocs
}

// objectBytes returns the heap one deep copy of each pod takes, in the layout each library's
// list hands out (separate objects for cellkit, one array of values for client-go).
func objectBytes(n int) (ours, theirs float64) {
	op, kp := data(n)
	before := heap()
	oc := make([]*corev1.Pod, n)
	for i := range op {
		oc[i] = op[i].DeepCopy()
	}
	ours = float64(heap()-before) / float64(n)
	runtime.KeepAlive(oc)
	oc = nil
	before = heap()
	kc := make([]k8sv1.Pod, n)
	for i := range kp {
		kp[i].DeepCopyInto(&kc[i])
	}
	theirs = float64(heap()-before) / float64(n)
	runtime.KeepAlive(kc)
	return ours, theirs
}

func sharedSource(pods []corev1.Pod) informer.Source {
	return informer.SourceFuncs{
		ListFunc: func(_ context.Context, _ string, opts store.ListOptions) (*store.List, error) {
			start, end, next, rem, err := page(len(pods), opts.Limit, opts.Continue)
			if err != nil {
				return nil, err
			}
			items := make([]rt.MetaObject, end-start)
			for i := range items {
				items[i] = &pods[start+i]
			}
			return &store.List{Items: items, Revision: int64(len(pods)), Continue: next, RemainingItemCount: rem}, nil
		},
		WatchFunc: func(context.Context, string, store.WatchOptions) (watch.Interface[rt.Object], error) {
			return silentWatch(), nil
		},
	}
}

// k8sShallowListWatch hands out a list whose items are struct copies sharing maps and slices
// with the data: the cheapest feeding client-go's value-typed lists allow.
func k8sShallowListWatch(pods []k8sv1.Pod) cache.ListerWatcher {
	return listWatch{&cache.ListWatch{
		ListFunc: func(opts metav1.ListOptions) (k8sruntime.Object, error) {
			start, end, next, rem, err := page(len(pods), opts.Limit, opts.Continue)
			if err != nil {
				return nil, err
			}
			l := &k8sv1.PodList{ListMeta: metav1.ListMeta{ResourceVersion: strconv.Itoa(len(pods)), Continue: next, RemainingItemCount: rem},
				Items: make([]k8sv1.Pod, end-start)}
			copy(l.Items, pods[start:end])
			return l, nil
		},
		WatchFunc: func(metav1.ListOptions) (k8swatch.Interface, error) { return k8swatch.NewFake(), nil },
	}}
}

// syncOurs syncs a cellkit informer b.N times; newTr, when not nil, makes each informer's
// transform (so that a stateful transform starts empty and its state counts as retained).
func syncOurs(b *testing.B, name string, n int, src informer.Source, newTr func() func(*corev1.Pod) (*corev1.Pod, error), objB float64) {
	var retained, mallocs uint64
	var elapsed, cpu time.Duration
	for range b.N {
		b.StopTimer()
		before := heap()
		a0 := allocs()
		b.StartTimer()
		start, cpu0, pages0 := time.Now(), processCPU(), pageCalls.Load()
		ctx, cancel := context.WithCancel(context.Background())
		var tr func(*corev1.Pod) (*corev1.Pod, error)
		if newTr != nil {
			tr = newTr()
		}
		inf, err := informer.New[*corev1.Pod](src, informer.Options[*corev1.Pod]{Transform: tr})
		if err != nil {
			b.Fatal(err)
		}
		reg, _ := inf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{}, informer.HandlerOptions{})
		done := make(chan struct{})
		go func() { defer close(done); inf.Run(ctx) }()
		if err := informer.WaitForSync(ctx, inf, reg); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		cpu += processCPU() - cpu0
		b.StopTimer()
		mallocs += allocs() - a0
		retained += heap() - before
		if inf.Lister().Len() != n {
			b.Fatalf("cellkit synced %d pods", inf.Lister().Len())
		}
		checkPages(b, "cellkit", n, pageCalls.Load()-pages0)
		cancel()
		<-done
		b.StartTimer()
	}
	bpp := float64(retained) / float64(b.N) / float64(n)
	b.ReportMetric(bpp, "retainedB/pod")
	overhead := 0.0
	if objB >= 0 { // not known when a transform changes the object
		overhead = bpp - objB
		b.ReportMetric(overhead, "overheadB/pod")
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	record(name, result{float64(elapsed) / float64(b.N), bpp, float64(mallocs) / float64(b.N), overhead, float64(cpu.Nanoseconds()) / float64(b.N)})
}

func syncTheirs(b *testing.B, name string, n int, lw cache.ListerWatcher, drop bool, objB float64) {
	var retained, mallocs uint64
	var elapsed, cpu time.Duration
	for range b.N {
		b.StopTimer()
		before := heap()
		a0 := allocs()
		b.StartTimer()
		start, cpu0, pages0 := time.Now(), processCPU(), pageCalls.Load()
		stop := make(chan struct{})
		inf := cache.NewSharedIndexInformer(lw, &k8sv1.Pod{}, 0, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
		if drop {
			inf.SetTransform(func(o any) (any, error) {
				if p, ok := o.(*k8sv1.Pod); ok {
					p.ManagedFields = nil
				}
				return o, nil
			})
		}
		reg, _ := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); inf.Run(stop) }()
		if !cache.WaitForCacheSync(stop, inf.HasSynced, reg.HasSynced) {
			b.Fatal("client-go never synced")
		}
		elapsed += time.Since(start)
		cpu += processCPU() - cpu0
		b.StopTimer()
		mallocs += allocs() - a0
		retained += heap() - before
		if len(inf.GetStore().ListKeys()) != n {
			b.Fatalf("client-go synced %d pods", len(inf.GetStore().ListKeys()))
		}
		checkPages(b, "client-go", n, pageCalls.Load()-pages0)
		close(stop)
		wg.Wait()
		b.StartTimer()
	}
	bpp := float64(retained) / float64(b.N) / float64(n)
	b.ReportMetric(bpp, "retainedB/pod")
	overhead := 0.0
	if objB >= 0 { // not known when a transform changes the object
		overhead = bpp - objB
		b.ReportMetric(overhead, "overheadB/pod")
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	record(name, result{float64(elapsed) / float64(b.N), bpp, float64(mallocs) / float64(b.N), overhead, float64(cpu.Nanoseconds()) / float64(b.N)})
}

// BenchmarkSync: cold start until synced (cache and one handler), then the heap retained
// per pod while the synced informer is alive, and that minus the pod copy itself (the
// informer's own overhead). Both list in pages of 500 (see page). "copy" feeds fresh deep
// copies to both (as a decoder does); "shared" feeds cellkit the data's own pointers (an in-process store's immutable objects)
// and client-go struct copies sharing maps and slices (its value-typed lists allow no less).
func BenchmarkSync(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		ours, theirs := data(n)
		objOurs, objTheirs := objectBytes(n)
		b.Logf("pods=%d: one deep copy takes %.0f B (cellkit) and %.0f B (client-go)", n, objOurs, objTheirs)
		for _, v := range []struct {
			drop, dedup bool
		}{{false, false}, {true, false}, {false, true}, {true, true}} {
			name := fmt.Sprintf("pods=%d/copy/dropManagedFields=%t", n, v.drop)
			if v.dedup {
				// cellkit's Dedup transform against client-go with the same managedFields
				// handling and no dedup (client-go has none).
				name += "/dedup"
			}
			newTr := func() func(*corev1.Pod) (*corev1.Pod, error) {
				var d *informer.Dedup
				if v.dedup {
					d, _ = informer.NewDedup(informer.DedupOptions{})
				}
				if !v.drop && !v.dedup {
					return nil
				}
				return func(p *corev1.Pod) (*corev1.Pod, error) {
					if v.drop {
						p.ManagedFields = nil
					}
					if d != nil {
						d.Object(p)
					}
					return p, nil
				}
			}
			oo, ot := objOurs, objTheirs
			if v.drop || v.dedup {
				oo, ot = -1, -1
			}
			b.Run(name+"/cellkit", func(b *testing.B) { syncOurs(b, name+"/cellkit", n, ourSource(ours), newTr, oo) })
			b.Run(name+"/client-go", func(b *testing.B) {
				syncTheirs(b, name+"/client-go", n, k8sListWatch(theirs, func() k8swatch.Interface { return k8swatch.NewFake() }), v.drop, ot)
			})
		}
		name := fmt.Sprintf("pods=%d/copy/source-only", n)
		b.Run(name+"/cellkit", func(b *testing.B) { sourceOnlyOurs(b, name+"/cellkit", n, ourSource(ours)) })
		b.Run(name+"/client-go", func(b *testing.B) {
			sourceOnlyTheirs(b, name+"/client-go", n, k8sListWatch(theirs, func() k8swatch.Interface { return k8swatch.NewFake() }))
		})
		name = fmt.Sprintf("pods=%d/shared", n)
		b.Run(name+"/cellkit", func(b *testing.B) { syncOurs(b, name+"/cellkit", n, sharedSource(ours), nil, 0) })
		b.Run(name+"/client-go", func(b *testing.B) { syncTheirs(b, name+"/client-go", n, k8sShallowListWatch(theirs), false, 0) })
	}
	printRatios("pods=")
	printFloors("pods=")
}

// The "source-only" rows of BenchmarkSync page through the same list functions in pages of
// 500 with no informer, keeping every page as an informer's list does: how long the source
// takes to hand out the copies (the stand-in for decoding). No informer fed by that source
// can sync faster; printFloors compares each side's syncs with its own source's time.
func sourceOnlyOurs(b *testing.B, name string, n int, src informer.Source) {
	sourceOnly(b, name, n, func(cont string) (int, string, any, error) {
		l, err := src.List(context.Background(), "", store.ListOptions{Limit: 500, Continue: cont})
		if err != nil {
			return 0, "", nil, err
		}
		return len(l.Items), l.Continue, l.Items, nil
	})
}

func sourceOnlyTheirs(b *testing.B, name string, n int, lw cache.ListerWatcher) {
	sourceOnly(b, name, n, func(cont string) (int, string, any, error) {
		o, err := lw.List(metav1.ListOptions{Limit: 500, Continue: cont})
		if err != nil {
			return 0, "", nil, err
		}
		l := o.(*k8sv1.PodList)
		return len(l.Items), l.Continue, l, nil
	})
}

// sourceOnly times b.N complete paginated lists through page, which returns a page's item
// count, the next continue token and the page to keep.
func sourceOnly(b *testing.B, name string, n int, page func(cont string) (int, string, any, error)) {
	var elapsed, cpu time.Duration
	for range b.N {
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		start, cpu0 := time.Now(), processCPU()
		var kept []any
		got, cont := 0, ""
		for {
			count, next, keep, err := page(cont)
			if err != nil {
				b.Fatal(err)
			}
			kept = append(kept, keep)
			got += count
			if next == "" {
				break
			}
			cont = next
		}
		elapsed += time.Since(start)
		cpu += processCPU() - cpu0
		if got != n {
			b.Fatalf("source handed out %d pods, want %d", got, n)
		}
		runtime.KeepAlive(kept)
	}
	record(name, result{nsPerOp: float64(elapsed) / float64(b.N), cpuNsPerOp: float64(cpu) / float64(b.N), allocsPerOp: 1})
}

// printFloors prints, for every sync with copies, each side's time as a multiple of the time
// its source alone took in the same run (the source-only rows): 1.00x would be an informer
// that adds nothing to the wait for its source.
func printFloors(prefix string) {
	resultsMu.Lock()
	defer resultsMu.Unlock()
	var names []string
	for k := range results {
		if strings.HasPrefix(k, prefix) && strings.Contains(k, "/copy/") && !strings.Contains(k, "/source-only/") && strings.HasSuffix(k, "/cellkit") {
			names = append(names, strings.TrimSuffix(k, "/cellkit"))
		}
	}
	sort.Strings(names)
	for _, n := range names {
		pods := n[:strings.Index(n, "/")]
		c, g := results[n+"/cellkit"], results[n+"/client-go"]
		sc, ok1 := results[pods+"/copy/source-only/cellkit"]
		sg, ok2 := results[pods+"/copy/source-only/client-go"]
		if !ok1 || !ok2 || g.nsPerOp == 0 {
			continue
		}
		fmt.Fprintf(os.Stdout, "FLOOR %-42s sync / its source alone: cellkit %.2fx (%.0f / %.0f ms)   client-go %.2fx (%.0f / %.0f ms)\n", n,
			c.nsPerOp/sc.nsPerOp, c.nsPerOp/1e6, sc.nsPerOp/1e6, g.nsPerOp/sg.nsPerOp, g.nsPerOp/1e6, sg.nsPerOp/1e6)
	}
}

// BenchmarkEvents: steady-state updates of 1,000 pods through one informer into 1 and 10
// counting handlers. The producer builds one small pod per event in both cases.
func BenchmarkEvents(b *testing.B) {
	for _, handlers := range []int{1, 10} {
		name := fmt.Sprintf("events/handlers=%d", handlers)
		b.Run(name+"/cellkit", func(b *testing.B) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ch := make(chan watch.Event[rt.Object], 1024)
			src := informer.SourceFuncs{
				ListFunc: func(context.Context, string, store.ListOptions) (*store.List, error) {
					return &store.List{Revision: 1}, nil
				},
				WatchFunc: func(ctx context.Context, _ string, _ store.WatchOptions) (watch.Interface[rt.Object], error) {
					return watch.NewProxy(ctx, ch), nil
				},
			}
			inf, _ := informer.New[*corev1.Pod](src, informer.Options[*corev1.Pod]{})
			wait := counters(handlers, int64(b.N), func(count func()) {
				inf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{
					AddFunc: func(*corev1.Pod, bool) { count() }, UpdateFunc: func(_, _ *corev1.Pod) { count() },
				}, informer.HandlerOptions{})
			})
			done := make(chan struct{})
			go func() { defer close(done); inf.Run(ctx) }()
			informer.WaitForSync(ctx, inf)
			a0 := allocs()
			b.ResetTimer()
			start := time.Now()
			go func() {
				for i := range b.N {
					p := &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "pod-" + strconv.Itoa(i%1000), ResourceVersion: strconv.Itoa(i + 2)}}
					typ := watch.Modified
					if i < 1000 {
						typ = watch.Added
					}
					select {
					case ch <- watch.Event[rt.Object]{Type: typ, Object: p}:
					case <-ctx.Done():
						return
					}
				}
			}()
			wait()
			el := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/el.Seconds(), "events/s")
			record(name+"/cellkit", result{float64(el) / float64(b.N), 0, float64(allocs()-a0) / float64(b.N), 0, 0})
			cancel()
			<-done
		})
		b.Run(name+"/client-go", func(b *testing.B) {
			fw := k8swatch.NewFakeWithChanSize(1024, false)
			lw := k8sListWatch(nil, func() k8swatch.Interface { return fw })
			stop := make(chan struct{})
			inf := cache.NewSharedIndexInformer(lw, &k8sv1.Pod{}, 0, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
			wait := counters(handlers, int64(b.N), func(count func()) {
				inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
					AddFunc: func(any) { count() }, UpdateFunc: func(_, _ any) { count() },
				})
			})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); inf.Run(stop) }()
			cache.WaitForCacheSync(stop, inf.HasSynced)
			a0 := allocs()
			b.ResetTimer()
			start := time.Now()
			go func() {
				for i := range b.N {
					p := &k8sv1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "pod-" + strconv.Itoa(i%1000), ResourceVersion: strconv.Itoa(i + 2)}}
					if i < 1000 {
						fw.Add(p)
					} else {
						fw.Modify(p)
					}
				}
			}()
			wait()
			el := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/el.Seconds(), "events/s")
			record(name+"/client-go", result{float64(el) / float64(b.N), 0, float64(allocs()-a0) / float64(b.N), 0, 0})
			close(stop)
			wg.Wait()
		})
	}
	printRatios("events/")
}

// counters registers n handlers with add and returns a function that waits until each has
// counted total calls.
func counters(n int, total int64, add func(count func())) (wait func()) {
	done := make(chan struct{}, n)
	for range n {
		var c atomic.Int64
		add(func() {
			if c.Add(1) == total {
				done <- struct{}{}
			}
		})
	}
	return func() {
		for range n {
			<-done
		}
	}
}
