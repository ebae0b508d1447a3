// Package badfield has an object with a field interngen cannot intern.
package badfield

import "github.com/cellkit/cellkit/apimachinery/meta"

type Object struct {
	meta.TypeMeta
	meta.ObjectMeta
	Spec Spec
}

type Spec struct {
	Events []chan int
}
