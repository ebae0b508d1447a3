package runtime_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/runtime"
)

func nestedFixture() map[string]any {
	return map[string]any{
		"spec": map[string]any{
			"name":     "n",
			"replicas": int64(3),
			"ratio":    0.5,
			"paused":   true,
			"tags":     []any{"a", "b"},
			"mixed":    []any{"a", int64(1)},
			"labels":   map[string]any{"k": "v"},
			"badmap":   map[string]any{"k": int64(1)},
			"nothing":  nil,
		},
		"str": "top",
	}
}

func TestNestedGetters(t *testing.T) {
	obj := nestedFixture()
	tests := []struct {
		name    string
		get     func() (any, bool, error)
		want    any
		wantOK  bool
		wantErr bool
	}{
		{"string", func() (any, bool, error) { return runtime.NestedString(obj, "spec", "name") }, "n", true, false},
		{"missing", func() (any, bool, error) { return runtime.NestedString(obj, "spec", "nope") }, "", false, false},
		{"missing parent", func() (any, bool, error) { return runtime.NestedString(obj, "nope", "name") }, "", false, false},
		{"null parent", func() (any, bool, error) { return runtime.NestedString(obj, "spec", "nothing", "x") }, "", false, false},
		{"parent not a map", func() (any, bool, error) { return runtime.NestedString(obj, "str", "x") }, "", false, true},
		{"wrong type", func() (any, bool, error) { return runtime.NestedString(obj, "spec", "replicas") }, "", false, true},
		{"int64", func() (any, bool, error) { return runtime.NestedInt64(obj, "spec", "replicas") }, int64(3), true, false},
		{"float from float", func() (any, bool, error) { return runtime.NestedFloat64(obj, "spec", "ratio") }, 0.5, true, false},
		{"float from int", func() (any, bool, error) { return runtime.NestedFloat64(obj, "spec", "replicas") }, 3.0, true, false},
		{"float wrong", func() (any, bool, error) { return runtime.NestedFloat64(obj, "spec", "name") }, 0.0, false, true},
		{"bool", func() (any, bool, error) { return runtime.NestedBool(obj, "spec", "paused") }, true, true, false},
		{"string slice", func() (any, bool, error) { return runtime.NestedStringSlice(obj, "spec", "tags") }, []string{"a", "b"}, true, false},
		{"string slice mixed", func() (any, bool, error) { return runtime.NestedStringSlice(obj, "spec", "mixed") }, []string(nil), false, true},
		{"string map", func() (any, bool, error) { return runtime.NestedStringMap(obj, "spec", "labels") }, map[string]string{"k": "v"}, true, false},
		{"string map bad", func() (any, bool, error) { return runtime.NestedStringMap(obj, "spec", "badmap") }, map[string]string(nil), false, true},
		{"map", func() (any, bool, error) { return runtime.NestedMap(obj, "spec", "labels") }, map[string]any{"k": "v"}, true, false},
		{"slice", func() (any, bool, error) { return runtime.NestedSlice(obj, "spec", "tags") }, []any{"a", "b"}, true, false},
		{"field", func() (any, bool, error) { return runtime.NestedField(obj, "spec", "tags") }, []any{"a", "b"}, true, false},
		{"empty path is the object", func() (any, bool, error) { return runtime.NestedFieldNoCopy(obj) }, obj, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := tc.get()
			if tc.wantErr {
				assert.ErrorIs(t, err, runtime.ErrFieldType)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tc.wantOK, ok)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNestedCopiesAreIndependent(t *testing.T) {
	obj := nestedFixture()
	m, _, _ := runtime.NestedMap(obj, "spec")
	m["labels"].(map[string]any)["k"] = "changed"
	s, _, _ := runtime.NestedSlice(obj, "spec", "tags")
	s[0] = "changed"
	if diff := cmp.Diff(nestedFixture(), obj); diff != "" {
		t.Errorf("original changed (-want +got):\n%s", diff)
	}
}

type point struct {
	X int `json:"x"`
}

func TestSetNestedField(t *testing.T) {
	obj := map[string]any{"spec": map[string]any{"a": "b"}, "str": "s", "nil": nil}
	require.NoError(t, runtime.SetNestedField(obj, 5, "spec", "replicas"))
	require.NoError(t, runtime.SetNestedField(obj, []string{"x"}, "spec", "deep", "tags"))
	require.NoError(t, runtime.SetNestedField(obj, point{X: 2}, "spec", "point"))
	require.NoError(t, runtime.SetNestedField(obj, map[string]string{"k": "v"}, "nil", "labels"))
	require.NoError(t, runtime.SetNestedField(obj, uint64(math.MaxUint64), "spec", "huge"))
	want := map[string]any{
		"spec": map[string]any{
			"a": "b", "replicas": int64(5), "deep": map[string]any{"tags": []any{"x"}},
			"point": map[string]any{"x": int64(2)}, "huge": float64(math.MaxUint64),
		},
		"str": "s",
		"nil": map[string]any{"labels": map[string]any{"k": "v"}},
	}
	if diff := cmp.Diff(want, obj); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	assert.ErrorIs(t, runtime.SetNestedField(obj, 1, "str", "x"), runtime.ErrFieldType)
	assert.Error(t, runtime.SetNestedField(obj, math.NaN(), "spec", "nan"))
	assert.Error(t, runtime.SetNestedField(obj, make(chan int), "spec", "ch"))
	assert.Error(t, runtime.SetNestedField(obj, 1))
	if diff := cmp.Diff(want, obj); diff != "" {
		t.Errorf("failed sets changed the object (-want +got):\n%s", diff)
	}

	runtime.RemoveNestedField(obj, "spec", "deep", "tags")
	runtime.RemoveNestedField(obj, "spec", "missing", "x")
	runtime.RemoveNestedField(obj, "str", "x")
	runtime.RemoveNestedField(obj)
	_, ok, _ := runtime.NestedFieldNoCopy(obj, "spec", "deep", "tags")
	assert.False(t, ok)
	assert.Equal(t, map[string]any{}, obj["spec"].(map[string]any)["deep"])
}

func TestToJSONValue(t *testing.T) {
	tests := []struct {
		in   any
		want any
	}{
		{int8(-1), int64(-1)}, {int16(2), int64(2)}, {int32(3), int64(3)}, {uint8(4), int64(4)}, {uint16(5), int64(5)},
		{uint32(6), int64(6)}, {uint(7), int64(7)}, {float32(0.5), 0.5}, {nil, nil}, {"s", "s"},
		{[]any{int(1), []string{"a"}}, []any{int64(1), []any{"a"}}},
		{struct {
			A []int `json:"a"`
		}{A: []int{1}}, map[string]any{"a": []any{int64(1)}}},
	}
	for _, tc := range tests {
		got, err := runtime.ToJSONValue(tc.in)
		require.NoError(t, err, "%#v", tc.in)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ToJSONValue(%#v) (-want +got):\n%s", tc.in, diff)
		}
	}
	_, err := runtime.ToJSONValue(map[string]any{"x": math.Inf(1)})
	assert.Error(t, err)
	_, err = runtime.ToJSONValue([]any{float32(math.Inf(-1))})
	assert.Error(t, err)
	assert.Nil(t, runtime.DeepCopyJSON(nil))
	ch := make(chan int)
	assert.Equal(t, ch, runtime.DeepCopyJSONValue(ch), "unconvertible values are kept")
}
