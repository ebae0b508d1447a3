package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Sentinel errors of the scheme and the codecs. Every error these packages return for one of these
// conditions matches the sentinel with errors.Is.
var (
	// ErrNotRegistered: a kind, Go type or resource the scheme does not know.
	ErrNotRegistered = errors.New("not registered")
	// ErrInvalidRegistration: a registration call with bad arguments, or one that conflicts with an
	// earlier registration.
	ErrInvalidRegistration = errors.New("invalid registration")
	// ErrAmbiguousResource: a resource name that matches resources in more than one group.
	ErrAmbiguousResource = errors.New("ambiguous resource")
	// ErrMissingKind: a document without apiVersion or kind where one is required.
	ErrMissingKind = errors.New("missing apiVersion or kind")
	// ErrTooLarge: input larger than the codec's size limit.
	ErrTooLarge = errors.New("input too large")
	// ErrMultipleDocuments: Decode was given a YAML stream of several documents; read streams with
	// Codec.NewDecoder or Codec.DecodeAll.
	ErrMultipleDocuments = errors.New("more than one YAML document; decode streams with NewDecoder or DecodeAll")
	// ErrStrictDecoding: unknown or duplicate fields seen by a strict decoder.
	ErrStrictDecoding = errors.New("strict decoding error")
)

// NotRegisteredError says which kind, Go type or resource name was not found. It matches
// ErrNotRegistered with errors.Is.
type NotRegisteredError struct {
	// Op is the operation that failed, such as "new" or "resource for".
	Op string
	// GVK is set when a kind was looked up.
	GVK schema.GroupVersionKind
	// Type is set when a Go type was looked up.
	Type reflect.Type
	// Resource is set when a resource name was looked up.
	Resource string
}

// Error describes the failure.
func (e *NotRegisteredError) Error() string {
	switch {
	case e.Type != nil:
		return fmt.Sprintf("runtime: %s: Go type %v is %v in the scheme", e.Op, e.Type, ErrNotRegistered)
	case e.Resource != "":
		return fmt.Sprintf("runtime: %s: resource %q is %v in the scheme", e.Op, e.Resource, ErrNotRegistered)
	default:
		return fmt.Sprintf("runtime: %s: kind %q of version %q is %v in the scheme", e.Op, e.GVK.Kind,
			e.GVK.GroupVersion().String(), ErrNotRegistered)
	}
}

// Is makes errors.Is(err, ErrNotRegistered) true.
func (e *NotRegisteredError) Is(target error) bool { return target == ErrNotRegistered }

// IsNotRegistered reports whether err, or an error it wraps, is ErrNotRegistered.
func IsNotRegistered(err error) bool { return errors.Is(err, ErrNotRegistered) }

// AmbiguousResourceError lists the resources a short or partial name matched in different groups.
// It matches ErrAmbiguousResource with errors.Is.
type AmbiguousResourceError struct {
	// Name is the name that was looked up.
	Name string
	// Matches are the resources it matched, in the scheme's order.
	Matches []schema.GroupVersionResource
}

// Error describes the failure.
func (e *AmbiguousResourceError) Error() string {
	parts := make([]string, len(e.Matches))
	for i, m := range e.Matches {
		parts[i] = m.GroupResource().String()
	}
	return fmt.Sprintf("runtime: resource for %q: %v: matches %s", e.Name, ErrAmbiguousResource,
		strings.Join(parts, ", "))
}

// Is makes errors.Is(err, ErrAmbiguousResource) true.
func (e *AmbiguousResourceError) Is(target error) bool { return target == ErrAmbiguousResource }

// TooLargeError is returned when the input exceeds a size limit. It matches ErrTooLarge.
type TooLargeError struct {
	// Size is the size seen, which may be a lower bound when reading a stream.
	Size int64
	// Limit is the limit in force.
	Limit int64
}

// Error describes the failure.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("runtime: decode: %v: %d bytes exceed the limit of %d bytes", ErrTooLarge, e.Size, e.Limit)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// StrictDecodingError lists every unknown or duplicate field a strict decoder found. Each entry
// names the field by its JSON path (`unknown field "spec.containers[0].imagePullPolicyy"`). The
// object was still decoded: a decoder returns it together with this error so that a caller can
// downgrade the problems to warnings. It matches ErrStrictDecoding.
type StrictDecodingError struct {
	// Errors has one error per unknown or duplicate field, in document order.
	Errors []error
}

// Error describes the failure.
func (e *StrictDecodingError) Error() string {
	var b strings.Builder
	b.WriteString("runtime: ")
	b.WriteString(ErrStrictDecoding.Error())
	b.WriteString(": ")
	for i, err := range e.Errors {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrStrictDecoding) true.
func (e *StrictDecodingError) Is(target error) bool { return target == ErrStrictDecoding }

// Unwrap gives errors.Is/As access to each strict problem.
func (e *StrictDecodingError) Unwrap() []error { return e.Errors }

// AsStrictDecodingError returns the StrictDecodingError in err's chain, if any.
func AsStrictDecodingError(err error) (*StrictDecodingError, bool) {
	var se *StrictDecodingError
	ok := errors.As(err, &se)
	return se, ok
}
