// Package podbench holds the memory backend's benchmarks with realistic Pods (the built-in
// resource table of store/builtin), apart from the backend's own tests so that those do not
// depend on the API types. It has no code of its own; run
//
//	go test -run xxx -bench . ./store/memory/internal/podbench/
package podbench
