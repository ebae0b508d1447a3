package runtime_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

func newCodec(t testing.TB, s *runtime.Scheme, f runtime.Format, opts runtime.CodecOptions) *runtime.Codec {
	t.Helper()
	c, err := runtime.NewCodec(s, f, opts)
	require.NoError(t, err)
	return c
}

// semanticJSON decodes JSON for a comparison that ignores key order and spacing.
func semanticJSON(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v), "%s", b)
	return v
}

func TestNewCodecOptions(t *testing.T) {
	s := newTestScheme(t)
	_, err := runtime.NewJSONCodec(nil, runtime.CodecOptions{})
	assert.Error(t, err)
	_, err = runtime.NewJSONCodec(s, runtime.CodecOptions{MaxSize: -1})
	assert.Error(t, err)
	_, err = runtime.NewCodec(s, runtime.Format(7), runtime.CodecOptions{})
	assert.Error(t, err)
	c, err := runtime.NewYAMLCodec(s, runtime.CodecOptions{})
	require.NoError(t, err)
	assert.Equal(t, runtime.YAML, c.Format())
	assert.Equal(t, "application/yaml", c.Format().ContentType())
	assert.Equal(t, "json", runtime.JSON.String())
	assert.Same(t, s, c.Scheme())
}

func TestEncodeFillsKind(t *testing.T) {
	s := newTestScheme(t)
	w := &Widget{ObjectMeta: meta.ObjectMeta{Name: "a", Namespace: "ns"}, Spec: WidgetSpec{Replicas: int32p(2)}}
	tests := []struct {
		name string
		obj  runtime.Object
		want string
	}{
		{"empty TypeMeta from the scheme", w,
			`{"kind":"Widget","apiVersion":"apps.test/v1","metadata":{"name":"a","namespace":"ns","creationTimestamp":null},"spec":{"replicas":2,"template":{"spec":{"containers":null}}},"status":{}}`},
		{"kind set, apiVersion filled", &Gizmo{TypeMeta: meta.TypeMeta{Kind: "Gizmo"}},
			`{"apiVersion":"v1","kind":"Gizmo","metadata":{"creationTimestamp":null}}`},
		{"own TypeMeta kept", &Widget{TypeMeta: meta.TypeMeta{APIVersion: "apps.test/v2", Kind: "Widget"}},
			`{"kind":"Widget","apiVersion":"apps.test/v2","metadata":{"creationTimestamp":null},"spec":{"template":{"spec":{"containers":null}}},"status":{}}`},
		{"list", &GizmoList{Items: []Gizmo{{ObjectMeta: meta.ObjectMeta{Name: "g"}}}},
			`{"kind":"GizmoList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"g","creationTimestamp":null}}]}`},
	}
	c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.obj.DeepCopyObject()
			b, err := c.Encode(tc.obj)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))
			assert.Equal(t, tc.want, string(b), "field order: kind, apiVersion first as in Kubernetes")
			if diff := cmp.Diff(before, tc.obj); diff != "" {
				t.Errorf("Encode changed the object (-before +after):\n%s", diff)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	_, err := c.Encode(nil)
	assert.Error(t, err)
	_, err = c.Encode(&struct{ Widget }{})
	assert.ErrorIs(t, err, runtime.ErrNotRegistered)
	_, err = c.Encode(&runtime.Unstructured{Content: map[string]any{"a": 1}})
	assert.ErrorIs(t, err, runtime.ErrMissingKind)
	_, err = c.Encode(&runtime.List{Items: []runtime.Object{&Gizmo{}, &struct{ Gizmo }{}}})
	assert.ErrorIs(t, err, runtime.ErrNotRegistered)
	assert.Contains(t, err.Error(), "items[1]")
	_, err = c.Encode(&runtime.Unstructured{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "X"},
		Content: map[string]any{"bad": make(chan int)}})
	assert.Error(t, err)
}

func TestEncodeYAML(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.YAML, runtime.CodecOptions{})
	b, err := c.Encode(&Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}, Data: map[string]string{"k": "v"}})
	require.NoError(t, err)
	want := "apiVersion: v1\ndata:\n  k: v\nkind: Gizmo\nmetadata:\n  creationTimestamp: null\n  name: g\n"
	assert.Equal(t, want, string(b))
	var buf bytes.Buffer
	require.NoError(t, c.EncodeTo(&buf, &Gizmo{}))
	assert.Equal(t, "apiVersion: v1\nkind: Gizmo\nmetadata:\n  creationTimestamp: null\n", buf.String())
}

const widgetJSON = `{
  "apiVersion": "apps.test/v1",
  "kind": "Widget",
  "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
  "spec": {
    "replicas": 3,
    "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27", "imagePullPolicy": "Always"}]}}
  }
}`

func wantWidget() *Widget {
	return &Widget{
		TypeMeta:   meta.TypeMeta{APIVersion: "apps.test/v1", Kind: "Widget"},
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default", Labels: map[string]string{"app": "web"}},
		Spec: WidgetSpec{Replicas: int32p(3), Template: WidgetTmpl{Spec: PartSpec{Containers: []Part{
			{Name: "nginx", Image: "nginx:1.27", ImagePullPolicy: "Always"}}}}},
	}
}

func TestDecodeTyped(t *testing.T) {
	s := newTestScheme(t)
	for _, strict := range []bool{false, true} {
		c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{Strict: strict})
		obj, err := c.Decode([]byte(widgetJSON))
		require.NoError(t, err)
		if diff := cmp.Diff(wantWidget(), obj); diff != "" {
			t.Errorf("strict=%v (-want +got):\n%s", strict, diff)
		}
	}
	y := newCodec(t, s, runtime.YAML, runtime.CodecOptions{Strict: true})
	obj, err := y.Decode([]byte(`
apiVersion: apps.test/v1
kind: Widget
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: 3
  template:
    spec:
      containers:
      - name: nginx
        image: "nginx:1.27"
        imagePullPolicy: Always
`))
	require.NoError(t, err)
	if diff := cmp.Diff(wantWidget(), obj); diff != "" {
		t.Errorf("yaml (-want +got):\n%s", diff)
	}
}

func TestDecodeErrors(t *testing.T) {
	s := newTestScheme(t)
	tests := []struct {
		name    string
		opts    runtime.CodecOptions
		in      string
		wantErr error
		wantMsg string
	}{
		{"missing kind", runtime.CodecOptions{}, `{"apiVersion":"v1"}`, runtime.ErrMissingKind, `kind ""`},
		{"missing apiVersion", runtime.CodecOptions{}, `{"kind":"Gizmo"}`, runtime.ErrMissingKind, `apiVersion ""`},
		{"bad apiVersion", runtime.CodecOptions{}, `{"apiVersion":"a/b/c","kind":"Gizmo"}`, nil, `unexpected group version string "a/b/c"`},
		{"kind not a string", runtime.CodecOptions{}, `{"apiVersion":"v1","kind":7}`, nil, "cannot unmarshal number"},
		{"not an object", runtime.CodecOptions{}, `[1,2]`, nil, "cannot unmarshal array"},
		{"syntax", runtime.CodecOptions{}, `{"apiVersion":`, nil, "unexpected end of JSON input"},
		{"empty", runtime.CodecOptions{}, ``, nil, "unexpected end of JSON input"},
		{"typed only", runtime.CodecOptions{TypedOnly: true}, `{"apiVersion":"x.io/v1","kind":"Thing"}`,
			runtime.ErrNotRegistered, `kind "Thing" of version "x.io/v1" is not registered`},
		{"wrong field type", runtime.CodecOptions{}, `{"apiVersion":"v1","kind":"Gizmo","data":{"a":1}}`, nil,
			"Gizmo.data"},
		{"too large", runtime.CodecOptions{MaxSize: 10}, `{"apiVersion":"v1","kind":"Gizmo"}`, runtime.ErrTooLarge,
			"34 bytes exceed the limit of 10 bytes"},
		{"null list item", runtime.CodecOptions{}, `{"apiVersion":"v1","kind":"List","items":[null]}`, nil, "items[0]: item is null"},
		{"bad list item", runtime.CodecOptions{}, `{"apiVersion":"v1","kind":"List","items":[{"kind":"Gizmo","apiVersion":"v1"},{"kind":"Gizmo"}]}`,
			runtime.ErrMissingKind, "decode items[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCodec(t, s, runtime.JSON, tc.opts)
			obj, err := c.Decode([]byte(tc.in))
			require.Error(t, err)
			assert.Nil(t, obj)
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
			}
			assert.Contains(t, err.Error(), tc.wantMsg)
		})
	}
}

func TestDecodeStrict(t *testing.T) {
	s := newTestScheme(t)
	tests := []struct {
		name   string
		format runtime.Format
		in     string
		want   []string
	}{
		{"unknown nested field with its path", runtime.JSON,
			`{"apiVersion":"apps.test/v1","kind":"Widget","metadata":{"name":"a"},"spec":{"template":{"spec":{"containers":[{"name":"c","imagePullPolicyy":"Always"}]}}}}`,
			[]string{`unknown field "spec.template.spec.containers[0].imagePullPolicyy"`}},
		{"case-sensitive field names", runtime.JSON,
			`{"apiVersion":"v1","kind":"Gizmo","metadata":{"Name":"a"}}`,
			[]string{`unknown field "metadata.Name"`}},
		{"duplicate field", runtime.JSON,
			`{"apiVersion":"v1","kind":"Gizmo","metadata":{"name":"a","name":"b"}}`,
			[]string{`duplicate field "metadata.name"`}},
		{"several problems", runtime.JSON,
			`{"apiVersion":"v1","kind":"Gizmo","extra":1,"data":{"k":"v","k":"w"}}`,
			[]string{`duplicate field "data.k"`, `unknown field "extra"`}},
		{"list item paths", runtime.JSON,
			`{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Gizmo"},{"apiVersion":"apps.test/v1","kind":"Widget","spec":{"replicaz":1}}]}`,
			[]string{`unknown field "items[1].spec.replicaz"`}},
		{"unstructured duplicates", runtime.JSON,
			`{"apiVersion":"x.io/v1","kind":"Thing","spec":{"a":1,"a":2},"metadata":{"nme":"x"}}`,
			[]string{`duplicate field "spec.a"`, `unknown field "metadata.nme"`}},
		{"yaml unknown field", runtime.YAML,
			"apiVersion: apps.test/v1\nkind: Widget\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        imagePullPolicyy: Always\n",
			[]string{`unknown field "spec.template.spec.containers[0].imagePullPolicyy"`}},
		{"yaml duplicate key", runtime.YAML,
			"apiVersion: v1\nkind: Gizmo\ndata:\n  k: v\n  k: w\n",
			[]string{`duplicate field "data.k" (line 5)`}},
		{"yaml duplicates with paths", runtime.YAML,
			"apiVersion: apps.test/v1\nkind: Widget\nmetadata:\n  name: a\n  labels: {x: '1', x: '2'}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        name: d\n",
			[]string{`duplicate field "metadata.labels.x" (line 5)`, `duplicate field "spec.template.spec.containers[0].name" (line 11)`}},
		{"yaml merge keys are not duplicates", runtime.YAML,
			"apiVersion: x/v1\nkind: T\nbase: &b {a: 1}\nspec:\n  <<: *b\n  a: 2\n  c: 3\n  c: 4\n",
			[]string{`duplicate field "spec.c" (line 8)`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCodec(t, s, tc.format, runtime.CodecOptions{Strict: true})
			obj, err := c.Decode([]byte(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, runtime.ErrStrictDecoding)
			assert.NotNil(t, obj, "strict problems come with the decoded object")
			se, ok := runtime.AsStrictDecodingError(err)
			require.True(t, ok)
			var got []string
			for _, e := range se.Errors {
				got = append(got, e.Error())
			}
			require.Len(t, got, len(tc.want), "%v", got)
			for i := range tc.want {
				found := false
				for _, g := range got {
					found = found || strings.Contains(g, tc.want[i])
				}
				assert.True(t, found, "want %q among %q", tc.want[i], got)
			}

			lenient := newCodec(t, s, tc.format, runtime.CodecOptions{})
			lobj, err := lenient.Decode([]byte(tc.in))
			require.NoError(t, err, "a lenient codec accepts the same input")
			if diff := cmp.Diff(lobj, obj); diff != "" {
				t.Errorf("strict and lenient objects differ (-lenient +strict):\n%s", diff)
			}
		})
	}
}

func TestDecodeLenientIgnoresWrongCase(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	obj, err := c.Decode([]byte(`{"apiVersion":"v1","kind":"Gizmo","metadata":{"NAME":"a","name":"b"}}`))
	require.NoError(t, err)
	assert.Equal(t, "b", obj.(*Gizmo).Name, "NAME must not match name")
	_, err = c.Decode([]byte(`{"ApiVersion":"v1","Kind":"Gizmo"}`))
	assert.ErrorIs(t, err, runtime.ErrMissingKind, "apiVersion and kind match case-sensitively too")
}

func TestDecodeUnknownKindToUnstructured(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	in := `{"apiVersion":"x.io/v1","kind":"Thing","metadata":{"name":"t","labels":{"a":"b"}},"spec":{"n":1,"f":1.5,"s":"x","l":[true,null]}}`
	obj, err := c.Decode([]byte(in))
	require.NoError(t, err)
	want := &runtime.Unstructured{
		TypeMeta:   meta.TypeMeta{APIVersion: "x.io/v1", Kind: "Thing"},
		ObjectMeta: meta.ObjectMeta{Name: "t", Labels: map[string]string{"a": "b"}},
		Content:    map[string]any{"spec": map[string]any{"n": int64(1), "f": 1.5, "s": "x", "l": []any{true, nil}}},
	}
	if diff := cmp.Diff(want, obj); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	out, err := c.Encode(obj)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))

	listIn := `{"apiVersion":"x.io/v1","kind":"ThingList","metadata":{"resourceVersion":"7"},"items":[{"metadata":{"name":"a"}},{"kind":"Other","metadata":{"name":"b"}}]}`
	obj, err = c.Decode([]byte(listIn))
	require.NoError(t, err)
	l, ok := obj.(*runtime.UnstructuredList)
	require.True(t, ok, "got %T", obj)
	assert.Equal(t, "7", l.ResourceVersion)
	require.Len(t, l.Items, 2)
	assert.Equal(t, meta.TypeMeta{APIVersion: "x.io/v1", Kind: "Thing"}, l.Items[0].TypeMeta, "items inherit the list's kind")
	assert.Equal(t, meta.TypeMeta{APIVersion: "x.io/v1", Kind: "Other"}, l.Items[1].TypeMeta)

	// A "List" kind without items is a plain object.
	obj, err = c.Decode([]byte(`{"apiVersion":"x.io/v1","kind":"ThingList","spec":{}}`))
	require.NoError(t, err)
	assert.IsType(t, &runtime.Unstructured{}, obj)
}

func TestDecodeGenericList(t *testing.T) {
	s := newTestScheme(t)
	for _, format := range []runtime.Format{runtime.JSON, runtime.YAML} {
		t.Run(format.String(), func(t *testing.T) {
			c := newCodec(t, s, format, runtime.CodecOptions{Strict: true})
			in := `{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":"9"},"items":[
			  {"apiVersion":"v1","kind":"Gizmo","metadata":{"name":"g"}},
			  {"apiVersion":"apps.test/v2","kind":"Widget","metadata":{"name":"w"}},
			  {"apiVersion":"x.io/v1","kind":"Thing","metadata":{"name":"t"},"spec":{"a":"b"}},
			  {"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Gizmo","metadata":{"name":"inner"}}]}]}`
			obj, err := c.Decode([]byte(in))
			require.NoError(t, err)
			l, ok := obj.(*runtime.List)
			require.True(t, ok, "got %T", obj)
			assert.Equal(t, "9", l.ResourceVersion)
			require.Len(t, l.Items, 4)
			assert.Equal(t, "g", l.Items[0].(*Gizmo).Name)
			assert.Equal(t, "w", l.Items[1].(*Widget).Name)
			assert.Equal(t, "t", l.Items[2].(*runtime.Unstructured).Name)
			assert.Equal(t, "inner", l.Items[3].(*runtime.List).Items[0].(*Gizmo).Name)

			out, err := c.Encode(l)
			require.NoError(t, err)
			again, err := c.Decode(out)
			require.NoError(t, err)
			if diff := cmp.Diff(l, again); diff != "" {
				t.Errorf("round trip (-first +second):\n%s", diff)
			}
		})
	}

	// Items without kinds are filled on encode.
	c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	out, err := c.Encode(&runtime.List{Items: []runtime.Object{&Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"apiVersion":"v1","kind":"List","metadata":{},"items":[{"apiVersion":"v1","kind":"Gizmo","metadata":{"name":"g","creationTimestamp":null}}]}`, string(out))
}

func TestDecodeListDepthLimit(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	in := strings.Repeat(`{"apiVersion":"v1","kind":"List","items":[`, 40) + strings.Repeat(`]}`, 40)
	_, err := c.Decode([]byte(in))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lists nested deeper than 32")
}

func TestDecodeInto(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})

	var w Widget
	require.NoError(t, c.DecodeInto([]byte(widgetJSON), &w))
	if diff := cmp.Diff(wantWidget(), &w); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var w2 Widget
	require.NoError(t, c.DecodeInto([]byte(`{"apiVersion":"apps.test/v2","kind":"Widget","metadata":{"name":"x"}}`), &w2),
		"any registered kind of the Go type")
	var w3 Widget
	require.NoError(t, c.DecodeInto([]byte(`{"metadata":{"name":"x"}}`), &w3), "no kind in the data")
	assert.Equal(t, "x", w3.Name)

	var g Gizmo
	err := c.DecodeInto([]byte(widgetJSON), &g)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a kind of *runtime_test.Gizmo")

	var u runtime.Unstructured
	require.NoError(t, c.DecodeInto([]byte(widgetJSON), &u), "anything decodes into Unstructured")
	assert.Equal(t, "web", u.Name)
	name, _, _ := runtime.NestedString(u.Content, "spec", "template", "spec", "containers")
	assert.Empty(t, name)

	var l runtime.List
	assert.Error(t, c.DecodeInto([]byte(widgetJSON), &l))
	assert.Error(t, c.DecodeInto([]byte(widgetJSON), nil))

	typed, err := runtime.Decode[*Widget](c, []byte(widgetJSON))
	require.NoError(t, err)
	assert.Equal(t, "web", typed.Name)
	_, err = runtime.Decode[*Gizmo](c, []byte(widgetJSON))
	assert.Error(t, err)

	strict := newCodec(t, s, runtime.JSON, runtime.CodecOptions{Strict: true})
	typed, err = runtime.Decode[*Widget](strict, []byte(`{"apiVersion":"apps.test/v1","kind":"Widget","bogus":1,"metadata":{"name":"n"}}`))
	assert.ErrorIs(t, err, runtime.ErrStrictDecoding)
	require.NotNil(t, typed)
	assert.Equal(t, "n", typed.Name)
}

func TestDecodeDefaults(t *testing.T) {
	s := newTestScheme(t)
	require.NoError(t, s.AddDefaultingFunc(&Widget{}, func(o runtime.Object) {
		if w := o.(*Widget); w.Spec.Replicas == nil {
			w.Spec.Replicas = int32p(1)
		}
	}))
	in := []byte(`{"apiVersion":"apps.test/v1","kind":"Widget"}`)
	plain := newCodec(t, s, runtime.JSON, runtime.CodecOptions{})
	obj, err := plain.Decode(in)
	require.NoError(t, err)
	assert.Nil(t, obj.(*Widget).Spec.Replicas)
	defaulting := newCodec(t, s, runtime.JSON, runtime.CodecOptions{Default: true})
	obj, err = defaulting.Decode(in)
	require.NoError(t, err)
	assert.Equal(t, int32(1), *obj.(*Widget).Spec.Replicas)
}

func TestYAMLSizeLimitAppliesToJSONForm(t *testing.T) {
	s := newTestScheme(t)
	// Anchors and aliases make the JSON form much larger than the YAML.
	in := "apiVersion: v1\nkind: Gizmo\ndata: &d {a: \"" + strings.Repeat("x", 200) + "\"}\nx1: *d\nx2: *d\nx3: *d\n"
	c := newCodec(t, s, runtime.YAML, runtime.CodecOptions{MaxSize: 500})
	_, err := c.Decode([]byte(in))
	assert.ErrorIs(t, err, runtime.ErrTooLarge)
	var tl *runtime.TooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(500), tl.Limit)
	assert.Greater(t, tl.Size, int64(500))
}

func TestCodecConcurrentUse(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.JSON, runtime.CodecOptions{Strict: true})
	shared := wantWidget()
	shared.TypeMeta = meta.TypeMeta{}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				b, err := c.Encode(shared)
				if err != nil {
					errs <- err
					return
				}
				if _, err := c.Decode(b); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.True(t, shared.GetObjectKind().GroupVersionKind().Empty(), "shared object untouched")
}

func TestErrorsMatchSentinels(t *testing.T) {
	se := &runtime.StrictDecodingError{Errors: []error{errors.New("a"), errors.New("b")}}
	assert.Equal(t, "runtime: strict decoding error: a, b", se.Error())
	assert.ErrorIs(t, se, runtime.ErrStrictDecoding)
	tl := &runtime.TooLargeError{Size: 5, Limit: 4}
	assert.ErrorIs(t, tl, runtime.ErrTooLarge)
	_, ok := runtime.AsStrictDecodingError(errors.New("x"))
	assert.False(t, ok)
}

func TestDecodeHostileInput(t *testing.T) {
	s := newTestScheme(t)
	laughs := "apiVersion: x/v1\nkind: T\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		name := string(rune('b' + i))
		laughs += name + ": &" + name + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]\n"
		prev = name
	}
	tests := []struct {
		name   string
		format runtime.Format
		in     string
	}{
		{"deep JSON arrays", runtime.JSON, `{"apiVersion":"x/v1","kind":"T","a":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}"},
		{"deep JSON in a typed object", runtime.JSON, `{"apiVersion":"v1","kind":"Gizmo","metadata":{"labels":` + strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000) + "}}"},
		{"deep YAML flow", runtime.YAML, "apiVersion: x/v1\nkind: T\na: " + strings.Repeat("[", 100000)},
		{"alias expansion bomb", runtime.YAML, laughs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCodec(t, s, tc.format, runtime.CodecOptions{})
			obj, err := c.Decode([]byte(tc.in))
			require.Error(t, err)
			assert.Nil(t, obj)
			assert.NotErrorIs(t, err, runtime.ErrMissingKind, "fails for the hostile part: %v", err)
			t.Log(err)
		})
	}
}

func TestEncodeYAMLDeterministic(t *testing.T) {
	s := newTestScheme(t)
	c := newCodec(t, s, runtime.YAML, runtime.CodecOptions{})
	u := &runtime.Unstructured{TypeMeta: meta.TypeMeta{APIVersion: "x/v1", Kind: "T"}, Content: map[string]any{
		"9": nil, "17": int64(2097152), "0020912100A": nil, "00A:201": int64(7),
		"file10": "a", "file2": "b", "nested": map[string]any{"b": []any{"yes", "1", 1.5, true, map[string]any{}}, "a": []any{}},
	}}
	want := `0020912100A: null
00A:201: 7
"17": 2097152
"9": null
apiVersion: x/v1
file10: a
file2: b
kind: T
nested:
  a: []
  b:
  - "yes"
  - "1"
  - 1.5
  - true
  - {}
`
	for i := 0; i < 50; i++ {
		got, err := c.Encode(u)
		require.NoError(t, err)
		require.Equal(t, want, string(got), "run %d", i)
	}
	back, err := c.Decode([]byte(want))
	require.NoError(t, err)
	if diff := cmp.Diff(u, back); diff != "" {
		t.Errorf("decode of the encoding (-want +got):\n%s", diff)
	}
}
