// Package golden holds types that exercise every case interngen handles: floats, complex
// numbers, arrays, nested maps, maps of slices, pointers to pointers, interfaces, unexported
// fields, recursive types, named slices, time and quantities from other packages. Its tests
// run the generated code against reflect.DeepEqual.
//
// Concurrency and ownership: plain data, as the API types are.
package golden

//go:generate go run github.com/cellkit/cellkit/internal/interngen
