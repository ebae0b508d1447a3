package runtime_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

func TestUnstructuredConversions(t *testing.T) {
	s := newTestScheme(t)
	w := wantWidget()
	w.TypeMeta = meta.TypeMeta{}
	u, err := s.ToUnstructured(w)
	require.NoError(t, err)
	assert.Equal(t, meta.TypeMeta{APIVersion: "apps.test/v1", Kind: "Widget"}, u.TypeMeta)
	assert.Equal(t, "web", u.Name)
	img, ok, err := runtime.NestedSlice(u.Content, "spec", "template", "spec", "containers")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "nginx:1.27", img[0].(map[string]any)["image"])
	assert.True(t, w.GetObjectKind().GroupVersionKind().Empty(), "source unchanged")

	back, err := s.FromUnstructured(u)
	require.NoError(t, err)
	want := wantWidget()
	if diff := cmp.Diff(want, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}

	cp, err := s.ToUnstructured(u)
	require.NoError(t, err)
	cp.Name = "changed"
	assert.Equal(t, "web", u.Name, "an Unstructured is copied")

	_, err = s.ToUnstructured(&struct{ Widget }{})
	assert.ErrorIs(t, err, runtime.ErrNotRegistered)
	_, err = s.FromUnstructured(&runtime.Unstructured{TypeMeta: meta.TypeMeta{APIVersion: "x/v1", Kind: "Nope"}})
	assert.ErrorIs(t, err, runtime.ErrNotRegistered)
	_, err = s.FromUnstructured(&runtime.Unstructured{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "Gizmo"},
		Content: map[string]any{"data": "not a map"}})
	assert.Error(t, err)
}
