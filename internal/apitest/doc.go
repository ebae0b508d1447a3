// Package apitest is test support for the built-in API types under apimachinery/apis: a seeded
// random filler that sets every exported field of a Go value to non-zero data, a mutator that
// changes every reachable pointer target, slice element and map entry of a value, a deep-copy
// property check built on the two, a JSON round-trip check for real manifests, and a lister of
// the exported struct types of a package directory so tests can prove they cover every type.
//
// The usual loop in an API package's test:
//
//	func TestDeepCopy(t *testing.T) {
//		cases := []apitest.Case{
//			apitest.DeepCopyCase((*appsv1.Deployment).DeepCopy),
//			...
//		}
//		apitest.RunDeepCopy(t, ".", cases, apitest.Options{})
//	}
//
// RunDeepCopy fills a value from a seed, deep-copies it, checks the copy is equal, mutates every
// reachable part of the copy, and checks that a second value filled from the same seed still
// equals the original: any memory the copy shares with the original shows up as a difference.
//
// Concurrency and ownership: a Filler and a Mutator own a *rand.Rand and must not be shared
// between goroutines; make one per test or per goroutine. Everything else is stateless.
package apitest
