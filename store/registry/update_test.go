package registry_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/registry"
)

// An update case: the stored object is made by setup, change turns a copy of it into the
// request, and check looks at the result.
type deployUpdateCase struct {
	name   string
	status bool // write through deployments/status
	// updateOnly marks requests only Update can make (GuaranteedUpdate takes the
	// resourceVersion from the store).
	updateOnly bool
	change     func(d *appsv1.Deployment)
	want       errCheck
	check      func(t *testing.T, before, after *appsv1.Deployment)
}

func deploymentUpdateCases() []deployUpdateCase {
	gen := func(want int64) func(t *testing.T, before, after *appsv1.Deployment) {
		return func(t *testing.T, before, after *appsv1.Deployment) {
			t.Helper()
			if after.Generation != want {
				t.Errorf("generation %d, want %d", after.Generation, want)
			}
		}
	}
	return []deployUpdateCase{
		{
			name:   "a spec change bumps the generation",
			change: func(d *appsv1.Deployment) { d.Spec.Replicas = ptr[int32](5) },
			want:   noError, check: gen(2),
		},
		{
			name:   "a label change does not",
			change: func(d *appsv1.Deployment) { d.Labels = map[string]string{"x": "y"} },
			want:   noError, check: gen(1),
		},
		{
			name:   "an annotation change of a deployment does (Kubernetes copies them to replica sets)",
			change: func(d *appsv1.Deployment) { d.Annotations = map[string]string{"note": "x"} },
			want:   noError, check: gen(2),
		},
		{
			name: "nil and empty slices and maps are no change",
			change: func(d *appsv1.Deployment) {
				d.Spec.Template.Spec.Containers[0].Args = []string{}
				d.Spec.Template.Spec.NodeSelector = map[string]string{}
			},
			want: noError, check: gen(1),
		},
		{
			name: "two spellings of one quantity are no change",
			change: func(d *appsv1.Deployment) {
				// The stored object carries 1 (from setup); 1000m is the same quantity.
				d.Spec.Template.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1000m")}
			},
			want: noError, check: gen(1),
		},
		{
			name:   "the caller cannot set the generation",
			change: func(d *appsv1.Deployment) { d.Generation = 40 },
			want:   noError, check: gen(1),
		},
		{
			name:   "status in a main-resource update is ignored",
			change: func(d *appsv1.Deployment) { d.Status.Replicas = 9; d.Status.ObservedGeneration = 1 },
			want:   noError,
			check: func(t *testing.T, before, after *appsv1.Deployment) {
				if d := cmp.Diff(before.Status, after.Status); d != "" {
					t.Errorf("status changed (-before +after):\n%s", d)
				}
			},
		},
		{
			name:   "a status update changes only the status and keeps the generation",
			status: true,
			change: func(d *appsv1.Deployment) {
				d.Status.Replicas = 9
				d.Spec.Replicas = ptr[int32](7)
				d.Labels = map[string]string{"x": "y"}
				d.Finalizers = []string{"example.com/f"}
			},
			want: noError,
			check: func(t *testing.T, before, after *appsv1.Deployment) {
				if after.Status.Replicas != 9 {
					t.Errorf("status.replicas %d, want 9", after.Status.Replicas)
				}
				if *after.Spec.Replicas != *before.Spec.Replicas || after.Labels != nil || after.Finalizers != nil || after.Generation != 1 {
					t.Errorf("status update changed more than status: replicas %d labels %v finalizers %v generation %d",
						*after.Spec.Replicas, after.Labels, after.Finalizers, after.Generation)
				}
			},
		},
		{
			name: "the selector is immutable",
			change: func(d *appsv1.Deployment) {
				d.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"app": "other"}}
			},
			want: isInvalid,
		},
		{
			name:   "a stale resourceVersion is a Conflict",
			change: func(d *appsv1.Deployment) { d.ResourceVersion = "1" },
			want:   isConflict,
		},
		{
			name:   "a stale resourceVersion on the status subresource is a Conflict",
			status: true,
			change: func(d *appsv1.Deployment) { d.ResourceVersion = "1"; d.Status.Replicas = 2 },
			want:   isConflict,
		},
		{
			name:       "a malformed resourceVersion is a BadRequest",
			updateOnly: true,
			change:     func(d *appsv1.Deployment) { d.ResourceVersion = "x1" },
			want:       isBadRequest,
		},
		{
			name:   "an empty resourceVersion is unconditional",
			change: func(d *appsv1.Deployment) { d.ResourceVersion = ""; d.Spec.Paused = true },
			want:   noError, check: gen(2),
		},
		{
			name:   "another UID is a Conflict",
			change: func(d *appsv1.Deployment) { d.UID = "other" },
			want:   isConflict,
		},
		{
			name: "setting a deletionTimestamp is Invalid",
			change: func(d *appsv1.Deployment) {
				ts := meta.NewTime(start)
				d.DeletionTimestamp = &ts
			},
			want: isInvalid,
		},
		{
			name:   "setting a deletionGracePeriodSeconds is Invalid",
			change: func(d *appsv1.Deployment) { d.DeletionGracePeriodSeconds = ptr[int64](3) },
			want:   isInvalid,
		},
		{
			name:   "a missing object is NotFound",
			change: func(d *appsv1.Deployment) { d.Name = "missing"; d.ResourceVersion = "" },
			want:   isNotFound,
		},
	}
}

func TestUpdateDeployment(t *testing.T) {
	for _, via := range []string{"Update", "GuaranteedUpdate"} {
		for _, tc := range deploymentUpdateCases() {
			if tc.updateOnly && via != "Update" {
				continue
			}
			t.Run(via+"/"+tc.name, func(t *testing.T) {
				h := newHarness(t, registry.Options{})
				d := newDeployment("web")
				d.Spec.Template.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}
				created := mustCreate(t, h, h.deploys, d)
				// Give the stored object a status, through the status subresource.
				created.Status.Replicas = 1
				before, err := store.For[*appsv1.Deployment](h.reg, deployStatus).Update(h.ctx, created)
				if err != nil {
					t.Fatal(err)
				}
				req := before.DeepCopy()
				tc.change(req)
				reqCopy := req.DeepCopy()
				view := h.deploys
				if tc.status {
					view = store.For[*appsv1.Deployment](h.reg, deployStatus)
				}
				var after *appsv1.Deployment
				if via == "Update" {
					after, err = view.Update(h.ctx, req)
					if d := cmp.Diff(reqCopy, req); d != "" {
						t.Errorf("Update modified the caller's object (-before +after):\n%s", d)
					}
				} else {
					var pre *meta.Preconditions
					if req.ResourceVersion != "" && req.ResourceVersion != before.ResourceVersion {
						pre = &meta.Preconditions{ResourceVersion: &req.ResourceVersion}
					}
					if req.UID != before.UID {
						pre = &meta.Preconditions{UID: &req.UID}
					}
					after, err = view.GuaranteedUpdate(h.ctx, req.Namespace, req.Name, func(cur *appsv1.Deployment) (*appsv1.Deployment, error) {
						next := req.DeepCopy()
						next.ResourceVersion = cur.ResourceVersion
						next.UID = cur.UID
						return next, nil
					}, store.UpdateOptions{Preconditions: pre})
				}
				checkErr(t, via, err, tc.want)
				stored, gerr := h.deploys.Get(h.ctx, "ns", "web", store.GetOptions{})
				if gerr != nil {
					t.Fatal(gerr)
				}
				if err != nil {
					if d := cmp.Diff(before, stored); d != "" {
						t.Errorf("a failed update changed the object (-before +after):\n%s", d)
					}
					return
				}
				if d := cmp.Diff(after, stored); d != "" {
					t.Errorf("the result is not what is stored (-result +stored):\n%s", d)
				}
				if tc.check != nil {
					tc.check(t, before, after)
				}
			})
		}
	}
}

func TestPodBinding(t *testing.T) {
	tests := []struct {
		name     string
		stored   string // spec.nodeName of the stored pod
		deleting bool
		node     string // the requested spec.nodeName
		want     errCheck
	}{
		{"bind an unbound pod", "", false, "n1", noError},
		{"keep the node", "n1", false, "n1", noError},
		{"move to another node", "n1", false, "n2", isInvalid},
		{"unbind", "n1", false, "", isInvalid},
		{"bind a pod being deleted", "", true, "n1", isConflict},
	}
	for _, tc := range tests {
		for _, via := range []string{"Update", "GuaranteedUpdate"} {
			t.Run(via+"/"+tc.name, func(t *testing.T) {
				h := newHarness(t, registry.Options{})
				p := newPod("a")
				p.Spec.NodeName = tc.stored
				if tc.deleting {
					p.Finalizers = []string{"example.com/hold"}
				}
				cur := mustCreate(t, h, h.pods, p)
				if tc.deleting {
					var err error
					if cur, err = h.pods.Delete(h.ctx, "ns", "a", store.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				}
				var out *corev1.Pod
				var err error
				if via == "Update" {
					req := cur.DeepCopy()
					req.Spec.NodeName = tc.node
					out, err = h.pods.Update(h.ctx, req)
				} else {
					out, err = h.pods.GuaranteedUpdate(h.ctx, "ns", "a", func(c *corev1.Pod) (*corev1.Pod, error) {
						c.Spec.NodeName = tc.node
						return c, nil
					}, store.UpdateOptions{})
				}
				checkErr(t, via, err, tc.want)
				if err == nil && out.Spec.NodeName != tc.node {
					t.Errorf("nodeName %q, want %q", out.Spec.NodeName, tc.node)
				}
			})
		}
	}
}

func TestPodSpecIsImmutableButImages(t *testing.T) {
	h := newHarness(t, registry.Options{})
	cur := mustCreate(t, h, h.pods, newPod("a"))
	req := cur.DeepCopy()
	req.Spec.Containers[0].Image = "img:2"
	out, err := h.pods.Update(h.ctx, req)
	if err != nil {
		t.Fatalf("image update: %v", err)
	}
	if out.Generation != 2 {
		t.Errorf("generation %d after an image change, want 2", out.Generation)
	}
	req = out.DeepCopy()
	req.Spec.Containers[0].Name = "renamed"
	_, err = h.pods.Update(h.ctx, req)
	checkErr(t, "rename container", err, isInvalid)
}

func TestStatusSubresourceVerbs(t *testing.T) {
	h := newHarness(t, registry.Options{})
	created := mustCreate(t, h, h.pods, newPod("a"))
	got, err := h.podStatus.Get(h.ctx, "ns", "a", store.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(created, got); d != "" {
		t.Errorf("Get on pods/status is not the whole object (-created +got):\n%s", d)
	}
	_, err = h.reg.List(h.ctx, podStatusGR, "", store.ListOptions{})
	checkErr(t, "list pods/status", err, isMethodNotAllowed)
	_, err = h.reg.Watch(h.ctx, podStatusGR, "", store.WatchOptions{})
	checkErr(t, "watch pods/status", err, isMethodNotAllowed)
	_, err = h.reg.Delete(h.ctx, podStatusGR, "ns", "a", store.DeleteOptions{})
	checkErr(t, "delete pods/status", err, isMethodNotAllowed)
	cm := mustCreate(t, h, h.cms, newConfigMap("c"))
	_, err = store.For[*corev1.ConfigMap](h.reg, schema.GroupResource{Resource: "configmaps/status"}).Update(h.ctx, cm)
	checkErr(t, "update configmaps/status", err, isBadRequest)
}

func TestPodStatusUpdate(t *testing.T) {
	h := newHarness(t, registry.Options{})
	created := mustCreate(t, h, h.pods, newPod("a"))
	req := created.DeepCopy()
	req.Status.Phase = corev1.PodRunning
	req.Status.PodIP = "10.1.2.3"
	req.Spec.Containers[0].Image = "ignored"
	out, err := h.podStatus.Update(h.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status.Phase != corev1.PodRunning || out.Status.PodIP != "10.1.2.3" || out.Spec.Containers[0].Image != "img:1" {
		t.Errorf("status update result: phase %q ip %q image %q", out.Status.Phase, out.Status.PodIP, out.Spec.Containers[0].Image)
	}
	if out.Generation != 1 {
		t.Errorf("generation %d, want 1", out.Generation)
	}
}

func TestFinalizerRulesOnUpdate(t *testing.T) {
	tests := []struct {
		name     string
		deleting bool
		change   func(c *corev1.ConfigMap)
		want     errCheck
		check    func(t *testing.T, stored *corev1.ConfigMap)
	}{
		{
			name:   "a finalizer may be added before deletion",
			change: func(c *corev1.ConfigMap) { c.Finalizers = append(c.Finalizers, "example.com/b") },
			want:   noError,
		},
		{
			name:     "no finalizer may be added during deletion",
			deleting: true,
			change:   func(c *corev1.ConfigMap) { c.Finalizers = append(c.Finalizers, "example.com/b") },
			want:     isInvalid,
		},
		{
			name:     "a finalizer may be removed during deletion",
			deleting: true,
			change:   func(c *corev1.ConfigMap) { c.Finalizers = []string{"example.com/a"} },
			want:     noError,
		},
		{
			name:     "an empty deletionTimestamp in the request keeps the stored one",
			deleting: true,
			change: func(c *corev1.ConfigMap) {
				c.DeletionTimestamp = nil
				c.DeletionGracePeriodSeconds = nil
				c.Data = map[string]string{"k": "changed"}
			},
			want: noError,
			check: func(t *testing.T, stored *corev1.ConfigMap) {
				if stored.DeletionTimestamp == nil || !stored.DeletionTimestamp.Time.Equal(start) || stored.DeletionGracePeriodSeconds == nil {
					t.Errorf("deletion state lost: %v %v", stored.DeletionTimestamp, stored.DeletionGracePeriodSeconds)
				}
			},
		},
		{
			name:     "another deletionTimestamp is replaced by the stored one",
			deleting: true,
			change: func(c *corev1.ConfigMap) {
				ts := meta.NewTime(start.Add(time.Hour))
				c.DeletionTimestamp = &ts
				c.Data = map[string]string{"k": "changed"}
			},
			want: noError,
			check: func(t *testing.T, stored *corev1.ConfigMap) {
				if !stored.DeletionTimestamp.Time.Equal(start) || stored.Data["k"] != "changed" {
					t.Errorf("deletionTimestamp %v, data %v; want the stored timestamp and the new data", stored.DeletionTimestamp, stored.Data)
				}
			},
		},
		{
			name:     "another deletionGracePeriodSeconds is Invalid",
			deleting: true,
			change:   func(c *corev1.ConfigMap) { c.DeletionGracePeriodSeconds = ptr[int64](30) },
			want:     isInvalid,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, registry.Options{})
			cur := mustCreate(t, h, h.cms, newConfigMap("c", "example.com/a", "example.com/z"))
			if tc.deleting {
				var err error
				if cur, err = h.cms.Delete(h.ctx, "ns", "c", store.DeleteOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			req := cur.DeepCopy()
			tc.change(req)
			_, err := h.cms.Update(h.ctx, req)
			checkErr(t, "update", err, tc.want)
			stored, gerr := h.cms.Get(h.ctx, "ns", "c", store.GetOptions{})
			if gerr != nil {
				t.Fatal(gerr)
			}
			if err != nil && stored.ResourceVersion != cur.ResourceVersion {
				t.Errorf("a failed update wrote")
			}
			if tc.check != nil {
				tc.check(t, stored)
			}
		})
	}
}

func TestGuaranteedUpdate(t *testing.T) {
	h := newHarness(t, registry.Options{})
	created := mustCreate(t, h, h.pods, newPod("a"))

	t.Run("a function that changes nothing writes nothing", func(t *testing.T) {
		out, err := h.pods.GuaranteedUpdate(h.ctx, "ns", "a", func(c *corev1.Pod) (*corev1.Pod, error) { return c, nil }, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if out.ResourceVersion != created.ResourceVersion {
			t.Errorf("resourceVersion %s, want the unchanged %s", out.ResourceVersion, created.ResourceVersion)
		}
	})
	t.Run("the function's error is returned", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := h.pods.GuaranteedUpdate(h.ctx, "ns", "a", func(c *corev1.Pod) (*corev1.Pod, error) { return nil, boom }, store.UpdateOptions{})
		if !errors.Is(err, boom) {
			t.Fatalf("error %v, want boom", err)
		}
	})
	t.Run("a nil result is a BadRequest", func(t *testing.T) {
		_, err := h.reg.GuaranteedUpdate(h.ctx, podsGR, "ns", "a", func(runtime.MetaObject) (runtime.MetaObject, error) { return nil, nil }, store.UpdateOptions{})
		checkErr(t, "nil result", err, isBadRequest)
	})
	t.Run("a result of another type is a BadRequest", func(t *testing.T) {
		_, err := h.reg.GuaranteedUpdate(h.ctx, podsGR, "ns", "a", func(runtime.MetaObject) (runtime.MetaObject, error) {
			return newConfigMap("a"), nil
		}, store.UpdateOptions{})
		checkErr(t, "other type", err, isBadRequest)
	})
	t.Run("a nil function is a BadRequest", func(t *testing.T) {
		_, err := h.reg.GuaranteedUpdate(h.ctx, podsGR, "ns", "a", nil, store.UpdateOptions{})
		checkErr(t, "nil fn", err, isBadRequest)
	})
	t.Run("status changes through pods/status, spec changes ignored", func(t *testing.T) {
		out, err := h.podStatus.GuaranteedUpdate(h.ctx, "ns", "a", func(c *corev1.Pod) (*corev1.Pod, error) {
			c.Status.Phase = corev1.PodRunning
			c.Spec.Containers[0].Image = "ignored"
			return c, nil
		}, store.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if out.Status.Phase != corev1.PodRunning || out.Spec.Containers[0].Image != "img:1" || out.Generation != 1 {
			t.Errorf("phase %q image %q generation %d", out.Status.Phase, out.Spec.Containers[0].Image, out.Generation)
		}
	})
}

func TestBindingKeepsGenerationButOtherChangesBump(t *testing.T) {
	h := newHarness(t, registry.Options{})
	cur := mustCreate(t, h, h.pods, newPod("a"))
	req := cur.DeepCopy()
	req.Spec.NodeName = "n1"
	bound, err := h.pods.Update(h.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if bound.Generation != 1 {
		t.Errorf("generation %d after binding, want 1", bound.Generation)
	}
	req = cur.DeepCopy() // bind and change the image at once, unconditionally
	req.ResourceVersion = ""
	req.Spec.NodeName = "n1"
	req.Spec.Containers[0].Image = "img:2"
	out, err := h.pods.Update(h.ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if out.Generation != 2 {
		t.Errorf("generation %d after an image change, want 2", out.Generation)
	}
}
