// Package intstr provides IntOrString, a field that holds either an integer or a string on the
// wire, such as a container port given by number or by name, or a rollout budget given as a
// count or a percentage ("25%").
//
// Usage: build values with FromInt32, FromString or Parse; they encode as a JSON number or a
// JSON string and decode from either (UnmarshalJSON rejects anything else with an error, never a
// panic). Resolve a count-or-percentage against a total with ScaledValue, choosing the rounding
// direction the way the controllers do (maxSurge rounds up, maxUnavailable rounds down).
//
// Concurrency and ownership: IntOrString is a small value type with no references; copies are
// independent and a value may be read from many goroutines. The package holds no state.
package intstr
