package labels_test

import (
	"errors"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

func ExampleParse() {
	sel, err := labels.Parse("tier in (front, back), app = web, !canary")
	if err != nil {
		panic(err)
	}
	fmt.Println(sel.String())
	fmt.Println(sel.Matches(labels.Set{"app": "web", "tier": "front"}))
	fmt.Println(sel.Matches(labels.Set{"app": "web", "tier": "front", "canary": "true"}))
	// Output:
	// app=web,!canary,tier in (back,front)
	// true
	// false
}

func ExampleParse_error() {
	_, err := labels.Parse("app in (web")
	var pe *labels.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Offset, pe.Msg)
	}
	fmt.Println(err)
	// Output:
	// 11 found '', expected: ',' or ')'
	// labels: parse selector "app in (web" at offset 11: found '', expected: ',' or ')'
}

func ExampleLabelSelectorAsSelector() {
	spec := &meta.LabelSelector{
		MatchLabels:      map[string]string{"app": "web"},
		MatchExpressions: []meta.LabelSelectorRequirement{{Key: "env", Operator: meta.LabelSelectorOpNotIn, Values: []string{"dev"}}},
	}
	sel, err := labels.LabelSelectorAsSelector(spec)
	if err != nil {
		panic(err)
	}
	fmt.Println(sel)
	none, _ := labels.LabelSelectorAsSelector(nil)
	fmt.Println(none.Matches(labels.Set{"app": "web"}))
	// Output:
	// app=web,env notin (dev)
	// false
}

func ExampleSet_AsSelector() {
	s := labels.Set{"tier": "front", "app": "web"}
	fmt.Println(s)
	fmt.Println(s.AsSelector().Matches(labels.Set{"app": "web", "tier": "front", "zone": "a"}))
	// Output:
	// app=web,tier=front
	// true
}
