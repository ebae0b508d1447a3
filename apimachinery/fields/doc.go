// Package fields selects objects by the values of a few of their fields, as Kubernetes field
// selectors do: "metadata.name=web", "spec.nodeName=node-1,status.phase!=Succeeded". A type
// exposes its selectable fields as a Set (ObjectMetaSet gives metadata.name and
// metadata.namespace; the API types add their own such as spec.nodeName), and a Selector
// matches against it.
//
// Usage loop:
//
//	sel, err := fields.ParseSelector(opts.FieldSelector)
//	if err != nil { ... }                         // a *ParseError
//	if node, ok := sel.RequiresExactMatch("spec.nodeName"); ok {
//		candidates = index.ByNode(node)           // serve from an index
//	}
//	for _, pod := range candidates {
//		if sel.Matches(podFields(pod)) { ... }
//	}
//
// Values escape "\", "," and "=" with a backslash (EscapeValue, UnescapeValue). String prints
// the canonical form, which ParseSelector reads back to an equal selector.
//
// Concurrency and ownership: Selectors are immutable and safe for concurrent use; Matches does
// not allocate. A Set is a plain map owned by its creator; selectors built from one copy it.
// There is no package state.
package fields
