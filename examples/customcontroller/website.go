package main

import (
	"slices"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// GroupVersion is the API group and version of the example's own kind.
var GroupVersion = schema.GroupVersion{Group: "example.cellkit.io", Version: "v1"}

// Website is a custom kind defined by the user: a set of pages, each served from a ConfigMap
// the controller creates and owns.
type Website struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Spec            WebsiteSpec   `json:"spec,omitempty"`
	Status          WebsiteStatus `json:"status,omitempty"`
}

// WebsiteSpec is the desired state: a title and the names of the pages.
type WebsiteSpec struct {
	Title string   `json:"title,omitempty"`
	Pages []string `json:"pages,omitempty"`
}

// WebsiteStatus is what the controller observed.
type WebsiteStatus struct {
	ObservedGeneration int64            `json:"observedGeneration,omitempty"`
	Pages              int32            `json:"pages,omitempty"`
	Conditions         []meta.Condition `json:"conditions,omitempty"`
}

// DeepCopyObject implements runtime.Object.
func (w *Website) DeepCopyObject() runtime.Object { return w.DeepCopy() }

// DeepCopy returns a deep copy of w.
func (w *Website) DeepCopy() *Website {
	if w == nil {
		return nil
	}
	out := &Website{TypeMeta: w.TypeMeta, Spec: WebsiteSpec{Title: w.Spec.Title, Pages: slices.Clone(w.Spec.Pages)}}
	w.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Status = WebsiteStatus{ObservedGeneration: w.Status.ObservedGeneration, Pages: w.Status.Pages}
	for _, c := range w.Status.Conditions {
		out.Status.Conditions = append(out.Status.Conditions, *c.DeepCopy())
	}
	return out
}

// AddToScheme registers Website and its resource, websites.example.cellkit.io.
func AddToScheme(s *runtime.Scheme) error {
	if err := s.AddKnownTypes(GroupVersion, &Website{}); err != nil {
		return err
	}
	return s.AddResource(runtime.ResourceInfo{
		GroupVersionResource: GroupVersion.WithResource("websites"),
		Kind:                 "Website",
		Namespaced:           true,
		ShortNames:           []string{"site"},
	})
}

// Resource describes websites to a store.
func Resource() store.Resource {
	return store.Resource{
		GroupResource: schema.GroupResource{Group: GroupVersion.Group, Resource: "websites"},
		Kind:          GroupVersion.WithKind("Website"),
		Namespaced:    true,
		New:           func() runtime.MetaObject { return &Website{} },
	}
}
