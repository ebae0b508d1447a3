// Package deepcopytest checks generated deep-copy methods: it fills values of any type with
// seeded random non-zero data, proves that a deep copy equals its original and shares no memory
// with it, and that mutating every reachable element of the copy leaves the original unchanged.
//
// The usual loop, in the tests of an API package:
//
//	func TestDeepCopy(t *testing.T) {
//		deepcopytest.CheckPackage(t, ".", deepcopytest.Options{}, &Pod{}, &PodList{}, new(ResourceList), ...)
//	}
//
// CheckPackage fails when the package has a type with a generated DeepCopy that the list misses,
// so a new type cannot slip by untested.
//
// Filling and mutating go through exported fields only; a type with unexported fields (a
// Quantity, a Time) needs an entry in Options.Fill, and its copy is still checked for shared
// memory, which reads unexported fields too.
//
// Concurrency and ownership: nothing here keeps state between calls; each Check makes its own
// random source, so checks may run in parallel tests. Check and CheckPackage only read the values
// they are given and the copies they make; Mutate changes the value it is given in place.
package deepcopytest
