package validation

import (
	"strconv"
	"strings"
)

// MaxLenError returns the message for a string longer than length: "must be no more than 63
// characters".
func MaxLenError(length int) string {
	return "must be no more than " + strconv.Itoa(length) + " characters"
}

// RegexError returns the message for a string that does not match the regular expression
// format: msg, then the examples and the expression in parentheses, as Kubernetes words it:
//
//	msg (e.g. 'my-name',  or '123-abc', regex used for validation is '<format>')
func RegexError(msg, format string, examples ...string) string {
	var b strings.Builder
	b.WriteString(msg)
	if len(examples) == 0 {
		b.WriteString(" (regex used for validation is '")
		b.WriteString(format)
		b.WriteString("')")
		return b.String()
	}
	b.WriteString(" (e.g. ")
	for i, ex := range examples {
		if i > 0 {
			b.WriteString(" or ")
		}
		b.WriteByte('\'')
		b.WriteString(ex)
		b.WriteString("', ")
	}
	b.WriteString("regex used for validation is '")
	b.WriteString(format)
	b.WriteString("')")
	return b.String()
}

// EmptyError returns the message for a string that must not be empty: "must be non-empty".
func EmptyError() string { return "must be non-empty" }

// InclusiveRangeError returns the message for a number outside [lo, hi]: "must be between 1 and
// 65535, inclusive".
func InclusiveRangeError(lo, hi int) string {
	return "must be between " + strconv.Itoa(lo) + " and " + strconv.Itoa(hi) + ", inclusive"
}

// The messages of checks that are not regular-expression based, with Kubernetes' wording.
const (
	// IsNegativeErrorMsg is the detail for a number that must not be negative.
	IsNegativeErrorMsg = "must be greater than or equal to 0"
	// FieldImmutableErrorMsg is the detail for a field that may not change on update.
	FieldImmutableErrorMsg = "field is immutable"
)
