package scheduler

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/apis"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/scheduler/cache"
	"github.com/cellkit/cellkit/scheduler/framework"
	st "github.com/cellkit/cellkit/scheduler/schedulertest"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

func memStore(t *testing.T) store.Interface {
	t.Helper()
	codecs, err := apis.NewCodecs(runtime.CodecOptions{Strict: true, Default: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(codecs.Scheme)
	if err != nil {
		t.Fatal(err)
	}
	m, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	// The registry gives the API server's semantics (status subresource, binding rules).
	s, err := registry.New(m, registry.Options{Scheme: codecs.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReserverSerializesSchedulers drives the protocol step by step, as two schedulers whose
// caches do not know each other's decisions would: the second reservation on a full node
// fails although the first pod is not bound yet; bound pods count through the store; expired
// and released reservations free the room.
func TestReserverSerializesSchedulers(t *testing.T) {
	ctx := context.Background()
	s := memStore(t)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	nodes := store.For[*corev1.Node](s, nodesGR)
	pods := store.For[*corev1.Pod](s, podsGR)
	if _, err := nodes.Create(ctx, st.Node("n").Capacity("cpu", "1", "pods", "3").Obj()); err != nil {
		t.Fatal(err)
	}
	mk := func(name, cpu string) *corev1.Pod {
		p := st.Pod(name).Req("cpu", cpu).Obj()
		p.UID = ""
		p, err := pods.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c, d := mk("a", "600m"), mk("b", "600m"), mk("c", "400m"), mk("d", "100m")
	r1 := &reserver{pods: pods, nodes: nodes, leases: store.For[*coordinationv1.Lease](s, leasesGR), namespace: "kube-system", ttl: 10 * time.Second, now: clk.Now}
	// A second scheduler: same store, nothing shared in memory.
	r2 := &reserver{pods: r1.pods, nodes: r1.nodes, leases: r1.leases, namespace: r1.namespace, ttl: r1.ttl, now: r1.now}

	if _, err := r1.reserve(ctx, a, "n"); err != nil {
		t.Fatalf("reserve a: %v", err)
	}
	if _, err := r2.reserve(ctx, b, "n"); !errors.Is(err, ErrNodeFull) {
		t.Fatalf("reserve b while a holds 600m of 1000m: got %v, want ErrNodeFull", err)
	}
	if _, err := r2.reserve(ctx, c, "n"); err != nil {
		t.Fatalf("reserve c (400m fits beside a): %v", err)
	}
	// a is bound: it now counts through the store and its reservation is marked bound.
	a.Spec.NodeName = "n"
	if _, err := pods.Update(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := r2.reserve(ctx, d, "n"); !errors.Is(err, ErrNodeFull) {
		t.Fatalf("reserve d on a full node (a bound, c reserved): got %v, want ErrNodeFull", err)
	}
	// c never binds; released, its room is free again.
	if err := r2.release(ctx, c, "n"); err != nil {
		t.Fatal(err)
	}
	if _, err := r1.reserve(ctx, d, "n"); err != nil {
		t.Fatalf("reserve d after c released: %v", err)
	}
	l, err := r1.leases.Get(ctx, "kube-system", leaseName("n"), store.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := decodeReservations(l)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Pod != "default/a" || !rs[0].Bound || rs[1].Pod != "default/d" || rs[1].Bound {
		t.Errorf("reservations after a bound: %+v, want a marked bound and d (c released)", rs)
	}
	// d's reservation expires: b (600m) still does not fit beside a, c (400m) does.
	clk.Step(11 * time.Second)
	if _, err := r1.reserve(ctx, c, "n"); err != nil {
		t.Fatalf("reserve c after d expired: %v", err)
	}
	if _, err := r1.reserve(ctx, b, "n"); !errors.Is(err, ErrNodeFull) {
		t.Fatalf("reserve b: got %v, want ErrNodeFull", err)
	}
	// c is deleted before its binding: its reservation holds nothing any more.
	if _, err := pods.Delete(ctx, "default", "c", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := r1.reserve(ctx, d, "n"); err != nil {
		t.Fatalf("reserve d after c was deleted: %v", err)
	}
}

// fakeView is a scheduler cache's view of nodes for the reserver.
type fakeView map[string]fakeNode

type fakeNode struct {
	node *corev1.Node
	pods []cache.NodePod
}

func (v fakeView) NodePods(node string) (cache.NodeView, bool) {
	n, ok := v[node]
	if !ok {
		return cache.NodeView{}, false
	}
	pods := make([]cache.NodePod, len(n.pods))
	for i, np := range n.pods {
		np.Requests = framework.PodRequests(np.Pod, false)
		pods[i] = np
	}
	return cache.NodeView{Node: n.node, Allocatable: framework.NewResource(n.node.Status.Allocatable), Pods: pods}, true
}

// TestReserverCachedCheck: with a cache view the reserver checks a reservation against the
// cache and the ledger alone, and reads the store only when the ledger holds a reservation
// that expired unconfirmed or the pod does not fit; a scheduler whose cache has not seen
// another's binding still counts that pod through the ledger entry marked bound, so the two
// never over-commit the node.
func TestReserverCachedCheck(t *testing.T) {
	ctx := context.Background()
	s := memStore(t)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	nodes := store.For[*corev1.Node](s, nodesGR)
	pods := store.For[*corev1.Pod](s, podsGR)
	n, err := nodes.Create(ctx, st.Node("n").Capacity("cpu", "1", "pods", "10").Obj())
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name, cpu string) *corev1.Pod {
		p := st.Pod(name).Req("cpu", cpu).Obj()
		p.UID = ""
		p, err := pods.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c, d, e := mk("a", "600m"), mk("b", "600m"), mk("c", "400m"), mk("d", "100m"), mk("e", "400m")
	leases := store.For[*coordinationv1.Lease](s, leasesGR)
	view1 := fakeView{"n": {node: n}}
	view2 := fakeView{"n": {node: n}} // never learns anything: the most stale cache
	r1 := &reserver{pods: pods, nodes: nodes, leases: leases, namespace: "kube-system", ttl: 10 * time.Second, now: clk.Now, view: view1}
	r2 := &reserver{pods: pods, nodes: nodes, leases: leases, namespace: "kube-system", ttl: 10 * time.Second, now: clk.Now, view: view2}
	type step struct {
		name        string
		r           *reserver
		pod         *corev1.Pod
		before      func()
		wantFull    bool
		storeChecks int64 // of r, cumulative
		wantLedger  string
	}
	ledger := func() string {
		l, err := leases.Get(ctx, "kube-system", leaseName("n"), store.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := decodeReservations(l)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, x := range rs {
			out += x.Pod
			if x.Bound {
				out += "(bound)"
			}
			out += " "
		}
		return out
	}
	steps := []step{
		{name: "first reservation from the cache", r: r1, pod: a, storeChecks: 0, wantLedger: "default/a "},
		{name: "a does not fit beside a's reservation: the store confirms", r: r2, pod: b, wantFull: true, storeChecks: 1, wantLedger: "default/a "},
		{
			name: "a bound and seen by r1's cache: marked bound, counted once", r: r1, pod: c,
			before: func() {
				a.Spec.NodeName = "n"
				bound, err := pods.Update(ctx, a)
				if err != nil {
					t.Fatal(err)
				}
				view1["n"] = fakeNode{node: n, pods: []cache.NodePod{{Pod: bound}}}
			},
			storeChecks: 0, wantLedger: "default/a(bound) default/c ",
		},
		{
			name: "c expired unconfirmed: the store decides, a counted though r2's cache never saw it", r: r2, pod: d,
			before:      func() { clk.Step(11 * time.Second) },
			storeChecks: 2, wantLedger: "default/a(bound) default/d ",
		},
		{name: "stale cache, full node: a counted through its bound entry", r: r2, pod: e, wantFull: true, storeChecks: 3, wantLedger: "default/a(bound) default/d "},
	}
	for _, sp := range steps {
		if sp.before != nil {
			sp.before()
		}
		_, err := sp.r.reserve(ctx, sp.pod, "n")
		if sp.wantFull != errors.Is(err, ErrNodeFull) || !sp.wantFull && err != nil {
			t.Fatalf("%s: reserve %s: %v, want full %v", sp.name, sp.pod.Name, err, sp.wantFull)
		}
		if got := sp.r.storeChecks.Load(); got != sp.storeChecks {
			t.Errorf("%s: %d store checks, want %d", sp.name, got, sp.storeChecks)
		}
		if got := ledger(); got != sp.wantLedger {
			t.Errorf("%s: ledger %q, want %q", sp.name, got, sp.wantLedger)
		}
	}
}

func TestReserverChecksPodsAndPorts(t *testing.T) {
	ctx := context.Background()
	s := memStore(t)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	nodes := store.For[*corev1.Node](s, nodesGR)
	pods := store.For[*corev1.Pod](s, podsGR)
	if _, err := nodes.Create(ctx, st.Node("n").Capacity("cpu", "8", "pods", "2", "example.com/gpu", "1").Obj()); err != nil {
		t.Fatal(err)
	}
	r := &reserver{pods: pods, nodes: nodes, leases: store.For[*coordinationv1.Lease](s, leasesGR), namespace: "kube-system", ttl: time.Minute, now: clk.Now}
	create := func(p *corev1.Pod) *corev1.Pod {
		p.UID = ""
		p, err := pods.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1 := create(st.Pod("p1").HostPort(80, corev1.ProtocolTCP, "").Req("example.com/gpu", "1").Obj())
	if _, err := r.reserve(ctx, p1, "n"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		pod  *corev1.Pod
	}{
		{"host port taken", create(st.Pod("p2").HostPort(80, corev1.ProtocolTCP, "10.0.0.1").Obj())},
		{"extended resource", create(st.Pod("p3").Req("example.com/gpu", "1").Obj())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := r.reserve(ctx, tc.pod, "n"); !errors.Is(err, ErrNodeFull) {
				t.Errorf("got %v, want ErrNodeFull", err)
			}
		})
	}
	if _, err := r.reserve(ctx, create(st.Pod("p4").Obj()), "n"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.reserve(ctx, create(st.Pod("p5").Obj()), "n"); !errors.Is(err, ErrNodeFull) {
		t.Errorf("third pod on a 2-pod node: got %v, want ErrNodeFull", err)
	}
}

// FuzzDecodeReservations: the ledger annotation is read from the store, where anyone may
// have written it; decoding must fail cleanly or round-trip.
func FuzzDecodeReservations(f *testing.F) {
	f.Add(`[{"uid":"u1","pod":"default/a","cpu":500,"memory":1048576,"expires":"2026-01-01T00:00:30Z"}]`)
	f.Add(`[{"uid":"u2","pod":"ns/b","scalar":{"example.com/gpu":1},"ports":[{"ip":"0.0.0.0","protocol":"TCP","port":80}],"expires":"2026-01-01T00:00:30Z"}]`)
	f.Add(`[]`)
	f.Add(`{"not":"a list"}`)
	f.Add(`[{"expires":"yesterday"}]`)
	f.Fuzz(func(t *testing.T, raw string) {
		l := &coordinationv1.Lease{}
		l.Annotations = map[string]string{ReservationsAnnotation: raw}
		rs, err := decodeReservations(l)
		if err != nil {
			return
		}
		if err := encodeReservations(l, rs); err != nil {
			t.Fatalf("encode of decoded reservations: %v", err)
		}
		again, err := decodeReservations(l)
		if err != nil {
			t.Fatalf("decode of encoded reservations: %v", err)
		}
		if len(again) != len(rs) {
			t.Fatalf("round trip: %d reservations, then %d", len(rs), len(again))
		}
		for i := range rs {
			if again[i].UID != rs[i].UID || again[i].CPU != rs[i].CPU || !again[i].Expires.Equal(rs[i].Expires) || len(again[i].Ports) != len(rs[i].Ports) {
				t.Fatalf("round trip changed reservation %d: %+v -> %+v", i, rs[i], again[i])
			}
		}
	})
}

// countingView counts NodePods calls (the cache lock a binding would wait for).
type countingView struct {
	fakeView
	calls int
}

func (v *countingView) NodePods(node string) (cache.NodeView, bool) {
	v.calls++
	return v.fakeView.NodePods(node)
}

// TestReserverUsesAssumedView: a binding whose context carries the cache's view taken when
// its pod was assumed reserves from that view, without reading the cache again; a view that
// is stale (it misses a pod another scheduler bound meanwhile) still counts that pod through
// its ledger entry, so the node is not over-committed.
func TestReserverUsesAssumedView(t *testing.T) {
	ctx := context.Background()
	s := memStore(t)
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	nodes := store.For[*corev1.Node](s, nodesGR)
	pods := store.For[*corev1.Pod](s, podsGR)
	n, err := nodes.Create(ctx, st.Node("n").Capacity("cpu", "1", "pods", "10").Obj())
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name, cpu string) *corev1.Pod {
		p := st.Pod(name).Req("cpu", cpu).Obj()
		p.UID = ""
		p, err := pods.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := mk("a", "600m"), mk("b", "600m")
	leases := store.For[*coordinationv1.Lease](s, leasesGR)
	other := &reserver{pods: pods, nodes: nodes, leases: leases, namespace: "kube-system", ttl: 10 * time.Second, now: clk.Now, view: fakeView{"n": {node: n}}}
	if _, err := other.reserve(ctx, a, "n"); err != nil {
		t.Fatalf("other scheduler reserves a: %v", err)
	}
	a.Spec.NodeName = "n"
	if _, err := pods.Update(ctx, a); err != nil {
		t.Fatal(err)
	}

	cv := &countingView{fakeView: fakeView{"n": {node: n}}}
	r := &reserver{pods: pods, nodes: nodes, leases: leases, namespace: "kube-system", ttl: 10 * time.Second, now: clk.Now, view: cv}
	assumed := *b
	assumed.Spec.NodeName = "n"
	stale, _ := fakeView{"n": {node: n, pods: []cache.NodePod{{Pod: &assumed, Assumed: true}}}}.NodePods("n")
	_, err = r.reserve(withAssumedView(ctx, &assumed, stale), &assumed, "n")
	if !errors.Is(err, ErrNodeFull) {
		t.Fatalf("reserve b from a view that misses a: %v, want ErrNodeFull (a counted through its entry)", err)
	}
	if cv.calls != 0 {
		t.Errorf("the reserver read the cache %d times, want 0 (the assumed view serves)", cv.calls)
	}
	if got := r.storeChecks.Load(); got != 1 {
		t.Errorf("%d store checks, want 1 (a pod that does not fit by the cache goes to the store)", got)
	}

	// A view for another pod or node is not used.
	if _, ok := assumedView(withAssumedView(ctx, &assumed, stale), a, "n"); ok {
		t.Error("the view of b's assumption was used for a")
	}
	if _, ok := assumedView(withAssumedView(ctx, &assumed, stale), &assumed, "m"); ok {
		t.Error("the view of node n was used for node m")
	}
}

// TestCheckCachedCountsEachPodOnce: whether the cache's pods are looked up by a scan (a few
// pods) or through a map (many), a ledger entry whose pod the cache places on the node counts
// once (and is marked bound when the cache shows it bound), and an entry the cache does not
// know counts in full.
func TestCheckCachedCountsEachPodOnce(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	r := &reserver{now: clk.Now}
	node := st.Node("n").Capacity("cpu", "4", "pods", "110").Obj()
	for _, pods := range []int{5, 20} {
		t.Run(fmt.Sprintf("%d pods", pods), func(t *testing.T) {
			var onNode []cache.NodePod
			for i := 0; i < pods; i++ {
				p := st.Pod(fmt.Sprintf("p%d", i)).Req("cpu", "100m").Node("n").Obj()
				onNode = append(onNode, cache.NodePod{Pod: p, Requests: framework.PodRequests(p, false), Assumed: i%2 == 1})
			}
			view := cache.NodeView{Node: node, Allocatable: framework.NewResource(node.Status.Allocatable), Pods: onNode}
			expires := clk.Now().Add(time.Minute)
			ledger := []reservation{
				newReservation(onNode[0].Pod, onNode[0].Requests, expires), // bound per the cache
				newReservation(onNode[1].Pod, onNode[1].Requests, expires), // assumed per the cache
				{UID: "other", Pod: "default/other", CPU: 500, Expires: expires},
			}
			// In use: the pods (pods x 100m) and the unknown entry (500m).
			free := 4000 - int64(pods)*100 - 500
			for _, tc := range []struct {
				cpu  int64
				fits bool
			}{{free, true}, {free + 1, false}} {
				mine := reservation{UID: "mine", Pod: "default/mine", CPU: tc.cpu, Expires: expires}
				kept, ok := r.checkCached(ledger, mine, view, true)
				if ok != tc.fits {
					t.Fatalf("mine of %dm: fits %v, want %v", tc.cpu, ok, tc.fits)
				}
				if !ok {
					continue
				}
				var got []string
				for _, x := range kept {
					got = append(got, fmt.Sprintf("%s bound=%v", x.Pod, x.Bound))
				}
				want := []string{"default/p0 bound=true", "default/p1 bound=false", "default/other bound=false"}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("kept entries (-want +got):\n%s", d)
				}
			}
		})
	}
}
