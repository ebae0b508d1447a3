package runtime

import (
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Object is any API object, single or list: it reports its kind and deep-copies itself.
// Every built-in type implements it through its embedded meta.TypeMeta and generated deep copy.
// It is an alias of schema.Object so that meta.Status, which runtime cannot be imported by, is
// an Object too.
type Object = schema.Object

// MetaObject is an Object with ObjectMeta: every kind that is not a list. Stores, informers and
// controllers are generic over MetaObject (T is a pointer such as *corev1.Pod).
type MetaObject interface {
	Object
	GetObjectMeta() *meta.ObjectMeta
}

// ListObject is an Object with ListMeta: every list kind.
type ListObject interface {
	Object
	GetListMeta() *meta.ListMeta
}
