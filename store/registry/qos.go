package registry

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// qosResources are the resources that decide a pod's quality of service class.
var qosResources = [...]corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory}

// podQOSClass computes the quality of service class the API server records in
// status.qosClass when a pod is created (after defaulting, which copies limits into missing
// requests): BestEffort when no container (init containers included) requests or limits cpu
// or memory with a positive quantity; Guaranteed when every container limits both and, summed
// over the containers, the requests of each equal its limits; Burstable otherwise.
func podQOSClass(pod *corev1.Pod) corev1.PodQOSClass {
	var requests, limits [len(qosResources)]resource.Quantity
	var requested, limited [len(qosResources)]bool
	guaranteed := true
	visit := func(c *corev1.Container) {
		for i, name := range qosResources {
			if q, ok := c.Resources.Requests[name]; ok && q.Sign() > 0 {
				requests[i].Add(q)
				requested[i] = true
			}
			if q, ok := c.Resources.Limits[name]; ok && q.Sign() > 0 {
				limits[i].Add(q)
				limited[i] = true
			} else {
				guaranteed = false
			}
		}
	}
	for i := range pod.Spec.InitContainers {
		visit(&pod.Spec.InitContainers[i])
	}
	for i := range pod.Spec.Containers {
		visit(&pod.Spec.Containers[i])
	}
	anything := false
	for i := range qosResources {
		anything = anything || requested[i] || limited[i]
		if requested[i] != limited[i] || (requested[i] && requests[i].Cmp(limits[i]) != 0) {
			guaranteed = false
		}
	}
	switch {
	case !anything:
		return corev1.PodQOSBestEffort
	case guaranteed:
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}
