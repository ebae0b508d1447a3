package runtime

import (
	"bytes"
	"encoding/json"
)

// RawExtension holds an embedded object whose type the enclosing type does not fix, such as the
// data of a ControllerRevision. On decode Raw holds the JSON; on encode Raw is written as is, or
// Object is marshalled when Raw is empty.
type RawExtension struct {
	// Raw is the embedded object's JSON.
	Raw []byte `json:"-"`
	// Object is the embedded object, used on encode when Raw is empty.
	Object Object `json:"-"`
}

// MarshalJSON writes Raw, or Object when Raw is empty, or null when both are empty.
func (e RawExtension) MarshalJSON() ([]byte, error) {
	if len(e.Raw) > 0 {
		return e.Raw, nil
	}
	if e.Object != nil {
		return json.Marshal(e.Object)
	}
	return []byte("null"), nil
}

// UnmarshalJSON keeps a copy of the JSON in Raw; null leaves Raw empty.
func (e *RawExtension) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		e.Raw = nil
		return nil
	}
	e.Raw = append(e.Raw[:0], b...)
	return nil
}

// DeepCopyInto copies e into out, copying Raw and deep-copying Object.
func (e *RawExtension) DeepCopyInto(out *RawExtension) {
	*out = *e
	if e.Raw != nil {
		out.Raw = append([]byte(nil), e.Raw...)
	}
	if e.Object != nil {
		out.Object = e.Object.DeepCopyObject()
	}
}

// DeepCopy returns a deep copy of e.
func (e *RawExtension) DeepCopy() *RawExtension {
	if e == nil {
		return nil
	}
	out := new(RawExtension)
	e.DeepCopyInto(out)
	return out
}
