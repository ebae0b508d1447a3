package labels

import (
	"errors"
	"slices"
	"strconv"
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
		// Matching agrees with a plain reading of Kubernetes' semantics on label sets built
		// from the selector's own keys and values (present, absent, each value, a number).
		rs, _ := sel.Requirements()
		for _, ls := range probeSets(rs) {
			want := true
			for _, r := range rs {
				want = want && referenceMatch(r, ls)
			}
			if got := sel.Matches(ls); got != want {
				t.Fatalf("Parse(%q).Matches(%v) = %v, reference says %v", in, ls, got, want)
			}
		}
		// The structured form, when there is one, selects the same sets.
		ps, err := SelectorAsLabelSelector(sel)
		if err != nil {
			return // gt and lt have no structured form
		}
		back, err := LabelSelectorAsSelector(ps)
		if err != nil {
			t.Fatalf("LabelSelectorAsSelector(SelectorAsLabelSelector(%q)): %v", in, err)
		}
		for _, ls := range probeSets(rs) {
			if sel.Matches(ls) != back.Matches(ls) {
				t.Fatalf("%q and its LabelSelector %+v disagree on %v", in, ps, ls)
			}
		}
		if !utf8.ValidString(in) {
			return
		}
		sel.Matches(Set{in: in})
	})
}

// probeSets returns label sets that exercise each requirement: empty, every key with each of
// its values, every key with a value no requirement names, and numbers around gt/lt operands.
func probeSets(rs Requirements) []Set {
	sets := []Set{{}}
	all := Set{}
	for _, r := range rs {
		sets = append(sets, Set{r.key: "zz-not-a-value"})
		for _, v := range r.values {
			sets = append(sets, Set{r.key: v})
			all[r.key] = v
		}
		if r.op == GreaterThan || r.op == LessThan {
			for _, d := range []int64{-1, 0, 1} {
				sets = append(sets, Set{r.key: strconv.FormatInt(r.num+d, 10)})
			}
		}
	}
	return append(sets, all)
}

// referenceMatch is Kubernetes' Requirement.Matches written plainly.
func referenceMatch(r Requirement, ls Set) bool {
	v, ok := ls[r.key]
	in := slices.Contains(r.values, v)
	switch r.op {
	case In, Equals, DoubleEquals:
		return ok && in
	case NotIn, NotEquals:
		return !ok || !in
	case Exists:
		return ok
	case DoesNotExist:
		return !ok
	case GreaterThan, LessThan:
		if !ok {
			return false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return false
		}
		m, err := strconv.ParseInt(r.values[0], 10, 64)
		if err != nil {
			return false
		}
		if r.op == GreaterThan {
			return n > m
		}
		return n < m
	}
	return false
}
