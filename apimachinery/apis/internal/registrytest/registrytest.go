package registrytest

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/google/go-cmp/cmp"
)

// Want is one resource as discovery reports it. Every field is compared; Verbs must be given in
// full.
type Want struct {
	// Plural, Singular, Kind and ListKind name the resource ("pods", "pod", "Pod", "PodList").
	Plural, Singular, Kind, ListKind string
	// Namespaced is false for cluster-scoped resources.
	Namespaced bool
	// ShortNames and Categories are as discovery lists them.
	ShortNames, Categories []string
	// Subresources are the subresource names ("status", "scale"); Verbs are all verbs served.
	Subresources, Verbs []string
}

// Full returns the verb list of an ordinary stored resource, written out for tests.
func Full() []string {
	return []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}
}

// Check registers add into a fresh scheme and fails t unless exactly the kinds (and their list
// kinds, for kinds whose Go type has one) and exactly the resources in want are registered, each
// resolvable by plural, singular, short name and "plural.group"; and unless registering a second
// time changes nothing.
func Check(t *testing.T, add func(*runtime.Scheme) error, gv schema.GroupVersion, kinds []string, want []Want) {
	t.Helper()
	s := runtime.NewScheme()
	if err := add(s); err != nil {
		t.Fatalf("AddToScheme: %v", err)
	}

	var gotKinds []string
	for _, gvk := range s.KnownKinds() {
		if gvk.GroupVersion() != gv {
			t.Errorf("kind %v registered outside %v", gvk, gv)
			continue
		}
		gotKinds = append(gotKinds, gvk.Kind)
	}
	wantKinds := slices.Clone(kinds)
	slices.Sort(wantKinds)
	if diff := cmp.Diff(wantKinds, gotKinds); diff != "" {
		t.Errorf("registered kinds (-want +got):\n%s", diff)
	}
	for _, k := range kinds {
		gvk := gv.WithKind(k)
		obj, err := s.New(gvk)
		if err != nil {
			t.Errorf("New(%v): %v", gvk, err)
			continue
		}
		if name := reflect.TypeOf(obj).Elem().Name(); name != k {
			t.Errorf("New(%v) returned a %s", gvk, name)
		}
		got, err := s.ObjectKind(obj)
		if err != nil || got != gvk {
			t.Errorf("ObjectKind(New(%v)) = %v, %v", gvk, got, err)
		}
		if item, ok := s.IsListKind(gvk); ok != strings.HasSuffix(k, "List") {
			t.Errorf("IsListKind(%v) = %v, %v", gvk, item, ok)
		} else if ok && !s.Recognizes(item) {
			t.Errorf("list kind %v has an unregistered item kind %v", gvk, item)
		}
	}

	var got []Want
	for _, r := range s.Resources() {
		got = append(got, Want{
			Plural: r.Resource, Singular: r.Singular, Kind: r.Kind, ListKind: r.ListKind, Namespaced: r.Namespaced,
			ShortNames: r.ShortNames, Categories: r.Categories, Subresources: r.Subresources, Verbs: r.Verbs,
		})
		if r.GroupVersionResource.GroupVersion() != gv {
			t.Errorf("resource %v registered outside %v", r.GroupVersionResource, gv)
		}
	}
	sorted := slices.Clone(want)
	slices.SortFunc(sorted, func(a, b Want) int { return strings.Compare(a.Plural, b.Plural) })
	if diff := cmp.Diff(sorted, got); diff != "" {
		t.Errorf("registered resources (-want +got):\n%s", diff)
	}

	for _, w := range want {
		names := append([]string{w.Plural, w.Singular, strings.ToUpper(w.Plural[:1]) + w.Plural[1:], w.Kind}, w.ShortNames...)
		if gv.Group != "" {
			names = append(names, w.Plural+"."+gv.Group, w.Plural+"."+gv.Version+"."+gv.Group)
		}
		for _, n := range names {
			r, err := s.ResourceFor(n)
			if err != nil {
				t.Errorf("ResourceFor(%q): %v", n, err)
				continue
			}
			if r.GroupVersionResource != gv.WithResource(w.Plural) {
				t.Errorf("ResourceFor(%q) = %v, want %v", n, r.GroupVersionResource, gv.WithResource(w.Plural))
			}
		}
	}

	before := s.Resources()
	if err := add(s); err != nil {
		t.Fatalf("second AddToScheme: %v", err)
	}
	if diff := cmp.Diff(before, s.Resources()); diff != "" {
		t.Errorf("second AddToScheme changed the resources (-before +after):\n%s", diff)
	}
	if err := add(nil); err == nil {
		t.Errorf("AddToScheme(nil) succeeded")
	}
}
