package registry

import (
	"fmt"
	"slices"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Verbs returns the verbs of an ordinary stored resource: create, delete, deletecollection, get,
// list, patch, update and watch, in the sorted order discovery reports them. Each call returns a
// fresh slice.
func Verbs() []string {
	return []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}
}

// VerbsWithout returns Verbs minus the given verbs (namespaces serve no deletecollection).
func VerbsWithout(drop ...string) []string {
	return slices.DeleteFunc(Verbs(), func(v string) bool { return slices.Contains(drop, v) })
}

// Resource describes one resource of a group version, the way its discovery entry reads.
type Resource struct {
	// Plural, Kind and Singular name the resource ("pods", "Pod", "pod").
	Plural, Kind, Singular string
	// Namespaced is false for cluster-scoped resources.
	Namespaced bool
	// ShortNames, Categories and Subresources are as discovery reports them.
	ShortNames, Categories, Subresources []string
	// Verbs are the verbs served; nil means Verbs().
	Verbs []string
	// NoList is set for kinds without a list kind (Binding).
	NoList bool
}

// Info returns the runtime.ResourceInfo of r in gv.
func (r Resource) Info(gv schema.GroupVersion) runtime.ResourceInfo {
	info := runtime.ResourceInfo{
		GroupVersionResource: gv.WithResource(r.Plural),
		Kind:                 r.Kind,
		Singular:             r.Singular,
		ShortNames:           slices.Clone(r.ShortNames),
		Categories:           slices.Clone(r.Categories),
		Namespaced:           r.Namespaced,
		Subresources:         slices.Clone(r.Subresources),
		Verbs:                slices.Clone(r.Verbs),
	}
	if info.Verbs == nil {
		info.Verbs = Verbs()
	}
	if !r.NoList {
		info.ListKind = r.Kind + "List"
	}
	return info
}

// Register adds kinds to s under gv, then every resource of resources. A resource that s already
// holds with exactly the same description is skipped, so registering one group version twice is
// a no-op; a different description under the same name is an error. Errors name gv and the
// resource.
func Register(s *runtime.Scheme, gv schema.GroupVersion, kinds []runtime.Object, resources []Resource) error {
	if s == nil {
		return fmt.Errorf("%s: add to scheme: scheme is nil", gv.String())
	}
	if err := s.AddKnownTypes(gv, kinds...); err != nil {
		return fmt.Errorf("%s: add to scheme: %w", gv.String(), err)
	}
	for _, res := range resources {
		r := res.Info(gv)
		if old, err := s.Resource(r.GroupVersionResource); err == nil {
			if Equal(old, r) {
				continue
			}
			return fmt.Errorf("%s: add to scheme: resource %q is already registered with a different description",
				gv.String(), r.Resource)
		}
		if err := s.AddResource(r); err != nil {
			return fmt.Errorf("%s: add to scheme: %w", gv.String(), err)
		}
	}
	return nil
}

// Equal reports whether two resource descriptions are the same, treating an empty Singular or
// ListKind in b as the value AddResource would fill in.
func Equal(a, b runtime.ResourceInfo) bool {
	if b.ListKind == "" {
		b.ListKind = a.ListKind
	}
	if b.Singular == "" {
		b.Singular = a.Singular
	}
	return a.GroupVersionResource == b.GroupVersionResource && a.Kind == b.Kind && a.ListKind == b.ListKind &&
		a.Singular == b.Singular && a.Namespaced == b.Namespaced &&
		slices.Equal(a.ShortNames, b.ShortNames) && slices.Equal(a.Categories, b.Categories) &&
		slices.Equal(a.Subresources, b.Subresources) && slices.Equal(a.Verbs, b.Verbs)
}
