package meta

import (
	"encoding/json"
	"fmt"
	"time"
)

// RFC3339Micro is the layout of MicroTime on the wire.
const RFC3339Micro = "2006-01-02T15:04:05.000000Z07:00"

// Time is a time.Time that travels as RFC 3339 in UTC with second precision, and as null when
// zero, as Kubernetes writes it.
type Time struct {
	time.Time
}

// NewTime wraps t.
func NewTime(t time.Time) Time { return Time{t} }

// DeepCopyInto copies t into out; time.Time is a value, so this is an assignment.
func (t *Time) DeepCopyInto(out *Time) { *out = *t }

// DeepCopy returns a copy of t.
func (t *Time) DeepCopy() *Time {
	if t == nil {
		return nil
	}
	out := *t
	return &out
}

// IsZero reports whether t is nil or the zero time.
func (t *Time) IsZero() bool { return t == nil || t.Time.IsZero() }

// Equal reports whether t and u are the same instant at second precision; nil equals zero.
func (t *Time) Equal(u *Time) bool {
	if t.IsZero() || u.IsZero() {
		return t.IsZero() && u.IsZero()
	}
	return t.Time.Truncate(time.Second).Equal(u.Time.Truncate(time.Second))
}

// Before reports whether t is before u.
func (t *Time) Before(u *Time) bool {
	if t == nil || u == nil {
		return false
	}
	return t.Time.Before(u.Time)
}

// MarshalJSON writes null for the zero time and RFC 3339 in UTC otherwise. A time whose UTC year
// is outside 0..9999 has no RFC 3339 form and is an error.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.Time.IsZero() {
		return []byte("null"), nil
	}
	if err := checkYear("time", t.Time); err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(time.RFC3339)+2)
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339)
	b = append(b, '"')
	return b, nil
}

// UnmarshalJSON reads null (the zero time) or an RFC 3339 string.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("time: expected an RFC 3339 string or null: %w", err)
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	pt, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("time: %w", err)
	}
	if err := checkYear("time", pt); err != nil {
		return err
	}
	t.Time = pt.Local()
	return nil
}

// MarshalText allows Time as a map key and in text encodings.
func (t Time) MarshalText() ([]byte, error) {
	if t.Time.IsZero() {
		return nil, nil
	}
	return t.UTC().AppendFormat(nil, time.RFC3339), nil
}

// MicroTime is a time.Time that travels with microsecond precision (events, leases).
type MicroTime struct {
	time.Time
}

// NewMicroTime wraps t.
func NewMicroTime(t time.Time) MicroTime { return MicroTime{t} }

// DeepCopyInto copies t into out.
func (t *MicroTime) DeepCopyInto(out *MicroTime) { *out = *t }

// DeepCopy returns a copy of t.
func (t *MicroTime) DeepCopy() *MicroTime {
	if t == nil {
		return nil
	}
	out := *t
	return &out
}

// IsZero reports whether t is nil or the zero time.
func (t *MicroTime) IsZero() bool { return t == nil || t.Time.IsZero() }

// MarshalJSON writes null for the zero time and RFC 3339 with microseconds in UTC otherwise. A
// time whose UTC year is outside 0..9999 is an error.
func (t MicroTime) MarshalJSON() ([]byte, error) {
	if t.Time.IsZero() {
		return []byte("null"), nil
	}
	if err := checkYear("microtime", t.Time); err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(RFC3339Micro)+2)
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, RFC3339Micro)
	b = append(b, '"')
	return b, nil
}

// UnmarshalJSON reads null or an RFC 3339 string with optional fractional seconds.
func (t *MicroTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("microtime: expected an RFC 3339 string or null: %w", err)
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	pt, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("microtime: %w", err)
	}
	if err := checkYear("microtime", pt); err != nil {
		return err
	}
	t.Time = pt.Local()
	return nil
}

// checkYear rejects times that RFC 3339 cannot write in UTC: an offset can push a year-9999 or
// year-0 time past the four-digit range, and what we accepted we must be able to write back.
func checkYear(op string, t time.Time) error {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("%s: year %d in UTC is outside the RFC 3339 range 0..9999", op, y)
	}
	return nil
}
