package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/store"
)

func ptr[T any](v T) *T { return &v }

// summary is what the tests compare options by (selectors as strings).
type summary struct {
	Consistency store.Consistency
	Revision    int64
	Labels      string
	Fields      string
	Limit       int64
	Continue    string
	Initial     bool
	Bookmarks   bool
}

func listSummary(o store.ListOptions) summary {
	s := summary{Consistency: o.Consistency, Revision: o.Revision, Limit: o.Limit, Continue: o.Continue}
	if o.Labels != nil {
		s.Labels = o.Labels.String()
	}
	if o.Fields != nil {
		s.Fields = o.Fields.String()
	}
	return s
}

func watchSummary(o store.WatchOptions) summary {
	s := summary{Revision: o.Revision, Initial: o.SendInitialEvents, Bookmarks: o.Bookmarks}
	if o.Labels != nil {
		s.Labels = o.Labels.String()
	}
	if o.Fields != nil {
		s.Fields = o.Fields.String()
	}
	return s
}

func TestParseGetOptions(t *testing.T) {
	cases := []struct {
		rv   string
		want store.GetOptions
		bad  bool
	}{
		{"", store.GetOptions{}, false},
		{"0", store.GetOptions{Consistency: store.Any}, false},
		{"42", store.GetOptions{Consistency: store.NotOlderThan, Revision: 42}, false},
		{"-1", store.GetOptions{}, true},
		{"x", store.GetOptions{}, true},
		{"007", store.GetOptions{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.rv, func(t *testing.T) {
			got, err := store.ParseGetOptions(meta.GetOptions{ResourceVersion: tc.rv})
			if tc.bad {
				if !apierrors.IsBadRequest(err) {
					t.Fatalf("error = %v, want BadRequest", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("= %+v, %v; want %+v", got, err, tc.want)
			}
			if back, _ := store.ParseGetOptions(got.Meta()); back != got {
				t.Errorf("round trip through Meta: %+v, want %+v", back, got)
			}
		})
	}
}

func TestParseListOptions(t *testing.T) {
	cases := []struct {
		name string
		in   meta.ListOptions
		want summary
		err  func(error) bool
	}{
		{"latest", meta.ListOptions{}, summary{}, nil},
		{"any", meta.ListOptions{ResourceVersion: "0"}, summary{Consistency: store.Any}, nil},
		{"not older than", meta.ListOptions{ResourceVersion: "9"}, summary{Consistency: store.NotOlderThan, Revision: 9}, nil},
		{"legacy paginated is exact", meta.ListOptions{ResourceVersion: "9", Limit: 5}, summary{Consistency: store.Exact, Revision: 9, Limit: 5}, nil},
		{"explicit not older than with limit", meta.ListOptions{ResourceVersion: "9", ResourceVersionMatch: meta.ResourceVersionMatchNotOlderThan, Limit: 5}, summary{Consistency: store.NotOlderThan, Revision: 9, Limit: 5}, nil},
		{"exact", meta.ListOptions{ResourceVersion: "9", ResourceVersionMatch: meta.ResourceVersionMatchExact}, summary{Consistency: store.Exact, Revision: 9}, nil},
		{"selectors", meta.ListOptions{LabelSelector: "app=web,tier in (a,b)", FieldSelector: "spec.nodeName=n1"}, summary{Labels: "app=web,tier in (a,b)", Fields: "spec.nodeName=n1"}, nil},
		{"continue", meta.ListOptions{Continue: "tok", Limit: 5}, summary{Continue: "tok", Limit: 5}, nil},
		{"continue with rv 0", meta.ListOptions{Continue: "tok", ResourceVersion: "0"}, summary{Continue: "tok"}, nil},
		{"continue with rv", meta.ListOptions{Continue: "tok", ResourceVersion: "4"}, summary{}, apierrors.IsBadRequest},
		{"bad label selector", meta.ListOptions{LabelSelector: "a in ("}, summary{}, apierrors.IsBadRequest},
		{"bad field selector", meta.ListOptions{FieldSelector: "a"}, summary{}, apierrors.IsBadRequest},
		{"bad rv", meta.ListOptions{ResourceVersion: "abc"}, summary{}, apierrors.IsBadRequest},
		{"negative limit", meta.ListOptions{Limit: -1}, summary{}, apierrors.IsInvalid},
		{"match without rv", meta.ListOptions{ResourceVersionMatch: meta.ResourceVersionMatchExact}, summary{}, apierrors.IsInvalid},
		{"exact 0", meta.ListOptions{ResourceVersion: "0", ResourceVersionMatch: meta.ResourceVersionMatchExact}, summary{}, apierrors.IsInvalid},
		{"unknown match", meta.ListOptions{ResourceVersion: "1", ResourceVersionMatch: "Newest"}, summary{}, apierrors.IsInvalid},
		{"initial events on list", meta.ListOptions{SendInitialEvents: ptr(true)}, summary{}, apierrors.IsInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := store.ParseListOptions(tc.in)
			if tc.err != nil {
				if !tc.err(err) {
					t.Fatalf("error = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, listSummary(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			back, err := store.ParseListOptions(got.Meta())
			if err != nil {
				t.Fatalf("parse of Meta %+v: %v", got.Meta(), err)
			}
			if d := cmp.Diff(listSummary(got), listSummary(back)); d != "" {
				t.Errorf("round trip through Meta (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseWatchOptions(t *testing.T) {
	cases := []struct {
		name string
		in   meta.ListOptions
		want summary
		err  func(error) bool
	}{
		{"legacy unset starts with state", meta.ListOptions{Watch: true}, summary{Initial: true}, nil},
		{"legacy 0 starts with state", meta.ListOptions{Watch: true, ResourceVersion: "0", AllowWatchBookmarks: true}, summary{Initial: true, Bookmarks: true}, nil},
		{"from a revision", meta.ListOptions{Watch: true, ResourceVersion: "12"}, summary{Revision: 12}, nil},
		{"streaming list", meta.ListOptions{Watch: true, SendInitialEvents: ptr(true), ResourceVersionMatch: meta.ResourceVersionMatchNotOlderThan, AllowWatchBookmarks: true}, summary{Initial: true, Bookmarks: true}, nil},
		{"streaming list from a revision", meta.ListOptions{Watch: true, ResourceVersion: "7", SendInitialEvents: ptr(true), ResourceVersionMatch: meta.ResourceVersionMatchNotOlderThan, AllowWatchBookmarks: true}, summary{Revision: 7, Initial: true, Bookmarks: true}, nil},
		{"explicitly no initial events", meta.ListOptions{Watch: true, ResourceVersion: "7", SendInitialEvents: ptr(false), ResourceVersionMatch: meta.ResourceVersionMatchNotOlderThan}, summary{Revision: 7}, nil},
		{"initial events without bookmarks", meta.ListOptions{Watch: true, SendInitialEvents: ptr(true), ResourceVersionMatch: meta.ResourceVersionMatchNotOlderThan}, summary{}, apierrors.IsInvalid},
		{"initial events without match", meta.ListOptions{Watch: true, SendInitialEvents: ptr(true), AllowWatchBookmarks: true}, summary{}, apierrors.IsInvalid},
		{"match without initial events", meta.ListOptions{Watch: true, ResourceVersion: "3", ResourceVersionMatch: meta.ResourceVersionMatchNotOlderThan}, summary{}, apierrors.IsInvalid},
		{"exact match", meta.ListOptions{Watch: true, ResourceVersion: "3", ResourceVersionMatch: meta.ResourceVersionMatchExact}, summary{}, apierrors.IsInvalid},
		{"continue", meta.ListOptions{Watch: true, Continue: "x"}, summary{}, apierrors.IsInvalid},
		{"bad rv", meta.ListOptions{Watch: true, ResourceVersion: "-3"}, summary{}, apierrors.IsBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := store.ParseWatchOptions(tc.in)
			if tc.err != nil {
				if !tc.err(err) {
					t.Fatalf("error = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, watchSummary(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			m, err := got.Meta()
			if err != nil {
				t.Fatalf("Meta: %v", err)
			}
			back, err := store.ParseWatchOptions(m)
			if err != nil {
				t.Fatalf("parse of Meta %+v: %v", m, err)
			}
			if d := cmp.Diff(watchSummary(got), watchSummary(back)); d != "" {
				t.Errorf("round trip through Meta (-want +got):\n%s", d)
			}
		})
	}
	if _, err := (store.WatchOptions{}).Meta(); !apierrors.IsBadRequest(err) {
		t.Errorf("Meta of a watch from now: %v, want BadRequest", err)
	}
}

func FuzzParseListOptions(f *testing.F) {
	f.Add("", "", "", "", "", int64(0), false)
	f.Add("9", "Exact", "app=web", "spec.nodeName=n", "", int64(5), false)
	f.Add("0", "NotOlderThan", "a notin (b)", "x!=y", "tok", int64(-1), true)
	f.Fuzz(func(t *testing.T, rv, match, ls, fs, cont string, limit int64, watch bool) {
		in := meta.ListOptions{ResourceVersion: rv, ResourceVersionMatch: meta.ResourceVersionMatch(match),
			LabelSelector: ls, FieldSelector: fs, Continue: cont, Limit: limit}
		if watch {
			in.Watch = true
			w, err := store.ParseWatchOptions(in)
			if err != nil {
				if !apierrors.IsBadRequest(err) && !apierrors.IsInvalid(err) {
					t.Fatalf("error %v is neither BadRequest nor Invalid", err)
				}
				return
			}
			m, err := w.Meta()
			if err != nil {
				return
			}
			back, err := store.ParseWatchOptions(m)
			if err != nil || watchSummary(back) != watchSummary(w) {
				t.Fatalf("round trip of %+v: %+v, %v", watchSummary(w), watchSummary(back), err)
			}
			return
		}
		l, err := store.ParseListOptions(in)
		if err != nil {
			if !apierrors.IsBadRequest(err) && !apierrors.IsInvalid(err) {
				t.Fatalf("error %v is neither BadRequest nor Invalid", err)
			}
			return
		}
		back, err := store.ParseListOptions(l.Meta())
		if err != nil || listSummary(back) != listSummary(l) {
			t.Fatalf("round trip of %+v: %+v, %v", listSummary(l), listSummary(back), err)
		}
	})
}
