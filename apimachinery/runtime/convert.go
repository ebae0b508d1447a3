package runtime

import (
	"encoding/json"
	"fmt"

	kjson "sigs.k8s.io/json"
)

// ToUnstructured converts a typed object to an Unstructured holding the same JSON, with apiVersion
// and kind filled from the scheme when obj leaves them empty. An *Unstructured is deep-copied.
// obj is not changed.
func (s *Scheme) ToUnstructured(obj Object) (*Unstructured, error) {
	if u, ok := obj.(*Unstructured); ok {
		return u.DeepCopy(), nil
	}
	gvk, err := s.ObjectKind(obj)
	if err != nil {
		return nil, fmt.Errorf("runtime: to unstructured: %w", err)
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("runtime: to unstructured %v: %w", gvk, err)
	}
	u := &Unstructured{}
	if _, err := u.unmarshal(b, false); err != nil {
		return nil, fmt.Errorf("runtime: to unstructured %v: %w", gvk, err)
	}
	if u.APIVersion == "" || u.Kind == "" {
		u.SetGroupVersionKind(gvk)
	}
	return u, nil
}

// FromUnstructured converts u to a new object of the Go type registered for its kind. Fields the
// type does not have are dropped; use a strict Codec to detect them. u is not changed.
func (s *Scheme) FromUnstructured(u *Unstructured) (Object, error) {
	gvk := u.GroupVersionKind()
	obj, err := s.New(gvk)
	if err != nil {
		return nil, fmt.Errorf("runtime: from unstructured: %w", err)
	}
	b, err := json.Marshal(u)
	if err != nil {
		return nil, fmt.Errorf("runtime: from unstructured %v: %w", gvk, err)
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(b, obj); err != nil {
		return nil, fmt.Errorf("runtime: from unstructured %v: %w", gvk, err)
	}
	return obj, nil
}
