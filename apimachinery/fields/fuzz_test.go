package fields

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseSelector checks that ParseSelector never panics, returns only *ParseError values
// with an offset inside the input, and that the canonical String of a parsed selector parses
// back to the same terms.
func FuzzParseSelector(f *testing.F) {
	for _, s := range []string{
		"", "a=b", "a==b", "a!=b", "a=b,c!=d", `a=x\,y`, `a=x\=y\\`, `a=\x`, `a=x\`, "a=b=c",
		"=x", "a!b=c", ",,", " a = b ", "spec.nodeName=", "metadata.name=web,metadata.namespace=default",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sel, err := ParseSelector(in)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseSelector(%q) error %v is not a *ParseError", in, err)
			}
			if pe.Offset < 0 || pe.Offset > len(in) {
				t.Fatalf("offset %d outside input %q", pe.Offset, in)
			}
			return
		}
		out := sel.String()
		again, err := ParseSelector(out)
		if err != nil {
			t.Fatalf("ParseSelector(%q) printed %q which does not parse: %v", in, out, err)
		}
		if diff := cmp.Diff(sel.Requirements(), again.Requirements()); diff != "" {
			t.Fatalf("%q -> %q reparses differently:\n%s", in, out, diff)
		}
		fs := Set{}
		for _, r := range sel.Requirements() {
			fs[r.Field] = r.Value
		}
		sel.Matches(fs)
	})
}

// FuzzEscapeValue checks that UnescapeValue inverts EscapeValue for every string.
func FuzzEscapeValue(f *testing.F) {
	for _, s := range []string{"", "a", `\`, ",", "=", `a\,b=c`, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		back, err := UnescapeValue(EscapeValue(in))
		if err != nil || back != in {
			t.Fatalf("Unescape(Escape(%q)) = %q, %v", in, back, err)
		}
	})
}
