package schema

import (
	"fmt"
	"strings"
)

// GroupVersion is an API group and version, such as apps/v1 or v1 for the core group.
type GroupVersion struct {
	// Group is the API group, "" for the core group.
	Group string
	// Version is the version within the group ("v1", "v1beta1").
	Version string
}

// String returns "group/version", or "version" for the core group.
func (gv GroupVersion) String() string {
	if gv.Group == "" {
		return gv.Version
	}
	return gv.Group + "/" + gv.Version
}

// Empty reports whether both group and version are empty.
func (gv GroupVersion) Empty() bool { return gv.Group == "" && gv.Version == "" }

// WithKind returns the kind in this group and version.
func (gv GroupVersion) WithKind(kind string) GroupVersionKind {
	return GroupVersionKind{Group: gv.Group, Version: gv.Version, Kind: kind}
}

// WithResource returns the resource in this group and version.
func (gv GroupVersion) WithResource(resource string) GroupVersionResource {
	return GroupVersionResource{Group: gv.Group, Version: gv.Version, Resource: resource}
}

// ParseGroupVersion parses an apiVersion string: "v1", "apps/v1". The empty string parses to the
// empty GroupVersion. Anything with more than one slash, or an empty part around the slash, is an
// error.
func ParseGroupVersion(s string) (GroupVersion, error) {
	if s == "" {
		return GroupVersion{}, nil
	}
	i := strings.IndexByte(s, '/')
	if i < 0 {
		return GroupVersion{Version: s}, nil
	}
	g, v := s[:i], s[i+1:]
	if g == "" || v == "" || strings.IndexByte(v, '/') >= 0 {
		return GroupVersion{}, fmt.Errorf("schema: unexpected group version string %q", s)
	}
	return GroupVersion{Group: g, Version: v}, nil
}

// GroupKind is a kind without its version.
type GroupKind struct {
	// Group is the API group, "" for the core group.
	Group string
	// Kind is the CamelCase kind ("Deployment").
	Kind string
}

// String returns "Kind.group", or "Kind" for the core group.
func (gk GroupKind) String() string {
	if gk.Group == "" {
		return gk.Kind
	}
	return gk.Kind + "." + gk.Group
}

// WithVersion returns the kind at the given version.
func (gk GroupKind) WithVersion(version string) GroupVersionKind {
	return GroupVersionKind{Group: gk.Group, Version: version, Kind: gk.Kind}
}

// GroupResource is a resource without its version. Stores address objects by GroupResource.
type GroupResource struct {
	// Group is the API group, "" for the core group.
	Group string
	// Resource is the lowercase plural resource name ("deployments").
	Resource string
}

// String returns "resource.group", or "resource" for the core group.
func (gr GroupResource) String() string {
	if gr.Group == "" {
		return gr.Resource
	}
	return gr.Resource + "." + gr.Group
}

// WithVersion returns the resource at the given version.
func (gr GroupResource) WithVersion(version string) GroupVersionResource {
	return GroupVersionResource{Group: gr.Group, Version: version, Resource: gr.Resource}
}

// ParseGroupResource parses "resource.group" (the group may contain dots) or "resource".
func ParseGroupResource(s string) GroupResource {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return GroupResource{Resource: s[:i], Group: s[i+1:]}
	}
	return GroupResource{Resource: s}
}

// ParseGroupKind parses "Kind.group" (the group may contain dots) or "Kind", the form
// GroupKind.String prints.
func ParseGroupKind(s string) GroupKind {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return GroupKind{Kind: s[:i], Group: s[i+1:]}
	}
	return GroupKind{Kind: s}
}

// ParseResourceArg reads a resource the way kubectl's command line names it. "pods" and
// "deployments.apps" give a nil GroupVersionResource; "deployments.v1.apps" (three or more dotted
// parts) may also mean resource, version and group, so it returns that reading as well. The
// GroupResource is always the reading without a version (resource "deployments", group
// "v1.apps" in the last case); callers try the full reading first when it is not nil.
func ParseResourceArg(arg string) (*GroupVersionResource, GroupResource) {
	var gvr *GroupVersionResource
	if parts := strings.SplitN(arg, ".", 3); len(parts) == 3 {
		gvr = &GroupVersionResource{Group: parts[2], Version: parts[1], Resource: parts[0]}
	}
	return gvr, ParseGroupResource(arg)
}

// ParseKindArg is ParseResourceArg for kinds: "Deployment.v1.apps" may be kind, version and
// group, and is always also kind "Deployment" of group "v1.apps".
func ParseKindArg(arg string) (*GroupVersionKind, GroupKind) {
	var gvk *GroupVersionKind
	if parts := strings.SplitN(arg, ".", 3); len(parts) == 3 {
		gvk = &GroupVersionKind{Group: parts[2], Version: parts[1], Kind: parts[0]}
	}
	return gvk, ParseGroupKind(arg)
}

// GroupVersionKind names one kind of object at one version.
type GroupVersionKind struct {
	// Group is the API group, "" for the core group.
	Group string
	// Version is the version within the group.
	Version string
	// Kind is the CamelCase kind.
	Kind string
}

// Empty reports whether all parts are empty.
func (gvk GroupVersionKind) Empty() bool { return gvk == GroupVersionKind{} }

// GroupVersion drops the kind.
func (gvk GroupVersionKind) GroupVersion() GroupVersion {
	return GroupVersion{Group: gvk.Group, Version: gvk.Version}
}

// GroupKind drops the version.
func (gvk GroupVersionKind) GroupKind() GroupKind { return GroupKind{Group: gvk.Group, Kind: gvk.Kind} }

// ToAPIVersionAndKind returns the apiVersion and kind fields of the wire form.
func (gvk GroupVersionKind) ToAPIVersionAndKind() (apiVersion, kind string) {
	return gvk.GroupVersion().String(), gvk.Kind
}

// String returns "group/version, Kind=Kind".
func (gvk GroupVersionKind) String() string {
	return gvk.GroupVersion().String() + ", Kind=" + gvk.Kind
}

// FromAPIVersionAndKind builds a GroupVersionKind from the wire fields. An unparsable apiVersion
// yields a kind with an empty group and version; use ParseGroupVersion to see the error.
func FromAPIVersionAndKind(apiVersion, kind string) GroupVersionKind {
	gv, err := ParseGroupVersion(apiVersion)
	if err != nil {
		return GroupVersionKind{Kind: kind}
	}
	return gv.WithKind(kind)
}

// GroupVersionResource names one resource at one version.
type GroupVersionResource struct {
	// Group is the API group, "" for the core group.
	Group string
	// Version is the version within the group.
	Version string
	// Resource is the lowercase plural resource name.
	Resource string
}

// Empty reports whether all parts are empty.
func (gvr GroupVersionResource) Empty() bool { return gvr == GroupVersionResource{} }

// GroupVersion drops the resource.
func (gvr GroupVersionResource) GroupVersion() GroupVersion {
	return GroupVersion{Group: gvr.Group, Version: gvr.Version}
}

// GroupResource drops the version.
func (gvr GroupVersionResource) GroupResource() GroupResource {
	return GroupResource{Group: gvr.Group, Resource: gvr.Resource}
}

// String returns "group/version, Resource=resource".
func (gvr GroupVersionResource) String() string {
	return gvr.GroupVersion().String() + ", Resource=" + gvr.Resource
}

// ObjectKind is how an object reports and changes its apiVersion and kind. meta.TypeMeta
// implements it; so does runtime.Unstructured.
type ObjectKind interface {
	GroupVersionKind() GroupVersionKind
	SetGroupVersionKind(GroupVersionKind)
}

// Object is any API object, single or list: it reports its kind and deep-copies itself. It is
// declared here, at the bottom of the import graph, so that package meta can make its own
// kinds (Status) objects; everyone else knows it as runtime.Object, an alias of this type.
type Object interface {
	GetObjectKind() ObjectKind
	DeepCopyObject() Object
}
