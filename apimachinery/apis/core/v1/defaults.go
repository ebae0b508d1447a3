package v1

import (
	"strings"

	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Defaulting: the Default<Kind> functions fill the fields a user may leave out with the values
// the Kubernetes API server would store (facts from the Kubernetes API reference and the
// SetDefaults functions of k8s.io/kubernetes/pkg/apis/core/v1). They only set fields that are
// unset (nil, zero or empty), so applying them twice gives the same object as applying them once.
// They change the object in place and never fail; a nil object is left alone.

// Default values that several defaulting functions share.
const (
	// DefaultTerminationGracePeriodSeconds is the grace period of a pod that sets none.
	DefaultTerminationGracePeriodSeconds int64 = 30
	// DefaultProbeTimeoutSeconds, DefaultProbePeriodSeconds, DefaultProbeSuccessThreshold and
	// DefaultProbeFailureThreshold are the probe settings Kubernetes fills in.
	DefaultProbeTimeoutSeconds   int32 = 1
	DefaultProbePeriodSeconds    int32 = 10
	DefaultProbeSuccessThreshold int32 = 1
	DefaultProbeFailureThreshold int32 = 3
	// DefaultVolumeFileMode is the mode of files projected from secrets, config maps and the
	// downward API (0644).
	DefaultVolumeFileMode int32 = 0o644
	// DefaultClientIPServiceAffinitySeconds is the sticky-session timeout of ClientIP session
	// affinity (3 hours).
	DefaultClientIPServiceAffinitySeconds int32 = 10800
	// DefaultServiceAccountTokenExpirationSeconds is the lifetime requested for a projected
	// service account token that names none (one hour).
	DefaultServiceAccountTokenExpirationSeconds int64 = 3600
	// LabelMetadataName is the label the API server puts on every namespace, whose value is the
	// namespace's name, so that label selectors can pick namespaces by name.
	LabelMetadataName = "kubernetes.io/metadata.name"
)

func ptrTo[T any](v T) *T { return &v }

// RegisterDefaults registers the defaulting functions of this group with s, so that
// s.Default(obj) applies them to objects of the registered kinds (and to every item of their
// lists).
func RegisterDefaults(s *runtime.Scheme) error {
	return registerAll(s,
		defaulter(DefaultPod), listDefaulter(func(l *PodList) []Pod { return l.Items }, DefaultPod),
		defaulter(DefaultPodTemplate), listDefaulter(func(l *PodTemplateList) []PodTemplate { return l.Items }, DefaultPodTemplate),
		defaulter(DefaultReplicationController), listDefaulter(func(l *ReplicationControllerList) []ReplicationController { return l.Items }, DefaultReplicationController),
		defaulter(DefaultService), listDefaulter(func(l *ServiceList) []Service { return l.Items }, DefaultService),
		defaulter(DefaultEndpoints), listDefaulter(func(l *EndpointsList) []Endpoints { return l.Items }, DefaultEndpoints),
		defaulter(DefaultNamespace), listDefaulter(func(l *NamespaceList) []Namespace { return l.Items }, DefaultNamespace),
		defaulter(DefaultNode), listDefaulter(func(l *NodeList) []Node { return l.Items }, DefaultNode),
		defaulter(DefaultSecret), listDefaulter(func(l *SecretList) []Secret { return l.Items }, DefaultSecret),
		defaulter(DefaultPersistentVolume), listDefaulter(func(l *PersistentVolumeList) []PersistentVolume { return l.Items }, DefaultPersistentVolume),
		defaulter(DefaultPersistentVolumeClaim), listDefaulter(func(l *PersistentVolumeClaimList) []PersistentVolumeClaim { return l.Items }, DefaultPersistentVolumeClaim),
	)
}

// registration pairs an example object with the defaulting function the scheme runs for it.
type registration struct {
	obj runtime.Object
	fn  func(runtime.Object)
}

func registerAll(s *runtime.Scheme, regs ...registration) error {
	for _, r := range regs {
		if err := s.AddDefaultingFunc(r.obj, r.fn); err != nil {
			return err
		}
	}
	return nil
}

// defaulter adapts a typed defaulting function to the scheme's untyped form.
func defaulter[T any, PT interface {
	*T
	runtime.Object
}](fn func(*T)) registration {
	return registration{obj: PT(new(T)), fn: func(o runtime.Object) {
		if t, ok := o.(PT); ok {
			fn((*T)(t))
		}
	}}
}

// listDefaulter defaults every item of a list kind.
func listDefaulter[L any, PL interface {
	*L
	runtime.Object
}, T any](items func(*L) []T, fn func(*T)) registration {
	return registration{obj: PL(new(L)), fn: func(o runtime.Object) {
		if l, ok := o.(PL); ok {
			it := items((*L)(l))
			for i := range it {
				fn(&it[i])
			}
		}
	}}
}

// DefaultPod defaults a pod's spec (see DefaultPodSpec) and, as Kubernetes does for pods but
// not for templates, sets each container's missing requests to its limits, the pod-level
// requests to the pod-level limits, and with hostNetwork each container port's missing
// hostPort to its containerPort. The status is left to the node agent.
func DefaultPod(pod *Pod) {
	if pod == nil {
		return
	}
	DefaultPodSpec(&pod.Spec)
	for i := range pod.Spec.Containers {
		defaultRequestsFromLimits(&pod.Spec.Containers[i].Resources)
	}
	for i := range pod.Spec.InitContainers {
		defaultRequestsFromLimits(&pod.Spec.InitContainers[i].Resources)
	}
	if pod.Spec.Resources != nil {
		defaultRequestsFromLimits(pod.Spec.Resources)
	}
	if pod.Spec.HostNetwork {
		for _, cs := range [][]Container{pod.Spec.InitContainers, pod.Spec.Containers} {
			for i := range cs {
				for j := range cs[i].Ports {
					if cs[i].Ports[j].HostPort == 0 {
						cs[i].Ports[j].HostPort = cs[i].Ports[j].ContainerPort
					}
				}
			}
		}
	}
}

// defaultRequestsFromLimits copies every limit that has no request into the requests.
func defaultRequestsFromLimits(r *ResourceRequirements) {
	for name, limit := range r.Limits {
		if _, ok := r.Requests[name]; ok {
			continue
		}
		if r.Requests == nil {
			r.Requests = ResourceList{}
		}
		r.Requests[name] = limit.DeepCopy()
	}
}

// DefaultPodTemplate defaults the template's pod spec.
func DefaultPodTemplate(t *PodTemplate) {
	if t == nil {
		return
	}
	DefaultPodTemplateSpec(&t.Template)
}

// DefaultPodTemplateSpec defaults the pod spec of a template (controllers' templates use it).
func DefaultPodTemplateSpec(t *PodTemplateSpec) {
	if t == nil {
		return
	}
	DefaultPodSpec(&t.Spec)
}

// DefaultPodSpec sets restartPolicy Always, dnsPolicy ClusterFirst, terminationGracePeriodSeconds
// 30, schedulerName default-scheduler, an empty securityContext, enableServiceLinks true, and
// defaults every volume, container, init container and ephemeral container. (Unset node
// inclusion policies of topology spread constraints stay unset: nil means Honor for node
// affinity and Ignore for taints.)
func DefaultPodSpec(spec *PodSpec) {
	if spec == nil {
		return
	}
	if spec.RestartPolicy == "" {
		spec.RestartPolicy = RestartPolicyAlways
	}
	if spec.DNSPolicy == "" {
		spec.DNSPolicy = DNSClusterFirst
	}
	if spec.TerminationGracePeriodSeconds == nil {
		spec.TerminationGracePeriodSeconds = ptrTo(DefaultTerminationGracePeriodSeconds)
	}
	if spec.SchedulerName == "" {
		spec.SchedulerName = DefaultSchedulerName
	}
	if spec.SecurityContext == nil {
		spec.SecurityContext = &PodSecurityContext{}
	}
	if spec.EnableServiceLinks == nil {
		spec.EnableServiceLinks = ptrTo(true)
	}
	for i := range spec.Volumes {
		DefaultVolume(&spec.Volumes[i])
	}
	for i := range spec.InitContainers {
		DefaultContainer(&spec.InitContainers[i])
	}
	for i := range spec.Containers {
		DefaultContainer(&spec.Containers[i])
	}
	for i := range spec.EphemeralContainers {
		defaultEphemeralContainer(&spec.EphemeralContainers[i].EphemeralContainerCommon)
	}
}

// DefaultPullPolicy returns the image pull policy Kubernetes picks for an image that names
// none: Always for the tag latest or no tag (unless a digest pins it), IfNotPresent otherwise.
func DefaultPullPolicy(image string) PullPolicy {
	if strings.Contains(image, "@") {
		return PullIfNotPresent
	}
	last := image
	if i := strings.LastIndexByte(image, '/'); i >= 0 {
		last = image[i+1:]
	}
	i := strings.LastIndexByte(last, ':')
	if i < 0 || last[i+1:] == "latest" {
		return PullAlways
	}
	return PullIfNotPresent
}

// DefaultContainer sets terminationMessagePath /dev/termination-log, terminationMessagePolicy
// File, imagePullPolicy from the image (see DefaultPullPolicy), protocol TCP on ports, the
// apiVersion of field references in env, and defaults the probes and lifecycle hooks.
func DefaultContainer(c *Container) {
	if c == nil {
		return
	}
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = TerminationMessagePathDefault
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = TerminationMessageReadFile
	}
	if c.ImagePullPolicy == "" {
		c.ImagePullPolicy = DefaultPullPolicy(c.Image)
	}
	for i := range c.Ports {
		if c.Ports[i].Protocol == "" {
			c.Ports[i].Protocol = ProtocolTCP
		}
	}
	defaultEnv(c.Env)
	DefaultProbe(c.LivenessProbe)
	DefaultProbe(c.ReadinessProbe)
	DefaultProbe(c.StartupProbe)
	defaultLifecycle(c.Lifecycle)
}

func defaultEphemeralContainer(c *EphemeralContainerCommon) {
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = TerminationMessagePathDefault
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = TerminationMessageReadFile
	}
	if c.ImagePullPolicy == "" {
		c.ImagePullPolicy = DefaultPullPolicy(c.Image)
	}
	for i := range c.Ports {
		if c.Ports[i].Protocol == "" {
			c.Ports[i].Protocol = ProtocolTCP
		}
	}
	defaultEnv(c.Env)
}

func defaultEnv(env []EnvVar) {
	for i := range env {
		if vf := env[i].ValueFrom; vf != nil && vf.FieldRef != nil && vf.FieldRef.APIVersion == "" {
			vf.FieldRef.APIVersion = "v1"
		}
	}
}

// DefaultProbe sets timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3
// and defaults an HTTP GET handler (path "/", scheme HTTP). A nil probe is left alone.
func DefaultProbe(p *Probe) {
	if p == nil {
		return
	}
	if p.TimeoutSeconds == 0 {
		p.TimeoutSeconds = DefaultProbeTimeoutSeconds
	}
	if p.PeriodSeconds == 0 {
		p.PeriodSeconds = DefaultProbePeriodSeconds
	}
	if p.SuccessThreshold == 0 {
		p.SuccessThreshold = DefaultProbeSuccessThreshold
	}
	if p.FailureThreshold == 0 {
		p.FailureThreshold = DefaultProbeFailureThreshold
	}
	defaultHTTPGet(p.HTTPGet)
}

func defaultHTTPGet(h *HTTPGetAction) {
	if h == nil {
		return
	}
	if h.Path == "" {
		h.Path = "/"
	}
	if h.Scheme == "" {
		h.Scheme = URISchemeHTTP
	}
}

func defaultLifecycle(l *Lifecycle) {
	if l == nil {
		return
	}
	for _, h := range []*LifecycleHandler{l.PostStart, l.PreStop} {
		if h != nil {
			defaultHTTPGet(h.HTTPGet)
		}
	}
}

// DefaultVolume gives a volume without a source an emptyDir, sets defaultMode 0644 on secret,
// config map, downward API and projected volumes, the apiVersion v1 of downward API field
// references, a one-hour expiry on projected service account tokens, the unset hostPath type,
// the "default" iSCSI interface, and defaults ephemeral volume claim templates.
func DefaultVolume(v *Volume) {
	if v == nil {
		return
	}
	s := &v.VolumeSource
	if *s == (VolumeSource{}) {
		s.EmptyDir = &EmptyDirVolumeSource{}
	}
	if s.Secret != nil && s.Secret.DefaultMode == nil {
		s.Secret.DefaultMode = ptrTo(DefaultVolumeFileMode)
	}
	if s.ConfigMap != nil && s.ConfigMap.DefaultMode == nil {
		s.ConfigMap.DefaultMode = ptrTo(DefaultVolumeFileMode)
	}
	if s.DownwardAPI != nil {
		if s.DownwardAPI.DefaultMode == nil {
			s.DownwardAPI.DefaultMode = ptrTo(DefaultVolumeFileMode)
		}
		defaultDownwardAPIFiles(s.DownwardAPI.Items)
	}
	if s.Projected != nil {
		if s.Projected.DefaultMode == nil {
			s.Projected.DefaultMode = ptrTo(DefaultVolumeFileMode)
		}
		for i := range s.Projected.Sources {
			src := &s.Projected.Sources[i]
			if src.DownwardAPI != nil {
				defaultDownwardAPIFiles(src.DownwardAPI.Items)
			}
			if t := src.ServiceAccountToken; t != nil && t.ExpirationSeconds == nil {
				t.ExpirationSeconds = ptrTo(DefaultServiceAccountTokenExpirationSeconds)
			}
		}
	}
	if s.ISCSI != nil && s.ISCSI.ISCSIInterface == "" {
		s.ISCSI.ISCSIInterface = "default"
	}
	if s.HostPath != nil && s.HostPath.Type == nil {
		s.HostPath.Type = ptrTo(HostPathUnset)
	}
	if s.Ephemeral != nil && s.Ephemeral.VolumeClaimTemplate != nil {
		DefaultPersistentVolumeClaimSpec(&s.Ephemeral.VolumeClaimTemplate.Spec)
	}
}

func defaultDownwardAPIFiles(files []DownwardAPIVolumeFile) {
	for i := range files {
		if f := files[i].FieldRef; f != nil && f.APIVersion == "" {
			f.APIVersion = "v1"
		}
	}
}

// DefaultReplicationController sets replicas 1 and, when the template has labels, copies them to
// an empty selector and to empty object labels; then defaults the template.
func DefaultReplicationController(rc *ReplicationController) {
	if rc == nil {
		return
	}
	if rc.Spec.Replicas == nil {
		rc.Spec.Replicas = ptrTo(int32(1))
	}
	if t := rc.Spec.Template; t != nil {
		if len(rc.Spec.Selector) == 0 && len(t.Labels) > 0 {
			rc.Spec.Selector = copyMap(t.Labels)
		}
		if len(rc.Labels) == 0 && len(t.Labels) > 0 {
			rc.Labels = copyMap(t.Labels)
		}
		DefaultPodTemplateSpec(t)
	}
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// DefaultService sets type ClusterIP, sessionAffinity None (and the ClientIP timeout of 10800
// seconds for ClientIP), protocol TCP and targetPort = port on ports, externalTrafficPolicy
// Cluster for NodePort and LoadBalancer services, internalTrafficPolicy Cluster for all but
// ExternalName services, and allocateLoadBalancerNodePorts true for LoadBalancer services.
func DefaultService(svc *Service) {
	if svc == nil {
		return
	}
	s := &svc.Spec
	if s.Type == "" {
		s.Type = ServiceTypeClusterIP
	}
	if s.SessionAffinity == "" {
		s.SessionAffinity = ServiceAffinityNone
	}
	if s.SessionAffinity == ServiceAffinityClientIP {
		if s.SessionAffinityConfig == nil {
			s.SessionAffinityConfig = &SessionAffinityConfig{}
		}
		if s.SessionAffinityConfig.ClientIP == nil {
			s.SessionAffinityConfig.ClientIP = &ClientIPConfig{}
		}
		if s.SessionAffinityConfig.ClientIP.TimeoutSeconds == nil {
			s.SessionAffinityConfig.ClientIP.TimeoutSeconds = ptrTo(DefaultClientIPServiceAffinitySeconds)
		}
	}
	for i := range s.Ports {
		p := &s.Ports[i]
		if p.Protocol == "" {
			p.Protocol = ProtocolTCP
		}
		if (p.TargetPort.Type == intstr.Int && p.TargetPort.IntVal == 0) ||
			(p.TargetPort.Type == intstr.String && p.TargetPort.StrVal == "") {
			p.TargetPort = intstr.FromInt32(p.Port)
		}
	}
	if (s.Type == ServiceTypeNodePort || s.Type == ServiceTypeLoadBalancer) && s.ExternalTrafficPolicy == "" {
		s.ExternalTrafficPolicy = ServiceExternalTrafficPolicyCluster
	}
	if s.Type != ServiceTypeExternalName && s.InternalTrafficPolicy == nil {
		s.InternalTrafficPolicy = ptrTo(ServiceInternalTrafficPolicyCluster)
	}
	if s.Type == ServiceTypeLoadBalancer && s.AllocateLoadBalancerNodePorts == nil {
		s.AllocateLoadBalancerNodePorts = ptrTo(true)
	}
}

// DefaultEndpoints sets protocol TCP on every port of every subset.
func DefaultEndpoints(ep *Endpoints) {
	if ep == nil {
		return
	}
	for i := range ep.Subsets {
		for j := range ep.Subsets[i].Ports {
			if ep.Subsets[i].Ports[j].Protocol == "" {
				ep.Subsets[i].Ports[j].Protocol = ProtocolTCP
			}
		}
	}
}

// DefaultNamespace sets status.phase Active and the kubernetes.io/metadata.name label to the
// namespace's name (once it has one).
func DefaultNamespace(ns *Namespace) {
	if ns == nil {
		return
	}
	if ns.Status.Phase == "" {
		ns.Status.Phase = NamespaceActive
	}
	if ns.Name != "" {
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		ns.Labels[LabelMetadataName] = ns.Name
	}
}

// DefaultNode sets the allocatable resources to the capacity when the node reports a capacity
// but no allocatable resources.
func DefaultNode(n *Node) {
	if n == nil {
		return
	}
	if len(n.Status.Allocatable) == 0 && len(n.Status.Capacity) > 0 {
		n.Status.Allocatable = make(ResourceList, len(n.Status.Capacity))
		for k, v := range n.Status.Capacity {
			n.Status.Allocatable[k] = v.DeepCopy()
		}
	}
}

// DefaultSecret sets type Opaque.
func DefaultSecret(s *Secret) {
	if s == nil {
		return
	}
	if s.Type == "" {
		s.Type = SecretTypeOpaque
	}
}

// DefaultPersistentVolume sets reclaim policy Retain, volumeMode Filesystem, status.phase
// Pending, the unset hostPath type and the "default" iSCSI interface.
func DefaultPersistentVolume(pv *PersistentVolume) {
	if pv == nil {
		return
	}
	if pv.Status.Phase == "" {
		pv.Status.Phase = VolumePending
	}
	if pv.Spec.PersistentVolumeReclaimPolicy == "" {
		pv.Spec.PersistentVolumeReclaimPolicy = PersistentVolumeReclaimRetain
	}
	if pv.Spec.VolumeMode == nil {
		pv.Spec.VolumeMode = ptrTo(PersistentVolumeFilesystem)
	}
	if i := pv.Spec.ISCSI; i != nil && i.ISCSIInterface == "" {
		i.ISCSIInterface = "default"
	}
	if h := pv.Spec.HostPath; h != nil && h.Type == nil {
		h.Type = ptrTo(HostPathUnset)
	}
}

// DefaultPersistentVolumeClaim defaults the claim's spec and sets status.phase Pending.
func DefaultPersistentVolumeClaim(pvc *PersistentVolumeClaim) {
	if pvc == nil {
		return
	}
	if pvc.Status.Phase == "" {
		pvc.Status.Phase = ClaimPending
	}
	DefaultPersistentVolumeClaimSpec(&pvc.Spec)
}

// DefaultPersistentVolumeClaimSpec sets volumeMode Filesystem.
func DefaultPersistentVolumeClaimSpec(spec *PersistentVolumeClaimSpec) {
	if spec == nil {
		return
	}
	if spec.VolumeMode == nil {
		spec.VolumeMode = ptrTo(PersistentVolumeFilesystem)
	}
}
