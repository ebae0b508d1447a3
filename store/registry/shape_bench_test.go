package registry

import (
	"syscall"
	"testing"
	"time"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// BenchmarkSpecChanged measures the generation check on a pod: equal specs (reflect.DeepEqual
// decides), a real change (DeepEqual differs, the JSON comparison confirms), and a change of
// form only (an empty slice for nil: JSON decides it is none), against always comparing JSON.
func BenchmarkSpecChanged(b *testing.B) {
	scheme, err := apis.NewScheme()
	if err != nil {
		b.Fatal(err)
	}
	mem := &Registry{scheme: scheme}
	base := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "p"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "img:1",
			Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}}}}},
	}
	corev1.DefaultPod(base)
	equal := base.DeepCopy()
	changed := base.DeepCopy()
	changed.Spec.Containers[0].Image = "img:2"
	form := base.DeepCopy()
	form.Spec.Containers[0].Args = []string{}
	for _, tc := range []struct {
		name string
		obj  *corev1.Pod
		want bool
	}{{"equal", equal, false}, {"changed", changed, true}, {"form-only", form, false}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime(b)
			for range b.N {
				if mem.specChanged(tc.obj, base) != tc.want {
					b.Fatal("wrong answer")
				}
			}
			b.ReportMetric(float64((cpuTime(b)-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
		b.Run(tc.name+"/json-always", func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime(b)
			for range b.N {
				if jsonEqual(&tc.obj.Spec, &base.Spec) == tc.want {
					b.Fatal("wrong answer")
				}
			}
			b.ReportMetric(float64((cpuTime(b)-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's CPU time so far (the machine running benchmarks may be shared).
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
