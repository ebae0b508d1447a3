package builtin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/apis"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/builtin"
	"github.com/cellkit/cellkit/store/memory"
	"github.com/google/go-cmp/cmp"
)

func newStore(t *testing.T) (*memory.Store, []store.Resource) {
	t.Helper()
	s, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	res, err := builtin.Resources(s)
	if err != nil {
		t.Fatalf("Resources: %v", err)
	}
	st, err := memory.New(memory.Options{Resources: res})
	if err != nil {
		t.Fatalf("memory.New: %v", err)
	}
	return st, res
}

func TestResourcesTable(t *testing.T) {
	_, res := newStore(t)
	scheme, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		GR         string
		Kind       string
		Namespaced bool
		Indexes    []string
		HasFields  bool
	}
	var got []row
	for _, r := range res {
		if gvk, err := scheme.ObjectKind(r.New()); err != nil || gvk != r.Kind {
			t.Errorf("%s: New() is of kind %v (%v), want %v", r.GroupResource, gvk, err, r.Kind)
		}
		got = append(got, row{GR: r.GroupResource.String(), Kind: r.Kind.String(), Namespaced: r.Namespaced,
			Indexes: r.Indexes, HasFields: r.Fields != nil})
	}
	want := []row{
		{"configmaps", "v1, Kind=ConfigMap", true, nil, false},
		{"endpoints", "v1, Kind=Endpoints", true, nil, false},
		{"events", "v1, Kind=Event", true, []string{"involvedObject.uid"}, true},
		{"limitranges", "v1, Kind=LimitRange", true, nil, false},
		{"namespaces", "v1, Kind=Namespace", false, nil, true},
		{"nodes", "v1, Kind=Node", false, nil, true},
		{"persistentvolumeclaims", "v1, Kind=PersistentVolumeClaim", true, nil, false},
		{"persistentvolumes", "v1, Kind=PersistentVolume", false, nil, false},
		{"pods", "v1, Kind=Pod", true, []string{"spec.nodeName"}, true},
		{"podtemplates", "v1, Kind=PodTemplate", true, nil, false},
		{"replicationcontrollers", "v1, Kind=ReplicationController", true, nil, true},
		{"resourcequotas", "v1, Kind=ResourceQuota", true, nil, false},
		{"secrets", "v1, Kind=Secret", true, nil, true},
		{"serviceaccounts", "v1, Kind=ServiceAccount", true, nil, false},
		{"services", "v1, Kind=Service", true, nil, true},
		{"controllerrevisions.apps", "apps/v1, Kind=ControllerRevision", true, nil, false},
		{"daemonsets.apps", "apps/v1, Kind=DaemonSet", true, nil, false},
		{"deployments.apps", "apps/v1, Kind=Deployment", true, nil, false},
		{"replicasets.apps", "apps/v1, Kind=ReplicaSet", true, nil, true},
		{"statefulsets.apps", "apps/v1, Kind=StatefulSet", true, nil, false},
		{"horizontalpodautoscalers.autoscaling", "autoscaling/v2, Kind=HorizontalPodAutoscaler", true, nil, false},
		{"cronjobs.batch", "batch/v1, Kind=CronJob", true, nil, false},
		{"jobs.batch", "batch/v1, Kind=Job", true, nil, true},
		{"leases.coordination.k8s.io", "coordination.k8s.io/v1, Kind=Lease", true, nil, false},
		{"endpointslices.discovery.k8s.io", "discovery.k8s.io/v1, Kind=EndpointSlice", true, nil, false},
		{"poddisruptionbudgets.policy", "policy/v1, Kind=PodDisruptionBudget", true, nil, false},
		{"clusterrolebindings.rbac.authorization.k8s.io", "rbac.authorization.k8s.io/v1, Kind=ClusterRoleBinding", false, nil, false},
		{"clusterroles.rbac.authorization.k8s.io", "rbac.authorization.k8s.io/v1, Kind=ClusterRole", false, nil, false},
		{"rolebindings.rbac.authorization.k8s.io", "rbac.authorization.k8s.io/v1, Kind=RoleBinding", true, nil, false},
		{"roles.rbac.authorization.k8s.io", "rbac.authorization.k8s.io/v1, Kind=Role", true, nil, false},
		{"priorityclasses.scheduling.k8s.io", "scheduling.k8s.io/v1, Kind=PriorityClass", false, nil, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resource table (-want +got):\n%s", diff)
	}
	if _, err := builtin.Resources(nil); err == nil {
		t.Error("Resources(nil) succeeded")
	}
}

func TestListPodsByNode(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	pods := store.For[*corev1.Pod](st, schema.GroupResource{Resource: "pods"})
	for _, p := range []struct{ ns, name, node string }{
		{"a", "p1", "node-1"}, {"b", "p2", "node-2"}, {"b", "p3", "node-1"}, {"a", "p4", ""},
	} {
		if _, err := pods.Create(ctx, &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: p.ns, Name: p.name},
			Spec: corev1.PodSpec{NodeName: p.node}}); err != nil {
			t.Fatalf("create %s: %v", p.name, err)
		}
	}
	// Bind p4 to node-1 after the fact: the index must follow the update.
	if _, err := pods.GuaranteedUpdate(ctx, "a", "p4", func(p *corev1.Pod) (*corev1.Pod, error) {
		p.Spec.NodeName = "node-1"
		return p, nil
	}, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ns, selector string
		want         []string
	}{
		{"", "spec.nodeName=node-1", []string{"a/p1", "a/p4", "b/p3"}},
		{"b", "spec.nodeName=node-1", []string{"b/p3"}},
		{"", "spec.nodeName=node-2", []string{"b/p2"}},
		{"", "spec.nodeName=node-3", nil},
		{"", "spec.nodeName!=node-1", []string{"b/p2"}},
		{"", "spec.nodeName=node-1,metadata.name=p4", []string{"a/p4"}},
		{"", "status.phase=,spec.hostNetwork=false", []string{"a/p1", "a/p4", "b/p2", "b/p3"}},
	}
	for _, tc := range tests {
		t.Run(tc.ns+"/"+tc.selector, func(t *testing.T) {
			l, err := pods.List(ctx, tc.ns, store.ListOptions{Fields: fields.MustParseSelector(tc.selector)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range l.Items {
				got = append(got, p.Namespace+"/"+p.Name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("pods (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListEventsByInvolvedObject(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	events := store.For[*corev1.Event](st, schema.GroupResource{Resource: "events"})
	for _, e := range []struct{ name, uid, kind, reason, typ string }{
		{"web.1", "uid-web", "Pod", "Scheduled", "Normal"},
		{"web.2", "uid-web", "Pod", "BackOff", "Warning"},
		{"db.1", "uid-db", "Pod", "Pulled", "Normal"},
		{"rs.1", "uid-rs", "ReplicaSet", "SuccessfulCreate", "Normal"},
	} {
		if _, err := events.Create(ctx, &corev1.Event{ObjectMeta: meta.ObjectMeta{Namespace: "shop", Name: e.name},
			InvolvedObject: corev1.ObjectReference{Kind: e.kind, Namespace: "shop", UID: meta.UID(e.uid)},
			Reason:         e.reason, Type: e.typ, Source: corev1.EventSource{Component: "kubelet"}}); err != nil {
			t.Fatalf("create %s: %v", e.name, err)
		}
	}
	tests := []struct {
		selector string
		want     []string
	}{
		{"involvedObject.uid=uid-web", []string{"web.1", "web.2"}},
		{"involvedObject.uid=uid-web,type=Warning", []string{"web.2"}},
		{"involvedObject.kind=Pod,reason!=Pulled", []string{"web.1", "web.2"}},
		{"involvedObject.kind=ReplicaSet,source=kubelet", []string{"rs.1"}},
		{"involvedObject.uid=none", nil},
	}
	for _, tc := range tests {
		t.Run(tc.selector, func(t *testing.T) {
			l, err := events.List(ctx, "shop", store.ListOptions{Fields: fields.MustParseSelector(tc.selector)})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range l.Items {
				got = append(got, e.Name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNameRules(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	s, err := apis.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		resource, namespace, name string
		valid                     bool
	}{
		{"namespaces", "", "shop", true},
		{"namespaces", "", "shop.eu", false}, // DNS-1123 label: no dots
		{"services", "default", "web", true},
		{"services", "default", "1web", false}, // DNS-1035 label: starts with a letter
		{"services", "default", "web.eu", false},
		{"configmaps", "default", "web.eu", true}, // DNS-1123 subdomain
		{"configmaps", "default", "Web", false},
		{"nodes", "", "node-1.example.com", true},
		{"clusterroles.rbac.authorization.k8s.io", "", "system:controller:job-controller", true},
		{"clusterroles.rbac.authorization.k8s.io", "", "a/b", false},
		{"roles.rbac.authorization.k8s.io", "default", "..", false},
		{"rolebindings.rbac.authorization.k8s.io", "default", "Admin:Edit", true},
		{"cronjobs.batch", "default", strings.Repeat("c", 52), true},
		{"cronjobs.batch", "default", strings.Repeat("c", 53), false},
		{"jobs.batch", "default", strings.Repeat("j", 63), true},
	}
	for _, tc := range tests {
		t.Run(tc.resource+"/"+tc.name, func(t *testing.T) {
			info, err := s.ResourceFor(tc.resource)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := s.New(info.GroupVersionKind())
			if err != nil {
				t.Fatal(err)
			}
			mo := obj.(runtime.MetaObject)
			mo.GetObjectMeta().Name, mo.GetObjectMeta().Namespace = tc.name, tc.namespace
			_, err = st.Create(ctx, info.GroupResource(), mo)
			switch {
			case tc.valid && err != nil:
				t.Fatalf("create: %v", err)
			case !tc.valid && !apierrors.IsInvalid(err):
				t.Fatalf("create = %v, want Invalid", err)
			}
		})
	}
}

func TestValidators(t *testing.T) {
	tests := []struct {
		name   string
		fn     func(string, bool) []string
		in     string
		prefix bool
		want   []string
	}{
		{"segment ok", builtin.ValidatePathSegmentName, "system:node", false, nil},
		{"segment dot", builtin.ValidatePathSegmentName, ".", false, []string{"may not be '.'"}},
		{"segment dotdot prefix", builtin.ValidatePathSegmentName, "..", true, nil},
		{"segment slash and percent", builtin.ValidatePathSegmentName, "a/b%c", false,
			[]string{"may not contain '/'", "may not contain '%'"}},
		{"cronjob 52", builtin.ValidateCronJobName, strings.Repeat("a", 52), false, nil},
		{"cronjob prefix 47", builtin.ValidateCronJobName, strings.Repeat("a", 47), true, nil},
		{"cronjob prefix 48", builtin.ValidateCronJobName, strings.Repeat("a", 48), true,
			[]string{"must be no more than 47 characters"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.fn(tc.in, tc.prefix)); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFieldLabels(t *testing.T) {
	_, res := newStore(t)
	got := map[string][]string{}
	for _, r := range res {
		got[r.GroupResource.String()] = builtin.FieldLabels(r)
	}
	meta2 := []string{"metadata.name", "metadata.namespace"}
	tests := map[string][]string{
		"pods": {"metadata.name", "metadata.namespace", "spec.hostNetwork", "spec.nodeName", "spec.restartPolicy",
			"spec.schedulerName", "spec.serviceAccountName", "status.nominatedNodeName", "status.phase", "status.podIP",
			"status.podIPs"},
		"nodes":      {"metadata.name", "metadata.namespace", "spec.unschedulable"},
		"namespaces": {"metadata.name", "metadata.namespace", "status.phase"},
		"events": {"involvedObject.apiVersion", "involvedObject.fieldPath", "involvedObject.kind", "involvedObject.name",
			"involvedObject.namespace", "involvedObject.resourceVersion", "involvedObject.uid", "metadata.name",
			"metadata.namespace", "reason", "reportingComponent", "source", "type"},
		"secrets":                {"metadata.name", "metadata.namespace", "type"},
		"services":               {"metadata.name", "metadata.namespace", "spec.clusterIP", "spec.type"},
		"replicationcontrollers": {"metadata.name", "metadata.namespace", "status.replicas"},
		"replicasets.apps":       {"metadata.name", "metadata.namespace", "status.replicas"},
		"jobs.batch":             {"metadata.name", "metadata.namespace", "status.successful"},
		"deployments.apps":       meta2,
		"configmaps":             meta2,
		"persistentvolumes":      meta2,
		"cronjobs.batch":         meta2,
	}
	for gr, want := range tests {
		if diff := cmp.Diff(want, got[gr]); diff != "" {
			t.Errorf("%s field labels (-want +got):\n%s", gr, diff)
		}
	}
}

// TestWatchPodsOfNode watches through the spec.nodeName index: only the pods bound to the node
// arrive, including one that is bound after creation.
func TestWatchPodsOfNode(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t)
	pods := store.For[*corev1.Pod](st, schema.GroupResource{Resource: "pods"})
	w, err := pods.Watch(ctx, "", store.WatchOptions{Fields: fields.OneTermEqualSelector("spec.nodeName", "node-1")})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	for _, p := range []struct{ name, node string }{{"a", "node-2"}, {"b", "node-1"}, {"c", ""}} {
		if _, err := pods.Create(ctx, &corev1.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: p.name},
			Spec: corev1.PodSpec{NodeName: p.node}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pods.GuaranteedUpdate(ctx, "ns", "c", func(p *corev1.Pod) (*corev1.Pod, error) {
		p.Spec.NodeName = "node-1"
		return p, nil
	}, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for len(got) < 2 {
		ev, ok := <-w.ResultChan()
		if !ok {
			t.Fatal("watch closed")
		}
		got = append(got, string(ev.Type)+" "+ev.Object.Name)
	}
	if diff := cmp.Diff([]string{"ADDED b", "ADDED c"}, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
