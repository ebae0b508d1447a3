// Package registrytest checks a built-in API package's AddToScheme against the discovery facts
// of its group version, for the register tests of every apimachinery/apis/<group>/<version>.
//
// Usage: from a group package's test, call Check with AddToScheme, the group version, the kinds
// it must register and the resources as kube-apiserver's discovery lists them.
//
// Concurrency: Check builds its own schemes and may run in parallel tests.
package registrytest
