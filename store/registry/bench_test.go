package registry_test

import (
	"strconv"
	"syscall"
	"testing"
	"time"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/registry"
)

// BenchmarkUpdate compares an Update through the registry with the same Update straight on the
// memory backend: a label change (no generation bump) and a spec change (bump), of a pod and
// of a deployment. The registry reads the object, copies and defaults the request, compares
// the spec and validates before the backend's write.
func BenchmarkUpdate(b *testing.B) {
	kinds := []struct {
		name   string
		gr     schema.GroupResource
		obj    func() runtime.MetaObject
		change func(o runtime.MetaObject, i int, spec bool)
	}{
		{"pod", podsGR, func() runtime.MetaObject { return newPod("p") }, func(o runtime.MetaObject, i int, spec bool) {
			p := o.(*corev1.Pod)
			if spec {
				p.Spec.Containers[0].Image = "img:" + strconv.Itoa(i)
			} else {
				p.Labels["i"] = strconv.Itoa(i)
			}
		}},
		{"deployment", deployGR, func() runtime.MetaObject { return newDeployment("d") }, func(o runtime.MetaObject, i int, spec bool) {
			d := o.(*appsv1.Deployment)
			if spec {
				r := int32(i % 1000)
				d.Spec.Replicas = &r
			} else {
				if d.Labels == nil {
					d.Labels = map[string]string{}
				}
				d.Labels["i"] = strconv.Itoa(i)
			}
		}},
	}
	for _, k := range kinds {
		for _, spec := range []bool{false, true} {
			change := "labels"
			if spec {
				change = "spec"
			}
			for _, via := range []string{"memory", "registry"} {
				b.Run(k.name+"/"+change+"/"+via, func(b *testing.B) {
					h := newHarness(b, registry.Options{})
					created, err := h.reg.Create(h.ctx, k.gr, k.obj())
					if err != nil {
						b.Fatal(err)
					}
					var s store.Interface = h.reg
					if via == "memory" {
						s = h.mem
					}
					cur := created
					b.ReportAllocs()
					b.ResetTimer()
					cpu := processCPU(b)
					for i := range b.N {
						req := cur.DeepCopyObject().(runtime.MetaObject)
						k.change(req, i, spec)
						if cur, err = s.Update(h.ctx, k.gr, req); err != nil {
							b.Fatal(err)
						}
					}
					reportCPU(b, cpu)
				})
			}
		}
	}
}

// BenchmarkStatusGuaranteedUpdate measures a controller's status write: GuaranteedUpdate on
// deployments/status through the registry, against GuaranteedUpdate on the memory backend.
func BenchmarkStatusGuaranteedUpdate(b *testing.B) {
	for _, via := range []string{"memory", "registry"} {
		b.Run(via, func(b *testing.B) {
			h := newHarness(b, registry.Options{})
			if _, err := h.deploys.Create(h.ctx, newDeployment("d")); err != nil {
				b.Fatal(err)
			}
			gr := deployStatus
			var s store.Interface = h.reg
			if via == "memory" {
				s, gr = h.mem, deployGR
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := processCPU(b)
			for range b.N {
				if _, err := s.GuaranteedUpdate(h.ctx, gr, "ns", "d", func(cur runtime.MetaObject) (runtime.MetaObject, error) {
					cur.(*appsv1.Deployment).Status.Replicas++
					return cur, nil
				}, store.UpdateOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkCreateDelete is a pod's create and (unbound, so immediate) delete.
func BenchmarkCreateDelete(b *testing.B) {
	for _, via := range []string{"memory", "registry"} {
		b.Run(via, func(b *testing.B) {
			h := newHarness(b, registry.Options{})
			var s store.Interface = h.reg
			if via == "memory" {
				s = h.mem
			}
			pod := newPod("p")
			corev1.DefaultPod(pod)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := processCPU(b)
			for range b.N {
				if _, err := s.Create(h.ctx, podsGR, pod); err != nil {
					b.Fatal(err)
				}
				if _, err := s.Delete(h.ctx, podsGR, "ns", "p", store.DeleteOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// processCPU is the CPU time (user and system) the process used so far. On a loaded machine
// it measures the work of a benchmark better than the wall clock.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time per operation since start as cpu-ns/op.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((processCPU(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
