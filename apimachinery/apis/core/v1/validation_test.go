package v1_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
	"github.com/cellkit/cellkit/internal/apitest"
)

// fe is the part of a field error the tests compare: its type and path.
type fe struct {
	Type  field.ErrorType
	Field string
}

func summarize(errs field.ErrorList) []fe {
	out := make([]fe, 0, len(errs))
	for _, e := range errs {
		out = append(out, fe{e.Type, e.Field})
	}
	return out
}

func req(f string) fe    { return fe{field.ErrorTypeRequired, f} }
func inv(f string) fe    { return fe{field.ErrorTypeInvalid, f} }
func dup(f string) fe    { return fe{field.ErrorTypeDuplicate, f} }
func nsup(f string) fe   { return fe{field.ErrorTypeNotSupported, f} }
func forb(f string) fe   { return fe{field.ErrorTypeForbidden, f} }
func nfound(f string) fe { return fe{field.ErrorTypeNotFound, f} }

func p[T any](v T) *T { return &v }

// validPod is a minimal pod after defaulting.
func validPod() *corev1.Pod {
	pod := &corev1.Pod{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default", Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{
			Volumes: []corev1.Volume{{Name: "data"}},
			Containers: []corev1.Container{{
				Name:         "app",
				Image:        "nginx:1.27",
				Ports:        []corev1.ContainerPort{{Name: "http", ContainerPort: 80}},
				Env:          []corev1.EnvVar{{Name: "MODE", Value: "prod"}},
				VolumeMounts: []corev1.VolumeMount{{Name: "data", MountPath: "/data"}},
				Resources: corev1.ResourceRequirements{
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")},
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")},
				},
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromString("http")}}},
			}},
		},
	}
	corev1.DefaultPod(pod)
	return pod
}

func TestValidatePod(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*corev1.Pod)
		want   []fe
	}{
		{name: "valid", mutate: func(*corev1.Pod) {}},
		{name: "missing namespace and bad name", mutate: func(p *corev1.Pod) { p.Name, p.Namespace = "Web_1", "" },
			want: []fe{inv("metadata.name"), req("metadata.namespace")}},
		{name: "no containers", mutate: func(p *corev1.Pod) { p.Spec.Containers = nil },
			want: []fe{req("spec.containers")}},
		{name: "image required", mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Image = "" },
			want: []fe{req("spec.containers[0].image")}},
		{name: "container names unique across init and regular", mutate: func(p *corev1.Pod) {
			c := p.Spec.Containers[0]
			c.Ports, c.ReadinessProbe = nil, nil
			p.Spec.InitContainers = []corev1.Container{c}
		}, want: []fe{dup("spec.containers[0].name")}},
		{name: "container name not a DNS label", mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Name = "App" },
			want: []fe{inv("spec.containers[0].name")}},
		{name: "port out of range, bad protocol, duplicate name", mutate: func(p *corev1.Pod) {
			p.Spec.Containers[0].Ports = append(p.Spec.Containers[0].Ports,
				corev1.ContainerPort{Name: "http", ContainerPort: 70000, Protocol: "HTTP"})
		}, want: []fe{dup("spec.containers[0].ports[1].name"), inv("spec.containers[0].ports[1].containerPort"), nsup("spec.containers[0].ports[1].protocol")}},
		{name: "env var name", mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Env[0].Name = "1=bad" },
			want: []fe{inv("spec.containers[0].env[0].name")}},
		{name: "env value and valueFrom", mutate: func(p *corev1.Pod) {
			p.Spec.Containers[0].Env[0].ValueFrom = &corev1.EnvVarSource{}
		}, want: []fe{inv("spec.containers[0].env[0].valueFrom"), inv("spec.containers[0].env[0].valueFrom")}},
		{name: "volume mount of unknown volume", mutate: func(p *corev1.Pod) { p.Spec.Containers[0].VolumeMounts[0].Name = "cache" },
			want: []fe{nfound("spec.containers[0].volumeMounts[0].name")}},
		{name: "duplicate volume and two sources", mutate: func(p *corev1.Pod) {
			p.Spec.Volumes = append(p.Spec.Volumes, corev1.Volume{Name: "data", VolumeSource: corev1.VolumeSource{
				EmptyDir: &corev1.EmptyDirVolumeSource{}, HostPath: &corev1.HostPathVolumeSource{Path: "/x"},
			}})
		}, want: []fe{dup("spec.volumes[1].name"), forb("spec.volumes[1].emptyDir")}},
		{name: "volume without source", mutate: func(p *corev1.Pod) { p.Spec.Volumes[0].EmptyDir = nil },
			want: []fe{req("spec.volumes[0]")}},
		{name: "negative quantity and request above limit", mutate: func(p *corev1.Pod) {
			r := &p.Spec.Containers[0].Resources
			r.Requests[corev1.ResourceCPU] = resource.MustParse("2")
			r.Limits[corev1.ResourceMemory] = resource.MustParse("-1Gi")
		}, want: []fe{inv("spec.containers[0].resources.limits[memory]"), inv("spec.containers[0].resources.requests[cpu]")}},
		{name: "restart policy", mutate: func(p *corev1.Pod) { p.Spec.RestartPolicy = "Sometimes" },
			want: []fe{nsup("spec.restartPolicy")}},
		{name: "probe without handler and negative period", mutate: func(p *corev1.Pod) {
			p.Spec.Containers[0].LivenessProbe = &corev1.Probe{PeriodSeconds: -1, SuccessThreshold: 2}
		}, want: []fe{req("spec.containers[0].livenessProbe"), inv("spec.containers[0].livenessProbe.periodSeconds"), inv("spec.containers[0].livenessProbe.successThreshold")}},
		{name: "probe with two handlers", mutate: func(p *corev1.Pod) {
			p.Spec.Containers[0].ReadinessProbe.TCPSocket = &corev1.TCPSocketAction{Port: intstr.FromInt32(80)}
		}, want: []fe{forb("spec.containers[0].readinessProbe.tcpSocket")}},
		{name: "tolerations", mutate: func(p *corev1.Pod) {
			p.Spec.Tolerations = []corev1.Toleration{
				{Key: "a", Operator: corev1.TolerationOpExists, Value: "x"},
				{Operator: corev1.TolerationOpEqual},
				{Key: "b", Operator: "Like", Effect: "Sometimes"},
				{Key: "c", Effect: corev1.TaintEffectNoSchedule, TolerationSeconds: p64(5)},
			}
		}, want: []fe{
			inv("spec.tolerations[0].operator"),
			inv("spec.tolerations[1].operator"),
			nsup("spec.tolerations[2].operator"), nsup("spec.tolerations[2].effect"),
			inv("spec.tolerations[3].effect"),
		}},
		{name: "topology spread", mutate: func(p *corev1.Pod) {
			c := corev1.TopologySpreadConstraint{MaxSkew: 0, TopologyKey: "zone", WhenUnsatisfiable: corev1.ScheduleAnyway, MinDomains: p32(2)}
			p.Spec.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{c, c}
		}, want: []fe{
			inv("spec.topologySpreadConstraints[0].maxSkew"), inv("spec.topologySpreadConstraints[0].minDomains"),
			inv("spec.topologySpreadConstraints[1].maxSkew"), dup("spec.topologySpreadConstraints[1]"), inv("spec.topologySpreadConstraints[1].minDomains"),
		}},
		{name: "affinity terms", mutate: func(p *corev1.Pod) {
			p.Spec.Affinity = &corev1.Affinity{
				NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{}},
				PodAntiAffinity: &corev1.PodAntiAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{{
					LabelSelector: &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "app", Operator: meta.LabelSelectorOpIn}}},
				}}},
			}
		}, want: []fe{
			req("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"),
			req("spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values"),
			req("spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey"),
		}},
		{name: "sidecar restart policy only on init containers", mutate: func(p *corev1.Pod) {
			p.Spec.Containers[0].RestartPolicy = p0(corev1.ContainerRestartPolicyAlways)
		}, want: []fe{forb("spec.containers[0].restartPolicy")}},
		{name: "host network port mismatch and host port clash", mutate: func(p *corev1.Pod) {
			p.Spec.HostNetwork = true
			p.Spec.Containers[0].Ports = []corev1.ContainerPort{
				{ContainerPort: 80, HostPort: 8080, Protocol: corev1.ProtocolTCP},
				{ContainerPort: 8080, HostPort: 8080, Protocol: corev1.ProtocolTCP},
			}
			p.Spec.Containers[0].ReadinessProbe = nil
		}, want: []fe{inv("spec.containers[0].ports[0].hostPort"), dup("spec.containers[0].ports[1].hostPort")}},
		{name: "undefaulted pod", mutate: func(p *corev1.Pod) {
			p.Spec.RestartPolicy, p.Spec.DNSPolicy, p.Spec.Containers[0].ImagePullPolicy = "", "", ""
		}, want: []fe{req("spec.containers[0].imagePullPolicy"), req("spec.restartPolicy"), req("spec.dnsPolicy")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := validPod()
			tt.mutate(pod)
			got := summarize(corev1.ValidatePod(pod))
			if diff := cmp.Diff(tt.want, got, cmp.Transformer("nil", func(s []fe) []fe {
				if len(s) == 0 {
					return nil
				}
				return s
			})); diff != "" {
				t.Errorf("ValidatePod (-want +got):\n%s\n%v", diff, corev1.ValidatePod(pod))
			}
		})
	}
}

func p64(v int64) *int64 { return &v }
func p32(v int32) *int32 { return &v }
func p0[T any](v T) *T   { return &v }

var emptyNil = cmp.Transformer("emptyNil", func(s []fe) []fe {
	if len(s) == 0 {
		return nil
	}
	return s
})

func TestValidateMessages(t *testing.T) {
	pod := validPod()
	pod.Spec.Containers[0].Image = ""
	pod.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU] = resource.MustParse("2")
	var got []string
	for _, e := range corev1.ValidatePod(pod) {
		got = append(got, e.Error())
	}
	want := []string{
		"spec.containers[0].image: Required value",
		`spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	// The list works with errors.Is through its aggregate.
	agg := corev1.ValidatePod(pod).ToAggregate()
	if !errors.Is(agg, &field.Error{Type: field.ErrorTypeRequired}) {
		t.Errorf("errors.Is(%v, Required) = false", agg)
	}
}

func TestValidatePodCreate(t *testing.T) {
	pod := validPod()
	if errs := corev1.ValidatePodCreate(pod); len(errs) > 0 {
		t.Fatalf("valid pod: %v", errs)
	}
	pod.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
		Name: "debug", Image: "busybox", ImagePullPolicy: corev1.PullAlways, TerminationMessagePolicy: corev1.TerminationMessageReadFile,
	}}}
	if errs := corev1.ValidatePod(pod); len(errs) > 0 {
		t.Errorf("ValidatePod with an ephemeral container: %v", errs)
	}
	if diff := cmp.Diff([]fe{forb("spec.ephemeralContainers")}, summarize(corev1.ValidatePodCreate(pod))); diff != "" {
		t.Errorf("ValidatePodCreate (-want +got):\n%s", diff)
	}
}

func TestValidatePodUpdate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*corev1.Pod)
		want   []fe
	}{
		{name: "image change allowed", mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Image = "nginx:1.28" }},
		{name: "add toleration allowed", mutate: func(p *corev1.Pod) {
			p.Spec.Tolerations = append(p.Spec.Tolerations, corev1.Toleration{Key: "k", Operator: corev1.TolerationOpExists})
		}},
		{name: "lower deadline allowed", mutate: func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = p64(50) }},
		{name: "raise deadline rejected", mutate: func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = p64(500) },
			want: []fe{inv("spec.activeDeadlineSeconds")}},
		{name: "remove toleration rejected", mutate: func(p *corev1.Pod) { p.Spec.Tolerations = nil },
			want: []fe{forb("spec.tolerations[0]")}},
		{name: "other spec change rejected", mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Env = nil },
			want: []fe{forb("spec")}},
		{name: "same quantity written differently allowed", mutate: func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources.Limits[corev1.ResourceCPU] = resource.MustParse("1000m")
		}},
		{name: "quantity change rejected", mutate: func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources.Limits[corev1.ResourceCPU] = resource.MustParse("2")
		}, want: []fe{forb("spec")}},
		{name: "name change rejected", mutate: func(p *corev1.Pod) { p.Name = "other" },
			want: []fe{inv("metadata.name")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validPod()
			old.ResourceVersion = "1"
			old.Spec.ActiveDeadlineSeconds = p64(100)
			old.Spec.Tolerations = []corev1.Toleration{{Key: "a", Operator: corev1.TolerationOpExists}}
			n := old.DeepCopy()
			tt.mutate(n)
			if diff := cmp.Diff(tt.want, summarize(corev1.ValidatePodUpdate(n, old)), emptyNil); diff != "" {
				t.Errorf("ValidatePodUpdate (-want +got):\n%s", diff)
			}
		})
	}
}

func validService() *corev1.Service {
	s := &corev1.Service{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": "web"},
			Ports:    []corev1.ServicePort{{Name: "http", Port: 80}, {Name: "https", Port: 443, TargetPort: intstr.FromString("tls")}},
		},
	}
	corev1.DefaultService(s)
	return s
}

func TestValidateService(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*corev1.Service)
		want   []fe
	}{
		{name: "valid", mutate: func(*corev1.Service) {}},
		{name: "name must be a DNS-1035 label", mutate: func(s *corev1.Service) { s.Name = "1web" }, want: []fe{inv("metadata.name")}},
		{name: "ports required", mutate: func(s *corev1.Service) { s.Spec.Ports = nil }, want: []fe{req("spec.ports")}},
		{name: "duplicate name and port", mutate: func(s *corev1.Service) {
			s.Spec.Ports[1].Name, s.Spec.Ports[1].Port = "http", 80
		}, want: []fe{dup("spec.ports[1].name"), dup("spec.ports[1]")}},
		{name: "unnamed port among several", mutate: func(s *corev1.Service) { s.Spec.Ports[1].Name = "" }, want: []fe{req("spec.ports[1].name")}},
		{name: "bad target port and type", mutate: func(s *corev1.Service) {
			s.Spec.Ports[0].TargetPort = intstr.FromInt32(0)
			s.Spec.Type = "Internal"
		}, want: []fe{nsup("spec.type"), inv("spec.ports[0].targetPort")}},
		{name: "node port on ClusterIP", mutate: func(s *corev1.Service) { s.Spec.Ports[0].NodePort = 30080 }, want: []fe{forb("spec.ports[0].nodePort")}},
		{name: "selector labels", mutate: func(s *corev1.Service) { s.Spec.Selector = map[string]string{"app": "bad value"} }, want: []fe{inv("spec.selector")}},
		{name: "external name", mutate: func(s *corev1.Service) {
			s.Spec = corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ClusterIP: "10.0.0.1", SessionAffinity: corev1.ServiceAffinityNone}
		}, want: []fe{forb("spec.clusterIP"), req("spec.externalName")}},
		{name: "bad cluster IP", mutate: func(s *corev1.Service) { s.Spec.ClusterIP = "10.0.0.300" }, want: []fe{inv("spec.clusterIP")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validService()
			tt.mutate(s)
			if diff := cmp.Diff(tt.want, summarize(corev1.ValidateService(s)), emptyNil); diff != "" {
				t.Errorf("ValidateService (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateServiceUpdate(t *testing.T) {
	old := validService()
	old.ResourceVersion = "1"
	old.Spec.ClusterIP = "10.0.0.10"
	n := old.DeepCopy()
	n.Spec.ClusterIP = "10.0.0.11"
	if diff := cmp.Diff([]fe{inv("spec.clusterIP")}, summarize(corev1.ValidateServiceUpdate(n, old))); diff != "" {
		t.Errorf("cluster IP change (-want +got):\n%s", diff)
	}
	n = old.DeepCopy()
	n.Spec.Selector["tier"] = "front"
	if errs := corev1.ValidateServiceUpdate(n, old); len(errs) != 0 {
		t.Errorf("selector change: %v", errs)
	}
}

func TestValidateOtherKinds(t *testing.T) {
	tests := []struct {
		name string
		errs field.ErrorList
		want []fe
	}{
		{name: "namespace valid", errs: corev1.ValidateNamespace(&corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "shop"}})},
		{name: "namespace not namespaced, DNS label", errs: corev1.ValidateNamespace(&corev1.Namespace{ObjectMeta: meta.ObjectMeta{Name: "a.b", Namespace: "x"}}),
			want: []fe{inv("metadata.name"), forb("metadata.namespace")}},
		{name: "configmap key and duplicate", errs: corev1.ValidateConfigMap(&corev1.ConfigMap{
			ObjectMeta: meta.ObjectMeta{Name: "c", Namespace: "d"},
			Data:       map[string]string{"a b": "x", "k": "1"}, BinaryData: map[string][]byte{"k": nil},
		}), want: []fe{inv("data[a b]"), inv("data[k]")}},
		{name: "tls secret needs keys", errs: corev1.ValidateSecret(&corev1.Secret{
			ObjectMeta: meta.ObjectMeta{Name: "s", Namespace: "d"}, Type: corev1.SecretTypeTLS,
			Data: map[string][]byte{"tls.crt": []byte("x")},
		}), want: []fe{req("data[tls.key]")}},
		{name: "node taints", errs: corev1.ValidateNode(&corev1.Node{
			ObjectMeta: meta.ObjectMeta{Name: "n1"},
			Spec: corev1.NodeSpec{Taints: []corev1.Taint{
				{Key: "k", Effect: corev1.TaintEffectNoSchedule}, {Key: "k", Effect: corev1.TaintEffectNoSchedule}, {Key: "j"},
			}},
		}), want: []fe{dup("spec.taints[1]"), req("spec.taints[2].effect")}},
		{name: "pvc needs access modes and storage", errs: corev1.ValidatePersistentVolumeClaim(&corev1.PersistentVolumeClaim{
			ObjectMeta: meta.ObjectMeta{Name: "c", Namespace: "d"},
			Spec:       corev1.PersistentVolumeClaimSpec{VolumeMode: p0(corev1.PersistentVolumeMode("Raw"))},
		}), want: []fe{req("spec.accessModes"), req("spec.resources.requests[storage]"), nsup("spec.volumeMode")}},
		{name: "pv needs one source", errs: corev1.ValidatePersistentVolume(&corev1.PersistentVolume{
			ObjectMeta: meta.ObjectMeta{Name: "v"},
			Spec: corev1.PersistentVolumeSpec{
				Capacity:                      corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")},
				AccessModes:                   []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimRetain,
			},
		}), want: []fe{req("spec")}},
		{name: "rc selector must match template", errs: corev1.ValidateReplicationController(func() *corev1.ReplicationController {
			rc := &corev1.ReplicationController{
				ObjectMeta: meta.ObjectMeta{Name: "rc", Namespace: "d"},
				Spec: corev1.ReplicationControllerSpec{
					Replicas: p32(-1), Selector: map[string]string{"app": "x"},
					Template: &corev1.PodTemplateSpec{ObjectMeta: validPod().ObjectMeta, Spec: validPod().Spec},
				},
			}
			rc.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
			return rc
		}()), want: []fe{inv("spec.replicas"), inv("spec.template.metadata.labels"), nsup("spec.template.spec.restartPolicy")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarize(tt.errs), emptyNil); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, tt.errs)
			}
		})
	}
}

func TestImmutableConfigMapAndSecret(t *testing.T) {
	old := &corev1.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "c", Namespace: "d", ResourceVersion: "1"}, Immutable: p0(true), Data: map[string]string{"a": "1"}}
	n := old.DeepCopy()
	n.Data["a"] = "2"
	n.Immutable = nil
	if diff := cmp.Diff([]fe{forb("immutable"), forb("data")}, summarize(corev1.ValidateConfigMapUpdate(n, old))); diff != "" {
		t.Errorf("configmap (-want +got):\n%s", diff)
	}
	olds := &corev1.Secret{ObjectMeta: meta.ObjectMeta{Name: "s", Namespace: "d", ResourceVersion: "1"}, Type: corev1.SecretTypeOpaque}
	ns := olds.DeepCopy()
	ns.Type = corev1.SecretTypeBasicAuth
	ns.Data = map[string][]byte{"username": []byte("u")}
	if diff := cmp.Diff([]fe{inv("type")}, summarize(corev1.ValidateSecretUpdate(ns, olds))); diff != "" {
		t.Errorf("secret (-want +got):\n%s", diff)
	}
}

// decodeAny decodes a manifest document into the typed object of its kind, defaults it,
// puts namespaced objects into "default" when they name no namespace (as the API server does
// from the request path) and validates it. It returns ok=false for kinds this test does not
// validate.
func validateDocument(t *testing.T, kind string, data []byte) (field.ErrorList, bool) {
	t.Helper()
	decode := func(obj any) {
		if err := apitest.DecodeStrict(data, obj); err != nil {
			t.Fatalf("decode %s: %v", kind, err)
		}
	}
	ns := func(m *meta.ObjectMeta) {
		if m.Namespace == "" {
			m.Namespace = "default"
		}
	}
	switch kind {
	case "Pod":
		var o corev1.Pod
		decode(&o)
		ns(&o.ObjectMeta)
		corev1.DefaultPod(&o)
		return corev1.ValidatePod(&o), true
	case "Service":
		var o corev1.Service
		decode(&o)
		ns(&o.ObjectMeta)
		corev1.DefaultService(&o)
		return corev1.ValidateService(&o), true
	case "ReplicationController":
		var o corev1.ReplicationController
		decode(&o)
		ns(&o.ObjectMeta)
		corev1.DefaultReplicationController(&o)
		return corev1.ValidateReplicationController(&o), true
	case "Namespace":
		var o corev1.Namespace
		decode(&o)
		corev1.DefaultNamespace(&o)
		return corev1.ValidateNamespace(&o), true
	case "ConfigMap":
		var o corev1.ConfigMap
		decode(&o)
		ns(&o.ObjectMeta)
		return corev1.ValidateConfigMap(&o), true
	case "Secret":
		var o corev1.Secret
		decode(&o)
		ns(&o.ObjectMeta)
		corev1.DefaultSecret(&o)
		return corev1.ValidateSecret(&o), true
	case "Node":
		var o corev1.Node
		decode(&o)
		corev1.DefaultNode(&o)
		return corev1.ValidateNode(&o), true
	case "PersistentVolumeClaim":
		var o corev1.PersistentVolumeClaim
		decode(&o)
		ns(&o.ObjectMeta)
		corev1.DefaultPersistentVolumeClaim(&o)
		return corev1.ValidatePersistentVolumeClaim(&o), true
	case "PersistentVolume":
		var o corev1.PersistentVolume
		decode(&o)
		corev1.DefaultPersistentVolume(&o)
		return corev1.ValidatePersistentVolume(&o), true
	}
	return nil, false
}

func TestTestdataValidatesAfterDefaulting(t *testing.T) {
	var files []string
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "fuzz" {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(path); ext == ".json" || ext == ".yaml" || ext == ".yml" {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	checked := 0
	for _, f := range files {
		docs, err := apitest.ReadManifests(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			var head struct {
				APIVersion string `json:"apiVersion"`
			}
			if err := json.Unmarshal(d.JSON, &head); err != nil {
				t.Fatal(err)
			}
			if head.APIVersion != "v1" {
				continue
			}
			errs, ok := validateDocument(t, d.Kind, d.JSON)
			if !ok {
				continue
			}
			checked++
			if len(errs) > 0 {
				t.Errorf("%s document %d (%s): %v", f, d.Index, d.Kind, errs.ToAggregate())
			}
		}
	}
	if checked < 10 {
		t.Errorf("validated %d documents, want at least 10", checked)
	}
	t.Logf("validated %d documents", checked)
}

// The detail of NotSupported lists the supported values as Kubernetes does.
func TestNotSupportedDetail(t *testing.T) {
	pod := validPod()
	pod.Spec.RestartPolicy = "Sometimes"
	errs := corev1.ValidatePod(pod)
	if len(errs) != 1 {
		t.Fatalf("errors = %v", errs)
	}
	want := `spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`
	if got := errs[0].Error(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !strings.Contains(errs[0].Detail, "OnFailure") {
		t.Errorf("detail %q", errs[0].Detail)
	}
}
