// Package golden is the test bed of deepcopygen: types that exercise every shape the generator
// handles. Its zz_generated.deepcopy.go is the golden output (the generator's tests fail when
// regenerating would change it) and its tests run the generated code.
//
// Nothing outside deepcopygen's tests uses this package.
package golden

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
