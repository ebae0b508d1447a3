package runtime_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// manifestFiles returns the Kubernetes example manifests copied into testdata.
func manifestFiles(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("testdata/kubernetes-examples/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no manifests in testdata/kubernetes-examples: %v", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// TestKubernetesManifests decodes real manifests with a scheme that knows none of their kinds:
// every document becomes an Unstructured whose JSON equals the document's JSON form.
func TestKubernetesManifests(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.YAML, runtime.CodecOptions{Strict: true})
	jc := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	wantDocs := map[string]int{"web_guestbook_all-in-one_guestbook-all-in-one.yaml": 6}
	for name, data := range manifestFiles(t) {
		t.Run(name, func(t *testing.T) {
			objs, err := c.DecodeAll(data)
			if err != nil {
				t.Fatal(err)
			}
			want := wantDocs[name]
			if want == 0 {
				want = 1
			}
			if len(objs) != want {
				t.Fatalf("got %d documents, want %d", len(objs), want)
			}
			docs := strings.Split(string(data), "\n---\n")
			for i, obj := range objs {
				u, ok := obj.(*runtime.Unstructured)
				if !ok {
					t.Fatalf("document %d: got %T, want *runtime.Unstructured", i, obj)
				}
				if u.Kind == "" || u.APIVersion == "" || u.Name == "" {
					t.Errorf("document %d: kind %q apiVersion %q name %q", i, u.Kind, u.APIVersion, u.Name)
				}
				got, err := jc.Encode(obj)
				if err != nil {
					t.Fatal(err)
				}
				wantJSON, err := yaml.YAMLToJSON([]byte(docs[i]))
				if err != nil {
					t.Fatal(err)
				}
				if !jsonEqual(t, wantJSON, got) {
					t.Errorf("document %d: JSON differs:\nwant %s\ngot  %s", i, wantJSON, got)
				}
			}
		})
	}
}

func jsonEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return bytes.Equal(ja, jb)
}

// checkCodecRoundTrip is the property of every decode fuzz target: decoding never panics; what the
// lenient codec accepts, the strict codec accepts too or rejects only with strict errors and the
// same object; what is accepted encodes, and re-decoding and re-encoding the encoding gives the
// same bytes.
func checkCodecRoundTrip(t *testing.T, lenient, strict *runtime.Codec, obj runtime.Object, err error, sobj runtime.Object, serr error) {
	t.Helper()
	if err != nil {
		if serr == nil {
			t.Fatalf("strict codec accepted what the lenient one rejected: %v", err)
		}
		return
	}
	if serr != nil && !errors.Is(serr, runtime.ErrStrictDecoding) {
		t.Fatalf("lenient codec accepted, strict failed with a non-strict error: %v", serr)
	}
	enc1, err := lenient.Encode(obj)
	if err != nil {
		t.Fatalf("decoded %T does not encode: %v", obj, err)
	}
	senc, err := lenient.Encode(sobj)
	if err != nil {
		t.Fatalf("strict object does not encode: %v", err)
	}
	if !bytes.Equal(enc1, senc) {
		t.Fatalf("strict and lenient objects differ:\n%s\n%s", enc1, senc)
	}
	obj2, err := lenient.Decode(enc1)
	if err != nil {
		t.Fatalf("own encoding does not decode: %v\n%s", err, enc1)
	}
	enc2, err := lenient.Encode(obj2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc1, enc2) {
		t.Fatalf("encoding not stable:\n%s\n%s", enc1, enc2)
	}
}

func FuzzJSONDecode(f *testing.F) {
	f.Add([]byte(widgetJSON))
	f.Add([]byte(`{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Gizmo","data":{"a":"b"}},{"apiVersion":"x/v1","kind":"T","spec":[1,2.5,"s",null,true]}]}`))
	f.Add([]byte(`{"apiVersion":"x.io/v1","kind":"ThingList","items":[{"metadata":{"name":"a"}}],"metadata":{"continue":"c"}}`))
	f.Add([]byte(`{"apiVersion":"v1","kind":"Gizmo","metadata":{"name":"a","name":"b","creationTimestamp":"2024-01-01T00:00:00Z"}}`))
	for _, data := range manifestFiles(f) {
		if j, err := yaml.YAMLToJSON(data); err == nil {
			f.Add(j)
		}
	}
	s := newTestScheme(f)
	lenient := newCodec(f, s, runtime.JSON, runtime.CodecOptions{MaxSize: 1 << 16})
	strict := newCodec(f, s, runtime.JSON, runtime.CodecOptions{MaxSize: 1 << 16, Strict: true})
	f.Fuzz(func(t *testing.T, data []byte) {
		obj, err := lenient.Decode(data)
		sobj, serr := strict.Decode(data)
		checkCodecRoundTrip(t, lenient, strict, obj, err, sobj, serr)
	})
}

func FuzzYAMLDecode(f *testing.F) {
	for _, data := range manifestFiles(f) {
		f.Add(data)
	}
	f.Add([]byte("apiVersion: v1\nkind: Gizmo\ndata:\n  k: v\n  k: w\n"))
	f.Add([]byte("apiVersion: x/v1\nkind: T\nspec: &a {b: [1, 2.5, '3', yes, ~]}\nother: *a\n"))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps.test/v1\n  kind: Widget\n  spec: {replicas: 2}\n"))
	s := newTestScheme(f)
	lenient := newCodec(f, s, runtime.YAML, runtime.CodecOptions{MaxSize: 1 << 16})
	strict := newCodec(f, s, runtime.YAML, runtime.CodecOptions{MaxSize: 1 << 16, Strict: true})
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, err := lenient.DecodeAll(data)
		sobjs, serr := strict.DecodeAll(data)
		if err != nil {
			// DecodeAll stops at the first error; compare the documents before it.
			if serr == nil {
				t.Fatalf("strict accepted what lenient rejected: %v", err)
			}
			return
		}
		if serr != nil && !errors.Is(serr, runtime.ErrStrictDecoding) {
			t.Fatalf("strict failed with a non-strict error: %v", serr)
		}
		for i, obj := range objs {
			var sobj runtime.Object = obj
			var serrI error
			if i < len(sobjs) {
				sobj = sobjs[i]
			} else if i == len(sobjs) {
				// The document strict stopped at: decode it alone to get its object.
				serrI = serr
			}
			checkCodecRoundTrip(t, lenient, strict, obj, nil, sobj, serrI)
		}
	})
}

func FuzzYAMLReader(f *testing.F) {
	for _, data := range manifestFiles(f) {
		f.Add(data)
	}
	for _, s := range []string{"a: 1\n---\nb: 2\n", "%YAML 1.2\n---\na: 1\n...\n", "--- |\n  x\n---\r\n", "\xef\xbb\xbf# c\n---", "k: |\n  ---\n  v\n"} {
		f.Add([]byte(s))
	}
	const limit = 1 << 12
	f.Fuzz(func(t *testing.T, data []byte) {
		r := runtime.NewYAMLReader(bytes.NewReader(data), limit)
		for n := 0; ; n++ {
			doc, err := r.Read()
			if errors.Is(err, io.EOF) || errors.Is(err, runtime.ErrTooLarge) {
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if n > len(data) {
				t.Fatalf("more documents than bytes")
			}
			if len(doc) > limit {
				t.Fatalf("document of %d bytes over the limit", len(doc))
			}
			if !bytes.Contains(data, doc) {
				t.Fatalf("document %q is not part of the input", doc)
			}
			// A start marker may only open the document, possibly after directives and comments;
			// an end marker never appears.
			prologue := true
			for _, l := range strings.SplitAfter(string(doc), "\n") {
				l = strings.TrimRight(l, "\r\n")
				marker := func(m string) bool {
					return strings.HasPrefix(l, m) && (len(l) == 3 || l[3] == ' ' || l[3] == '\t')
				}
				trimmed := strings.TrimLeft(l, " \t")
				switch {
				case marker("..."):
					t.Fatalf("document %q contains end marker line %q", doc, l)
				case marker("---"):
					if !prologue {
						t.Fatalf("document %q contains start marker line %q", doc, l)
					}
					prologue = false
				case trimmed == "" || trimmed[0] == '#' || l[0] == '%':
				default:
					prologue = false
				}
			}
		}
	})
}

func FuzzJSONReader(f *testing.F) {
	for _, s := range []string{`{"a":1}{"b":[2]}`, " [1] \n {\"s\":\"}\\\"{\"} ", `{"a":`, `{} 5`, `[[[[]]]]`} {
		f.Add([]byte(s))
	}
	const limit = 1 << 12
	f.Fuzz(func(t *testing.T, data []byte) {
		r := runtime.NewJSONReader(bytes.NewReader(data), limit)
		var got [][]byte
		for {
			v, err := r.Read()
			if err != nil {
				break
			}
			if len(v) > limit || !bytes.Contains(data, v) {
				t.Fatalf("value %q over the limit or not in the input", v)
			}
			got = append(got, v)
		}
		// Differential check against encoding/json on streams it reads completely.
		dec := json.NewDecoder(bytes.NewReader(data))
		var want [][]byte
		for {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				if !errors.Is(err, io.EOF) {
					return
				}
				break
			}
			if len(raw) > limit || (raw[0] != '{' && raw[0] != '[') {
				return
			}
			want = append(want, raw)
		}
		if len(got) != len(want) {
			t.Fatalf("got %d values, encoding/json read %d", len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("value %d: got %q, encoding/json read %q", i, got[i], want[i])
			}
		}
	})
}
