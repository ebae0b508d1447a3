package runtime

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	kjson "sigs.k8s.io/json"
)

// ErrFieldType is returned by the Nested helpers when a value on the path is not of the expected
// type.
var ErrFieldType = errors.New("unexpected field type")

func fieldTypeErr(fields []string, upto int, want string, got any) error {
	return fmt.Errorf("runtime: field %s: %w: want %s, got %T", strings.Join(fields[:upto+1], "."),
		ErrFieldType, want, got)
}

// NestedFieldNoCopy returns the value at the path of field names in obj without copying it. It
// reports false when a field on the path is missing, and an error when a value on the way is not a
// map.
func NestedFieldNoCopy(obj map[string]any, fields ...string) (any, bool, error) {
	var cur any = obj
	for i, f := range fields {
		m, ok := cur.(map[string]any)
		if !ok {
			if cur == nil {
				return nil, false, nil
			}
			return nil, false, fieldTypeErr(fields, i-1, "map[string]any", cur)
		}
		if cur, ok = m[f]; !ok {
			return nil, false, nil
		}
	}
	return cur, true, nil
}

// NestedField returns a deep copy of the value at the path.
func NestedField(obj map[string]any, fields ...string) (any, bool, error) {
	v, ok, err := NestedFieldNoCopy(obj, fields...)
	if !ok || err != nil {
		return nil, ok, err
	}
	return DeepCopyJSONValue(v), true, nil
}

func nestedTyped[T any](obj map[string]any, want string, fields []string) (T, bool, error) {
	var zero T
	v, ok, err := NestedFieldNoCopy(obj, fields...)
	if !ok || err != nil {
		return zero, ok, err
	}
	t, ok := v.(T)
	if !ok {
		return zero, false, fieldTypeErr(fields, len(fields)-1, want, v)
	}
	return t, true, nil
}

// NestedString returns the string at the path.
func NestedString(obj map[string]any, fields ...string) (string, bool, error) {
	return nestedTyped[string](obj, "string", fields)
}

// NestedBool returns the bool at the path.
func NestedBool(obj map[string]any, fields ...string) (bool, bool, error) {
	return nestedTyped[bool](obj, "bool", fields)
}

// NestedInt64 returns the integer at the path. Decoded JSON integers are int64.
func NestedInt64(obj map[string]any, fields ...string) (int64, bool, error) {
	return nestedTyped[int64](obj, "int64", fields)
}

// NestedFloat64 returns the number at the path as a float64; integers are converted.
func NestedFloat64(obj map[string]any, fields ...string) (float64, bool, error) {
	v, ok, err := NestedFieldNoCopy(obj, fields...)
	if !ok || err != nil {
		return 0, ok, err
	}
	switch n := v.(type) {
	case float64:
		return n, true, nil
	case int64:
		return float64(n), true, nil
	}
	return 0, false, fieldTypeErr(fields, len(fields)-1, "float64", v)
}

// NestedMap returns a deep copy of the object at the path.
func NestedMap(obj map[string]any, fields ...string) (map[string]any, bool, error) {
	m, ok, err := nestedTyped[map[string]any](obj, "map[string]any", fields)
	if !ok || err != nil {
		return nil, ok, err
	}
	return DeepCopyJSON(m), true, nil
}

// NestedSlice returns a deep copy of the array at the path.
func NestedSlice(obj map[string]any, fields ...string) ([]any, bool, error) {
	s, ok, err := nestedTyped[[]any](obj, "[]any", fields)
	if !ok || err != nil {
		return nil, ok, err
	}
	return DeepCopyJSONValue(s).([]any), true, nil
}

// NestedStringSlice returns the array of strings at the path.
func NestedStringSlice(obj map[string]any, fields ...string) ([]string, bool, error) {
	s, ok, err := nestedTyped[[]any](obj, "[]any", fields)
	if !ok || err != nil {
		return nil, ok, err
	}
	out := make([]string, len(s))
	for i, v := range s {
		str, isStr := v.(string)
		if !isStr {
			return nil, false, fmt.Errorf("runtime: field %s[%d]: %w: want string, got %T",
				strings.Join(fields, "."), i, ErrFieldType, v)
		}
		out[i] = str
	}
	return out, true, nil
}

// NestedStringMap returns the object of strings at the path.
func NestedStringMap(obj map[string]any, fields ...string) (map[string]string, bool, error) {
	m, ok, err := nestedTyped[map[string]any](obj, "map[string]any", fields)
	if !ok || err != nil {
		return nil, ok, err
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		str, isStr := v.(string)
		if !isStr {
			return nil, false, fmt.Errorf("runtime: field %s.%s: %w: want string, got %T",
				strings.Join(fields, "."), k, ErrFieldType, v)
		}
		out[k] = str
	}
	return out, true, nil
}

// SetNestedField stores value at the path, creating maps on the way. The value is converted to
// its JSON form first (a []string becomes []any, an int becomes int64, a struct becomes a map), so
// obj stays a tree of JSON values; values that cannot be converted are an error and leave obj
// unchanged. A value on the path that exists and is not a map is an error.
func SetNestedField(obj map[string]any, value any, fields ...string) error {
	if len(fields) == 0 {
		return errors.New("runtime: set nested field: empty path")
	}
	v, err := ToJSONValue(value)
	if err != nil {
		return fmt.Errorf("runtime: set nested field %s: %w", strings.Join(fields, "."), err)
	}
	m := obj
	for i, f := range fields[:len(fields)-1] {
		next, ok := m[f]
		if !ok || next == nil {
			nm := map[string]any{}
			m[f] = nm
			m = nm
			continue
		}
		nm, ok := next.(map[string]any)
		if !ok {
			return fieldTypeErr(fields, i, "map[string]any", next)
		}
		m = nm
	}
	m[fields[len(fields)-1]] = v
	return nil
}

// RemoveNestedField deletes the value at the path; a missing path is not an error.
func RemoveNestedField(obj map[string]any, fields ...string) {
	m := obj
	for _, f := range fields[:max(len(fields)-1, 0)] {
		next, ok := m[f].(map[string]any)
		if !ok {
			return
		}
		m = next
	}
	if len(fields) > 0 {
		delete(m, fields[len(fields)-1])
	}
}

// DeepCopyJSON deep-copies a JSON object.
func DeepCopyJSON(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	return DeepCopyJSONValue(m).(map[string]any)
}

// DeepCopyJSONValue deep-copies a JSON value. Maps and slices are copied recursively; values that
// are not JSON values (a caller stored a struct in the map by hand) are converted with
// ToJSONValue, and kept as they are when they cannot be converted.
func DeepCopyJSONValue(v any) any {
	switch t := v.(type) {
	case nil, string, bool, int64, float64, json.Number:
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = DeepCopyJSONValue(e)
		}
		return out
	case []any:
		if t == nil {
			return []any(nil)
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = DeepCopyJSONValue(e)
		}
		return out
	}
	if c, err := ToJSONValue(v); err == nil {
		return c
	}
	return v
}

// ToJSONValue converts a Go value to the JSON value types (map[string]any, []any, string,
// int64, float64, bool, nil). Integers that fit int64 become int64, other numbers float64;
// anything else goes through encoding/json. NaN and infinities are errors.
func ToJSONValue(v any) (any, error) {
	switch t := v.(type) {
	case nil, string, bool, int64:
		return t, nil
	case int:
		return int64(t), nil
	case int32:
		return int64(t), nil
	case int16:
		return int64(t), nil
	case int8:
		return int64(t), nil
	case uint8:
		return int64(t), nil
	case uint16:
		return int64(t), nil
	case uint32:
		return int64(t), nil
	case uint:
		if uint64(t) <= math.MaxInt64 {
			return int64(t), nil
		}
		return float64(t), nil
	case uint64:
		if t <= math.MaxInt64 {
			return int64(t), nil
		}
		return float64(t), nil
	case float32:
		return checkFloat(float64(t))
	case float64:
		return checkFloat(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			c, err := ToJSONValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		if t == nil {
			return []any(nil), nil
		}
		out := make([]any, len(t))
		for i, e := range t {
			c, err := ToJSONValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out, nil
	case map[string]string:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = e
		}
		return out, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("runtime: convert %T to a JSON value: %w", v, err)
	}
	var out any
	if err := kjson.UnmarshalCaseSensitivePreserveInts(b, &out); err != nil {
		return nil, fmt.Errorf("runtime: convert %T to a JSON value: %w", v, err)
	}
	return out, nil
}

func checkFloat(f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("runtime: convert %v to a JSON value: not a JSON number", f)
	}
	return f, nil
}
