package registry_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/registry"
)

// FuzzCreateUpdate feeds arbitrary pods to Create and then to Update of the created pod: the
// registry must answer with an API error or an object that keeps the rules (never a panic):
// a created pod is valid, Pending and tolerates not-ready and unreachable; an update keeps the
// stored status, never moves a bound pod, never lowers the generation, and returns what is
// stored.
func FuzzCreateUpdate(f *testing.F) {
	f.Add([]byte(`{"metadata":{"name":"a","namespace":"ns"},"spec":{"containers":[{"name":"c","image":"i"}]}}`),
		[]byte(`{"metadata":{"labels":{"x":"y"}},"spec":{"containers":[{"name":"c","image":"j"}],"nodeName":"n1"},"status":{"phase":"Running"}}`))
	f.Add([]byte(`{"metadata":{"name":"a","namespace":"ns"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"i"}],"tolerations":[{"operator":"Exists"}]}}`),
		[]byte(`{"spec":{"nodeName":"n2","containers":[{"name":"c","image":"i"}]}}`))
	f.Add([]byte(`{"metadata":{"generateName":"web-","namespace":"ns","finalizers":["example.com/a"]},"spec":{"containers":[{"name":"c","image":"i"}]}}`),
		[]byte(`{"metadata":{"finalizers":[],"deletionTimestamp":"2026-01-01T00:00:00Z"},"spec":{"containers":[{"name":"c","image":"i"}]}}`))
	f.Add([]byte(`{"metadata":{"name":"a","namespace":"ns"}}`), []byte(`{}`))
	f.Add([]byte(`not json`), []byte(`[]`))
	f.Fuzz(func(t *testing.T, create, update []byte) {
		var in, up corev1.Pod
		if json.Unmarshal(create, &in) != nil || json.Unmarshal(update, &up) != nil {
			return
		}
		h := newHarness(t, registry.Options{})
		created, err := h.pods.Create(h.ctx, &in)
		if err != nil {
			if apierrors.ReasonForError(err) == "" {
				t.Fatalf("create failed without an API error: %v", err)
			}
			return
		}
		if errs := corev1.ValidatePod(created); len(errs) > 0 {
			t.Fatalf("created an invalid pod: %v", errs)
		}
		if created.Status.Phase != corev1.PodPending || len(created.Spec.Tolerations) < 1 {
			t.Fatalf("created pod: phase %q, tolerations %v", created.Status.Phase, created.Spec.Tolerations)
		}
		up.Name, up.Namespace, up.ResourceVersion = created.Name, created.Namespace, created.ResourceVersion
		out, err := h.pods.Update(h.ctx, &up)
		if err != nil {
			if apierrors.ReasonForError(err) == "" {
				t.Fatalf("update failed without an API error: %v", err)
			}
			return
		}
		if d := cmp.Diff(created.Status, out.Status); d != "" {
			t.Fatalf("update changed the status (-before +after):\n%s", d)
		}
		if created.Spec.NodeName != "" && out.Spec.NodeName != created.Spec.NodeName {
			t.Fatalf("a bound pod moved from %q to %q", created.Spec.NodeName, out.Spec.NodeName)
		}
		if out.Generation < created.Generation || !out.DeletionTimestamp.Equal(created.DeletionTimestamp) {
			t.Fatalf("generation %d -> %d, deletionTimestamp %v -> %v", created.Generation, out.Generation, created.DeletionTimestamp, out.DeletionTimestamp)
		}
		stored, err := h.pods.Get(h.ctx, out.Namespace, out.Name, store.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(stored, out); d != "" {
			t.Fatalf("update result is not what is stored (-stored +result):\n%s", d)
		}
	})
}
