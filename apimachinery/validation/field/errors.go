package field

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// ErrorType says why a field is invalid. Its values are the wire strings Kubernetes puts in the
// "reason" of a Status cause (metav1.CauseType), so they can be copied there unchanged.
type ErrorType string

// The error types, with the wire strings Kubernetes uses.
const (
	// ErrorTypeNotFound reports that a value the field refers to does not exist. See NotFound.
	ErrorTypeNotFound ErrorType = "FieldValueNotFound"
	// ErrorTypeRequired reports a required value that is missing (empty string, null, empty list).
	// See Required.
	ErrorTypeRequired ErrorType = "FieldValueRequired"
	// ErrorTypeDuplicate reports a value that must be unique but is not. See Duplicate.
	ErrorTypeDuplicate ErrorType = "FieldValueDuplicate"
	// ErrorTypeInvalid reports a malformed value (bad syntax, out of range). See Invalid.
	ErrorTypeInvalid ErrorType = "FieldValueInvalid"
	// ErrorTypeNotSupported reports a value outside an enumeration. See NotSupported.
	ErrorTypeNotSupported ErrorType = "FieldValueNotSupported"
	// ErrorTypeForbidden reports a well-formed value that is not allowed here (policy,
	// immutability). See Forbidden.
	ErrorTypeForbidden ErrorType = "FieldValueForbidden"
	// ErrorTypeTooLong reports a value that is too long; the message omits the value. See TooLong.
	ErrorTypeTooLong ErrorType = "FieldValueTooLong"
	// ErrorTypeTooMany reports a list with too many items. See TooMany.
	ErrorTypeTooMany ErrorType = "FieldValueTooMany"
	// ErrorTypeInternal reports a failure unrelated to the user's input. See InternalError.
	ErrorTypeInternal ErrorType = "InternalError"
	// ErrorTypeTypeInvalid reports a value of the wrong type for the field's schema. See
	// TypeInvalid.
	ErrorTypeTypeInvalid ErrorType = "FieldValueTypeInvalid"
)

// String returns the human-readable phrase Kubernetes prints for the type ("Required value").
// An unknown type prints as its raw string.
func (t ErrorType) String() string {
	switch t {
	case ErrorTypeNotFound:
		return "Not found"
	case ErrorTypeRequired:
		return "Required value"
	case ErrorTypeDuplicate:
		return "Duplicate value"
	case ErrorTypeInvalid, ErrorTypeTypeInvalid:
		return "Invalid value"
	case ErrorTypeNotSupported:
		return "Unsupported value"
	case ErrorTypeForbidden:
		return "Forbidden"
	case ErrorTypeTooLong:
		return "Too long"
	case ErrorTypeTooMany:
		return "Too many"
	case ErrorTypeInternal:
		return "Internal error"
	default:
		return string(t)
	}
}

// Error is one field-level validation failure. It is a plain value: construct it with the
// functions of this package (Required, Invalid, ...) and read its fields freely.
//
// Error works with the errors package: errors.As(err, &fieldErr) finds it inside an Aggregate
// or a wrapped error, and errors.Is(err, &Error{Type: ErrorTypeRequired}) is true for any
// Error of that type (see Is).
type Error struct {
	// Type is why the field is invalid.
	Type ErrorType
	// Field is the rendered path of the field ("spec.containers[0].image").
	Field string
	// BadValue is the offending value, printed in the message for the types that show it.
	// The value OmitValue hides it.
	BadValue any
	// Detail explains the failure in lowercase words; it may be empty.
	Detail string
}

// OmitValueType is the type of OmitValue. It has a single value, so OmitValue cannot be changed
// to mean anything else.
type OmitValueType struct{}

// OmitValue, used as a BadValue, keeps the value out of the message.
var OmitValue = OmitValueType{}

// Error returns "<field>: <body>", for example "spec.containers[0].image: Required value".
func (e *Error) Error() string {
	return e.Field + ": " + e.ErrorBody()
}

// ErrorBody returns the message without the field, as Kubernetes puts it in a Status cause:
// the type's phrase, then ": <value>" for types that show the value, then ": <detail>" when the
// detail is not empty. Strings are quoted, numbers and booleans printed plainly, values with a
// String method printed through it, nil and nil pointers as null.
func (e *Error) ErrorBody() string {
	var b strings.Builder
	b.WriteString(e.Type.String())
	switch e.Type {
	case ErrorTypeRequired, ErrorTypeForbidden, ErrorTypeTooLong, ErrorTypeInternal:
	default:
		if _, omit := e.BadValue.(OmitValueType); !omit {
			b.WriteString(": ")
			b.WriteString(formatValue(e.BadValue))
		}
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// formatValue prints a bad value the way Kubernetes does.
func formatValue(v any) string {
	if v == nil {
		return "null"
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "null"
		}
		if s, ok := v.(fmt.Stringer); ok {
			return s.String()
		}
		v = rv.Elem().Interface()
	} else if _, ok := v.(fmt.Stringer); !ok {
		// A value whose pointer has the String method still prints through it.
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		if s, ok := p.Interface().(fmt.Stringer); ok {
			return s.String()
		}
	}
	switch t := v.(type) {
	case string:
		return strconv.Quote(t)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, bool:
		return fmt.Sprint(t)
	case fmt.Stringer:
		return t.String()
	default:
		return fmt.Sprintf("%#v", t)
	}
}

// Is reports whether target is an *Error of the same Type whose Field is empty or equal to e's.
// It lets callers test for a kind of failure without comparing messages:
//
//	errors.Is(err, &field.Error{Type: field.ErrorTypeRequired})
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t == nil {
		return false
	}
	return t.Type == e.Type && (t.Field == "" || t.Field == e.Field)
}

// NotFound returns an error saying that value, referred to by the field, does not exist.
func NotFound(path *Path, value any) *Error {
	return &Error{Type: ErrorTypeNotFound, Field: path.String(), BadValue: value}
}

// Required returns an error saying that the field must be set. detail may be empty.
func Required(path *Path, detail string) *Error {
	return &Error{Type: ErrorTypeRequired, Field: path.String(), BadValue: "", Detail: detail}
}

// Duplicate returns an error saying that value occurs more than once where it must be unique.
func Duplicate(path *Path, value any) *Error {
	return &Error{Type: ErrorTypeDuplicate, Field: path.String(), BadValue: value}
}

// Invalid returns an error saying that value is malformed; detail says why.
func Invalid(path *Path, value any, detail string) *Error {
	return &Error{Type: ErrorTypeInvalid, Field: path.String(), BadValue: value, Detail: detail}
}

// NotSupported returns an error saying that value is not one of validValues; the detail lists
// them quoted: `supported values: "Always", "Never"`.
func NotSupported(path *Path, value any, validValues []string) *Error {
	detail := ""
	if len(validValues) > 0 {
		q := make([]string, len(validValues))
		for i, v := range validValues {
			q[i] = strconv.Quote(v)
		}
		detail = "supported values: " + strings.Join(q, ", ")
	}
	return &Error{Type: ErrorTypeNotSupported, Field: path.String(), BadValue: value, Detail: detail}
}

// Forbidden returns an error saying that the field may not be set or changed here; detail
// says why.
func Forbidden(path *Path, detail string) *Error {
	return &Error{Type: ErrorTypeForbidden, Field: path.String(), BadValue: "", Detail: detail}
}

// TooLong returns an error saying that value is longer than maxLength bytes. The message does
// not repeat the value. A negative maxLength leaves the limit out of the message.
func TooLong(path *Path, value any, maxLength int) *Error {
	detail := "value is too long"
	if maxLength >= 0 {
		detail = fmt.Sprintf("must have at most %d bytes", maxLength)
	}
	return &Error{Type: ErrorTypeTooLong, Field: path.String(), BadValue: value, Detail: detail}
}

// TooMany returns an error saying that a list has actual items where at most maxQuantity are
// allowed. A negative actual leaves the count out of the message, a negative maxQuantity the
// limit.
func TooMany(path *Path, actual, maxQuantity int) *Error {
	detail := "has too many items"
	if maxQuantity >= 0 {
		detail = fmt.Sprintf("must have at most %d items", maxQuantity)
	}
	var bad any = OmitValue
	if actual >= 0 {
		bad = actual
	}
	return &Error{Type: ErrorTypeTooMany, Field: path.String(), BadValue: bad, Detail: detail}
}

// InternalError returns an error saying that validating the field failed for a reason unrelated
// to the input; err's message becomes the detail. A nil err gives the detail "unknown error".
func InternalError(path *Path, err error) *Error {
	detail := "unknown error"
	if err != nil {
		detail = err.Error()
	}
	return &Error{Type: ErrorTypeInternal, Field: path.String(), Detail: detail}
}

// TypeInvalid returns an error saying that value has the wrong type for the field.
func TypeInvalid(path *Path, value any, detail string) *Error {
	return &Error{Type: ErrorTypeTypeInvalid, Field: path.String(), BadValue: value, Detail: detail}
}
