package apitest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/cellkit/cellkit/apimachinery/resource"
)

// Document is one document of a YAML manifest file, converted to JSON.
type Document struct {
	// Index is the position of the document in its file, from 0.
	Index int
	// Kind is the document's kind field.
	Kind string
	// JSON is the document as JSON.
	JSON []byte
}

// ReadManifests reads a YAML file of one or more documents separated by "---" lines and returns
// those whose kind is one of kinds (every non-empty document when kinds is empty).
func ReadManifests(path string, kinds ...string) ([]Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("apitest: read manifests: %w", err)
	}
	want := map[string]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	var docs []Document
	for i, part := range splitYAML(data) {
		js, err := yaml.YAMLToJSON(part)
		if err != nil {
			return nil, fmt.Errorf("apitest: read manifests: %s document %d: %w", path, i, err)
		}
		if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
			continue
		}
		var head struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal(js, &head); err != nil {
			return nil, fmt.Errorf("apitest: read manifests: %s document %d: %w", path, i, err)
		}
		if len(want) > 0 && !want[head.Kind] {
			continue
		}
		docs = append(docs, Document{Index: i, Kind: head.Kind, JSON: js})
	}
	return docs, nil
}

func splitYAML(data []byte) [][]byte {
	var parts [][]byte
	var cur bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimRight(line, " \t") == "---" {
			parts = append(parts, append([]byte(nil), cur.Bytes()...))
			cur.Reset()
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	parts = append(parts, cur.Bytes())
	return parts
}

// DecodeStrict decodes one JSON value into out the way the Kubernetes API server does with
// fieldValidation=Strict: field names match case-sensitively, and unknown fields, duplicate
// fields and trailing data are errors.
func DecodeStrict(data []byte, out any) error {
	strict, err := kjson.UnmarshalStrict(data, out)
	if err != nil {
		return fmt.Errorf("apitest: decode %T: %w", out, err)
	}
	if len(strict) > 0 {
		return fmt.Errorf("apitest: decode %T: %w", out, errors.Join(strict...))
	}
	return nil
}

// RoundTrip decodes data strictly into a new T, encodes it again and returns the semantic
// difference between input and output (empty when they agree) after Normalize, together with the
// re-encoded JSON. The output may add fields the input lacks, and drop fields the input has,
// only when their values are zero scalars (0, "", false), as Kubernetes does for required and
// omitempty fields; and it may write a quantity given as a JSON number or in a non-canonical
// form as the equal canonical quantity string (0.5 and ".5" as "500m"). Every other field of the input must come back equal. A field that
// keeps an explicit zero through a pointer needs its own test.
func RoundTrip[T any](data []byte) (diff string, out []byte, err error) {
	obj := new(T)
	if err := DecodeStrict(data, obj); err != nil {
		return "", nil, err
	}
	out, err = json.Marshal(obj)
	if err != nil {
		return "", nil, fmt.Errorf("apitest: encode %T: %w", obj, err)
	}
	var in, got any
	if err := json.Unmarshal(data, &in); err != nil {
		return "", nil, fmt.Errorf("apitest: round trip: input: %w", err)
	}
	if err := json.Unmarshal(out, &got); err != nil {
		return "", nil, fmt.Errorf("apitest: round trip: output: %w", err)
	}
	normIn, normOut := Normalize(in), Normalize(got)
	// Zero scalars may appear (required fields) or disappear (omitempty fields) on the way, as
	// they do in Kubernetes; pointer fields that must keep a zero are checked by targeted tests.
	return cmp.Diff(dropAddedZeros(normOut, normIn, false), dropAddedZeros(normIn, normOut, true)), out, nil
}

// dropAddedZeros removes from out the object keys that in lacks and whose value is a zero
// scalar (0, "", false), and with quantities set it replaces a quantity string of out by the
// equal number or string of in: Kubernetes writes required fields such as a status's counts even when
// they are zero, so an output may add them. A key present in in is never removed, so a zero the
// input wrote must survive the round trip.
func dropAddedZeros(in, out any, quantities bool) any {
	switch o := out.(type) {
	case map[string]any:
		i, _ := in.(map[string]any)
		res := make(map[string]any, len(o))
		for k, v := range o {
			iv, present := i[k]
			if !present && isZeroScalar(v) {
				continue
			}
			if d := dropAddedZeros(iv, v, quantities); d != nil || present {
				res[k] = d
			}
		}
		if len(res) == 0 {
			return nil
		}
		return res
	case []any:
		i, _ := in.([]any)
		res := make([]any, len(o))
		for n, v := range o {
			var iv any
			if n < len(i) {
				iv = i[n]
			}
			res[n] = dropAddedZeros(iv, v, quantities)
			if res[n] == nil {
				res[n] = map[string]any{}
			}
		}
		return res
	case string:
		if !quantities {
			return out
		}
		// A quantity written as a JSON number ("cpu: 0.5") is written back as its canonical
		// string ("500m"), as Kubernetes does; accept that when both denote the same amount.
		if n, ok := in.(float64); ok && sameQuantity(strconv.FormatFloat(n, 'f', -1, 64), o) {
			return in
		}
		// Likewise a quantity string is written back in canonical form (".5" as "500m").
		if is, ok := in.(string); ok && is != o && sameQuantity(is, o) {
			return in
		}
		return out
	default:
		return out
	}
}

func sameQuantity(a, s string) bool {
	want, err := resource.ParseQuantity(a)
	if err != nil {
		return false
	}
	got, err := resource.ParseQuantity(s)
	return err == nil && got.Cmp(want) == 0
}

func isZeroScalar(v any) bool {
	switch x := v.(type) {
	case float64:
		return x == 0
	case string:
		return x == ""
	case bool:
		return !x
	}
	return false
}

// Normalize removes from a decoded JSON value (maps, slices, scalars) every null, every empty
// object and every empty array, recursively, because Kubernetes reads each of them the same as
// an absent field: a struct field without a pointer is written as {} and an unset time as null
// even when the input left them out. It returns nil when nothing is left.
func Normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if n := Normalize(e); n != nil {
				out[k] = n
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		if len(x) == 0 {
			return nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			n := Normalize(e)
			if n == nil {
				// Keep the position: an element that is empty still counts in a list.
				n = map[string]any{}
			}
			out[i] = n
		}
		return out
	default:
		return v
	}
}

// CheckManifests round-trips, as subtests, every document of kind in the YAML file at path
// through T (see RoundTrip), and fails when the file has fewer than minDocs such documents, so a
// test never passes by finding nothing.
func CheckManifests[T any](t *testing.T, path, kind string, minDocs int) {
	t.Helper()
	docs, err := ReadManifests(path, kind)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < minDocs {
		t.Fatalf("%s has %d %s documents, want at least %d", path, len(docs), kind, minDocs)
	}
	for _, d := range docs {
		t.Run(fmt.Sprintf("%s/%s#%d", filepath.Base(path), kind, d.Index), func(t *testing.T) {
			diff, out, err := RoundTrip[T](d.JSON)
			if err != nil {
				t.Fatal(err)
			}
			if diff != "" {
				t.Errorf("round trip changed the manifest (-in +out):\n%s\noutput: %s", diff, out)
			}
		})
	}
}
