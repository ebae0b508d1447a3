// Package registry holds the registration step the built-in API packages share: adding one
// group version's kinds and resources to a runtime.Scheme so that doing it twice is harmless.
//
// Usage: each apimachinery/apis/<group>/<version> package calls Register from its AddToScheme
// with the kinds and resources of its group version.
//
// Concurrency: Register only calls the scheme's methods, which are safe for concurrent use; the
// slices passed in are copied by the scheme and never retained.
package registry
