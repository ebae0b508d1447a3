package field

import "strings"

// ErrorList is the result of validating an object: every failure found, in the order found.
// An empty (or nil) list means the object is valid. Validation functions append to it and
// return it; it is not safe for concurrent appends.
type ErrorList []*Error

// Matcher selects errors, for Filter.
type Matcher func(error) bool

// NewErrorTypeMatcher returns a Matcher that selects *Error values of type t.
func NewErrorTypeMatcher(t ErrorType) Matcher {
	return func(err error) bool {
		e, ok := err.(*Error)
		return ok && e.Type == t
	}
}

// ToAggregate returns the list as one error, or nil when the list is empty. Errors with the
// same message are reported once. The result is an *Aggregate; errors.Is and errors.As see
// every *Error inside it.
func (list ErrorList) ToAggregate() error {
	if len(list) == 0 {
		return nil
	}
	seen := make(map[string]struct{}, len(list))
	errs := make([]error, 0, len(list))
	for _, e := range list {
		if e == nil {
			continue
		}
		msg := e.Error()
		if _, dup := seen[msg]; dup {
			continue
		}
		seen[msg] = struct{}{}
		errs = append(errs, e)
	}
	if len(errs) == 0 {
		return nil
	}
	return &Aggregate{errs: errs}
}

// Filter returns the errors of list that no matcher selects, with duplicate messages removed as
// in ToAggregate. It returns nil when nothing is left.
func (list ErrorList) Filter(matchers ...Matcher) ErrorList {
	var out ErrorList
	seen := make(map[string]struct{}, len(list))
next:
	for _, e := range list {
		if e == nil {
			continue
		}
		for _, m := range matchers {
			if m(e) {
				continue next
			}
		}
		msg := e.Error()
		if _, dup := seen[msg]; dup {
			continue
		}
		seen[msg] = struct{}{}
		out = append(out, e)
	}
	return out
}

// Aggregate is several errors reported as one. Its message is the single error's message when
// there is one, else "[msg1, msg2, ...]", as Kubernetes prints an aggregate.
type Aggregate struct {
	errs []error
}

// Errors returns the errors of the aggregate. The caller must not modify the slice.
func (a *Aggregate) Errors() []error { return a.errs }

// Unwrap returns the errors of the aggregate, so errors.Is and errors.As look inside it.
func (a *Aggregate) Unwrap() []error { return a.errs }

// Error joins the messages of the errors.
func (a *Aggregate) Error() string {
	if len(a.errs) == 1 {
		return a.errs[0].Error()
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range a.errs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.Error())
	}
	b.WriteByte(']')
	return b.String()
}
