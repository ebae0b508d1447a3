package runtime_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

func TestUnstructuredJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"full", `{"apiVersion":"x.io/v1","kind":"Thing","metadata":{"name":"a","namespace":"b","uid":"u","resourceVersion":"5","creationTimestamp":"2024-01-02T03:04:05Z","ownerReferences":[{"apiVersion":"v1","kind":"K","name":"o","uid":"ou","controller":true}]},"spec":{"int":9007199254740993,"neg":-1,"float":0.25,"big":1e300,"str":"s","arr":[1,"two",{"three":3}],"obj":{},"nil":null},"status":{"phase":"Running"}}`},
		{"no metadata", `{"apiVersion":"v1","kind":"Thing","data":{"k":"v"}}`},
		{"only kind", `{"kind":"Thing"}`},
		{"empty", `{}`},
		{"html characters", `{"kind":"T","s":"<a&b>"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var u runtime.Unstructured
			require.NoError(t, json.Unmarshal([]byte(tc.in), &u))
			out, err := json.Marshal(&u)
			require.NoError(t, err)
			assert.JSONEq(t, tc.in, string(out))
			// Integers stay exact.
			if n, ok, _ := runtime.NestedInt64(u.Content, "spec", "int"); ok {
				assert.Equal(t, int64(9007199254740993), n)
			}
		})
	}
}

func TestUnstructuredUnmarshalErrors(t *testing.T) {
	for _, in := range []string{`null`, `[]`, `{"kind":1}`, `{"apiVersion":{}}`, `{"metadata":"x"}`, `{"metadata":{"labels":[]}}`, `{`} {
		var u runtime.Unstructured
		assert.Error(t, json.Unmarshal([]byte(in), &u), in)
	}
	for _, in := range []string{`null`, `{"items":{}}`, `{"items":[1]}`, `{"metadata":{"continue":5}}`} {
		var l runtime.UnstructuredList
		assert.Error(t, json.Unmarshal([]byte(in), &l), in)
	}
}

func TestUnstructuredIsMetaObject(t *testing.T) {
	var obj runtime.MetaObject = &runtime.Unstructured{}
	obj.GetObjectMeta().Name = "n"
	obj.GetObjectKind().SetGroupVersionKind(otherGV.WithKind("Thing"))
	u := obj.(*runtime.Unstructured)
	assert.Equal(t, "n", u.Name)
	assert.Equal(t, meta.TypeMeta{APIVersion: "other.test/v1", Kind: "Thing"}, u.TypeMeta)
}

func TestUnstructuredReservedContentKeysIgnored(t *testing.T) {
	u := &runtime.Unstructured{
		TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "T"},
		Content:  map[string]any{"kind": "Evil", "metadata": map[string]any{"name": "x"}, "spec": "s"},
	}
	b, err := json.Marshal(u)
	require.NoError(t, err)
	assert.JSONEq(t, `{"apiVersion":"v1","kind":"T","spec":"s"}`, string(b))
}

func TestUnstructuredDeepCopy(t *testing.T) {
	orig := &runtime.Unstructured{
		TypeMeta:   meta.TypeMeta{APIVersion: "v1", Kind: "T"},
		ObjectMeta: meta.ObjectMeta{Name: "a", Labels: map[string]string{"k": "v"}, Finalizers: []string{"f"}},
		Content: map[string]any{
			"spec": map[string]any{"list": []any{map[string]any{"x": int64(1)}, "s"}, "strs": []string{"a"}},
		},
	}
	snapshot, err := json.Marshal(orig)
	require.NoError(t, err)
	cp := orig.DeepCopyObject().(*runtime.Unstructured)
	if diff := cmp.Diff(orig.Content["spec"].(map[string]any)["list"], cp.Content["spec"].(map[string]any)["list"]); diff != "" {
		t.Errorf("copy differs (-orig +copy):\n%s", diff)
	}
	// Mutate every level of the copy.
	cp.Labels["k"] = "changed"
	cp.Finalizers[0] = "changed"
	spec := cp.Content["spec"].(map[string]any)
	spec["list"].([]any)[0].(map[string]any)["x"] = int64(2)
	spec["list"].([]any)[1] = "changed"
	spec["strs"].([]any)[0] = "changed" // converted to []any by the copy
	spec["new"] = true
	after, err := json.Marshal(orig)
	require.NoError(t, err)
	assert.JSONEq(t, string(snapshot), string(after), "original unchanged")

	var nilU *runtime.Unstructured
	assert.Nil(t, nilU.DeepCopy())
}

func TestUnstructuredListRoundTripAndCopy(t *testing.T) {
	in := `{"apiVersion":"x.io/v1","kind":"ThingList","metadata":{"resourceVersion":"3","continue":"c"},"items":[{"apiVersion":"x.io/v1","kind":"Thing","metadata":{"name":"a"},"spec":{"n":1}}],"extra":{"e":true}}`
	var l runtime.UnstructuredList
	require.NoError(t, json.Unmarshal([]byte(in), &l))
	out, err := json.Marshal(&l)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))

	cp := l.DeepCopyObject().(*runtime.UnstructuredList)
	cp.Items[0].Content["spec"].(map[string]any)["n"] = int64(2)
	cp.Content["extra"].(map[string]any)["e"] = false
	out2, err := json.Marshal(&l)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out2))

	empty, err := json.Marshal(&runtime.UnstructuredList{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "XList"}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"apiVersion":"v1","kind":"XList","items":[]}`, string(empty))
}

func TestGenericListDeepCopy(t *testing.T) {
	n := int64(4)
	l := &runtime.List{ListMeta: meta.ListMeta{RemainingItemCount: &n},
		Items: []runtime.Object{&Gizmo{Data: map[string]string{"a": "b"}}, nil}}
	cp := l.DeepCopyObject().(*runtime.List)
	cp.Items[0].(*Gizmo).Data["a"] = "changed"
	*cp.RemainingItemCount = 5
	assert.Equal(t, "b", l.Items[0].(*Gizmo).Data["a"])
	assert.Equal(t, int64(4), *l.RemainingItemCount)
	assert.Nil(t, cp.Items[1])
	var nilList *runtime.List
	assert.Nil(t, nilList.DeepCopyObject())
}

func TestUnstructuredValueMarshalsLikePointer(t *testing.T) {
	u := runtime.Unstructured{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "T"}, Content: map[string]any{"a": "b"}}
	byPtr, err := json.Marshal(&u)
	require.NoError(t, err)
	byVal, err := json.Marshal(u)
	require.NoError(t, err)
	assert.Equal(t, string(byPtr), string(byVal))
	assert.Equal(t, `{"apiVersion":"v1","kind":"T","a":"b"}`, string(byVal))

	l := runtime.UnstructuredList{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "TList"}, Items: []runtime.Unstructured{u}}
	lb, err := json.Marshal(l)
	require.NoError(t, err)
	assert.Equal(t, `{"kind":"TList","apiVersion":"v1","items":[{"apiVersion":"v1","kind":"T","a":"b"}]}`, string(lb))

	var into runtime.UnstructuredList
	l.DeepCopyInto(&into)
	into.Items[0].Content["a"] = "changed"
	assert.Equal(t, "b", l.Items[0].Content["a"])
}
