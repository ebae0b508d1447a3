package memory_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/storetest"
)

// TestPagedListRemainingAtPastRevision pages through lists while writes land between the
// pages, and checks each page against the snapshot of the first page's revision: the items,
// and the remainingItemCount, which later pages take from the count remembered with their
// continue token (or recount, when the token was evicted or is reused in another namespace).
func TestPagedListRemainingAtPastRevision(t *testing.T) {
	cases := []struct {
		name    string
		firstNS string // namespace of the first page
		restNS  string // namespace of the later pages
		limit   int64
		evict   bool // issue enough other tokens between pages to evict the remembered counts
	}{
		{"one namespace", "ns1", "ns1", 4, false},
		{"cluster-wide", "", "", 7, false},
		{"limit 1", "ns2", "ns2", 1, false},
		{"tokens evicted between pages", "", "", 9, true},
		{"namespaced token continued cluster-wide", "ns1", "", 5, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := memory.New(memory.Options{Resources: storetest.Resources(), MaxHistoryAge: -1})
			if err != nil {
				t.Fatal(err)
			}
			ws := store.For[*storetest.Widget](s, storetest.Widgets)
			create := func(ns, name string) {
				t.Helper()
				w := &storetest.Widget{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name}}
				if _, err := ws.Create(ctx, w); err != nil {
					t.Fatal(err)
				}
			}
			for i := 0; i < 30; i++ {
				create(fmt.Sprintf("ns%d", 1+i%3), fmt.Sprintf("w%02d", i))
			}
			keys := func(items []*storetest.Widget) []string {
				var out []string
				for _, w := range items {
					out = append(out, w.Namespace+"/"+w.Name)
				}
				return out
			}
			snapshot := func(ns string, rev int64) []string {
				t.Helper()
				l, err := ws.List(ctx, ns, store.ListOptions{Consistency: store.Exact, Revision: rev})
				if err != nil {
					t.Fatal(err)
				}
				return keys(l.Items)
			}
			// after returns the keys of all that follow key.
			after := func(all []string, key string) []string {
				var out []string
				for _, k := range all {
					if k > key {
						out = append(out, k)
					}
				}
				return out
			}

			ns, opts := tc.firstNS, store.ListOptions{Limit: tc.limit}
			var rev int64
			var got, want []string
			for page := 0; ; page++ {
				l, err := ws.List(ctx, ns, opts)
				if err != nil {
					t.Fatalf("page %d: %v", page, err)
				}
				pageKeys := keys(l.Items)
				if page == 0 {
					rev = l.Revision
					want = snapshot(ns, rev)
				} else {
					if l.Revision != rev {
						t.Fatalf("page %d: revision %d, want %d", page, l.Revision, rev)
					}
					if ns != tc.firstNS {
						want = append(got[:len(got):len(got)], after(snapshot(ns, rev), got[len(got)-1])...)
					}
				}
				got = append(got, pageKeys...)
				if l.Continue == "" {
					if l.RemainingItemCount != nil {
						t.Errorf("page %d: remainingItemCount %d on the last page", page, *l.RemainingItemCount)
					}
					break
				}
				wantRest := int64(len(after(snapshot(ns, rev), got[len(got)-1])))
				if l.RemainingItemCount == nil {
					t.Fatalf("page %d: no remainingItemCount", page)
				}
				if *l.RemainingItemCount != wantRest {
					t.Errorf("page %d: remainingItemCount %d, want %d", page, *l.RemainingItemCount, wantRest)
				}
				// Writes between pages, before and after the cursor and in every namespace.
				create("ns1", fmt.Sprintf("a%02d", page))
				create("ns3", fmt.Sprintf("z%02d", page))
				if page < 10 { // w28, w25, ..., w01 live in ns2
					if _, err := ws.Delete(ctx, "ns2", fmt.Sprintf("w%02d", 28-3*page), store.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				}
				if tc.evict {
					for i := 0; i < 300; i++ {
						create("ns4", fmt.Sprintf("e%02d-%03d", page, i))
						if _, err := ws.List(ctx, "ns4", store.ListOptions{Limit: 1}); err != nil {
							t.Fatal(err)
						}
					}
				}
				ns, opts = tc.restNS, store.ListOptions{Limit: tc.limit, Continue: l.Continue}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("pages differ from the snapshot at %d (-want +got):\n%s", rev, d)
			}
		})
	}
}
