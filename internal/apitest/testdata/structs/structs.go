// Package structs is input for TestExportedStructs.
package structs

// Wire is an API type.
type Wire struct{ A int }

// Parsed is not an API type and opts out of deep-copy generation.
//
// +cellkit:deepcopy-gen=false
type Parsed struct{ a int }

type (
	// Grouped is an API type declared in a group.
	Grouped struct{ B string }
	// Alias is not a struct.
	Alias string
)

type unexported struct{}
