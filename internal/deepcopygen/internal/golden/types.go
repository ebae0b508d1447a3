package golden

import (
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Phase is a string enum: copied by assignment, no methods.
type Phase string

// Widget is a top-level kind: it gets DeepCopyObject.
type Widget struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Spec            WidgetSpec   `json:"spec"`
	Status          WidgetStatus `json:"status,omitempty"`
}

// WidgetList is a list kind: it gets DeepCopyObject.
type WidgetList struct {
	meta.TypeMeta `json:",inline"`
	meta.ListMeta `json:"metadata,omitempty"`
	Items         []Widget `json:"items"`
}

// WidgetTemplate embeds only meta.ObjectMeta, whose promoted DeepCopyInto must not be mistaken
// for the type's own.
type WidgetTemplate struct {
	meta.ObjectMeta `json:"metadata,omitempty"`
	Spec            WidgetSpec `json:"spec"`
}

// WidgetSpec has one field of each shape.
type WidgetSpec struct {
	Name       string
	Count      *int32
	Phase      Phase
	PhasePtr   *Phase
	Tags       []string
	Data       []byte
	Matrix     [][]string
	Labels     map[string]string
	Groups     map[string][]string
	Parts      []Part
	PartPtrs   []*Part
	PartMap    map[string]Part
	PartPtrMap map[string]*Part
	Nested     Part
	NestedPtr  *Part
	Port       intstr.IntOrString
	PortPtr    *intstr.IntOrString
	When       meta.Time
	WhenPtr    *meta.Time
	Selector   *meta.LabelSelector
	Extension  runtime.RawExtension
	Embedded   runtime.Object
	Objects    []runtime.Object
	Amounts    Amounts
	Sizes      Sizes
	Inner      inner
	Fixed      [2]Part
	Anonymous  struct {
		Values []int
		Plain  int
	}
	Handmade  *Handmade
	Recursive *WidgetSpec
	Template  *WidgetTemplate
}

// WidgetStatus is a plain value struct: its DeepCopyInto is an assignment.
type WidgetStatus struct {
	Ready bool
	Count int64
	Since meta.Time
}

// Part is a nested struct with references.
type Part struct {
	ID    string
	Notes []string
	Attrs map[string]*string
}

// Amounts is a named map type: it gets value-receiver methods.
type Amounts map[string][]int64

// Sizes is a named slice type.
type Sizes []*int

// inner is unexported but reached from WidgetSpec, so it gets methods too.
type inner struct {
	Refs []string
}

// unreached is unexported and not reached: it gets no methods.
type unreached struct {
	Refs []string
}

// Handmade has a hand-written DeepCopyInto, which the generator calls and does not replace.
type Handmade struct {
	Secret []byte
}

// DeepCopyInto copies h into out.
func (h *Handmade) DeepCopyInto(out *Handmade) {
	*out = *h
	if h.Secret != nil {
		out.Secret = append([]byte(nil), h.Secret...)
	}
}

// Callback holds a func and opts out of generation.
//
// +cellkit:deepcopy-gen=false
type Callback struct {
	Fn func()
}
