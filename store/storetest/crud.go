package storetest

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// errCheck is a predicate of package apimachinery/errors with its name.
type errCheck struct {
	name string
	is   func(error) bool
}

var (
	isNotFound      = errCheck{"NotFound", apierrors.IsNotFound}
	isAlreadyExists = errCheck{"AlreadyExists", apierrors.IsAlreadyExists}
	isConflict      = errCheck{"Conflict", apierrors.IsConflict}
	isInvalid       = errCheck{"Invalid", apierrors.IsInvalid}
	isBadRequest    = errCheck{"BadRequest", apierrors.IsBadRequest}
	isExpired       = errCheck{"Expired", apierrors.IsResourceExpired}
	isTooLarge      = errCheck{"RequestEntityTooLarge", apierrors.IsRequestEntityTooLarge}
	isTooLargeRV    = errCheck{"TooLargeResourceVersion", apierrors.IsTooLargeResourceVersion}
)

func wantErr(t *testing.T, op string, err error, c errCheck) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got no error, want %s", op, c.name)
	}
	if !c.is(err) {
		t.Fatalf("%s: got error %v, want %s", op, err, c.name)
	}
}

// unchanged fails the test if the store's revision moved from before.
func (h *harness) unchanged(t *testing.T, op string, before int64) {
	t.Helper()
	if after := h.revision(t); after != before {
		t.Fatalf("%s: failed write moved the revision from %d to %d", op, before, after)
	}
}

var createTests = []test{
	{"sets generated fields", func(t *testing.T, h *harness) {
		before := h.revision(t)
		in := widget("ns1", "a", "n1", "app", "web")
		out := h.create(t, in)
		if out.UID == "" {
			t.Errorf("uid not set")
		}
		if got, want := out.CreationTimestamp.Time, Epoch.Truncate(1e9); !got.Equal(want) {
			t.Errorf("creationTimestamp = %v, want the store clock's %v", got, want)
		}
		if out.Generation != 1 {
			t.Errorf("generation = %d, want 1", out.Generation)
		}
		if got := rv(out); got != before+1 {
			t.Errorf("resourceVersion = %d, want revision %d", got, before+1)
		}
		if out.Kind != "Widget" || out.APIVersion != Group+"/v1" {
			t.Errorf("kind/apiVersion = %q/%q, want Widget/%s/v1", out.Kind, out.APIVersion, Group)
		}
		got, err := h.widgets.Get(h.ctx, "ns1", "a", store.GetOptions{})
		if err != nil {
			t.Fatalf("get: %v", err)
		}
		if d := cmp.Diff(out, got); d != "" {
			t.Errorf("get differs from create's result (-create +get):\n%s", d)
		}
	}},
	{"every write takes the next revision", func(t *testing.T, h *harness) {
		r0 := h.revision(t)
		a := h.create(t, widget("ns1", "a", ""))
		b := h.create(t, widget("ns2", "b", ""))
		g, err := h.gizmos.Create(h.ctx, &Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}})
		if err != nil {
			t.Fatal(err)
		}
		a.Spec.Size = 3
		a = h.update(t, a)
		d := h.delete(t, "ns2", "b")
		got := []int64{rv(b) - r0, rv(g) - r0, rv(a) - r0, rv(d) - r0}
		if d := cmp.Diff([]int64{2, 3, 4, 5}, got); d != "" {
			t.Errorf("revisions after %d (-want +got):\n%s", r0, d)
		}
		if rev := h.revision(t); rev != r0+5 {
			t.Errorf("store revision = %d, want %d", rev, r0+5)
		}
	}},
	{"already exists", func(t *testing.T, h *harness) {
		h.create(t, widget("ns1", "a", ""))
		before := h.revision(t)
		_, err := h.widgets.Create(h.ctx, widget("ns1", "a", "other"))
		wantErr(t, "second create", err, isAlreadyExists)
		h.unchanged(t, "second create", before)
		// The same name in another namespace is another object.
		h.create(t, widget("ns2", "a", ""))
	}},
	{"create after delete", func(t *testing.T, h *harness) {
		first := h.create(t, widget("ns1", "a", ""))
		h.delete(t, "ns1", "a")
		second := h.create(t, widget("ns1", "a", ""))
		if first.UID == second.UID {
			t.Errorf("re-created object kept UID %s", first.UID)
		}
	}},
	{"generateName", func(t *testing.T, h *harness) {
		seen := map[string]bool{}
		for i := 0; i < 20; i++ {
			w := widget("ns1", "", "")
			w.GenerateName = "web-"
			out := h.create(t, w)
			if !strings.HasPrefix(out.Name, "web-") || len(out.Name) <= len("web-") {
				t.Fatalf("generated name %q lacks prefix web- and a suffix", out.Name)
			}
			if seen[out.Name] {
				t.Fatalf("generated name %q twice", out.Name)
			}
			seen[out.Name] = true
			if out.GenerateName != "web-" {
				t.Errorf("generateName = %q, want it kept", out.GenerateName)
			}
		}
	}},
	{"resourceVersion set", func(t *testing.T, h *harness) {
		w := widget("ns1", "a", "")
		w.ResourceVersion = "7"
		before := h.revision(t)
		_, err := h.widgets.Create(h.ctx, w)
		wantErr(t, "create with resourceVersion", err, isBadRequest)
		h.unchanged(t, "create with resourceVersion", before)
	}},
	{"bad input writes nothing", func(t *testing.T, h *harness) {
		big := widget("ns1", "big", "")
		big.Spec.Data = strings.Repeat("x", SuiteMaxObjectSize)
		cases := []struct {
			name string
			do   func() error
			want errCheck
		}{
			{"invalid name", func() error { _, err := h.widgets.Create(h.ctx, widget("ns1", "Not_Valid", "")); return err }, isInvalid},
			{"name with slash", func() error { _, err := h.widgets.Create(h.ctx, widget("ns1", "a/b", "")); return err }, isInvalid},
			{"too long name", func() error {
				_, err := h.widgets.Create(h.ctx, widget("ns1", strings.Repeat("a", 254), ""))
				return err
			}, isInvalid},
			{"no name", func() error { _, err := h.widgets.Create(h.ctx, widget("ns1", "", "")); return err }, isInvalid},
			{"invalid generateName", func() error {
				w := widget("ns1", "", "")
				w.GenerateName = "UPPER-"
				_, err := h.widgets.Create(h.ctx, w)
				return err
			}, isInvalid},
			{"invalid namespace", func() error { _, err := h.widgets.Create(h.ctx, widget("NS.1", "a", "")); return err }, isInvalid},
			{"missing namespace", func() error { _, err := h.widgets.Create(h.ctx, widget("", "a", "")); return err }, isInvalid},
			{"namespace on cluster-scoped", func() error {
				_, err := h.gizmos.Create(h.ctx, &Gizmo{ObjectMeta: meta.ObjectMeta{Namespace: "ns1", Name: "g"}})
				return err
			}, isInvalid},
			{"wrong Go type", func() error {
				_, err := h.s.Create(h.ctx, Widgets, &Gizmo{ObjectMeta: meta.ObjectMeta{Namespace: "ns1", Name: "g"}})
				return err
			}, isBadRequest},
			{"wrong kind", func() error {
				w := widget("ns1", "a", "")
				w.Kind, w.APIVersion = "Gizmo", Group+"/v1"
				_, err := h.widgets.Create(h.ctx, w)
				return err
			}, isBadRequest},
			{"wrong apiVersion", func() error {
				w := widget("ns1", "a", "")
				w.Kind, w.APIVersion = "Widget", "v1"
				_, err := h.widgets.Create(h.ctx, w)
				return err
			}, isBadRequest},
			{"unknown resource", func() error {
				_, err := h.s.Create(h.ctx, schema.GroupResource{Resource: "nopes"}, widget("ns1", "a", ""))
				return err
			}, isBadRequest},
			{"nil object", func() error { _, err := h.s.Create(h.ctx, Widgets, (*Widget)(nil)); return err }, isBadRequest},
			{"oversized", func() error { _, err := h.widgets.Create(h.ctx, big); return err }, isTooLarge},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := h.revision(t)
				wantErr(t, tc.name, tc.do(), tc.want)
				h.unchanged(t, tc.name, before)
			})
		}
		l, err := h.widgets.List(h.ctx, "", store.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Items) != 0 {
			t.Errorf("bad creates left %d objects", len(l.Items))
		}
	}},
	{"objects near the size limit", func(t *testing.T, h *harness) {
		// Find the largest Data that fits, by growing until the store refuses.
		w := widget("ns1", "edge", "")
		base := encodedSize(t, w)
		fit := SuiteMaxObjectSize - base - 400 // room for generated fields
		w.Spec.Data = strings.Repeat("y", fit)
		if _, err := h.widgets.Create(h.ctx, w); err != nil {
			t.Fatalf("object %d bytes under the limit refused: %v", 400, err)
		}
		w2 := widget("ns1", "edge2", "")
		w2.Spec.Data = strings.Repeat("y", SuiteMaxObjectSize-base+1)
		before := h.revision(t)
		_, err := h.widgets.Create(h.ctx, w2)
		wantErr(t, "create over the limit", err, isTooLarge)
		h.unchanged(t, "create over the limit", before)
		// Growing an accepted object over the limit fails the update and keeps the old state.
		cur, err := h.widgets.Get(h.ctx, "ns1", "edge", store.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cur.Spec.Data += strings.Repeat("z", 1000)
		_, err = h.widgets.Update(h.ctx, cur)
		wantErr(t, "update over the limit", err, isTooLarge)
		got, _ := h.widgets.Get(h.ctx, "ns1", "edge", store.GetOptions{})
		if len(got.Spec.Data) != fit {
			t.Errorf("failed update changed the object: data length %d, want %d", len(got.Spec.Data), fit)
		}
	}},
}

var getTests = []test{
	{"not found", func(t *testing.T, h *harness) {
		_, err := h.widgets.Get(h.ctx, "ns1", "missing", store.GetOptions{})
		wantErr(t, "get", err, isNotFound)
		h.create(t, widget("ns1", "a", ""))
		_, err = h.widgets.Get(h.ctx, "ns2", "a", store.GetOptions{})
		wantErr(t, "get in other namespace", err, isNotFound)
		h.delete(t, "ns1", "a")
		_, err = h.widgets.Get(h.ctx, "ns1", "a", store.GetOptions{})
		wantErr(t, "get after delete", err, isNotFound)
	}},
	{"at revisions", func(t *testing.T, h *harness) {
		h.create(t, widget("ns0", "first", ""))
		a1 := h.create(t, widget("ns1", "a", ""))
		a1c := a1.DeepCopy()
		a1c.Status.Phase = "Two"
		a2 := h.update(t, a1c)
		h.create(t, widget("ns1", "other", ""))
		d := h.delete(t, "ns1", "a")
		cases := []struct {
			name  string
			opts  store.GetOptions
			phase string
			err   *errCheck
		}{
			{"exact first", store.GetOptions{Consistency: store.Exact, Revision: rv(a1)}, "", nil},
			{"exact second", store.GetOptions{Consistency: store.Exact, Revision: rv(a2)}, "Two", nil},
			{"exact between writes of others", store.GetOptions{Consistency: store.Exact, Revision: rv(a2) + 1}, "Two", nil},
			{"exact at delete", store.GetOptions{Consistency: store.Exact, Revision: rv(d)}, "", &isNotFound},
			{"exact before create", store.GetOptions{Consistency: store.Exact, Revision: rv(a1) - 1}, "", &isNotFound},
			{"exact future", store.GetOptions{Consistency: store.Exact, Revision: rv(d) + 100}, "", &isTooLargeRV},
			{"not older than past", store.GetOptions{Consistency: store.NotOlderThan, Revision: rv(a1)}, "", &isNotFound},
			{"not older than future", store.GetOptions{Consistency: store.NotOlderThan, Revision: rv(d) + 100}, "", &isTooLargeRV},
			{"latest", store.GetOptions{}, "", &isNotFound},
			{"any", store.GetOptions{Consistency: store.Any}, "", &isNotFound},
			{"latest with revision", store.GetOptions{Revision: 3}, "", &isBadRequest},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, err := h.widgets.Get(h.ctx, "ns1", "a", tc.opts)
				if tc.err != nil {
					wantErr(t, "get", err, *tc.err)
					return
				}
				if err != nil {
					t.Fatalf("get: %v", err)
				}
				if got.Status.Phase != tc.phase {
					t.Errorf("phase = %q, want %q", got.Status.Phase, tc.phase)
				}
			})
		}
	}},
	{"cluster-scoped", func(t *testing.T, h *harness) {
		if _, err := h.gizmos.Create(h.ctx, &Gizmo{ObjectMeta: meta.ObjectMeta{Name: "g"}, Value: "v"}); err != nil {
			t.Fatal(err)
		}
		g, err := h.gizmos.Get(h.ctx, "", "g", store.GetOptions{})
		if err != nil || g.Value != "v" {
			t.Fatalf("get gizmo = %+v, %v", g, err)
		}
		_, err = h.gizmos.Get(h.ctx, "ns1", "g", store.GetOptions{})
		wantErr(t, "get cluster-scoped in a namespace", err, isBadRequest)
	}},
}

var updateTests = []test{
	{"conflict on stale resourceVersion", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		stale := a.DeepCopy()
		a.Status.Phase = "One"
		h.update(t, a)
		stale.Status.Phase = "Stale"
		before := h.revision(t)
		_, err := h.widgets.Update(h.ctx, stale)
		wantErr(t, "stale update", err, isConflict)
		h.unchanged(t, "stale update", before)
		got, _ := h.widgets.Get(h.ctx, "ns1", "a", store.GetOptions{})
		if got.Status.Phase != "One" {
			t.Errorf("phase = %q after a failed update, want One", got.Status.Phase)
		}
	}},
	{"unconditional without resourceVersion", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		h.update(t, a.DeepCopy())
		blind := widget("ns1", "a", "n9")
		out := h.update(t, blind)
		if out.Spec.Node != "n9" {
			t.Errorf("node = %q, want n9", out.Spec.Node)
		}
		if out.UID != a.UID || !out.CreationTimestamp.Equal(&a.CreationTimestamp) || out.Generation != a.Generation {
			t.Errorf("update lost uid/creationTimestamp/generation: got %s %v %d, want %s %v %d",
				out.UID, out.CreationTimestamp, out.Generation, a.UID, a.CreationTimestamp, a.Generation)
		}
	}},
	{"caller owns generation", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		a.Spec.Size = 5 // a spec change: the store does not bump generation by itself
		b := h.update(t, a)
		if b.Generation != 1 {
			t.Errorf("generation = %d after an update that kept it, want 1 (the caller bumps it)", b.Generation)
		}
		b.Generation = 2
		c := h.update(t, b)
		if c.Generation != 2 {
			t.Errorf("generation = %d, want the caller's 2", c.Generation)
		}
	}},
	{"not found", func(t *testing.T, h *harness) {
		_, err := h.widgets.Update(h.ctx, widget("ns1", "missing", ""))
		wantErr(t, "update", err, isNotFound)
		a := h.create(t, widget("ns1", "a", ""))
		h.delete(t, "ns1", "a")
		_, err = h.widgets.Update(h.ctx, a)
		wantErr(t, "update after delete", err, isNotFound)
	}},
	{"uid mismatch", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		a.UID = "not-the-uid"
		before := h.revision(t)
		_, err := h.widgets.Update(h.ctx, a)
		wantErr(t, "update with another uid", err, isConflict)
		h.unchanged(t, "update with another uid", before)
	}},
	{"bad input", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		bad := a.DeepCopy()
		bad.ResourceVersion = "not-a-number"
		before := h.revision(t)
		_, err := h.widgets.Update(h.ctx, bad)
		wantErr(t, "update with a bad resourceVersion", err, isBadRequest)
		_, err = h.s.Update(h.ctx, Widgets, &Gizmo{ObjectMeta: meta.ObjectMeta{Namespace: "ns1", Name: "a"}})
		wantErr(t, "update with the wrong type", err, isBadRequest)
		h.unchanged(t, "bad updates", before)
	}},
}

var errUpdateFn = errors.New("update function refused")

var guaranteedUpdateTests = []test{
	{"retries on conflict", func(t *testing.T, h *harness) {
		h.create(t, widget("ns1", "a", ""))
		var calls atomic.Int32
		out, err := h.widgets.GuaranteedUpdate(h.ctx, "ns1", "a", func(cur *Widget) (*Widget, error) {
			if calls.Add(1) == 1 {
				// Another writer gets in between this read and its write.
				other := cur.DeepCopy()
				other.Spec.Tags = append(other.Spec.Tags, "other")
				if _, err := h.widgets.Update(h.ctx, other); err != nil {
					return nil, err
				}
			}
			cur.Spec.Tags = append(cur.Spec.Tags, "mine")
			return cur, nil
		}, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 2 {
			t.Errorf("update function ran %d times, want 2", calls.Load())
		}
		if d := cmp.Diff([]string{"other", "mine"}, out.Spec.Tags); d != "" {
			t.Errorf("tags (-want +got):\n%s", d)
		}
	}},
	{"skips no-op", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", "n1", "app", "web"))
		before := h.revision(t)
		out, err := h.widgets.GuaranteedUpdate(h.ctx, "ns1", "a", func(cur *Widget) (*Widget, error) {
			cur.Spec.Node = "n1" // the value it already has
			return cur, nil
		}, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h.unchanged(t, "no-op guaranteed update", before)
		if d := cmp.Diff(a, out); d != "" {
			t.Errorf("no-op result differs from the stored object (-want +got):\n%s", d)
		}
	}},
	{"function error aborts", func(t *testing.T, h *harness) {
		h.create(t, widget("ns1", "a", ""))
		before := h.revision(t)
		_, err := h.widgets.GuaranteedUpdate(h.ctx, "ns1", "a", func(*Widget) (*Widget, error) {
			return nil, errUpdateFn
		}, store.UpdateOptions{})
		if !errors.Is(err, errUpdateFn) {
			t.Fatalf("error = %v, want one wrapping %v", err, errUpdateFn)
		}
		h.unchanged(t, "aborted guaranteed update", before)
	}},
	{"preconditions", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		wrongUID := meta.UID("wrong")
		staleRV := strconv.FormatInt(rv(a)+1000, 10)
		called := false
		fn := func(cur *Widget) (*Widget, error) { called = true; cur.Spec.Size++; return cur, nil }
		_, err := h.widgets.GuaranteedUpdate(h.ctx, "ns1", "a", fn, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &wrongUID}})
		wantErr(t, "uid precondition", err, isConflict)
		_, err = h.widgets.GuaranteedUpdate(h.ctx, "ns1", "a", fn, store.UpdateOptions{Preconditions: &meta.Preconditions{ResourceVersion: &staleRV}})
		wantErr(t, "resourceVersion precondition", err, isConflict)
		if called {
			t.Errorf("update function called although a precondition failed")
		}
		out, err := h.widgets.GuaranteedUpdate(h.ctx, "ns1", "a", fn, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &a.UID, ResourceVersion: &a.ResourceVersion}})
		if err != nil || out.Spec.Size != 1 {
			t.Fatalf("guaranteed update with holding preconditions = %v, %v", out, err)
		}
	}},
	{"not found", func(t *testing.T, h *harness) {
		_, err := h.widgets.GuaranteedUpdate(h.ctx, "ns1", "missing", func(cur *Widget) (*Widget, error) { return cur, nil }, store.UpdateOptions{})
		wantErr(t, "guaranteed update", err, isNotFound)
	}},
	{"cannot move the object", func(t *testing.T, h *harness) {
		h.create(t, widget("ns1", "a", ""))
		before := h.revision(t)
		_, err := h.widgets.GuaranteedUpdate(h.ctx, "ns1", "a", func(cur *Widget) (*Widget, error) {
			cur.Name = "b"
			return cur, nil
		}, store.UpdateOptions{})
		wantErr(t, "guaranteed update renaming", err, isBadRequest)
		h.unchanged(t, "guaranteed update renaming", before)
	}},
}

var deleteTests = []test{
	{"returns the object at a new revision", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", "n1", "app", "web"))
		before := h.revision(t)
		d := h.delete(t, "ns1", "a")
		if rv(d) != before+1 {
			t.Errorf("deleted object's resourceVersion = %d, want the new revision %d", rv(d), before+1)
		}
		a.ResourceVersion = d.ResourceVersion
		if diff := cmp.Diff(a, d); diff != "" {
			t.Errorf("deleted object differs from the last state (-want +got):\n%s", diff)
		}
	}},
	{"preconditions", func(t *testing.T, h *harness) {
		a := h.create(t, widget("ns1", "a", ""))
		wrongUID := meta.UID("wrong")
		stale := strconv.FormatInt(rv(a)+1000, 10)
		cases := []struct {
			name string
			pre  *meta.Preconditions
		}{
			{"uid", &meta.Preconditions{UID: &wrongUID}},
			{"resourceVersion", &meta.Preconditions{ResourceVersion: &stale}},
			{"right uid wrong resourceVersion", &meta.Preconditions{UID: &a.UID, ResourceVersion: &stale}},
		}
		for _, tc := range cases {
			before := h.revision(t)
			_, err := h.widgets.Delete(h.ctx, "ns1", "a", store.DeleteOptions{Preconditions: tc.pre})
			wantErr(t, "delete with failing "+tc.name+" precondition", err, isConflict)
			h.unchanged(t, tc.name, before)
		}
		if _, err := h.widgets.Get(h.ctx, "ns1", "a", store.GetOptions{}); err != nil {
			t.Fatalf("object gone after failed deletes: %v", err)
		}
		if _, err := h.widgets.Delete(h.ctx, "ns1", "a", store.DeleteOptions{Preconditions: &meta.Preconditions{UID: &a.UID, ResourceVersion: &a.ResourceVersion}}); err != nil {
			t.Fatalf("delete with holding preconditions: %v", err)
		}
	}},
	{"not found", func(t *testing.T, h *harness) {
		_, err := h.widgets.Delete(h.ctx, "ns1", "missing", store.DeleteOptions{})
		wantErr(t, "delete", err, isNotFound)
		h.create(t, widget("ns1", "a", ""))
		h.delete(t, "ns1", "a")
		_, err = h.widgets.Delete(h.ctx, "ns1", "a", store.DeleteOptions{})
		wantErr(t, "second delete", err, isNotFound)
	}},
}

// encodedSize is the JSON size of obj as the store measures it.
func encodedSize(t *testing.T, obj runtime.MetaObject) int {
	t.Helper()
	b, err := jsonMarshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
