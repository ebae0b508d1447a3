package patch

import (
	"encoding/json"
	"errors"
	"testing"
)

// RFC 7386 appendix A, plus edge cases.
func TestMergePatch(t *testing.T) {
	tests := []struct {
		name, original, patch, want string
	}{
		{"A replace member", `{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{"A add member", `{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{"A null deletes", `{"a":"b"}`, `{"a":null}`, `{}`},
		{"A null deletes one of two", `{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{"A array replaced by string", `{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{"A string replaced by array", `{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{"A nested merge", `{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{"A arrays are not merged", `{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{"A array document", `["a","b"]`, `["c","d"]`, `["c","d"]`},
		{"A object to array", `{"a":"b"}`, `["c"]`, `["c"]`},
		{"A null patch", `{"a":"foo"}`, `null`, `null`},
		{"A string patch", `{"a":"foo"}`, `"bar"`, `"bar"`},
		{"A null in the document stays", `{"e":null}`, `{"a":1}`, `{"e":null,"a":1}`},
		{"A array document patched by object", `[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{"A nulls vanish in new objects", `{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		{"empty patch is identity", `{"a":{"b":[1,2]},"c":1.50}`, `{}`, `{"a":{"b":[1,2]},"c":1.50}`},
		{"big numbers survive", `{"n":12345678901234567890}`, `{"m":1}`, `{"m":1,"n":12345678901234567890}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MergePatch([]byte(tt.original), []byte(tt.patch))
			if err != nil {
				t.Fatalf("MergePatch: %v", err)
			}
			if d := jsonDiff(t, tt.want, string(got)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestMergePatchPreservesNumberText(t *testing.T) {
	got, err := MergePatch([]byte(`{"n":12345678901234567890,"f":1.50}`), []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"f":1.50,"n":12345678901234567890}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestMergePatchErrors(t *testing.T) {
	tests := []struct{ name, original, patch string }{
		{"bad document", `{"a":`, `{}`},
		{"bad patch", `{}`, `{"a"}`},
		{"trailing data", `{}`, `{} {}`},
		{"empty patch", `{}`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := MergePatch([]byte(tt.original), []byte(tt.patch)); !errors.Is(err, ErrInvalidJSON) {
				t.Errorf("err %v, want ErrInvalidJSON", err)
			}
		})
	}
	if _, err := CreateMergePatch([]byte(`{`), []byte(`{}`)); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("CreateMergePatch bad original: %v", err)
	}
	if _, err := CreateMergePatch([]byte(`{}`), []byte(`nope`)); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("CreateMergePatch bad modified: %v", err)
	}
}

func TestCreateMergePatch(t *testing.T) {
	tests := []struct {
		name, original, modified, want string
	}{
		{"no change", `{"a":1,"b":{"c":[1]}}`, `{"b":{"c":[1]},"a":1.0}`, `{}`},
		{"add change remove", `{"a":1,"b":2}`, `{"a":3,"c":4}`, `{"a":3,"b":null,"c":4}`},
		{"nested", `{"m":{"x":1,"y":2}}`, `{"m":{"x":1,"z":3}}`, `{"m":{"y":null,"z":3}}`},
		{"arrays whole", `{"l":[1,2,3]}`, `{"l":[1,3]}`, `{"l":[1,3]}`},
		{"object becomes scalar", `{"o":{"a":1}}`, `{"o":"s"}`, `{"o":"s"}`},
		{"non-object documents", `[1]`, `[2]`, `[2]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CreateMergePatch([]byte(tt.original), []byte(tt.modified))
			if err != nil {
				t.Fatal(err)
			}
			if d := jsonDiff(t, tt.want, string(p)); d != "" {
				t.Errorf("patch (-want +got):\n%s", d)
			}
			got, err := MergePatch([]byte(tt.original), p)
			if err != nil {
				t.Fatal(err)
			}
			if d := jsonDiff(t, tt.modified, string(got)); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

// TestInvalidJSONKeepsTheCause: a syntax error in a patch is both ErrInvalidJSON and the
// decoder's *json.SyntaxError, so callers can report the offset.
func TestInvalidJSONKeepsTheCause(t *testing.T) {
	_, err := MergePatch([]byte(`{"a":1}`), []byte(`{"a":}`))
	if !errors.Is(err, ErrInvalidJSON) {
		t.Fatalf("MergePatch error %v is not ErrInvalidJSON", err)
	}
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) || syntax.Offset == 0 {
		t.Fatalf("MergePatch error %v does not carry the *json.SyntaxError", err)
	}
}
