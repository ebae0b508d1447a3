package runtime_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

func benchWidget(i int) Widget {
	return Widget{
		ObjectMeta: meta.ObjectMeta{Name: "web-" + strconv.Itoa(i), Namespace: "default", UID: meta.UID("uid-" + strconv.Itoa(i)),
			ResourceVersion: strconv.Itoa(1000 + i), Labels: map[string]string{"app": "web", "tier": "frontend"},
			Annotations: map[string]string{"note": "a benchmark object of typical size"}},
		Spec: WidgetSpec{Replicas: int32p(3), Labels: []string{"a", "b", "c"}, Limits: map[string]int64{"cpu": 2, "memory": 1 << 30},
			Template: WidgetTmpl{Spec: PartSpec{Containers: []Part{
				{Name: "nginx", Image: "nginx:1.27", ImagePullPolicy: "IfNotPresent"},
				{Name: "sidecar", Image: "busybox:1.36", ImagePullPolicy: "Always"},
			}}}},
		Status: WidgetStatus{Ready: 3, Conditions: []meta.Condition{{Type: "Ready", Status: meta.ConditionTrue, Reason: "Up", Message: "all good"}}},
	}
}

func benchList(n int) *WidgetList {
	l := &WidgetList{ListMeta: meta.ListMeta{ResourceVersion: "5000"}, Items: make([]Widget, n)}
	for i := range l.Items {
		l.Items[i] = benchWidget(i)
	}
	return l
}

func BenchmarkEncode(b *testing.B) {
	s := newTestScheme(b)
	c := newCodec(b, s, runtime.JSON, runtime.CodecOptions{})
	w := benchWidget(0)
	list := benchList(1000)
	cases := []struct {
		name string
		obj  runtime.Object
	}{{"object", &w}, {"list1000", list}}
	for _, tc := range cases {
		b.Run(tc.name+"/codec", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.Encode(tc.obj); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := json.Marshal(tc.obj); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	s := newTestScheme(b)
	c := newCodec(b, s, runtime.JSON, runtime.CodecOptions{})
	strict := newCodec(b, s, runtime.JSON, runtime.CodecOptions{Strict: true})
	yc := newCodec(b, s, runtime.YAML, runtime.CodecOptions{})
	w := benchWidget(0)
	objJSON, err := c.Encode(&w)
	if err != nil {
		b.Fatal(err)
	}
	listJSON, err := c.Encode(benchList(1000))
	if err != nil {
		b.Fatal(err)
	}
	objYAML, err := yc.Encode(&w)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		new  func() any
	}{
		{"object", objJSON, func() any { return &Widget{} }},
		{"list1000", listJSON, func() any { return &WidgetList{} }},
	}
	for _, tc := range cases {
		b.Run(tc.name+"/codec", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.data)))
			for i := 0; i < b.N; i++ {
				if _, err := c.Decode(tc.data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/codec-strict", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.data)))
			for i := 0; i < b.N; i++ {
				if _, err := strict.Decode(tc.data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.data)))
			for i := 0; i < b.N; i++ {
				if err := json.Unmarshal(tc.data, tc.new()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("object/codec-yaml", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(objYAML)))
		for i := 0; i < b.N; i++ {
			if _, err := yc.Decode(objYAML); err != nil {
				b.Fatal(err)
			}
		}
	})
	u := &runtime.Unstructured{}
	if err := json.Unmarshal(objJSON, u); err != nil {
		b.Fatal(err)
	}
	u.Kind, u.APIVersion = "Thing", "x.io/v1"
	unJSON, err := c.Encode(u)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("object/codec-unstructured", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(unJSON)))
		for i := 0; i < b.N; i++ {
			if _, err := c.Decode(unJSON); err != nil {
				b.Fatal(err)
			}
		}
	})
}
