package intstr

import (
	"encoding/json"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want IntOrString
	}{
		{"int", `8080`, FromInt32(8080)},
		{"negative", `-3`, FromInt32(-3)},
		{"string", `"http"`, FromString("http")},
		{"percent", `"25%"`, FromString("25%")},
		{"numeric string stays string", `"80"`, FromString("80")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got IntOrString
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("decode %s = %#v, want %#v", tt.in, got, tt.want)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.in {
				t.Fatalf("encode = %s, want %s", out, tt.in)
			}
		})
	}
}

func TestUnmarshalRejects(t *testing.T) {
	for _, in := range []string{`1.5`, `true`, `{}`, `[]`, `99999999999`} {
		var v IntOrString
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("decode %s: want an error, got %#v", in, v)
		}
	}
}

func TestScaledValue(t *testing.T) {
	tests := []struct {
		name    string
		v       IntOrString
		total   int
		up      bool
		want    int
		wantErr bool
	}{
		{"int", FromInt32(3), 10, false, 3, false},
		{"25% of 10 down", FromString("25%"), 10, false, 2, false},
		{"25% of 10 up", FromString("25%"), 10, true, 3, false},
		{"100%", FromString("100%"), 7, false, 7, false},
		{"0%", FromString("0%"), 7, true, 0, false},
		{"not a percent", FromString("abc"), 7, true, 0, true},
		{"negative percent", FromString("-5%"), 7, true, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ScaledValue(&tt.v, tt.total, tt.up)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{`1`, `"a"`, `"50%"`, `null`, `-2147483648`, `2147483648`, `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v IntOrString
		if err := json.Unmarshal(b, &v); err != nil {
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("marshal of decoded value failed: %v", err)
		}
		var back IntOrString
		if err := json.Unmarshal(out, &back); err != nil || back != v {
			t.Fatalf("round trip %q -> %s -> %#v (%v)", b, out, back, err)
		}
	})
}
