package scheduler

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/internal/clock"
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
	r2 := *r1 // a second scheduler: same store, nothing shared in memory

	if _, err := r1.reserve(ctx, a, "n"); err != nil {
		t.Fatalf("reserve a: %v", err)
	}
	if _, err := r2.reserve(ctx, b, "n"); !errors.Is(err, ErrNodeFull) {
		t.Fatalf("reserve b while a holds 600m of 1000m: got %v, want ErrNodeFull", err)
	}
	if _, err := r2.reserve(ctx, c, "n"); err != nil {
		t.Fatalf("reserve c (400m fits beside a): %v", err)
	}
	// a is bound: it now counts through the store and its reservation is pruned.
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
	if len(rs) != 1 || rs[0].Pod != "default/d" {
		t.Errorf("reservations after a bound: %+v, want only d (a bound, c released)", rs)
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
