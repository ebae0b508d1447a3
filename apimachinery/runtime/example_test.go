package runtime_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Cron is an example type: a real API package generates DeepCopyObject.
type Cron struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Schedule        string `json:"schedule"`
}

func (c *Cron) DeepCopyObject() runtime.Object {
	out := *c
	c.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	return &out
}

type CronList struct {
	meta.TypeMeta `json:",inline"`
	meta.ListMeta `json:"metadata,omitempty"`
	Items         []Cron `json:"items"`
}

func (l *CronList) DeepCopyObject() runtime.Object {
	out := &CronList{TypeMeta: l.TypeMeta, ListMeta: *l.ListMeta.DeepCopy()}
	for i := range l.Items {
		out.Items = append(out.Items, *l.Items[i].DeepCopyObject().(*Cron))
	}
	return out
}

func exampleScheme() *runtime.Scheme {
	gv := schema.GroupVersion{Group: "example.io", Version: "v1"}
	s := runtime.NewScheme()
	if err := s.AddKnownTypes(gv, &Cron{}, &CronList{}); err != nil {
		panic(err)
	}
	if err := s.AddResource(runtime.ResourceInfo{
		GroupVersionResource: gv.WithResource("crons"), Kind: "Cron", ShortNames: []string{"cr"},
		Namespaced: true, Verbs: []string{"get", "list", "watch", "create"},
	}); err != nil {
		panic(err)
	}
	return s
}

func ExampleScheme() {
	s := exampleScheme()

	obj, _ := s.New(schema.GroupVersionKind{Group: "example.io", Version: "v1", Kind: "Cron"})
	fmt.Printf("%T\n", obj)
	gvk, _ := s.ObjectKind(&CronList{})
	fmt.Println(gvk)

	for _, name := range []string{"cr", "crons", "Cron", "crons.example.io", "crons.v1.example.io"} {
		r, _ := s.ResourceFor(name)
		fmt.Println(name, "->", r.GroupVersionResource, r.ListKind, r.Namespaced)
	}
	_, err := s.ResourceFor("pods")
	fmt.Println(errors.Is(err, runtime.ErrNotRegistered))
	// Output:
	// *runtime_test.Cron
	// example.io/v1, Kind=CronList
	// cr -> example.io/v1, Resource=crons CronList true
	// crons -> example.io/v1, Resource=crons CronList true
	// Cron -> example.io/v1, Resource=crons CronList true
	// crons.example.io -> example.io/v1, Resource=crons CronList true
	// crons.v1.example.io -> example.io/v1, Resource=crons CronList true
	// true
}

func ExampleCodec() {
	s := exampleScheme()
	codec, err := runtime.NewYAMLCodec(s, runtime.CodecOptions{Strict: true})
	if err != nil {
		panic(err)
	}
	manifests := `
apiVersion: example.io/v1
kind: Cron
metadata: {name: nightly}
schedule: "0 3 * * *"
---
apiVersion: example.io/v1
kind: Cron
metadata: {name: typo}
schedul: "0 4 * * *"
---
apiVersion: other.io/v1
kind: Mystery
metadata: {name: m}
spec: {size: 3}
`
	d := codec.NewDecoder(strings.NewReader(manifests))
	for {
		obj, err := d.Decode()
		if err != nil && !errors.Is(err, runtime.ErrStrictDecoding) {
			break // io.EOF after the last document
		}
		switch o := obj.(type) {
		case *Cron:
			fmt.Printf("Cron %s %q (err: %v)\n", o.Name, o.Schedule, err)
		case *runtime.Unstructured:
			size, _, _ := runtime.NestedInt64(o.Content, "spec", "size")
			fmt.Printf("%s %s size=%d\n", o.Kind, o.Name, size)
		}
	}

	// Encode fills in apiVersion and kind from the scheme.
	out, _ := codec.Encode(&Cron{ObjectMeta: meta.ObjectMeta{Name: "hourly"}, Schedule: "@hourly"})
	fmt.Print(string(out))
	// Output:
	// Cron nightly "0 3 * * *" (err: <nil>)
	// Cron typo "" (err: runtime: strict decoding error: unknown field "schedul")
	// Mystery m size=3
	// apiVersion: example.io/v1
	// kind: Cron
	// metadata:
	//   creationTimestamp: null
	//   name: hourly
	// schedule: '@hourly'
}

func ExampleUnstructured() {
	u := &runtime.Unstructured{Content: map[string]any{}}
	u.SetGroupVersionKind(schema.GroupVersionKind{Group: "x.io", Version: "v1", Kind: "Thing"})
	u.Name = "t"
	if err := runtime.SetNestedField(u.Content, []string{"a", "b"}, "spec", "tags"); err != nil {
		panic(err)
	}
	tags, _, _ := runtime.NestedStringSlice(u.Content, "spec", "tags")
	fmt.Println(tags)

	s := runtime.NewScheme()
	c, _ := runtime.NewJSONCodec(s, runtime.CodecOptions{})
	b, _ := c.Encode(u)
	fmt.Println(string(b))
	// Output:
	// [a b]
	// {"apiVersion":"x.io/v1","kind":"Thing","metadata":{"name":"t"},"spec":{"tags":["a","b"]}}
}
