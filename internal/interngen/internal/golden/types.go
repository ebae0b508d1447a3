package golden

import (
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// Object is an API object whose spec holds every kind of value.
type Object struct {
	meta.TypeMeta
	meta.ObjectMeta
	// Spec holds the values.
	Spec Spec
	// hidden is hashed and compared but never replaced (Dedup walks exported fields only).
	hidden []string
}

// Spec holds one field of every kind.
type Spec struct {
	Floats []float64
	Ratio  float32
	Cplx   complex128
	Grid   [2][]string
	Nested map[string]map[string]int
	Lists  map[string][]string
	PP     **int
	Any    any
	When   *meta.Time
	Qty    resource.Quantity
	Tree   *Node
	Bytes  []byte
	Named  Names
	Anon   struct{ A []int }
	Flags  map[string]bool
}

// Node is a recursive type.
type Node struct {
	Name string
	Kids []*Node
}

// Names is a named slice type.
type Names []string

// NotAnObject has no ObjectMeta: it gets no InternRefs method.
type NotAnObject struct {
	meta.TypeMeta
	Data map[string]string
}
