package registry_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/apis"
	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/cellkit/cellkit/store/registry"
)

var (
	podsGR       = schema.GroupResource{Resource: "pods"}
	podStatusGR  = schema.GroupResource{Resource: "pods/status"}
	deployGR     = schema.GroupResource{Group: "apps", Resource: "deployments"}
	deployStatus = schema.GroupResource{Group: "apps", Resource: "deployments/status"}
	configMapsGR = schema.GroupResource{Resource: "configmaps"}
	namespacesGR = schema.GroupResource{Resource: "namespaces"}
	nodesGR      = schema.GroupResource{Resource: "nodes"}
	leasesGR     = schema.GroupResource{Group: "coordination.k8s.io", Resource: "leases"}
	start        = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
)

type harness struct {
	ctx  context.Context
	clk  *clock.Fake
	mem  *memory.Store
	reg  *registry.Registry
	pods store.Typed[*corev1.Pod]
	// podStatus is the typed view of pods/status.
	podStatus store.Typed[*corev1.Pod]
	deploys   store.Typed[*appsv1.Deployment]
	cms       store.Typed[*corev1.ConfigMap]
}

func newHarness(t testing.TB, opts registry.Options) *harness {
	t.Helper()
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	resources, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(start)
	mem, err := memory.New(memory.Options{Resources: resources, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	opts.Scheme = scheme
	if opts.Clock == nil {
		opts.Clock = clk
	}
	reg, err := registry.New(mem, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{
		ctx: context.Background(), clk: clk, mem: mem, reg: reg,
		pods:      store.For[*corev1.Pod](reg, podsGR),
		podStatus: store.For[*corev1.Pod](reg, podStatusGR),
		deploys:   store.For[*appsv1.Deployment](reg, deployGR),
		cms:       store.For[*corev1.ConfigMap](reg, configMapsGR),
	}
}

func newPod(name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: name, Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "img:1"}}},
	}
}

func newDeployment(name string) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: name},
		Spec: appsv1.DeploymentSpec{
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": name}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "img:1"}}},
			},
		},
	}
}

func newConfigMap(name string, finalizers ...string) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: name, Finalizers: finalizers},
		Data:       map[string]string{"k": "v"},
	}
}

func ptr[T any](v T) *T { return &v }

func mustCreate[T runtime.MetaObject](t *testing.T, h *harness, s store.Typed[T], obj T) T {
	t.Helper()
	out, err := s.Create(h.ctx, obj)
	if err != nil {
		t.Fatalf("create %s: %v", obj.GetObjectMeta().Name, err)
	}
	return out
}

// errCheck names an expected error class.
type errCheck struct {
	name string
	is   func(error) bool
}

var (
	noError            = errCheck{"no error", func(err error) bool { return err == nil }}
	isInvalid          = errCheck{"Invalid", apierrors.IsInvalid}
	isConflict         = errCheck{"Conflict", apierrors.IsConflict}
	isNotFound         = errCheck{"NotFound", apierrors.IsNotFound}
	isBadRequest       = errCheck{"BadRequest", apierrors.IsBadRequest}
	isMethodNotAllowed = errCheck{"MethodNotSupported", apierrors.IsMethodNotSupported}
)

func checkErr(t *testing.T, what string, err error, want errCheck) {
	t.Helper()
	if !want.is(err) {
		t.Fatalf("%s: error %v, want %s", what, err, want.name)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	resources, err := builtin.Resources(scheme)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := memory.New(memory.Options{Resources: resources})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		backend store.Interface
		opts    registry.Options
		wantErr bool
	}{
		{"no backend", nil, registry.Options{Scheme: scheme}, true},
		{"no scheme", mem, registry.Options{}, true},
		{"defaults", mem, registry.Options{Scheme: scheme}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := registry.New(tc.backend, tc.opts)
			if (err != nil) != tc.wantErr {
				t.Fatalf("New error %v, want error %v", err, tc.wantErr)
			}
			if err == nil && r.Backend() != tc.backend {
				t.Errorf("Backend() is not the wrapped store")
			}
		})
	}
}

func TestHasStatus(t *testing.T) {
	h := newHarness(t, registry.Options{})
	tests := []struct {
		gr   schema.GroupResource
		want bool
	}{
		{podsGR, true}, {nodesGR, true}, {namespacesGR, true}, {deployGR, true},
		{schema.GroupResource{Group: "apps", Resource: "replicasets"}, true},
		{schema.GroupResource{Group: "apps", Resource: "statefulsets"}, true},
		{schema.GroupResource{Group: "apps", Resource: "daemonsets"}, true},
		{schema.GroupResource{Group: "batch", Resource: "jobs"}, true},
		{schema.GroupResource{Group: "batch", Resource: "cronjobs"}, true},
		{schema.GroupResource{Resource: "services"}, true},
		{schema.GroupResource{Resource: "persistentvolumes"}, true},
		{schema.GroupResource{Resource: "persistentvolumeclaims"}, true},
		{schema.GroupResource{Group: "autoscaling", Resource: "horizontalpodautoscalers"}, true},
		{schema.GroupResource{Group: "policy", Resource: "poddisruptionbudgets"}, true},
		{configMapsGR, false},
		{schema.GroupResource{Resource: "secrets"}, false},
		{leasesGR, false},
		{schema.GroupResource{Resource: "events"}, false},
	}
	for _, tc := range tests {
		if got := h.reg.HasStatus(tc.gr); got != tc.want {
			t.Errorf("HasStatus(%s) = %v, want %v", tc.gr, got, tc.want)
		}
	}
}

func TestCreate(t *testing.T) {
	tests := []struct {
		name  string
		opts  registry.Options
		gr    schema.GroupResource
		obj   runtime.MetaObject
		want  errCheck
		check func(t *testing.T, in, out runtime.MetaObject)
	}{
		{
			name: "pod is defaulted, Pending, and gets the default tolerations",
			gr:   podsGR,
			obj: func() runtime.MetaObject {
				p := newPod("a")
				p.Status = corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1"}
				return p
			}(),
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				p := out.(*corev1.Pod)
				if d := cmp.Diff(corev1.PodStatus{Phase: corev1.PodPending, QOSClass: corev1.PodQOSBestEffort}, p.Status); d != "" {
					t.Errorf("status (-want +got):\n%s", d)
				}
				if p.Spec.RestartPolicy != corev1.RestartPolicyAlways || p.Spec.TerminationGracePeriodSeconds == nil {
					t.Errorf("pod not defaulted: restartPolicy %q, grace %v", p.Spec.RestartPolicy, p.Spec.TerminationGracePeriodSeconds)
				}
				want := []corev1.Toleration{
					{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr[int64](300)},
					{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr[int64](300)},
				}
				if d := cmp.Diff(want, p.Spec.Tolerations); d != "" {
					t.Errorf("tolerations (-want +got):\n%s", d)
				}
				if p.Generation != 1 || p.DeletionTimestamp != nil {
					t.Errorf("generation %d, deletionTimestamp %v; want 1 and none", p.Generation, p.DeletionTimestamp)
				}
			},
		},
		{
			name: "existing tolerations are respected and the seconds are configurable",
			opts: registry.Options{DefaultTolerationSeconds: ptr[int64](60)},
			gr:   podsGR,
			obj: func() runtime.MetaObject {
				p := newPod("a")
				p.Spec.Tolerations = []corev1.Toleration{{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists}}
				return p
			}(),
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				want := []corev1.Toleration{
					{Key: corev1.TaintNodeUnreachable, Operator: corev1.TolerationOpExists},
					{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr[int64](60)},
				}
				if d := cmp.Diff(want, out.(*corev1.Pod).Spec.Tolerations); d != "" {
					t.Errorf("tolerations (-want +got):\n%s", d)
				}
			},
		},
		{
			name: "a toleration of every key with NoExecute covers both taints",
			gr:   podsGR,
			obj: func() runtime.MetaObject {
				p := newPod("a")
				p.Spec.Tolerations = []corev1.Toleration{{Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute}}
				return p
			}(),
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				if n := len(out.(*corev1.Pod).Spec.Tolerations); n != 1 {
					t.Errorf("%d tolerations, want the one given", n)
				}
			},
		},
		{
			name: "a NoSchedule toleration does not cover the NoExecute taints",
			gr:   podsGR,
			obj: func() runtime.MetaObject {
				p := newPod("a")
				p.Spec.Tolerations = []corev1.Toleration{{Key: corev1.TaintNodeNotReady, Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule}}
				return p
			}(),
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				if n := len(out.(*corev1.Pod).Spec.Tolerations); n != 3 {
					t.Errorf("%d tolerations, want the one given and two defaults", n)
				}
			},
		},
		{
			name: "negative DefaultTolerationSeconds adds none",
			opts: registry.Options{DefaultTolerationSeconds: ptr[int64](-1)},
			gr:   podsGR,
			obj:  newPod("a"),
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				if tl := out.(*corev1.Pod).Spec.Tolerations; len(tl) != 0 {
					t.Errorf("tolerations %v, want none", tl)
				}
			},
		},
		{
			name: "deployment status is reset and the spec defaulted",
			gr:   deployGR,
			obj: func() runtime.MetaObject {
				d := newDeployment("web")
				d.Status = appsv1.DeploymentStatus{Replicas: 3, ObservedGeneration: 7}
				return d
			}(),
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				d := out.(*appsv1.Deployment)
				if d := cmp.Diff(appsv1.DeploymentStatus{}, d.Status); d != "" {
					t.Errorf("status (-want +got):\n%s", d)
				}
				if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 {
					t.Errorf("replicas %v, want the default 1", d.Spec.Replicas)
				}
			},
		},
		{
			name: "deletion state and generation in the request are dropped",
			gr:   configMapsGR,
			obj: func() runtime.MetaObject {
				c := newConfigMap("c")
				now := meta.NewTime(start)
				c.DeletionTimestamp = &now
				c.DeletionGracePeriodSeconds = ptr[int64](5)
				c.Generation = 9
				return c
			}(),
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				m := out.GetObjectMeta()
				if m.DeletionTimestamp != nil || m.DeletionGracePeriodSeconds != nil || m.Generation != 1 {
					t.Errorf("deletionTimestamp %v, grace %v, generation %d; want none, none, 1", m.DeletionTimestamp, m.DeletionGracePeriodSeconds, m.Generation)
				}
			},
		},
		{
			name: "nodes keep the status they register with",
			gr:   nodesGR,
			obj: &corev1.Node{ObjectMeta: meta.ObjectMeta{Name: "n1"},
				Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}},
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				if c := out.(*corev1.Node).Status.Conditions; len(c) != 1 {
					t.Errorf("conditions %v, want the registered one", c)
				}
			},
		},
		{
			name: "namespaces start Active",
			gr:   namespacesGR,
			obj:  &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "team"}, Status: corev1.NamespaceStatus{Phase: corev1.NamespaceTerminating}},
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				if p := out.(*corev1.Namespace).Status.Phase; p != corev1.NamespaceActive {
					t.Errorf("phase %q, want Active", p)
				}
			},
		},
		{
			name: "generateName becomes a validated name",
			gr:   podsGR,
			obj: func() runtime.MetaObject {
				p := newPod("")
				p.GenerateName = "web-"
				return p
			}(),
			want: noError,
			check: func(t *testing.T, _, out runtime.MetaObject) {
				n := out.GetObjectMeta().Name
				if len(n) != len("web-")+5 || n[:4] != "web-" {
					t.Errorf("name %q, want web- and 5 characters", n)
				}
			},
		},
		{
			name: "pod without containers is Invalid",
			gr:   podsGR,
			obj: func() runtime.MetaObject {
				p := newPod("a")
				p.Spec.Containers = nil
				return p
			}(),
			want: isInvalid,
		},
		{
			name: "deployment whose selector misses its template is Invalid",
			gr:   deployGR,
			obj: func() runtime.MetaObject {
				d := newDeployment("web")
				d.Spec.Template.Labels = map[string]string{"app": "other"}
				return d
			}(),
			want: isInvalid,
		},
		{
			name: "lease is validated too",
			gr:   leasesGR,
			obj: &coordinationv1.Lease{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "l"},
				Spec: coordinationv1.LeaseSpec{LeaseDurationSeconds: ptr[int32](-1)}},
			want: isInvalid,
		},
		{
			name: "create on the status subresource is not supported",
			gr:   podStatusGR,
			obj:  newPod("a"),
			want: isMethodNotAllowed,
		},
		{
			name: "an unknown subresource is a BadRequest",
			gr:   schema.GroupResource{Resource: "pods/exec"},
			obj:  newPod("a"),
			want: isBadRequest,
		},
		{
			name: "a nil object is a BadRequest",
			gr:   podsGR,
			obj:  (*corev1.Pod)(nil),
			want: isBadRequest,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts)
			var before runtime.Object
			if !isNilObj(tc.obj) {
				before = tc.obj.DeepCopyObject()
			}
			out, err := h.reg.Create(h.ctx, tc.gr, tc.obj)
			checkErr(t, "create", err, tc.want)
			if before != nil {
				if d := cmp.Diff(before, runtime.Object(tc.obj)); d != "" {
					t.Errorf("Create modified the caller's object (-before +after):\n%s", d)
				}
			}
			if err != nil {
				st, _ := h.reg.Stats(h.ctx)
				if st.Revision != 0 {
					t.Errorf("a failed create wrote: revision %d", st.Revision)
				}
				return
			}
			if tc.check != nil {
				tc.check(t, tc.obj, out)
			}
			got, err := h.reg.Get(h.ctx, tc.gr, out.GetObjectMeta().Namespace, out.GetObjectMeta().Name, store.GetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(runtime.Object(out), runtime.Object(got)); d != "" {
				t.Errorf("stored object differs from Create's result (-create +get):\n%s", d)
			}
		})
	}
}

func isNilObj(obj runtime.MetaObject) bool {
	if obj == nil {
		return true
	}
	p, ok := obj.(*corev1.Pod)
	return ok && p == nil
}

func TestPodQOSClassOnCreate(t *testing.T) {
	res := func(kv ...string) corev1.ResourceList {
		l := corev1.ResourceList{}
		for i := 0; i+1 < len(kv); i += 2 {
			l[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
		}
		return l
	}
	type rr struct{ req, lim corev1.ResourceList }
	tests := []struct {
		name       string
		containers []rr
		init       []rr
		want       corev1.PodQOSClass
	}{
		{"nothing requested", []rr{{}}, nil, corev1.PodQOSBestEffort},
		{"only other resources", []rr{{req: res("ephemeral-storage", "1Gi")}}, nil, corev1.PodQOSBestEffort},
		{"zero quantities count as none", []rr{{req: res("cpu", "0")}}, nil, corev1.PodQOSBestEffort},
		{"limits equal requests", []rr{{req: res("cpu", "1", "memory", "1Gi"), lim: res("cpu", "1", "memory", "1Gi")}}, nil, corev1.PodQOSGuaranteed},
		{"limits only (defaulting copies them to requests)", []rr{{lim: res("cpu", "500m", "memory", "64Mi")}}, nil, corev1.PodQOSGuaranteed},
		{"same quantity, other spelling", []rr{{req: res("cpu", "1000m", "memory", "1Gi"), lim: res("cpu", "1", "memory", "1Gi")}}, nil, corev1.PodQOSGuaranteed},
		{"requests below limits", []rr{{req: res("cpu", "100m", "memory", "1Gi"), lim: res("cpu", "1", "memory", "1Gi")}}, nil, corev1.PodQOSBurstable},
		{"no memory limit", []rr{{req: res("cpu", "1"), lim: res("cpu", "1")}}, nil, corev1.PodQOSBurstable},
		{"one container without limits", []rr{{lim: res("cpu", "1", "memory", "1Gi")}, {}}, nil, corev1.PodQOSBurstable},
		{"an init container counts", []rr{{lim: res("cpu", "1", "memory", "1Gi")}}, []rr{{req: res("cpu", "1")}}, corev1.PodQOSBurstable},
		{"requests only", []rr{{req: res("memory", "1Gi")}}, nil, corev1.PodQOSBurstable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, registry.Options{})
			p := newPod("a")
			p.Spec.Containers = nil
			for i, c := range tc.containers {
				p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: fmt.Sprintf("c%d", i), Image: "img",
					Resources: corev1.ResourceRequirements{Requests: c.req, Limits: c.lim}})
			}
			for i, c := range tc.init {
				p.Spec.InitContainers = append(p.Spec.InitContainers, corev1.Container{Name: fmt.Sprintf("i%d", i), Image: "img",
					Resources: corev1.ResourceRequirements{Requests: c.req, Limits: c.lim}})
			}
			out := mustCreate(t, h, h.pods, p)
			if out.Status.QOSClass != tc.want {
				t.Errorf("qosClass %q, want %q", out.Status.QOSClass, tc.want)
			}
		})
	}
}
