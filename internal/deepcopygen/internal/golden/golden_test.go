package golden

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/internal/deepcopygen/deepcopytest"
)

var objectType = reflect.TypeOf((*runtime.Object)(nil)).Elem()

func options() deepcopytest.Options {
	return deepcopytest.Options{Fill: map[reflect.Type]func(*rand.Rand) reflect.Value{
		objectType: func(r *rand.Rand) reflect.Value {
			obj := runtime.Object(&WidgetList{
				ListMeta: meta.ListMeta{ResourceVersion: "7"},
				Items:    []Widget{{Spec: WidgetSpec{Tags: []string{"a", "b"}, Name: string(rune('a' + r.Intn(26)))}}},
			})
			return reflect.ValueOf(&obj).Elem()
		},
	}}
}

// TestDeepCopy runs the generated code of every type through the deep-copy property.
func TestDeepCopy(t *testing.T) {
	deepcopytest.CheckPackage(t, ".", options(),
		new(Amounts), &Part{}, new(Sizes), &Widget{}, &WidgetList{}, &WidgetSpec{}, &WidgetStatus{}, &WidgetTemplate{})
	deepcopytest.Check(t, &inner{}, options())
}

func TestNilAndEmpty(t *testing.T) {
	var nilSpec *WidgetSpec
	if got := nilSpec.DeepCopy(); got != nil {
		t.Errorf("DeepCopy of nil *WidgetSpec = %v, want nil", got)
	}
	var nilWidget *Widget
	if got := nilWidget.DeepCopyObject(); got != nil {
		t.Errorf("DeepCopyObject of nil *Widget = %v, want a nil interface", got)
	}
	var nilAmounts Amounts
	if got := nilAmounts.DeepCopy(); got != nil {
		t.Errorf("DeepCopy of nil Amounts = %v, want nil", got)
	}
	// Empty but non-nil collections stay non-nil: JSON tells [] from null.
	spec := &WidgetSpec{Tags: []string{}, Labels: map[string]string{}, Groups: map[string][]string{"k": nil}}
	got := spec.DeepCopy()
	if got.Tags == nil || got.Labels == nil {
		t.Errorf("empty collections became nil: %#v", got)
	}
	if v, ok := got.Groups["k"]; !ok || v != nil {
		t.Errorf("Groups[k] = %v, %v; want nil, true", v, ok)
	}
}

func TestHandwrittenMethodIsCalled(t *testing.T) {
	spec := &WidgetSpec{Handmade: &Handmade{Secret: []byte("s3cr3t")}}
	cp := spec.DeepCopy()
	cp.Handmade.Secret[0] = 'X'
	if got := string(spec.Handmade.Secret); got != "s3cr3t" {
		t.Errorf("original Secret = %q after mutating the copy", got)
	}
}

func TestInterfaceFieldCopiesTheObject(t *testing.T) {
	list := &WidgetList{Items: []Widget{{ObjectMeta: meta.ObjectMeta{Name: "a", Labels: map[string]string{"x": "1"}}}}}
	spec := &WidgetSpec{Embedded: list, Objects: []runtime.Object{list, nil}}
	cp := spec.DeepCopy()
	cp.Embedded.(*WidgetList).Items[0].Labels["x"] = "2"
	cp.Objects[0].(*WidgetList).Items[0].Name = "b"
	want := &WidgetList{Items: []Widget{{ObjectMeta: meta.ObjectMeta{Name: "a", Labels: map[string]string{"x": "1"}}}}}
	if diff := cmp.Diff(want, list); diff != "" {
		t.Errorf("original changed (-want +got):\n%s", diff)
	}
	if cp.Objects[1] != nil {
		t.Errorf("nil element copied to %v", cp.Objects[1])
	}
}

func TestAliasesFindsSharedMemory(t *testing.T) {
	orig := &WidgetSpec{Tags: []string{"a"}, Labels: map[string]string{"k": "v"}, Count: new(int32)}
	shallow := *orig
	paths := deepcopytest.Aliases(orig, &shallow)
	want := []string{".Count", ".Tags", ".Labels"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("Aliases (-want +got):\n%s", diff)
	}
	if paths := deepcopytest.Aliases(orig, orig.DeepCopy()); len(paths) != 0 {
		t.Errorf("Aliases of a deep copy = %v", strings.Join(paths, ", "))
	}
}
