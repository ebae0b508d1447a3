package nodelifecycle

import (
	"fmt"
	"testing"
	"time"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// BenchmarkMonitorPass measures one monitor pass over a cluster of healthy nodes in three
// zones, within their grace period: the steady state, where a pass reads the caches and
// writes nothing.
func BenchmarkMonitorPass(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			h := newHarness(b, Options{})
			for i := range n {
				name := fmt.Sprintf("node-%05d", i)
				h.addNode(name, fmt.Sprintf("zone-%d", i%3), corev1.ConditionTrue)
				h.renew(name)
			}
			h.settle()
			if err := h.c.monitor(h.ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := h.c.monitor(h.ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/node")
		})
	}
}

// BenchmarkTolerationTime measures the eviction decision for a pod with the API server's
// default tolerations on a node with one NoExecute taint among others.
func BenchmarkTolerationTime(b *testing.B) {
	taints := []corev1.Taint{
		{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule},
		{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute},
	}
	tols := []corev1.Toleration{
		tolerate(corev1.TaintNodeNotReady, seconds(300)),
		tolerate(corev1.TaintNodeUnreachable, seconds(300)),
	}
	b.ReportAllocs()
	for range b.N {
		if d, _ := TolerationTime(taints, tols); d != 300*time.Second {
			b.Fatal(d)
		}
	}
}
