package patch

import (
	"errors"
	"testing"
)

// RFC 6902 appendix A, in order, plus pointer escaping, bounds and atomicity.
func TestJSONPatch(t *testing.T) {
	tests := []struct {
		name, doc, patch, want string
		wantErr                error
	}{
		{"A.1 add object member", `{"foo":"bar"}`, `[{"op":"add","path":"/baz","value":"qux"}]`, `{"baz":"qux","foo":"bar"}`, nil},
		{"A.2 add array element", `{"foo":["bar","baz"]}`, `[{"op":"add","path":"/foo/1","value":"qux"}]`, `{"foo":["bar","qux","baz"]}`, nil},
		{"A.3 remove object member", `{"baz":"qux","foo":"bar"}`, `[{"op":"remove","path":"/baz"}]`, `{"foo":"bar"}`, nil},
		{"A.4 remove array element", `{"foo":["bar","qux","baz"]}`, `[{"op":"remove","path":"/foo/1"}]`, `{"foo":["bar","baz"]}`, nil},
		{"A.5 replace value", `{"baz":"qux","foo":"bar"}`, `[{"op":"replace","path":"/baz","value":"boo"}]`, `{"baz":"boo","foo":"bar"}`, nil},
		{"A.6 move value", `{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}`,
			`[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]`,
			`{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}`, nil},
		{"A.7 move array element", `{"foo":["all","grass","cows","eat"]}`, `[{"op":"move","from":"/foo/1","path":"/foo/3"}]`,
			`{"foo":["all","cows","eat","grass"]}`, nil},
		{"A.8 test success", `{"baz":"qux","foo":["a",2,"c"]}`,
			`[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]`,
			`{"baz":"qux","foo":["a",2,"c"]}`, nil},
		{"A.9 test error", `{"baz":"qux"}`, `[{"op":"test","path":"/baz","value":"bar"}]`, ``, ErrTestFailed},
		{"A.10 add nested member object", `{"foo":"bar"}`, `[{"op":"add","path":"/child","value":{"grandchild":{}}}]`,
			`{"foo":"bar","child":{"grandchild":{}}}`, nil},
		{"A.11 ignore unrecognized elements", `{"foo":"bar"}`, `[{"op":"add","path":"/baz","value":"qux","xyz":123}]`,
			`{"foo":"bar","baz":"qux"}`, nil},
		{"A.12 add to nonexistent target", `{"foo":"bar"}`, `[{"op":"add","path":"/baz/bat","value":"qux"}]`, ``, ErrPathNotFound},
		{"A.13 invalid patch document", `{"foo":"bar"}`, `[{"op":"add","path":"/baz","value":"qux","op":"remove"}]`, ``, ErrInvalidPatch},
		{"A.14 ~ escape ordering", `{"/":9,"~1":10}`, `[{"op":"test","path":"/~01","value":10}]`, `{"/":9,"~1":10}`, nil},
		{"A.15 strings and numbers differ", `{"/":9,"~1":10}`, `[{"op":"test","path":"/~01","value":"10"}]`, ``, ErrTestFailed},
		{"A.16 add array value", `{"foo":["bar"]}`, `[{"op":"add","path":"/foo/-","value":["abc","def"]}]`, `{"foo":["bar",["abc","def"]]}`, nil},

		{"empty patch is identity", `{"a":[1,{"b":null}]}`, `[]`, `{"a":[1,{"b":null}]}`, nil},
		{"~1 is a slash", `{"a/b":1}`, `[{"op":"replace","path":"/a~1b","value":2}]`, `{"a/b":2}`, nil},
		{"~0 is a tilde", `{"m~n":1}`, `[{"op":"remove","path":"/m~0n"}]`, `{}`, nil},
		{"empty member name", `{"":1}`, `[{"op":"replace","path":"/","value":2}]`, `{"":2}`, nil},
		{"replace whole document", `{"a":1}`, `[{"op":"replace","path":"","value":[1]}]`, `[1]`, nil},
		{"add at end index", `[1,2]`, `[{"op":"add","path":"/2","value":3}]`, `[1,2,3]`, nil},
		{"add past end", `[1,2]`, `[{"op":"add","path":"/3","value":3}]`, ``, ErrPathNotFound},
		{"remove past end", `[1,2]`, `[{"op":"remove","path":"/2"}]`, ``, ErrPathNotFound},
		{"leading zero index", `[1,2]`, `[{"op":"remove","path":"/01"}]`, ``, ErrPathNotFound},
		{"negative index", `[1,2]`, `[{"op":"remove","path":"/-1"}]`, ``, ErrPathNotFound},
		{"dash only for add", `[1,2]`, `[{"op":"replace","path":"/-","value":0}]`, ``, ErrPathNotFound},
		{"replace missing member", `{}`, `[{"op":"replace","path":"/a","value":0}]`, ``, ErrPathNotFound},
		{"remove missing member", `{}`, `[{"op":"remove","path":"/a"}]`, ``, ErrPathNotFound},
		{"copy", `{"a":{"x":[1]}}`, `[{"op":"copy","from":"/a","path":"/b"},{"op":"add","path":"/b/x/-","value":2}]`,
			`{"a":{"x":[1]},"b":{"x":[1,2]}}`, nil},
		{"move into own child", `{"a":{"b":1}}`, `[{"op":"move","from":"/a","path":"/a/c"}]`, ``, ErrInvalidPatch},
		{"move to itself", `{"a":1}`, `[{"op":"move","from":"/a","path":"/a"}]`, `{"a":1}`, nil},
		{"move from missing", `{"a":1}`, `[{"op":"move","from":"/b","path":"/c"}]`, ``, ErrPathNotFound},
		{"test numbers by value", `{"n":1.0}`, `[{"op":"test","path":"/n","value":1}]`, `{"n":1.0}`, nil},
		{"test objects ignore order", `{"o":{"a":1,"b":[true,null]}}`, `[{"op":"test","path":"/o","value":{"b":[true,null],"a":1}}]`,
			`{"o":{"a":1,"b":[true,null]}}`, nil},
		{"test missing path", `{}`, `[{"op":"test","path":"/a","value":null}]`, ``, ErrPathNotFound},
		{"atomic: later failure", `{"a":1}`, `[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":3}]`, ``, ErrTestFailed},
		{"unknown op", `{}`, `[{"op":"frobnicate","path":"/a"}]`, ``, ErrInvalidPatch},
		{"missing value", `{}`, `[{"op":"add","path":"/a"}]`, ``, ErrInvalidPatch},
		{"missing path", `{}`, `[{"op":"remove"}]`, ``, ErrInvalidPatch},
		{"missing from", `{}`, `[{"op":"copy","path":"/a"}]`, ``, ErrInvalidPatch},
		{"pointer without slash", `{}`, `[{"op":"add","path":"a","value":1}]`, ``, ErrInvalidPatch},
		{"bad escape", `{}`, `[{"op":"add","path":"/a~2","value":1}]`, ``, ErrInvalidPatch},
		{"not an array", `{}`, `{"op":"add"}`, ``, ErrInvalidJSON},
		{"null patch", `{}`, `null`, ``, ErrInvalidPatch},
		{"operation not an object", `{}`, `[1]`, ``, ErrInvalidPatch},
		{"bad document", `{`, `[]`, ``, ErrInvalidJSON},
		{"remove root", `{}`, `[{"op":"remove","path":""}]`, ``, ErrInvalidPatch},
		{"into a scalar", `{"a":1}`, `[{"op":"add","path":"/a/b","value":1}]`, ``, ErrPathNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(tt.doc)
			before := string(doc)
			got, err := ApplyJSONPatch(doc, []byte(tt.patch))
			if string(doc) != before {
				t.Fatalf("input document modified")
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("failed patch returned a document %s", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyJSONPatch: %v", err)
			}
			if d := jsonDiff(t, tt.want, string(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestJSONPatchErrorNamesOperation(t *testing.T) {
	_, err := ApplyJSONPatch([]byte(`{"a":1}`), []byte(`[{"op":"test","path":"/a","value":1},{"op":"remove","path":"/zz"}]`))
	want := `apply json patch: operation 1 (remove /zz): path not found: member "zz"`
	if err == nil || err.Error() != want {
		t.Errorf("err %q, want %q", err, want)
	}
}

func TestDecodeJSONPatchReuse(t *testing.T) {
	p, err := DecodeJSONPatch([]byte(`[{"op":"add","path":"/l/-","value":{"x":1}}]`))
	if err != nil {
		t.Fatal(err)
	}
	// Applying the same decoded patch twice must not share the added value between results.
	a, err := p.Apply([]byte(`{"l":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Apply(a)
	if err != nil {
		t.Fatal(err)
	}
	if d := jsonDiff(t, `{"l":[{"x":1},{"x":1}]}`, string(b)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
