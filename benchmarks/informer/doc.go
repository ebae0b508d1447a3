// Package informer compares cellkit's informer with client-go's SharedIndexInformer on the
// same machine and the same in-memory data: both are fed by a list function that returns
// deep copies of one slice of pods (as a decoder would hand out fresh objects) and a watch
// that stays silent (sync benchmarks) or replays updates (event benchmarks). Both caches
// index by namespace, both run one no-op handler, and both use list-then-watch.
//
// Run: cd benchmarks && go test -run '^$' -bench . -benchmem ./informer/
//
// BenchmarkSync and BenchmarkEvents print the ratios client-go/cellkit at the end.
package informer
