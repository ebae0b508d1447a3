package labels

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// Operator is the relation a Requirement tests. The values are Kubernetes' selection operators.
type Operator string

// The operators of label selectors.
const (
	// Equals ("=") requires the label to be present with the one value.
	Equals Operator = "="
	// DoubleEquals ("==") is Equals, spelled as some users write it; it prints back as "==".
	DoubleEquals Operator = "=="
	// NotEquals ("!=") requires the label to be absent or to have another value.
	NotEquals Operator = "!="
	// In ("in") requires the label to be present with one of the values.
	In Operator = "in"
	// NotIn ("notin") requires the label to be absent or to have none of the values.
	NotIn Operator = "notin"
	// Exists ("exists", written as the bare key) requires the label to be present.
	Exists Operator = "exists"
	// DoesNotExist ("!", written "!key") requires the label to be absent.
	DoesNotExist Operator = "!"
	// GreaterThan ("gt", written "key>n") requires the label to be present with an integer value
	// greater than n.
	GreaterThan Operator = "gt"
	// LessThan ("lt", written "key<n") requires the label to be present with an integer value
	// less than n.
	LessThan Operator = "lt"
)

// validOperators lists the operators in the order Kubernetes lists them in messages.
func validOperators() []string {
	return []string{string(In), string(NotIn), string(Equals), string(DoubleEquals), string(NotEquals),
		string(Exists), string(DoesNotExist), string(GreaterThan), string(LessThan)}
}

// Requirement is one condition of a selector: a key, an operator and values. It is immutable
// once made by NewRequirement; its values are kept sorted and without duplicates.
type Requirement struct {
	key    string
	op     Operator
	values []string // sorted, unique
	num    int64    // the integer operand of GreaterThan and LessThan
}

// NewRequirement returns the requirement "key op values" after checking it as Kubernetes does:
// the key must be a qualified name; In and NotIn need at least one value; Equals, DoubleEquals
// and NotEquals exactly one; Exists and DoesNotExist none; GreaterThan and LessThan exactly one
// integer; every value must be a valid label value. On failure the error wraps the field errors
// (paths "key", "operator", "values[i]"), so errors.As finds each *field.Error.
func NewRequirement(key string, op Operator, values []string) (Requirement, error) {
	errs := requirementErrors(key, op, values, true)
	if len(errs) > 0 {
		return Requirement{}, fmt.Errorf("labels: invalid requirement: %w", errs.ToAggregate())
	}
	return newRequirement(key, op, slices.Clone(values)), nil
}

// newRequirement builds a requirement already checked by requirementErrors. It takes ownership
// of values and sorts it in place.
func newRequirement(key string, op Operator, values []string) Requirement {
	r := Requirement{key: key, op: op}
	if len(values) > 1 {
		slices.Sort(values)
		values = slices.Compact(values)
	}
	if len(values) > 0 {
		r.values = values
	}
	if op == GreaterThan || op == LessThan {
		r.num, _ = parseInt64(r.values[0])
	}
	return r
}

// requirementErrors checks a requirement and returns what is wrong with it. The key is checked
// only if checkKey is set.
func requirementErrors(key string, op Operator, values []string, checkKey bool) field.ErrorList {
	var errs field.ErrorList
	if checkKey {
		if msgs := validation.IsQualifiedName(key); len(msgs) > 0 {
			errs = append(errs, field.Invalid(field.NewPath("key"), key, strings.Join(msgs, "; ")))
		}
	}
	vpath := func() *field.Path { return field.NewPath("values") }
	switch op {
	case In, NotIn:
		if len(values) == 0 {
			errs = append(errs, field.Invalid(vpath(), values, "for 'in', 'notin' operators, values set can't be empty"))
		}
	case Equals, DoubleEquals, NotEquals:
		if len(values) != 1 {
			errs = append(errs, field.Invalid(vpath(), values, "exact-match compatibility requires one single value"))
		}
	case Exists, DoesNotExist:
		if len(values) != 0 {
			errs = append(errs, field.Invalid(vpath(), values, "values set must be empty for exists and does not exist"))
		}
	case GreaterThan, LessThan:
		if len(values) != 1 {
			errs = append(errs, field.Invalid(vpath(), values, "for 'Gt', 'Lt' operators, exactly one value is required"))
		}
		for i, v := range values {
			if _, ok := parseInt64(v); !ok {
				errs = append(errs, field.Invalid(vpath().Index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"))
			}
		}
	default:
		errs = append(errs, field.NotSupported(field.NewPath("operator"), string(op), validOperators()))
	}
	for i, v := range values {
		if msgs := validation.IsValidLabelValue(v); len(msgs) > 0 {
			errs = append(errs, field.Invalid(vpath().Index(i), v, strings.Join(msgs, "; ")))
		}
	}
	return errs
}

// Key returns the label key the requirement tests.
func (r Requirement) Key() string { return r.key }

// Operator returns the relation the requirement tests.
func (r Requirement) Operator() Operator { return r.op }

// Values returns the values of the requirement, sorted and unique. The slice is a copy.
func (r Requirement) Values() []string { return slices.Clone(r.values) }

// Equal reports whether r and o are the same requirement.
func (r Requirement) Equal(o Requirement) bool {
	return r.key == o.key && r.op == o.op && slices.Equal(r.values, o.values)
}

// compare orders requirements by key, then operator, then values: the canonical order.
func (r Requirement) compare(o Requirement) int {
	if c := strings.Compare(r.key, o.key); c != 0 {
		return c
	}
	if c := strings.Compare(string(r.op), string(o.op)); c != 0 {
		return c
	}
	return slices.Compare(r.values, o.values)
}

// hasValue reports whether v is one of the requirement's values.
func (r Requirement) hasValue(v string) bool {
	if len(r.values) <= 8 {
		for _, x := range r.values {
			if x == v {
				return true
			}
		}
		return false
	}
	_, found := slices.BinarySearch(r.values, v)
	return found
}

// lookup reads one label, with a fast path for Set.
func lookup(ls Labels, key string) (string, bool) {
	if s, ok := ls.(Set); ok {
		v, ok := s[key]
		return v, ok
	}
	return ls.Lookup(key)
}

// Matches reports whether the labels ls satisfy r. It does not allocate.
func (r Requirement) Matches(ls Labels) bool {
	v, ok := lookup(ls, r.key)
	switch r.op {
	case In, Equals, DoubleEquals:
		return ok && r.hasValue(v)
	case NotIn, NotEquals:
		return !ok || !r.hasValue(v)
	case Exists:
		return ok
	case DoesNotExist:
		return !ok
	case GreaterThan, LessThan:
		if !ok {
			return false
		}
		n, valid := parseInt64(v)
		if !valid {
			return false
		}
		if r.op == GreaterThan {
			return n > r.num
		}
		return n < r.num
	default:
		return false
	}
}

// String returns the requirement in selector syntax: "key=v", "key==v", "key!=v",
// "key in (a,b)", "key notin (a)", "key", "!key", "key>3", "key<3".
func (r Requirement) String() string {
	var b strings.Builder
	b.Grow(r.size())
	r.writeTo(&b)
	return b.String()
}

// size returns the length of the printed requirement.
func (r Requirement) size() int {
	n := len(r.key) + 8 // the key, plus the longest operator with its spaces and parentheses
	for _, v := range r.values {
		n += len(v) + 1
	}
	return n
}

func (r Requirement) writeTo(b *strings.Builder) {
	if r.op == DoesNotExist {
		b.WriteByte('!')
	}
	b.WriteString(r.key)
	switch r.op {
	case Equals, DoubleEquals, NotEquals:
		b.WriteString(string(r.op))
	case In:
		b.WriteString(" in (")
	case NotIn:
		b.WriteString(" notin (")
	case GreaterThan:
		b.WriteByte('>')
	case LessThan:
		b.WriteByte('<')
	default:
		return
	}
	for i, v := range r.values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(v)
	}
	if r.op == In || r.op == NotIn {
		b.WriteByte(')')
	}
}

// Requirements is a list of requirements, all of which must hold.
type Requirements []Requirement

// String joins the requirements with ",".
func (rs Requirements) String() string {
	var b strings.Builder
	n := len(rs)
	for _, r := range rs {
		n += r.size()
	}
	b.Grow(n)
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		r.writeTo(&b)
	}
	return b.String()
}

// parseInt64 parses a base-10 integer with an optional sign, as strconv.ParseInt(s, 10, 64)
// does, without allocating on failure.
func parseInt64(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '+':
		s = s[1:]
	case '-':
		neg = true
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var u uint64
	const cutoff = 1 << 63
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if u > cutoff/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > cutoff {
			return 0, false
		}
	}
	if neg {
		return -int64(u), true // u == 1<<63 wraps to math.MinInt64, which is right
	}
	if u == cutoff {
		return 0, false
	}
	return int64(u), true
}
