package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// DefaultMaxSize is the decode size limit when CodecOptions.MaxSize is zero: 3 MiB, the request
// body limit of the Kubernetes API server.
const DefaultMaxSize = 3 << 20

// maxListDepth bounds how deeply "kind: List" documents may nest inside each other.
const maxListDepth = 32

// CodecOptions configures a Codec. The zero value is a lenient codec with the default size limit.
type CodecOptions struct {
	// Strict makes unknown fields (in typed objects) and duplicate fields (anywhere) errors. The
	// decoder still returns the decoded object, together with a *StrictDecodingError.
	Strict bool
	// TypedOnly makes a kind that the scheme does not know an error naming the kind, instead of
	// decoding it to *Unstructured.
	TypedOnly bool
	// MaxSize limits the bytes of one decoded document. Zero means DefaultMaxSize; negative is an
	// error. For YAML the limit applies both to the YAML and to its JSON form.
	MaxSize int64
	// Default runs the scheme's defaulting functions on every typed object decoded.
	Default bool
}

// Format is a wire format.
type Format int

// The formats a Codec speaks.
const (
	JSON Format = iota
	YAML
)

// String returns "json" or "yaml".
func (f Format) String() string {
	switch f {
	case JSON:
		return "json"
	case YAML:
		return "yaml"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// ContentType returns the media type of the format.
func (f Format) ContentType() string {
	if f == YAML {
		return "application/yaml"
	}
	return "application/json"
}

// Codec encodes and decodes objects of a scheme in one format. Field names match case-sensitively,
// as in Kubernetes. A Codec is immutable and safe for concurrent use; it holds the scheme it was
// built with and sees later registrations.
type Codec struct {
	scheme *Scheme
	opts   CodecOptions
	format Format
}

// NewCodec returns a codec of the given format over s.
func NewCodec(s *Scheme, format Format, opts CodecOptions) (*Codec, error) {
	if s == nil {
		return nil, errors.New("runtime: new codec: scheme is nil")
	}
	if format != JSON && format != YAML {
		return nil, fmt.Errorf("runtime: new codec: unknown format %v", format)
	}
	if opts.MaxSize < 0 {
		return nil, fmt.Errorf("runtime: new codec: MaxSize %d is negative", opts.MaxSize)
	}
	if opts.MaxSize == 0 {
		opts.MaxSize = DefaultMaxSize
	}
	return &Codec{scheme: s, opts: opts, format: format}, nil
}

// NewJSONCodec returns a JSON codec over s.
func NewJSONCodec(s *Scheme, opts CodecOptions) (*Codec, error) { return NewCodec(s, JSON, opts) }

// NewYAMLCodec returns a YAML codec over s.
func NewYAMLCodec(s *Scheme, opts CodecOptions) (*Codec, error) { return NewCodec(s, YAML, opts) }

// Format returns the codec's format.
func (c *Codec) Format() Format { return c.format }

// Scheme returns the codec's scheme.
func (c *Codec) Scheme() *Scheme { return c.scheme }

// Encode writes obj in the codec's format. When obj's apiVersion or kind is empty, the kind its Go
// type is registered under is written instead; obj itself is never changed, so encoding an object
// shared with other goroutines is safe. The items of a *List are encoded the same way.
func (c *Codec) Encode(obj Object) ([]byte, error) {
	b, err := c.encodeJSON(obj, 0)
	if err != nil {
		return nil, err
	}
	if c.format == YAML {
		y, err := jsonToYAML(b)
		if err != nil {
			return nil, fmt.Errorf("runtime: encode %T: %w", obj, err)
		}
		return y, nil
	}
	return b, nil
}

// EncodeTo writes obj to w in the codec's format.
func (c *Codec) EncodeTo(w io.Writer, obj Object) error {
	b, err := c.Encode(obj)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// typeFields returns the raw apiVersion and kind obj carries.
func typeFields(obj Object) (apiVersion, kind string) {
	ok := obj.GetObjectKind()
	if tm, isTM := ok.(*meta.TypeMeta); isTM {
		return tm.APIVersion, tm.Kind
	}
	return ok.GroupVersionKind().ToAPIVersionAndKind()
}

func (c *Codec) encodeJSON(obj Object, depth int) ([]byte, error) {
	if obj == nil {
		return nil, errors.New("runtime: encode: object is nil")
	}
	if l, ok := obj.(*List); ok {
		return c.encodeList(l, depth)
	}
	apiVersion, kind := typeFields(obj)
	var gvk schema.GroupVersionKind
	if apiVersion == "" || kind == "" {
		var err error
		if gvk, err = c.scheme.ObjectKind(obj); err != nil {
			return nil, fmt.Errorf("runtime: encode %T: %w", obj, err)
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("runtime: encode %v: %w", gvk, err)
	}
	if apiVersion != "" && kind != "" {
		return b, nil
	}
	if len(b) < 2 || b[0] != '{' {
		return nil, fmt.Errorf("runtime: encode %T: %w: its JSON is not an object", obj, ErrMissingKind)
	}
	// Splice the missing fields in front, in the order TypeMeta declares them.
	wantVersion, wantKind := gvk.ToAPIVersionAndKind()
	out := make([]byte, 0, len(b)+len(wantVersion)+len(wantKind)+32)
	out = append(out, '{')
	if kind == "" {
		out = append(out, `"kind":`...)
		out = strconv.AppendQuote(out, wantKind)
		out = append(out, ',')
	}
	if apiVersion == "" {
		out = append(out, `"apiVersion":`...)
		out = strconv.AppendQuote(out, wantVersion)
		out = append(out, ',')
	}
	if b[1] == '}' {
		out = out[:len(out)-1]
	}
	out = append(out, b[1:]...)
	return out, nil
}

func (c *Codec) encodeList(l *List, depth int) ([]byte, error) {
	if depth >= maxListDepth {
		return nil, fmt.Errorf("runtime: encode List: lists nested deeper than %d", maxListDepth)
	}
	wire := struct {
		meta.TypeMeta `json:",inline"`
		meta.ListMeta `json:"metadata,omitempty"`
		Items         []json.RawMessage `json:"items"`
	}{TypeMeta: l.TypeMeta, ListMeta: l.ListMeta, Items: make([]json.RawMessage, len(l.Items))}
	if wire.Kind == "" {
		wire.Kind = listGVK.Kind
	}
	if wire.APIVersion == "" {
		wire.APIVersion = listGVK.GroupVersion().String()
	}
	for i, item := range l.Items {
		b, err := c.encodeJSON(item, depth+1)
		if err != nil {
			return nil, fmt.Errorf("runtime: encode List: items[%d]: %w", i, err)
		}
		wire.Items[i] = b
	}
	b, err := json.Marshal(&wire)
	if err != nil {
		return nil, fmt.Errorf("runtime: encode List: %w", err)
	}
	return b, nil
}

// Decode reads one object. It reads apiVersion and kind first: "v1, Kind=List" decodes to *List
// with every item decoded the same way; a kind the scheme knows decodes to a new object of its Go
// type; any other kind decodes to *Unstructured (or *UnstructuredList when it has an items array
// and its kind ends in "List"), or fails with a NotRegisteredError when the codec is TypedOnly.
// A document without apiVersion or kind fails with ErrMissingKind.
//
// In strict mode, when the only problems are unknown or duplicate fields, Decode returns the
// decoded object together with a *StrictDecodingError.
func (c *Codec) Decode(data []byte) (Object, error) {
	j, strict, err := c.toJSON(data)
	if err != nil {
		return nil, err
	}
	obj, err := c.decode(j, nil, "", 0, &strict)
	if err != nil {
		return nil, err
	}
	if len(strict) > 0 {
		return obj, &StrictDecodingError{Errors: strict}
	}
	return obj, nil
}

// DecodeInto reads one object into into, which must be a pointer to a registered Go type, a
// *Unstructured, *UnstructuredList or *List. When the data carries apiVersion and kind they must
// be a kind of into's Go type. Strict mode behaves as in Decode.
func (c *Codec) DecodeInto(data []byte, into Object) error {
	if into == nil {
		return errors.New("runtime: decode into: target is nil")
	}
	j, strict, err := c.toJSON(data)
	if err != nil {
		return err
	}
	if _, err := c.decode(j, into, "", 0, &strict); err != nil {
		return err
	}
	if len(strict) > 0 {
		return &StrictDecodingError{Errors: strict}
	}
	return nil
}

// Decode reads one object of type T with c; see Codec.DecodeInto. T is a pointer type such as
// *corev1.Pod.
func Decode[T Object](c *Codec, data []byte) (T, error) {
	var zero T
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return zero, fmt.Errorf("runtime: decode: %v is not a pointer to a struct", t)
	}
	obj := reflect.New(t.Elem()).Interface().(T)
	if err := c.DecodeInto(data, obj); err != nil {
		if _, strict := AsStrictDecodingError(err); strict {
			return obj, err
		}
		return zero, err
	}
	return obj, nil
}

// toJSON checks the size limit and converts YAML to JSON. In strict mode it also reports duplicate
// YAML keys, which the JSON form no longer shows.
func (c *Codec) toJSON(data []byte) (j []byte, strict []error, err error) {
	if int64(len(data)) > c.opts.MaxSize {
		return nil, nil, &TooLargeError{Size: int64(len(data)), Limit: c.opts.MaxSize}
	}
	if c.format == JSON {
		return data, nil, nil
	}
	if err := singleDocument(data, c.opts.MaxSize); err != nil {
		return nil, nil, err
	}
	j, err = yaml.YAMLToJSON(data)
	if err != nil {
		return nil, nil, fmt.Errorf("runtime: decode: %w", err)
	}
	if int64(len(j)) > c.opts.MaxSize {
		return nil, nil, &TooLargeError{Size: int64(len(j)), Limit: c.opts.MaxSize}
	}
	if c.opts.Strict {
		strict = yamlDuplicateFields(data)
	}
	return j, strict, nil
}

// singleDocument fails when YAML data holds more than one document, which Decode would otherwise
// silently cut to the first.
func singleDocument(data []byte, limit int64) error {
	if !bytes.HasPrefix(data, []byte("---")) && !bytes.HasPrefix(data, []byte("...")) &&
		!bytes.Contains(data, []byte("\n---")) && !bytes.Contains(data, []byte("\n...")) {
		return nil
	}
	r := NewYAMLReader(bytes.NewReader(data), limit)
	for n := 0; ; n++ {
		if _, err := r.Read(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("runtime: decode: %w", err)
		}
		if n == 1 {
			return fmt.Errorf("runtime: decode: %w", ErrMultipleDocuments)
		}
	}
}

// decode decodes the JSON document j. into may be nil. path prefixes strict error paths and error
// messages ("items[3]").
func (c *Codec) decode(j []byte, into Object, path string, depth int, strict *[]error) (Object, error) {
	fail := func(format string, args ...any) error {
		if path != "" {
			return fmt.Errorf("runtime: decode %s: %w", path, fmt.Errorf(format, args...))
		}
		return fmt.Errorf("runtime: decode: %w", fmt.Errorf(format, args...))
	}
	apiVersion, kind, err := probeTypeFields(j)
	if err != nil {
		return nil, fail("%w", err)
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, fail("%w", err)
	}
	gvk := gv.WithKind(kind)
	haveKind := gvk.Version != "" && gvk.Kind != ""

	if into == nil {
		if !haveKind {
			return nil, fail("%w (apiVersion %q, kind %q)", ErrMissingKind, apiVersion, kind)
		}
		switch {
		case gvk == listGVK:
			into = &List{}
		case c.scheme.Recognizes(gvk):
			if into, err = c.scheme.New(gvk); err != nil {
				return nil, fail("%w", err)
			}
		case c.opts.TypedOnly:
			return nil, fail("%w", &NotRegisteredError{Op: "decode", GVK: gvk})
		default:
			into = nil // unstructured, below
		}
	} else if haveKind {
		if err := c.checkInto(gvk, into); err != nil {
			return nil, fail("%w", err)
		}
	}

	switch t := into.(type) {
	case *List:
		if err := c.decodeList(j, t, path, depth, strict); err != nil {
			return nil, err
		}
		return t, nil
	case nil:
		return c.decodeUnstructured(j, gvk, path, strict)
	case *Unstructured:
		if err := c.unmarshalSelf(j, t, path, strict); err != nil {
			return nil, err
		}
		return t, nil
	case *UnstructuredList:
		if err := c.unmarshalSelf(j, t, path, strict); err != nil {
			return nil, err
		}
		return t, nil
	}
	if err := c.unmarshal(j, into, path, strict); err != nil {
		return nil, err
	}
	if c.opts.Default {
		c.scheme.Default(into)
	}
	return into, nil
}

// checkInto verifies that the kind in the data fits the target object.
func (c *Codec) checkInto(gvk schema.GroupVersionKind, into Object) error {
	switch into.(type) {
	case *Unstructured, *UnstructuredList:
		return nil
	case *List:
		if gvk != listGVK {
			return fmt.Errorf("data is of kind %v, not %v", gvk, listGVK)
		}
		return nil
	}
	gvks, err := c.scheme.ObjectKinds(into)
	if err != nil {
		return err
	}
	if !slices.Contains(gvks, gvk) {
		return fmt.Errorf("data is of kind %v, not a kind of %T", gvk, into)
	}
	return nil
}

func (c *Codec) unmarshal(j []byte, into any, path string, strict *[]error) error {
	if !c.opts.Strict {
		if err := kjson.UnmarshalCaseSensitivePreserveInts(j, into); err != nil {
			return decodeErr(path, into, err)
		}
		return nil
	}
	serrs, err := kjson.UnmarshalStrict(j, into)
	if err != nil {
		return decodeErr(path, into, err)
	}
	for _, e := range serrs {
		*strict = append(*strict, prefixed(path, e))
	}
	return nil
}

func decodeErr(path string, into any, err error) error {
	if path != "" {
		return fmt.Errorf("runtime: decode %s into %T: %w", path, into, err)
	}
	return fmt.Errorf("runtime: decode into %T: %w", into, err)
}

// prefixed puts path in front of the field path of a strict error.
func prefixed(path string, err error) error {
	if path == "" {
		return err
	}
	var fe kjson.FieldError
	if errors.As(err, &fe) {
		if p := fe.FieldPath(); p != "" {
			fe.SetFieldPath(path + "." + p)
		} else {
			fe.SetFieldPath(path)
		}
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

func (c *Codec) decodeList(j []byte, l *List, path string, depth int, strict *[]error) error {
	if depth >= maxListDepth {
		return fmt.Errorf("runtime: decode %s: lists nested deeper than %d", path, maxListDepth)
	}
	var wire struct {
		meta.TypeMeta `json:",inline"`
		meta.ListMeta `json:"metadata,omitempty"`
		Items         []json.RawMessage `json:"items"`
	}
	if err := c.unmarshal(j, &wire, path, strict); err != nil {
		return err
	}
	l.TypeMeta, l.ListMeta = wire.TypeMeta, wire.ListMeta
	l.Items = make([]Object, 0, len(wire.Items))
	for i, raw := range wire.Items {
		p := "items[" + strconv.Itoa(i) + "]"
		if path != "" {
			p = path + "." + p
		}
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			return fmt.Errorf("runtime: decode %s: item is null", p)
		}
		obj, err := c.decode(raw, nil, p, depth+1, strict)
		if err != nil {
			return err
		}
		l.Items = append(l.Items, obj)
	}
	return nil
}
