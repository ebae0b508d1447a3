package controller

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

var testGV = schema.GroupVersion{Group: storetest.Group, Version: "v1"}

func testScheme(t testing.TB) *runtime.Scheme {
	t.Helper()
	s := runtime.NewScheme()
	if err := s.AddKnownTypes(testGV, &storetest.Widget{}, &storetest.Gizmo{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []runtime.ResourceInfo{
		{GroupVersionResource: testGV.WithResource("widgets"), Kind: "Widget", Namespaced: true},
		{GroupVersionResource: testGV.WithResource("gizmos"), Kind: "Gizmo"},
	} {
		if err := s.AddResource(r); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func testStore(t testing.TB) *memory.Store {
	t.Helper()
	s, err := memory.New(memory.Options{Resources: storetest.Resources()})
	if err != nil {
		t.Fatal(err)
	}
	// Move the store past revision 0: an informer that lists an empty store at revision 0
	// can miss the first change (reported to the informer's owner).
	ctx := context.Background()
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	if _, err := widgets.Create(ctx, widget("seed", "seed", 1, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := widgets.Delete(ctx, "seed", "seed", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	return s
}

type enqueued struct {
	Req  Request
	Prio int
}

// built is a controller made by a builder, not running: tests watch what its handlers enqueue.
type built struct {
	t      *testing.T
	s      *memory.Store
	f      *informer.Factory
	c      *Controller[Request]
	events chan enqueued
	cancel context.CancelFunc
}

func noop() Reconciler[Request] {
	return Func[Request](func(context.Context, Request) (Result, error) { return Result{}, nil })
}

// build creates a controller with configure, seeds objects, starts the factory and waits for
// the controller's sources to sync.
func build(t *testing.T, fc *clock.Fake, seed func(s *memory.Store), configure func(b *Builder) *Builder) *built {
	t.Helper()
	s := testStore(t)
	if seed != nil {
		seed(s)
	}
	fopts := informer.FactoryOptions{Seed: 1}
	if fc != nil {
		fopts.Clock = fc
	}
	f, err := informer.NewFactory(informer.StoreSources(s), fopts)
	if err != nil {
		t.Fatal(err)
	}
	bt := &built{t: t, s: s, f: f, events: make(chan enqueued, 1000)}
	c, err := configure(NewBuilder(f, testScheme(t))).Build(noop())
	if err != nil {
		t.Fatal(err)
	}
	c.onEnqueue = func(r Request, prio int) { bt.events <- enqueued{r, prio} }
	bt.c = c
	ctx, cancel := context.WithCancel(context.Background())
	bt.cancel = cancel
	f.Start(ctx)
	t.Cleanup(func() {
		cancel()
		f.Wait()
		c.Queue().ShutDown()
	})
	if err := c.waitForSync(ctx); err != nil {
		t.Fatal(err)
	}
	return bt
}

// expect reads n enqueues.
func (b *built) expect(n int) []enqueued {
	b.t.Helper()
	var out []enqueued
	timeout := time.After(10 * time.Second)
	for range n {
		select {
		case e := <-b.events:
			out = append(out, e)
		case <-timeout:
			b.t.Fatalf("got %d enqueues, want %d: %v", len(out), n, out)
		}
	}
	return out
}

func widget(ns, name string, gen int64, owner *meta.OwnerReference) *storetest.Widget {
	w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Generation: gen}}
	if owner != nil {
		w.OwnerReferences = []meta.OwnerReference{*owner}
	}
	return w
}

func ctlRef(kind, name string) *meta.OwnerReference {
	yes := true
	return &meta.OwnerReference{APIVersion: testGV.String(), Kind: kind, Name: name, UID: meta.UID("uid-" + name), Controller: &yes}
}

func mustCreate[T runtime.MetaObject](t *testing.T, s store.Interface, gr schema.GroupResource, obj T) T {
	t.Helper()
	out, err := store.For[T](s, gr).Create(context.Background(), obj)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustUpdate[T runtime.MetaObject](t *testing.T, s store.Interface, gr schema.GroupResource, ns, name string, fn func(T)) {
	t.Helper()
	_, err := store.For[T](s, gr).GuaranteedUpdate(context.Background(), ns, name, func(cur T) (T, error) {
		fn(cur)
		return cur, nil
	}, store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBuilderForWithPredicates(t *testing.T) {
	b := build(t, nil, func(s *memory.Store) {
		mustCreate(t, s, storetest.Widgets, widget("ns", "old-1", 1, nil))
		mustCreate(t, s, storetest.Widgets, widget("ns", "old-2", 1, nil))
	}, func(b *Builder) *Builder {
		return b.For(Object[*storetest.Widget](GenerationChanged[*storetest.Widget]()))
	})
	if b.c.Name() != "widget" {
		t.Errorf("default name %q, want widget", b.c.Name())
	}
	// The initial list is enqueued at low priority.
	got := b.expect(2)
	want := []enqueued{{Request{"ns", "old-1"}, PriorityLow}, {Request{"ns", "old-2"}, PriorityLow}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("initial list (-want +got):\n%s", diff)
	}
	s := b.s
	// A status-only change (same generation) is filtered out; the next spec change is not.
	mustUpdate(t, s, storetest.Widgets, "ns", "old-1", func(w *storetest.Widget) { w.Status.Phase = "Running" })
	mustUpdate(t, s, storetest.Widgets, "ns", "old-2", func(w *storetest.Widget) { w.Spec.Size = 3; w.Generation = 2 })
	mustCreate(t, s, storetest.Widgets, widget("other", "new", 1, nil))
	if _, err := store.For[*storetest.Widget](s, storetest.Widgets).Delete(context.Background(), "ns", "old-1", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	got = b.expect(3)
	want = []enqueued{
		{Request{"ns", "old-2"}, PriorityFresh},
		{Request{"other", "new"}, PriorityFresh},
		{Request{"ns", "old-1"}, PriorityFresh},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// Owns enqueues the controlling owner (a cluster-scoped Gizmo here) of children, old and new
// owner when the controller reference moves, and nothing for children of another kind.
func TestBuilderOwns(t *testing.T) {
	b := build(t, nil, nil, func(b *Builder) *Builder {
		return b.Named("gizmos").For(Object[*storetest.Gizmo]()).Owns(Object[*storetest.Widget]())
	})
	if b.c.Name() != "gizmos" {
		t.Errorf("name %q, want gizmos", b.c.Name())
	}
	s := b.s
	mustCreate(t, s, storetest.Widgets, widget("ns", "child", 1, ctlRef("Gizmo", "g1")))
	mustCreate(t, s, storetest.Widgets, widget("ns", "stranger", 1, ctlRef("Widget", "w")))
	notController := ctlRef("Gizmo", "g9")
	notController.Controller = nil
	mustCreate(t, s, storetest.Widgets, widget("ns", "plain-owner", 1, notController))
	mustUpdate(t, s, storetest.Widgets, "ns", "child", func(w *storetest.Widget) {
		w.OwnerReferences = []meta.OwnerReference{*ctlRef("Gizmo", "g2")}
	})
	mustCreate(t, s, storetest.Gizmos, &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g3"}})
	got := b.expect(4)
	want := []enqueued{
		{Request{"", "g1"}, PriorityFresh}, // child created
		{Request{"", "g1"}, PriorityFresh}, // child moved: old owner
		{Request{"", "g2"}, PriorityFresh}, // and new owner
		{Request{"", "g3"}, PriorityFresh}, // the For object itself
	}
	// The For and Owns handlers run on their own goroutines: compare per source.
	sort.SliceStable(got, func(i, j int) bool { return got[i].Req.Name != "g3" && got[j].Req.Name == "g3" })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("owner requests (-want +got):\n%s", diff)
	}
	select {
	case e := <-b.events:
		t.Errorf("unexpected enqueue %v", e)
	default:
	}
}

func TestBuilderWatchesMapFunc(t *testing.T) {
	b := build(t, nil, nil, func(b *Builder) *Builder {
		return b.For(Object[*storetest.Widget](Not(PredicateFuncs[*storetest.Widget]{}))).
			Watches(Object[*storetest.Gizmo](), MapFunc(func(g *storetest.Gizmo) []Request {
				return []Request{{Namespace: "ns", Name: "for-" + g.Name}, {Namespace: "ns", Name: "all"}}
			}))
	})
	s := b.s
	mustCreate(t, s, storetest.Widgets, widget("ns", "ignored", 1, nil)) // For rejects everything
	mustCreate(t, s, storetest.Gizmos, &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "a"}})
	got := b.expect(2)
	want := []enqueued{{Request{"ns", "for-a"}, PriorityFresh}, {Request{"ns", "all"}, PriorityFresh}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mapped requests (-want +got):\n%s", diff)
	}
}

// Resyncs re-enqueue every object at low priority.
func TestBuilderResyncIsLowPriority(t *testing.T) {
	fc := clock.NewFake(time.Unix(0, 0))
	b := build(t, fc, func(s *memory.Store) {
		mustCreate(t, s, storetest.Widgets, widget("ns", "a", 1, nil))
	}, func(b *Builder) *Builder {
		return b.For(Object[*storetest.Widget]()).WithResync(time.Minute)
	})
	if got := b.expect(1); got[0].Prio != PriorityLow {
		t.Fatalf("initial list enqueued at %d", got[0].Prio)
	}
	mustCreate(t, b.s, storetest.Widgets, widget("ns", "b", 1, nil))
	if got := b.expect(1); got[0] != (enqueued{Request{"ns", "b"}, PriorityFresh}) {
		t.Fatalf("fresh create enqueued as %v", got[0])
	}
	// waiters: the watch timeout and the resync ticker
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fc.BlockUntilWaiters(ctx, 2); err != nil {
		t.Fatal(err)
	}
	fc.Step(time.Minute)
	got := b.expect(2)
	sort.Slice(got, func(i, j int) bool { return got[i].Req.Name < got[j].Req.Name })
	want := []enqueued{{Request{"ns", "a"}, PriorityLow}, {Request{"ns", "b"}, PriorityLow}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resync (-want +got):\n%s", diff)
	}
}

func TestBuilderMistakesReportedAtBuild(t *testing.T) {
	f, err := informer.NewFactory(informer.StoreSources(testStore(t)), informer.FactoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sch := testScheme(t)
	type unknown struct{ storetest.Widget }
	tests := []struct {
		name  string
		build func() (*Controller[Request], error)
		want  []string
	}{
		{"no For", func() (*Controller[Request], error) {
			return NewBuilder(f, sch).Owns(Object[*storetest.Widget]()).Build(noop())
		}, []string{"no primary objects"}},
		{"For twice and nil reconciler", func() (*Controller[Request], error) {
			return NewBuilder(f, sch).For(Object[*storetest.Widget]()).For(Object[*storetest.Gizmo]()).Build(nil)
		}, []string{"for: called twice (*storetest.Widget, then *storetest.Gizmo)", "nil reconciler"}},
		{"nil factory and scheme", func() (*Controller[Request], error) {
			return NewBuilder(nil, nil).For(Object[*storetest.Widget]()).Build(noop())
		}, []string{"nil informer factory", "nil scheme"}},
		{"handler of another type", func() (*Controller[Request], error) {
			return NewBuilder(f, sch).For(Object[*storetest.Widget]()).
				Watches(Object[*storetest.Gizmo](), MapFunc(func(*storetest.Widget) []Request { return nil })).Build(noop())
		}, []string{"watches *storetest.Gizmo: handler is for *storetest.Widget"}},
		{"nil sources and handler", func() (*Controller[Request], error) {
			return NewBuilder(f, sch).For(nil).Owns(nil).Watches(nil, nil).Watches(Object[*storetest.Gizmo](), nil).Build(noop())
		}, []string{"for: nil source", "owns: nil source", "watches: nil source", "watches *storetest.Gizmo: nil handler"}},
		{"type not in the scheme", func() (*Controller[Request], error) {
			return NewBuilder(f, sch).For(Object[*storetest.Widget]()).Owns(Object[*unknown]()).Build(noop())
		}, []string{"owns *controller.unknown: kind of *controller.unknown"}},
		{"bad resync and empty name", func() (*Controller[Request], error) {
			return NewBuilder(f, sch).Named("").For(Object[*storetest.Widget]()).WithResync(time.Millisecond).Build(noop())
		}, []string{"empty name", "resync period 1ms: must be 0 or at least 1s"}},
		{"invalid options", func() (*Controller[Request], error) {
			return NewBuilder(f, sch).For(Object[*storetest.Widget]()).WithOptions(Options[Request]{Workers: -2}).Build(noop())
		}, []string{"workers -2 is negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.build()
			if c != nil || !errors.Is(err, ErrInvalidOptions) {
				t.Fatalf("Build: %v, %v; want ErrInvalidOptions", c, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	b := NewBuilder(f, sch).For(Object[*storetest.Widget]())
	c, err := b.Build(noop())
	if err != nil {
		t.Fatal(err)
	}
	c.Queue().ShutDown()
	if _, err := b.Build(noop()); !errors.Is(err, ErrStarted) {
		t.Errorf("second Build: %v, want ErrStarted", err)
	}
}

func TestPredicates(t *testing.T) {
	w := func(gen int64, rv string, l, a map[string]string) *storetest.Widget {
		return &storetest.Widget{ObjectMeta: meta.ObjectMeta{Generation: gen, ResourceVersion: rv, Labels: l, Annotations: a}}
	}
	base := w(1, "10", map[string]string{"app": "x"}, map[string]string{"note": "a"})
	type W = *storetest.Widget
	tests := []struct {
		name string
		p    Predicate[W]
		old  W
		new  W
		want bool
	}{
		{"generation changed", GenerationChanged[W](), base, w(2, "11", base.Labels, base.Annotations), true},
		{"generation same", GenerationChanged[W](), base, w(1, "11", nil, nil), false},
		{"labels changed", LabelsChanged[W](), base, w(1, "11", map[string]string{"app": "y"}, base.Annotations), true},
		{"labels same", LabelsChanged[W](), base, w(2, "11", map[string]string{"app": "x"}, nil), false},
		{"annotations changed", AnnotationsChanged[W](), base, w(1, "11", base.Labels, nil), true},
		{"annotations same", AnnotationsChanged[W](), base, w(3, "11", nil, map[string]string{"note": "a"}), false},
		{"resourceVersion changed", ResourceVersionChanged[W](), base, w(1, "11", base.Labels, base.Annotations), true},
		{"resync", ResourceVersionChanged[W](), base, base, false},
		{"and: one false", And(GenerationChanged[W](), LabelsChanged[W]()), base, w(2, "11", base.Labels, nil), false},
		{"and: all true", And(GenerationChanged[W](), LabelsChanged[W]()), base, w(2, "11", nil, nil), true},
		{"and of none", And[W](), base, base, true},
		{"or: one true", Or(GenerationChanged[W](), LabelsChanged[W]()), base, w(2, "11", base.Labels, nil), true},
		{"or: none true", Or(GenerationChanged[W](), LabelsChanged[W]()), base, w(1, "11", base.Labels, nil), false},
		{"or of none", Or[W](), base, w(2, "11", nil, nil), false},
		{"not", Not(GenerationChanged[W]()), base, w(1, "11", nil, nil), true},
		{"funcs nil", PredicateFuncs[W]{}, base, base, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Update(tt.old, tt.new); got != tt.want {
				t.Errorf("Update = %v, want %v", got, tt.want)
			}
		})
	}
	// Create and Delete pass through the metadata predicates and are inverted by Not.
	for name, p := range map[string]Predicate[W]{"generation": GenerationChanged[W](), "labels": LabelsChanged[W](), "annotations": AnnotationsChanged[W](), "rv": ResourceVersionChanged[W]()} {
		if !p.Create(base) || !p.Delete(base) || Not(p).Create(base) || Not(p).Delete(base) {
			t.Errorf("%s: creates and deletes must pass, and fail under Not", name)
		}
	}
	onlyX := PredicateFuncs[W]{CreateFunc: func(o W) bool { return o.Labels["app"] == "x" }, DeleteFunc: func(W) bool { return false }}
	if !onlyX.Create(base) || onlyX.Create(w(1, "", nil, nil)) || onlyX.Delete(base) || !Or[W](onlyX, Not[W](onlyX)).Delete(base) {
		t.Error("PredicateFuncs create/delete functions not applied")
	}
}
