package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	kjson "sigs.k8s.io/json"
)

// Unstructured is an object of a kind the scheme does not know. Its apiVersion and kind live in
// TypeMeta and its metadata in a real meta.ObjectMeta, so it is a MetaObject like any typed object:
// stores, informers and label selectors handle it without special cases. Content holds every other
// top-level field ("spec", "status", "data", ...) as JSON values: map[string]any, []any, string,
// int64, float64, bool and nil.
//
// Content must not hold the keys "apiVersion", "kind" or "metadata"; they are ignored on encode.
// Metadata fields that ObjectMeta does not know are dropped on decode (a strict codec reports
// them).
type Unstructured struct {
	meta.TypeMeta
	meta.ObjectMeta
	// Content holds every top-level field other than apiVersion, kind and metadata, as decoded
	// JSON (maps, slices, strings, bools, nil and numbers).
	Content map[string]any
}

var (
	_ MetaObject       = (*Unstructured)(nil)
	_ json.Marshaler   = (*Unstructured)(nil)
	_ json.Unmarshaler = (*Unstructured)(nil)
)

func (*Unstructured) selfDescribing() {}

// DeepCopyObject returns a deep copy of u.
func (u *Unstructured) DeepCopyObject() Object {
	if u == nil {
		return nil
	}
	return u.DeepCopy()
}

// DeepCopy returns a deep copy of u: the metadata and every map and slice of Content are copied.
func (u *Unstructured) DeepCopy() *Unstructured {
	if u == nil {
		return nil
	}
	out := new(Unstructured)
	u.DeepCopyInto(out)
	return out
}

// DeepCopyInto copies u into out, sharing nothing with u.
func (u *Unstructured) DeepCopyInto(out *Unstructured) {
	out.TypeMeta = u.TypeMeta
	u.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Content = DeepCopyJSON(u.Content)
}

// reserved top-level keys that Unstructured keeps outside Content.
func isReservedKey(k string) bool { return k == "apiVersion" || k == "kind" || k == "metadata" }

// dropNullCreationTimestamp removes the `"creationTimestamp":null` that a zero ObjectMeta always
// marshals, so that an Unstructured writes back the metadata it read. The pattern cannot occur
// inside a JSON string, where every quote is escaped.
func dropNullCreationTimestamp(md []byte) []byte {
	for _, pat := range []string{`,"creationTimestamp":null`, `"creationTimestamp":null,`, `"creationTimestamp":null`} {
		if i := bytes.Index(md, []byte(pat)); i >= 0 {
			return append(md[:i:i], md[i+len(pat):]...)
		}
	}
	return md
}

// MarshalJSON writes one JSON object: apiVersion and kind when set, metadata when not empty, and
// every Content field. It has a value receiver so that Unstructured values marshal the same way
// as pointers.
func (u Unstructured) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	n := 0
	field := func(name string, raw []byte) {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		b, _ := json.Marshal(name) // a string always marshals
		buf.Write(b)
		buf.WriteByte(':')
		buf.Write(raw)
	}
	if u.APIVersion != "" {
		b, _ := json.Marshal(u.APIVersion)
		field("apiVersion", b)
	}
	if u.Kind != "" {
		b, _ := json.Marshal(u.Kind)
		field("kind", b)
	}
	md, err := json.Marshal(&u.ObjectMeta)
	if err != nil {
		return nil, fmt.Errorf("unstructured: marshal metadata: %w", err)
	}
	if u.CreationTimestamp.IsZero() {
		md = dropNullCreationTimestamp(md)
	}
	if !bytes.Equal(md, []byte("{}")) {
		field("metadata", md)
	}
	if len(u.Content) > 0 {
		content := u.Content
		for k := range content {
			if isReservedKey(k) {
				content = withoutReserved(content)
				break
			}
		}
		b, err := json.Marshal(content)
		if err != nil {
			return nil, fmt.Errorf("unstructured: marshal content: %w", err)
		}
		if len(b) > 2 { // not "{}"
			if n > 0 {
				buf.WriteByte(',')
			}
			buf.Write(b[1 : len(b)-1])
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func withoutReserved(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !isReservedKey(k) {
			out[k] = v
		}
	}
	return out
}

// UnmarshalJSON reads a JSON object leniently: apiVersion and kind must be strings, metadata must
// be an object, and every other field goes to Content.
func (u *Unstructured) UnmarshalJSON(b []byte) error {
	_, err := u.unmarshal(b, false)
	return err
}

// unmarshal reads u from b; with strict, duplicate fields anywhere and unknown metadata fields
// are returned as strict errors.
func (u *Unstructured) unmarshal(b []byte, strict bool) ([]error, error) {
	top, serrs, err := splitTop(b, strict)
	if err != nil {
		return nil, fmt.Errorf("unstructured: %w", err)
	}
	return u.fromTop(top, serrs, strict)
}

// fromTop fills u from the raw top-level fields of an object, adding to the strict errors serrs.
func (u *Unstructured) fromTop(top map[string]json.RawMessage, serrs []error, strict bool) ([]error, error) {
	*u = Unstructured{}
	if err := readTypeMeta(top, &u.TypeMeta); err != nil {
		return nil, fmt.Errorf("unstructured: %w", err)
	}
	if raw, ok := top["metadata"]; ok {
		e, err := decodeValue(raw, &u.ObjectMeta, "metadata", strict)
		if err != nil {
			return nil, fmt.Errorf("unstructured: %w", err)
		}
		serrs = append(serrs, e...)
	}
	for k, raw := range top {
		if isReservedKey(k) {
			continue
		}
		var v any
		e, err := decodeValue(raw, &v, k, strict)
		if err != nil {
			return nil, fmt.Errorf("unstructured: %w", err)
		}
		serrs = append(serrs, e...)
		if u.Content == nil {
			u.Content = make(map[string]any, len(top))
		}
		u.Content[k] = v
	}
	return serrs, nil
}

// splitTop decodes the top level of a JSON object into its raw fields.
func splitTop(b []byte, strict bool) (map[string]json.RawMessage, []error, error) {
	var top map[string]json.RawMessage
	var serrs []error
	var err error
	if strict {
		serrs, err = kjson.UnmarshalStrict(b, &top, kjson.DisallowDuplicateFields)
	} else {
		err = kjson.UnmarshalCaseSensitivePreserveInts(b, &top)
	}
	if err != nil {
		return nil, nil, err
	}
	if top == nil {
		return nil, nil, errors.New("expected a JSON object, got null")
	}
	return top, serrs, nil
}

func readTypeMeta(top map[string]json.RawMessage, tm *meta.TypeMeta) error {
	for _, f := range []struct {
		name string
		dst  *string
	}{{"apiVersion", &tm.APIVersion}, {"kind", &tm.Kind}} {
		raw, ok := top[f.name]
		if !ok || string(raw) == "null" {
			continue
		}
		if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, f.dst); err != nil {
			return fmt.Errorf("field %s must be a string: %w", f.name, err)
		}
	}
	return nil
}

// decodeValue decodes one field value, prefixing strict error paths with the field name.
func decodeValue(raw []byte, into any, name string, strict bool) ([]error, error) {
	if !strict {
		if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, into); err != nil {
			return nil, fmt.Errorf("field %s: %w", name, err)
		}
		return nil, nil
	}
	serrs, err := kjson.UnmarshalStrict(raw, into)
	if err != nil {
		return nil, fmt.Errorf("field %s: %w", name, err)
	}
	for i, e := range serrs {
		serrs[i] = prefixed(name, e)
	}
	return serrs, nil
}

// UnstructuredList is a list of a kind the scheme does not know. Items hold the objects; items
// without apiVersion or kind get the list's apiVersion and its kind without the "List" suffix on
// decode. Content holds top-level fields other than apiVersion, kind, metadata and items.
type UnstructuredList struct {
	meta.TypeMeta
	meta.ListMeta
	// Items are the objects of the list.
	Items []Unstructured
	// Content holds the top-level fields other than apiVersion, kind, metadata and items.
	Content map[string]any
}

var (
	_ ListObject       = (*UnstructuredList)(nil)
	_ json.Marshaler   = (*UnstructuredList)(nil)
	_ json.Unmarshaler = (*UnstructuredList)(nil)
)

func (*UnstructuredList) selfDescribing() {}

// DeepCopyObject returns a deep copy of l.
func (l *UnstructuredList) DeepCopyObject() Object {
	if l == nil {
		return nil
	}
	return l.DeepCopy()
}

// DeepCopy returns a deep copy of l.
func (l *UnstructuredList) DeepCopy() *UnstructuredList {
	if l == nil {
		return nil
	}
	out := new(UnstructuredList)
	l.DeepCopyInto(out)
	return out
}

// DeepCopyInto copies l into out, sharing nothing with l.
func (l *UnstructuredList) DeepCopyInto(out *UnstructuredList) {
	out.TypeMeta = l.TypeMeta
	l.ListMeta.DeepCopyInto(&out.ListMeta)
	out.Items = nil
	if l.Items != nil {
		out.Items = make([]Unstructured, len(l.Items))
		for i := range l.Items {
			l.Items[i].DeepCopyInto(&out.Items[i])
		}
	}
	out.Content = DeepCopyJSON(l.Content)
}

// MarshalJSON writes apiVersion, kind, metadata, items (always, [] when empty) and Content.
func (l UnstructuredList) MarshalJSON() ([]byte, error) {
	content := make(map[string]any, len(l.Content)+4)
	for k, v := range l.Content {
		if !isReservedKey(k) && k != "items" {
			content[k] = v
		}
	}
	items := l.Items
	if items == nil {
		items = []Unstructured{}
	}
	wire := struct {
		meta.TypeMeta `json:",inline"`
		Metadata      *meta.ListMeta `json:"metadata,omitempty"`
		Items         []Unstructured `json:"items"`
	}{TypeMeta: l.TypeMeta, Items: items}
	if l.ListMeta != (meta.ListMeta{}) {
		wire.Metadata = &l.ListMeta
	}
	b, err := json.Marshal(&wire)
	if err != nil {
		return nil, fmt.Errorf("unstructured list: %w", err)
	}
	if len(content) == 0 {
		return b, nil
	}
	rest, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("unstructured list: marshal content: %w", err)
	}
	out := make([]byte, 0, len(b)+len(rest))
	out = append(out, b[:len(b)-1]...)
	out = append(out, ',')
	out = append(out, rest[1:]...)
	return out, nil
}

// UnmarshalJSON reads a list leniently.
func (l *UnstructuredList) UnmarshalJSON(b []byte) error {
	_, err := l.unmarshal(b, false)
	return err
}

func (l *UnstructuredList) unmarshal(b []byte, strict bool) ([]error, error) {
	top, serrs, err := splitTop(b, strict)
	if err != nil {
		return nil, fmt.Errorf("unstructured list: %w", err)
	}
	return l.fromTop(top, serrs, strict)
}

// fromTop fills l from the raw top-level fields of a list, adding to the strict errors serrs.
func (l *UnstructuredList) fromTop(top map[string]json.RawMessage, serrs []error, strict bool) ([]error, error) {
	*l = UnstructuredList{}
	if err := readTypeMeta(top, &l.TypeMeta); err != nil {
		return nil, fmt.Errorf("unstructured list: %w", err)
	}
	if raw, ok := top["metadata"]; ok {
		e, err := decodeValue(raw, &l.ListMeta, "metadata", strict)
		if err != nil {
			return nil, fmt.Errorf("unstructured list: %w", err)
		}
		serrs = append(serrs, e...)
	}
	if raw, ok := top["items"]; ok {
		var items []json.RawMessage
		if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, &items); err != nil {
			return nil, fmt.Errorf("unstructured list: field items must be an array: %w", err)
		}
		itemVersion := l.APIVersion
		itemKind := strings.TrimSuffix(l.Kind, "List")
		l.Items = make([]Unstructured, len(items))
		for i, raw := range items {
			e, err := l.Items[i].unmarshal(raw, strict)
			if err != nil {
				return nil, fmt.Errorf("unstructured list: items[%d]: %w", i, err)
			}
			for _, se := range e {
				serrs = append(serrs, prefixed(fmt.Sprintf("items[%d]", i), se))
			}
			if l.Items[i].APIVersion == "" {
				l.Items[i].APIVersion = itemVersion
			}
			if l.Items[i].Kind == "" && itemKind != l.Kind {
				l.Items[i].Kind = itemKind
			}
		}
	}
	for k, raw := range top {
		if isReservedKey(k) || k == "items" {
			continue
		}
		var v any
		e, err := decodeValue(raw, &v, k, strict)
		if err != nil {
			return nil, fmt.Errorf("unstructured list: %w", err)
		}
		serrs = append(serrs, e...)
		if l.Content == nil {
			l.Content = map[string]any{}
		}
		l.Content[k] = v
	}
	return serrs, nil
}

// isUnstructuredList reports whether a document of an unknown kind should decode as a list: its
// kind ends in "List" and it has an "items" array.
func isUnstructuredList(gvk schema.GroupVersionKind, top map[string]json.RawMessage) bool {
	if _, ok := itemKind(gvk); !ok {
		return false
	}
	raw, ok := top["items"]
	raw = bytes.TrimSpace(raw)
	return ok && len(raw) > 0 && raw[0] == '['
}

// decodeUnstructured decodes a document of a kind the scheme does not know.
func (c *Codec) decodeUnstructured(j []byte, gvk schema.GroupVersionKind, path string, strict *[]error) (Object, error) {
	top, serrs, err := splitTop(j, c.opts.Strict)
	if err != nil {
		return nil, decodeErr(path, &Unstructured{}, err)
	}
	var obj Object
	if isUnstructuredList(gvk, top) {
		l := &UnstructuredList{}
		serrs, err = l.fromTop(top, serrs, c.opts.Strict)
		obj = l
	} else {
		u := &Unstructured{}
		serrs, err = u.fromTop(top, serrs, c.opts.Strict)
		obj = u
	}
	if err != nil {
		return nil, decodeErr(path, obj, err)
	}
	for _, e := range serrs {
		*strict = append(*strict, prefixed(path, e))
	}
	return obj, nil
}

// unmarshalSelf decodes into an Unstructured or UnstructuredList with the codec's strictness.
func (c *Codec) unmarshalSelf(j []byte, into interface {
	unmarshal([]byte, bool) ([]error, error)
}, path string, strict *[]error) error {
	serrs, err := into.unmarshal(j, c.opts.Strict)
	if err != nil {
		return decodeErr(path, into, err)
	}
	for _, e := range serrs {
		*strict = append(*strict, prefixed(path, e))
	}
	return nil
}
