package etcd_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/goleak"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/etcd"
	"github.com/cellkit/cellkit/store/etcd/etcdtest"
	"github.com/cellkit/cellkit/store/storetest"
)

// TestMain checks that no goroutine outlives the tests: every embedded etcd member, client
// and watch is shut down by then. The ignored goroutines are net/http connections of etcd's
// peer (raft) transport: after a member of an in-process cluster is stopped and restarted,
// keep-alive connections between members can outlive every member's Close. Nothing in this
// package or in the etcd client uses net/http (gRPC has its own HTTP/2 transport), so the
// ignores cannot hide a leak of a watch, a client or a member's gRPC server.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreAnyFunction("net/http.(*conn).serve"),
		goleak.IgnoreAnyFunction("net/http.(*connReader).backgroundRead"),
	)
}

func suiteConfig() storetest.Config {
	return storetest.Config{
		Resources:        storetest.Resources(),
		Clock:            clock.NewFake(storetest.Epoch),
		MaxObjectSize:    storetest.SuiteMaxObjectSize,
		WatchBuffer:      storetest.SuiteWatchBuffer,
		BookmarkInterval: storetest.SuiteBookmarkInterval,
	}
}

func TestNewOptions(t *testing.T) {
	srv := etcdtest.Start(t, etcdtest.Options{})
	cli := srv.Client(t)
	res := storetest.Resources()
	core := store.Resource{GroupResource: schema.GroupResource{Resource: "storetest.cellkit.io"}, Kind: res[0].Kind, New: res[0].New}
	for _, tc := range []struct {
		name string
		opts etcd.Options
		want string // substring of the error; "" for success
	}{
		{"defaults", etcd.Options{Client: cli, Resources: res}, ""},
		{"custom prefix", etcd.Options{Client: cli, Resources: res, Prefix: "/cellkit/a"}, ""},
		{"no client", etcd.Options{Resources: res}, "no client"},
		{"no resources", etcd.Options{Client: cli}, "no resources"},
		{"prefix without slash", etcd.Options{Client: cli, Resources: res, Prefix: "registry"}, "must start with '/'"},
		{"prefix with trailing slash", etcd.Options{Client: cli, Resources: res, Prefix: "/registry/"}, "must start with '/'"},
		{"negative watch buffer", etcd.Options{Client: cli, Resources: res, WatchBuffer: -1}, "negative WatchBuffer"},
		{"negative bookmark interval", etcd.Options{Client: cli, Resources: res, BookmarkInterval: -time.Second}, "negative BookmarkInterval"},
		{"negative list batch", etcd.Options{Client: cli, Resources: res, ListBatch: -1}, "negative ListBatch"},
		{"prefix for an unknown resource", etcd.Options{Client: cli, Resources: res,
			ResourcePrefixes: map[schema.GroupResource]string{{Resource: "nopes"}: "nopes"}}, "not among the resources"},
		{"empty resource prefix", etcd.Options{Client: cli, Resources: res,
			ResourcePrefixes: map[schema.GroupResource]string{storetest.Widgets: ""}}, "must be non-empty"},
		{"resource prefix with slash", etcd.Options{Client: cli, Resources: res,
			ResourcePrefixes: map[schema.GroupResource]string{storetest.Widgets: "/widgets"}}, "leading or trailing"},
		{"resource prefixes that nest", etcd.Options{Client: cli, Resources: res,
			ResourcePrefixes: map[schema.GroupResource]string{storetest.Widgets: "things", storetest.Gizmos: "things/gizmos"}}, "contains the one of"},
		{"core resource named like a group", etcd.Options{Client: cli, Resources: append([]store.Resource{core}, res...)}, "contains the one of"},
		{"duplicate resource", etcd.Options{Client: cli, Resources: append(res, res[0])}, "listed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := etcd.New(tc.opts)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("New succeeded, want an error containing %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("New: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestResourcePath(t *testing.T) {
	for _, tc := range []struct {
		gr   schema.GroupResource
		want string
	}{
		{schema.GroupResource{Resource: "pods"}, "pods"},
		{schema.GroupResource{Group: "apps", Resource: "deployments"}, "apps/deployments"},
		{schema.GroupResource{Group: "cert-manager.io", Resource: "certificates"}, "cert-manager.io/certificates"},
	} {
		if got := etcd.ResourcePath(tc.gr); got != tc.want {
			t.Errorf("ResourcePath(%v) = %q, want %q", tc.gr, got, tc.want)
		}
	}
}

// TestKeyLayout reads what the store wrote straight from etcd: the keys are
// <prefix>/<path>/<namespace>/<name> and the values are the objects' JSON with apiVersion and
// kind and without resourceVersion (the key's ModRevision is the resourceVersion).
func TestKeyLayout(t *testing.T) {
	srv := etcdtest.Start(t, etcdtest.Options{})
	cli := srv.Client(t)
	ctx := context.Background()
	cfg := suiteConfig()
	s, err := etcd.New(etcd.Options{Client: cli, Resources: cfg.Resources, Clock: cfg.Clock, Prefix: "/kube",
		ResourcePrefixes: map[schema.GroupResource]string{storetest.Gizmos: "gadgets"}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := store.For[*storetest.Widget](s, storetest.Widgets).Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns1", Name: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := store.For[*storetest.Gizmo](s, storetest.Gizmos).Create(ctx, &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := cli.Get(ctx, "/", clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, kv := range resp.Kvs {
		got[string(kv.Key)] = kv.ModRevision
		var doc map[string]any
		if err := json.Unmarshal(kv.Value, &doc); err != nil {
			t.Fatalf("value of %s is not JSON: %v", kv.Key, err)
		}
		if doc["apiVersion"] != storetest.Group+"/v1" || doc["kind"] == "" {
			t.Errorf("value of %s has apiVersion %v kind %v", kv.Key, doc["apiVersion"], doc["kind"])
		}
		if md, _ := doc["metadata"].(map[string]any); md["resourceVersion"] != nil {
			t.Errorf("value of %s stores resourceVersion %v", kv.Key, md["resourceVersion"])
		}
	}
	want := map[string]int64{
		"/kube/storetest.cellkit.io/widgets/ns1/a": mustRV(t, w.ResourceVersion),
		"/kube/gadgets/g":                          mustRV(t, g.ResourceVersion),
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("keys and mod revisions (-want +got):\n%s", d)
	}
	if k, err := s.Key(storetest.Widgets, "ns1", "a"); err != nil || k != "/kube/storetest.cellkit.io/widgets/ns1/a" {
		t.Errorf("Key = %q, %v", k, err)
	}
	if _, err := s.Key(schema.GroupResource{Resource: "nopes"}, "", "x"); !apierrors.IsBadRequest(err) {
		t.Errorf("Key of an unknown resource: %v, want BadRequest", err)
	}
}

func mustRV(t *testing.T, rv string) int64 {
	t.Helper()
	var n int64
	for _, c := range rv {
		n = n*10 + int64(c-'0')
	}
	return n
}

// TestCorruptValues puts values the store did not write under its keys: reads, lists and
// watches report an InternalError wrapping ErrCorrupt instead of panicking or skipping.
func TestCorruptValues(t *testing.T) {
	srv := etcdtest.Start(t, etcdtest.Options{})
	cli := srv.Client(t)
	ctx := context.Background()
	cfg := suiteConfig()
	s, err := etcd.New(etcd.Options{Client: cli, Resources: cfg.Resources, Clock: cfg.Clock})
	if err != nil {
		t.Fatal(err)
	}
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	w, err := widgets.Watch(ctx, "", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	base := "/registry/storetest.cellkit.io/widgets/"
	for _, tc := range []struct {
		name, key, value string
	}{
		{"not json", base + "ns1/a", "{not json"},
		{"other kind", base + "ns1/b", `{"apiVersion":"v1","kind":"Pod","metadata":{"namespace":"ns1","name":"b"}}`},
		{"other key", base + "ns1/c", `{"apiVersion":"storetest.cellkit.io/v1","kind":"Widget","metadata":{"namespace":"ns1","name":"x"}}`},
		{"null", base + "ns1/d", `null`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := cli.Put(ctx, tc.key, tc.value); err != nil {
				t.Fatal(err)
			}
			ns, name, _ := strings.Cut(strings.TrimPrefix(tc.key, base), "/")
			_, err := widgets.Get(ctx, ns, name, store.GetOptions{})
			if !apierrors.IsInternalError(err) || !errors.Is(err, etcd.ErrCorrupt) {
				t.Errorf("get: %v, want an InternalError wrapping ErrCorrupt", err)
			}
			_, err = widgets.List(ctx, ns, store.ListOptions{})
			if !apierrors.IsInternalError(err) {
				t.Errorf("list: %v, want an InternalError", err)
			}
			if _, err := cli.Delete(ctx, tc.key); err != nil {
				t.Fatal(err)
			}
		})
	}
	// The watch saw the first corrupt value and ended with an error.
	select {
	case ev, ok := <-w.ResultChan():
		if !ok || ev.Type != watch.Error || ev.ErrorStatus().Code != 500 {
			t.Errorf("watch event %v (open %v), want an InternalError event", ev.Type, ok)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no watch event within 10s")
	}
}

// TestDurableWrites runs etcd with fsync, as in production, and checks that acknowledged
// writes survive a restart of the member with their resourceVersions.
func TestDurableWrites(t *testing.T) {
	c := etcdtest.StartCluster(t, 1, etcdtest.Options{Fsync: true})
	ctx := context.Background()
	cfg := suiteConfig()
	open := func() store.Typed[*storetest.Widget] {
		s, err := etcd.New(etcd.Options{Client: c.Client(t), Resources: cfg.Resources, Clock: cfg.Clock})
		if err != nil {
			t.Fatal(err)
		}
		return store.For[*storetest.Widget](s, storetest.Widgets)
	}
	widgets := open()
	var want []string
	for i := 0; i < 20; i++ {
		w, err := widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns1", GenerateName: "w-"}})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, w.Name+"@"+w.ResourceVersion)
	}
	c.Stop(0)
	c.Restart(t, 0)
	l, err := open().List(ctx, "ns1", store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range l.Items {
		got = append(got, w.Name+"@"+w.ResourceVersion)
	}
	if d := cmp.Diff(want, got, cmpSorted); d != "" {
		t.Errorf("objects after restart (-want +got):\n%s", d)
	}
}

var cmpSorted = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

// TestListKeyOrder pins the documented list order: etcd key order, which puts namespace "a-b"
// before "a" (the contract's (namespace, name) order would put "a" first), and pagination
// follows the same order without skipping or repeating.
func TestListKeyOrder(t *testing.T) {
	srv := etcdtest.Start(t, etcdtest.Options{})
	cfg := suiteConfig()
	s, err := etcd.New(etcd.Options{Client: srv.Client(t), Resources: cfg.Resources, Clock: cfg.Clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	for _, k := range [][2]string{{"a", "y"}, {"a-b", "x"}, {"a", "x"}, {"b", "x"}} {
		if _, err := widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: k[0], Name: k[1]}}); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"a-b/x", "a/x", "a/y", "b/x"}
	var got []string
	opts := store.ListOptions{Limit: 1}
	for {
		l, err := widgets.List(ctx, "", opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range l.Items {
			got = append(got, w.Namespace+"/"+w.Name)
		}
		if l.Continue == "" {
			break
		}
		opts = store.ListOptions{Limit: 1, Continue: l.Continue}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("paginated list order (-want +got):\n%s", d)
	}
}

// TestStatsExternalCompaction compacts etcd behind the store's back (another client, as
// etcd's auto-compaction would): Stats still reports the compaction point, and watchers are
// counted until they stop.
func TestStatsExternalCompaction(t *testing.T) {
	srv := etcdtest.Start(t, etcdtest.Options{})
	cli := srv.Client(t)
	cfg := suiteConfig()
	s, err := etcd.New(etcd.Options{Client: cli, Resources: cfg.Resources, Clock: cfg.Clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	var last *storetest.Widget
	for i := 0; i < 5; i++ {
		if last, err = widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns1", GenerateName: "w-"}}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.CompactedRevision != 0 || st.Objects[storetest.Widgets] != 5 || st.Watchers != 0 {
		t.Fatalf("stats before compaction = %+v", st)
	}
	at := mustRV(t, last.ResourceVersion) - 1
	if _, err := cli.Compact(ctx, at); err != nil {
		t.Fatal(err)
	}
	w1, err := widgets.Watch(ctx, "", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w2, err := widgets.Watch(ctx, "ns1", store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err = s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.CompactedRevision != at || st.Watchers != 2 || st.Revision != mustRV(t, last.ResourceVersion) {
		t.Errorf("stats after external compaction to %d = %+v", at, st)
	}
	w1.Stop()
	w2.Stop()
	for _, w := range []watch.Interface[*storetest.Widget]{w1, w2} {
		for range w.ResultChan() {
		}
	}
	if st, err = s.Stats(ctx); err != nil || st.Watchers != 0 {
		t.Errorf("stats after the watches stopped = %+v, %v; want 0 watchers", st, err)
	}
	// Compacting to an older revision through the store is a no-op.
	if err := s.Compact(ctx, at-2); err != nil {
		t.Errorf("compact to an older revision: %v", err)
	}
}

// TestCanceledContext checks that calls with a done context fail with the context's error,
// wrapped, for errors.Is.
func TestCanceledContext(t *testing.T) {
	srv := etcdtest.Start(t, etcdtest.Options{})
	cfg := suiteConfig()
	s, err := etcd.New(etcd.Options{Client: srv.Client(t), Resources: cfg.Resources, Clock: cfg.Clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: "ns1", Name: "a"}}
	for name, call := range map[string]func() error{
		"create": func() error { _, err := widgets.Create(ctx, w); return err },
		"get":    func() error { _, err := widgets.Get(ctx, "ns1", "a", store.GetOptions{}); return err },
		"list":   func() error { _, err := widgets.List(ctx, "ns1", store.ListOptions{}); return err },
		"update": func() error { _, err := widgets.Update(ctx, w); return err },
		"guaranteed update": func() error {
			_, err := widgets.GuaranteedUpdate(ctx, "ns1", "a", func(w *storetest.Widget) (*storetest.Widget, error) { return w, nil }, store.UpdateOptions{})
			return err
		},
		"delete":  func() error { _, err := widgets.Delete(ctx, "ns1", "a", store.DeleteOptions{}); return err },
		"watch":   func() error { _, err := widgets.Watch(ctx, "ns1", store.WatchOptions{}); return err },
		"compact": func() error { return s.Compact(ctx, 1) },
		"stats":   func() error { _, err := s.Stats(ctx); return err },
	} {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context: %v, want context.Canceled", name, err)
		}
	}
}

// TestNameSelector covers reads that select one name in a known namespace (or of a
// cluster-scoped resource), which read one key instead of the range.
func TestNameSelector(t *testing.T) {
	srv := etcdtest.Start(t, etcdtest.Options{})
	cfg := suiteConfig()
	s, err := etcd.New(etcd.Options{Client: srv.Client(t), Resources: cfg.Resources, Clock: cfg.Clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	widgets := store.For[*storetest.Widget](s, storetest.Widgets)
	gizmos := store.For[*storetest.Gizmo](s, storetest.Gizmos)
	for _, k := range [][2]string{{"ns1", "a"}, {"ns1", "a0"}, {"ns1", "b"}, {"ns2", "a"}} {
		if _, err := widgets.Create(ctx, &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: k[0], Name: k[1], Labels: map[string]string{"k": k[1]}}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"g", "g0"} {
		if _, err := gizmos.Create(ctx, &storetest.Gizmo{ObjectMeta: meta.ObjectMeta{Name: n}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name, ns, sel string
		gizmo         bool
		want          []string
	}{
		{"namespaced", "ns1", "metadata.name=a", false, []string{"ns1/a"}},
		{"namespaced, missing", "ns1", "metadata.name=zz", false, nil},
		{"all namespaces", "", "metadata.name=a", false, []string{"ns1/a", "ns2/a"}},
		{"with another term", "ns1", "metadata.name=a,metadata.namespace=ns2", false, nil},
		{"cluster-scoped", "", "metadata.name=g", true, []string{"/g"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := fields.ParseSelector(tc.sel)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			if tc.gizmo {
				l, err := gizmos.List(ctx, tc.ns, store.ListOptions{Fields: sel})
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range l.Items {
					got = append(got, g.Namespace+"/"+g.Name)
				}
			} else {
				l, err := widgets.List(ctx, tc.ns, store.ListOptions{Fields: sel})
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range l.Items {
					got = append(got, w.Namespace+"/"+w.Name)
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("items (-want +got):\n%s", d)
			}
		})
	}
}
