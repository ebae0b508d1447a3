package apis_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/google/go-cmp/cmp"
)

func newScheme(t testing.TB) *runtime.Scheme {
	t.Helper()
	s, err := apis.NewScheme()
	if err != nil {
		t.Fatalf("NewScheme: %v", err)
	}
	return s
}

// TestResourceFor resolves every built-in resource by each name kubectl accepts for it.
func TestResourceFor(t *testing.T) {
	s := newScheme(t)
	core := func(r string) schema.GroupVersionResource {
		return schema.GroupVersionResource{Version: "v1", Resource: r}
	}
	gvr := func(g, v, r string) schema.GroupVersionResource {
		return schema.GroupVersionResource{Group: g, Version: v, Resource: r}
	}
	tests := []struct {
		names []string
		want  schema.GroupVersionResource
	}{
		{[]string{"pods", "pod", "po", "Pod", "PODS"}, core("pods")},
		{[]string{"nodes", "node", "no"}, core("nodes")},
		{[]string{"namespaces", "namespace", "ns"}, core("namespaces")},
		{[]string{"services", "service", "svc"}, core("services")},
		{[]string{"endpoints", "ep"}, core("endpoints")},
		{[]string{"configmaps", "configmap", "cm"}, core("configmaps")},
		{[]string{"secrets", "secret"}, core("secrets")},
		{[]string{"serviceaccounts", "serviceaccount", "sa"}, core("serviceaccounts")},
		{[]string{"events", "event", "ev"}, core("events")},
		{[]string{"persistentvolumes", "persistentvolume", "pv"}, core("persistentvolumes")},
		{[]string{"persistentvolumeclaims", "persistentvolumeclaim", "pvc"}, core("persistentvolumeclaims")},
		{[]string{"resourcequotas", "resourcequota", "quota"}, core("resourcequotas")},
		{[]string{"limitranges", "limitrange", "limits"}, core("limitranges")},
		{[]string{"replicationcontrollers", "replicationcontroller", "rc"}, core("replicationcontrollers")},
		{[]string{"podtemplates", "podtemplate"}, core("podtemplates")},
		{[]string{"bindings", "binding"}, core("bindings")},
		{[]string{"deployments", "deployment", "deploy", "deployments.apps", "deploy.apps", "deployments.v1.apps"},
			gvr("apps", "v1", "deployments")},
		{[]string{"replicasets", "replicaset", "rs"}, gvr("apps", "v1", "replicasets")},
		{[]string{"daemonsets", "daemonset", "ds"}, gvr("apps", "v1", "daemonsets")},
		{[]string{"statefulsets", "statefulset", "sts"}, gvr("apps", "v1", "statefulsets")},
		{[]string{"controllerrevisions", "controllerrevision"}, gvr("apps", "v1", "controllerrevisions")},
		{[]string{"jobs", "job", "jobs.batch"}, gvr("batch", "v1", "jobs")},
		{[]string{"cronjobs", "cronjob", "cj"}, gvr("batch", "v1", "cronjobs")},
		{[]string{"leases", "lease", "leases.coordination.k8s.io"}, gvr("coordination.k8s.io", "v1", "leases")},
		{[]string{"priorityclasses", "priorityclass", "pc"}, gvr("scheduling.k8s.io", "v1", "priorityclasses")},
		{[]string{"poddisruptionbudgets", "poddisruptionbudget", "pdb"}, gvr("policy", "v1", "poddisruptionbudgets")},
		{[]string{"horizontalpodautoscalers", "horizontalpodautoscaler", "hpa", "hpa.autoscaling"},
			gvr("autoscaling", "v2", "horizontalpodautoscalers")},
		{[]string{"horizontalpodautoscalers.v1.autoscaling", "hpa.v1.autoscaling"}, gvr("autoscaling", "v1", "horizontalpodautoscalers")},
		{[]string{"roles", "role"}, gvr("rbac.authorization.k8s.io", "v1", "roles")},
		{[]string{"rolebindings", "rolebinding"}, gvr("rbac.authorization.k8s.io", "v1", "rolebindings")},
		{[]string{"clusterroles", "clusterrole"}, gvr("rbac.authorization.k8s.io", "v1", "clusterroles")},
		{[]string{"clusterrolebindings", "clusterrolebinding"}, gvr("rbac.authorization.k8s.io", "v1", "clusterrolebindings")},
		{[]string{"endpointslices", "endpointslice"}, gvr("discovery.k8s.io", "v1", "endpointslices")},
	}
	seen := map[schema.GroupVersionResource]bool{}
	for _, tc := range tests {
		seen[tc.want] = true
		for _, name := range tc.names {
			t.Run(name, func(t *testing.T) {
				got, err := s.ResourceFor(name)
				if err != nil {
					t.Fatalf("ResourceFor(%q): %v", name, err)
				}
				if got.GroupVersionResource != tc.want {
					t.Fatalf("ResourceFor(%q) = %v, want %v", name, got.GroupVersionResource, tc.want)
				}
			})
		}
	}
	// Every registered resource is in the table above.
	for _, r := range s.Resources() {
		if !seen[r.GroupVersionResource] {
			t.Errorf("resource %v is not covered by the table", r.GroupVersionResource)
		}
	}
	for _, name := range []string{"ingresses", "deployments.extensions", "po.apps", "", "widgets.example.com"} {
		if _, err := s.ResourceFor(name); !errors.Is(err, runtime.ErrNotRegistered) {
			t.Errorf("ResourceFor(%q) = %v, want ErrNotRegistered", name, err)
		}
	}
}

// TestCategoryAll checks that exactly the resources kubectl's "get all" shows are in category all.
func TestCategoryAll(t *testing.T) {
	s := newScheme(t)
	var got []string
	for _, r := range s.Resources() {
		for _, c := range r.Categories {
			if c == "all" {
				got = append(got, r.GroupVersionResource.String())
			}
		}
	}
	want := []string{
		"v1, Resource=pods", "v1, Resource=replicationcontrollers", "v1, Resource=services",
		"apps/v1, Resource=daemonsets", "apps/v1, Resource=deployments", "apps/v1, Resource=replicasets",
		"apps/v1, Resource=statefulsets", "autoscaling/v2, Resource=horizontalpodautoscalers",
		"autoscaling/v1, Resource=horizontalpodautoscalers", "batch/v1, Resource=cronjobs", "batch/v1, Resource=jobs",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resources in category all (-want +got):\n%s", diff)
	}
}

// TestKindsRoundTrip creates every registered kind by its group version kind, checks that the
// scheme maps the object back to that kind, and encodes and decodes the empty object.
func TestKindsRoundTrip(t *testing.T) {
	codecs, err := apis.NewCodecs(runtime.CodecOptions{Strict: true, TypedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	kinds := codecs.Scheme.KnownKinds()
	if len(kinds) != 67 {
		t.Fatalf("%d kinds registered, want 67 (32 kinds, their lists, Binding, Eviction and Scale)", len(kinds))
	}
	for _, gvk := range kinds {
		t.Run(gvk.String(), func(t *testing.T) {
			obj, err := codecs.Scheme.New(gvk)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got, err := codecs.Scheme.ObjectKind(obj); err != nil || got != gvk {
				t.Fatalf("ObjectKind = %v, %v", got, err)
			}
			for _, c := range []*runtime.Codec{codecs.JSON, codecs.YAML} {
				data, err := c.Encode(obj)
				if err != nil {
					t.Fatalf("%v encode: %v", c.Format(), err)
				}
				back, err := c.Decode(data)
				if err != nil {
					t.Fatalf("%v decode %s: %v", c.Format(), data, err)
				}
				if reflect.TypeOf(back) != reflect.TypeOf(obj) {
					t.Fatalf("%v decoded a %T, want %T", c.Format(), back, obj)
				}
				if got := back.GetObjectKind().GroupVersionKind(); got != gvk {
					t.Fatalf("%v decoded kind %v", c.Format(), got)
				}
			}
		})
	}
}

func TestAddToSchemeTwice(t *testing.T) {
	s := newScheme(t)
	before := s.Resources()
	if err := apis.AddToScheme(s); err != nil {
		t.Fatalf("second AddToScheme: %v", err)
	}
	if diff := cmp.Diff(before, s.Resources()); diff != "" {
		t.Fatalf("second AddToScheme changed resources:\n%s", diff)
	}
	if err := apis.AddToScheme(nil); err == nil {
		t.Fatal("AddToScheme(nil) succeeded")
	}
	c, err := apis.NewCodecs(runtime.CodecOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []runtime.Format{runtime.JSON, runtime.YAML} {
		if got, err := c.For(f); err != nil || got.Format() != f {
			t.Errorf("For(%v) = %v, %v", f, got, err)
		}
	}
	if _, err := c.For(runtime.Format(7)); err == nil {
		t.Error("For(unknown format) succeeded")
	}
	if _, err := apis.NewCodecsFor(s, runtime.CodecOptions{MaxSize: -1}); err == nil {
		t.Error("NewCodecsFor with negative MaxSize succeeded")
	}
}

// TestDefaults checks that the scheme carries the groups' defaulting functions: a codec with
// Default set fills in what kube-apiserver would.
func TestDefaults(t *testing.T) {
	codecs, err := apis.NewCodecs(runtime.CodecOptions{Strict: true, Default: true})
	if err != nil {
		t.Fatal(err)
	}
	obj, err := codecs.YAML.Decode([]byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n" +
		"spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n" +
		"    spec:\n      containers:\n      - name: c\n        image: nginx\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := obj.(*appsv1.Deployment)
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 {
		t.Errorf("replicas = %v, want defaulted to 1", d.Spec.Replicas)
	}
	if got := d.Spec.Template.Spec.RestartPolicy; got != corev1.RestartPolicyAlways {
		t.Errorf("pod template restartPolicy = %q, want defaulted to Always", got)
	}
	if err := apis.AddDefaults(nil); err == nil {
		t.Error("AddDefaults(nil) succeeded")
	}
}
