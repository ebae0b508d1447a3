package storetest

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
)

// errorOf turns an Error event back into an API error, for the predicates.
func errorOf[T any](ev watch.Event[T]) error {
	st := ev.ErrorStatus()
	if st == nil {
		return nil
	}
	return apierrors.FromObject(*st)
}

func (h *harness) watch(t *testing.T, ns string, opts store.WatchOptions) watch.Interface[*Widget] {
	t.Helper()
	w, err := h.widgets.Watch(h.ctx, ns, opts)
	if err != nil {
		t.Fatalf("watch %q %+v: %v", ns, opts, err)
	}
	t.Cleanup(w.Stop)
	return w
}

// progress asks w for a bookmark and returns the events before the first bookmark at or after
// rev: a way to assert "no other event" for watches whose selectors hide a barrier object.
func (h *harness) progress(t *testing.T, w watch.Interface[*Widget], rev int64) []short {
	t.Helper()
	p, ok := w.(store.ProgressRequester)
	if !ok {
		t.Fatalf("the store's watch %T does not implement store.ProgressRequester", w)
	}
	p.RequestProgress()
	var out []short
	for {
		ev := next(t, w)
		if ev.Type == watch.Bookmark && rvOf(ev) >= rev {
			return out
		}
		if ev.Type == watch.Bookmark {
			p.RequestProgress()
			continue
		}
		out = append(out, shortOf(ev))
	}
}

var watchTests = []test{
	{"from a revision", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		h.create(t, widget("ns1", "b", ""))
		from := h.revision(t)
		a.Status.Phase = "Up"
		a = h.update(t, a)
		d := h.delete(t, "ns1", "b")
		c := h.create(t, widget("ns1", "c", ""))
		w := h.watch(t, "ns1", store.WatchOptions{Revision: from})
		got := collect(t, w, 3)
		want := []short{
			{watch.Modified, "a", rv(a), "Up"},
			{watch.Deleted, "b", rv(d), ""},
			{watch.Added, "c", rv(c), ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
		if extra := h.barrier(t, w, "ns1"); len(extra) != 0 {
			t.Errorf("unexpected events: %+v", extra)
		}
	}},
	{"from now", func(t *testing.T, h *harness) {
		h.create(t, widget("ns1", "old", ""))
		w := h.watch(t, "ns1", store.WatchOptions{})
		n := h.create(t, widget("ns1", "new", ""))
		if got := shortOf(next(t, w)); got != (short{watch.Added, "new", rv(n), ""}) {
			t.Errorf("first event = %+v, want ADDED new", got)
		}
	}},
	{"deleted event carries the last state", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", "n1", "app", "web"))
		w := h.watch(t, "ns1", store.WatchOptions{})
		d := h.delete(t, "ns1", "a")
		ev := next(t, w)
		if ev.Type != watch.Deleted {
			t.Fatalf("event %s, want DELETED", ev.Type)
		}
		a.ResourceVersion = d.ResourceVersion
		if diff := cmp.Diff(a, ev.Object); diff != "" {
			t.Errorf("deleted event object (-want +got):\n%s", diff)
		}
	}},
	{"scopes", func(t *testing.T, h *harness) {
		all := h.watch(t, "", store.WatchOptions{})
		ns1 := h.watch(t, "ns1", store.WatchOptions{})
		one := h.watch(t, "ns1", store.WatchOptions{Fields: fields.OneTermEqualSelector("metadata.name", "a")})
		h.create(t, widget("ns1", "a", ""))
		h.create(t, widget("ns2", "a", ""))
		h.create(t, widget("ns1", "b", ""))
		h.delete(t, "ns1", "a")
		rev := h.revision(t)
		byName := func(evs []short) []string {
			var out []string
			for _, e := range evs {
				out = append(out, string(e.Type)+" "+e.Name)
			}
			return out
		}
		if d := cmp.Diff([]string{"ADDED a", "ADDED a", "ADDED b", "DELETED a"}, byName(h.progress(t, all, rev))); d != "" {
			t.Errorf("all namespaces (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{"ADDED a", "ADDED b", "DELETED a"}, byName(h.progress(t, ns1, rev))); d != "" {
			t.Errorf("namespace ns1 (-want +got):\n%s", d)
		}
		if d := cmp.Diff([]string{"ADDED a", "DELETED a"}, byName(h.progress(t, one, rev))); d != "" {
			t.Errorf("object ns1/a (-want +got):\n%s", d)
		}
	}},
	{"cluster-scoped object", func(t *testing.T, h *harness) {
		w, err := h.gizmos.Watch(h.ctx, "", store.WatchOptions{Fields: fields.OneTermEqualSelector("metadata.name", "g1")})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		for _, name := range []string{"g0", "g1", "g2"} {
			if _, err := h.gizmos.Create(h.ctx, &Gizmo{ObjectMeta: meta.ObjectMeta{Name: name}, Value: name}); err != nil {
				t.Fatal(err)
			}
		}
		g, err := h.gizmos.Delete(h.ctx, "", "g1", store.DeleteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []watch.EventType{watch.Added, watch.Deleted} {
			ev := next(t, w)
			if ev.Type != want || ev.Object.Name != "g1" {
				t.Fatalf("event %s %s, want %s g1", ev.Type, ev.Object.Name, want)
			}
			if want == watch.Deleted && ev.Object.ResourceVersion != g.ResourceVersion {
				t.Errorf("deleted event at %s, want %s", ev.Object.ResourceVersion, g.ResourceVersion)
			}
		}
	}},
	{"selector transitions", func(t *testing.T, h *harness) {
		for _, tc := range []struct {
			name string
			opts store.WatchOptions
			// in and out turn a widget into one the selector matches or not.
			in, out func(*Widget)
		}{
			{"label", store.WatchOptions{Labels: mustParse(t, "app=web")},
				func(w *Widget) { w.Labels = map[string]string{"app": "web"} },
				func(w *Widget) { w.Labels = map[string]string{"app": "db"} }},
			{"indexed field", store.WatchOptions{Fields: fields.OneTermEqualSelector("spec.node", "n1")},
				func(w *Widget) { w.Spec.Node = "n1" },
				func(w *Widget) { w.Spec.Node = "n2" }},
			{"plain field", store.WatchOptions{Fields: fields.OneTermEqualSelector("status.phase", "Ready")},
				func(w *Widget) { w.Status.Phase = "Ready" },
				func(w *Widget) { w.Status.Phase = "Pending" }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				name := "x-" + fmt.Sprint(h.revision(t))
				w := h.watch(t, "ns1", tc.opts)
				x := widget("ns1", name, "")
				tc.in(x)
				x = h.create(t, x) // in: ADDED
				added := rv(x)
				tc.out(x)
				x.Spec.Size = 1
				x = h.update(t, x) // leaves: DELETED, at this revision
				left := rv(x)
				x.Spec.Size = 2
				x = h.update(t, x) // stays out: nothing
				tc.in(x)
				x = h.update(t, x) // enters: ADDED
				entered := rv(x)
				x.Spec.Size = 3
				x = h.update(t, x) // stays in: MODIFIED
				modified := rv(x)
				d := h.delete(t, "ns1", name) // DELETED
				y := widget("ns1", name+"-other", "")
				tc.out(y)
				h.create(t, y) // never in: nothing
				got := h.progress(t, w, h.revision(t))
				want := []short{
					{watch.Added, name, added, x.Status.Phase},
					{watch.Deleted, name, left, ""},
					{watch.Added, name, entered, x.Status.Phase},
					{watch.Modified, name, modified, x.Status.Phase},
					{watch.Deleted, name, rv(d), x.Status.Phase},
				}
				// The DELETED of an object leaving the selector carries its last state that
				// matched, at the revision of the change.
				inPhase := x.Status.Phase
				want[1].Phase = inPhase
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
			})
		}
	}},
	{"initial events", func(t *testing.T, h *harness) {
		h.create(t, widget("ns1", "b", "n1"))
		h.create(t, widget("ns1", "a", "n2"))
		h.create(t, widget("ns2", "c", "n1"))
		gone := h.create(t, widget("ns1", "gone", "n1"))
		h.delete(t, "ns1", gone.Name)
		rev := h.revision(t)
		for _, tc := range []struct {
			name string
			ns   string
			opts store.WatchOptions
			want []string
		}{
			{"namespace", "ns1", store.WatchOptions{SendInitialEvents: true, Bookmarks: true}, []string{"a", "b"}},
			{"all", "", store.WatchOptions{SendInitialEvents: true, Bookmarks: true}, []string{"a", "b", "c"}},
			{"selector", "", store.WatchOptions{SendInitialEvents: true, Bookmarks: true, Fields: fields.OneTermEqualSelector("spec.node", "n1")}, []string{"b", "c"}},
			{"from a revision", "ns1", store.WatchOptions{SendInitialEvents: true, Bookmarks: true, Revision: rev}, []string{"a", "b"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := h.watch(t, tc.ns, tc.opts)
				var got []string
				for {
					ev := next(t, w)
					if ev.Type == watch.Bookmark {
						if ev.Object.Annotations[store.InitialEventsEndAnnotation] != "true" {
							t.Fatalf("bookmark before the end of initial events lacks annotation %s: %v", store.InitialEventsEndAnnotation, ev.Object.Annotations)
						}
						if rvOf(ev) < rev {
							t.Errorf("initial events end at %d, before the store's revision %d", rvOf(ev), rev)
						}
						break
					}
					if ev.Type != watch.Added {
						t.Fatalf("initial event of type %s", ev.Type)
					}
					got = append(got, ev.Object.Name)
				}
				sort.Strings(got)
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("initial events (-want +got):\n%s", d)
				}
			})
		}
		// Changes follow the bookmark.
		w := h.watch(t, "ns1", store.WatchOptions{SendInitialEvents: true, Bookmarks: true})
		for ev := next(t, w); ev.Type != watch.Bookmark; ev = next(t, w) {
		}
		n := h.create(t, widget("ns1", "later", ""))
		if got := shortOf(next(t, w)); got != (short{watch.Added, "later", rv(n), ""}) {
			t.Errorf("event after initial events = %+v, want ADDED later", got)
		}
	}},
	{"periodic bookmarks", func(t *testing.T, h *harness) {
		w := h.watch(t, "ns1", store.WatchOptions{Bookmarks: true, Fields: fields.OneTermEqualSelector("spec.node", "nowhere")})
		for round := 0; round < 3; round++ {
			h.create(t, widget("ns2", fmt.Sprintf("w%d", round), ""))
			rev := h.revision(t)
			ctx, cancel := context.WithTimeout(h.ctx, eventTimeout)
			err := h.clock.BlockUntilWaiters(ctx, 1)
			cancel()
			if err != nil {
				t.Fatalf("round %d: no bookmark timer armed on the clock: %v", round, err)
			}
			h.clock.Step(SuiteBookmarkInterval)
			ev := next(t, w)
			if ev.Type != watch.Bookmark || rvOf(ev) < rev {
				t.Fatalf("round %d: event %s at %d, want a BOOKMARK at or after %d", round, ev.Type, rvOf(ev), rev)
			}
			if _, ok := ev.Object.Annotations[store.InitialEventsEndAnnotation]; ok {
				t.Errorf("periodic bookmark carries the initial-events-end annotation")
			}
		}
	}},
	{"bookmark on request", func(t *testing.T, h *harness) {
		w := h.watch(t, "ns1", store.WatchOptions{})
		h.create(t, widget("ns2", "elsewhere", ""))
		rev := h.revision(t)
		if evs := h.progress(t, w, rev); len(evs) != 0 {
			t.Errorf("events before the requested bookmark: %+v", evs)
		}
	}},
	{"bad requests", func(t *testing.T, h *harness) {
		rev := h.revision(t)
		_, err := h.widgets.Watch(h.ctx, "", store.WatchOptions{Revision: rev + 100})
		wantErr(t, "watch from the future", err, isTooLargeRV)
		_, err = h.s.Watch(h.ctx, schema.GroupResource{Resource: "nopes"}, "", store.WatchOptions{})
		wantErr(t, "watch of an unknown resource", err, isBadRequest)
		_, err = h.widgets.Watch(h.ctx, "", store.WatchOptions{Revision: -1})
		wantErr(t, "watch from a negative revision", err, isBadRequest)
		_, err = h.gizmos.Watch(h.ctx, "ns1", store.WatchOptions{})
		wantErr(t, "namespaced watch of a cluster-scoped resource", err, isBadRequest)
	}},
	{"stop and cancel end the stream", func(t *testing.T, h *harness) {
		w := h.watch(t, "", store.WatchOptions{})
		h.create(t, widget("ns1", "a", "")) // an undelivered event must not keep it open
		w.Stop()
		w.Stop() // idempotent
		drain(t, w)
		ctx, cancel := context.WithCancel(h.ctx)
		w2, err := h.widgets.Watch(ctx, "", store.WatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		drain(t, w2)
	}},
	{"slow watcher is closed and resumes", func(t *testing.T, h *harness) {
		start := h.revision(t)
		w := h.watch(t, "ns1", store.WatchOptions{Revision: start})
		total := SuiteWatchBuffer * 4
		var last int64
		for i := 0; i < total; i++ {
			x := h.create(t, widget("ns1", fmt.Sprintf("w%03d", i), ""))
			last = rv(x)
		}
		// The watcher read nothing while the writes went on; none of them blocked. Now it
		// reads: events in order, then a TooManyRequests error, and it resumes from the last
		// revision it got.
		var got []int64
		resumeFrom := int64(0)
		for resumeFrom == 0 {
			ev, ok := <-w.ResultChan()
			switch {
			case !ok:
				t.Fatalf("stream ended without an error after %d events", len(got))
			case ev.Type == watch.Error:
				if !watch.IsSlowWatcher(ev) {
					t.Fatalf("error event %v, want a slow-watcher TooManyRequests", ev.ErrorStatus())
				}
				resumeFrom = start
				if len(got) > 0 {
					resumeFrom = got[len(got)-1]
				}
			case ev.Type == watch.Added:
				got = append(got, rvOf(ev))
				if rvOf(ev) == last {
					t.Fatalf("watcher that read nothing during %d writes was not closed (watch buffer %d)", total, SuiteWatchBuffer)
				}
			}
		}
		closed(t, w)
		w2 := h.watch(t, "ns1", store.WatchOptions{Revision: resumeFrom})
		for len(got) < total {
			ev := next(t, w2)
			if ev.Type != watch.Added {
				t.Fatalf("resumed stream: %s event", ev.Type)
			}
			got = append(got, rvOf(ev))
		}
		for i := 1; i < len(got); i++ {
			if got[i] != got[i-1]+1 {
				t.Fatalf("events %d and %d have revisions %d and %d: gap or repeat", i-1, i, got[i-1], got[i])
			}
		}
		if len(got) != total || got[len(got)-1] != last {
			t.Fatalf("got %d events ending at %d, want %d ending at %d", len(got), got[len(got)-1], total, last)
		}
	}},
}

// drain reads w until its channel closes.
func drain[T any](t *testing.T, w watch.Interface[T]) {
	t.Helper()
	for {
		select {
		case _, ok := <-w.ResultChan():
			if !ok {
				return
			}
		case <-time.After(eventTimeout):
			t.Fatalf("stream not closed within %v", eventTimeout)
		}
	}
}
