package podbench

import (
	"context"
	"encoding/json"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
)

var podsGR = schema.GroupResource{Resource: "pods"}

// pod is a typical scheduled, running pod of a Deployment: about 2 KiB of JSON.
func pod(i int) *corev1.Pod {
	ctrl := true
	start := meta.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	return &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{
			Namespace:    fmt.Sprintf("team-%d", i%20),
			Name:         fmt.Sprintf("web-7d4b9c8f6d-%05d", i),
			GenerateName: "web-7d4b9c8f6d-",
			Labels:       map[string]string{"app": "web", "pod-template-hash": "7d4b9c8f6d", "tier": "frontend"},
			Annotations:  map[string]string{"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
			OwnerReferences: []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d4b9c8f6d",
				UID: "6f1c2a9e-3b1d-4c5e-9f7a-1b2c3d4e5f60", Controller: &ctrl, BlockOwnerDeletion: &ctrl}},
		},
		Spec: corev1.PodSpec{
			NodeName: fmt.Sprintf("node-%d", i%100),
			Containers: []corev1.Container{{
				Name:  "web",
				Image: "registry.example.com/web:1.27.3",
				Args:  []string{"--port=8080", "--log-level=info"},
				Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: "TCP"}},
				Env: []corev1.EnvVar{
					{Name: "MODE", Value: "production"},
					{Name: "CACHE_SIZE", Value: "256"},
				},
				Resources: corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("256Mi")},
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("512Mi")},
				},
			}},
		},
		Status: corev1.PodStatus{
			Phase:     corev1.PodRunning,
			PodIP:     fmt.Sprintf("10.1.%d.%d", i/250%250, i%250),
			StartTime: &start,
			Conditions: []corev1.PodCondition{
				{Type: corev1.PodReady, Status: "True", LastTransitionTime: start},
				{Type: "ContainersReady", Status: "True", LastTransitionTime: start},
				{Type: "PodScheduled", Status: "True", LastTransitionTime: start},
			},
		},
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs fn b.N times and reports CPU time per operation next to wall time.
func measure(b *testing.B, fn func(i int)) {
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		fn(i)
	}
	b.StopTimer()
	used := cpuTime() - start
	b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	if used > 0 {
		b.ReportMetric(float64(b.N)/used.Seconds(), "ops/cpu-s")
	}
}

func newStore(b *testing.B, n int) (store.Typed[*corev1.Pod], []*corev1.Pod) {
	b.Helper()
	scheme, err := apis.NewScheme()
	if err != nil {
		b.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		b.Fatal(err)
	}
	s, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		b.Fatal(err)
	}
	pods := store.For[*corev1.Pod](s, podsGR)
	out := make([]*corev1.Pod, n)
	for i := range out {
		p, err := pods.Create(context.Background(), pod(i))
		if err != nil {
			b.Fatal(err)
		}
		out[i] = p
	}
	return pods, out
}

func BenchmarkPods(b *testing.B) {
	ctx := context.Background()
	raw, _ := json.Marshal(pod(0))
	b.Logf("pod JSON size: %d bytes", len(raw))
	pods, objs := newStore(b, 10_000)
	b.Run("get", func(b *testing.B) {
		measure(b, func(i int) {
			p := objs[(i*7919)%len(objs)]
			if _, err := pods.Get(ctx, p.Namespace, p.Name, store.GetOptions{}); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("deepcopy", func(b *testing.B) {
		p := objs[0]
		measure(b, func(int) { _ = p.DeepCopy() })
	})
	b.Run("update-status", func(b *testing.B) {
		measure(b, func(i int) {
			k := i % len(objs)
			p := objs[k]
			p.Status.Message = fmt.Sprint(i)
			out, err := pods.Update(ctx, p)
			if err != nil {
				b.Fatal(err)
			}
			objs[k] = out
		})
	})
	b.Run("list-node-index", func(b *testing.B) {
		sel := fields.OneTermEqualSelector("spec.nodeName", "node-42")
		measure(b, func(int) {
			l, err := pods.List(ctx, "", store.ListOptions{Fields: sel})
			if err != nil || len(l.Items) != 100 {
				b.Fatalf("%v items, %v", len(l.Items), err)
			}
		})
	})
}
