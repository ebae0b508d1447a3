package garbagecollector

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/apis"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/informer"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

// widget is a custom kind, unknown to the built-in Types.
type widget struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
}

func (w *widget) DeepCopyObject() runtime.Object {
	out := &widget{TypeMeta: w.TypeMeta}
	w.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	return out
}

var widgetsGR = schema.GroupResource{Group: "example.cellkit.io", Resource: "widgets"}

func widgetScheme(t *testing.T) *runtime.Scheme {
	t.Helper()
	s, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	gv := schema.GroupVersion{Group: widgetsGR.Group, Version: "v1"}
	if err := s.AddKnownTypes(gv, &widget{}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddResource(runtime.ResourceInfo{GroupVersionResource: gv.WithResource("widgets"), Kind: "widget", Namespaced: true}); err != nil {
		t.Fatal(err)
	}
	return s
}

func newFactory(t *testing.T, s *runtime.Scheme) (*informer.Factory, store.Interface) {
	t.Helper()
	resources, err := builtin.Resources(s)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := memory.New(memory.Options{Resources: resources})
	if err != nil {
		t.Fatal(err)
	}
	f, err := informer.NewFactory(informer.StoreSources(mem), informer.FactoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return f, mem
}

func TestNewRejectsInvalidOptions(t *testing.T) {
	scheme := widgetScheme(t)
	f, s := newFactory(t, scheme)
	for _, c := range []struct {
		name string
		f    *informer.Factory
		s    store.Interface
		opts Options
	}{
		{"nil factory", nil, s, Options{}},
		{"nil store", f, nil, Options{}},
		{"negative workers", f, s, Options{Workers: -1}},
		{"resource not in the scheme", f, s, Options{Resources: []schema.GroupResource{{Resource: "gizmos"}}}},
		{"resource without a Type", f, s, Options{Scheme: scheme, Resources: []schema.GroupResource{widgetsGR}}},
		{"zero Type", f, s, Options{Types: []Type{{}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.f, c.s, c.opts)
			if !errors.Is(err, ErrInvalidOptions) {
				t.Fatalf("New: %v, want an error wrapping ErrInvalidOptions", err)
			}
		})
	}
}

func TestDefaultResources(t *testing.T) {
	scheme := widgetScheme(t)
	table, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	var every []schema.GroupResource
	for _, r := range table {
		if r.GroupResource != eventsGR {
			every = append(every, r.GroupResource)
		}
	}
	sortGRs := func(grs []schema.GroupResource) []schema.GroupResource {
		out := slices.Clone(grs)
		slices.SortFunc(out, func(a, b schema.GroupResource) int { return cmpString(a.String(), b.String()) })
		return out
	}
	for _, c := range []struct {
		name  string
		types []Type
		want  []schema.GroupResource
	}{
		{"built-in types", nil, slices.DeleteFunc(slices.Clone(every), func(gr schema.GroupResource) bool { return gr == widgetsGR })},
		{"with the custom kind's Type", []Type{TypeOf[*widget]()}, every},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, s := newFactory(t, scheme)
			gc, err := New(f, s, Options{Scheme: scheme, Types: c.types})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(sortGRs(c.want), sortGRs(gc.Tracked())); d != "" {
				t.Errorf("tracked resources (-want +got):\n%s", d)
			}
			if got := len(gc.CacheSyncers()); got != len(c.want) {
				t.Errorf("CacheSyncers: %d, want one per tracked resource (%d)", got, len(c.want))
			}
		})
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestRunTwice(t *testing.T) {
	e := newEnv(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.gc.Run(ctx); err != nil {
		t.Fatalf("first Run: %v, want nil after its context ended", err)
	}
	if err := e.gc.Run(ctx); !errors.Is(err, ErrStarted) {
		t.Fatalf("second Run: %v, want ErrStarted", err)
	}
}

func TestRunStopsBeforeSync(t *testing.T) {
	// The factory never starts: Run waits for the initial lists until its context ends.
	e := newEnv(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.gc.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v, want nil after its context ended", err)
	}
}
