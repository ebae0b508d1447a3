package intstr

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Type says which of the two values an IntOrString holds.
type Type int64

// The two types of IntOrString.
const (
	Int    Type = iota // IntVal is set.
	String             // StrVal is set.
)

// IntOrString is an int32 or a string. Its zero value is the integer 0.
type IntOrString struct {
	// Type says which of IntVal and StrVal holds the value.
	Type Type
	// IntVal is the value when Type is Int.
	IntVal int32
	// StrVal is the value when Type is String.
	StrVal string
}

// FromInt32 returns an IntOrString holding i.
func FromInt32(i int32) IntOrString { return IntOrString{Type: Int, IntVal: i} }

// FromInt returns an IntOrString holding i, clamped to the int32 range.
func FromInt(i int) IntOrString {
	if i > math.MaxInt32 {
		i = math.MaxInt32
	} else if i < math.MinInt32 {
		i = math.MinInt32
	}
	return FromInt32(int32(i))
}

// FromString returns an IntOrString holding s.
func FromString(s string) IntOrString { return IntOrString{Type: String, StrVal: s} }

// Parse returns an integer IntOrString when s is a decimal int32, and a string one otherwise.
func Parse(s string) IntOrString {
	if i, err := strconv.ParseInt(s, 10, 32); err == nil {
		return FromInt32(int32(i))
	}
	return FromString(s)
}

// String returns the string value, or the integer in decimal.
func (v IntOrString) String() string {
	if v.Type == String {
		return v.StrVal
	}
	return strconv.Itoa(int(v.IntVal))
}

// IntValue returns the integer value, or the string parsed as an integer (0 if it is not one).
func (v IntOrString) IntValue() int {
	if v.Type == String {
		i, _ := strconv.Atoi(v.StrVal)
		return i
	}
	return int(v.IntVal)
}

// MarshalJSON writes a JSON number or a JSON string.
func (v IntOrString) MarshalJSON() ([]byte, error) {
	switch v.Type {
	case Int:
		return strconv.AppendInt(nil, int64(v.IntVal), 10), nil
	case String:
		return json.Marshal(v.StrVal)
	default:
		return nil, fmt.Errorf("intstr: invalid type %d", v.Type)
	}
}

// UnmarshalJSON reads a JSON number (an int32) or a JSON string. null leaves the zero value.
func (v *IntOrString) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return errors.New("intstr: empty input")
	}
	if string(b) == "null" {
		*v = IntOrString{}
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("intstr: %w", err)
		}
		*v = FromString(s)
		return nil
	}
	i, err := strconv.ParseInt(string(b), 10, 32)
	if err != nil {
		return fmt.Errorf("intstr: expected an int32 or a string, got %s", truncate(b))
	}
	*v = FromInt32(int32(i))
	return nil
}

func truncate(b []byte) string {
	if len(b) > 32 {
		return string(b[:32]) + "..."
	}
	return string(b)
}

// DeepCopyInto copies v into out.
func (v *IntOrString) DeepCopyInto(out *IntOrString) { *out = *v }

// DeepCopy returns a copy of v.
func (v *IntOrString) DeepCopy() *IntOrString {
	if v == nil {
		return nil
	}
	out := *v
	return &out
}

// ScaledValue resolves v against total: an integer is returned as is; a percentage "N%" gives
// N% of total, rounded up when roundUp is set and down otherwise. Any other string is an error.
func ScaledValue(v *IntOrString, total int, roundUp bool) (int, error) {
	if v == nil {
		return 0, errors.New("intstr: nil value")
	}
	if v.Type == Int {
		return int(v.IntVal), nil
	}
	s, ok := strings.CutSuffix(v.StrVal, "%")
	if !ok {
		return 0, fmt.Errorf("intstr: %q is neither an integer nor a percentage", v.StrVal)
	}
	pct, err := strconv.Atoi(s)
	if err != nil || pct < 0 {
		return 0, fmt.Errorf("intstr: invalid percentage %q", v.StrVal)
	}
	n := int64(pct) * int64(total)
	if roundUp {
		return int((n + 99) / 100), nil
	}
	return int(n / 100), nil
}
