package patch_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/patch"
)

// Strategic merge patches against the real built-in types and their tags.

const realPod = `{
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}, "finalizers": ["example.com/a"]},
  "spec": {
    "containers": [
      {"name": "nginx", "image": "nginx:1.27",
       "ports": [{"containerPort": 80, "protocol": "TCP"}],
       "env": [{"name": "MODE", "value": "prod"}],
       "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
      {"name": "log", "image": "busybox", "args": ["tail", "-f", "/data/log"]}
    ],
    "volumes": [{"name": "data", "emptyDir": {}}],
    "tolerations": [{"key": "a", "operator": "Exists"}],
    "nodeSelector": {"disk": "ssd"}
  }
}`

func decodePod(t *testing.T, b []byte) *corev1.Pod {
	t.Helper()
	var p corev1.Pod
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("result does not decode as a Pod: %v\n%s", err, b)
	}
	return &p
}

func TestStrategicMergePatchRealPod(t *testing.T) {
	tests := []struct {
		name  string
		patch string
		check func(t *testing.T, p *corev1.Pod)
	}{
		{"image of one container, env merged, port added", `{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28",
			"env":[{"name":"DEBUG","value":"1"}],"ports":[{"containerPort":443}]}]}}`,
			func(t *testing.T, p *corev1.Pod) {
				c := p.Spec.Containers
				if len(c) != 2 || c[0].Name != "nginx" || c[0].Image != "nginx:1.28" || c[1].Image != "busybox" {
					t.Fatalf("containers %+v", c)
				}
				// Without $setElementOrder, new elements of the patch come first, as in Kubernetes.
				if d := cmp.Diff([]string{"DEBUG", "MODE"}, []string{c[0].Env[0].Name, c[0].Env[1].Name}); d != "" {
					t.Errorf("env (-want +got):\n%s", d)
				}
				if len(c[0].Ports) != 2 || c[0].Ports[0].ContainerPort != 443 || c[0].Ports[1].ContainerPort != 80 || c[0].Ports[1].Protocol != "TCP" {
					t.Errorf("ports %+v", c[0].Ports)
				}
			}},
		{"delete a container and a finalizer, replace tolerations", `{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a"]},
			"spec":{"containers":[{"name":"log","$patch":"delete"}],"tolerations":[{"key":"b","operator":"Exists"}]}}`,
			func(t *testing.T, p *corev1.Pod) {
				if len(p.Spec.Containers) != 1 || p.Spec.Containers[0].Name != "nginx" {
					t.Errorf("containers %+v", p.Spec.Containers)
				}
				if len(p.Finalizers) != 0 {
					t.Errorf("finalizers %v", p.Finalizers)
				}
				if len(p.Spec.Tolerations) != 1 || p.Spec.Tolerations[0].Key != "b" {
					t.Errorf("tolerations %+v", p.Spec.Tolerations)
				}
			}},
		{"volume source switched with $retainKeys", `{"spec":{"volumes":[{"name":"data","$retainKeys":["name","hostPath"],"hostPath":{"path":"/srv"}}]}}`,
			func(t *testing.T, p *corev1.Pod) {
				v := p.Spec.Volumes
				if len(v) != 1 || v[0].EmptyDir != nil || v[0].HostPath == nil || v[0].HostPath.Path != "/srv" {
					t.Errorf("volumes %+v", v)
				}
			}},
		{"$setElementOrder swaps containers", `{"spec":{"$setElementOrder/containers":[{"name":"log"},{"name":"nginx"}]}}`,
			func(t *testing.T, p *corev1.Pod) {
				if p.Spec.Containers[0].Name != "log" || p.Spec.Containers[1].Name != "nginx" {
					t.Errorf("order %s, %s", p.Spec.Containers[0].Name, p.Spec.Containers[1].Name)
				}
			}},
		{"volume mounts merged by mountPath", `{"spec":{"containers":[{"name":"nginx","volumeMounts":[{"name":"data","mountPath":"/data","readOnly":true},{"name":"cfg","mountPath":"/etc/cfg"}]}]}}`,
			func(t *testing.T, p *corev1.Pod) {
				m := p.Spec.Containers[0].VolumeMounts
				if len(m) != 2 || !m[0].ReadOnly || m[1].MountPath != "/etc/cfg" {
					t.Errorf("mounts %+v", m)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := patch.StrategicMergePatch([]byte(realPod), []byte(tt.patch), &corev1.Pod{})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, decodePod(t, out))
		})
	}
}

// The example of Kubernetes' "Update API Objects in Place Using kubectl patch" task: a patch that
// names a new container adds it (before the existing one), while a toleration list, which has
// no merge strategy, is replaced; the same change as a merge patch replaces the containers.
func TestKubectlPatchDocsExample(t *testing.T) {
	deploy := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"patch-demo"},
	  "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
	    "template":{"metadata":{"labels":{"app":"nginx"}},
	      "spec":{"containers":[{"name":"patch-demo-ctr","image":"nginx"}],"tolerations":[{"effect":"NoSchedule","key":"dedicated","value":"test-team"}]}}}}`
	p := `{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}],"tolerations":[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]}}}}`
	out, err := patch.StrategicMergePatch([]byte(deploy), []byte(p), &appsv1.Deployment{})
	if err != nil {
		t.Fatal(err)
	}
	var d appsv1.Deployment
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range d.Spec.Template.Spec.Containers {
		names = append(names, c.Name+"="+c.Image)
	}
	if diff := cmp.Diff([]string{"patch-demo-ctr-2=redis", "patch-demo-ctr=nginx"}, names); diff != "" {
		t.Errorf("containers (-want +got):\n%s", diff)
	}
	if tl := d.Spec.Template.Spec.Tolerations; len(tl) != 1 || tl[0].Key != "disktype" {
		t.Errorf("tolerations %+v", tl)
	}

	merged, err := patch.MergePatch([]byte(deploy), []byte(`{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-3","image":"gcr.io/google-samples/hello-app:2.0"}]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	var m appsv1.Deployment
	if err := json.Unmarshal(merged, &m); err != nil {
		t.Fatal(err)
	}
	if c := m.Spec.Template.Spec.Containers; len(c) != 1 || c[0].Name != "patch-demo-ctr-3" {
		t.Errorf("merge patch containers %+v", c)
	}
}

func TestDeploymentStrategyRetainKeys(t *testing.T) {
	orig := `{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},"template":{"spec":{"containers":[]}}}}`
	mod := `{"spec":{"strategy":{"type":"Recreate"},"template":{"spec":{"containers":[]}}}}`
	p, err := patch.CreateTwoWayMergePatch([]byte(orig), []byte(mod), &appsv1.Deployment{})
	if err != nil {
		t.Fatal(err)
	}
	var pm map[string]any
	if err := json.Unmarshal(p, &pm); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"spec": map[string]any{"strategy": map[string]any{
		"$retainKeys": []any{"type"}, "type": "Recreate", "rollingUpdate": nil}}}
	if d := cmp.Diff(want, pm); d != "" {
		t.Errorf("patch (-want +got):\n%s", d)
	}
	out, err := patch.StrategicMergePatch([]byte(orig), p, &appsv1.Deployment{})
	if err != nil {
		t.Fatal(err)
	}
	var d appsv1.Deployment
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	if d.Spec.Strategy.Type != "Recreate" || d.Spec.Strategy.RollingUpdate != nil {
		t.Errorf("strategy %+v", d.Spec.Strategy)
	}
}

// A controller's round trip: typed objects, encoded, diffed, patched, decoded.
func TestCreateTwoWayMergePatchRealPod(t *testing.T) {
	before := decodePod(t, []byte(realPod))
	after := before.DeepCopy()
	after.Spec.Containers[0].Image = "nginx:1.29"
	after.Spec.Containers = append([]corev1.Container{{Name: "init-like", Image: "alpine"}}, after.Spec.Containers...)
	after.Spec.Containers[2].Args = nil
	after.Finalizers = append(after.Finalizers, "example.com/b")
	after.Labels["tier"] = "fe"
	ob, _ := json.Marshal(before)
	mb, _ := json.Marshal(after)
	p, err := patch.CreateTwoWayMergePatch(ob, mb, &corev1.Pod{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := patch.StrategicMergePatch(ob, p, &corev1.Pod{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(after, decodePod(t, out)); d != "" {
		t.Errorf("round trip via %s (-want +got):\n%s", p, d)
	}
}

func TestApplyDispatch(t *testing.T) {
	doc := []byte(`{"metadata":{"finalizers":["a"]}}`)
	tests := []struct {
		typ        patch.Type
		body, want string
	}{
		{patch.JSONPatchType, `[{"op":"add","path":"/metadata/finalizers/-","value":"b"}]`, `{"metadata":{"finalizers":["a","b"]}}`},
		{patch.MergePatchType, `{"metadata":{"finalizers":["b"]}}`, `{"metadata":{"finalizers":["b"]}}`},
		{patch.StrategicMergePatchType, `{"metadata":{"finalizers":["b"]}}`, `{"metadata":{"finalizers":["b","a"]}}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			out, err := patch.Apply(tt.typ, doc, []byte(tt.body), &corev1.Pod{})
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("got %s, want %s", out, tt.want)
			}
		})
	}
	if _, err := patch.Apply("application/apply-patch+yaml", doc, nil, nil); err == nil {
		t.Error("unsupported type accepted")
	}
}
