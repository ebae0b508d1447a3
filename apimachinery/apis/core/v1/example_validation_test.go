package v1_test

import (
	"fmt"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Default a pod the way the API server does, then validate it: the errors name the fields as
// Kubernetes reports them.
func ExampleValidatePod() {
	pod := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: "app", Image: "nginx:1.27", Ports: []corev1.ContainerPort{{ContainerPort: 80}}},
			{Name: "app"},
		}},
	}
	corev1.DefaultPod(pod)
	fmt.Println(pod.Spec.RestartPolicy, pod.Spec.Containers[0].ImagePullPolicy, pod.Spec.Containers[0].Ports[0].Protocol)
	for _, err := range corev1.ValidatePod(pod) {
		fmt.Println(err)
	}
	// Output:
	// Always IfNotPresent TCP
	// spec.containers[1].name: Duplicate value: "app"
	// spec.containers[1].image: Required value
}
