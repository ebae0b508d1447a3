package deployment_test

import (
	"fmt"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller/deployment"
)

// The rolling-update budget of a Deployment of 10 replicas with Kubernetes' defaults: at most
// 13 pods, at least 8 available.
func ExampleResolveFenceposts() {
	surge, unavailable := intstr.FromString("25%"), intstr.FromString("25%")
	s, u, err := deployment.ResolveFenceposts(&surge, &unavailable, 10)
	fmt.Println(s, u, err)

	zero := intstr.FromInt32(0)
	_, _, err = deployment.ResolveFenceposts(&zero, &zero, 10)
	fmt.Println(err)
	// Output:
	// 3 2 <nil>
	// invalid deployment strategy: maxSurge and maxUnavailable may not both be 0
}

// The name of a Deployment's ReplicaSet ends with the hash of its pod template; a collision
// count gives another one.
func ExampleTemplateHash() {
	tmpl := corev1.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1"}}},
	}
	h, _ := deployment.TemplateHash(&tmpl, nil)
	one := int32(1)
	h1, _ := deployment.TemplateHash(&tmpl, &one)
	fmt.Println("web-"+h, "web-"+h1, h == h1)
	// Output: web-mtz9lwf web-hwcp2xl false
}

// RolloutStatus reads a Deployment's status the way kubectl rollout status does.
func ExampleRolloutStatus() {
	replicas := int32(3)
	d := &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Name: "web", Generation: 2},
		Spec:       appsv1.DeploymentSpec{Replicas: &replicas},
		Status:     appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 4, UpdatedReplicas: 3, AvailableReplicas: 3},
	}
	fmt.Println(deployment.RolloutStatus(d))
	d.Status.Replicas = 3
	fmt.Println(deployment.RolloutStatus(d))
	// Output:
	// Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination... false <nil>
	// deployment "web" successfully rolled out true <nil>
}
