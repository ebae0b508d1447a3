package labels

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var fuzzSeeds = []string{
	"", "x", "!x", "x=a", "x==a", "x!=a", "x in (a,b)", "x notin (a)", "x>1", "x<2",
	"a=1,b in (2,3),!c,d notin (,x),e>10", "x in ()", "x in (,)", "x in (a,,b)", "x in (a,,)",
	"x=", "x=,y", "in in (in)", "example.com/a=b", "x in (a", "x,,y", "!!x", "x===a",
	"  a  =  b  ", "a\tin\n(b)", "x>-1", "x>9223372036854775808",
}

// FuzzParse checks that Parse never panics, that errors are *ParseError values with an offset
// inside the input, and that a parsed selector prints to a string that parses back to an
// equal selector (same requirements, same String).
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sel, err := Parse(in)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v is not a *ParseError", in, err)
			}
			if pe.Offset < 0 || pe.Offset > len(in) {
				t.Fatalf("Parse(%q) error offset %d outside input", in, pe.Offset)
			}
			return
		}
		out := sel.String()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) printed %q which does not parse: %v", in, out, err)
		}
		if diff := cmp.Diff(reqs(sel), reqs(again), cmp.AllowUnexported(Requirement{})); diff != "" {
			t.Fatalf("Parse(%q) -> %q reparses differently (-first +second):\n%s", in, out, diff)
		}
		if again.String() != out {
			t.Fatalf("String not stable: %q then %q", out, again.String())
		}
		if !utf8.ValidString(in) {
			return
		}
		// Matching never panics, whatever the labels.
		sel.Matches(Set{in: in, "x": "1", "a": ""})
	})
}
