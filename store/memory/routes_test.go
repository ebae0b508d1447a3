package memory

import (
	"context"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
	"github.com/cellkit/cellkit/store/storetest"
)

// Every watcher is registered in the route its selectors allow, and leaves no trace once it
// has ended.
func TestRoutesRegisterAndClean(t *testing.T) {
	ctx := context.Background()
	s, err := New(Options{Resources: storetest.Resources()})
	if err != nil {
		t.Fatal(err)
	}
	type tc struct {
		name string
		gr   schema.GroupResource
		ns   string
		opts store.WatchOptions
		want backend.RouteKind
	}
	for _, c := range []tc{
		{"all", storetest.Widgets, "", store.WatchOptions{}, backend.RouteAll},
		{"namespace", storetest.Widgets, "ns1", store.WatchOptions{}, backend.RouteNS},
		{"name in namespace", storetest.Widgets, "ns1", store.WatchOptions{Fields: fields.OneTermEqualSelector("metadata.name", "a")}, backend.RouteName},
		{"name across namespaces", storetest.Widgets, "", store.WatchOptions{Fields: fields.OneTermEqualSelector("metadata.name", "a")}, backend.RouteAll},
		{"cluster-scoped name", storetest.Gizmos, "", store.WatchOptions{Fields: fields.OneTermEqualSelector("metadata.name", "g")}, backend.RouteName},
		{"indexed field", storetest.Widgets, "ns1", store.WatchOptions{Fields: fields.OneTermEqualSelector("spec.node", "n1")}, backend.RouteField},
		{"plain field", storetest.Widgets, "ns1", store.WatchOptions{Fields: fields.OneTermEqualSelector("status.phase", "x")}, backend.RouteNS},
	} {
		t.Run(c.name, func(t *testing.T) {
			wi, err := s.Watch(ctx, c.gr, c.ns, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			w := wi.(*watcher)
			if w.route.Kind != c.want {
				t.Errorf("route kind %d, want %d", w.route.Kind, c.want)
			}
			s.dispatchMu.Lock()
			set := w.t.routes.set(w.route, false)
			_, registered := set[w]
			s.dispatchMu.Unlock()
			if !registered {
				t.Errorf("watcher not in its route")
			}
			wi.Stop()
			drain(wi)
			s.dispatchMu.Lock()
			defer s.dispatchMu.Unlock()
			r := &w.t.routes
			fieldRoutes := 0
			for _, m := range r.field {
				fieldRoutes += len(m)
			}
			if len(r.all)+len(r.ns)+len(r.name)+fieldRoutes != 0 {
				t.Errorf("routes not empty after the watcher ended: all %d ns %d name %d field %d", len(r.all), len(r.ns), len(r.name), fieldRoutes)
			}
			if n := s.watchers.Load(); n != 0 {
				t.Errorf("%d watchers counted after the watcher ended", n)
			}
		})
	}
}

func drain(w watch.Interface[runtime.Object]) {
	for range w.ResultChan() {
	}
}
