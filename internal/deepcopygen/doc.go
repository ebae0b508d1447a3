// Command deepcopygen writes deep-copy methods for the API types of one Go package.
//
// It is run by go generate from the package's doc.go:
//
//	//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//
// For every named struct, map and slice type of the package (exported ones, and unexported ones
// that exported types reach) it writes DeepCopyInto(out *T) and DeepCopy(), and for every struct
// that embeds meta.TypeMeta and has a meta.ObjectMeta or meta.ListMeta field it also writes
// DeepCopyObject() runtime.Object. The output goes to zz_generated.deepcopy.go in the package
// directory, gofmt'd and deterministic, so CI can run `go generate ./... && git diff --exit-code`;
// `-check` compares instead of writing and exits with status 1 when the file is stale.
//
// A type that already has a hand-written DeepCopyInto is left alone and its method is used by the
// types that contain it. A type whose doc comment has the line `+cellkit:deepcopy-gen=false` is
// skipped. Fields of func or chan type, of interface types without a DeepCopy method that returns
// the interface, and of types from other packages that hold references but have no DeepCopyInto
// are errors: deepcopygen never writes a copy that silently shares memory.
//
// Usage loop: change a type, run `go generate ./...`, commit the regenerated file with the change.
// The generator reads the package with go/types over the export data `go list -export` builds,
// so it sees exactly what the compiler sees; it ignores the previous generated file while loading,
// so a stale file never blocks regeneration.
//
// Concurrency and ownership: deepcopygen is a command; it writes only the one output file of the
// package it is run on. The generated DeepCopyInto writes only to out, never to the receiver, and
// the copies it makes share no memory with the receiver (time.Time's immutable location aside).
package main
