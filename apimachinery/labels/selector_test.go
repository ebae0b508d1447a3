package labels

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

func TestMatches(t *testing.T) {
	ls := Set{"app": "web", "tier": "front", "n": "5", "big": "9223372036854775807", "neg": "-3", "empty": ""}
	tests := []struct {
		sel  string
		want bool
	}{
		{"", true},
		{"app=web", true},
		{"app==web", true},
		{"app=db", false},
		{"missing=x", false},
		{"app!=db", true},
		{"app!=web", false},
		{"missing!=x", true},
		{"app in (db,web)", true},
		{"app in (db)", false},
		{"missing in (x)", false},
		{"app notin (db)", true},
		{"app notin (web,db)", false},
		{"missing notin (x)", true},
		{"app", true},
		{"missing", false},
		{"!app", false},
		{"!missing", true},
		{"n>4", true},
		{"n>5", false},
		{"n<6", true},
		{"n<5", false},
		{"app>1", false}, // not an integer
		{"missing>1", false},
		{"missing<1", false},
		{"big>9223372036854775806", true},
		{"neg<0", true},
		{"neg>0", false},
		{"empty=", true},
		{"empty in ()", true},
		{"empty in (,a)", true},
		{"empty!=", false},
		{"missing=", false},
		{"app=web,tier=front,n>1", true},
		{"app=web,tier=back", false},
		{"app in (a,b,c,d,e,f,g,h,i,j,web)", true},  // binary search path
		{"app in (a,b,c,d,e,f,g,h,i,j,wex)", false}, // binary search path
		{"app notin (a,b,c,d,e,f,g,h,i,j,k)", true},
	}
	for _, tt := range tests {
		t.Run(tt.sel, func(t *testing.T) {
			sel := MustParse(tt.sel)
			if got := sel.Matches(ls); got != tt.want {
				t.Errorf("%q.Matches = %v, want %v", tt.sel, got, tt.want)
			}
			// The generic Labels path must agree with the Set fast path.
			if got := sel.Matches(labelsFunc(ls)); got != tt.want {
				t.Errorf("%q.Matches(non-Set) = %v, want %v", tt.sel, got, tt.want)
			}
		})
	}
}

// labelsFunc is a Labels that is not a Set, to exercise the interface path.
type labelsFunc map[string]string

func (l labelsFunc) Has(k string) bool   { _, ok := l[k]; return ok }
func (l labelsFunc) Get(k string) string { return l[k] }
func (l labelsFunc) Lookup(k string) (string, bool) {
	v, ok := l[k]
	return v, ok
}

func TestEverythingNothing(t *testing.T) {
	ls := Set{"a": "b"}
	if e := Everything(); !e.Matches(ls) || !e.Empty() || e.String() != "" {
		t.Errorf("Everything: matches=%v empty=%v string=%q", e.Matches(ls), e.Empty(), e.String())
	}
	if rs, ok := Everything().Requirements(); !ok || len(rs) != 0 {
		t.Errorf("Everything requirements = %v, %v", rs, ok)
	}
	n := Nothing()
	if n.Matches(ls) || n.Matches(Set{}) || n.Empty() || n.String() != "" {
		t.Errorf("Nothing: matches=%v empty=%v string=%q", n.Matches(ls), n.Empty(), n.String())
	}
	if rs, ok := n.Requirements(); ok || rs != nil {
		t.Errorf("Nothing requirements = %v, %v", rs, ok)
	}
	r, _ := NewRequirement("a", Exists, nil)
	if n.Add(r).Matches(ls) {
		t.Errorf("Nothing.Add matched")
	}
	if _, ok := n.RequiresExactMatch("a"); ok {
		t.Errorf("Nothing.RequiresExactMatch found")
	}
}

func TestAddIsImmutable(t *testing.T) {
	base := MustParse("b=1")
	r, err := NewRequirement("a", In, []string{"y", "x", "y"})
	if err != nil {
		t.Fatal(err)
	}
	added := base.Add(r)
	if got, want := added.String(), "a in (x,y),b=1"; got != want {
		t.Errorf("Add = %q, want %q", got, want)
	}
	if got := base.String(); got != "b=1" {
		t.Errorf("base changed to %q", got)
	}
	rs, _ := added.Requirements()
	rs[0] = Requirement{}
	if got := added.String(); got != "a in (x,y),b=1" {
		t.Errorf("Requirements() exposed internal state: %q", got)
	}
	vals := r.Values()
	vals[0] = "zzz"
	if got := r.String(); got != "a in (x,y)" {
		t.Errorf("Values() exposed internal state: %q", got)
	}
	if got := SelectorFromRequirements(r).String(); got != "a in (x,y)" {
		t.Errorf("SelectorFromRequirements = %q", got)
	}
}

func TestNewRequirement(t *testing.T) {
	tests := []struct {
		name   string
		key    string
		op     Operator
		values []string
		want   string   // String() on success
		errs   []string // field error messages on failure
	}{
		{"equals", "a", Equals, []string{"b"}, "a=b", nil},
		{"in sorted", "a", In, []string{"c", "b"}, "a in (b,c)", nil},
		{"exists", "a", Exists, nil, "a", nil},
		{"gt", "a", GreaterThan, []string{"10"}, "a>10", nil},
		{"bad key", "a b", Exists, nil, "", []string{`key: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`}},
		{"in no values", "a", In, nil, "", []string{"values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"}},
		{"equals two values", "a", Equals, []string{"b", "c"}, "", []string{`values: Invalid value: []string{"b", "c"}: exact-match compatibility requires one single value`}},
		{"exists with values", "a", DoesNotExist, []string{"b"}, "", []string{`values: Invalid value: []string{"b"}: values set must be empty for exists and does not exist`}},
		{"gt two values", "a", LessThan, []string{"1", "2"}, "", []string{`values: Invalid value: []string{"1", "2"}: for 'Gt', 'Lt' operators, exactly one value is required`}},
		{"gt not int", "a", GreaterThan, []string{"x"}, "", []string{`values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`}},
		{"gt overflow", "a", GreaterThan, []string{"9223372036854775808"}, "", []string{`values[0]: Invalid value: "9223372036854775808": for 'Gt', 'Lt' operators, the value must be an integer`}},
		{"bad operator", "a", Operator("~"), nil, "", []string{`operator: Unsupported value: "~": supported values: "in", "notin", "=", "==", "!=", "exists", "!", "gt", "lt"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRequirement(tt.key, tt.op, tt.values)
			if tt.errs == nil {
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				if got := r.String(); got != tt.want {
					t.Errorf("String() = %q, want %q", got, tt.want)
				}
				if r.Key() != tt.key || r.Operator() != tt.op {
					t.Errorf("Key/Operator = %q/%q", r.Key(), r.Operator())
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, got %q", r.String())
			}
			var agg *field.Aggregate
			if !errors.As(err, &agg) {
				t.Fatalf("error %v does not wrap a field aggregate", err)
			}
			var got []string
			for _, e := range agg.Errors() {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.errs, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(err.Error(), "labels: invalid requirement: ") {
				t.Errorf("message %q lacks the operation", err.Error())
			}
		})
	}
}

func TestRequiresExactMatch(t *testing.T) {
	tests := []struct {
		sel, label, value string
		found             bool
	}{
		{"a=x,b=y", "b", "y", true},
		{"a==x", "a", "x", true},
		{"a in (x)", "a", "x", true},
		{"a in (x,y)", "a", "", false},
		{"a!=x", "a", "", false},
		{"a", "a", "", false},
		{"a=x", "b", "", false},
	}
	for _, tt := range tests {
		v, ok := MustParse(tt.sel).RequiresExactMatch(tt.label)
		if v != tt.value || ok != tt.found {
			t.Errorf("%q.RequiresExactMatch(%q) = %q, %v; want %q, %v", tt.sel, tt.label, v, ok, tt.value, tt.found)
		}
	}
}

func TestSet(t *testing.T) {
	s := Set{"tier": "front", "app": "web", "a.b": "c"}
	if got, want := s.String(), "a.b=c,app=web,tier=front"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if Set(nil).String() != "" {
		t.Errorf("nil set String not empty")
	}
	if v, ok := s.Lookup("app"); !ok || v != "web" {
		t.Errorf("Lookup(app) = %q, %v", v, ok)
	}
	if _, ok := s.Lookup("x"); ok {
		t.Errorf("Lookup(x) found")
	}
	if !s.Has("app") || s.Has("x") || s.Get("app") != "web" || s.Get("x") != "" {
		t.Errorf("Has/Get wrong")
	}
	sel := s.AsSelector()
	if got := sel.String(); got != "a.b=c,app=web,tier=front" {
		t.Errorf("AsSelector = %q", got)
	}
	s["app"] = "db"
	if !sel.Matches(Set{"tier": "front", "app": "web", "a.b": "c", "x": "y"}) {
		t.Errorf("selector did not copy the set or does not match a superset")
	}
	if sel.Matches(Set{"tier": "front"}) {
		t.Errorf("selector matched a subset")
	}
	if !Set(nil).AsSelector().Empty() {
		t.Errorf("empty set selector not empty")
	}
	if _, err := (Set{"a b": "c"}).AsValidatedSelector(); err == nil {
		t.Errorf("AsValidatedSelector accepted a bad key")
	}
	if v, err := (Set{"a": "b"}).AsValidatedSelector(); err != nil || v.String() != "a=b" {
		t.Errorf("AsValidatedSelector = %v, %v", v, err)
	}
	if v, err := Set(nil).AsValidatedSelector(); err != nil || !v.Empty() {
		t.Errorf("AsValidatedSelector(nil) = %v, %v", v, err)
	}
}

func TestSetHelpers(t *testing.T) {
	a := Set{"x": "1", "y": "2"}
	b := Set{"y": "3", "z": "4"}
	if !a.Equal(Set{"y": "2", "x": "1"}) || a.Equal(b) || a.Equal(Set{"x": "1"}) || a.Equal(Set{"x": "1", "q": "2"}) {
		t.Errorf("Equal wrong")
	}
	if !Conflicts(a, b) || Conflicts(a, Set{"x": "1", "w": "0"}) || Conflicts(nil, a) {
		t.Errorf("Conflicts wrong")
	}
	if diff := cmp.Diff(Set{"x": "1", "y": "3", "z": "4"}, Merge(a, b)); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
	if a["y"] != "2" {
		t.Errorf("Merge modified its input")
	}
}

func TestConvertSelectorToLabelsMap(t *testing.T) {
	got, err := ConvertSelectorToLabelsMap("a=1, b==2,a=1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Set{"a": "1", "b": "2"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"a!=1", "a in (1)", "a=1,a=2", "a=("} {
		if _, err := ConvertSelectorToLabelsMap(bad); err == nil {
			t.Errorf("ConvertSelectorToLabelsMap(%q) accepted", bad)
		}
	}
}

func TestParseInt64(t *testing.T) {
	tests := []struct {
		in string
		n  int64
		ok bool
	}{
		{"0", 0, true}, {"+7", 7, true}, {"-7", -7, true}, {"007", 7, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775808", -9223372036854775808, true},
		{"-9223372036854775809", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false}, {"+", 0, false}, {"-", 0, false}, {"1_000", 0, false}, {"0x10", 0, false}, {" 1", 0, false},
	}
	for _, tt := range tests {
		n, ok := parseInt64(tt.in)
		if n != tt.n || ok != tt.ok {
			t.Errorf("parseInt64(%q) = %d, %v; want %d, %v", tt.in, n, ok, tt.n, tt.ok)
		}
	}
}

func TestMatchesDoesNotAllocate(t *testing.T) {
	sel := MustParse("app=web,tier in (front,back),!canary,version notin (v1),n>3")
	ls := Set{"app": "web", "tier": "front", "version": "v2", "n": "x"}
	allocs := testing.AllocsPerRun(100, func() { sel.Matches(ls) })
	if allocs != 0 {
		t.Errorf("Matches allocated %v times per call", allocs)
	}
}
