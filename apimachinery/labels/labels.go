package labels

import (
	"sort"
	"strings"
)

// Labels is read access to a set of labels, what a Selector matches against. Set implements
// it; so can any type that stores labels differently.
type Labels interface {
	// Has reports whether the label key is present.
	Has(key string) bool
	// Get returns the value of the label key, or "" if it is absent.
	Get(key string) string
	// Lookup returns the value of the label key and whether it is present.
	Lookup(key string) (value string, ok bool)
}

// Set is a map of label keys to values, the form labels take in ObjectMeta. The nil Set is an
// empty set.
type Set map[string]string

var _ Labels = Set(nil)

// Has reports whether key is in the set.
func (s Set) Has(key string) bool {
	_, ok := s[key]
	return ok
}

// Get returns the value of key, or "" if it is absent.
func (s Set) Get(key string) string { return s[key] }

// Lookup returns the value of key and whether it is present.
func (s Set) Lookup(key string) (string, bool) {
	v, ok := s[key]
	return v, ok
}

// String returns the set in canonical form: "key=value" pairs sorted by key and joined with ",".
// The result parses (with Parse) to a selector that matches exactly the label sets that contain
// this set, provided keys and values are valid.
func (s Set) String() string {
	if len(s) == 0 {
		return ""
	}
	keys := make([]string, 0, len(s))
	n := 0
	for k, v := range s {
		keys = append(keys, k)
		n += len(k) + len(v) + 2
	}
	sort.Strings(keys)
	var b strings.Builder
	b.Grow(n)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(s[k])
	}
	return b.String()
}

// AsSelector returns a selector that matches label sets containing every key=value of s. Keys
// and values are not validated (see AsValidatedSelector). The selector copies s; later changes
// to s do not affect it.
func (s Set) AsSelector() Selector { return SelectorFromSet(s) }

// AsValidatedSelector is AsSelector, but it fails if a key or value is not a valid label key
// or value.
func (s Set) AsValidatedSelector() (Selector, error) { return ValidatedSelectorFromSet(s) }

// Equal reports whether s and o hold the same keys with the same values.
func (s Set) Equal(o Set) bool {
	a, b := s, o
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Conflicts reports whether a and b hold some key with different values.
func Conflicts(a, b Set) bool {
	small, big := a, b
	if len(b) < len(a) {
		small, big = b, a
	}
	for k, v := range small {
		if w, ok := big[k]; ok && w != v {
			return true
		}
	}
	return false
}

// Merge returns a new set with the labels of a and b; where both hold a key, b's value wins.
func Merge(a, b Set) Set {
	out := make(Set, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
