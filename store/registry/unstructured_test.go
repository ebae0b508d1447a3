package registry_test

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

// Custom resources held as *runtime.Unstructured get the same rules: status from
// "<resource>/status" only, generation on changes outside metadata and status, and the
// deletion lifecycle.
func TestUnstructuredResource(t *testing.T) {
	gvk := schema.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "CronTab"}
	gr := schema.GroupResource{Group: "example.com", Resource: "crontabs"}
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	if err := scheme.AddKnownTypeWithName(gvk, &runtime.Unstructured{}); err != nil {
		t.Fatal(err)
	}
	if err := scheme.AddResource(runtime.ResourceInfo{GroupVersionResource: gvk.GroupVersion().WithResource("crontabs"),
		Kind: "CronTab", Namespaced: true, Subresources: []string{"status"}}); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(start)
	mem, err := memory.New(memory.Options{Clock: clk, Resources: []store.Resource{{
		GroupResource: gr, Kind: gvk, Namespaced: true,
		New: func() runtime.MetaObject { return &runtime.Unstructured{} },
	}}})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.New(mem, registry.Options{Scheme: scheme, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	tabs := store.For[*runtime.Unstructured](reg, gr)
	status := store.For[*runtime.Unstructured](reg, schema.GroupResource{Group: gr.Group, Resource: "crontabs/status"})
	created, err := tabs.Create(ctx, &runtime.Unstructured{
		TypeMeta:   meta.TypeMeta{APIVersion: "example.com/v1", Kind: "CronTab"},
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "c", Finalizers: []string{"example.com/f"}},
		Content:    map[string]any{"spec": map[string]any{"schedule": "* * * * *"}, "status": map[string]any{"active": int64(1)}},
	})
	if err != nil {
		t.Fatal(err)
	}

	req := created.DeepCopy()
	req.Content["status"] = map[string]any{"active": int64(5)}
	out, err := tabs.Update(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if out.Generation != 1 || out.Content["status"].(map[string]any)["active"] != int64(1) {
		t.Errorf("a main update of the status: generation %d, status %v; want 1 and the stored status", out.Generation, out.Content["status"])
	}

	req = out.DeepCopy()
	req.Content["spec"] = map[string]any{"schedule": "@hourly"}
	req.Content["status"] = map[string]any{"active": int64(7)}
	if out, err = tabs.Update(ctx, req); err != nil {
		t.Fatal(err)
	}
	if out.Generation != 2 {
		t.Errorf("generation %d after a spec change, want 2", out.Generation)
	}

	req = out.DeepCopy()
	req.Content["status"] = map[string]any{"active": int64(7)}
	req.Content["spec"] = map[string]any{"schedule": "ignored"}
	if out, err = status.Update(ctx, req); err != nil {
		t.Fatal(err)
	}
	if out.Generation != 2 || out.Content["status"].(map[string]any)["active"] != int64(7) ||
		out.Content["spec"].(map[string]any)["schedule"] != "@hourly" {
		t.Errorf("status update: generation %d, content %v", out.Generation, out.Content)
	}

	deleting, err := tabs.Delete(ctx, "ns", "c", store.DeleteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if deleting.DeletionTimestamp == nil {
		t.Fatalf("kept without a deletion timestamp")
	}
	deleting.Finalizers = nil
	if _, err := tabs.Update(ctx, deleting); err != nil {
		t.Fatal(err)
	}
	_, err = tabs.Get(ctx, "ns", "c", store.GetOptions{})
	checkErr(t, "get after the last finalizer", err, isNotFound)
}
