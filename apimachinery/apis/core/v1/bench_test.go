package v1

import (
	"encoding/json"
	"os"
	"testing"
)

func benchPod(b *testing.B) (*Pod, []byte) {
	b.Helper()
	data, err := os.ReadFile("testdata/pod-full.json")
	if err != nil {
		b.Fatal(err)
	}
	pod := &Pod{}
	if err := json.Unmarshal(data, pod); err != nil {
		b.Fatal(err)
	}
	return pod, data
}

// BenchmarkPodDeepCopy copies a realistic pod (several containers, volumes, affinity, status).
func BenchmarkPodDeepCopy(b *testing.B) {
	pod, _ := benchPod(b)
	b.ReportAllocs()
	for b.Loop() {
		if pod.DeepCopy() == nil {
			b.Fatal("nil copy")
		}
	}
}

// BenchmarkPodMarshal encodes the realistic pod to JSON.
func BenchmarkPodMarshal(b *testing.B) {
	pod, data := benchPod(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(pod); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPodUnmarshal decodes the realistic pod from JSON.
func BenchmarkPodUnmarshal(b *testing.B) {
	_, data := benchPod(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var pod Pod
		if err := json.Unmarshal(data, &pod); err != nil {
			b.Fatal(err)
		}
	}
}
