package patch

import (
	"encoding/json"
	"reflect"
	"strings"
)

// schema describes the Go type behind a JSON value, as far as strategic merge needs it. A nil
// *schema means "unknown" (an interface, a raw JSON field or a key the type does not have): maps
// are then merged key by key and lists replaced, like a JSON merge patch.
type schema struct {
	t reflect.Type // dereferenced; kind Struct, Map, Slice or a scalar
}

// fieldInfo is what the tags of one struct field say.
type fieldInfo struct {
	schema     *schema
	merge      bool   // patchStrategy contains "merge"
	retainKeys bool   // patchStrategy contains "retainKeys"
	replace    bool   // patchStrategy contains "replace": maps are replaced, not merged
	mergeKey   string // patchMergeKey
}

var rawMessageType = reflect.TypeOf(json.RawMessage(nil))

func schemaOf(t reflect.Type) *schema {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface || t == rawMessageType {
		return nil
	}
	return &schema{t: t}
}

// field returns the tags and type of the JSON member name of a struct, a map's element, or
// nothing for other kinds and unknown members.
func (s *schema) field(name string) fieldInfo {
	if s == nil {
		return fieldInfo{}
	}
	switch s.t.Kind() {
	case reflect.Map:
		return fieldInfo{schema: schemaOf(s.t.Elem())}
	case reflect.Struct:
		if f, ok := structField(s.t, name, 0); ok {
			return f
		}
	}
	return fieldInfo{}
}

// elem returns the schema of a slice's elements.
func (s *schema) elem() *schema {
	if s == nil || (s.t.Kind() != reflect.Slice && s.t.Kind() != reflect.Array) {
		return nil
	}
	return schemaOf(s.t.Elem())
}

// isStruct reports whether the value is a JSON object described by a Go struct (one that does
// not marshal itself to a scalar such as a Time or a Quantity).
func (s *schema) isStruct() bool { return s != nil && s.t.Kind() == reflect.Struct }

func structField(t reflect.Type, name string, depth int) (fieldInfo, bool) {
	if depth > 8 {
		return fieldInfo{}, false
	}
	var inlined []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		jsonName, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && (jsonName == "" || strings.Contains(","+opts+",", ",inline,")) {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				inlined = append(inlined, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if jsonName == "" {
			jsonName = f.Name
		}
		if jsonName != name {
			continue
		}
		info := fieldInfo{schema: schemaOf(f.Type), mergeKey: f.Tag.Get("patchMergeKey")}
		for _, st := range strings.Split(f.Tag.Get("patchStrategy"), ",") {
			switch st {
			case "merge":
				info.merge = true
			case "retainKeys":
				info.retainKeys = true
			case "replace":
				info.replace = true
			}
		}
		return info, true
	}
	for _, it := range inlined {
		if f, ok := structField(it, name, depth+1); ok {
			return f, true
		}
	}
	return fieldInfo{}, false
}
