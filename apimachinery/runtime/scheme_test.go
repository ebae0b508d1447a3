package runtime_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
)

func TestAddKnownTypes(t *testing.T) {
	s := newTestScheme(t)

	obj, err := s.New(appsGV.WithKind("Widget"))
	require.NoError(t, err)
	assert.IsType(t, &Widget{}, obj)
	assert.True(t, obj.GetObjectKind().GroupVersionKind().Empty(), "New leaves TypeMeta empty")

	obj, err = s.New(coreGV.WithKind("GizmoList"))
	require.NoError(t, err)
	assert.IsType(t, &GizmoList{}, obj)

	_, err = s.New(appsGV.WithKind("Nope"))
	assert.True(t, runtime.IsNotRegistered(err), "got %v", err)
	var nre *runtime.NotRegisteredError
	require.ErrorAs(t, err, &nre)
	assert.Equal(t, appsGV.WithKind("Nope"), nre.GVK)
	assert.Contains(t, err.Error(), `kind "Nope" of version "apps.test/v1"`)

	assert.True(t, s.Recognizes(apps2GV.WithKind("WidgetList")))
	assert.False(t, s.Recognizes(otherGV.WithKind("Widget")))

	want := []schema.GroupVersionKind{
		coreGV.WithKind("Gizmo"), coreGV.WithKind("GizmoList"),
		appsGV.WithKind("Widget"), appsGV.WithKind("WidgetList"),
		apps2GV.WithKind("Widget"), apps2GV.WithKind("WidgetList"),
	}
	if diff := cmp.Diff(want, s.KnownKinds()); diff != "" {
		t.Errorf("KnownKinds (-want +got):\n%s", diff)
	}
	typ, ok := s.KnownType(coreGV.WithKind("Gizmo"))
	assert.True(t, ok)
	assert.Equal(t, reflect.TypeOf(Gizmo{}), typ)
}

func TestAddKnownTypesErrors(t *testing.T) {
	tests := []struct {
		name string
		add  func(s *runtime.Scheme) error
	}{
		{"nil object", func(s *runtime.Scheme) error { return s.AddKnownTypes(appsGV, nil) }},
		{"not a struct", func(s *runtime.Scheme) error { return s.AddKnownTypes(appsGV, NotAStruct{}) }},
		{"empty version", func(s *runtime.Scheme) error { return s.AddKnownTypes(schema.GroupVersion{Group: "x"}, &Widget{}) }},
		{"empty kind", func(s *runtime.Scheme) error {
			return s.AddKnownTypeWithName(appsGV.WithKind(""), &Widget{})
		}},
		{"kind bound to another type", func(s *runtime.Scheme) error {
			return s.AddKnownTypeWithName(appsGV.WithKind("Widget"), &Gizmo{})
		}},
		{"all or nothing", func(s *runtime.Scheme) error {
			err := s.AddKnownTypes(otherGV, &Gizmo{}, NotAStruct{})
			if s.Recognizes(otherGV.WithKind("Gizmo")) {
				return errors.New("Gizmo was registered by a failing call")
			}
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestScheme(t)
			err := tc.add(s)
			require.Error(t, err)
			assert.ErrorIs(t, err, runtime.ErrInvalidRegistration)
		})
	}
}

func TestAddKnownTypesIdempotent(t *testing.T) {
	s := newTestScheme(t)
	require.NoError(t, s.AddKnownTypes(appsGV, &Widget{}))
	gvks, err := s.ObjectKinds(&Widget{})
	require.NoError(t, err)
	assert.Equal(t, []schema.GroupVersionKind{appsGV.WithKind("Widget"), apps2GV.WithKind("Widget")}, gvks)
}

func TestObjectKind(t *testing.T) {
	s := newTestScheme(t)
	tests := []struct {
		name    string
		obj     runtime.Object
		want    schema.GroupVersionKind
		wantErr error
	}{
		{"first registered kind", &Widget{}, appsGV.WithKind("Widget"), nil},
		{"own kind among registered ones wins", &Widget{TypeMeta: meta.TypeMeta{APIVersion: "apps.test/v2", Kind: "Widget"}},
			apps2GV.WithKind("Widget"), nil},
		{"own kind not registered is ignored", &Widget{TypeMeta: meta.TypeMeta{APIVersion: "x/v9", Kind: "Widget"}},
			appsGV.WithKind("Widget"), nil},
		{"list", &GizmoList{}, coreGV.WithKind("GizmoList"), nil},
		{"unregistered type", &struct{ Widget }{}, schema.GroupVersionKind{}, runtime.ErrNotRegistered},
		{"unstructured carries its kind", &runtime.Unstructured{TypeMeta: meta.TypeMeta{APIVersion: "x.io/v1", Kind: "Thing"}},
			schema.GroupVersionKind{Group: "x.io", Version: "v1", Kind: "Thing"}, nil},
		{"unstructured without kind", &runtime.Unstructured{}, schema.GroupVersionKind{}, runtime.ErrMissingKind},
		{"generic list", &runtime.List{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "List"}}, runtime.ListGroupVersionKind(), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ObjectKind(tc.obj)
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestListKinds(t *testing.T) {
	s := newTestScheme(t)
	item, ok := s.IsListKind(appsGV.WithKind("WidgetList"))
	assert.True(t, ok)
	assert.Equal(t, appsGV.WithKind("Widget"), item)
	_, ok = s.IsListKind(appsGV.WithKind("Widget"))
	assert.False(t, ok)

	l, ok := s.ListKindFor(coreGV.WithKind("Gizmo"))
	assert.True(t, ok)
	assert.Equal(t, coreGV.WithKind("GizmoList"), l)
	_, ok = s.ListKindFor(otherGV.WithKind("Gizmo"))
	assert.False(t, ok)
}

func TestVersionPriority(t *testing.T) {
	s := newTestScheme(t)
	assert.Equal(t, []schema.GroupVersion{appsGV, apps2GV}, s.PrioritizedVersions("apps.test"))
	r, err := s.ResourceFor("widgets")
	require.NoError(t, err)
	assert.Equal(t, "v1", r.Version)

	require.NoError(t, s.SetVersionPriority(apps2GV))
	assert.Equal(t, []schema.GroupVersion{apps2GV, appsGV}, s.PrioritizedVersions("apps.test"))
	r, err = s.ResourceFor("widgets")
	require.NoError(t, err)
	assert.Equal(t, "v2", r.Version)

	assert.ErrorIs(t, s.SetVersionPriority(apps2GV, coreGV), runtime.ErrInvalidRegistration)
	assert.ErrorIs(t, s.SetVersionPriority(schema.GroupVersion{Group: "apps.test", Version: "v9"}), runtime.ErrNotRegistered)
	assert.ErrorIs(t, s.SetVersionPriority(appsGV, appsGV), runtime.ErrInvalidRegistration)
}

func TestDefaulting(t *testing.T) {
	s := newTestScheme(t)
	var calls []string
	require.NoError(t, s.AddDefaultingFunc(&Widget{}, func(o runtime.Object) {
		w := o.(*Widget)
		calls = append(calls, "first")
		if w.Spec.Replicas == nil {
			w.Spec.Replicas = int32p(1)
		}
	}))
	require.NoError(t, s.AddDefaultingFunc(&Widget{}, func(o runtime.Object) { calls = append(calls, "second") }))
	assert.ErrorIs(t, s.AddDefaultingFunc(&Widget{}, nil), runtime.ErrInvalidRegistration)
	assert.ErrorIs(t, s.AddDefaultingFunc(nil, func(runtime.Object) {}), runtime.ErrInvalidRegistration)

	w := &Widget{}
	assert.True(t, s.Default(w))
	assert.Equal(t, int32(1), *w.Spec.Replicas)
	assert.Equal(t, []string{"first", "second"}, calls)

	w = &Widget{Spec: WidgetSpec{Replicas: int32p(5)}}
	s.Default(w)
	assert.Equal(t, int32(5), *w.Spec.Replicas, "defaulting keeps set values")

	assert.False(t, s.Default(&Gizmo{}), "no defaulters for Gizmo")
}

func TestSchemeBuilder(t *testing.T) {
	var sb runtime.SchemeBuilder
	sb.Register(func(s *runtime.Scheme) error { return s.AddKnownTypes(appsGV, &Widget{}) })
	sb.Register(func(s *runtime.Scheme) error { return s.AddKnownTypes(appsGV, NotAStruct{}) })
	sb.Register(func(s *runtime.Scheme) error { return s.AddKnownTypes(coreGV, &Gizmo{}) })
	s := runtime.NewScheme()
	err := sb.AddToScheme(s)
	assert.ErrorIs(t, err, runtime.ErrInvalidRegistration)
	assert.True(t, s.Recognizes(appsGV.WithKind("Widget")))
	assert.True(t, s.Recognizes(coreGV.WithKind("Gizmo")), "later functions still run")

	ok := runtime.NewSchemeBuilder(func(s *runtime.Scheme) error { return s.AddKnownTypes(otherGV, &Gizmo{}) })
	require.NoError(t, ok.AddToScheme(s))
}

func TestSchemeConcurrentUse(t *testing.T) {
	s := newTestScheme(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			_ = s.AddKnownTypeWithName(otherGV.WithKind("Gizmo"), &Gizmo{})
			_ = s.AddDefaultingFunc(&Gizmo{}, func(runtime.Object) {})
		}
	}()
	for i := 0; i < 200; i++ {
		if _, err := s.New(appsGV.WithKind("Widget")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResourceFor("wd"); err != nil {
			t.Fatal(err)
		}
		s.Default(&Gizmo{})
	}
	<-done
}
