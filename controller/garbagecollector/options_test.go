package garbagecollector

import (
	"context"
	"errors"
	"fmt"
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
		{"resource that cannot be listed", f, s, Options{Resources: []schema.GroupResource{{Resource: "bindings"}}}},
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
	// Every built-in resource that holds objects but events, whose Go types are all known.
	table, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	var builtins []schema.GroupResource
	for _, r := range table {
		if r.GroupResource != eventsGR {
			builtins = append(builtins, r.GroupResource)
		}
	}
	if len(builtins) < 30 || slices.Contains(builtins, widgetsGR) {
		t.Fatalf("the built-in table has changed: %v", builtins)
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
		{"built-in types", nil, builtins},
		{"with the custom kind's Type", []Type{TypeOf[*widget]()}, append(slices.Clone(builtins), widgetsGR)},
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

func TestCustomKind(t *testing.T) {
	// As the Website of examples/customcontroller: registered in the scheme without verbs, and
	// added to the store's table by hand.
	e := newEnv(t, Options{Scheme: widgetScheme(t), Types: []Type{TypeOf[*widget]()},
		Resources: []schema.GroupResource{widgetsGR, configMapsGR}},
		store.Resource{GroupResource: widgetsGR, Kind: schema.GroupVersionKind{Group: widgetsGR.Group, Version: "v1", Kind: "widget"},
			Namespaced: true, New: func() runtime.MetaObject { return &widget{} }})
	e.run()
	w := e.create(widgetsGR, &widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "w"}})
	cmObj := e.create(configMapsGR, configMap("ns", "of-widget", ref(w, true)))
	e.create(configMapsGR, configMap("ns", "unowned"))
	e.eventually("graph caught up", func() (bool, string) {
		v, ok := e.gc.graph.deleteView(w.GetObjectMeta().UID)
		return ok && v.observed && v.dependents == 1, fmt.Sprintf("%+v", v)
	})
	if _, err := e.reg.Delete(e.ctx, widgetsGR, "ns", "w", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	e.eventually("the widget's config map is collected", func() (bool, string) {
		return e.get(configMapsGR, "ns", "of-widget") == nil, "still there: " + cmObj.GetObjectMeta().Name
	})
	if e.get(configMapsGR, "ns", "unowned") == nil {
		t.Error("an unowned config map was deleted")
	}
}
