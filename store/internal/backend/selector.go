package backend

import (
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/store"
)

// Selector is the scope of a List or Watch: a namespace ("" for all, and for cluster-scoped
// resources) and the label and field selectors, with empty selectors dropped so that a nil
// one costs nothing.
type Selector struct {
	Res    *Resource
	NS     string
	Labels labels.Selector // nil when the caller gave none or an empty one
	Fields fields.Selector // nil when the caller gave none or an empty one
}

// Selector returns the Selector of a List or Watch of r in namespace ns.
func (r *Resource) Selector(ns string, l labels.Selector, f fields.Selector) Selector {
	s := Selector{Res: r, NS: ns}
	if l != nil && !l.Empty() {
		s.Labels = l
	}
	if f != nil && !f.Empty() {
		s.Fields = f
	}
	return s
}

// Empty reports whether the selector lets every object of its namespace through.
func (s *Selector) Empty() bool { return s.Labels == nil && s.Fields == nil }

// Matches reports whether obj passes the label and field selectors. The namespace is not
// checked: callers look only at objects of the selector's namespace.
func (s *Selector) Matches(obj runtime.MetaObject) bool {
	if s.Labels != nil && !s.Labels.Matches(labels.Set(obj.GetObjectMeta().Labels)) {
		return false
	}
	return s.Fields == nil || s.Fields.Matches(s.Res.Fields(obj))
}

// Indexed returns the position in Res.Indexes and the value of the first indexed field the
// field selector pins to one value, if any: the index bucket that holds every match.
func (s *Selector) Indexed() (int, string, bool) {
	if s.Fields == nil {
		return 0, "", false
	}
	for i, f := range s.Res.Indexes {
		if v, ok := s.Fields.RequiresExactMatch(f); ok {
			return i, v, true
		}
	}
	return 0, "", false
}

// ExactName returns the name a metadata.name field selector pins, if any.
func (s *Selector) ExactName() (string, bool) {
	if s.Fields == nil {
		return "", false
	}
	return s.Fields.RequiresExactMatch("metadata.name")
}

// RouteKind says which changes a watcher needs to be handed.
type RouteKind uint8

// The route kinds, from the widest to the narrowest.
const (
	RouteAll   RouteKind = iota // every change of the resource
	RouteNS                     // changes of one namespace
	RouteName                   // changes of one object
	RouteField                  // changes whose old or new state has one value of an indexed field
)

// Route is where a watcher is registered so that only the changes it may want reach it. It is
// comparable, usable as a map key.
type Route struct {
	Kind  RouteKind
	NS    string // RouteNS, RouteName
	Name  string // RouteName
	Field int    // RouteField: position in Resource.Indexes
	Value string // RouteField
}

// Route returns the narrowest route of a watcher with selector s: an indexed field the field
// selector pins, else one object when the name is pinned (within a namespace, or of a
// cluster-scoped resource), else the namespace, else everything.
func (s *Selector) Route() Route {
	if i, v, ok := s.Indexed(); ok {
		return Route{Kind: RouteField, Field: i, Value: v}
	}
	if name, ok := s.ExactName(); ok && (s.NS != "" || !s.Res.Namespaced) {
		return Route{Kind: RouteName, NS: s.NS, Name: name}
	}
	if s.NS != "" {
		return Route{Kind: RouteNS, NS: s.NS}
	}
	return Route{Kind: RouteAll}
}

// Bookmark returns the object of a Bookmark event at rev: an empty object of the resource's
// kind carrying only the resourceVersion and, for the bookmark that ends the initial events
// of a watch, the store.InitialEventsEndAnnotation.
func (r *Resource) Bookmark(rev int64, initialEnd bool) runtime.MetaObject {
	o := r.New()
	o.GetObjectKind().SetGroupVersionKind(r.Kind)
	m := o.GetObjectMeta()
	m.ResourceVersion = FormatRevision(rev)
	if initialEnd {
		m.Annotations = map[string]string{store.InitialEventsEndAnnotation: "true"}
	}
	return o
}
