package labels

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // canonical String()
	}{
		{"empty", "", ""},
		{"only spaces", " \t\r\n ", ""},
		{"equals", "x=a", "x=a"},
		{"double equals kept", "x==a", "x==a"},
		{"not equals", "x!=a", "x!=a"},
		{"exists", "x", "x"},
		{"does not exist", "!x", "!x"},
		{"does not exist spaced", "! x", "!x"},
		{"in", "x in (b,a)", "x in (a,b)"},
		{"notin", "x notin (a)", "x notin (a)"},
		{"in without spaces", "x in(a)", "x in (a)"},
		{"gt", "x>1", "x>1"},
		{"lt", "x<10", "x<10"},
		{"gt spaced", "x > 1", "x>1"},
		{"sorted by key", "z=1,a=2,m", "a=2,m,z=1"},
		{"whitespace everywhere", "  x  =  a ,\ty\n!=\rb  ", "x=a,y!=b"},
		{"empty exact value", "x=", "x="},
		{"empty exact value before comma", "x=,y", "x=,y"},
		{"empty not equals", "x!=", "x!="},
		{"empty in", "x in ()", "x in ()"},
		{"in with empty first", "x in (,a)", "x in (,a)"},
		{"in with empty last", "x in (a,)", "x in (,a)"},
		{"in with empty middle", "x in (a,,b)", "x in (,a,b)"},
		{"in only comma", "x in (,)", "x in ()"},
		{"in duplicates", "x in (a,a,b)", "x in (a,b)"},
		{"prefixed key", "example.com/app=web", "example.com/app=web"},
		{"keyword as key", "in", "in"},
		{"keyword as key with in", "in in (in)", "in in (in)"},
		{"keyword as value", "x=notin", "x=notin"},
		{"same key twice", "x=a,x!=b", "x!=b,x=a"},
		{"duplicate requirement kept", "x,x", "x,x"},
		{"all operators", "a=1,b==2,c!=3,d in (4),e notin (5),f,!g,h>6,i<7", "a=1,b==2,c!=3,d in (4),e notin (5),f,!g,h>6,i<7"},
		{"gt with leading zero", "x>007", "x>007"},
		{"long value", "x=" + strings.Repeat("v", 63), "x=" + strings.Repeat("v", 63)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			if got := sel.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			again, err := Parse(sel.String())
			if err != nil {
				t.Fatalf("reparse %q: %v", sel.String(), err)
			}
			if diff := cmp.Diff(reqs(sel), reqs(again), cmp.AllowUnexported(Requirement{})); diff != "" {
				t.Errorf("reparse differs (-first +second):\n%s", diff)
			}
		})
	}
}

func reqs(s Selector) Requirements {
	rs, _ := s.Requirements()
	return rs
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		offset int
		msg    string // Msg of the *ParseError
		field  string // when set, the field of the wrapped *field.Error
	}{
		{"lone comma", ",", 0, "found ',', expected: !, identifier, or 'end of string'", ""},
		{"trailing comma", "x=a,", 4, "found '', expected: identifier after ','", ""},
		{"double comma", "x=a,,y", 4, "found ',', expected: identifier after ','", ""},
		{"missing operator", "x y", 2, "found 'y', expected: in, notin, =, ==, !=, gt, lt", ""},
		{"bang as operator", "x!y", 1, "found '!', expected: in, notin, =, ==, !=, gt, lt", ""},
		{"not with value", "!x=a", 2, "found '=', expected: ',' or 'end of string'", ""},
		{"double not", "!!x", 1, "found '!', expected: identifier", ""},
		{"operator first", "=a", 0, "found '=', expected: !, identifier, or 'end of string'", ""},
		{"extra token", "x=a b", 4, "found 'b', expected: ',' or 'end of string'", ""},
		{"triple equals", "x===a", 3, "found '=', expected: identifier", ""},
		{"in without parens", "x in a", 5, "found 'a', expected: '('", ""},
		{"in unclosed", "x in (a", 7, "found '', expected: ',' or ')'", ""},
		{"in space separated", "x in (a b)", 8, "found 'b', expected: ',' or ')'", ""},
		{"in nested", "x in ((a))", 6, "found '(', expected: ',', ')' or identifier", ""},
		{"in at end", "x in", 4, "found '', expected: '('", ""},
		{"value is paren", "x=(", 2, "found '(', expected: identifier", ""},
		{"gt not integer", "x>a", 1, "invalid requirement", "values[0]"},
		{"gt empty", "x>", 1, "invalid requirement", "values[0]"},
		{"lt negative", "x<-1", 1, "invalid requirement", "values[0]"},
		{"invalid key", "a/b/c=x", 0, "invalid key", "key"},
		{"invalid key upper prefix", "A.com/b", 0, "invalid key", "key"},
		{"invalid value", "x=-a", 1, "invalid requirement", "values[0]"},
		{"invalid in value", "x in (a,b c)", 10, "found 'c', expected: ',' or ')'", ""},
		{"invalid in value chars", "x in (a,b/c)", 2, "invalid requirement", "values[1]"},
		{"value too long", "x=" + strings.Repeat("v", 64), 1, "invalid requirement", "values[0]"},
		{"nul byte in key", "a\x00b", 0, "invalid key", "key"},
		{"unicode space", "a\u00a0b", 0, "invalid key", "key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want error", tt.in, sel.String())
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Offset != tt.offset || pe.Msg != tt.msg {
				t.Errorf("Parse(%q) error at %d %q, want at %d %q (full: %v)", tt.in, pe.Offset, pe.Msg, tt.offset, tt.msg, err)
			}
			if pe.Selector != tt.in {
				t.Errorf("Selector = %q, want %q", pe.Selector, tt.in)
			}
			var fe *field.Error
			if got := errors.As(err, &fe); got != (tt.field != "") {
				t.Fatalf("errors.As(*field.Error) = %v, want %v", got, tt.field != "")
			}
			if fe != nil && fe.Field != tt.field {
				t.Errorf("field error at %q, want %q (%v)", fe.Field, tt.field, fe)
			}
			if !strings.HasPrefix(err.Error(), "labels: parse selector ") {
				t.Errorf("message %q lacks the operation", err.Error())
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("x in (a")
	if got, want := err.Error(), `labels: parse selector "x in (a" at offset 7: found '', expected: ',' or ')'`; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	_, err = Parse("x=-a")
	want := `labels: parse selector "x=-a" at offset 1: invalid requirement: values[0]: Invalid value: "-a": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`
	if got := err.Error(); got != want {
		t.Errorf("message =\n%q\nwant\n%q", got, want)
	}
	long := strings.Repeat("a=b,", 30) + "c=("
	_, err = Parse(long)
	if got := err.Error(); !strings.Contains(got, `a=b,a..." at offset 122: found '('`) {
		t.Errorf("long selector message not shortened: %q", got)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("MustParse of a bad selector did not panic")
		}
	}()
	MustParse("x in (")
}
