package runtime_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/runtime"
)

func readAllYAML(t *testing.T, in string, limit int64) ([]string, error) {
	t.Helper()
	r := runtime.NewYAMLReader(iotest.OneByteReader(strings.NewReader(in)), limit)
	var docs []string
	for {
		d, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return docs, err
		}
		docs = append(docs, string(d))
	}
}

func TestYAMLReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"single", "a: 1\n", []string{"a: 1\n"}},
		{"no final newline", "a: 1", []string{"a: 1"}},
		{"empty input", "", nil},
		{"two documents", "a: 1\n---\nb: 2\n", []string{"a: 1\n", "b: 2\n"}},
		{"leading marker and empty documents skipped", "---\n---\n# only a comment\n---\na: 1\n---\n\n", []string{"a: 1\n"}},
		{"comments kept with text", "# head\na: 1 # x\n---\n", []string{"# head\na: 1 # x\n"}},
		{"marker with comment", "a: 1\n--- # next\nb: 2\n", []string{"a: 1\n", "b: 2\n"}},
		{"marker with text starts the document", "a: 1\n--- |\n  text\n", []string{"a: 1\n", "--- |\n  text\n"}},
		{"indented marker inside a block scalar", "data: |\n  ---\n  more\n---\nb: 2\n", []string{"data: |\n  ---\n  more\n", "b: 2\n"}},
		{"marker-like text is not a marker", "---a: 1\nb: ---\n", []string{"---a: 1\nb: ---\n"}},
		{"tab after marker", "a: 1\n---\t\nb: 2\n", []string{"a: 1\n", "b: 2\n"}},
		{"document end marker", "a: 1\n...\nb: 2\n", []string{"a: 1\n", "b: 2\n"}},
		{"end marker then start marker", "a: 1\n...\n---\nb: 2\n...\n", []string{"a: 1\n", "b: 2\n"}},
		{"directive stays with its document", "%YAML 1.2\n---\na: 1\n", []string{"%YAML 1.2\n---\na: 1\n"}},
		{"CRLF", "a: 1\r\n---\r\nb: 2\r\n", []string{"a: 1\r\n", "b: 2\r\n"}},
		{"byte order mark", "\xef\xbb\xbfa: 1\n", []string{"a: 1\n"}},
		{"marker at end without newline", "a: 1\n---", []string{"a: 1\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAllYAML(t, tc.in, 0)
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestYAMLReaderLimit(t *testing.T) {
	_, err := readAllYAML(t, "a: 1\n---\n"+strings.Repeat("b: 2\n", 10), 20)
	var tl *runtime.TooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(20), tl.Limit)

	// A single huge line fails without being read whole.
	r := runtime.NewYAMLReader(io.MultiReader(strings.NewReader("a: "), infiniteReader{}), 1<<16)
	_, err = r.Read()
	assert.ErrorIs(t, err, runtime.ErrTooLarge)
	_, err2 := r.Read()
	assert.Equal(t, err, err2, "errors are sticky")

	got, err := readAllYAML(t, "a: 1\n---\nb: 2\n", 5)
	require.NoError(t, err, "documents of exactly the limit pass")
	assert.Equal(t, []string{"a: 1\n", "b: 2\n"}, got)
}

type infiniteReader struct{}

func (infiniteReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestJSONReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{"concatenated", `{"a":1}{"b":[2]}`, []string{`{"a":1}`, `{"b":[2]}`}, ""},
		{"whitespace", " \n{\"a\":\"}{\"}\n\t[1]\n", []string{`{"a":"}{"}`, `[1]`}, ""},
		{"escaped quote", `{"a":"\"}"}`, []string{`{"a":"\"}"}`}, ""},
		{"escaped backslash", `{"a":"\\"}{}`, []string{`{"a":"\\"}`, `{}`}, ""},
		{"empty", ``, nil, ""},
		{"scalar", `{} 5`, []string{`{}`}, "expected an object or array"},
		{"truncated", `{"a":[1,2`, nil, "unexpected EOF"},
		{"too large", `{"a":"0123456789"}`, nil, "exceed the limit of 10 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runtime.NewJSONReader(strings.NewReader(tc.in), 10+int64(len(tc.in))*boolInt(tc.name != "too large"))
			var got []string
			var err error
			for {
				var d []byte
				d, err = r.Read()
				if err != nil {
					break
				}
				got = append(got, string(d))
			}
			if tc.wantErr == "" {
				assert.ErrorIs(t, err, io.EOF)
			} else {
				assert.ErrorContains(t, err, tc.wantErr)
				_, again := r.Read()
				assert.Equal(t, err, again, "sticky")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func TestStreamDecoder(t *testing.T) {
	s := newTestScheme(t)
	in := `apiVersion: v1
kind: Gizmo
metadata: {name: one}
---
# a bad document: no kind
apiVersion: v1
metadata: {name: bad}
---
apiVersion: apps.test/v1
kind: Widget
metadata:
  name: two
spec:
  template:
    spec:
      containers:
      - name: c
        args: |
          ---
          not a separator
`
	c := newCodec(t, s, runtime.YAML, runtime.CodecOptions{})
	d := c.NewDecoder(strings.NewReader(in))
	first, err := d.Decode()
	require.NoError(t, err)
	assert.Equal(t, "one", first.(*Gizmo).Name)
	_, err = d.Decode()
	assert.ErrorIs(t, err, runtime.ErrMissingKind)
	third, err := d.Decode()
	require.NoError(t, err, "decoding goes on after a bad document")
	assert.Equal(t, "two", third.(*Widget).Name)
	_, err = d.Decode()
	assert.ErrorIs(t, err, io.EOF)

	objs, err := c.DecodeAll([]byte(in))
	assert.ErrorIs(t, err, runtime.ErrMissingKind)
	assert.ErrorContains(t, err, "document 1")
	assert.Len(t, objs, 1)

	jc := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	objs, err = jc.DecodeAll([]byte(`{"apiVersion":"v1","kind":"Gizmo"} {"apiVersion":"x/v1","kind":"T"}`))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	assert.IsType(t, &Gizmo{}, objs[0])
	assert.IsType(t, &runtime.Unstructured{}, objs[1])
}

func TestDecodeRejectsSeveralYAMLDocuments(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.YAML, runtime.CodecOptions{})
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{"one document", "apiVersion: v1\nkind: Gizmo\n", false},
		{"leading marker", "---\napiVersion: v1\nkind: Gizmo\n", false},
		{"trailing markers", "apiVersion: v1\nkind: Gizmo\n---\n...\n", false},
		{"marker in block scalar", "apiVersion: v1\nkind: Gizmo\ndata:\n  k: |\n    ---\n    x\n", false},
		{"two documents", "apiVersion: v1\nkind: Gizmo\n---\napiVersion: v1\nkind: Gizmo\n", true},
		{"end marker then a document", "apiVersion: v1\nkind: Gizmo\n...\nkind: Gizmo\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Decode([]byte(tc.in))
			if tc.wantErr {
				assert.ErrorIs(t, err, runtime.ErrMultipleDocuments)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}
