package deepcopytest_test

import (
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/deepcopygen/deepcopytest"
)

// Aliases finds the memory a copy still shares with its original: here a plain assignment,
// which shares the maps and slices, against a generated deep copy, which shares nothing.
func ExampleAliases() {
	orig := &meta.ObjectMeta{
		Name:       "web",
		Labels:     map[string]string{"app": "web"},
		Finalizers: []string{"example.com/cleanup"},
	}
	shallow := *orig
	fmt.Println(deepcopytest.Aliases(orig, &shallow))
	fmt.Println(deepcopytest.Aliases(orig, orig.DeepCopy()))
	// Output:
	// [.Labels .Finalizers]
	// []
}
