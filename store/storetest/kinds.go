package storetest

import (
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// The suite's own kinds live in a group of their own so they never collide with real ones. Their
// deep copies are written by hand: they exist only to test stores.

// Group is the API group of the suite's kinds.
const Group = "storetest.cellkit.io"

// Widgets is the namespaced resource of the suite, holding Widget objects. Its field
// spec.node is indexed; status.phase is selectable but not indexed.
var Widgets = schema.GroupResource{Group: Group, Resource: "widgets"}

// Gizmos is the cluster-scoped resource of the suite, holding Gizmo objects.
var Gizmos = schema.GroupResource{Group: Group, Resource: "gizmos"}

// Widget is a namespaced test object.
type Widget struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Spec            WidgetSpec   `json:"spec,omitempty"`
	Status          WidgetStatus `json:"status,omitempty"`
}

// WidgetSpec is the desired state of a Widget.
type WidgetSpec struct {
	Node  string            `json:"node,omitempty"`
	Size  int64             `json:"size,omitempty"`
	Data  string            `json:"data,omitempty"`
	Tags  []string          `json:"tags,omitempty"`
	Attrs map[string]string `json:"attrs,omitempty"`
}

// WidgetStatus is the observed state of a Widget.
type WidgetStatus struct {
	Phase string `json:"phase,omitempty"`
}

// DeepCopyObject implements runtime.Object.
func (w *Widget) DeepCopyObject() runtime.Object { return w.DeepCopy() }

// DeepCopy returns a deep copy of w.
func (w *Widget) DeepCopy() *Widget {
	if w == nil {
		return nil
	}
	out := new(Widget)
	out.TypeMeta = w.TypeMeta
	copyObjectMeta(&w.ObjectMeta, &out.ObjectMeta)
	out.Spec = w.Spec
	if w.Spec.Tags != nil {
		out.Spec.Tags = append([]string(nil), w.Spec.Tags...)
	}
	out.Spec.Attrs = copyMap(w.Spec.Attrs)
	out.Status = w.Status
	return out
}

// Gizmo is a cluster-scoped test object.
type Gizmo struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Value           string `json:"value,omitempty"`
}

// DeepCopyObject implements runtime.Object.
func (g *Gizmo) DeepCopyObject() runtime.Object {
	if g == nil {
		return (*Gizmo)(nil)
	}
	out := &Gizmo{TypeMeta: g.TypeMeta, Value: g.Value}
	copyObjectMeta(&g.ObjectMeta, &out.ObjectMeta)
	return out
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// copyObjectMeta deep-copies the metadata fields the suite uses and every pointer, slice and
// map of ObjectMeta.
func copyObjectMeta(in, out *meta.ObjectMeta) {
	*out = *in
	if in.DeletionTimestamp != nil {
		t := *in.DeletionTimestamp
		out.DeletionTimestamp = &t
	}
	if in.DeletionGracePeriodSeconds != nil {
		s := *in.DeletionGracePeriodSeconds
		out.DeletionGracePeriodSeconds = &s
	}
	out.Labels = copyMap(in.Labels)
	out.Annotations = copyMap(in.Annotations)
	if in.OwnerReferences != nil {
		out.OwnerReferences = make([]meta.OwnerReference, len(in.OwnerReferences))
		for i, r := range in.OwnerReferences {
			out.OwnerReferences[i] = r
			if r.Controller != nil {
				c := *r.Controller
				out.OwnerReferences[i].Controller = &c
			}
			if r.BlockOwnerDeletion != nil {
				b := *r.BlockOwnerDeletion
				out.OwnerReferences[i].BlockOwnerDeletion = &b
			}
		}
	}
	if in.Finalizers != nil {
		out.Finalizers = append([]string(nil), in.Finalizers...)
	}
	if in.ManagedFields != nil {
		out.ManagedFields = make([]meta.ManagedFieldsEntry, len(in.ManagedFields))
		for i, e := range in.ManagedFields {
			out.ManagedFields[i] = e
			if e.Time != nil {
				t := *e.Time
				out.ManagedFields[i].Time = &t
			}
			if e.FieldsV1 != nil {
				out.ManagedFields[i].FieldsV1 = &meta.FieldsV1{Raw: append([]byte(nil), e.FieldsV1.Raw...)}
			}
		}
	}
}

// Resources returns the resources a store under test must hold: Widgets (namespaced, field
// spec.node indexed, status.phase selectable) and Gizmos (cluster-scoped).
func Resources() []store.Resource {
	return []store.Resource{
		{
			GroupResource: Widgets,
			Kind:          schema.GroupVersionKind{Group: Group, Version: "v1", Kind: "Widget"},
			Namespaced:    true,
			New:           func() runtime.MetaObject { return &Widget{} },
			Fields: func(obj runtime.MetaObject) fields.Set {
				w := obj.(*Widget)
				return fields.Set{"spec.node": w.Spec.Node, "status.phase": w.Status.Phase}
			},
			Indexes: []string{"spec.node"},
		},
		{
			GroupResource: Gizmos,
			Kind:          schema.GroupVersionKind{Group: Group, Version: "v1", Kind: "Gizmo"},
			New:           func() runtime.MetaObject { return &Gizmo{} },
		},
	}
}
