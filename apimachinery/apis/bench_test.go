package apis_test

import (
	"encoding/json"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// listLimit is the decode size limit of the benchmark codecs: a list of 1000 realistic pods
// (3.4 MB) exceeds runtime.DefaultMaxSize, the API server's request limit, as list responses
// do; clients decode responses with a larger limit.
const listLimit = 64 << 20

// processCPU returns the CPU time (user and system, all threads) the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs fn b.N times and reports, besides wall time, the process CPU time per operation:
// on a loaded, shared machine wall time mostly measures the neighbours.
func loop(b *testing.B, size int, fn func() error) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	start := processCPU(b)
	for i := 0; i < b.N; i++ {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((processCPU(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// benchData returns the pod of testdata/golden/pod-full.json, its JSON, and a PodList and a
// kind: List of 1000 such pods (distinct names) with their JSON.
func benchData(b *testing.B) (pod *corev1.Pod, podJSON []byte, list *corev1.PodList, listJSON, genericJSON []byte) {
	b.Helper()
	podJSON, err := os.ReadFile("testdata/golden/pod-full.json")
	if err != nil {
		b.Fatal(err)
	}
	pod = &corev1.Pod{}
	if err := json.Unmarshal(podJSON, pod); err != nil {
		b.Fatal(err)
	}
	list = &corev1.PodList{}
	list.APIVersion, list.Kind, list.ResourceVersion = "v1", "PodList", "1000"
	generic := &runtime.List{}
	for i := range 1000 {
		p := pod.DeepCopy()
		p.Name = fmt.Sprintf("api-%04d", i)
		list.Items = append(list.Items, *p)
		generic.Items = append(generic.Items, p)
	}
	if listJSON, err = json.Marshal(list); err != nil {
		b.Fatal(err)
	}
	codecs, err := apis.NewCodecs(runtime.CodecOptions{MaxSize: listLimit})
	if err != nil {
		b.Fatal(err)
	}
	if genericJSON, err = codecs.JSON.Encode(generic); err != nil {
		b.Fatal(err)
	}
	return pod, podJSON, list, listJSON, genericJSON
}

// BenchmarkDecode decodes a pod and 1000-pod lists through the codec (which reads apiVersion
// and kind first, then decodes into the registered type; strict also reports unknown and
// duplicate fields) and, for comparison, with encoding/json into a known Go type.
func BenchmarkDecode(b *testing.B) {
	_, podJSON, _, listJSON, genericJSON := benchData(b)
	lenient, err := apis.NewCodecs(runtime.CodecOptions{MaxSize: listLimit})
	if err != nil {
		b.Fatal(err)
	}
	strict, err := apis.NewCodecs(runtime.CodecOptions{Strict: true, MaxSize: listLimit})
	if err != nil {
		b.Fatal(err)
	}
	podYAML, err := lenient.YAML.Encode(mustDecode(b, lenient.JSON, podJSON))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("pod/encoding-json", func(b *testing.B) {
		loop(b, len(podJSON), func() error { return json.Unmarshal(podJSON, &corev1.Pod{}) })
	})
	b.Run("pod/codec-json", func(b *testing.B) {
		loop(b, len(podJSON), func() error { _, err := lenient.JSON.Decode(podJSON); return err })
	})
	b.Run("pod/codec-json-strict", func(b *testing.B) {
		loop(b, len(podJSON), func() error { _, err := strict.JSON.Decode(podJSON); return err })
	})
	b.Run("pod/codec-yaml", func(b *testing.B) {
		loop(b, len(podYAML), func() error { _, err := lenient.YAML.Decode(podYAML); return err })
	})
	b.Run("podlist-1000/encoding-json", func(b *testing.B) {
		loop(b, len(listJSON), func() error { return json.Unmarshal(listJSON, &corev1.PodList{}) })
	})
	b.Run("podlist-1000/codec-json", func(b *testing.B) {
		loop(b, len(listJSON), func() error { _, err := lenient.JSON.Decode(listJSON); return err })
	})
	b.Run("podlist-1000/codec-json-strict", func(b *testing.B) {
		loop(b, len(listJSON), func() error { _, err := strict.JSON.Decode(listJSON); return err })
	})
	b.Run("list-1000/codec-json", func(b *testing.B) {
		loop(b, len(genericJSON), func() error { _, err := lenient.JSON.Decode(genericJSON); return err })
	})
}

// BenchmarkEncode encodes the same objects through the codec (which fills in apiVersion and
// kind when they are empty) and with encoding/json.
func BenchmarkEncode(b *testing.B) {
	pod, podJSON, list, listJSON, genericJSON := benchData(b)
	codecs, err := apis.NewCodecs(runtime.CodecOptions{MaxSize: listLimit})
	if err != nil {
		b.Fatal(err)
	}
	bare := pod.DeepCopy()
	bare.APIVersion, bare.Kind = "", ""
	generic := mustDecode(b, codecs.JSON, genericJSON)
	b.Run("pod/encoding-json", func(b *testing.B) {
		loop(b, len(podJSON), func() error { _, err := json.Marshal(pod); return err })
	})
	b.Run("pod/codec-json", func(b *testing.B) {
		loop(b, len(podJSON), func() error { _, err := codecs.JSON.Encode(pod); return err })
	})
	b.Run("pod/codec-json-fill-kind", func(b *testing.B) {
		loop(b, len(podJSON), func() error { _, err := codecs.JSON.Encode(bare); return err })
	})
	b.Run("pod/codec-yaml", func(b *testing.B) {
		loop(b, len(podJSON), func() error { _, err := codecs.YAML.Encode(pod); return err })
	})
	b.Run("podlist-1000/encoding-json", func(b *testing.B) {
		loop(b, len(listJSON), func() error { _, err := json.Marshal(list); return err })
	})
	b.Run("podlist-1000/codec-json", func(b *testing.B) {
		loop(b, len(listJSON), func() error { _, err := codecs.JSON.Encode(list); return err })
	})
	b.Run("list-1000/codec-json", func(b *testing.B) {
		loop(b, len(genericJSON), func() error { _, err := codecs.JSON.Encode(generic); return err })
	})
}

func mustDecode(b *testing.B, c *runtime.Codec, data []byte) runtime.Object {
	b.Helper()
	obj, err := c.Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	return obj
}
