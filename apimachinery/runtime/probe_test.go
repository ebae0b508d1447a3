package runtime

import (
	"testing"

	kjson "sigs.k8s.io/json"
)

func TestProbeTypeFields(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		av, kind     string
		wantErr      bool
		wantFastPath bool
	}{
		{"first", `{"apiVersion":"v1","kind":"Pod","spec":{}}`, "v1", "Pod", false, true},
		{"after nested values", ` { "metadata" : {"name":"}{\"","x":[1,{"kind":"No"}]} , "n": -1.5e3, "b": true, "z": null, "kind" : "Pod", "apiVersion":"apps/v1" } `,
			"apps/v1", "Pod", false, true},
		{"last duplicate wins", `{"kind":"A","kind":"B","apiVersion":"v1"}`, "v1", "B", false, true},
		{"null", `{"kind":null,"apiVersion":"v1"}`, "v1", "", false, true},
		{"empty object", `{}`, "", "", false, true},
		{"case-sensitive", `{"Kind":"Pod","APIVERSION":"v1"}`, "", "", false, true},
		{"escaped value falls back", `{"kind":"P\u006fd","apiVersion":"v1"}`, "v1", "Pod", false, false},
		{"escaped key falls back", `{"\u006bind":"Pod"}`, "", "Pod", false, false},
		{"number kind is an error", `{"kind":5}`, "", "", true, false},
		{"array is an error", `[]`, "", "", true, false},
		{"trailing garbage is an error", `{"kind":"Pod"} x`, "", "", true, false},
		{"truncated is an error", `{"kind":"Pod",`, "", "", true, false},
		{"bad nested value is found by the full decode", `{"kind":"Pod","x":[}`, "", "", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, fast := scanTypeFields([]byte(tc.in))
			if fast != tc.wantFastPath {
				t.Errorf("fast path = %v, want %v", fast, tc.wantFastPath)
			}
			av, kind, err := probeTypeFields([]byte(tc.in))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if !tc.wantErr && (av != tc.av || kind != tc.kind) {
				t.Errorf("got (%q, %q), want (%q, %q)", av, kind, tc.av, tc.kind)
			}
		})
	}
}

// FuzzProbeTypeFields checks the fast scanner against a full decode: whenever the scanner answers
// and the input is valid JSON, both agree.
func FuzzProbeTypeFields(f *testing.F) {
	for _, s := range []string{`{"apiVersion":"v1","kind":"Pod"}`, `{"a":[{"kind":"x"}],"kind":"y"}`, `{"kind":"a","kind":null}`,
		`{"s":"\"","kind":"K"}`, ` {} `, `{"kind":"K" "x":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		av, kind, ok := scanTypeFields(data)
		var p typeProbe
		err := kjson.UnmarshalCaseSensitivePreserveInts(data, &p)
		if !ok || err != nil {
			return
		}
		var wantAV, wantKind string
		if p.APIVersion != nil {
			wantAV = *p.APIVersion
		}
		if p.Kind != nil {
			wantKind = *p.Kind
		}
		if av != wantAV || kind != wantKind {
			t.Fatalf("%q: scanner (%q, %q), decoder (%q, %q)", data, av, kind, wantAV, wantKind)
		}
	})
}
