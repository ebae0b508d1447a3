package v1

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	k8sjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

// newObject returns an empty object of a kind of this package, or nil for other kinds.
func newObject(kind string) any {
	switch kind {
	case "Pod":
		return &Pod{}
	case "Node":
		return &Node{}
	case "Service":
		return &Service{}
	case "ReplicationController":
		return &ReplicationController{}
	case "Event":
		return &Event{}
	case "Secret":
		return &Secret{}
	case "ConfigMap":
		return &ConfigMap{}
	case "Namespace":
		return &Namespace{}
	}
	return nil
}

// decodeStrict decodes JSON the way a strict API server does: field names are case-sensitive,
// and unknown or duplicate fields are errors.
func decodeStrict(data []byte, into any) error {
	strict, err := k8sjson.UnmarshalStrict(data, into)
	if err != nil {
		return err
	}
	if len(strict) > 0 {
		msgs := make([]string, len(strict))
		for i, e := range strict {
			msgs[i] = e.Error()
		}
		return fmt.Errorf("strict decoding: %s", strings.Join(msgs, "; "))
	}
	return nil
}

// manifest is one JSON document of a test file.
type manifest struct {
	name string
	json []byte
}

// loadManifests reads every .json and .yaml file under testdata; YAML files may hold several
// documents, which are converted to JSON with sigs.k8s.io/yaml.
func loadManifests(t testing.TB) []manifest {
	t.Helper()
	var out []manifest
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch filepath.Ext(path) {
		case ".json":
			out = append(out, manifest{name: path, json: data})
		case ".yaml", ".yml":
			for i, doc := range splitYAML(data) {
				j, err := yaml.YAMLToJSON(doc)
				if err != nil {
					return fmt.Errorf("%s document %d: %w", path, i, err)
				}
				out = append(out, manifest{name: fmt.Sprintf("%s#%d", path, i), json: j})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func splitYAML(data []byte) [][]byte {
	var docs [][]byte
	for _, doc := range bytes.Split(data, []byte("\n---")) {
		if len(bytes.TrimSpace(doc)) > 0 {
			docs = append(docs, doc)
		}
	}
	return docs
}

// TestRoundTrip decodes real manifests strictly into the typed structs, encodes them again and
// checks that the JSON is equivalent: every value of the input is in the output unchanged (a
// scalar zero value such as hostNetwork: false may be dropped, as omitempty does in Kubernetes),
// and the output adds only zero values (null, 0, "", false, {}), which Kubernetes treats as unset.
// Decoding the output again gives an equal object.
func TestRoundTrip(t *testing.T) {
	kinds := map[string]int{}
	for _, m := range loadManifests(t) {
		var tm meta.TypeMeta
		if err := json.Unmarshal(m.json, &tm); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		obj := newObject(tm.Kind)
		if obj == nil {
			t.Fatalf("%s: kind %q is not in this package's test table", m.name, tm.Kind)
		}
		kinds[tm.Kind]++
		t.Run(m.name, func(t *testing.T) {
			if err := decodeStrict(m.json, obj); err != nil {
				t.Fatalf("decode: %v", err)
			}
			out, err := json.Marshal(obj)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			var in, got any
			if err := json.Unmarshal(m.json, &in); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if diffs := equivalent(in, got, ""); len(diffs) > 0 {
				t.Errorf("re-encoded JSON is not equivalent:\n%s\noutput: %s", strings.Join(diffs, "\n"), out)
			}
			again := newObject(tm.Kind)
			if err := decodeStrict(out, again); err != nil {
				t.Fatalf("decode of the output: %v", err)
			}
			if diff := cmp.Diff(obj, again); diff != "" {
				t.Errorf("decode(encode(x)) != x (-x +again):\n%s", diff)
			}
		})
	}
	for _, kind := range []string{"Pod", "Node", "Service", "Event", "ReplicationController"} {
		if kinds[kind] == 0 {
			t.Errorf("no %s manifest in testdata", kind)
		}
	}
}

// equivalent compares decoded JSON: want (the input) must be contained in got (the output);
// keys only in got must hold zero values; a JSON number in want equals a string in got that
// spells the same number (quantities such as cpu: 3 are re-encoded as "3").
func equivalent(want, got any, path string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %v", path, got)}
		}
		var diffs []string
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			wv, inWant := w[k]
			gv, inGot := g[k]
			switch {
			case !inGot:
				// A scalar zero may be dropped: omitempty fields do so, as in Kubernetes.
				if !isZeroScalar(wv) {
					diffs = append(diffs, fmt.Sprintf("%s.%s: lost (was %v)", path, k, wv))
				}
			case !inWant || wv == nil:
				if !isZero(gv) {
					diffs = append(diffs, fmt.Sprintf("%s.%s: added %v", path, k, gv))
				}
			default:
				diffs = append(diffs, equivalent(wv, gv, path+"."+k)...)
			}
		}
		return diffs
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %v, got %v", path, w, got)}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, equivalent(w[i], g[i], fmt.Sprintf("%s[%d]", path, i))...)
		}
		return diffs
	case float64:
		if s, ok := got.(string); ok && s == strconv.FormatFloat(w, 'f', -1, 64) {
			return nil
		}
	}
	if !cmp.Equal(want, got) {
		return []string{fmt.Sprintf("%s: want %v, got %v", path, want, got)}
	}
	return nil
}

func isZeroScalar(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case float64:
		return v == 0
	case bool:
		return !v
	}
	return false
}

func isZero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case float64:
		return v == 0
	case bool:
		return !v
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, e := range v {
			if !isZero(e) {
				return false
			}
		}
		return true
	}
	return false
}

// TestEquivalentCatchesDifferences makes sure the comparison of TestRoundTrip can fail.
func TestEquivalentCatchesDifferences(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		ok        bool
	}{
		{"equal", `{"a":1,"b":[{"c":"x"}]}`, `{"a":1,"b":[{"c":"x"}]}`, true},
		{"zero values added", `{"a":1}`, `{"a":1,"status":{"replicas":0},"t":null,"s":""}`, true},
		{"null input may be dropped", `{"a":null}`, `{}`, true},
		{"number as quantity string", `{"cpu":3}`, `{"cpu":"3"}`, true},
		{"scalar zero dropped", `{"a":1,"b":false,"c":0,"d":""}`, `{"a":1}`, true},
		{"lost key", `{"a":1,"b":2}`, `{"a":1}`, false},
		{"changed value", `{"a":1}`, `{"a":2}`, false},
		{"added non-zero", `{}`, `{"a":1}`, false},
		{"empty object lost", `{"emptyDir":{}}`, `{}`, false},
		{"list length", `{"a":[1,2]}`, `{"a":[1]}`, false},
		{"number as other string", `{"cpu":3}`, `{"cpu":"3000m"}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var w, g any
			if err := json.Unmarshal([]byte(tc.want), &w); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.got), &g); err != nil {
				t.Fatal(err)
			}
			diffs := equivalent(w, g, "")
			if (len(diffs) == 0) != tc.ok {
				t.Errorf("equivalent(%s, %s) = %v, want ok=%v", tc.want, tc.got, diffs, tc.ok)
			}
		})
	}
}

func TestStrictDecodingRejects(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"unknown field", `{"kind":"Pod","spec":{"containerz":[]}}`, `unknown field "spec.containerz"`},
		{"wrong case", `{"kind":"Pod","spec":{"NodeName":"a"}}`, `unknown field "spec.NodeName"`},
		{"duplicate field", `{"kind":"Pod","spec":{"nodeName":"a","nodeName":"b"}}`, `duplicate field "spec.nodeName"`},
		{"bad quantity", `{"kind":"Pod","spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":"lots"}}}]}}`, "quantity"},
		{"bad time", `{"kind":"Pod","metadata":{"creationTimestamp":"yesterday"}}`, "time"},
		{"bad int-or-string", `{"kind":"Service","spec":{"ports":[{"port":80,"targetPort":1.5}]}}`, "intstr"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tm meta.TypeMeta
			_ = json.Unmarshal([]byte(tc.json), &tm)
			err := decodeStrict([]byte(tc.json), newObject(tm.Kind))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("decode error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
