package v1

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// FuzzPodJSON decodes arbitrary bytes into a Pod. Decoding must never panic; whatever decodes
// must encode, decode again, and encode to the same JSON, where a null member counts as absent:
// a time given as "" decodes to a non-nil zero *Time that encodes as null, which decodes to a nil
// pointer that is omitted, exactly as in Kubernetes, where null and absent mean the same.
func FuzzPodJSON(f *testing.F) {
	for _, name := range []string{"testdata/pod-full.json", "testdata/rc-status.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"kind":"Pod","spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":"1.5","memory":"1e3Mi"}}}]}}`))
	f.Add([]byte(`{"spec":{"containers":[{"name":"a","livenessProbe":{"httpGet":{"port":"http"}}}]}}`))
	f.Add([]byte(`{"metadata":{"creationTimestamp":"2025-03-14T09:26:53.999Z"},"status":{"startTime":null}}`))
	f.Add([]byte(`{"spec":{"overhead":{"cpu":"0.000000001"}}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var pod Pod
		if err := json.Unmarshal(data, &pod); err != nil {
			return
		}
		first, err := json.Marshal(&pod)
		if err != nil {
			t.Fatalf("encode of a decoded pod failed: %v", err)
		}
		var again Pod
		if err := json.Unmarshal(first, &again); err != nil {
			t.Fatalf("decode of our own encoding failed: %v\n%s", err, first)
		}
		second, err := json.Marshal(&again)
		if err != nil {
			t.Fatalf("second encode failed: %v", err)
		}
		if !sameJSON(first, second) {
			t.Fatalf("encoding is not stable:\nfirst  %s\nsecond %s", first, second)
		}
	})
}

// fuzzKinds are the kinds FuzzKindJSON decodes into, picked by the fuzzer's kind byte.
var fuzzKinds = []func() any{
	func() any { return &Binding{} },
	func() any { return &ConfigMap{} },
	func() any { return &Endpoints{} },
	func() any { return &Event{} },
	func() any { return &LimitRange{} },
	func() any { return &Namespace{} },
	func() any { return &Node{} },
	func() any { return &PersistentVolume{} },
	func() any { return &PersistentVolumeClaim{} },
	func() any { return &PodTemplate{} },
	func() any { return &ReplicationController{} },
	func() any { return &ResourceQuota{} },
	func() any { return &Secret{} },
	func() any { return &Service{} },
	func() any { return &ServiceAccount{} },
	func() any { return &PodLogOptions{} },
}

// FuzzKindJSON is FuzzPodJSON for every other kind of the package: no panic, and the encoding of
// whatever decodes is stable, null members counting as absent.
func FuzzKindJSON(f *testing.F) {
	seeds := map[string]byte{
		"testdata/node-status.json": 6, "testdata/service-lb.json": 13, "testdata/event.json": 3,
		"testdata/secret.json": 12, "testdata/configmap.json": 1, "testdata/namespace.json": 5,
		"testdata/rc-status.json": 10,
	}
	for name, kind := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, kind)
	}
	f.Add([]byte(`{"spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"],"csi":{"driver":"d","volumeHandle":"h"}}}`), byte(7))
	f.Add([]byte(`{"spec":{"resources":{"requests":{"storage":"1Gi"}},"dataSourceRef":{"apiGroup":null,"kind":"PersistentVolumeClaim","name":"src"}}}`), byte(8))
	f.Add([]byte(`{"subsets":[{"addresses":[{"ip":"10.0.0.1","targetRef":{"kind":"Pod","name":"a"}}],"ports":[{"port":80}]}]}`), byte(2))
	f.Add([]byte(`{"spec":{"limits":[{"type":"Container","max":{"cpu":"2"},"maxLimitRequestRatio":{"cpu":"4"}}]}}`), byte(4))
	f.Add([]byte(`{"spec":{"hard":{"pods":"10"},"scopeSelector":{"matchExpressions":[{"scopeName":"PriorityClass","operator":"In","values":["high"]}]}}}`), byte(11))
	f.Add([]byte(`{"sinceTime":"2025-01-01T00:00:00Z","tailLines":10}`), byte(15))
	f.Fuzz(func(t *testing.T, data []byte, kind byte) {
		newObj := fuzzKinds[int(kind)%len(fuzzKinds)]
		obj := newObj()
		if err := json.Unmarshal(data, obj); err != nil {
			return
		}
		first, err := json.Marshal(obj)
		if err != nil {
			t.Fatalf("encode of a decoded %T failed: %v", obj, err)
		}
		again := newObj()
		if err := json.Unmarshal(first, again); err != nil {
			t.Fatalf("decode of our own encoding of %T failed: %v\n%s", obj, err, first)
		}
		second, err := json.Marshal(again)
		if err != nil {
			t.Fatalf("second encode of %T failed: %v", obj, err)
		}
		if !sameJSON(first, second) {
			t.Fatalf("encoding of %T is not stable:\nfirst  %s\nsecond %s", obj, first, second)
		}
	})
}

// sameJSON reports whether two JSON documents are equal once members whose value is null are
// removed.
func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var av, bv any
	if json.Unmarshal(a, &av) != nil || json.Unmarshal(b, &bv) != nil {
		return false
	}
	return reflect.DeepEqual(dropNulls(av), dropNulls(bv))
}

func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
			} else {
				v[k] = dropNulls(e)
			}
		}
	case []any:
		for i, e := range v {
			v[i] = dropNulls(e)
		}
	}
	return v
}

func TestSameJSON(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{`{"a":1}`, `{"a":1}`, true},
		{`{"a":null,"b":{"c":null}}`, `{"b":{}}`, true},
		{`{"a":[null]}`, `{"a":[]}`, false},
		{`{"a":1}`, `{"a":2}`, false},
		{`{"a":""}`, `{}`, false},
	}
	for _, tc := range tests {
		if got := sameJSON([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("sameJSON(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
