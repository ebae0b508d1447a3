package v1_test

import (
	"fmt"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// A copy taken with DeepCopy can be changed freely: the original, which may live in a shared
// cache, stays as it was.
func ExamplePod_DeepCopy() {
	cached := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Name: "web", Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:      "nginx",
			Image:     "nginx:1.27",
			Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}},
		}}},
	}
	pod := cached.DeepCopy()
	pod.Labels["app"] = "web-canary"
	pod.Spec.Containers[0].Image = "nginx:1.28"
	pod.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU] = resource.MustParse("200m")

	cpu := cached.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU]
	fmt.Println(cached.Labels["app"], cached.Spec.Containers[0].Image, cpu.String())
	cpu = pod.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU]
	fmt.Println(pod.Labels["app"], pod.Spec.Containers[0].Image, cpu.String())
	// Output:
	// web nginx:1.27 100m
	// web-canary nginx:1.28 200m
}

// The convenience accessors of ResourceList return a zero quantity for a missing resource.
func ExampleResourceList_Cpu() {
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("3920m"),
		corev1.ResourceMemory: resource.MustParse("15Gi"),
	}
	fmt.Println(capacity.Cpu().MilliValue(), capacity.Memory().Value(), capacity.Pods().Value())
	// Output:
	// 3920 16106127360 0
}
