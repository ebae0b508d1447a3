package backend

import (
	"testing"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/store"
)

func TestListStart(t *testing.T) {
	widgets, gizmos := testResources(t)
	tok := EncodeContinue(Continue{Revision: 7, Key: "ns1/a"})
	cases := []struct {
		name    string
		res     *Resource
		ns      string
		opts    store.ListOptions
		want    *Continue
		wantErr func(error) bool
	}{
		{"first page", widgets, "ns1", store.ListOptions{Limit: 10}, nil, nil},
		{"continue", widgets, "ns1", store.ListOptions{Continue: tok}, &Continue{Revision: 7, Key: "ns1/a"}, nil},
		{"continue across namespaces", widgets, "", store.ListOptions{Continue: tok}, &Continue{Revision: 7, Key: "ns1/a"}, nil},
		{"continue of another namespace", widgets, "ns2", store.ListOptions{Continue: tok}, nil, apierrors.IsBadRequest},
		{"corrupted continue", widgets, "ns1", store.ListOptions{Continue: tok[:len(tok)-3] + "!!!"}, nil, apierrors.IsBadRequest},
		{"continue with a revision", widgets, "ns1", store.ListOptions{Continue: tok, Revision: 7, Consistency: store.Exact}, nil, apierrors.IsBadRequest},
		{"negative limit", widgets, "ns1", store.ListOptions{Limit: -1}, nil, apierrors.IsBadRequest},
		{"namespace of a cluster-scoped resource", gizmos, "ns1", store.ListOptions{}, nil, apierrors.IsBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.res.ListStart(tc.ns, tc.opts)
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("error %v, want a BadRequest", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
				t.Errorf("continue %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestCheckContinue(t *testing.T) {
	widgets, _ := testResources(t)
	cases := []struct {
		name                string
		rev, head, compactd int64
		want                func(error) bool
	}{
		{"in the history", 5, 9, 3, nil},
		{"at the compaction point", 3, 9, 3, nil},
		{"at the head", 9, 9, 3, nil},
		{"compacted away", 2, 9, 3, apierrors.IsResourceExpired},
		{"from the future", 10, 9, 3, apierrors.IsBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := widgets.CheckContinue(&Continue{Revision: tc.rev, Key: "ns/a"}, tc.head, tc.compactd)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				return
			}
			if err == nil || !tc.want(err) {
				t.Fatalf("error %v of the wrong kind", err)
			}
		})
	}
}

func TestListRevision(t *testing.T) {
	widgets, _ := testResources(t)
	cases := []struct {
		name    string
		after   *Continue
		opts    store.ListOptions
		want    int64
		wantErr func(error) bool
	}{
		{"latest", nil, store.ListOptions{}, 9, nil},
		{"exact in the history", nil, store.ListOptions{Consistency: store.Exact, Revision: 5}, 5, nil},
		{"exact compacted away", nil, store.ListOptions{Consistency: store.Exact, Revision: 2}, 0, apierrors.IsResourceExpired},
		{"token's revision", &Continue{Revision: 4, Key: "ns/a"}, store.ListOptions{}, 4, nil},
		{"token compacted away", &Continue{Revision: 2, Key: "ns/a"}, store.ListOptions{}, 0, apierrors.IsResourceExpired},
		{"token from the future", &Continue{Revision: 10, Key: "ns/a"}, store.ListOptions{}, 0, apierrors.IsBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := widgets.ListRevision("test", tc.after, tc.opts, 9, 3)
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("error %v of the wrong kind", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("revision %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}
