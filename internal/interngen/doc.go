// Command interngen writes the interning code informer.Dedup uses for the API objects of one Go
// package, in place of its reflective walk.
//
// It is run by go generate from the package's doc.go:
//
//	//go:generate go run github.com/cellkit/cellkit/internal/interngen
//
// For every API object of the package (a named struct that embeds meta.TypeMeta, has a
// meta.ObjectMeta field and holds a map, slice or pointer) it writes a method
//
//	func (in *T) InternRefs(t internTable)
//
// and the functions behind it, into zz_generated.intern.go in the package directory, gofmt'd
// and deterministic, so CI can run `go generate ./... && git diff --exit-code`; `-check`
// compares instead of writing and exits with status 1 when the file is stale.
//
// InternRefs makes exactly the decisions of Dedup's reflective walk, without reflection and
// without allocating when a value is found: it walks the exported fields that can hold a map,
// slice or pointer, in declaration order; for each non-nil map, slice or pointer it appends the
// value's content to one reused buffer (strings by their bytes, maps as the order-independent
// sum of their entries' hashes, nil and empty told apart) and hashes it with hash/maphash; it
// compares the table's candidates with generated equality that follows reflect.DeepEqual's
// rules; on a match it replaces the value by the canonical one, otherwise it first interns
// what is inside the value, clips a slice's spare capacity and adds the value to the table.
// Types of other packages with unexported fields (time.Time, resource.Quantity) and interfaces
// are opaque: they are hashed through their public API (Unix time, milli-value and format) and
// compared with == and then reflect.DeepEqual, which is rare (only on equal hashes). The
// generated code and the reflective walk hash differently, so a value interned by one is found
// only by the same path; their decisions agree for values nested less than the walk's depth
// bound (32), which API objects are by far.
//
// The table is an unnamed interface type (internTable in the generated file), so that the API
// packages need not import the informer package that implements it.
//
// Usage loop: change a type, run `go generate ./...`, commit the regenerated file with the
// change. The generator reads the package with go/types over the export data `go list -export`
// builds, and ignores its previous output while loading, so a stale file never blocks
// regeneration. Fields of func, chan or unsafe.Pointer type, blank fields and generic types are
// errors.
//
// Concurrency and ownership: interngen is a command; it writes only the one output file of the
// package it is run on. The generated InternRefs writes only to the object it is called on and
// calls the table serially; the caller (informer.Dedup) holds its lock around the call.
package main
