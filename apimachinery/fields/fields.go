package fields

import (
	"sort"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Fields is read access to the selectable fields of an object, what a Selector matches
// against. Set implements it.
type Fields interface {
	// Has reports whether the field is present.
	Has(field string) bool
	// Get returns the value of the field, or "" if it is absent.
	Get(field string) string
}

// Set maps field paths ("metadata.name", "spec.nodeName") to their values as strings. The nil
// Set is empty.
type Set map[string]string

var _ Fields = Set(nil)

// Has reports whether field is in the set.
func (s Set) Has(field string) bool {
	_, ok := s[field]
	return ok
}

// Get returns the value of field, or "" if it is absent.
func (s Set) Get(field string) string { return s[field] }

// String returns the set in canonical form: "field=value" terms sorted by field and joined with
// ",", values escaped with EscapeValue, so that ParseSelector reads it back.
func (s Set) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(EscapeValue(s[k]))
	}
	return b.String()
}

// AsSelector returns a selector requiring every field=value of s. The selector copies s.
func (s Set) AsSelector() Selector { return SelectorFromSet(s) }

// The metadata fields every object can be selected by.
const (
	// MetadataName is the field of an object's name.
	MetadataName = "metadata.name"
	// MetadataNamespace is the field of an object's namespace (namespaced types only).
	MetadataNamespace = "metadata.namespace"
)

// ObjectMetaSet returns the selectable metadata fields of an object: metadata.name, and
// metadata.namespace when the type is namespaced. Per-type sets (spec.nodeName, status.phase)
// extend it.
func ObjectMetaSet(m *meta.ObjectMeta, namespaced bool) Set {
	if !namespaced {
		return Set{MetadataName: m.Name}
	}
	return Set{MetadataName: m.Name, MetadataNamespace: m.Namespace}
}

// AddObjectMetaSet adds the fields of ObjectMetaSet to s, allocating s if it is nil, and
// returns it.
func AddObjectMetaSet(s Set, m *meta.ObjectMeta, namespaced bool) Set {
	if s == nil {
		s = make(Set, 2)
	}
	s[MetadataName] = m.Name
	if namespaced {
		s[MetadataNamespace] = m.Namespace
	}
	return s
}
