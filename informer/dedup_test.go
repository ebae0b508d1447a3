package informer_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
)

func newDedup(t testing.TB, opts informer.DedupOptions) *informer.Dedup {
	t.Helper()
	d, err := informer.NewDedup(opts)
	if err != nil {
		t.Fatalf("NewDedup: %v", err)
	}
	return d
}

// dedupPaths are the two ways a Dedup interns a built-in object: the generated InternRefs
// methods (the default) and the reflective walk (for every other type).
var dedupPaths = []struct {
	name string
	new  func(informer.DedupOptions) (*informer.Dedup, error)
}{{"generated", informer.NewDedup}, {"reflective", informer.NewReflectiveDedup}}

func eachPath(t *testing.T, opts informer.DedupOptions, fn func(t *testing.T, d *informer.Dedup)) {
	for _, p := range dedupPaths {
		t.Run(p.name, func(t *testing.T) {
			d, err := p.new(opts)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, d)
		})
	}
}

func samePointer(a, b any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// variedPod is benchPod with the differences real pods have: nil and empty maps and slices,
// requests that differ, extra containers, tolerations.
func variedPod(i int) *corev1.Pod {
	p := benchPod(i)
	switch i % 7 {
	case 0:
		p.Labels = map[string]string{} // empty, not nil
	case 1:
		p.Labels = nil
	case 2:
		p.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(strconv.Itoa(i%3+1) + "00m")}
	case 3:
		p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "sidecar", Image: "proxy:1", Args: []string{}})
	case 4:
		p.Spec.Tolerations = []corev1.Toleration{{Key: "k", Operator: corev1.TolerationOpExists}}
	case 5:
		p.Spec.Containers = nil
	case 6:
		p.Spec.Containers = []corev1.Container{}
	}
	return p
}

func TestDedupKeepsContent(t *testing.T) {
	eachPath(t, informer.DedupOptions{}, testDedupKeepsContent)
}

func testDedupKeepsContent(t *testing.T, d *informer.Dedup) {
	var pods, want []*corev1.Pod
	for i := range 500 {
		p := variedPod(i)
		want = append(want, p.DeepCopy())
		d.Object(p)
		pods = append(pods, p)
	}
	for i := range pods {
		if diff := cmp.Diff(want[i], pods[i]); diff != "" {
			t.Fatalf("pod %d changed (-before +after):\n%s", i, diff)
		}
		// nil and empty stay apart (cmp treats them as different, but say it plainly).
		if (want[i].Labels == nil) != (pods[i].Labels == nil) || (want[i].Spec.Containers == nil) != (pods[i].Spec.Containers == nil) {
			t.Fatalf("pod %d: nil-ness changed", i)
		}
	}
	if st := d.Stats(); st.Shared == 0 || st.Added == 0 {
		t.Fatalf("stats %+v: want values both shared and added", st)
	}
}

func TestDedupShares(t *testing.T) {
	eachPath(t, informer.DedupOptions{}, testDedupShares)
}

func testDedupShares(t *testing.T, d *informer.Dedup) {
	a, b := benchPod(1), benchPod(1001) // same app, owner, template; other name, node, IP
	d.Object(a)
	d.Object(b)
	cases := []struct {
		name string
		x, y any
	}{
		{"labels", a.Labels, b.Labels},
		{"ownerReferences", a.OwnerReferences, b.OwnerReferences},
		{"managedFields", a.ManagedFields, b.ManagedFields},
		{"containers", a.Spec.Containers, b.Spec.Containers},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !samePointer(tc.x, tc.y) {
				t.Errorf("not shared between two replicas")
			}
		})
	}
	// A pod of another app shares its containers and managedFields but not its labels.
	c := benchPod(2)
	d.Object(c)
	if samePointer(a.Labels, c.Labels) {
		t.Errorf("labels of different apps are shared")
	}
	if !samePointer(a.Spec.Containers, c.Spec.Containers) {
		t.Errorf("identical containers of different apps are not shared")
	}
	// A canonical slice has no spare capacity: appending to one object's never writes into
	// another's.
	if cap(a.Spec.Containers) != len(a.Spec.Containers) {
		t.Errorf("shared containers have spare capacity %d > %d", cap(a.Spec.Containers), len(a.Spec.Containers))
	}
}

func TestDedupTableIsBounded(t *testing.T) {
	eachPath(t, informer.DedupOptions{MaxEntries: 10}, testDedupTableIsBounded)
}

func testDedupTableIsBounded(t *testing.T, d *informer.Dedup) {
	for i := range 300 {
		p := benchPod(i)
		p.Labels["unique"] = strconv.Itoa(i)
		p.Spec.Containers[0].Image = "img:" + strconv.Itoa(i)
		d.Object(p)
	}
	if st := d.Stats(); st.Entries > 20 {
		t.Fatalf("table holds %d values, want at most 2*MaxEntries = 20", st.Entries)
	}
}

// custom is a type without generated code: Dedup walks it by reflection.
type custom struct {
	meta.TypeMeta
	meta.ObjectMeta
	Spec map[string][]string
}

func TestDedupFallsBackToReflection(t *testing.T) {
	d := newDedup(t, informer.DedupOptions{})
	mk := func(name string) *custom {
		return &custom{ObjectMeta: meta.ObjectMeta{Name: name, Labels: map[string]string{"app": "a"}},
			Spec: map[string][]string{"x": {"1", "2"}}}
	}
	a, b := mk("a"), mk("b")
	d.Object(a)
	d.Object(b)
	if !samePointer(a.Labels, b.Labels) || !samePointer(a.Spec, b.Spec) {
		t.Errorf("equal maps of a type without generated code are not shared")
	}
	if a.Name != "a" || b.Name != "b" {
		t.Errorf("names changed: %q, %q", a.Name, b.Name)
	}
	if st := d.Stats(); st.Shared != 2 || st.Added != 3 { // labels, spec and spec's slice
		t.Errorf("stats %+v, want 2 shared and 3 added", st)
	}
}

func TestDedupValidation(t *testing.T) {
	if _, err := informer.NewDedup(informer.DedupOptions{MaxEntries: -1}); !errors.Is(err, informer.ErrInvalidOptions) {
		t.Fatalf("NewDedup(MaxEntries: -1) = %v, want ErrInvalidOptions", err)
	}
	d := newDedup(t, informer.DedupOptions{})
	// Values that are not pointers to structs are left alone, not a panic.
	for _, v := range []any{nil, 3, "x", (*corev1.Pod)(nil), map[string]string{"a": "b"}} {
		d.Object(v)
	}
	if st := d.Stats(); st.Added != 0 {
		t.Fatalf("non-objects were deduplicated: %+v", st)
	}
}

// TestDedupConcurrent dedups from several goroutines at once, as one Dedup serving several
// informers does (meant for -race).
func TestDedupConcurrent(t *testing.T) {
	eachPath(t, informer.DedupOptions{MaxEntries: 64}, testDedupConcurrent)
}

func testDedupConcurrent(t *testing.T, d *informer.Dedup) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				p := variedPod(g*1000 + i)
				want := p.DeepCopy()
				d.Object(p)
				if diff := cmp.Diff(want, p); diff != "" {
					t.Errorf("pod changed (-before +after):\n%s", diff)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestDedupInformer runs an informer with the Dedup transform over a memory store while
// writers create, update (labels, images, requests) and delete pods made from a few
// templates: the cache and what handlers received must equal the store's objects.
func TestDedupInformer(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := memory.New(memory.Options{Resources: []store.Resource{podResource()}})
	if err != nil {
		t.Fatal(err)
	}
	pods := store.For[*corev1.Pod](s, podsGR)
	d := newDedup(t, informer.DedupOptions{MaxEntries: 16})
	inf, err := informer.New[*corev1.Pod](informer.ForResource(s, podsGR), informer.Options[*corev1.Pod]{
		Transform: informer.DedupTransform[*corev1.Pod](d),
	})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	last := map[string]*corev1.Pod{} // what the handler saw last, by key
	changed := make(chan struct{}, 1)
	set := func(key string, p *corev1.Pod) {
		mu.Lock()
		if p == nil {
			delete(last, key)
		} else {
			last[key] = p
		}
		mu.Unlock()
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	reg, err := inf.AddHandler(informer.HandlerFuncs[*corev1.Pod]{
		AddFunc:    func(p *corev1.Pod, _ bool) { set(p.Namespace+"/"+p.Name, p) },
		UpdateFunc: func(_, p *corev1.Pod) { set(p.Namespace+"/"+p.Name, p) },
		DeleteFunc: func(del informer.Deleted[*corev1.Pod]) { set(del.Object.Namespace+"/"+del.Object.Name, nil) },
	}, informer.HandlerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	runDone := make(chan error, 1)
	go func() { runDone <- inf.Run(ctx) }()
	if err := informer.WaitForSync(ctx, inf, reg); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 3))
			for range 150 {
				i := w*100 + rng.IntN(40)
				cur, err := pods.Get(ctx, "ns-"+strconv.Itoa(i%100), "pod-"+strconv.Itoa(i), store.GetOptions{})
				switch {
				case err != nil:
					_, err = pods.Create(ctx, benchPod(i))
				case rng.IntN(4) == 0:
					_, err = pods.Delete(ctx, cur.Namespace, cur.Name, store.DeleteOptions{})
				default:
					switch rng.IntN(3) {
					case 0:
						cur.Labels["app"] = "app-" + strconv.Itoa(rng.IntN(3))
					case 1:
						cur.Spec.Containers[0].Image = "registry.example/app:" + strconv.Itoa(rng.IntN(3))
					case 2:
						cur.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU] = resource.MustParse(strconv.Itoa(rng.IntN(3)+1) + "00m")
					}
					_, err = pods.Update(ctx, cur)
				}
				if err != nil && !isRace(err) {
					t.Errorf("write: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	want, err := pods.List(ctx, "", store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := inf.WaitForRevision(ctx, want.Revision); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Items, inf.Lister().List(nil)); diff != "" {
		t.Fatalf("cache differs from the store (-store +cache):\n%s", diff)
	}
	// The handler runs behind the cache: compare after each of its calls until it caught up.
	for {
		mu.Lock()
		var got []*corev1.Pod
		for _, p := range last {
			got = append(got, p)
		}
		mu.Unlock()
		sort.Slice(got, func(i, j int) bool {
			return got[i].Namespace+"/"+got[i].Name < got[j].Namespace+"/"+got[j].Name
		})
		diff := cmp.Diff(want.Items, got)
		if diff == "" {
			break
		}
		select {
		case <-changed:
		case <-ctx.Done():
			t.Fatalf("handler's objects differ from the store (-store +handler):\n%s", diff)
		}
	}
	if st := d.Stats(); st.Shared == 0 {
		t.Errorf("nothing was shared: %+v", st)
	}
	cancel()
	if err := <-runDone; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func ExampleDedup() {
	d, _ := informer.NewDedup(informer.DedupOptions{})
	// Two replicas of one template, decoded separately: equal parts, separate memory.
	mk := func(name string) *corev1.Pod {
		return &corev1.Pod{
			ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, Labels: map[string]string{"app": "web"}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
		}
	}
	a, b := mk("web-1"), mk("web-2")
	tr := informer.DedupTransform[*corev1.Pod](d) // Options.Transform of an informer
	tr(a)
	tr(b)
	fmt.Println("same containers:", &a.Spec.Containers[0] == &b.Spec.Containers[0])
	fmt.Println("names kept:", a.Name, b.Name)
	fmt.Printf("%+v\n", d.Stats())
	// Output:
	// same containers: true
	// names kept: web-1 web-2
	// {Shared:2 Added:2 Entries:2}
}

// BenchmarkDedup measures the Dedup transform's cost per pod on fresh deep copies of 10,000
// realistic pods of 1,000 templates (what an informer's list hands it), through the generated
// code and through the reflective walk. The copies are made, and the garbage of the previous
// round collected, with the timer stopped; cpu-ns/op is the CPU time of the benchmarking
// thread, which a loaded machine disturbs less than wall time.
func BenchmarkDedup(b *testing.B) {
	const n = 10_000
	src := make([]*corev1.Pod, n)
	for i := range src {
		src[i] = benchPod(i)
	}
	for _, tc := range []struct {
		name string
		new  func(informer.DedupOptions) (*informer.Dedup, error)
	}{{"generated", informer.NewDedup}, {"reflective", informer.NewReflectiveDedup}} {
		b.Run(tc.name, func(b *testing.B) {
			d, err := tc.new(informer.DedupOptions{})
			if err != nil {
				b.Fatal(err)
			}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			pods := make([]*corev1.Pod, n)
			var cpu time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; {
				b.StopTimer()
				for j := range pods {
					pods[j] = src[j].DeepCopy()
				}
				runtime.GC()
				b.StartTimer()
				k := min(n, b.N-done)
				c0 := threadCPU()
				for _, p := range pods[:k] {
					d.Object(p)
				}
				cpu += threadCPU() - c0
				done += k
			}
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// threadCPU returns the CPU time of the calling OS thread (RUSAGE_THREAD, Linux), or 0 where
// that is not available.
func threadCPU() time.Duration {
	const rusageThread = 1
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
