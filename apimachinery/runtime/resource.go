package runtime

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/schema"
)

// ResourceInfo describes one resource: the HTTP collection that serves a kind, with the names
// kubectl accepts for it and what discovery says about it.
type ResourceInfo struct {
	// GroupVersionResource names the resource by its plural ("apps/v1, Resource=deployments").
	schema.GroupVersionResource
	// Kind is the kind of the objects, in the same group and version ("Deployment").
	Kind string
	// ListKind is the kind of lists of them ("DeploymentList"). AddResource fills in
	// Kind+"List" when it is empty and that kind is registered.
	ListKind string
	// Singular is the singular name ("deployment"). AddResource fills in the lowercased kind
	// when it is empty.
	Singular string
	// ShortNames are abbreviations kubectl accepts ("deploy").
	ShortNames []string
	// Categories group resources for kubectl ("all").
	Categories []string
	// Namespaced is true for namespaced resources, false for cluster-scoped ones.
	Namespaced bool
	// Subresources are the names of subresources ("status", "scale").
	Subresources []string
	// Verbs are the verbs served ("get", "list", "watch", "create", ...).
	Verbs []string
}

// GroupVersionKind returns the kind of the resource's objects.
func (r ResourceInfo) GroupVersionKind() schema.GroupVersionKind {
	return r.GroupVersionResource.GroupVersion().WithKind(r.Kind)
}

// HasSubresource reports whether the resource has the named subresource.
func (r ResourceInfo) HasSubresource(name string) bool { return slices.Contains(r.Subresources, name) }

// HasVerb reports whether the resource serves the verb.
func (r ResourceInfo) HasVerb(verb string) bool { return slices.Contains(r.Verbs, verb) }

func (r ResourceInfo) clone() ResourceInfo {
	r.ShortNames = slices.Clone(r.ShortNames)
	r.Categories = slices.Clone(r.Categories)
	r.Subresources = slices.Clone(r.Subresources)
	r.Verbs = slices.Clone(r.Verbs)
	return r
}

// resourceIndex holds the registered resources and their lookups. It is guarded by Scheme.mu.
type resourceIndex struct {
	// all in registration order.
	all    []ResourceInfo
	byGVR  map[schema.GroupVersionResource]int
	byKind map[schema.GroupVersionKind]int
}

func newResourceIndex() resourceIndex {
	return resourceIndex{
		byGVR:  map[schema.GroupVersionResource]int{},
		byKind: map[schema.GroupVersionKind]int{},
	}
}

func isLowerName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// AddResource registers a resource. The kind must already be registered in the resource's group
// and version, and so must ListKind when it is given. Resource, Singular and ShortNames must be
// lowercase names ([a-z0-9-]); within one group no two resources may share a plural, singular or
// short name, and a kind is served by at most one resource per version.
func (s *Scheme) AddResource(info ResourceInfo) error {
	info = info.clone()
	gv := info.GroupVersionResource.GroupVersion()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("runtime: add resource %q: %w: %s", info.GroupVersionResource.String(),
			ErrInvalidRegistration, fmt.Sprintf(format, args...))
	}
	if gv.Version == "" || !isLowerName(info.Resource) {
		return fail("version must be set and resource must be a lowercase name")
	}
	if info.Kind == "" {
		return fail("kind must be set")
	}
	if info.Singular == "" {
		info.Singular = strings.ToLower(info.Kind)
	}
	if !isLowerName(info.Singular) {
		return fail("singular %q must be a lowercase name", info.Singular)
	}
	for _, sn := range info.ShortNames {
		if !isLowerName(sn) {
			return fail("short name %q must be a lowercase name", sn)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	gvk := gv.WithKind(info.Kind)
	if _, ok := s.gvkToType[gvk]; !ok {
		return fmt.Errorf("runtime: add resource %q: %w", info.GroupVersionResource.String(),
			&NotRegisteredError{Op: "add resource", GVK: gvk})
	}
	if info.ListKind == "" {
		if _, ok := s.gvkToType[gv.WithKind(info.Kind+"List")]; ok {
			info.ListKind = info.Kind + "List"
		}
	} else if _, ok := s.gvkToType[gv.WithKind(info.ListKind)]; !ok {
		return fmt.Errorf("runtime: add resource %q: %w", info.GroupVersionResource.String(),
			&NotRegisteredError{Op: "add resource", GVK: gv.WithKind(info.ListKind)})
	}
	if _, ok := s.res.byGVR[info.GroupVersionResource]; ok {
		return fail("resource already registered")
	}
	if i, ok := s.res.byKind[gvk]; ok {
		return fail("kind %q is already served by resource %q", info.Kind, s.res.all[i].Resource)
	}
	names := append([]string{info.Resource, info.Singular}, info.ShortNames...)
	for _, other := range s.res.all {
		if other.Group != info.Group || other.Resource == info.Resource {
			// The same resource in another version may (and should) repeat its names.
			continue
		}
		for _, n := range names {
			if n == other.Resource || n == other.Singular || slices.Contains(other.ShortNames, n) {
				return fail("name %q is already used by resource %q", n, other.GroupResource().String())
			}
		}
	}
	s.res.byGVR[info.GroupVersionResource] = len(s.res.all)
	s.res.byKind[gvk] = len(s.res.all)
	s.res.all = append(s.res.all, info)
	return nil
}

// Resources returns every registered resource, sorted by group, then version priority, then
// resource name. The slices in the result are copies.
func (s *Scheme) Resources() []ResourceInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]ResourceInfo, len(s.res.all))
	for i, r := range s.res.all {
		out[i] = r.clone()
	}
	slices.SortFunc(out, func(a, b ResourceInfo) int {
		if a.Group != b.Group {
			return cmpString(a.Group, b.Group)
		}
		if a.Version != b.Version {
			vs := s.versions[a.Group]
			return slices.Index(vs, a.Version) - slices.Index(vs, b.Version)
		}
		return cmpString(a.Resource, b.Resource)
	})
	return out
}

// Resource returns the resource registered under gvr.
func (s *Scheme) Resource(gvr schema.GroupVersionResource) (ResourceInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.res.byGVR[gvr]
	if !ok {
		return ResourceInfo{}, &NotRegisteredError{Op: "resource", Resource: gvr.String()}
	}
	return s.res.all[i].clone(), nil
}

// ResourceForKind returns the resource that serves gvk.
func (s *Scheme) ResourceForKind(gvk schema.GroupVersionKind) (ResourceInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.res.byKind[gvk]
	if !ok {
		return ResourceInfo{}, &NotRegisteredError{Op: "resource for kind", GVK: gvk}
	}
	return s.res.all[i].clone(), nil
}

// ResourceFor resolves a name the way kubectl resolves its resource arguments, case-insensitively:
//
//   - "pods", "pod", "po" and "Pod" match a resource by plural, singular, short name or kind, tried
//     in that order (the first kind of name that matches anything wins);
//   - "deployments.apps" restricts the match to a group, and "deployments.v1.apps" to a version
//     of a group (when "v1.apps" is a registered group version);
//   - among versions of one group the preferred version wins (see SetVersionPriority);
//   - when resources of several groups match, the core group wins if it is among them; otherwise
//     the result is an *AmbiguousResourceError.
func (s *Scheme) ResourceFor(name string) (ResourceInfo, error) {
	lname := strings.ToLower(strings.TrimSpace(name))
	s.mu.RLock()
	defer s.mu.RUnlock()
	type query struct {
		res      string
		group    string
		version  string
		anyGroup bool
	}
	var queries []query
	if i := strings.IndexByte(lname, '.'); i >= 0 {
		res, rest := lname[:i], lname[i+1:]
		if j := strings.IndexByte(rest, '.'); j >= 0 {
			v, g := rest[:j], rest[j+1:]
			if slices.Contains(s.versions[g], v) {
				queries = append(queries, query{res: res, group: g, version: v})
			}
		}
		queries = append(queries, query{res: res, group: rest})
	} else {
		queries = append(queries, query{res: lname, anyGroup: true})
	}
	for _, q := range queries {
		var matches []int
		for _, match := range []func(r *ResourceInfo) bool{
			func(r *ResourceInfo) bool { return r.Resource == q.res },
			func(r *ResourceInfo) bool { return r.Singular == q.res },
			func(r *ResourceInfo) bool { return slices.Contains(r.ShortNames, q.res) },
			func(r *ResourceInfo) bool { return strings.ToLower(r.Kind) == q.res },
		} {
			for i := range s.res.all {
				r := &s.res.all[i]
				if !q.anyGroup && r.Group != q.group || q.version != "" && r.Version != q.version {
					continue
				}
				if match(r) {
					matches = append(matches, i)
				}
			}
			if len(matches) > 0 {
				break
			}
		}
		if len(matches) == 0 {
			continue
		}
		return s.pickLocked(name, matches)
	}
	return ResourceInfo{}, &NotRegisteredError{Op: "resource for", Resource: name}
}

// pickLocked chooses among matching resources: the preferred version per group, then the core
// group, else ambiguity.
func (s *Scheme) pickLocked(name string, matches []int) (ResourceInfo, error) {
	best := map[string]int{} // group -> index into s.res.all
	var groups []string
	for _, i := range matches {
		r := &s.res.all[i]
		cur, ok := best[r.Group]
		if !ok {
			groups = append(groups, r.Group)
			best[r.Group] = i
			continue
		}
		vs := s.versions[r.Group]
		if slices.Index(vs, r.Version) < slices.Index(vs, s.res.all[cur].Version) {
			best[r.Group] = i
		}
	}
	if len(groups) == 1 {
		return s.res.all[best[groups[0]]].clone(), nil
	}
	if i, ok := best[""]; ok {
		return s.res.all[i].clone(), nil
	}
	slices.Sort(groups)
	err := &AmbiguousResourceError{Name: name}
	for _, g := range groups {
		err.Matches = append(err.Matches, s.res.all[best[g]].GroupVersionResource)
	}
	return ResourceInfo{}, err
}

// ResourcesInCategory returns the resources in a category ("all"), one per group and resource at
// its preferred version, sorted by group and resource: what `kubectl get all` expands to.
func (s *Scheme) ResourcesInCategory(category string) []ResourceInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	best := map[schema.GroupResource]int{}
	for i := range s.res.all {
		r := &s.res.all[i]
		if !slices.Contains(r.Categories, category) {
			continue
		}
		gr := r.GroupResource()
		cur, ok := best[gr]
		vs := s.versions[r.Group]
		if !ok || slices.Index(vs, r.Version) < slices.Index(vs, s.res.all[cur].Version) {
			best[gr] = i
		}
	}
	out := make([]ResourceInfo, 0, len(best))
	for _, i := range best {
		out = append(out, s.res.all[i].clone())
	}
	slices.SortFunc(out, func(a, b ResourceInfo) int {
		if a.Group != b.Group {
			return cmpString(a.Group, b.Group)
		}
		return cmpString(a.Resource, b.Resource)
	})
	return out
}
