package storetest

import (
	"context"
	"encoding/base64"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/store"
)

func names(items []*Widget) []string {
	out := make([]string, len(items))
	for i, w := range items {
		out[i] = w.Namespace + "/" + w.Name
	}
	return out
}

func (h *harness) list(t *testing.T, ns string, opts store.ListOptions) *store.TypedList[*Widget] {
	t.Helper()
	l, err := h.widgets.List(h.ctx, ns, opts)
	if err != nil {
		t.Fatalf("list %q %+v: %v", ns, opts, err)
	}
	return l
}

// listAll reads every page of a list with the given page size.
func (h *harness) listAll(t *testing.T, ns string, opts store.ListOptions) ([]string, int) {
	t.Helper()
	var out []string
	pages := 0
	for {
		l := h.list(t, ns, opts)
		pages++
		out = append(out, names(l.Items)...)
		if opts.Limit > 0 && int64(len(l.Items)) > opts.Limit {
			t.Fatalf("page of %d items, limit %d", len(l.Items), opts.Limit)
		}
		if l.RemainingItemCount != nil && l.Continue == "" {
			t.Fatalf("remainingItemCount %d on the last page", *l.RemainingItemCount)
		}
		if l.Continue == "" {
			return out, pages
		}
		opts = store.ListOptions{Labels: opts.Labels, Fields: opts.Fields, Limit: opts.Limit, Continue: l.Continue}
	}
}

func mustParse(t *testing.T, s string) labels.Selector {
	t.Helper()
	sel, err := labels.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return sel
}

var listTests = []test{
	{"key order and namespaces", func(t *testing.T, h *harness) {
		for _, k := range [][2]string{{"ns2", "b"}, {"ns1", "c"}, {"ns1", "a"}, {"ns-x", "a"}, {"ns1", "a-1"}, {"ns1", "a.1"}} {
			h.create(t, widget(k[0], k[1], ""))
		}
		l := h.list(t, "", store.ListOptions{})
		want := []string{"ns-x/a", "ns1/a", "ns1/a-1", "ns1/a.1", "ns1/c", "ns2/b"}
		if d := cmp.Diff(want, names(l.Items)); d != "" {
			t.Errorf("list all (-want +got):\n%s", d)
		}
		if rev := h.revision(t); l.Revision != rev {
			t.Errorf("list revision = %d, want the store's %d", l.Revision, rev)
		}
		l = h.list(t, "ns1", store.ListOptions{})
		if d := cmp.Diff([]string{"ns1/a", "ns1/a-1", "ns1/a.1", "ns1/c"}, names(l.Items)); d != "" {
			t.Errorf("list ns1 (-want +got):\n%s", d)
		}
		l = h.list(t, "ns3", store.ListOptions{})
		if len(l.Items) != 0 {
			t.Errorf("list of an empty namespace has %d items", len(l.Items))
		}
	}},
	{"selectors", func(t *testing.T, h *harness) {
		h.create(t, widget("ns1", "a", "n1", "app", "web", "tier", "front"))
		h.create(t, widget("ns1", "b", "n2", "app", "web"))
		h.create(t, widget("ns2", "c", "n1", "app", "db"))
		d := h.create(t, widget("ns2", "d", "n3"))
		d.Status.Phase = "Running"
		h.update(t, d)
		// e moves from n1 to n2: the index must not keep returning it for n1.
		e := h.create(t, widget("ns2", "e", "n1"))
		e.Spec.Node = "n2"
		h.update(t, e)
		f := h.create(t, widget("ns2", "f", "n1"))
		h.delete(t, f.Namespace, f.Name)

		cases := []struct {
			name   string
			ns     string
			labels string
			fields fields.Selector
			want   []string
		}{
			{"label equality", "", "app=web", nil, []string{"ns1/a", "ns1/b"}},
			{"label set-based", "", "app in (web,db),tier!=front", nil, []string{"ns1/b", "ns2/c"}},
			{"label exists", "", "tier", nil, []string{"ns1/a"}},
			{"label in namespace", "ns2", "app", nil, []string{"ns2/c"}},
			{"indexed field", "", "", fields.OneTermEqualSelector("spec.node", "n1"), []string{"ns1/a", "ns2/c"}},
			{"indexed field after change", "", "", fields.OneTermEqualSelector("spec.node", "n2"), []string{"ns1/b", "ns2/e"}},
			{"indexed field in namespace", "ns2", "", fields.OneTermEqualSelector("spec.node", "n1"), []string{"ns2/c"}},
			{"indexed field no match", "", "", fields.OneTermEqualSelector("spec.node", "n9"), nil},
			{"plain field", "", "", fields.OneTermEqualSelector("status.phase", "Running"), []string{"ns2/d"}},
			{"name field", "", "", fields.OneTermEqualSelector("metadata.name", "c"), []string{"ns2/c"}},
			{"namespace field", "", "", fields.OneTermEqualSelector("metadata.namespace", "ns1"), []string{"ns1/a", "ns1/b"}},
			{"labels and fields", "", "app=web", fields.OneTermEqualSelector("spec.node", "n1"), []string{"ns1/a"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				opts := store.ListOptions{Fields: tc.fields}
				if tc.labels != "" {
					opts.Labels = mustParse(t, tc.labels)
				}
				got, _ := h.listAll(t, tc.ns, opts)
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
				opts.Limit = 1
				paged, _ := h.listAll(t, tc.ns, opts)
				if d := cmp.Diff(tc.want, paged); d != "" {
					t.Errorf("paged by 1 (-want +got):\n%s", d)
				}
			})
		}
	}},
	{"at revisions", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		h.create(t, widget("ns1", "b", ""))
		r1 := h.revision(t)
		h.delete(t, "ns1", "a")
		h.create(t, widget("ns1", "c", ""))
		a2 := h.create(t, widget("ns1", "a", ""))
		a2.Status.Phase = "New"
		h.update(t, a2)
		r2 := h.revision(t)
		cases := []struct {
			name string
			opts store.ListOptions
			want []string
			err  *errCheck
		}{
			{"exact old", store.ListOptions{Consistency: store.Exact, Revision: r1}, []string{"ns1/a", "ns1/b"}, nil},
			{"exact first", store.ListOptions{Consistency: store.Exact, Revision: rv(a)}, []string{"ns1/a"}, nil},
			{"exact now", store.ListOptions{Consistency: store.Exact, Revision: r2}, []string{"ns1/a", "ns1/b", "ns1/c"}, nil},
			{"not older than", store.ListOptions{Consistency: store.NotOlderThan, Revision: r1}, []string{"ns1/a", "ns1/b", "ns1/c"}, nil},
			{"exact future", store.ListOptions{Consistency: store.Exact, Revision: r2 + 10}, nil, &isTooLargeRV},
			{"not older than future", store.ListOptions{Consistency: store.NotOlderThan, Revision: r2 + 10}, nil, &isTooLargeRV},
			{"negative limit", store.ListOptions{Limit: -1}, nil, &isBadRequest},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				l, err := h.widgets.List(h.ctx, "ns1", tc.opts)
				if tc.err != nil {
					wantErr(t, "list", err, *tc.err)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tc.want, names(l.Items)); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
				if tc.opts.Consistency == store.Exact && l.Revision != tc.opts.Revision {
					t.Errorf("list revision = %d, want %d", l.Revision, tc.opts.Revision)
				}
			})
		}
		old := h.list(t, "ns1", store.ListOptions{Consistency: store.Exact, Revision: r1})
		if old.Items[0].Status.Phase != "" || old.Items[0].UID != a.UID {
			t.Errorf("exact list shows a's later incarnation: %+v", old.Items[0].ObjectMeta)
		}
	}},
	{"pagination", func(t *testing.T, h *harness) {
		var want []string
		for i := 0; i < 25; i++ {
			ns := fmt.Sprintf("ns%d", i%3)
			h.create(t, widget(ns, fmt.Sprintf("w%02d", i), ""))
		}
		for ns := 0; ns < 3; ns++ {
			for i := 0; i < 25; i++ {
				if i%3 == ns {
					want = append(want, fmt.Sprintf("ns%d/w%02d", ns, i))
				}
			}
		}
		for _, limit := range []int64{1, 7, 24, 25, 26} {
			got, pages := h.listAll(t, "", store.ListOptions{Limit: limit})
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("limit %d (-want +got):\n%s", limit, d)
			}
			if wantPages := int((25 + limit - 1) / limit); pages != wantPages && !(limit == 25 && pages == 1) {
				t.Errorf("limit %d: %d pages, want %d", limit, pages, wantPages)
			}
		}
		first := h.list(t, "", store.ListOptions{Limit: 10})
		if first.RemainingItemCount != nil && *first.RemainingItemCount != 15 {
			t.Errorf("remainingItemCount = %d, want 15", *first.RemainingItemCount)
		}
	}},
	{"pagination reads one snapshot across writes", func(t *testing.T, h *harness) {
		for i := 0; i < 20; i++ {
			h.create(t, widget("ns1", fmt.Sprintf("w%02d", i), ""))
		}
		snapshot := names(h.list(t, "ns1", store.ListOptions{}).Items)
		opts := store.ListOptions{Limit: 6}
		var got []string
		var rev int64
		for page := 0; ; page++ {
			l := h.list(t, "ns1", opts)
			if page == 0 {
				rev = l.Revision
			} else if l.Revision != rev {
				t.Errorf("page %d revision = %d, want the first page's %d", page, l.Revision, rev)
			}
			got = append(got, names(l.Items)...)
			// Between pages: delete an item not read yet, add items before and after the
			// cursor, update one: none of it may show.
			h.delete(t, "ns1", fmt.Sprintf("w%02d", 19-page))
			h.create(t, widget("ns1", fmt.Sprintf("a%02d", page), ""))
			h.create(t, widget("ns1", fmt.Sprintf("z%02d", page), ""))
			if l.Continue == "" {
				break
			}
			opts = store.ListOptions{Limit: 6, Continue: l.Continue}
		}
		if d := cmp.Diff(snapshot, got); d != "" {
			t.Errorf("paginated list is not the snapshot of its first page (-want +got):\n%s", d)
		}
	}},
	{"pagination under concurrent writers", func(t *testing.T, h *harness) {
		for i := 0; i < 40; i++ {
			h.create(t, widget("ns1", fmt.Sprintf("w%02d", i), ""))
		}
		ctx, cancel := context.WithCancel(h.ctx)
		var wg sync.WaitGroup
		for g := 0; g < 2; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					name := fmt.Sprintf("c%d-%04d", g, i)
					if _, err := h.widgets.Create(ctx, widget("ns1", name, "")); err != nil {
						return
					}
					if _, err := h.widgets.Delete(ctx, "ns1", fmt.Sprintf("w%02d", (i*7+g)%40), store.DeleteOptions{}); err != nil && !isNotFound.is(err) {
						return
					}
				}
			}()
		}
		var got []string
		opts := store.ListOptions{Limit: 5}
		var rev int64
		for {
			l := h.list(t, "ns1", opts)
			if rev == 0 {
				rev = l.Revision
			}
			got = append(got, names(l.Items)...)
			if l.Continue == "" {
				break
			}
			opts = store.ListOptions{Limit: 5, Continue: l.Continue}
		}
		cancel()
		wg.Wait()
		want := names(h.list(t, "ns1", store.ListOptions{Consistency: store.Exact, Revision: rev}).Items)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("paginated list differs from the snapshot at %d (-want +got):\n%s", rev, d)
		}
	}},
	{"bad continue tokens", func(t *testing.T, h *harness) {
		for i := 0; i < 5; i++ {
			h.create(t, widget("ns1", fmt.Sprintf("w%d", i), ""))
			h.create(t, widget("ns2", fmt.Sprintf("w%d", i), ""))
		}
		good := h.list(t, "ns1", store.ListOptions{Limit: 2}).Continue
		if good == "" {
			t.Fatal("no continue token")
		}
		cases := []struct {
			name  string
			ns    string
			token string
			opts  store.ListOptions
		}{
			{"garbage", "ns1", "%%%not-base64", store.ListOptions{}},
			{"base64 of garbage", "ns1", base64.RawURLEncoding.EncodeToString([]byte("{not json")), store.ListOptions{}},
			{"truncated", "ns1", good[:len(good)/2], store.ListOptions{}},
			{"empty json", "ns1", base64.RawURLEncoding.EncodeToString([]byte("{}")), store.ListOptions{}},
			{"other namespace", "ns2", good, store.ListOptions{}},
			{"with a revision", "ns1", good, store.ListOptions{Consistency: store.Exact, Revision: 1}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				opts := tc.opts
				opts.Continue, opts.Limit = tc.token, 2
				_, err := h.widgets.List(h.ctx, tc.ns, opts)
				wantErr(t, "list with token "+tc.name, err, isBadRequest)
			})
		}
	}},
}
