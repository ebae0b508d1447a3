package labels

import (
	"fmt"
	"slices"
)

// Selector is a condition on a set of labels. Selectors are immutable: Add returns a new one,
// so a selector may be shared and used from many goroutines.
type Selector interface {
	// Matches reports whether ls satisfies every requirement. For selectors from this package
	// it does not allocate.
	Matches(ls Labels) bool
	// Empty reports whether the selector has no requirements and so matches everything.
	// Nothing() is not empty.
	Empty() bool
	// String returns the selector in canonical form: its requirements sorted by key (then
	// operator and values) and joined with ",", each with its values sorted. Parse reads the
	// result back to an equal selector; Nothing() prints as "" and has no textual form.
	String() string
	// Requirements returns a copy of the requirements, and false if the selector is Nothing()
	// and cannot be expressed as requirements.
	Requirements() (Requirements, bool)
	// Add returns a new selector with the requirements of this one and rs.
	Add(rs ...Requirement) Selector
	// RequiresExactMatch returns the value label must have for a match when the selector
	// pins it to one value (with =, == or in with one value), so that a store can serve the
	// selector from an index on that label.
	RequiresExactMatch(label string) (value string, found bool)
}

// Everything returns the selector that matches every label set. It is empty and prints as "".
func Everything() Selector { return internalSelector(nil) }

// Nothing returns the selector that matches no label set; a nil LabelSelector converts to it.
func Nothing() Selector { return nothingSelector{} }

// NewSelector returns an empty selector (Everything), to which requirements can be added.
func NewSelector() Selector { return internalSelector(nil) }

// SelectorFromSet returns a selector requiring every key=value of s. Keys and values are not
// validated; use ValidatedSelectorFromSet for input from users.
func SelectorFromSet(s Set) Selector {
	if len(s) == 0 {
		return internalSelector(nil)
	}
	rs := make(internalSelector, 0, len(s))
	for k, v := range s {
		rs = append(rs, Requirement{key: k, op: Equals, values: []string{v}})
	}
	rs.sort()
	return rs
}

// ValidatedSelectorFromSet is SelectorFromSet, but it fails if a key or value of s is invalid.
func ValidatedSelectorFromSet(s Set) (Selector, error) {
	if len(s) == 0 {
		return internalSelector(nil), nil
	}
	rs := make(internalSelector, 0, len(s))
	for k, v := range s {
		r, err := NewRequirement(k, Equals, []string{v})
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	rs.sort()
	return rs, nil
}

// internalSelector is a selector of requirements in canonical order.
type internalSelector []Requirement

var _ Selector = internalSelector(nil)

func (s internalSelector) sort() {
	slices.SortFunc(s, Requirement.compare)
}

// Matches reports whether ls satisfies every requirement.
func (s internalSelector) Matches(ls Labels) bool {
	for i := range s {
		if !s[i].Matches(ls) {
			return false
		}
	}
	return true
}

// Empty reports whether there are no requirements.
func (s internalSelector) Empty() bool { return len(s) == 0 }

// String returns the canonical form.
func (s internalSelector) String() string { return Requirements(s).String() }

// Requirements returns a copy of the requirements.
func (s internalSelector) Requirements() (Requirements, bool) {
	if len(s) == 0 {
		return nil, true
	}
	return Requirements(slices.Clone(s)), true
}

// Add returns a new selector with rs added.
func (s internalSelector) Add(rs ...Requirement) Selector {
	out := make(internalSelector, 0, len(s)+len(rs))
	out = append(out, s...)
	out = append(out, rs...)
	out.sort()
	return out
}

// RequiresExactMatch returns the single value the first requirement on label pins it to.
func (s internalSelector) RequiresExactMatch(label string) (string, bool) {
	for i := range s {
		if s[i].key != label {
			continue
		}
		switch s[i].op {
		case Equals, DoubleEquals, In:
			if len(s[i].values) == 1 {
				return s[i].values[0], true
			}
		}
		return "", false
	}
	return "", false
}

// nothingSelector matches nothing.
type nothingSelector struct{}

var _ Selector = nothingSelector{}

func (nothingSelector) Matches(Labels) bool                      { return false }
func (nothingSelector) Empty() bool                              { return false }
func (nothingSelector) String() string                           { return "" }
func (nothingSelector) Requirements() (Requirements, bool)       { return nil, false }
func (n nothingSelector) Add(...Requirement) Selector            { return n }
func (nothingSelector) RequiresExactMatch(string) (string, bool) { return "", false }

// SelectorFromRequirements returns a selector requiring all of rs.
func SelectorFromRequirements(rs ...Requirement) Selector {
	return internalSelector(nil).Add(rs...)
}

// ConvertSelectorToLabelsMap parses a selector made only of key=value (or key==value) terms,
// such as "app=web,tier=front", into a Set. A key given twice with different values is an error.
func ConvertSelectorToLabelsMap(selector string) (Set, error) {
	sel, err := Parse(selector)
	if err != nil {
		return nil, err
	}
	rs, _ := sel.Requirements()
	out := make(Set, len(rs))
	for _, r := range rs {
		if r.op != Equals && r.op != DoubleEquals {
			return nil, fmt.Errorf("labels: convert %q to a set: requirement %q is not key=value", selector, r.String())
		}
		if old, dup := out[r.key]; dup && old != r.values[0] {
			return nil, fmt.Errorf("labels: convert %q to a set: key %q has two values", selector, r.key)
		}
		out[r.key] = r.values[0]
	}
	return out, nil
}
