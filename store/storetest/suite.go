package storetest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
)

// Config is what the suite asks of the store it tests. A Factory must build a store that holds
// Resources and honours every other field.
type Config struct {
	// Resources are the resources to hold: those of Resources().
	Resources []store.Resource
	// Clock is the fake clock the store must use for creation timestamps, history ages and
	// bookmark timers.
	Clock *clock.Fake
	// MaxObjectSize is the object size limit the store must enforce (JSON bytes).
	MaxObjectSize int
	// WatchBuffer is how many changes a watcher may fall behind before the store closes it as
	// slow.
	WatchBuffer int
	// BookmarkInterval is the period of bookmarks for watches that asked for them.
	BookmarkInterval time.Duration
}

// Factory builds a fresh, empty store for one test. It registers any cleanup with t.Cleanup.
// Nobody else may write to the store (or, for a backend whose revisions are shared, such as
// etcd, to the same revision counter) while the test runs: the suite checks that every write
// takes exactly the next revision.
type Factory func(t *testing.T, cfg Config) store.Interface

// The values the suite configures stores with.
const (
	// SuiteMaxObjectSize is the size limit of the suite: small, so large-object cases are fast.
	SuiteMaxObjectSize = 64 << 10
	// SuiteWatchBuffer is the slow-watcher threshold of the suite.
	SuiteWatchBuffer = 50
	// SuiteBookmarkInterval is the bookmark period of the suite.
	SuiteBookmarkInterval = time.Minute
)

// Epoch is the fake clock's start time in the suite.
var Epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// eventTimeout bounds every wait for a watch event, so that a broken store fails the test
// instead of hanging it. Correct stores deliver in microseconds.
const eventTimeout = 10 * time.Second

// Run runs the conformance suite against the stores newStore builds: every bullet of the store
// contract (CRUD, conflicts, preconditions, GuaranteedUpdate, reads at revisions, pagination,
// compaction, watches and their guarantees, isolation of returned objects, bad input), plus a
// linearizability check of concurrent clients and a check of every watch stream against the
// six watch guarantees.
func Run(t *testing.T, newStore Factory) {
	t.Helper()
	groups := []struct {
		name  string
		tests []test
	}{
		{"Create", createTests},
		{"Get", getTests},
		{"Update", updateTests},
		{"GuaranteedUpdate", guaranteedUpdateTests},
		{"GuaranteedUpdateShared", sharedUpdateTests},
		{"Delete", deleteTests},
		{"List", listTests},
		{"Compact", compactTests},
		{"Watch", watchTests},
		{"Isolation", isolationTests},
		{"Consistency", consistencyTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					tc.run(t, newHarness(t, newStore))
				})
			}
		})
	}
}

type test struct {
	name string
	run  func(t *testing.T, h *harness)
}

// harness is one store under test with helpers.
type harness struct {
	s       store.Interface
	clock   *clock.Fake
	ctx     context.Context
	widgets store.Typed[*Widget]
	gizmos  store.Typed[*Gizmo]
}

func newHarness(t *testing.T, newStore Factory) *harness {
	fc := clock.NewFake(Epoch)
	s := newStore(t, Config{
		Resources:        Resources(),
		Clock:            fc,
		MaxObjectSize:    SuiteMaxObjectSize,
		WatchBuffer:      SuiteWatchBuffer,
		BookmarkInterval: SuiteBookmarkInterval,
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return &harness{
		s:       s,
		clock:   fc,
		ctx:     ctx,
		widgets: store.For[*Widget](s, Widgets),
		gizmos:  store.For[*Gizmo](s, Gizmos),
	}
}

// widget builds a Widget; labels are given as k, v pairs.
func widget(ns, name, node string, labels ...string) *Widget {
	w := &Widget{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name}, Spec: WidgetSpec{Node: node}}
	if len(labels) > 0 {
		w.Labels = map[string]string{}
		for i := 0; i+1 < len(labels); i += 2 {
			w.Labels[labels[i]] = labels[i+1]
		}
	}
	return w
}

func (h *harness) create(t *testing.T, w *Widget) *Widget {
	t.Helper()
	out, err := h.widgets.Create(h.ctx, w)
	if err != nil {
		t.Fatalf("create %s/%s: %v", w.Namespace, w.Name, err)
	}
	return out
}

func (h *harness) update(t *testing.T, w *Widget) *Widget {
	t.Helper()
	out, err := h.widgets.Update(h.ctx, w)
	if err != nil {
		t.Fatalf("update %s/%s: %v", w.Namespace, w.Name, err)
	}
	return out
}

func (h *harness) delete(t *testing.T, ns, name string) *Widget {
	t.Helper()
	out, err := h.widgets.Delete(h.ctx, ns, name, store.DeleteOptions{})
	if err != nil {
		t.Fatalf("delete %s/%s: %v", ns, name, err)
	}
	return out
}

func (h *harness) revision(t *testing.T) int64 {
	t.Helper()
	st, err := h.s.Stats(h.ctx)
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	return st.Revision
}

func rv(o runtime.MetaObject) int64 {
	n, err := strconv.ParseInt(o.GetObjectMeta().ResourceVersion, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("object %s has resourceVersion %q", o.GetObjectMeta().Name, o.GetObjectMeta().ResourceVersion))
	}
	return n
}

func rvOf(ev watch.Event[*Widget]) int64 {
	n, _ := strconv.ParseInt(ev.Object.ResourceVersion, 10, 64)
	return n
}

// next returns the next event of w, failing the test if none comes or the stream ends.
func next[T any](t *testing.T, w watch.Interface[T]) watch.Event[T] {
	t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok {
			t.Fatalf("watch ended, want an event")
		}
		return ev
	case <-time.After(eventTimeout):
		t.Fatalf("no watch event within %v", eventTimeout)
	}
	panic("unreachable")
}

// closed waits for the end of w's stream and fails if an event comes first.
func closed[T any](t *testing.T, w watch.Interface[T]) {
	t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if ok {
			t.Fatalf("got %s event, want the stream to end", ev.Type)
		}
	case <-time.After(eventTimeout):
		t.Fatalf("watch did not end within %v", eventTimeout)
	}
}

// short is what the suite compares watch events by.
type short struct {
	Type  watch.EventType
	Name  string
	RV    int64
	Phase string
}

func shortOf(ev watch.Event[*Widget]) short {
	if ev.Type == watch.Error {
		return short{Type: ev.Type, Name: string(ev.ErrorStatus().Reason)}
	}
	return short{Type: ev.Type, Name: ev.Object.Name, RV: rvOf(ev), Phase: ev.Object.Status.Phase}
}

// collect reads n events of w.
func collect(t *testing.T, w watch.Interface[*Widget], n int) []short {
	t.Helper()
	out := make([]short, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, shortOf(next(t, w)))
	}
	return out
}

// barrier writes a sentinel object in namespace ns and reads w until the sentinel's event,
// returning the events before it: a way to assert "no other event" without sleeping. The watch
// must see namespace ns without selectors that exclude the sentinel.
func (h *harness) barrier(t *testing.T, w watch.Interface[*Widget], ns string) []short {
	t.Helper()
	name := fmt.Sprintf("barrier-%d", h.revision(t)+1)
	h.create(t, widget(ns, name, ""))
	var out []short
	for {
		ev := next(t, w)
		if ev.Type != watch.Bookmark && ev.Type != watch.Error && ev.Object.Name == name {
			return out
		}
		out = append(out, shortOf(ev))
	}
}
