package registry_test

import (
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/apis/internal/registry"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

type Gadget struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
}

func (g *Gadget) DeepCopyObject() runtime.Object { c := *g; return &c }

type GadgetList struct {
	meta.TypeMeta `json:",inline"`
	meta.ListMeta `json:"metadata,omitempty"`
	Items         []Gadget `json:"items"`
}

func (l *GadgetList) DeepCopyObject() runtime.Object { c := *l; return &c }

// An API package's AddToScheme registers its kinds and resources; calling it twice is harmless.
func ExampleRegister() {
	gv := schema.GroupVersion{Group: "example.com", Version: "v1"}
	addToScheme := func(s *runtime.Scheme) error {
		return registry.Register(s, gv, []runtime.Object{&Gadget{}, &GadgetList{}}, []registry.Resource{
			{Plural: "gadgets", Kind: "Gadget", Singular: "gadget", Namespaced: true,
				ShortNames: []string{"gd"}, Categories: []string{"all"}, Subresources: []string{"status"}},
		})
	}
	s := runtime.NewScheme()
	fmt.Println(addToScheme(s), addToScheme(s))

	info, err := s.ResourceFor("gd")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.GroupVersionResource, info.Kind, info.ListKind, info.Namespaced)
	fmt.Println(info.Verbs)
	// Output:
	// <nil> <nil>
	// example.com/v1, Resource=gadgets Gadget GadgetList true
	// [create delete deletecollection get list patch update watch]
}
