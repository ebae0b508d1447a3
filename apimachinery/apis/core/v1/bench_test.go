package v1

import (
	"encoding/json"
	"fmt"
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

func benchPodList(b *testing.B, n int) (*PodList, []byte) {
	b.Helper()
	pod, _ := benchPod(b)
	list := &PodList{Items: make([]Pod, n)}
	for i := range list.Items {
		pod.DeepCopyInto(&list.Items[i])
		list.Items[i].Name = fmt.Sprintf("web-%d", i)
	}
	data, err := json.Marshal(list)
	if err != nil {
		b.Fatal(err)
	}
	return list, data
}

// BenchmarkPodList1000DeepCopy copies a list of 1000 realistic pods.
func BenchmarkPodList1000DeepCopy(b *testing.B) {
	list, _ := benchPodList(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if list.DeepCopy() == nil {
			b.Fatal("nil copy")
		}
	}
}

// BenchmarkPodList1000Unmarshal decodes a list of 1000 realistic pods.
func BenchmarkPodList1000Unmarshal(b *testing.B) {
	_, data := benchPodList(b, 1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var list PodList
		if err := json.Unmarshal(data, &list); err != nil {
			b.Fatal(err)
		}
	}
}
