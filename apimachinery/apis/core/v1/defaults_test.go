package v1_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// quantityCmp compares quantities by value, as Kubernetes' semantic equality does.
var quantityCmp = cmp.Comparer(func(a, b resource.Quantity) bool { return a.Cmp(b) == 0 })

func TestDefaultPullPolicy(t *testing.T) {
	tests := []struct {
		image string
		want  corev1.PullPolicy
	}{
		{"nginx", corev1.PullAlways},
		{"nginx:latest", corev1.PullAlways},
		{"nginx:1.27", corev1.PullIfNotPresent},
		{"registry:5000/team/app", corev1.PullAlways},
		{"registry:5000/team/app:v2", corev1.PullIfNotPresent},
		{"nginx@sha256:0123456789abcdef", corev1.PullIfNotPresent},
		{"nginx:latest@sha256:0123456789abcdef", corev1.PullIfNotPresent},
	}
	for _, tt := range tests {
		t.Run(tt.image, func(t *testing.T) {
			if got := corev1.DefaultPullPolicy(tt.image); got != tt.want {
				t.Errorf("DefaultPullPolicy(%q) = %q, want %q", tt.image, got, tt.want)
			}
		})
	}
}

func TestDefaultPod(t *testing.T) {
	in := &corev1.Pod{Spec: corev1.PodSpec{
		Volumes: []corev1.Volume{{Name: "v"}, {Name: "s", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "x"}}}},
		Containers: []corev1.Container{{
			Name: "app", Image: "nginx",
			Ports: []corev1.ContainerPort{{ContainerPort: 80}},
			Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("1Gi"),
			}, Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m")}},
			LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromInt32(80)}}},
			Env:           []corev1.EnvVar{{Name: "POD", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}}},
		}},
	}}
	want := &corev1.Pod{Spec: corev1.PodSpec{
		Volumes: []corev1.Volume{
			{Name: "v", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
			{Name: "s", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "x", DefaultMode: p32(0o644)}}},
		},
		Containers: []corev1.Container{{
			Name: "app", Image: "nginx",
			Ports: []corev1.ContainerPort{{ContainerPort: 80, Protocol: corev1.ProtocolTCP}},
			Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("1Gi"),
			}, Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("1Gi")}},
			LivenessProbe: &corev1.Probe{
				ProbeHandler:   corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(80), Scheme: corev1.URISchemeHTTP}},
				TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3,
			},
			Env:                      []corev1.EnvVar{{Name: "POD", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}}},
			TerminationMessagePath:   "/dev/termination-log",
			TerminationMessagePolicy: corev1.TerminationMessageReadFile,
			ImagePullPolicy:          corev1.PullAlways,
		}},
		RestartPolicy:                 corev1.RestartPolicyAlways,
		TerminationGracePeriodSeconds: p64(30),
		DNSPolicy:                     corev1.DNSClusterFirst,
		SecurityContext:               &corev1.PodSecurityContext{},
		SchedulerName:                 "default-scheduler",
		EnableServiceLinks:            p0(true),
	}}
	got := in.DeepCopy()
	corev1.DefaultPod(got)
	if diff := cmp.Diff(want, got, quantityCmp); diff != "" {
		t.Errorf("DefaultPod (-want +got):\n%s", diff)
	}
	again := got.DeepCopy()
	corev1.DefaultPod(again)
	if diff := cmp.Diff(got, again, quantityCmp); diff != "" {
		t.Errorf("defaulting twice differs from once (-once +twice):\n%s", diff)
	}
	// Explicit values survive.
	set := in.DeepCopy()
	set.Spec.RestartPolicy = corev1.RestartPolicyNever
	set.Spec.Containers[0].ImagePullPolicy = corev1.PullNever
	set.Spec.TerminationGracePeriodSeconds = p64(0)
	corev1.DefaultPod(set)
	if set.Spec.RestartPolicy != corev1.RestartPolicyNever || set.Spec.Containers[0].ImagePullPolicy != corev1.PullNever || *set.Spec.TerminationGracePeriodSeconds != 0 {
		t.Errorf("explicit values overwritten: %+v", set.Spec)
	}
	// Projected tokens get an expiry and downward API references an apiVersion; host network
	// pods get host ports.
	hn := &corev1.Pod{Spec: corev1.PodSpec{
		HostNetwork: true,
		Containers:  []corev1.Container{{Name: "c", Image: "i:1", Ports: []corev1.ContainerPort{{ContainerPort: 53}, {ContainerPort: 80, HostPort: 8080}}}},
		Volumes: []corev1.Volume{{Name: "t", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token"}},
			{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{{Path: "ns", FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}}}},
		}}}}},
	}}
	tmplHN := &corev1.PodTemplateSpec{Spec: *hn.Spec.DeepCopy()}
	corev1.DefaultPod(hn)
	gotPorts := []int32{hn.Spec.Containers[0].Ports[0].HostPort, hn.Spec.Containers[0].Ports[1].HostPort}
	if diff := cmp.Diff([]int32{53, 8080}, gotPorts); diff != "" {
		t.Errorf("host ports (-want +got):\n%s", diff)
	}
	src := hn.Spec.Volumes[0].Projected.Sources
	if e := src[0].ServiceAccountToken.ExpirationSeconds; e == nil || *e != 3600 {
		t.Errorf("token expiry = %v, want 3600", e)
	}
	if v := src[1].DownwardAPI.Items[0].FieldRef.APIVersion; v != "v1" {
		t.Errorf("downward API apiVersion = %q, want v1", v)
	}
	corev1.DefaultPodTemplateSpec(tmplHN)
	if hp := tmplHN.Spec.Containers[0].Ports[0].HostPort; hp != 0 {
		t.Errorf("template host port defaulted to %d; Kubernetes defaults it for pods only", hp)
	}
	// A template does not get requests from limits.
	tmpl := &corev1.PodTemplateSpec{Spec: *in.Spec.DeepCopy()}
	corev1.DefaultPodTemplateSpec(tmpl)
	if _, ok := tmpl.Spec.Containers[0].Resources.Requests[corev1.ResourceMemory]; ok {
		t.Errorf("template requests defaulted from limits")
	}
}

func TestDefaultOthers(t *testing.T) {
	tests := []struct {
		name  string
		in    runtime.Object
		apply func(runtime.Object)
		want  runtime.Object
	}{
		{
			name:  "service",
			in:    &corev1.Service{Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Ports: []corev1.ServicePort{{Port: 80}, {Port: 443, TargetPort: intstr.FromString("tls")}}}},
			apply: func(o runtime.Object) { corev1.DefaultService(o.(*corev1.Service)) },
			want: &corev1.Service{Spec: corev1.ServiceSpec{
				Type:                          corev1.ServiceTypeLoadBalancer,
				Ports:                         []corev1.ServicePort{{Port: 80, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(80)}, {Port: 443, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromString("tls")}},
				SessionAffinity:               corev1.ServiceAffinityNone,
				ExternalTrafficPolicy:         corev1.ServiceExternalTrafficPolicyCluster,
				InternalTrafficPolicy:         p0(corev1.ServiceInternalTrafficPolicyCluster),
				AllocateLoadBalancerNodePorts: p0(true),
			}},
		},
		{
			name:  "service client IP affinity",
			in:    &corev1.Service{Spec: corev1.ServiceSpec{SessionAffinity: corev1.ServiceAffinityClientIP}},
			apply: func(o runtime.Object) { corev1.DefaultService(o.(*corev1.Service)) },
			want: &corev1.Service{Spec: corev1.ServiceSpec{
				Type: corev1.ServiceTypeClusterIP, SessionAffinity: corev1.ServiceAffinityClientIP,
				SessionAffinityConfig: &corev1.SessionAffinityConfig{ClientIP: &corev1.ClientIPConfig{TimeoutSeconds: p32(10800)}},
				InternalTrafficPolicy: p0(corev1.ServiceInternalTrafficPolicyCluster),
			}},
		},
		{
			name:  "namespace",
			in:    &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "shop"}},
			apply: func(o runtime.Object) { corev1.DefaultNamespace(o.(*corev1.Namespace)) },
			want: &corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "shop", Labels: map[string]string{"kubernetes.io/metadata.name": "shop"}},
				Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}},
		},
		{
			name:  "secret",
			in:    &corev1.Secret{},
			apply: func(o runtime.Object) { corev1.DefaultSecret(o.(*corev1.Secret)) },
			want:  &corev1.Secret{Type: corev1.SecretTypeOpaque},
		},
		{
			name:  "pvc",
			in:    &corev1.PersistentVolumeClaim{},
			apply: func(o runtime.Object) { corev1.DefaultPersistentVolumeClaim(o.(*corev1.PersistentVolumeClaim)) },
			want: &corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{VolumeMode: p0(corev1.PersistentVolumeFilesystem)},
				Status: corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimPending}},
		},
		{
			name:  "pv",
			in:    &corev1.PersistentVolume{},
			apply: func(o runtime.Object) { corev1.DefaultPersistentVolume(o.(*corev1.PersistentVolume)) },
			want: &corev1.PersistentVolume{Spec: corev1.PersistentVolumeSpec{VolumeMode: p0(corev1.PersistentVolumeFilesystem), PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain},
				Status: corev1.PersistentVolumeStatus{Phase: corev1.VolumePending}},
		},
		{
			name:  "node allocatable from capacity",
			in:    &corev1.Node{Status: corev1.NodeStatus{Capacity: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4")}}},
			apply: func(o runtime.Object) { corev1.DefaultNode(o.(*corev1.Node)) },
			want: &corev1.Node{Status: corev1.NodeStatus{Capacity: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4")},
				Allocatable: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("4")}}},
		},
		{
			name:  "endpoints",
			in:    &corev1.Endpoints{Subsets: []corev1.EndpointSubset{{Ports: []corev1.EndpointPort{{Port: 80}}}}},
			apply: func(o runtime.Object) { corev1.DefaultEndpoints(o.(*corev1.Endpoints)) },
			want:  &corev1.Endpoints{Subsets: []corev1.EndpointSubset{{Ports: []corev1.EndpointPort{{Port: 80, Protocol: corev1.ProtocolTCP}}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.DeepCopyObject()
			tt.apply(got)
			if diff := cmp.Diff(tt.want, got, quantityCmp); diff != "" {
				t.Errorf("defaults (-want +got):\n%s", diff)
			}
			again := got.DeepCopyObject()
			tt.apply(again)
			if diff := cmp.Diff(got, again, quantityCmp); diff != "" {
				t.Errorf("not idempotent (-once +twice):\n%s", diff)
			}
		})
	}
}

func TestDefaultReplicationController(t *testing.T) {
	rc := &corev1.ReplicationController{Spec: corev1.ReplicationControllerSpec{Template: &corev1.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "x"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "i:1"}}},
	}}}
	corev1.DefaultReplicationController(rc)
	if *rc.Spec.Replicas != 1 || rc.Spec.Selector["app"] != "x" || rc.Labels["app"] != "x" || rc.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		t.Errorf("defaulted rc = %+v", rc)
	}
	// The copied maps are independent of the template's.
	rc.Spec.Template.Labels["app"] = "y"
	if rc.Spec.Selector["app"] != "x" {
		t.Errorf("selector shares the template's label map")
	}
}

func TestRegisterDefaults(t *testing.T) {
	s := runtime.NewScheme()
	if err := corev1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	if err := corev1.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "i:1"}}}}
	if !s.Default(pod) {
		t.Fatal("Default reported no defaulting funcs for Pod")
	}
	if pod.Spec.RestartPolicy != corev1.RestartPolicyAlways || pod.Spec.Containers[0].ImagePullPolicy != corev1.PullIfNotPresent {
		t.Errorf("scheme defaulting did not run: %+v", pod.Spec)
	}
	list := &corev1.ServiceList{Items: []corev1.Service{{}, {}}}
	s.Default(list)
	for i, it := range list.Items {
		if it.Spec.Type != corev1.ServiceTypeClusterIP {
			t.Errorf("list item %d not defaulted: %+v", i, it.Spec)
		}
	}
}
