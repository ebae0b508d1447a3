package v1_test

import (
	"fmt"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// A deployment whose selector does not select its own pods is rejected, as kube-apiserver
// rejects it.
func ExampleValidateDeployment() {
	d := &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "api"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	}
	appsv1.DefaultDeployment(d)
	fmt.Println(*d.Spec.Replicas, d.Spec.Strategy.Type, d.Spec.Strategy.RollingUpdate.MaxSurge, *d.Spec.RevisionHistoryLimit)
	for _, err := range appsv1.ValidateDeployment(d) {
		fmt.Println(err)
	}
	// Output:
	// 1 RollingUpdate 25% 10
	// spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`
}
