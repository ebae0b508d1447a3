package v1

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// FuzzPodJSON decodes arbitrary bytes into a Pod. Decoding must never panic; whatever decodes
// must encode, decode again, and encode to the same bytes (the wire form is a fixed point after
// one round).
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
		if !bytes.Equal(first, second) {
			t.Fatalf("encoding is not stable:\nfirst  %s\nsecond %s", first, second)
		}
	})
}
