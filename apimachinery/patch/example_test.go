package patch_test

import (
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/patch"
)

func ExampleMergePatch() {
	out, err := patch.MergePatch(
		[]byte(`{"metadata":{"labels":{"app":"web","tier":"fe"}},"spec":{"replicas":1}}`),
		[]byte(`{"metadata":{"labels":{"tier":null}},"spec":{"replicas":3}}`))
	fmt.Println(string(out), err)
	// Output: {"metadata":{"labels":{"app":"web"}},"spec":{"replicas":3}} <nil>
}

func ExampleApplyJSONPatch() {
	out, err := patch.ApplyJSONPatch(
		[]byte(`{"spec":{"containers":[{"name":"app","image":"app:1"}]}}`),
		[]byte(`[{"op":"test","path":"/spec/containers/0/name","value":"app"},
		         {"op":"replace","path":"/spec/containers/0/image","value":"app:2"}]`))
	fmt.Println(string(out), err)

	_, err = patch.ApplyJSONPatch([]byte(`{"a":1}`), []byte(`[{"op":"test","path":"/a","value":2}]`))
	fmt.Println(err)
	// Output:
	// {"spec":{"containers":[{"image":"app:2","name":"app"}]}} <nil>
	// apply json patch: operation 0 (test /a): test operation failed: value at "/a" differs
}

type container struct {
	Name  string `json:"name"`
	Image string `json:"image,omitempty"`
}

type podSpec struct {
	Containers []container `json:"containers" patchStrategy:"merge" patchMergeKey:"name"`
}

type pod struct {
	Spec podSpec `json:"spec"`
}

func ExampleStrategicMergePatch() {
	live := []byte(`{"spec":{"containers":[{"name":"app","image":"app:1"},{"name":"proxy","image":"envoy"}]}}`)
	out, err := patch.StrategicMergePatch(live,
		[]byte(`{"spec":{"containers":[{"name":"app","image":"app:2"},{"name":"proxy","$patch":"delete"}]}}`),
		&pod{})
	fmt.Println(string(out), err)
	// Output: {"spec":{"containers":[{"image":"app:2","name":"app"}]}} <nil>
}

func ExampleCreateTwoWayMergePatch() {
	p, err := patch.CreateTwoWayMergePatch(
		[]byte(`{"spec":{"containers":[{"name":"app","image":"app:1"},{"name":"proxy"}]}}`),
		[]byte(`{"spec":{"containers":[{"name":"app","image":"app:2"}]}}`),
		&pod{})
	fmt.Println(string(p), err)
	// Output: {"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"image":"app:2","name":"app"},{"$patch":"delete","name":"proxy"}]}} <nil>
}
