// Package labels selects objects by their labels, as Kubernetes does: Set (the labels of an
// object), Requirement (one condition such as "tier in (front,back)"), Selector (all of several
// requirements), the parser of Kubernetes' selector syntax (Parse), and conversions to and from
// the structured meta.LabelSelector used in specs.
//
// Usage loop:
//
//	sel, err := labels.Parse("app=web,tier in (front,back),!canary")
//	if err != nil { ... }             // a *ParseError: offset and what was expected
//	for _, obj := range objects {
//		if sel.Matches(labels.Set(obj.Labels)) { ... }
//	}
//
// A spec's selector converts with LabelSelectorAsSelector: nil matches nothing, an empty
// selector everything. Selector.String prints the canonical form (requirements sorted by key,
// values sorted), which Parse reads back to an equal selector, so it can serve as a cache key.
//
// Concurrency and ownership: Selectors and Requirements are immutable once built and safe for
// concurrent use; Add returns a new selector. Matching does not allocate. A Set is a plain map
// owned by its creator; selectors built from a Set copy what they need. There is no package
// state.
package labels
