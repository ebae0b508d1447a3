package fields_test

import (
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

func ExampleParseSelector() {
	sel, err := fields.ParseSelector("spec.nodeName=node-1,metadata.namespace!=kube-system")
	if err != nil {
		panic(err)
	}
	fmt.Println(sel)
	node, ok := sel.RequiresExactMatch("spec.nodeName")
	fmt.Println(node, ok)

	pod := fields.AddObjectMetaSet(fields.Set{"spec.nodeName": "node-1"}, &meta.ObjectMeta{Name: "web", Namespace: "default"}, true)
	fmt.Println(sel.Matches(pod))
	// Output:
	// metadata.namespace!=kube-system,spec.nodeName=node-1
	// node-1 true
	// true
}

func ExampleEscapeValue() {
	v := fields.EscapeValue(`a,b=c\d`)
	fmt.Println(v)
	back, _ := fields.UnescapeValue(v)
	fmt.Println(back)
	// Output:
	// a\,b\=c\\d
	// a,b=c\d
}
