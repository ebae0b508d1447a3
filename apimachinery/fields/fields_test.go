package fields

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

func TestEscapeValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{`a,b`, `a\,b`},
		{`a=b`, `a\=b`},
		{`a\b`, `a\\b`},
		{`\,=`, `\\\,\=`},
		{"caf\u00e9=1", "caf\u00e9\\=1"},
	}
	for _, tt := range tests {
		got := EscapeValue(tt.in)
		if got != tt.want {
			t.Errorf("EscapeValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
		back, err := UnescapeValue(got)
		if err != nil || back != tt.in {
			t.Errorf("UnescapeValue(%q) = %q, %v; want %q", got, back, err, tt.in)
		}
	}
}

func TestUnescapeValueErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantErr error
	}{
		{`a\`, InvalidEscapeSequence{Sequence: `\`}},
		{`a\b`, InvalidEscapeSequence{Sequence: `\b`}},
		{"a\\\u00e9", InvalidEscapeSequence{Sequence: "\\\u00e9"}},
		{`a,b`, UnescapedRune{Rune: ','}},
		{`a=b`, UnescapedRune{Rune: '='}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := UnescapeValue(tt.in)
			if err != tt.wantErr {
				t.Errorf("UnescapeValue(%q) error = %#v, want %#v", tt.in, err, tt.wantErr)
			}
		})
	}
	if got, want := (UnescapedRune{Rune: ','}).Error(), `fields: unescaped ',' in value`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if got, want := (InvalidEscapeSequence{Sequence: `\b`}).Error(), `fields: invalid escape sequence "\\b" in value`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestParseSelector(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Requirements
		str  string
	}{
		{"empty", "", nil, ""},
		{"only commas", ",,", nil, ""},
		{"equals", "metadata.name=web", Requirements{{"metadata.name", Equals, "web"}}, "metadata.name=web"},
		{"double equals prints as equals", "a==b", Requirements{{"a", Equals, "b"}}, "a=b"},
		{"not equals", "a!=b", Requirements{{"a", NotEquals, "b"}}, "a!=b"},
		{"empty value", "spec.nodeName=", Requirements{{"spec.nodeName", Equals, ""}}, "spec.nodeName="},
		{"sorted", "b=2,a=1,a!=3", Requirements{{"a", NotEquals, "3"}, {"a", Equals, "1"}, {"b", Equals, "2"}}, "a!=3,a=1,b=2"},
		{"escaped comma", `a=x\,y,b=z`, Requirements{{"a", Equals, "x,y"}, {"b", Equals, "z"}}, `a=x\,y,b=z`},
		{"escaped equals and backslash", `a=x\=y\\`, Requirements{{"a", Equals, `x=y\`}}, `a=x\=y\\`},
		{"value starting with equals after ==", `a==\=x`, Requirements{{"a", Equals, "=x"}}, `a=\=x`},
		{"bang in field", "a!b=c", Requirements{{"a!b", Equals, "c"}}, "a!b=c"},
		{"whitespace kept", " a = b ", Requirements{{" a ", Equals, " b "}}, " a = b "},
		{"skip empty terms", "a=1,,b=2,", Requirements{{"a", Equals, "1"}, {"b", Equals, "2"}}, "a=1,b=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := ParseSelector(tt.in)
			if err != nil {
				t.Fatalf("ParseSelector(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, sel.Requirements()); diff != "" {
				t.Errorf("requirements (-want +got):\n%s", diff)
			}
			if got := sel.String(); got != tt.str {
				t.Errorf("String = %q, want %q", got, tt.str)
			}
			if sel.Empty() != (len(tt.want) == 0) {
				t.Errorf("Empty = %v", sel.Empty())
			}
			again, err := ParseSelector(sel.String())
			if err != nil {
				t.Fatalf("reparse: %v", err)
			}
			if diff := cmp.Diff(sel.Requirements(), again.Requirements()); diff != "" {
				t.Errorf("reparse differs:\n%s", diff)
			}
		})
	}
}

func TestParseSelectorErrors(t *testing.T) {
	tests := []struct {
		name, in, term string
		offset         int
		msg            string
		wrapped        error
	}{
		{"no operator", "a=1,bogus", "bogus", 4, "expected an operator (=, == or !=)", nil},
		{"lone bang", "a!b", "a!b", 0, "expected an operator (=, == or !=)", nil},
		{"empty field", "=x", "=x", 0, "empty field name", nil},
		{"unescaped comma is a split, then no operator", `a=b,c`, "c", 4, "expected an operator (=, == or !=)", nil},
		{"unescaped equals", "a=b=c", "a=b=c", 0, "invalid value", UnescapedRune{Rune: '='}},
		{"bad escape", `a=\x`, `a=\x`, 0, "invalid value", InvalidEscapeSequence{Sequence: `\x`}},
		{"trailing backslash", `b=1,a=x\`, `a=x\`, 4, "invalid value", InvalidEscapeSequence{Sequence: `\`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSelector(tt.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseSelector(%q) error = %v, want *ParseError", tt.in, err)
			}
			if pe.Term != tt.term || pe.Offset != tt.offset || pe.Msg != tt.msg || pe.Selector != tt.in {
				t.Errorf("got term %q offset %d msg %q; want %q %d %q", pe.Term, pe.Offset, pe.Msg, tt.term, tt.offset, tt.msg)
			}
			if tt.wrapped != nil && !errors.Is(err, tt.wrapped) {
				t.Errorf("error %v does not wrap %#v", err, tt.wrapped)
			}
		})
	}
	_, err := ParseSelector(`a=\x`)
	if got, want := err.Error(), `fields: parse selector "a=\\x": term "a=\\x" at offset 0: invalid value: fields: invalid escape sequence "\\x" in value`; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

// getter is a Fields that is not a Set.
type getter map[string]string

func (g getter) Has(f string) bool   { _, ok := g[f]; return ok }
func (g getter) Get(f string) string { return g[f] }

func TestMatches(t *testing.T) {
	f := Set{"metadata.name": "web", "metadata.namespace": "default", "spec.nodeName": ""}
	tests := []struct {
		sel  string
		want bool
	}{
		{"", true},
		{"metadata.name=web", true},
		{"metadata.name==web", true},
		{"metadata.name=db", false},
		{"metadata.name!=db", true},
		{"metadata.name!=web", false},
		{"metadata.name=web,metadata.namespace=default", true},
		{"metadata.name=web,metadata.namespace=kube-system", false},
		{"spec.nodeName=", true},
		{"status.phase=", true}, // absent fields read as ""
		{"status.phase!=", false},
		{"status.phase=Running", false},
	}
	for _, tt := range tests {
		sel := MustParseSelector(tt.sel)
		if got := sel.Matches(f); got != tt.want {
			t.Errorf("%q.Matches = %v, want %v", tt.sel, got, tt.want)
		}
		if got := sel.Matches(getter(f)); got != tt.want {
			t.Errorf("%q.Matches(non-Set) = %v, want %v", tt.sel, got, tt.want)
		}
	}
	if Nothing().Matches(f) || Nothing().Empty() || Nothing().String() != "" || Nothing().Requirements() != nil {
		t.Errorf("Nothing misbehaves")
	}
	if !Everything().Matches(f) || !Everything().Empty() {
		t.Errorf("Everything misbehaves")
	}
	sel := MustParseSelector("metadata.name=web,metadata.namespace!=x")
	allocs := testing.AllocsPerRun(100, func() { sel.Matches(f) })
	if allocs != 0 {
		t.Errorf("Matches allocated %v per call", allocs)
	}
}

func TestRequiresExactMatch(t *testing.T) {
	tests := []struct {
		sel, field, value string
		found             bool
	}{
		{"spec.nodeName=node-1", "spec.nodeName", "node-1", true},
		{"metadata.name=a,spec.nodeName==node-2", "spec.nodeName", "node-2", true},
		{"spec.nodeName!=node-1", "spec.nodeName", "", false},
		{"metadata.name=a", "spec.nodeName", "", false},
		{"spec.nodeName=", "spec.nodeName", "", true},
	}
	for _, tt := range tests {
		v, ok := MustParseSelector(tt.sel).RequiresExactMatch(tt.field)
		if v != tt.value || ok != tt.found {
			t.Errorf("%q.RequiresExactMatch(%q) = %q, %v; want %q, %v", tt.sel, tt.field, v, ok, tt.value, tt.found)
		}
	}
	if _, ok := Nothing().RequiresExactMatch("a"); ok {
		t.Errorf("Nothing found an exact match")
	}
}

func TestTransform(t *testing.T) {
	sel := MustParseSelector("host=node-1,metadata.name=web,drop=me")
	out, err := sel.Transform(func(f, v string) (string, string, error) {
		switch f {
		case "host":
			return "spec.nodeName", v, nil
		case "drop":
			return "", "", nil
		}
		return f, strings.ToUpper(v), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "metadata.name=WEB,spec.nodeName=node-1"; got != want {
		t.Errorf("Transform = %q, want %q", got, want)
	}
	if sel.String() != "drop=me,host=node-1,metadata.name=web" {
		t.Errorf("Transform changed the original: %q", sel.String())
	}
	boom := errors.New("field label not supported")
	_, err = sel.Transform(func(f, v string) (string, string, error) { return "", "", boom })
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "fields: transform ") {
		t.Errorf("Transform error = %v", err)
	}
	empty, err := sel.Transform(func(string, string) (string, string, error) { return "", "", nil })
	if err != nil || !empty.Empty() {
		t.Errorf("all dropped = %v, %v", empty, err)
	}
	if n, err := Nothing().Transform(nil); err != nil || n.Matches(Set{}) {
		t.Errorf("Nothing.Transform = %v, %v", n, err)
	}
	parsed, err := ParseAndTransformSelector("host=n", func(f, v string) (string, string, error) { return "spec.nodeName", v, nil })
	if err != nil || parsed.String() != "spec.nodeName=n" {
		t.Errorf("ParseAndTransformSelector = %v, %v", parsed, err)
	}
}

func TestConstructors(t *testing.T) {
	if got := OneTermEqualSelector("a", "x,y").String(); got != `a=x\,y` {
		t.Errorf("OneTermEqualSelector = %q", got)
	}
	if got := OneTermNotEqualSelector("a", "x").String(); got != "a!=x" {
		t.Errorf("OneTermNotEqualSelector = %q", got)
	}
	s := Set{"b": "2", "a": "x=y"}
	if got := s.String(); got != `a=x\=y,b=2` {
		t.Errorf("Set.String = %q", got)
	}
	sel := s.AsSelector()
	s["b"] = "3"
	if got := sel.String(); got != `a=x\=y,b=2` {
		t.Errorf("AsSelector = %q (did not copy?)", got)
	}
	if !Set(nil).AsSelector().Empty() {
		t.Errorf("empty set selector not empty")
	}
	and := AndSelectors(OneTermEqualSelector("b", "1"), OneTermNotEqualSelector("a", "2"), Everything())
	if got := and.String(); got != "a!=2,b=1" {
		t.Errorf("AndSelectors = %q", got)
	}
	if AndSelectors(and, Nothing()).Matches(Set{"b": "1"}) {
		t.Errorf("AndSelectors with Nothing matched")
	}
	if !AndSelectors().Empty() {
		t.Errorf("AndSelectors() not empty")
	}
	if !s.Has("a") || s.Has("z") || s.Get("a") != "x=y" {
		t.Errorf("Set Has/Get wrong")
	}
	if got := (Requirement{Field: "a", Operator: NotEquals, Value: ","}).String(); got != `a!=\,` {
		t.Errorf("Requirement.String = %q", got)
	}
}

func TestObjectMetaSet(t *testing.T) {
	m := &meta.ObjectMeta{Name: "web", Namespace: "default"}
	if diff := cmp.Diff(Set{"metadata.name": "web", "metadata.namespace": "default"}, ObjectMetaSet(m, true)); diff != "" {
		t.Errorf("namespaced (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Set{"metadata.name": "web"}, ObjectMetaSet(m, false)); diff != "" {
		t.Errorf("cluster (-want +got):\n%s", diff)
	}
	got := AddObjectMetaSet(Set{"spec.nodeName": "n1"}, m, true)
	if diff := cmp.Diff(Set{"spec.nodeName": "n1", "metadata.name": "web", "metadata.namespace": "default"}, got); diff != "" {
		t.Errorf("AddObjectMetaSet (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Set{"metadata.name": "web"}, AddObjectMetaSet(nil, m, false)); diff != "" {
		t.Errorf("AddObjectMetaSet(nil) (-want +got):\n%s", diff)
	}
	if !MustParseSelector("metadata.namespace=default,metadata.name!=db").Matches(ObjectMetaSet(m, true)) {
		t.Errorf("selector did not match object meta set")
	}
}

func TestMustParseSelectorPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Errorf("no panic")
		} else if !strings.Contains(fmt.Sprint(r), "expected an operator") {
			t.Errorf("panic value %v", r)
		}
	}()
	MustParseSelector("nonsense")
}
