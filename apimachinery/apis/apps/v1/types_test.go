package v1_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*appsv1.Deployment).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DeploymentSpec).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DeploymentStrategy).DeepCopy),
		apitest.DeepCopyCase((*appsv1.RollingUpdateDeployment).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DeploymentStatus).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DeploymentCondition).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DeploymentList).DeepCopy),
		apitest.DeepCopyCase((*appsv1.ReplicaSet).DeepCopy),
		apitest.DeepCopyCase((*appsv1.ReplicaSetSpec).DeepCopy),
		apitest.DeepCopyCase((*appsv1.ReplicaSetStatus).DeepCopy),
		apitest.DeepCopyCase((*appsv1.ReplicaSetCondition).DeepCopy),
		apitest.DeepCopyCase((*appsv1.ReplicaSetList).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DaemonSet).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DaemonSetSpec).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DaemonSetUpdateStrategy).DeepCopy),
		apitest.DeepCopyCase((*appsv1.RollingUpdateDaemonSet).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DaemonSetStatus).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DaemonSetCondition).DeepCopy),
		apitest.DeepCopyCase((*appsv1.DaemonSetList).DeepCopy),
		apitest.DeepCopyCase((*appsv1.StatefulSet).DeepCopy),
		apitest.DeepCopyCase((*appsv1.StatefulSetSpec).DeepCopy),
		apitest.DeepCopyCase((*appsv1.StatefulSetUpdateStrategy).DeepCopy),
		apitest.DeepCopyCase((*appsv1.RollingUpdateStatefulSetStrategy).DeepCopy),
		apitest.DeepCopyCase((*appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy).DeepCopy),
		apitest.DeepCopyCase((*appsv1.StatefulSetOrdinals).DeepCopy),
		apitest.DeepCopyCase((*appsv1.StatefulSetStatus).DeepCopy),
		apitest.DeepCopyCase((*appsv1.StatefulSetCondition).DeepCopy),
		apitest.DeepCopyCase((*appsv1.StatefulSetList).DeepCopy),
		apitest.DeepCopyCase((*appsv1.ControllerRevision).DeepCopy),
		apitest.DeepCopyCase((*appsv1.ControllerRevisionList).DeepCopy),
	}, apitest.Options{Seeds: 6})
}

func TestExampleManifests(t *testing.T) {
	dir := filepath.Join("testdata", "kubernetes-examples")
	tests := []struct {
		file string
		kind string
		min  int
		// gap is an unknown-field error that core/v1 (another package) is known to give for
		// this file; the file is skipped, with the reason printed, while the error persists.
		gap string
	}{
		{"vllm-deployment.yaml", "Deployment", 1, ""},
		{"prometheus-adapter.yaml", "Deployment", 1, ""},
		{"model-serving-tensorflow-deployment.yaml", "Deployment", 1, ""},
		{"guestbook-all-in-one.yaml", "Deployment", 3, ""},
		{"guestbook-go-redis-master-controller.yaml", "Deployment", 1, ""},
		{"nfs-busybox-deployment.yaml", "Deployment", 1, ""},
		{"vsphere-deployment.yaml", "Deployment", 1, `vsphereVolume"`},
		{"selenium-node-firefox-deployment.yaml", "Deployment", 1, ""},
		{"storm-worker-controller.yaml", "Deployment", 1, ""},
		{"minio-standalone-deployment.yaml", "Deployment", 1, ""},
		{"openshift-controller.yaml", "Deployment", 1, ""},
		{"etcd-controller.yaml", "Deployment", 1, ""},
		{"cockroachdb-statefulset.yaml", "StatefulSet", 1, ""},
		{"cassandra-statefulset.yaml", "StatefulSet", 1, ""},
		{"newrelic-daemonset.yaml", "DaemonSet", 1, ""},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.file)
		if tt.gap != "" {
			docs, err := apitest.ReadManifests(path, tt.kind)
			if err != nil || len(docs) == 0 {
				t.Fatalf("%s: %d documents, %v", path, len(docs), err)
			}
			if err := apitest.DecodeStrict(docs[0].JSON, new(appsv1.Deployment)); err != nil && strings.Contains(err.Error(), tt.gap) {
				t.Logf("skipping %s: core/v1 does not have this field yet: %v", tt.file, err)
				continue
			}
		}
		switch tt.kind {
		case "Deployment":
			apitest.CheckManifests[appsv1.Deployment](t, path, tt.kind, tt.min)
		case "StatefulSet":
			apitest.CheckManifests[appsv1.StatefulSet](t, path, tt.kind, tt.min)
		case "DaemonSet":
			apitest.CheckManifests[appsv1.DaemonSet](t, path, tt.kind, tt.min)
		}
	}
}

func TestOwnManifests(t *testing.T) {
	path := filepath.Join("testdata", "apps.yaml")
	apitest.CheckManifests[appsv1.Deployment](t, path, "Deployment", 2)
	apitest.CheckManifests[appsv1.ReplicaSet](t, path, "ReplicaSet", 1)
	apitest.CheckManifests[appsv1.DaemonSet](t, path, "DaemonSet", 2)
	apitest.CheckManifests[appsv1.StatefulSet](t, path, "StatefulSet", 1)
	apitest.CheckManifests[appsv1.ControllerRevision](t, path, "ControllerRevision", 1)
}

func ptr[T any](v T) *T { return &v }

// The rollout budget of a Deployment is either a count or a percentage, and zero is meaningful:
// maxUnavailable 0 forbids any loss of capacity, which differs from unset (25%).
func TestRollingUpdateBudget(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want appsv1.RollingUpdateDeployment
	}{
		{name: "unset", in: `{}`, want: appsv1.RollingUpdateDeployment{}},
		{name: "percent and zero", in: `{"maxSurge":"25%","maxUnavailable":0}`, want: appsv1.RollingUpdateDeployment{
			MaxSurge: ptr(intstr.FromString("25%")), MaxUnavailable: ptr(intstr.FromInt32(0)),
		}},
		{name: "counts", in: `{"maxSurge":2,"maxUnavailable":1}`, want: appsv1.RollingUpdateDeployment{
			MaxSurge: ptr(intstr.FromInt32(2)), MaxUnavailable: ptr(intstr.FromInt32(1)),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got appsv1.RollingUpdateDeployment
			if err := apitest.DecodeStrict([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var back appsv1.RollingUpdateDeployment
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, back); diff != "" {
				t.Errorf("after encoding as %s (-want +got):\n%s", out, diff)
			}
		})
	}
}

func TestWireFormat(t *testing.T) {
	tests := []struct {
		name string
		obj  any
		want string
	}{
		{
			name: "statefulset status writes replicas and availableReplicas",
			obj:  appsv1.StatefulSetStatus{},
			want: `{"replicas":0,"availableReplicas":0}`,
		},
		{
			name: "deployment status omits zero counts",
			obj:  appsv1.DeploymentStatus{TerminatingReplicas: ptr(int32(0))},
			want: `{"terminatingReplicas":0}`,
		},
		{
			name: "daemonset status writes the four required counts",
			obj:  appsv1.DaemonSetStatus{},
			want: `{"currentNumberScheduled":0,"numberMisscheduled":0,"desiredNumberScheduled":0,"numberReady":0}`,
		},
		{
			name: "replicaset status writes replicas",
			obj:  appsv1.ReplicaSetStatus{},
			want: `{"replicas":0}`,
		},
		{
			name: "ordinals start is written even when zero",
			obj:  appsv1.StatefulSetOrdinals{},
			want: `{"start":0}`,
		},
		{
			name: "controller revision without data",
			obj:  appsv1.ControllerRevision{Revision: 2},
			want: `{"metadata":{"creationTimestamp":null},"data":null,"revision":2}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.obj)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("json.Marshal =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestControllerRevisionKeepsRawData(t *testing.T) {
	in := `{"metadata":{"name":"r"},"data":{"spec":{"template":{"$patch":"replace"}}},"revision":4}`
	var cr appsv1.ControllerRevision
	if err := apitest.DecodeStrict([]byte(in), &cr); err != nil {
		t.Fatal(err)
	}
	if want := `{"spec":{"template":{"$patch":"replace"}}}`; string(cr.Data.Raw) != want {
		t.Errorf("Data.Raw = %s, want %s", cr.Data.Raw, want)
	}
	cp := cr.DeepCopy()
	cp.Data.Raw[2] = 'X'
	if cr.Data.Raw[2] == 'X' {
		t.Error("DeepCopy shares Data.Raw with the original")
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, in := range map[string]string{
		"replicas is a string":         `{"spec":{"replicas":"3"}}`,
		"maxSurge is a float":          `{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1.5}}}}`,
		"selector is a string":         `{"spec":{"selector":"app=web"}}`,
		"condition time is not a time": `{"status":{"conditions":[{"type":"Available","status":"True","lastUpdateTime":"noon"}]}}`,
		"unknown spec field":           `{"spec":{"replica":3}}`,
	} {
		t.Run(name, func(t *testing.T) {
			var d appsv1.Deployment
			if err := apitest.DecodeStrict([]byte(in), &d); err == nil {
				t.Errorf("decoding %s succeeded, want an error", in)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":0}}}}`))
	f.Add([]byte(`{"kind":"ControllerRevision","data":{"a":[1,2,{"b":null}]},"revision":9}`))
	f.Add([]byte(`{"spec":{"serviceName":"s","updateStrategy":{"rollingUpdate":{"partition":2}},"ordinals":{"start":1}},"status":{"replicas":1,"availableReplicas":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checks := []func([]byte) error{
			func(d []byte) error { return apitest.CheckJSONStable(d, (*appsv1.Deployment).DeepCopy) },
			func(d []byte) error { return apitest.CheckJSONStable(d, (*appsv1.StatefulSet).DeepCopy) },
			func(d []byte) error { return apitest.CheckJSONStable(d, (*appsv1.DaemonSet).DeepCopy) },
			func(d []byte) error { return apitest.CheckJSONStable(d, (*appsv1.ReplicaSet).DeepCopy) },
			func(d []byte) error { return apitest.CheckJSONStable(d, (*appsv1.ControllerRevision).DeepCopy) },
		}
		for _, check := range checks {
			if err := check(data); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func guestbookFrontend(b *testing.B) *appsv1.Deployment {
	b.Helper()
	docs, err := apitest.ReadManifests(filepath.Join("testdata", "kubernetes-examples", "guestbook-all-in-one.yaml"), "Deployment")
	if err != nil || len(docs) == 0 {
		b.Fatalf("read manifests: %d documents, %v", len(docs), err)
	}
	d := new(appsv1.Deployment)
	if err := apitest.DecodeStrict(docs[len(docs)-1].JSON, d); err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkDeploymentDeepCopy copies a real manifest (the guestbook frontend) and a large,
// fully populated Deployment filled from a seed.
func BenchmarkDeploymentDeepCopy(b *testing.B) {
	full := new(appsv1.Deployment)
	if err := apitest.NewFiller(1, apitest.Options{MaxDepth: 5, MaxLen: 2}).Fill(full); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		d    *appsv1.Deployment
	}{
		{"manifest", guestbookFrontend(b)},
		{"filled", full},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if bc.d.DeepCopy() == nil {
					b.Fatal("nil copy")
				}
			}
		})
	}
}

func ExampleDeployment() {
	d := appsv1.Deployment{
		TypeMeta:   meta.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: meta.ObjectMeta{Name: "web", Generation: 2},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(int32(3)),
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Strategy: appsv1.DeploymentStrategy{
				Type:          appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: ptr(intstr.FromString("25%"))},
			},
		},
	}
	// A controller works on a copy of the cached object and reports the generation it saw.
	next := d.DeepCopy()
	next.Status = appsv1.DeploymentStatus{ObservedGeneration: next.Generation, Replicas: 3}
	next.Status.Conditions = append(next.Status.Conditions, appsv1.DeploymentCondition{
		Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue,
	})
	out, _ := json.Marshal(next.Spec.Strategy)
	fmt.Println(string(out))
	fmt.Println(d.Status.ObservedGeneration, next.Status.ObservedGeneration, len(d.Status.Conditions))
	// Output:
	// {"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}
	// 0 2 0
}
