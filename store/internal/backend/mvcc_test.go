package backend

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMergeSorted(t *testing.T) {
	keys := func(es []*Entry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Key())
		}
		return out
	}
	mk := func(ks ...string) []*Entry {
		var out []*Entry
		for _, k := range ks {
			ns, name, _ := strings.Cut(k, "/")
			out = append(out, &Entry{NS: ns, Name: name})
		}
		return out
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var big, bigAdd []string
	for i := 0; i < 2000; i++ {
		k := fmt.Sprintf("ns%d/w%05d", rnd.IntN(5), rnd.IntN(1_000_000))
		if i%10 == 0 {
			bigAdd = append(bigAdd, k+"x")
		} else {
			big = append(big, k)
		}
	}
	sort.Strings(big)
	cases := []struct {
		name        string
		sorted, add []string
	}{
		{"into empty", nil, []string{"b/2", "a/1", "b/1"}},
		{"nothing to add", []string{"a/1", "b/1"}, nil},
		{"before all", []string{"b/1", "b/2"}, []string{"a/9", "a/1"}},
		{"after all", []string{"a/1", "a/2"}, []string{"c/1", "b/1"}},
		{"between, in other namespaces", []string{"a/1", "c/1", "e/1"}, []string{"d/0", "b/5", "f/0", "0/0"}},
		{"same namespace interleaved", []string{"n/b", "n/d", "n/f"}, []string{"n/e", "n/a", "n/c", "n/g"}},
		{"namespace a prefix of another", []string{"a/z", "ab/a"}, []string{"a/zz", "ab/0", "a/0"}},
		{"random, 2000 keys", big, bigAdd},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := append(append([]*Entry{}, mk(tc.sorted...)...), mk(tc.add...)...)
			sort.Slice(want, func(i, j int) bool { return EntryLess(want[i], want[j]) })
			got := MergeSorted(mk(tc.sorted...), mk(tc.add...))
			if d := cmp.Diff(keys(want), keys(got)); d != "" {
				t.Errorf("merge (-want +got):\n%s", d)
			}
		})
	}
}

// entryOf returns an entry with versions at revs: a widget on node nodes[i] at revs[i], a
// tombstone where nodes[i] is "-".
func entryOf(ns, name string, revs []int64, nodes []string) *Entry {
	e := &Entry{NS: ns, Name: name}
	for i, r := range revs {
		if nodes[i] == "-" {
			e.Versions = append(e.Versions, Version{Rev: r})
			continue
		}
		w := widget(ns, name, nodes[i], "", nil)
		w.ResourceVersion = FormatRevision(r)
		e.Versions = append(e.Versions, Version{Rev: r, Obj: w, Idx: []string{nodes[i]}})
	}
	return e
}

func TestIndexPrune(t *testing.T) {
	cases := []struct {
		name      string
		revs      []int64
		nodes     []string
		rev       int64
		wantRevs  []int64
		wantEmpty bool
		wantIndex map[string]bool // values whose bucket still holds the entry
	}{
		{"all newer than rev", []int64{5, 7}, []string{"n1", "n2"}, 4, []int64{5, 7}, false, map[string]bool{"n1": true, "n2": true}},
		{"keeps the state at rev", []int64{2, 5, 7}, []string{"n1", "n2", "n3"}, 6, []int64{5, 7}, false, map[string]bool{"n2": true, "n3": true}},
		{"state at rev is the oldest", []int64{5, 7}, []string{"n1", "n2"}, 5, []int64{5, 7}, false, map[string]bool{"n1": true, "n2": true}},
		{"value still in a kept version", []int64{2, 5}, []string{"n1", "n1"}, 5, []int64{5}, false, map[string]bool{"n1": true}},
		{"tombstone at rev drops it too", []int64{2, 5}, []string{"n1", "-"}, 6, nil, true, map[string]bool{}},
		{"tombstone before a recreation", []int64{2, 4, 8}, []string{"n1", "-", "n2"}, 6, []int64{8}, false, map[string]bool{"n2": true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := NewIndex(1)
			e := entryOf("ns1", "a", tc.revs, tc.nodes)
			for _, v := range e.Versions {
				x.Add(e, v.Idx)
			}
			empty := x.Prune(e, tc.rev)
			if empty != tc.wantEmpty {
				t.Errorf("Prune reported empty %v, want %v", empty, tc.wantEmpty)
			}
			var revs []int64
			for _, v := range e.Versions {
				revs = append(revs, v.Rev)
			}
			if d := cmp.Diff(tc.wantRevs, revs); d != "" {
				t.Errorf("kept revisions (-want +got):\n%s", d)
			}
			got := map[string]bool{}
			for v, b := range x[0] {
				if _, ok := b[e]; ok {
					got[v] = true
				}
				if len(b) == 0 {
					t.Errorf("empty bucket %q left", v)
				}
			}
			if d := cmp.Diff(tc.wantIndex, got); d != "" {
				t.Errorf("index buckets holding the entry (-want +got):\n%s", d)
			}
		})
	}
}

func TestEntryAt(t *testing.T) {
	e := entryOf("ns1", "a", []int64{3, 6, 9}, []string{"n1", "-", "n2"})
	for _, tc := range []struct {
		rev  int64
		want string // resourceVersion of the object, "" for none
	}{{2, ""}, {3, "3"}, {5, "3"}, {6, ""}, {8, ""}, {9, "9"}, {100, "9"}} {
		got := ""
		if o := e.At(tc.rev); o != nil {
			got = o.GetObjectMeta().ResourceVersion
		}
		if got != tc.want {
			t.Errorf("At(%d) = %q, want %q", tc.rev, got, tc.want)
		}
	}
	if e.Latest().Rev != 9 || e.Key() != "ns1/a" {
		t.Errorf("Latest().Rev %d, Key %q", e.Latest().Rev, e.Key())
	}
}

// space is a small keyspace for Candidates and ReadPage: widgets in two namespaces, indexed
// by node, plus one deleted key.
type space struct {
	x       Index
	byKey   map[string]*Entry
	sorted  []*Entry
	widgets *Resource
}

func newSpace(t *testing.T) *space {
	widgets, _ := testResources(t)
	s := &space{x: NewIndex(1), byKey: map[string]*Entry{}, widgets: widgets}
	add := func(e *Entry) {
		s.byKey[e.Key()] = e
		s.sorted = append(s.sorted, e)
		for _, v := range e.Versions {
			s.x.Add(e, v.Idx)
		}
	}
	add(entryOf("a", "w1", []int64{1}, []string{"n1"}))
	add(entryOf("a", "w2", []int64{2, 8}, []string{"n2", "n1"}))
	add(entryOf("a", "w3", []int64{3, 9}, []string{"n1", "-"}))
	add(entryOf("b", "w1", []int64{4}, []string{"n1"}))
	add(entryOf("b", "w2", []int64{5}, []string{"n2"}))
	add(entryOf("c", "w1", []int64{6}, []string{"n3"}))
	sort.Slice(s.sorted, func(i, j int) bool { return EntryLess(s.sorted[i], s.sorted[j]) })
	return s
}

func (s *space) Lookup(ns, name string) *Entry { return s.byKey[ns+"/"+name] }
func (s *space) Sorted() []*Entry              { return s.sorted }

func keysOf(es []*Entry) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.Key())
	}
	return out
}

func TestCandidates(t *testing.T) {
	sp := newSpace(t)
	cases := []struct {
		name   string
		ns     string
		fields string
		want   []string
	}{
		{"everything", "", "", []string{"a/w1", "a/w2", "a/w3", "b/w1", "b/w2", "c/w1"}},
		{"namespace", "b", "", []string{"b/w1", "b/w2"}},
		{"namespace with no keys", "bb", "", []string{}},
		{"index bucket, every namespace", "", "spec.node=n1", []string{"a/w1", "a/w2", "a/w3", "b/w1"}},
		{"index bucket in a namespace", "b", "spec.node=n1", []string{"b/w1"}},
		{"name in a namespace", "a", "metadata.name=w2", []string{"a/w2"}},
		{"missing name in a namespace", "a", "metadata.name=zz", []string{}},
		{"name across namespaces", "", "metadata.name=w1", []string{"a/w1", "b/w1", "c/w1"}},
		{"plain field: the namespace range", "a", "status.phase=x", []string{"a/w1", "a/w2", "a/w3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := mustFields(t, tc.fields)
			sel := sp.widgets.Selector(tc.ns, nil, f)
			got := keysOf(Candidates(&sel, sp.x, sp))
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("candidates (-want +got):\n%s", d)
			}
		})
	}
}

func TestReadPage(t *testing.T) {
	sp := newSpace(t)
	type page struct {
		Keys      []string
		More      bool
		Counted   bool
		Remaining int64
	}
	cases := []struct {
		name   string
		ns     string
		fields string
		rev    int64
		after  string // continue key, "" for the first page
		limit  int64
		known  int64
		want   page
	}{
		{"everything at the head", "", "", 9, "", 0, -1, page{Keys: []string{"a/w1", "a/w2", "b/w1", "b/w2", "c/w1"}}},
		{"at a past revision", "", "", 3, "", 0, -1, page{Keys: []string{"a/w1", "a/w2", "a/w3"}}},
		{"first page counts the rest", "", "", 9, "", 2, -1, page{Keys: []string{"a/w1", "a/w2"}, More: true, Counted: true, Remaining: 3}},
		{"next page after a key", "", "", 9, "a/w2", 2, -1, page{Keys: []string{"b/w1", "b/w2"}, More: true, Counted: true, Remaining: 1}},
		{"known count is used", "", "", 9, "a/w2", 2, 10, page{Keys: []string{"b/w1", "b/w2"}, More: true, Counted: true, Remaining: 8}},
		{"last page", "", "", 9, "b/w2", 2, -1, page{Keys: []string{"c/w1"}, Counted: true}},
		{"filtered page is not counted", "", "spec.node=n1", 9, "", 1, -1, page{Keys: []string{"a/w1"}, More: true}},
		{"filtered at a past revision", "", "spec.node=n1", 3, "", 0, -1, page{Keys: []string{"a/w1", "a/w3"}}},
		{"namespace, exact fit", "b", "", 9, "", 2, -1, page{Keys: []string{"b/w1", "b/w2"}, Counted: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := mustFields(t, tc.fields)
			sel := sp.widgets.Selector(tc.ns, nil, f)
			var after *Continue
			if tc.after != "" {
				after = &Continue{Revision: tc.rev, Key: tc.after}
			}
			p := ReadPage(After(Candidates(&sel, sp.x, sp), after), &sel, tc.rev, tc.rev == 9, tc.limit, tc.known)
			var keys []string
			for _, o := range p.Items {
				m := o.GetObjectMeta()
				keys = append(keys, m.Namespace+"/"+m.Name)
			}
			got := page{Keys: keys, More: p.More, Counted: p.Counted, Remaining: p.Remaining}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("page (-want +got):\n%s", d)
			}
			l := p.List(tc.rev)
			if l.Revision != tc.rev || len(l.Items) != len(p.Items) {
				t.Fatalf("List: revision %d with %d items, want %d with %d", l.Revision, len(l.Items), tc.rev, len(p.Items))
			}
			for i := range l.Items {
				if l.Items[i] == p.Items[i] {
					t.Errorf("List item %d is the stored object, want a copy", i)
				}
			}
			if !p.More {
				if l.Continue != "" || l.RemainingItemCount != nil {
					t.Errorf("last page has continue %q and remaining %v", l.Continue, l.RemainingItemCount)
				}
				return
			}
			c, err := DecodeContinue(l.Continue, "")
			if err != nil || c.Revision != tc.rev || c.Key != p.Last.Key() {
				t.Errorf("continue token %q decodes to %+v, %v; want revision %d key %q", l.Continue, c, err, tc.rev, p.Last.Key())
			}
			if (l.RemainingItemCount != nil) != p.Counted || p.Counted && *l.RemainingItemCount != p.Remaining {
				t.Errorf("RemainingItemCount %v, want %d (counted %v)", l.RemainingItemCount, p.Remaining, p.Counted)
			}
		})
	}
}
