package backend

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	batchv1 "github.com/cellkit/cellkit/apimachinery/apis/batch/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/internal/apitest"
)

// checkBound fails when the sizer's bound of obj is below its real JSON size.
func checkBound(t *testing.T, z *sizer, obj any) {
	t.Helper()
	b, err := json.Marshal(obj)
	if err != nil {
		t.Fatalf("marshal %T: %v", obj, err)
	}
	n, ok := z.bound(reflect.ValueOf(obj), 0)
	if !ok {
		t.Fatalf("no bound for %T", obj)
	}
	if n < len(b) {
		t.Fatalf("bound %d below the encoded size %d of %T: %s", n, len(b), obj, b)
	}
}

func TestSizeBoundCoversEncoding(t *testing.T) {
	var z sizer
	for seed := int64(0); seed < 60; seed++ {
		f := apitest.NewFiller(seed, apitest.Options{})
		for _, obj := range []any{&appsv1.Deployment{}, &appsv1.StatefulSet{}, &batchv1.Job{}, &batchv1.CronJob{}} {
			if err := f.Fill(obj); err != nil {
				t.Fatal(err)
			}
			checkBound(t, &z, obj)
		}
	}
	nasty := strings.Repeat("<>&\u2028\x00\xff\"\\", 50)
	checkBound(t, &z, &meta.ObjectMeta{Name: nasty, Labels: map[string]string{nasty: nasty}, Annotations: map[string]string{"a": ""}})
	checkBound(t, &z, &runtime.RawExtension{Raw: []byte(`{"a":"<b>"}`)})
	checkBound(t, &z, &struct {
		B  []byte
		F  float64
		I  int64 `json:",string"`
		P  *int
		M  map[int]string
		A  [3]bool
		IF any
	}{B: []byte(nasty), F: -1.2345678901234567e-308, I: -1 << 63, M: map[int]string{-5: nasty}, IF: map[string]any{"x": []any{1.5, "y"}}})
}

func TestSizeBoundRefusesWhatJSONCannotEncode(t *testing.T) {
	var z sizer
	for _, v := range []any{make(chan int), func() {}, complex(1, 2)} {
		if _, ok := z.bound(reflect.ValueOf(&struct{ V any }{v}), 0); ok {
			t.Errorf("bound of a %T: ok, want no bound", v)
		}
	}
	type node struct{ Next *node }
	loop := &node{}
	loop.Next = loop
	if _, ok := z.bound(reflect.ValueOf(loop), 0); ok {
		t.Errorf("bound of a cycle: ok, want no bound")
	}
}

type fuzzObj struct {
	meta.ObjectMeta `json:"metadata"`
	Data            string            `json:"data,omitempty"`
	Bytes           []byte            `json:"bytes,omitempty"`
	Map             map[string]string `json:"map,omitempty"`
	List            []string          `json:"list,omitempty"`
	Num             float64           `json:"num"`
}

func FuzzSizeBound(f *testing.F) {
	f.Add("web", "<script>", []byte{0, 1, 2}, "k", "v", 1.5)
	f.Add("", "\xff\xfe", []byte(nil), "\u2028", "\x00", -1e300)
	f.Fuzz(func(t *testing.T, name, data string, raw []byte, k, v string, num float64) {
		obj := &fuzzObj{
			ObjectMeta: meta.ObjectMeta{Name: name, Labels: map[string]string{k: v}},
			Data:       data, Bytes: raw, Map: map[string]string{v: k, data: name}, List: []string{k, v, data}, Num: num,
		}
		if _, err := json.Marshal(obj); err != nil {
			return // NaN and infinities: encoding fails, and CheckSize reports it
		}
		var z sizer
		checkBound(t, &z, obj)
	})
}
