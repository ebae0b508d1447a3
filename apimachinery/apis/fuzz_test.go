package apis_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/internal/apitest"
)

// fuzzSeeds adds the golden manifests of one format and a minimal document of every built-in
// kind.
func fuzzSeeds(f *testing.F, format runtime.Format) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*."+format.String()))
	if err != nil || len(files) == 0 {
		f.Fatalf("no golden %v files: %v", format, err)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	codecs := strictCodecs(f, false)
	for _, gvk := range codecs.Scheme.KnownKinds() {
		av, k := gvk.ToAPIVersionAndKind()
		if format == runtime.JSON {
			f.Add([]byte(`{"apiVersion":"` + av + `","kind":"` + k + `","metadata":{"name":"x","namespace":"y"}}`))
		} else {
			f.Add([]byte("apiVersion: " + av + "\nkind: " + k + "\nmetadata:\n  name: x\n"))
		}
	}
}

// checkDecode decodes data with a strict codec of format and, when that yields an object,
// checks that its JSON encoding decodes again and re-encodes to an equivalent document: the
// first encoding is the normal form. Decoding must never panic or hang.
func checkDecode(t *testing.T, codecs *apis.Codecs, format runtime.Format, data []byte) {
	c, err := codecs.For(format)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := c.Decode(data)
	if obj == nil {
		if err == nil {
			t.Fatal("Decode returned neither an object nor an error")
		}
		return
	}
	if _, strict := runtime.AsStrictDecodingError(err); err != nil && !strict {
		t.Fatalf("Decode returned an object with a non-strict error: %v", err)
	}
	out, err := codecs.JSON.Encode(obj)
	if err != nil {
		// Values JSON cannot carry (such as NaN from YAML) may fail to encode, with an error.
		return
	}
	back, err := codecs.JSON.Decode(out)
	if err != nil {
		if _, strict := runtime.AsStrictDecodingError(err); !strict || back == nil {
			t.Fatalf("own encoding does not decode: %v\n%s", err, out)
		}
	}
	again, err := codecs.JSON.Encode(back)
	if err != nil {
		t.Fatalf("re-decoded object does not encode: %v", err)
	}
	diff, err := apitest.JSONDiff(out, again)
	if err != nil {
		t.Fatal(err)
	}
	if diff != "" {
		t.Fatalf("encoding is not stable (-first +second):\n%s", diff)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	fuzzSeeds(f, runtime.JSON)
	f.Add([]byte(`{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod"},null]}`))
	f.Add([]byte(`{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"resources":{"limits":{"cpu":"1e400"}}}]}}`))
	f.Add([]byte(`{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":"3"}}`))
	codecs := strictCodecs(f, false)
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode(t, codecs, runtime.JSON, data) })
}

func FuzzDecodeYAML(f *testing.F) {
	fuzzSeeds(f, runtime.YAML)
	f.Add([]byte("apiVersion: v1\nkind: Pod\nmetadata: &a\n  name: x\n  labels: *a\n"))
	f.Add([]byte("apiVersion: v1\nkind: Node\nstatus:\n  capacity:\n    cpu: .nan\n"))
	f.Add([]byte("---\napiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Pod\n"))
	codecs := strictCodecs(f, false)
	f.Fuzz(func(t *testing.T, data []byte) { checkDecode(t, codecs, runtime.YAML, data) })
}
