package labels

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

func TestLabelSelectorAsSelector(t *testing.T) {
	tests := []struct {
		name    string
		in      *meta.LabelSelector
		want    string
		nothing bool
		wantErr string
	}{
		{name: "nil matches nothing", in: nil, nothing: true},
		{name: "empty matches everything", in: &meta.LabelSelector{}, want: ""},
		{name: "match labels", in: &meta.LabelSelector{MatchLabels: map[string]string{"b": "2", "a": "1"}}, want: "a=1,b=2"},
		{name: "expressions", in: &meta.LabelSelector{
			MatchLabels: map[string]string{"app": "web"},
			MatchExpressions: []meta.LabelSelectorRequirement{
				{Key: "tier", Operator: meta.LabelSelectorOpIn, Values: []string{"front", "back"}},
				{Key: "env", Operator: meta.LabelSelectorOpNotIn, Values: []string{"dev"}},
				{Key: "gpu", Operator: meta.LabelSelectorOpExists},
				{Key: "canary", Operator: meta.LabelSelectorOpDoesNotExist},
			}}, want: "app=web,!canary,env notin (dev),gpu,tier in (back,front)"},
		{name: "bad operator", in: &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: "Gt", Values: []string{"1"}}}},
			wantErr: `labels: convert label selector: matchExpressions[0]: "Gt" is not a valid label selector operator`},
		{name: "in without values", in: &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: meta.LabelSelectorOpIn}}},
			wantErr: "labels: convert label selector: matchExpressions[0]: labels: invalid requirement: values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"},
		{name: "bad label value", in: &meta.LabelSelector{MatchLabels: map[string]string{"a": "b c"}},
			wantErr: `labels: convert label selector: matchLabels: labels: invalid requirement: values[0]: Invalid value: "b c": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := LabelSelectorAsSelector(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.nothing {
				if sel.Matches(Set{}) || sel.Empty() {
					t.Errorf("nil selector matched or is empty")
				}
				return
			}
			if got := sel.String(); got != tt.want {
				t.Errorf("String = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSelectorAsLabelSelectorRoundTrip(t *testing.T) {
	tests := []struct {
		sel  string
		want *meta.LabelSelector
	}{
		{"", &meta.LabelSelector{}},
		{"a=1,b==2", &meta.LabelSelector{MatchLabels: map[string]string{"a": "1", "b": "2"}}},
		{"a=1,a=2", &meta.LabelSelector{MatchLabels: map[string]string{"a": "1"},
			MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: meta.LabelSelectorOpIn, Values: []string{"2"}}}}},
		{"a!=1,b in (y,x),c notin (z),d,!e", &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{
			{Key: "a", Operator: meta.LabelSelectorOpNotIn, Values: []string{"1"}},
			{Key: "b", Operator: meta.LabelSelectorOpIn, Values: []string{"x", "y"}},
			{Key: "c", Operator: meta.LabelSelectorOpNotIn, Values: []string{"z"}},
			{Key: "d", Operator: meta.LabelSelectorOpExists},
			{Key: "e", Operator: meta.LabelSelectorOpDoesNotExist},
		}}},
	}
	sets := []Set{{}, {"a": "1"}, {"a": "2"}, {"a": "1", "b": "2"}, {"b": "x", "d": ""}, {"b": "y", "c": "z", "d": "1"}, {"a": "3", "b": "x", "d": "q"}, {"b": "x", "d": "q", "e": ""}}
	for _, tt := range tests {
		t.Run(tt.sel, func(t *testing.T) {
			sel := MustParse(tt.sel)
			ls, err := SelectorAsLabelSelector(sel)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, ls); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			back, err := LabelSelectorAsSelector(ls)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sets {
				if sel.Matches(s) != back.Matches(s) {
					t.Errorf("round trip disagrees on %v: %v vs %v", s, sel.Matches(s), back.Matches(s))
				}
			}
			parsed, err := ParseToLabelSelector(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, parsed); diff != "" {
				t.Errorf("ParseToLabelSelector (-want +got):\n%s", diff)
			}
		})
	}
	if ls, err := SelectorAsLabelSelector(Nothing()); ls != nil || err != nil {
		t.Errorf("Nothing -> %v, %v; want nil, nil", ls, err)
	}
	if _, err := SelectorAsLabelSelector(MustParse("a>1")); err == nil {
		t.Errorf("gt converted without error")
	}
	if _, err := ParseToLabelSelector("a in ("); err == nil {
		t.Errorf("ParseToLabelSelector accepted bad input")
	}
}

func TestSetAsLabelSelectorAndBack(t *testing.T) {
	if SetAsLabelSelector(nil) != nil {
		t.Errorf("nil set did not give nil selector")
	}
	s := Set{"a": "1"}
	ls := SetAsLabelSelector(s)
	s["a"] = "2"
	if ls.MatchLabels["a"] != "1" {
		t.Errorf("SetAsLabelSelector did not copy")
	}
	got, err := LabelSelectorAsSet(&meta.LabelSelector{MatchLabels: map[string]string{"a": "1"},
		MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpIn, Values: []string{"2"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Set{"a": "1", "b": "2"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got, err := LabelSelectorAsSet(nil); got != nil || err != nil {
		t.Errorf("nil -> %v, %v", got, err)
	}
	for _, bad := range []*meta.LabelSelector{
		{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpIn, Values: []string{"2", "3"}}}},
		{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpExists}}},
		{MatchLabels: map[string]string{"b": "1"}, MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpIn, Values: []string{"2"}}}},
	} {
		if _, err := LabelSelectorAsSet(bad); err == nil {
			t.Errorf("LabelSelectorAsSet(%+v) accepted", bad)
		}
	}
}

func TestValidateLabelSelector(t *testing.T) {
	path := field.NewPath("spec", "selector")
	ls := &meta.LabelSelector{
		MatchLabels: map[string]string{"ok": "yes", "bad key!": "v"},
		MatchExpressions: []meta.LabelSelectorRequirement{
			{Key: "a", Operator: meta.LabelSelectorOpIn},
			{Key: "b", Operator: meta.LabelSelectorOpExists, Values: []string{"x"}},
			{Key: "c", Operator: "Gt", Values: []string{"1"}},
			{Key: "d", Operator: meta.LabelSelectorOpNotIn, Values: []string{"ok", "-bad"}},
			{Key: "", Operator: meta.LabelSelectorOpExists},
		},
	}
	var got []string
	for _, e := range ValidateLabelSelector(ls, path) {
		got = append(got, e.Type.String()+" @ "+e.Field)
	}
	want := []string{
		"Invalid value @ spec.selector.matchLabels",
		"Required value @ spec.selector.matchExpressions[0].values",
		"Forbidden @ spec.selector.matchExpressions[1].values",
		"Invalid value @ spec.selector.matchExpressions[2].operator",
		"Invalid value @ spec.selector.matchExpressions[3].values[1]",
		"Invalid value @ spec.selector.matchExpressions[4].key",
		"Invalid value @ spec.selector.matchExpressions[4].key",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if errs := ValidateLabelSelector(nil, path); errs != nil {
		t.Errorf("nil selector: %v", errs)
	}
	errs := ValidateLabelSelector(ls, path)
	if got, want := errs[1].Error(), "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}
