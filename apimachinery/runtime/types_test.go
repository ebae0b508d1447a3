package runtime_test

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Test-local API types, shaped like a Deployment, so the tests do not depend on the built-in types.

var (
	appsGV  = schema.GroupVersion{Group: "apps.test", Version: "v1"}
	apps2GV = schema.GroupVersion{Group: "apps.test", Version: "v2"}
	coreGV  = schema.GroupVersion{Version: "v1"}
	otherGV = schema.GroupVersion{Group: "other.test", Version: "v1"}
)

type Widget struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Spec            WidgetSpec   `json:"spec,omitempty"`
	Status          WidgetStatus `json:"status,omitempty"`
}

type WidgetSpec struct {
	Replicas *int32           `json:"replicas,omitempty"`
	Template WidgetTmpl       `json:"template"`
	Labels   []string         `json:"labels,omitempty"`
	Limits   map[string]int64 `json:"limits,omitempty"`
}

type WidgetTmpl struct {
	Spec PartSpec `json:"spec"`
}

type PartSpec struct {
	Containers []Part `json:"containers"`
}

type Part struct {
	Name            string `json:"name"`
	Image           string `json:"image,omitempty"`
	ImagePullPolicy string `json:"imagePullPolicy,omitempty"`
}

type WidgetStatus struct {
	Ready      int32            `json:"ready,omitempty"`
	Conditions []meta.Condition `json:"conditions,omitempty"`
}

func (w *Widget) DeepCopyObject() runtime.Object {
	out := *w
	w.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	if w.Spec.Replicas != nil {
		r := *w.Spec.Replicas
		out.Spec.Replicas = &r
	}
	out.Spec.Template.Spec.Containers = append([]Part(nil), w.Spec.Template.Spec.Containers...)
	out.Spec.Labels = append([]string(nil), w.Spec.Labels...)
	if w.Spec.Limits != nil {
		out.Spec.Limits = make(map[string]int64, len(w.Spec.Limits))
		for k, v := range w.Spec.Limits {
			out.Spec.Limits[k] = v
		}
	}
	out.Status.Conditions = append([]meta.Condition(nil), w.Status.Conditions...)
	return &out
}

type WidgetList struct {
	meta.TypeMeta `json:",inline"`
	meta.ListMeta `json:"metadata,omitempty"`
	Items         []Widget `json:"items"`
}

func (l *WidgetList) DeepCopyObject() runtime.Object {
	out := &WidgetList{TypeMeta: l.TypeMeta}
	l.ListMeta.DeepCopyInto(&out.ListMeta)
	if l.Items != nil {
		out.Items = make([]Widget, len(l.Items))
		for i := range l.Items {
			out.Items[i] = *l.Items[i].DeepCopyObject().(*Widget)
		}
	}
	return out
}

// Gizmo is a core-group kind.
type Gizmo struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitempty"`
	Data            map[string]string `json:"data,omitempty"`
}

func (g *Gizmo) DeepCopyObject() runtime.Object {
	out := *g
	g.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	if g.Data != nil {
		out.Data = make(map[string]string, len(g.Data))
		for k, v := range g.Data {
			out.Data[k] = v
		}
	}
	return &out
}

type GizmoList struct {
	meta.TypeMeta `json:",inline"`
	meta.ListMeta `json:"metadata,omitempty"`
	Items         []Gizmo `json:"items"`
}

func (l *GizmoList) DeepCopyObject() runtime.Object {
	out := &GizmoList{TypeMeta: l.TypeMeta}
	l.ListMeta.DeepCopyInto(&out.ListMeta)
	for i := range l.Items {
		out.Items = append(out.Items, *l.Items[i].DeepCopyObject().(*Gizmo))
	}
	return out
}

// NotAStruct is an Object that is not a pointer to a struct.
type NotAStruct map[string]string

func (NotAStruct) GetObjectKind() schema.ObjectKind { return &meta.TypeMeta{} }
func (n NotAStruct) DeepCopyObject() runtime.Object { return n }

func int32p(i int32) *int32 { return &i }

// newTestScheme registers Widget in apps.test/v1 and v2, Gizmo in the core group, and their
// resources.
func newTestScheme(t testing.TB) *runtime.Scheme {
	t.Helper()
	s := runtime.NewScheme()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.AddKnownTypes(appsGV, &Widget{}, &WidgetList{}))
	must(s.AddKnownTypes(apps2GV, &Widget{}, &WidgetList{}))
	must(s.AddKnownTypes(coreGV, &Gizmo{}, &GizmoList{}))
	verbs := []string{"get", "list", "watch", "create", "update", "patch", "delete"}
	must(s.AddResource(runtime.ResourceInfo{GroupVersionResource: appsGV.WithResource("widgets"), Kind: "Widget",
		ShortNames: []string{"wd"}, Categories: []string{"all"}, Namespaced: true,
		Subresources: []string{"status", "scale"}, Verbs: verbs}))
	must(s.AddResource(runtime.ResourceInfo{GroupVersionResource: apps2GV.WithResource("widgets"), Kind: "Widget",
		ShortNames: []string{"wd"}, Categories: []string{"all"}, Namespaced: true, Verbs: verbs}))
	must(s.AddResource(runtime.ResourceInfo{GroupVersionResource: coreGV.WithResource("gizmos"), Kind: "Gizmo",
		ShortNames: []string{"gz"}, Verbs: verbs}))
	return s
}
