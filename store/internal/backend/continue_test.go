package backend

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/schema"
)

func TestContinueRoundTrip(t *testing.T) {
	cases := []struct {
		name   string
		c      Continue
		prefix string
	}{
		{"namespaced", Continue{Revision: 42, Key: "ns1/web-1"}, "ns1/"},
		{"all namespaces", Continue{Revision: 1, Key: "ns1/web-1"}, ""},
		{"cluster-scoped", Continue{Revision: 1 << 40, Key: "/node-7"}, ""},
		{"odd bytes", Continue{Revision: 9, Key: "ns/\x00\xff\"\\"}, "ns/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := EncodeContinue(tc.c)
			got, err := DecodeContinue(tok, tc.prefix)
			if err != nil {
				t.Fatalf("decode %q: %v", tok, err)
			}
			// JSON replaces invalid UTF-8 with U+FFFD; keys are valid names in practice.
			want := tc.c
			want.Key = strings.ToValidUTF8(want.Key, "\uFFFD")
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
		})
	}
}

func TestDecodeContinueRejects(t *testing.T) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	cases := []struct {
		name, token, prefix string
	}{
		{"empty", "", ""},
		{"not base64", "%%%", ""},
		{"padding", EncodeContinue(Continue{Revision: 1, Key: "a/b"}) + "=", ""},
		{"not json", b64("hello"), ""},
		{"trailing data", b64(`{"v":"cellkit/continue.v1","rv":1,"start":"a/b"} {}`), ""},
		{"unknown field", b64(`{"v":"cellkit/continue.v1","rv":1,"start":"a/b","x":1}`), ""},
		{"other version", b64(`{"v":"meta.k8s.io/v1","rv":1,"start":"a/b"}`), ""},
		{"zero revision", b64(`{"v":"cellkit/continue.v1","rv":0,"start":"a/b"}`), ""},
		{"negative revision", b64(`{"v":"cellkit/continue.v1","rv":-4,"start":"a/b"}`), ""},
		{"revision not a number", b64(`{"v":"cellkit/continue.v1","rv":"1","start":"a/b"}`), ""},
		{"empty key", b64(`{"v":"cellkit/continue.v1","rv":1,"start":""}`), ""},
		{"key outside prefix", EncodeContinue(Continue{Revision: 3, Key: "ns2/a"}), "ns1/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeContinue(tc.token, tc.prefix)
			if !errors.Is(err, ErrBadContinue) {
				t.Fatalf("error = %v, want ErrBadContinue", err)
			}
		})
	}
}

func FuzzDecodeContinue(f *testing.F) {
	f.Add(EncodeContinue(Continue{Revision: 7, Key: "ns1/a"}), "ns1/")
	f.Add(EncodeContinue(Continue{Revision: 1, Key: "/node"}), "")
	f.Add("eyJ2IjoiY2VsbGtpdC9jb250aW51ZS52MSJ9", "")
	f.Add("%%", "x/")
	f.Fuzz(func(t *testing.T, token, prefix string) {
		c, err := DecodeContinue(token, prefix)
		if err != nil {
			if !errors.Is(err, ErrBadContinue) {
				t.Fatalf("error %v does not wrap ErrBadContinue", err)
			}
			return
		}
		if c.Revision < 1 || c.Key == "" || !strings.HasPrefix(c.Key, prefix) {
			t.Fatalf("accepted token %q gives %+v (prefix %q)", token, c, prefix)
		}
		// What decodes re-encodes to a token that decodes to the same thing.
		again, err := DecodeContinue(EncodeContinue(c), prefix)
		if err != nil || again != c {
			t.Fatalf("re-encoded %+v decodes to %+v, %v", c, again, err)
		}
	})
}

func FuzzParseRevision(f *testing.F) {
	for _, s := range []string{"", "1", "42", "0", "-1", "9223372036854775807", "9223372036854775808", "1e3", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseRevision("fuzz", schemaGR, s)
		switch {
		case err != nil:
			if n != 0 {
				t.Fatalf("error with revision %d", n)
			}
		case s == "":
			if n != 0 {
				t.Fatalf("empty string gives %d", n)
			}
		default:
			if n <= 0 || FormatRevision(n) != s {
				t.Fatalf("%q parses to %d, which formats as %q", s, n, FormatRevision(n))
			}
		}
	})
}

var schemaGR = schema.GroupResource{Resource: "widgets"}
