package labels

import (
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// LabelSelectorAsSelector converts the structured selector of a spec to a Selector, with
// Kubernetes' semantics: a nil selector matches nothing, an empty one (no matchLabels, no
// matchExpressions) matches everything. matchLabels become = requirements and matchExpressions
// In, NotIn, Exists or DoesNotExist requirements; invalid keys, values or operators are errors.
func LabelSelectorAsSelector(ls *meta.LabelSelector) (Selector, error) {
	if ls == nil {
		return Nothing(), nil
	}
	if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
		return Everything(), nil
	}
	rs := make(internalSelector, 0, len(ls.MatchLabels)+len(ls.MatchExpressions))
	for k, v := range ls.MatchLabels {
		r, err := NewRequirement(k, Equals, []string{v})
		if err != nil {
			return nil, fmt.Errorf("labels: convert label selector: matchLabels: %w", err)
		}
		rs = append(rs, r)
	}
	for i, e := range ls.MatchExpressions {
		var op Operator
		switch e.Operator {
		case meta.LabelSelectorOpIn:
			op = In
		case meta.LabelSelectorOpNotIn:
			op = NotIn
		case meta.LabelSelectorOpExists:
			op = Exists
		case meta.LabelSelectorOpDoesNotExist:
			op = DoesNotExist
		default:
			return nil, fmt.Errorf("labels: convert label selector: matchExpressions[%d]: %q is not a valid label selector operator", i, e.Operator)
		}
		r, err := NewRequirement(e.Key, op, e.Values)
		if err != nil {
			return nil, fmt.Errorf("labels: convert label selector: matchExpressions[%d]: %w", i, err)
		}
		rs = append(rs, r)
	}
	rs.sort()
	return rs, nil
}

// SelectorAsLabelSelector converts a Selector to the structured form: the inverse of
// LabelSelectorAsSelector. Nothing() becomes nil and Everything() an empty LabelSelector;
// = and == requirements become matchLabels (a second one on the same key becomes an In
// expression), != becomes NotIn with one value, and In, NotIn, Exists, DoesNotExist become
// expressions. GreaterThan and LessThan have no structured form and are an error.
func SelectorAsLabelSelector(sel Selector) (*meta.LabelSelector, error) {
	rs, selectable := sel.Requirements()
	if !selectable {
		return nil, nil
	}
	out := &meta.LabelSelector{}
	for _, r := range rs {
		var op meta.LabelSelectorOperator
		switch r.op {
		case Equals, DoubleEquals:
			if _, dup := out.MatchLabels[r.key]; !dup {
				if out.MatchLabels == nil {
					out.MatchLabels = map[string]string{}
				}
				out.MatchLabels[r.key] = r.values[0]
				continue
			}
			op = meta.LabelSelectorOpIn
		case In:
			op = meta.LabelSelectorOpIn
		case NotIn, NotEquals:
			op = meta.LabelSelectorOpNotIn
		case Exists:
			op = meta.LabelSelectorOpExists
		case DoesNotExist:
			op = meta.LabelSelectorOpDoesNotExist
		default:
			return nil, fmt.Errorf("labels: convert selector %q: requirement %q has no label selector form", sel.String(), r.String())
		}
		out.MatchExpressions = append(out.MatchExpressions, meta.LabelSelectorRequirement{
			Key: r.key, Operator: op, Values: r.Values(),
		})
	}
	return out, nil
}

// ParseToLabelSelector parses a selector string (see Parse) into the structured form.
func ParseToLabelSelector(selector string) (*meta.LabelSelector, error) {
	sel, err := Parse(selector)
	if err != nil {
		return nil, err
	}
	return SelectorAsLabelSelector(sel)
}

// SetAsLabelSelector returns a LabelSelector whose matchLabels is a copy of s. A nil s gives
// nil, which matches nothing.
func SetAsLabelSelector(s Set) *meta.LabelSelector {
	if s == nil {
		return nil
	}
	out := &meta.LabelSelector{MatchLabels: make(map[string]string, len(s))}
	for k, v := range s {
		out.MatchLabels[k] = v
	}
	return out
}

// LabelSelectorAsSet returns the labels a LabelSelector requires when it only pins keys to
// values (matchLabels, and In expressions with one value). Any other expression is an error. A
// nil selector gives a nil Set.
func LabelSelectorAsSet(ls *meta.LabelSelector) (Set, error) {
	if ls == nil {
		return nil, nil
	}
	out := make(Set, len(ls.MatchLabels)+len(ls.MatchExpressions))
	for k, v := range ls.MatchLabels {
		out[k] = v
	}
	for i, e := range ls.MatchExpressions {
		if e.Operator != meta.LabelSelectorOpIn || len(e.Values) != 1 {
			return nil, fmt.Errorf("labels: label selector as set: matchExpressions[%d]: operator %q with %d values is not a single-value In",
				i, e.Operator, len(e.Values))
		}
		if old, dup := out[e.Key]; dup && old != e.Values[0] {
			return nil, fmt.Errorf("labels: label selector as set: matchExpressions[%d]: key %q already requires %q", i, e.Key, old)
		}
		out[e.Key] = e.Values[0]
	}
	return out, nil
}

// ValidateLabelSelector checks a LabelSelector of a spec as the Kubernetes API server does:
// matchLabels as labels, and each expression's operator, key and values (In and NotIn need
// values, Exists and DoesNotExist must have none). A nil selector is valid. path is the
// selector's field, for example spec.selector.
func ValidateLabelSelector(ls *meta.LabelSelector, path *field.Path) field.ErrorList {
	if ls == nil {
		return nil
	}
	errs := validation.ValidateLabels(ls.MatchLabels, path.Child("matchLabels"))
	for i, e := range ls.MatchExpressions {
		p := path.Child("matchExpressions").Index(i)
		switch e.Operator {
		case meta.LabelSelectorOpIn, meta.LabelSelectorOpNotIn:
			if len(e.Values) == 0 {
				errs = append(errs, field.Required(p.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
			}
		case meta.LabelSelectorOpExists, meta.LabelSelectorOpDoesNotExist:
			if len(e.Values) > 0 {
				errs = append(errs, field.Forbidden(p.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
			}
		default:
			errs = append(errs, field.Invalid(p.Child("operator"), string(e.Operator), "not a valid selector operator"))
		}
		errs = append(errs, validation.ValidateLabelName(e.Key, p.Child("key"))...)
		for j, v := range e.Values {
			for _, msg := range validation.IsValidLabelValue(v) {
				errs = append(errs, field.Invalid(p.Child("values").Index(j), v, msg))
			}
		}
	}
	return errs
}
