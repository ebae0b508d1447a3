package patch

import (
	"bytes"
	"encoding/json"
	"testing"
)

var fuzzDocs = []string{
	basePod,
	`{}`,
	`{"a":[1,2,{"b":null}],"c":"~/"}`,
	`[1,"x",null]`,
	`"scalar"`,
}

func isObject(b []byte) bool {
	var m map[string]any
	return json.Unmarshal(b, &m) == nil && m != nil
}

// Each fuzz target checks: no panic, an error never comes with a document, and the identity
// patch ({} or []) returns the document unchanged.

func FuzzMergePatch(f *testing.F) {
	for _, d := range fuzzDocs {
		f.Add([]byte(d), []byte(`{}`))
	}
	f.Add([]byte(`{"a":"b"}`), []byte(`{"a":null,"b":{"c":[1]}}`))
	f.Add([]byte(`{"a":{"b":"c"}}`), []byte(`{"a":{"b":"d","c":null}}`))
	f.Fuzz(func(t *testing.T, doc, patch []byte) {
		out, err := MergePatch(doc, patch)
		if err != nil {
			if out != nil {
				t.Fatalf("error %v with output %s", err, out)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON output %s", out)
		}
		if isObject(doc) {
			same, err := MergePatch(doc, []byte(`{}`))
			if err != nil {
				t.Fatalf("identity patch failed: %v", err)
			}
			if d := jsonDiff(t, string(doc), string(same)); d != "" {
				t.Fatalf("identity patch changed the document:\n%s", d)
			}
		}
	})
}

func FuzzJSONPatch(f *testing.F) {
	for _, d := range fuzzDocs {
		f.Add([]byte(d), []byte(`[]`))
	}
	f.Add([]byte(`{"foo":["bar","baz"]}`), []byte(`[{"op":"add","path":"/foo/1","value":"qux"}]`))
	f.Add([]byte(`{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}`), []byte(`[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]`))
	f.Add([]byte(`{"/":9,"~1":10}`), []byte(`[{"op":"test","path":"/~01","value":10},{"op":"copy","from":"/~1","path":"/x"}]`))
	f.Add([]byte(`[1,2]`), []byte(`[{"op":"remove","path":"/0"},{"op":"add","path":"/-","value":{"a":[]}},{"op":"replace","path":"/1/a","value":1}]`))
	f.Fuzz(func(t *testing.T, doc, patch []byte) {
		before := bytes.Clone(doc)
		out, err := ApplyJSONPatch(doc, patch)
		if !bytes.Equal(doc, before) {
			t.Fatal("input modified")
		}
		if err != nil {
			if out != nil {
				t.Fatalf("error %v with output %s", err, out)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON output %s", out)
		}
		same, err := ApplyJSONPatch(doc, []byte(`[]`))
		if err != nil {
			t.Fatalf("identity patch failed: %v", err)
		}
		if d := jsonDiff(t, string(doc), string(same)); d != "" {
			t.Fatalf("identity patch changed the document:\n%s", d)
		}
	})
}

func FuzzStrategicMergePatch(f *testing.F) {
	for _, d := range fuzzDocs {
		f.Add([]byte(d), []byte(`{}`))
	}
	f.Add([]byte(basePod), []byte(`{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],"containers":[{"name":"app","env":[{"name":"A","$patch":"delete"}]}]}}`))
	f.Add([]byte(basePod), []byte(`{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["z"],"labels":{"$patch":"replace","x":"y"}}}`))
	f.Add([]byte(basePod), []byte(`{"spec":{"volumes":[{"name":"data","$retainKeys":["name","hostPath"],"hostPath":{"path":"/x"}}],"tolerations":null}}`))
	f.Add([]byte(basePod), []byte(`{"spec":{"containers":[{"$patch":"replace"},{"name":"z"}]},"$patch":"merge"}`))
	f.Fuzz(func(t *testing.T, doc, patch []byte) {
		out, err := StrategicMergePatch(doc, patch, &tPod{})
		if err != nil {
			if out != nil {
				t.Fatalf("error %v with output %s", err, out)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON output %s", out)
		}
		same, err := StrategicMergePatch(doc, []byte(`{}`), &tPod{})
		if err != nil {
			t.Fatalf("identity patch failed: %v", err)
		}
		if d := jsonDiff(t, string(doc), string(same)); d != "" {
			t.Fatalf("identity patch changed the document:\n%s", d)
		}
	})
}

// hasNull reports whether a decoded value holds a null anywhere: a merge-style patch cannot
// express "set to null", so round trips exclude such documents.
func hasNull(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case map[string]any:
		for _, x := range t {
			if hasNull(x) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if hasNull(x) {
				return true
			}
		}
	}
	return false
}

func FuzzCreateTwoWayMergePatch(f *testing.F) {
	for _, a := range fuzzDocs {
		for _, b := range fuzzDocs {
			f.Add([]byte(a), []byte(b))
		}
	}
	f.Add([]byte(`{"metadata":{"finalizers":["a","b"]}}`), []byte(`{"metadata":{"finalizers":["b","c"]}}`))
	f.Add([]byte(`{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80}]}]}}`), []byte(`{"spec":{"containers":[{"name":"b"},{"name":"a","ports":[{"containerPort":81},{"containerPort":80,"name":"h"}]}]}}`))
	f.Fuzz(func(t *testing.T, original, modified []byte) {
		p, err := CreateTwoWayMergePatch(original, modified, &tPod{})
		if err != nil {
			if p != nil {
				t.Fatalf("error %v with output %s", err, p)
			}
			return
		}
		got, err := StrategicMergePatch(original, p, &tPod{})
		if err != nil {
			t.Fatalf("created patch %s does not apply: %v", p, err)
		}
		m, _ := decode(modified)
		if hasNull(m) {
			return
		}
		if d := jsonDiff(t, string(modified), string(got)); d != "" {
			t.Fatalf("round trip via %s (-want +got):\n%s", p, d)
		}
	})
}
