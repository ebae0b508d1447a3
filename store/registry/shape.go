package registry

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// shape says where the parts of an object type are: the status field and the spec-like fields
// (every exported field other than TypeMeta, ObjectMeta and Status), whose changes bump
// metadata.generation.
type shape struct {
	status int   // index of the Status field, -1 when the type has none
	spec   []int // indexes of the spec-like fields
	fields int   // number of fields of the struct
}

var (
	typeMetaType   = reflect.TypeFor[meta.TypeMeta]()
	objectMetaType = reflect.TypeFor[meta.ObjectMeta]()
	unstructured   = reflect.TypeFor[*runtime.Unstructured]()
)

// shapeOf returns the shape of obj's Go type, a pointer to a struct (nil for other types and
// for *runtime.Unstructured, which is handled by key).
func (r *Registry) shapeOf(obj runtime.Object) *shape {
	t := reflect.TypeOf(obj)
	if s, ok := r.shapes.Load(t); ok {
		return s.(*shape)
	}
	var s *shape
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t != unstructured {
		st := t.Elem()
		s = &shape{status: -1, fields: st.NumField()}
		for i := range st.NumField() {
			f := st.Field(i)
			switch {
			case !f.IsExported():
			case f.Type == typeMetaType || f.Type == objectMetaType:
			case f.Name == "Status":
				s.status = i
			default:
				s.spec = append(s.spec, i)
			}
		}
	}
	r.shapes.Store(t, s)
	return s
}

// specChanged reports whether anything outside metadata and status differs between two
// objects of the same type. Fields that reflect.DeepEqual finds equal are equal; the others
// are compared by their JSON form, so that a nil and an empty slice, or two spellings of one
// quantity, count as unchanged (as Kubernetes' semantic equality does).
func (r *Registry) specChanged(a, b runtime.MetaObject) bool {
	if ua, ok := a.(*runtime.Unstructured); ok {
		ub := b.(*runtime.Unstructured)
		for k, v := range ua.Content {
			if k == "status" {
				continue
			}
			if w, ok := ub.Content[k]; !ok || !reflect.DeepEqual(v, w) {
				return true
			}
		}
		for k := range ub.Content {
			if _, ok := ua.Content[k]; !ok && k != "status" {
				return true
			}
		}
		return false
	}
	s := r.shapeOf(a)
	if s == nil {
		return false
	}
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for _, i := range s.spec {
		fa, fb := va.Field(i).Addr().Interface(), vb.Field(i).Addr().Interface()
		if reflect.DeepEqual(fa, fb) {
			continue
		}
		if !jsonEqual(fa, fb) {
			return true
		}
	}
	return false
}

// jsonEqual compares two values by their JSON encoding; values that fail to encode are
// unequal.
func jsonEqual(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// copyStatus sets dst's status to src's (sharing memory: the backend copies what it stores).
// Types without a status are left alone.
func (r *Registry) copyStatus(dst, src runtime.MetaObject) {
	if ud, ok := dst.(*runtime.Unstructured); ok {
		us := src.(*runtime.Unstructured)
		st, ok := us.Content["status"]
		if !ok {
			delete(ud.Content, "status")
			return
		}
		if ud.Content == nil {
			ud.Content = map[string]any{}
		}
		ud.Content["status"] = st
		return
	}
	s := r.shapeOf(dst)
	if s == nil || s.status < 0 {
		return
	}
	reflect.ValueOf(dst).Elem().Field(s.status).Set(reflect.ValueOf(src).Elem().Field(s.status))
}

// withStatusOf returns a shallow copy of base whose status is src's: the object a status
// update writes. Nothing of it is modified in place later except scalar metadata fields.
func (r *Registry) withStatusOf(base, src runtime.MetaObject) runtime.MetaObject {
	out := shallowCopy(base)
	r.copyStatus(out, src)
	return out
}

// shallowCopy copies the top-level struct of obj (and the top-level map of an Unstructured),
// sharing everything below.
func shallowCopy(obj runtime.MetaObject) runtime.MetaObject {
	if u, ok := obj.(*runtime.Unstructured); ok {
		c := *u
		c.Content = maps.Clone(u.Content)
		return &c
	}
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return obj.DeepCopyObject().(runtime.MetaObject)
	}
	c := reflect.New(v.Type().Elem())
	c.Elem().Set(v.Elem())
	return c.Interface().(runtime.MetaObject)
}
