package fields

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Operator is the relation of a field selector term.
type Operator string

// The operators of field selectors.
const (
	// Equals ("=") requires the field to have the value.
	Equals Operator = "="
	// DoubleEquals ("==") is Equals spelled differently; it prints back as "=".
	DoubleEquals Operator = "=="
	// NotEquals ("!=") requires the field to have another value.
	NotEquals Operator = "!="
)

// Requirement is one term of a field selector. An absent field has the value "", as in
// Kubernetes: "spec.nodeName=" selects objects without a node.
type Requirement struct {
	// Field is the field path ("metadata.name").
	Field string
	// Operator is Equals or NotEquals.
	Operator Operator
	// Value is the unescaped value compared with the field's value.
	Value string
}

// String prints the term with its value escaped.
func (r Requirement) String() string {
	return r.Field + string(r.Operator) + EscapeValue(r.Value)
}

// Matches reports whether f satisfies the term. It does not allocate.
func (r Requirement) Matches(f Fields) bool {
	var v string
	if s, ok := f.(Set); ok {
		v = s[r.Field]
	} else {
		v = f.Get(r.Field)
	}
	if r.Operator == NotEquals {
		return v != r.Value
	}
	return v == r.Value
}

func compareRequirements(a, b Requirement) int {
	return cmp.Or(strings.Compare(a.Field, b.Field), strings.Compare(string(a.Operator), string(b.Operator)),
		strings.Compare(a.Value, b.Value))
}

// Requirements is a list of terms, all of which must hold.
type Requirements []Requirement

// TransformFunc rewrites one term of a selector: it may rename the field (for example from a
// versioned name to an internal one), rewrite the value, or reject the term with an error.
// Returning an empty field drops the term.
type TransformFunc func(field, value string) (newField, newValue string, err error)

// Selector is a condition on the fields of an object: a conjunction of field=value and
// field!=value terms. Selectors are immutable and safe for concurrent use.
type Selector interface {
	// Matches reports whether f satisfies every term. It does not allocate.
	Matches(f Fields) bool
	// Empty reports whether the selector has no terms and so matches everything.
	Empty() bool
	// RequiresExactMatch returns the value the selector requires field to have (from a
	// field=value term), so that a store can serve it from an index ("spec.nodeName=node-1").
	RequiresExactMatch(field string) (value string, found bool)
	// Transform returns a new selector with fn applied to every term.
	Transform(fn TransformFunc) (Selector, error)
	// Requirements returns a copy of the terms.
	Requirements() Requirements
	// String returns the canonical form: terms sorted by field, operator and value, "==" written
	// as "=", values escaped, joined with ",". ParseSelector reads it back to an equal selector.
	// Nothing() prints as "" and has no textual form.
	String() string
}

// andSelector is a conjunction of terms in canonical order.
type andSelector []Requirement

var _ Selector = andSelector(nil)

func newAnd(rs []Requirement) andSelector {
	for i := range rs {
		if rs[i].Operator == DoubleEquals {
			rs[i].Operator = Equals
		}
	}
	slices.SortFunc(rs, compareRequirements)
	return andSelector(rs)
}

// Everything returns the selector that matches every object.
func Everything() Selector { return andSelector(nil) }

// Nothing returns the selector that matches no object.
func Nothing() Selector { return nothingSelector{} }

// OneTermEqualSelector returns the selector field=value.
func OneTermEqualSelector(field, value string) Selector {
	return andSelector{{Field: field, Operator: Equals, Value: value}}
}

// OneTermNotEqualSelector returns the selector field!=value.
func OneTermNotEqualSelector(field, value string) Selector {
	return andSelector{{Field: field, Operator: NotEquals, Value: value}}
}

// SelectorFromSet returns the selector requiring every field=value of s.
func SelectorFromSet(s Set) Selector {
	if len(s) == 0 {
		return andSelector(nil)
	}
	rs := make([]Requirement, 0, len(s))
	for k, v := range s {
		rs = append(rs, Requirement{Field: k, Operator: Equals, Value: v})
	}
	return newAnd(rs)
}

// AndSelectors returns the selector requiring all of sels. If any is Nothing(), so is the
// result.
func AndSelectors(sels ...Selector) Selector {
	var rs []Requirement
	for _, s := range sels {
		if _, ok := s.(nothingSelector); ok {
			return Nothing()
		}
		rs = append(rs, s.Requirements()...)
	}
	if len(rs) == 0 {
		return andSelector(nil)
	}
	return newAnd(rs)
}

func (s andSelector) Matches(f Fields) bool {
	for i := range s {
		if !s[i].Matches(f) {
			return false
		}
	}
	return true
}

func (s andSelector) Empty() bool { return len(s) == 0 }

func (s andSelector) RequiresExactMatch(field string) (string, bool) {
	for i := range s {
		if s[i].Field == field && s[i].Operator == Equals {
			return s[i].Value, true
		}
	}
	return "", false
}

func (s andSelector) Transform(fn TransformFunc) (Selector, error) {
	out := make([]Requirement, 0, len(s))
	for _, r := range s {
		f, v, err := fn(r.Field, r.Value)
		if err != nil {
			return nil, fmt.Errorf("fields: transform %q: %w", r.String(), err)
		}
		if f == "" {
			continue
		}
		out = append(out, Requirement{Field: f, Operator: r.Operator, Value: v})
	}
	if len(out) == 0 {
		return andSelector(nil), nil
	}
	return newAnd(out), nil
}

func (s andSelector) Requirements() Requirements {
	if len(s) == 0 {
		return nil
	}
	return Requirements(slices.Clone(s))
}

func (s andSelector) String() string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(r.Field)
		b.WriteString(string(r.Operator))
		b.WriteString(EscapeValue(r.Value))
	}
	return b.String()
}

// nothingSelector matches nothing.
type nothingSelector struct{}

var _ Selector = nothingSelector{}

func (nothingSelector) Matches(Fields) bool                      { return false }
func (nothingSelector) Empty() bool                              { return false }
func (nothingSelector) RequiresExactMatch(string) (string, bool) { return "", false }
func (n nothingSelector) Transform(TransformFunc) (Selector, error) {
	return n, nil
}
func (nothingSelector) Requirements() Requirements { return nil }
func (nothingSelector) String() string             { return "" }

// ParseError is the error ParseSelector returns for a term it cannot read. Err, when set, is
// the InvalidEscapeSequence or UnescapedRune error of the term's value.
type ParseError struct {
	// Selector is the text that failed to parse.
	Selector string
	// Offset is the byte offset of the offending term.
	Offset int
	// Term is the offending term.
	Term string
	// Msg says what is wrong.
	Msg string
	// Err is the underlying value error, if any.
	Err error
}

// Error returns `fields: parse selector "<text>": term "<term>" at offset <n>: <msg>`.
func (e *ParseError) Error() string {
	sel := e.Selector
	if len(sel) > 80 {
		sel = sel[:77] + "..."
	}
	msg := e.Msg
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return fmt.Sprintf("fields: parse selector %q: term %q at offset %d: %s", sel, e.Term, e.Offset, msg)
}

// Unwrap returns the value error, if any.
func (e *ParseError) Unwrap() error { return e.Err }

// ParseSelector reads a field selector in Kubernetes' syntax: terms "field=value",
// "field==value" or "field!=value" separated by ",". Values use EscapeValue's escapes ("\,",
// "\=", "\\") for those characters; the field name runs up to the first operator and cannot
// contain one. Whitespace is not trimmed: it is part of the field or value, as in Kubernetes.
// Empty terms (",,") are skipped; the empty string is Everything(). A term without an
// operator, with an empty field name, or with a bad escape is a *ParseError.
func ParseSelector(selector string) (Selector, error) {
	return ParseAndTransformSelector(selector, nil)
}

// ParseAndTransformSelector is ParseSelector followed by Transform(fn); a nil fn leaves the
// terms as they are.
func ParseAndTransformSelector(selector string, fn TransformFunc) (Selector, error) {
	if selector == "" {
		return andSelector(nil), nil
	}
	rs := make([]Requirement, 0, strings.Count(selector, ",")+1)
	start := 0
	escaped := false
	for i := 0; i <= len(selector); i++ {
		if i < len(selector) {
			c := selector[i]
			if escaped {
				escaped = false
				continue
			}
			if c == '\\' {
				escaped = true
				continue
			}
			if c != ',' {
				continue
			}
		}
		term := selector[start:i]
		offset := start
		start = i + 1
		if term == "" {
			continue
		}
		r, err := parseTerm(term)
		if err != nil {
			err.Selector, err.Offset, err.Term = selector, offset, term
			return nil, err
		}
		rs = append(rs, r)
	}
	sel := newAnd(rs)
	if fn == nil {
		return sel, nil
	}
	return sel.Transform(fn)
}

// parseTerm splits one term at its first operator and unescapes the value.
func parseTerm(term string) (Requirement, *ParseError) {
	i := strings.IndexAny(term, "!=")
	for i >= 0 && term[i] == '!' && (i+1 >= len(term) || term[i+1] != '=') {
		// A lone "!" is part of the field name; look for the next operator.
		j := strings.IndexAny(term[i+1:], "!=")
		if j < 0 {
			i = -1
			break
		}
		i += 1 + j
	}
	if i < 0 {
		return Requirement{}, &ParseError{Msg: "expected an operator (=, == or !=)"}
	}
	var op Operator
	switch {
	case term[i] == '!':
		op = NotEquals
	case i+1 < len(term) && term[i+1] == '=':
		op = DoubleEquals
	default:
		op = Equals
	}
	field, raw := term[:i], term[i+len(op):]
	if field == "" {
		return Requirement{}, &ParseError{Msg: "empty field name"}
	}
	value, err := UnescapeValue(raw)
	if err != nil {
		return Requirement{}, &ParseError{Msg: "invalid value", Err: err}
	}
	return Requirement{Field: field, Operator: op, Value: value}, nil
}

// MustParseSelector is ParseSelector for selectors fixed in the program text; it panics on an
// error.
func MustParseSelector(selector string) Selector {
	s, err := ParseSelector(selector)
	if err != nil {
		panic(err)
	}
	return s
}
