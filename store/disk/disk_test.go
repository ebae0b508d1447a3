package disk_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/disk"
	"github.com/cellkit/cellkit/store/storetest"
)

var epoch = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func open(t *testing.T, path string, c disk.Clock, mod func(*disk.Options)) *disk.Store {
	t.Helper()
	opts := disk.Options{Path: path, Resources: storetest.Resources(), Clock: c, MaxHistoryAge: -1}
	if mod != nil {
		mod(&opts)
	}
	s, err := disk.Open(opts)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return s
}

func closeStore(t *testing.T, s *disk.Store) {
	t.Helper()
	if err := s.Close(context.Background()); err != nil {
		t.Fatalf("close: %v", err)
	}
}

func widget(ns, name, node string) *storetest.Widget {
	return &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name}, Spec: storetest.WidgetSpec{Node: node}}
}

func names(items []*storetest.Widget) []string {
	out := []string{}
	for _, w := range items {
		out = append(out, w.Namespace+"/"+w.Name+"@"+w.ResourceVersion+":"+w.Status.Phase)
	}
	return out
}

// snapshot is what a test compares a store by, before and after a reopen.
type snapshot struct {
	Stats   store.Stats
	Lists   map[string][]string // by "revision/selector"
	Events  []string            // a watch from the compaction point
	Expired bool                // a watch from before the compaction point expired
}

func take(t *testing.T, s *disk.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Watchers = 0
	snap := snapshot{Stats: st, Lists: map[string][]string{}}
	for rev := st.CompactedRevision; rev <= st.Revision; rev++ {
		if rev == 0 {
			continue
		}
		for _, sel := range []fields.Selector{nil, fields.OneTermEqualSelector("spec.node", "n1")} {
			l, err := ws.List(ctx, "", store.ListOptions{Consistency: store.Exact, Revision: rev, Fields: sel})
			if err != nil {
				t.Fatalf("list at %d: %v", rev, err)
			}
			snap.Lists[fmt.Sprintf("%d/%v", rev, sel)] = names(l.Items)
		}
	}
	from := max(st.CompactedRevision, 1) // 0 would mean "now"
	w, err := ws.Watch(ctx, "", store.WatchOptions{Revision: from})
	if err != nil {
		t.Fatal(err)
	}
	w.(store.ProgressRequester).RequestProgress()
	for {
		ev := <-w.ResultChan()
		if ev.Type == watch.Bookmark {
			if ev.Object.ResourceVersion != fmt.Sprint(st.Revision) {
				t.Fatalf("bookmark at %s, want %d", ev.Object.ResourceVersion, st.Revision)
			}
			break
		}
		snap.Events = append(snap.Events, fmt.Sprintf("%s %s/%s@%s", ev.Type, ev.Object.Namespace, ev.Object.Name, ev.Object.ResourceVersion))
	}
	w.Stop()
	if st.CompactedRevision > 1 {
		w, err := ws.Watch(ctx, "", store.WatchOptions{Revision: st.CompactedRevision - 1})
		if err != nil {
			t.Fatal(err)
		}
		ev := <-w.ResultChan()
		snap.Expired = ev.Type == watch.Error && apierrors.IsResourceExpired(apierrors.FromObject(*ev.ErrorStatus()))
		w.Stop()
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
	return snap
}

func TestReopenKeepsStateHistoryAndCompaction(t *testing.T) {
	defer goleak.VerifyNone(t)
	cases := []struct {
		name    string
		compact bool
		history int
	}{
		{"no compaction", false, 0},
		{"explicit compaction", true, 0},
		{"history bound by count", false, 16},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "s.db")
			fc := clock.NewFake(epoch)
			mod := func(o *disk.Options) { o.MaxHistory = tc.history }
			s := open(t, path, fc, mod)
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			gs := store.For[*storetest.Gizmo](s, storetest.Gizmos)
			for i := 0; i < 20; i++ {
				if _, err := ws.Create(ctx, widget(fmt.Sprintf("ns%d", i%3), fmt.Sprintf("w%d", i), fmt.Sprintf("n%d", i%2))); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := gs.Create(ctx, &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}, Value: "x"}); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 20; i += 3 {
				if _, err := ws.GuaranteedUpdate(ctx, fmt.Sprintf("ns%d", i%3), fmt.Sprintf("w%d", i), func(w *storetest.Widget) (*storetest.Widget, error) {
					w.Status.Phase = "Up"
					w.Spec.Node = "n1"
					return w, nil
				}, store.UpdateOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			for i := 1; i < 20; i += 4 {
				if _, err := ws.Delete(ctx, fmt.Sprintf("ns%d", i%3), fmt.Sprintf("w%d", i), store.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			if tc.compact {
				if err := s.Compact(ctx, 25); err != nil {
					t.Fatal(err)
				}
			}
			before := take(t, s)
			closeStore(t, s)

			s = open(t, path, fc, mod)
			defer closeStore(t, s)
			after := take(t, s)
			if d := cmp.Diff(before, after); d != "" {
				t.Errorf("state after reopen (-before +after):\n%s", d)
			}
			if tc.compact && !after.Expired {
				t.Errorf("watch from before the compaction point did not expire after reopen")
			}
			w, err := store.For[*storetest.Widget](s, storetest.Widgets).Create(ctx, widget("ns1", "later", ""))
			if err != nil {
				t.Fatal(err)
			}
			if w.ResourceVersion != fmt.Sprint(before.Stats.Revision+1) {
				t.Errorf("first write after reopen at %s, want %d", w.ResourceVersion, before.Stats.Revision+1)
			}
		})
	}
}

func TestOpenRejectsBadOptionsAndDatabases(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "foreign.db")
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		return b.Put([]byte("format"), []byte("someone-else/v9"))
	}); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	// A database written with a resource the new options do not list.
	extra := filepath.Join(dir, "extra.db")
	s := open(t, extra, nil, nil)
	closeStore(t, s)
	notFile := filepath.Join(dir, "notafile")
	if err := os.WriteFile(notFile, []byte(strings.Repeat("garbage!", 16<<10)), 0o600); err != nil {
		t.Fatal(err)
	}
	widgetsOnly := storetest.Resources()[:1]
	cases := []struct {
		name string
		opts disk.Options
		want string
	}{
		{"no path", disk.Options{Resources: storetest.Resources()}, "empty Path"},
		{"no resources", disk.Options{Path: filepath.Join(dir, "a.db")}, "no resources"},
		{"duplicate resource", disk.Options{Path: filepath.Join(dir, "a.db"), Resources: append(storetest.Resources(), storetest.Resources()[0])}, "listed twice"},
		{"negative watch buffer", disk.Options{Path: filepath.Join(dir, "a.db"), Resources: storetest.Resources(), WatchBuffer: -1}, "negative WatchBuffer"},
		{"negative bookmark interval", disk.Options{Path: filepath.Join(dir, "a.db"), Resources: storetest.Resources(), BookmarkInterval: -time.Second}, "negative BookmarkInterval"},
		{"negative batch", disk.Options{Path: filepath.Join(dir, "a.db"), Resources: storetest.Resources(), MaxBatch: -2}, "negative MaxBatch"},
		{"foreign format", disk.Options{Path: foreign, Resources: storetest.Resources()}, `database format "someone-else/v9"`},
		{"unlisted resource", disk.Options{Path: extra, Resources: widgetsOnly}, "does not list"},
		{"not a database", disk.Options{Path: notFile, Resources: storetest.Resources()}, "invalid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := disk.Open(tc.opts)
			if err == nil {
				closeStore(t, s)
				t.Fatalf("open succeeded, want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
	t.Run("locked by another store", func(t *testing.T) {
		path := filepath.Join(dir, "locked.db")
		s := open(t, path, nil, nil)
		defer closeStore(t, s)
		_, err := disk.Open(disk.Options{Path: path, Resources: storetest.Resources(), OpenTimeout: 50 * time.Millisecond})
		if err == nil || !strings.Contains(err.Error(), "timeout") {
			t.Errorf("second open: %v, want a timeout", err)
		}
	})
}

func TestCloseEndsWatchesAndRefusesCalls(t *testing.T) {
	defer goleak.VerifyNone(t)
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "s.db"), nil, nil)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	w, err := ws.Watch(ctx, "", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	closeStore(t, s)
	for range w.ResultChan() {
	}
	_, err = ws.Create(ctx, widget("ns", "a", ""))
	if !errors.Is(err, disk.ErrClosed) || !apierrors.IsServiceUnavailable(err) {
		t.Errorf("create after close: %v, want ErrClosed and ServiceUnavailable", err)
	}
	_, err = ws.Get(ctx, "ns", "a", store.GetOptions{})
	if !errors.Is(err, disk.ErrClosed) {
		t.Errorf("get after close: %v, want ErrClosed", err)
	}
	if _, err := ws.Watch(ctx, "", store.WatchOptions{}); !errors.Is(err, disk.ErrClosed) {
		t.Errorf("watch after close: %v, want ErrClosed", err)
	}
	if err := s.Close(ctx); err != nil {
		t.Errorf("second close: %v", err)
	}
}

func TestBadInputWritesNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path, clock.NewFake(epoch), func(o *disk.Options) { o.MaxObjectSize = 4 << 10 })
	defer closeStore(t, s)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	a, err := ws.Create(ctx, widget("ns1", "a", "n1"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := ws.Create(ctx, widget("ns1", fmt.Sprintf("b%d", i), "")); err != nil {
			t.Fatal(err)
		}
	}
	page, err := ws.List(ctx, "ns1", store.ListOptions{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	big := widget("ns1", "big", "")
	big.Spec.Data = strings.Repeat("x", 5<<10)
	bigUpdate := a.DeepCopy()
	bigUpdate.Spec.Data = big.Spec.Data
	stale := a.DeepCopy()
	stale.ResourceVersion = "1"
	stale.Status.Phase = "stale"
	if _, err := ws.Update(ctx, func() *storetest.Widget { x := a.DeepCopy(); x.Status.Phase = "fresh"; return x }()); err != nil {
		t.Fatal(err)
	}
	st0, _ := s.Stats(ctx)
	gizmo := &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}}
	badTok := page.Continue[:len(page.Continue)-3] + "!!!"
	cases := []struct {
		name string
		call func() error
		is   func(error) bool
	}{
		{"oversized create", func() error { _, err := ws.Create(ctx, big); return err }, apierrors.IsRequestEntityTooLarge},
		{"oversized update", func() error { _, err := ws.Update(ctx, bigUpdate); return err }, apierrors.IsRequestEntityTooLarge},
		{"invalid name", func() error { _, err := ws.Create(ctx, widget("ns1", "Not_Valid", "")); return err }, apierrors.IsInvalid},
		{"invalid namespace", func() error { _, err := ws.Create(ctx, widget("NS", "x", "")); return err }, apierrors.IsInvalid},
		{"wrong kind", func() error { _, err := s.Create(ctx, storetest.Widgets, gizmo); return err }, apierrors.IsBadRequest},
		{"unknown resource", func() error {
			_, err := s.Create(ctx, schema.GroupResource{Resource: "nopes"}, widget("ns1", "x", ""))
			return err
		}, apierrors.IsBadRequest},
		{"stale update", func() error { _, err := ws.Update(ctx, stale); return err }, apierrors.IsConflict},
		{"bad resourceVersion", func() error {
			x := a.DeepCopy()
			x.ResourceVersion = "01"
			_, err := ws.Update(ctx, x)
			return err
		}, apierrors.IsBadRequest},
		{"corrupted continue token", func() error {
			_, err := ws.List(ctx, "ns1", store.ListOptions{Limit: 1, Continue: badTok})
			return err
		}, apierrors.IsBadRequest},
		{"continue token of another namespace", func() error {
			_, err := ws.List(ctx, "ns2", store.ListOptions{Limit: 1, Continue: page.Continue})
			return err
		}, apierrors.IsBadRequest},
		{"future get", func() error {
			_, err := ws.Get(ctx, "ns1", "a", store.GetOptions{Consistency: store.Exact, Revision: st0.Revision + 1})
			return err
		}, apierrors.IsTooLargeResourceVersion},
		{"future list", func() error {
			_, err := ws.List(ctx, "", store.ListOptions{Consistency: store.NotOlderThan, Revision: st0.Revision + 10})
			return err
		}, apierrors.IsTooLargeResourceVersion},
		{"future watch", func() error {
			_, err := ws.Watch(ctx, "", store.WatchOptions{Revision: st0.Revision + 1})
			return err
		}, apierrors.IsTooLargeResourceVersion},
		{"future compaction", func() error { return s.Compact(ctx, st0.Revision+1) }, apierrors.IsTooLargeResourceVersion},
		{"delete of a missing object", func() error {
			_, err := ws.Delete(ctx, "ns1", "missing", store.DeleteOptions{})
			return err
		}, apierrors.IsNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || !tc.is(err) {
				t.Fatalf("error %v (%T), want the case's API error", err, err)
			}
			st, err := s.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			st.Watchers = 0
			if d := cmp.Diff(st0, st); d != "" {
				t.Errorf("stats changed (-before +after):\n%s", d)
			}
			if err := s.Check(ctx); err != nil {
				t.Errorf("check: %v", err)
			}
		})
	}
}

func TestHistoryAgeBoundCompactsAndPersists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	fc := clock.NewFake(epoch)
	mod := func(o *disk.Options) { o.MaxHistoryAge = time.Minute }
	s := open(t, path, fc, mod)
	ws := store.For[*storetest.Widget](s, storetest.Widgets)
	for _, name := range []string{"a", "b"} {
		if _, err := ws.Create(ctx, widget("ns", name, "")); err != nil {
			t.Fatal(err)
		}
	}
	fc.Step(2 * time.Minute)
	if _, err := ws.Create(ctx, widget("ns", "c", "")); err != nil {
		t.Fatal(err)
	}
	st, _ := s.Stats(ctx)
	if st.CompactedRevision != 2 || st.HistoryEvents != 1 {
		t.Errorf("after the age bound: compacted %d with %d changes kept, want 2 and 1", st.CompactedRevision, st.HistoryEvents)
	}
	closeStore(t, s)
	s = open(t, path, fc, mod)
	defer closeStore(t, s)
	st2, _ := s.Stats(ctx)
	if d := cmp.Diff(st, st2); d != "" {
		t.Errorf("stats after reopen (-before +after):\n%s", d)
	}
	ws = store.For[*storetest.Widget](s, storetest.Widgets)
	if _, err := ws.Get(ctx, "ns", "a", store.GetOptions{Consistency: store.Exact, Revision: 1}); !apierrors.IsResourceExpired(err) {
		t.Errorf("read at revision 1 after reopen: %v, want Expired", err)
	}
	if err := s.Check(ctx); err != nil {
		t.Error(err)
	}
}
