package runtime

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// YAMLReader splits a YAML stream into its documents. A document ends at a line that starts, in
// column 0, with the marker "---" followed by the end of the line, a space or a tab, or with the
// end marker "...". Markers indented or inside a line ("key: |" block scalars, whose content is
// always indented) never split. Text after "--- " on the marker line ("--- |" or "--- !tag")
// stays with the document it starts. Documents holding only blank lines, comments and directives
// are skipped; directives ("%YAML 1.2") stay with the document that follows them. A UTF-8 byte
// order mark at the start is dropped and CRLF line ends are accepted.
//
// A YAMLReader is not safe for concurrent use.
type YAMLReader struct {
	r     *bufio.Reader
	limit int64
	err   error
	// next is the start of the following document, seen while finishing the current one.
	next    []byte
	started bool
}

// NewYAMLReader returns a reader of the documents in r. A document longer than maxSize bytes
// fails with a *TooLargeError; zero means DefaultMaxSize.
func NewYAMLReader(r io.Reader, maxSize int64) *YAMLReader {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	return &YAMLReader{r: bufio.NewReader(r), limit: maxSize}
}

// lineKind classifies one line of YAML at the document level.
type lineKind int

const (
	lineText      lineKind = iota
	lineEmpty              // blank or a comment
	lineDirective          // %YAML, %TAG
	lineStart              // "---" marker
	lineEnd                // "..." marker
)

func classify(line []byte) (lineKind, []byte) {
	l := bytes.TrimRight(line, "\r\n")
	if marker := func(m string) bool {
		return bytes.HasPrefix(l, []byte(m)) && (len(l) == 3 || l[3] == ' ' || l[3] == '\t')
	}; marker("---") {
		return lineStart, bytes.TrimSpace(l[3:])
	} else if marker("...") {
		return lineEnd, nil
	}
	if len(l) > 0 && l[0] == '%' {
		return lineDirective, nil
	}
	t := bytes.TrimLeft(l, " \t")
	if len(t) == 0 || t[0] == '#' {
		return lineEmpty, nil
	}
	return lineText, nil
}

// readLine reads one line with its line end, or a *TooLargeError when it alone exceeds room.
// Marker lines do not count towards a document's size, so a whole line may be read before the
// document's size is checked: a reader holds at most twice its limit.
func (y *YAMLReader) readLine(room int64) ([]byte, error) {
	var line []byte
	for {
		frag, err := y.r.ReadSlice('\n')
		if int64(len(line)+len(frag)) > room {
			return nil, &TooLargeError{Size: int64(len(line) + len(frag)), Limit: y.limit}
		}
		line = append(line, frag...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, err
	}
}

// Read returns the next document, without its "---" marker line unless the marker carries text.
// It returns io.EOF after the last document. Errors are sticky: every later call returns them
// again.
func (y *YAMLReader) Read() ([]byte, error) {
	if y.err != nil {
		return nil, y.err
	}
	doc := y.next
	y.next = nil
	hasText := len(doc) > 0 // only ever a marker line with text
	hasDirective := false
	for {
		line, err := y.readLine(y.limit)
		if err != nil && !errors.Is(err, io.EOF) {
			if !errors.Is(err, ErrTooLarge) {
				err = fmt.Errorf("runtime: read yaml: %w", err)
			}
			y.err = err
			return nil, err
		}
		if !y.started {
			y.started = true
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		kind, rest := classify(line)
		switch kind {
		case lineStart:
			carry := len(rest) > 0 && rest[0] != '#'
			if hasText {
				if carry {
					y.next = line
				}
				return doc, nil
			}
			switch {
			case hasDirective:
				// Directives belong to the document this marker starts: keep both.
				doc = append(doc, line...)
			case carry:
				doc = append(doc[:0], line...)
			default:
				doc = doc[:0]
			}
			hasText = carry
		case lineEnd:
			if hasText {
				return doc, nil
			}
			doc, hasDirective = doc[:0], false
		case lineDirective:
			hasDirective = hasDirective || !hasText
			doc = append(doc, line...)
		case lineText:
			hasText = true
			doc = append(doc, line...)
		default:
			doc = append(doc, line...)
		}
		if int64(len(doc)) > y.limit {
			y.err = &TooLargeError{Size: int64(len(doc)), Limit: y.limit}
			return nil, y.err
		}
		if errors.Is(err, io.EOF) {
			y.err = io.EOF
			if hasText {
				return doc, nil
			}
			return nil, io.EOF
		}
	}
}

// JSONReader splits a stream of JSON objects or arrays (concatenated or separated by whitespace)
// into its values, without parsing them beyond strings and brackets. A value longer than the limit
// fails with a *TooLargeError. A JSONReader is not safe for concurrent use.
type JSONReader struct {
	r     *bufio.Reader
	limit int64
	err   error
}

// NewJSONReader returns a reader of the JSON values in r; zero maxSize means DefaultMaxSize.
func NewJSONReader(r io.Reader, maxSize int64) *JSONReader {
	if maxSize <= 0 {
		maxSize = DefaultMaxSize
	}
	return &JSONReader{r: bufio.NewReader(r), limit: maxSize}
}

// Read returns the next value, or io.EOF after the last. A value that is not an object or array,
// or that the input cuts short, is an error; errors are sticky.
func (j *JSONReader) Read() ([]byte, error) {
	if j.err != nil {
		return nil, j.err
	}
	b, err := j.read()
	if err != nil {
		j.err = err
	}
	return b, err
}

func (j *JSONReader) read() ([]byte, error) {
	var c byte
	var err error
	for {
		if c, err = j.r.ReadByte(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("runtime: read json: %w", err)
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			break
		}
	}
	if c != '{' && c != '[' {
		return nil, fmt.Errorf("runtime: read json: expected an object or array, found %q", c)
	}
	out := []byte{c}
	depth := 1
	inString, escaped := false, false
	for depth > 0 {
		if int64(len(out)) >= j.limit {
			return nil, &TooLargeError{Size: int64(len(out)) + 1, Limit: j.limit}
		}
		if c, err = j.r.ReadByte(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("runtime: read json: %w", io.ErrUnexpectedEOF)
			}
			return nil, fmt.Errorf("runtime: read json: %w", err)
		}
		out = append(out, c)
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	return out, nil
}

// Decoder decodes a stream of documents with a Codec: YAML documents separated by "---" for a YAML
// codec, concatenated JSON objects for a JSON codec. Not safe for concurrent use.
type Decoder struct {
	codec *Codec
	read  func() ([]byte, error)
}

// NewDecoder returns a stream decoder over r. Each document is subject to the codec's size limit.
func (c *Codec) NewDecoder(r io.Reader) *Decoder {
	d := &Decoder{codec: c}
	if c.format == YAML {
		d.read = NewYAMLReader(r, c.opts.MaxSize).Read
	} else {
		d.read = NewJSONReader(r, c.opts.MaxSize).Read
	}
	return d
}

// Decode returns the next object, or io.EOF after the last. An error in one document's content
// (a bad field, an unknown kind) is returned for that document and decoding goes on with the next;
// errors of the stream itself (a document over the size limit, a read error) end it. Strict
// decoding problems come with the object, as in Codec.Decode.
func (d *Decoder) Decode() (Object, error) {
	doc, err := d.read()
	if err != nil {
		return nil, err
	}
	return d.codec.Decode(doc)
}

// DecodeAll decodes every document of data and returns the objects in order. It stops at the
// first error, strict errors included, and returns the objects decoded before it.
func (c *Codec) DecodeAll(data []byte) ([]Object, error) {
	d := c.NewDecoder(bytes.NewReader(data))
	var out []Object
	for i := 0; ; i++ {
		obj, err := d.Decode()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("runtime: decode document %d: %w", i, err)
		}
		out = append(out, obj)
	}
}
