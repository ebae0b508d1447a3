package controller

import (
	"context"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// TestUpdateStatusUsesTheStatusSubresource writes status through a registry: the write goes to
// deployments/status, so a spec change made by set is dropped and the generation stays, while
// on a resource without a status subresource the whole object is written as before.
func TestUpdateStatusUsesTheStatusSubresource(t *testing.T) {
	ctx := context.Background()
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	m, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.New(m, registry.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	deps := store.For[*appsv1.Deployment](reg, schema.GroupResource{Group: "apps", Resource: "deployments"})
	if got := StatusOf(deps).Resource().Resource; got != "deployments/status" {
		t.Errorf("StatusOf(deployments) writes to %q, want deployments/status", got)
	}
	two, five := int32(2), int32(5)
	lbl := map[string]string{"app": "a"}
	if _, err := deps.Create(ctx, &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "d"},
		Spec: appsv1.DeploymentSpec{Replicas: &two, Selector: &meta.LabelSelector{MatchLabels: lbl},
			Template: corev1.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: lbl},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "i"}}}}},
	}); err != nil {
		t.Fatal(err)
	}
	out, err := UpdateStatus(ctx, deps, "ns", "d", func(d *appsv1.Deployment) {
		d.Status.ObservedGeneration = 1
		d.Status.Replicas = 2
		d.Spec.Replicas = &five // not a status field: dropped by the subresource
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status.Replicas != 2 || out.Status.ObservedGeneration != 1 || *out.Spec.Replicas != 2 || out.Generation != 1 {
		t.Errorf("after a status update: spec.replicas %d status.replicas %d generation %d; want 2, 2, 1",
			*out.Spec.Replicas, out.Status.Replicas, out.Generation)
	}
	// ConfigMaps have no status subresource: StatusOf is the resource itself.
	cms := store.For[*corev1.ConfigMap](reg, schema.GroupResource{Resource: "configmaps"})
	if got := StatusOf(cms).Resource().Resource; got != "configmaps" {
		t.Errorf("StatusOf(configmaps) = %q, want configmaps", got)
	}
	// A raw backend has no subresources either.
	raw := store.For[*appsv1.Deployment](m, schema.GroupResource{Group: "apps", Resource: "deployments"})
	if got := StatusOf(raw).Resource().Resource; got != "deployments" {
		t.Errorf("StatusOf(raw deployments) = %q, want deployments", got)
	}
}
