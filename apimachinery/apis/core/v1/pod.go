package v1

import (
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// Pod is a group of containers scheduled together onto one node, sharing network and volumes.
type Pod struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the desired behavior of the pod.
	Spec PodSpec `json:"spec,omitempty"`
	// Status is the most recently observed status of the pod, written by the node agent and
	// the scheduler.
	Status PodStatus `json:"status,omitempty"`
}

// PodList is a list of Pods.
type PodList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the pods.
	Items []Pod `json:"items"`
}

// PodTemplateSpec describes the pods a controller creates.
type PodTemplateSpec struct {
	// Metadata of the pods created from this template.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec of the pods created from this template.
	Spec PodSpec `json:"spec,omitempty"`
}

// PodTemplate is a stored pod template.
type PodTemplate struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Template defines the pods that will be created from this pod template.
	Template PodTemplateSpec `json:"template,omitempty"`
}

// PodTemplateList is a list of PodTemplates.
type PodTemplateList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the pod templates.
	Items []PodTemplate `json:"items"`
}

// PodSpec is the desired state of a pod.
type PodSpec struct {
	// Volumes that containers of the pod can mount.
	Volumes []Volume `json:"volumes,omitempty" patchStrategy:"merge,retainKeys" patchMergeKey:"name"`
	// InitContainers run in order, each to completion, before the containers start.
	InitContainers []Container `json:"initContainers,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	// Containers of the pod; there must be at least one.
	Containers []Container `json:"containers" patchStrategy:"merge" patchMergeKey:"name"`
	// EphemeralContainers are debugging containers added to a running pod.
	EphemeralContainers []EphemeralContainer `json:"ephemeralContainers,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	// RestartPolicy for all containers: Always (default), OnFailure or Never.
	RestartPolicy RestartPolicy `json:"restartPolicy,omitempty"`
	// TerminationGracePeriodSeconds is how long the pod gets to stop gracefully (default 30).
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`
	// ActiveDeadlineSeconds bounds how long the pod may be active before it is failed.
	ActiveDeadlineSeconds *int64 `json:"activeDeadlineSeconds,omitempty"`
	// DNSPolicy sets up DNS for the pod (default ClusterFirst).
	DNSPolicy DNSPolicy `json:"dnsPolicy,omitempty"`
	// NodeSelector must match a node's labels for the pod to fit that node.
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// ServiceAccountName is the service account the pod runs as.
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// DeprecatedServiceAccount is the deprecated alias of ServiceAccountName.
	DeprecatedServiceAccount string `json:"serviceAccount,omitempty"`
	// AutomountServiceAccountToken says whether the service account token is mounted.
	AutomountServiceAccountToken *bool `json:"automountServiceAccountToken,omitempty"`
	// NodeName binds the pod to a node; the scheduler sets it.
	NodeName string `json:"nodeName,omitempty"`
	// HostNetwork runs the pod in the node's network namespace.
	HostNetwork bool `json:"hostNetwork,omitempty"`
	// HostPID runs the pod in the node's PID namespace.
	HostPID bool `json:"hostPID,omitempty"`
	// HostIPC runs the pod in the node's IPC namespace.
	HostIPC bool `json:"hostIPC,omitempty"`
	// ShareProcessNamespace shares one PID namespace among the pod's containers.
	ShareProcessNamespace *bool `json:"shareProcessNamespace,omitempty"`
	// SecurityContext holds pod-level security attributes.
	SecurityContext *PodSecurityContext `json:"securityContext,omitempty"`
	// ImagePullSecrets name secrets used to pull the pod's images.
	ImagePullSecrets []LocalObjectReference `json:"imagePullSecrets,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	// Hostname of the pod (default: the pod name).
	Hostname string `json:"hostname,omitempty"`
	// Subdomain makes the pod's FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.
	Subdomain string `json:"subdomain,omitempty"`
	// Affinity holds the pod's scheduling constraints.
	Affinity *Affinity `json:"affinity,omitempty"`
	// SchedulerName names the scheduler that places the pod (default "default-scheduler").
	SchedulerName string `json:"schedulerName,omitempty"`
	// Tolerations let the pod schedule onto nodes with matching taints.
	Tolerations []Toleration `json:"tolerations,omitempty"`
	// HostAliases are added to the pod's hosts file.
	HostAliases []HostAlias `json:"hostAliases,omitempty" patchStrategy:"merge" patchMergeKey:"ip"`
	// PriorityClassName names the PriorityClass that gives the pod its priority.
	PriorityClassName string `json:"priorityClassName,omitempty"`
	// Priority is resolved from PriorityClassName by admission.
	Priority *int32 `json:"priority,omitempty"`
	// DNSConfig adds DNS parameters to those DNSPolicy generates.
	DNSConfig *PodDNSConfig `json:"dnsConfig,omitempty"`
	// ReadinessGates are extra conditions that must be true for the pod to be ready.
	ReadinessGates []PodReadinessGate `json:"readinessGates,omitempty"`
	// RuntimeClassName selects the container runtime configuration.
	RuntimeClassName *string `json:"runtimeClassName,omitempty"`
	// EnableServiceLinks injects service environment variables (default true).
	EnableServiceLinks *bool `json:"enableServiceLinks,omitempty"`
	// PreemptionPolicy is PreemptLowerPriority (default) or Never.
	PreemptionPolicy *PreemptionPolicy `json:"preemptionPolicy,omitempty"`
	// Overhead is the resource cost of running the pod beyond its containers' requests.
	Overhead ResourceList `json:"overhead,omitempty"`
	// TopologySpreadConstraints spread the pod's group across topology domains.
	TopologySpreadConstraints []TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty" patchStrategy:"merge" patchMergeKey:"topologyKey"`
	// SetHostnameAsFQDN makes the pod's hostname its FQDN.
	SetHostnameAsFQDN *bool `json:"setHostnameAsFQDN,omitempty"`
	// OS is the operating system the pod's containers need.
	OS *PodOS `json:"os,omitempty"`
	// HostUsers runs the pod in the host's user namespace when true (default).
	HostUsers *bool `json:"hostUsers,omitempty"`
	// SchedulingGates hold the pod back from scheduling while any remains.
	SchedulingGates []PodSchedulingGate `json:"schedulingGates,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	// ResourceClaims are dynamic resources the pod's containers may use.
	ResourceClaims []PodResourceClaim `json:"resourceClaims,omitempty" patchStrategy:"merge,retainKeys" patchMergeKey:"name"`
	// Resources are pod-level requests and limits, shared by all containers.
	Resources *ResourceRequirements `json:"resources,omitempty"`
}

// Container is one container of a pod.
type Container struct {
	// Name is unique among the pod's containers (a DNS label).
	Name string `json:"name"`
	// Image is the container image reference.
	Image string `json:"image,omitempty"`
	// Command is the entrypoint; the image's ENTRYPOINT when empty.
	Command []string `json:"command,omitempty"`
	// Args are the entrypoint's arguments; the image's CMD when empty.
	Args []string `json:"args,omitempty"`
	// WorkingDir is the container's working directory.
	WorkingDir string `json:"workingDir,omitempty"`
	// Ports the container exposes; informational, except for hostPort.
	Ports []ContainerPort `json:"ports,omitempty" patchStrategy:"merge" patchMergeKey:"containerPort"`
	// EnvFrom populates environment variables from config maps and secrets.
	EnvFrom []EnvFromSource `json:"envFrom,omitempty"`
	// Env are environment variables; they override EnvFrom.
	Env []EnvVar `json:"env,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	// Resources are the container's requests and limits.
	Resources ResourceRequirements `json:"resources,omitempty"`
	// ResizePolicy says how each resource is resized in place.
	ResizePolicy []ContainerResizePolicy `json:"resizePolicy,omitempty"`
	// RestartPolicy of an init container; Always makes it a sidecar.
	RestartPolicy *ContainerRestartPolicy `json:"restartPolicy,omitempty"`
	// VolumeMounts mount the pod's volumes into the container.
	VolumeMounts []VolumeMount `json:"volumeMounts,omitempty" patchStrategy:"merge" patchMergeKey:"mountPath"`
	// VolumeDevices map raw block volumes into the container.
	VolumeDevices []VolumeDevice `json:"volumeDevices,omitempty" patchStrategy:"merge" patchMergeKey:"devicePath"`
	// LivenessProbe restarts the container when it fails.
	LivenessProbe *Probe `json:"livenessProbe,omitempty"`
	// ReadinessProbe removes the pod from service endpoints when it fails.
	ReadinessProbe *Probe `json:"readinessProbe,omitempty"`
	// StartupProbe holds off the other probes until it succeeds.
	StartupProbe *Probe `json:"startupProbe,omitempty"`
	// Lifecycle hooks run after start and before stop.
	Lifecycle *Lifecycle `json:"lifecycle,omitempty"`
	// TerminationMessagePath is where the container writes its termination message
	// (default /dev/termination-log).
	TerminationMessagePath string `json:"terminationMessagePath,omitempty"`
	// TerminationMessagePolicy is File (default) or FallbackToLogsOnError.
	TerminationMessagePolicy TerminationMessagePolicy `json:"terminationMessagePolicy,omitempty"`
	// ImagePullPolicy is Always, Never or IfNotPresent.
	ImagePullPolicy PullPolicy `json:"imagePullPolicy,omitempty"`
	// SecurityContext holds container-level security attributes.
	SecurityContext *SecurityContext `json:"securityContext,omitempty"`
	// Stdin allocates a buffer for stdin.
	Stdin bool `json:"stdin,omitempty"`
	// StdinOnce closes stdin after the first attach ends.
	StdinOnce bool `json:"stdinOnce,omitempty"`
	// TTY allocates a terminal; needs Stdin.
	TTY bool `json:"tty,omitempty"`
}

// EphemeralContainerCommon is the part of an ephemeral container shared with Container. It has
// the same fields; those that make no sense for a temporary debugging container (ports, probes,
// resources) are rejected by validation.
type EphemeralContainerCommon struct {
	// Name is unique among all the pod's containers.
	Name string `json:"name"`
	// Image is the container image reference.
	Image string `json:"image,omitempty"`
	// Command is the entrypoint.
	Command []string `json:"command,omitempty"`
	// Args are the entrypoint's arguments.
	Args []string `json:"args,omitempty"`
	// WorkingDir is the container's working directory.
	WorkingDir string `json:"workingDir,omitempty"`
	// Ports are not allowed for ephemeral containers.
	Ports []ContainerPort `json:"ports,omitempty" patchStrategy:"merge" patchMergeKey:"containerPort"`
	// EnvFrom populates environment variables from config maps and secrets.
	EnvFrom []EnvFromSource `json:"envFrom,omitempty"`
	// Env are environment variables.
	Env []EnvVar `json:"env,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	// Resources are not allowed for ephemeral containers.
	Resources ResourceRequirements `json:"resources,omitempty"`
	// ResizePolicy is not allowed for ephemeral containers.
	ResizePolicy []ContainerResizePolicy `json:"resizePolicy,omitempty"`
	// RestartPolicy is not allowed for ephemeral containers.
	RestartPolicy *ContainerRestartPolicy `json:"restartPolicy,omitempty"`
	// VolumeMounts mount the pod's volumes.
	VolumeMounts []VolumeMount `json:"volumeMounts,omitempty" patchStrategy:"merge" patchMergeKey:"mountPath"`
	// VolumeDevices map raw block volumes.
	VolumeDevices []VolumeDevice `json:"volumeDevices,omitempty" patchStrategy:"merge" patchMergeKey:"devicePath"`
	// LivenessProbe is not allowed for ephemeral containers.
	LivenessProbe *Probe `json:"livenessProbe,omitempty"`
	// ReadinessProbe is not allowed for ephemeral containers.
	ReadinessProbe *Probe `json:"readinessProbe,omitempty"`
	// StartupProbe is not allowed for ephemeral containers.
	StartupProbe *Probe `json:"startupProbe,omitempty"`
	// Lifecycle is not allowed for ephemeral containers.
	Lifecycle *Lifecycle `json:"lifecycle,omitempty"`
	// TerminationMessagePath is where the container writes its termination message.
	TerminationMessagePath string `json:"terminationMessagePath,omitempty"`
	// TerminationMessagePolicy is File or FallbackToLogsOnError.
	TerminationMessagePolicy TerminationMessagePolicy `json:"terminationMessagePolicy,omitempty"`
	// ImagePullPolicy is Always, Never or IfNotPresent.
	ImagePullPolicy PullPolicy `json:"imagePullPolicy,omitempty"`
	// SecurityContext holds container-level security attributes.
	SecurityContext *SecurityContext `json:"securityContext,omitempty"`
	// Stdin allocates a buffer for stdin.
	Stdin bool `json:"stdin,omitempty"`
	// StdinOnce closes stdin after the first attach ends.
	StdinOnce bool `json:"stdinOnce,omitempty"`
	// TTY allocates a terminal.
	TTY bool `json:"tty,omitempty"`
}

// EphemeralContainer is a temporary container added to a running pod for debugging.
type EphemeralContainer struct {
	EphemeralContainerCommon `json:",inline"`
	// TargetContainerName is the container whose namespaces the ephemeral container joins.
	TargetContainerName string `json:"targetContainerName,omitempty"`
}

// ContainerPort is a network port of a container.
type ContainerPort struct {
	// Name is an IANA service name unique within the pod.
	Name string `json:"name,omitempty"`
	// HostPort exposes the port on the node.
	HostPort int32 `json:"hostPort,omitempty"`
	// ContainerPort is the port number on the pod's IP.
	ContainerPort int32 `json:"containerPort"`
	// Protocol is TCP (default), UDP or SCTP.
	Protocol Protocol `json:"protocol,omitempty"`
	// HostIP is the node IP the host port binds to.
	HostIP string `json:"hostIP,omitempty"`
}

// EnvVar is one environment variable of a container.
type EnvVar struct {
	// Name of the variable.
	Name string `json:"name"`
	// Value, with $(VAR) references expanded.
	Value string `json:"value,omitempty"`
	// ValueFrom is the source of the value when Value is empty.
	ValueFrom *EnvVarSource `json:"valueFrom,omitempty"`
}

// EnvVarSource is where an environment variable's value comes from. Exactly one is set.
type EnvVarSource struct {
	// FieldRef selects a field of the pod (metadata.name, status.podIP, ...).
	FieldRef *ObjectFieldSelector `json:"fieldRef,omitempty"`
	// ResourceFieldRef selects a resource limit or request of a container.
	ResourceFieldRef *ResourceFieldSelector `json:"resourceFieldRef,omitempty"`
	// ConfigMapKeyRef selects a key of a config map.
	ConfigMapKeyRef *ConfigMapKeySelector `json:"configMapKeyRef,omitempty"`
	// SecretKeyRef selects a key of a secret.
	SecretKeyRef *SecretKeySelector `json:"secretKeyRef,omitempty"`
}

// ObjectFieldSelector selects a field of an object by path.
type ObjectFieldSelector struct {
	// APIVersion the path is written in (default "v1").
	APIVersion string `json:"apiVersion,omitempty"`
	// FieldPath is the path of the field.
	FieldPath string `json:"fieldPath"`
}

// ResourceFieldSelector selects a container resource (limits.cpu, requests.memory, ...).
type ResourceFieldSelector struct {
	// ContainerName is required for volumes, optional for environment variables.
	ContainerName string `json:"containerName,omitempty"`
	// Resource to select.
	Resource string `json:"resource"`
	// Divisor scales the value (default 1).
	Divisor resource.Quantity `json:"divisor,omitempty"`
}

// ConfigMapKeySelector selects a key of a config map.
type ConfigMapKeySelector struct {
	// The config map's name.
	LocalObjectReference `json:",inline"`
	// Key to select.
	Key string `json:"key"`
	// Optional allows the config map or key to be missing.
	Optional *bool `json:"optional,omitempty"`
}

// SecretKeySelector selects a key of a secret.
type SecretKeySelector struct {
	// The secret's name.
	LocalObjectReference `json:",inline"`
	// Key to select.
	Key string `json:"key"`
	// Optional allows the secret or key to be missing.
	Optional *bool `json:"optional,omitempty"`
}

// EnvFromSource populates environment variables from a config map or secret.
type EnvFromSource struct {
	// Prefix is prepended to every key.
	Prefix string `json:"prefix,omitempty"`
	// ConfigMapRef names the config map.
	ConfigMapRef *ConfigMapEnvSource `json:"configMapRef,omitempty"`
	// SecretRef names the secret.
	SecretRef *SecretEnvSource `json:"secretRef,omitempty"`
}

// ConfigMapEnvSource names a config map whose keys become environment variables.
type ConfigMapEnvSource struct {
	// The config map's name.
	LocalObjectReference `json:",inline"`
	// Optional allows the config map to be missing.
	Optional *bool `json:"optional,omitempty"`
}

// SecretEnvSource names a secret whose keys become environment variables.
type SecretEnvSource struct {
	// The secret's name.
	LocalObjectReference `json:",inline"`
	// Optional allows the secret to be missing.
	Optional *bool `json:"optional,omitempty"`
}

// ResourceRequirements are the compute resources a container or pod requests and is limited to.
type ResourceRequirements struct {
	// Limits are the maximum amounts allowed.
	Limits ResourceList `json:"limits,omitempty"`
	// Requests are the amounts the scheduler reserves; default to Limits.
	Requests ResourceList `json:"requests,omitempty"`
	// Claims name entries of the pod's ResourceClaims this container uses.
	Claims []ResourceClaim `json:"claims,omitempty"`
}

// ResourceClaim references one entry of PodSpec.ResourceClaims.
type ResourceClaim struct {
	// Name of the pod resource claim.
	Name string `json:"name"`
	// Request selects one request of the claim; all when empty.
	Request string `json:"request,omitempty"`
}

// ContainerResizePolicy says how one resource of a container is resized.
type ContainerResizePolicy struct {
	// ResourceName is cpu or memory.
	ResourceName ResourceName `json:"resourceName"`
	// RestartPolicy is NotRequired or RestartContainer.
	RestartPolicy ResourceResizeRestartPolicy `json:"restartPolicy"`
}

// VolumeMount mounts a volume into a container.
type VolumeMount struct {
	// Name of the pod volume.
	Name string `json:"name"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// RecursiveReadOnly is Disabled, IfPossible or Enabled.
	RecursiveReadOnly *RecursiveReadOnlyMode `json:"recursiveReadOnly,omitempty"`
	// MountPath is the path in the container; it must not contain ':'.
	MountPath string `json:"mountPath"`
	// SubPath mounts a path inside the volume instead of its root.
	SubPath string `json:"subPath,omitempty"`
	// MountPropagation is None, HostToContainer or Bidirectional.
	MountPropagation *MountPropagationMode `json:"mountPropagation,omitempty"`
	// SubPathExpr is SubPath with $(VAR) expansion.
	SubPathExpr string `json:"subPathExpr,omitempty"`
}

// VolumeDevice maps a raw block volume into a container.
type VolumeDevice struct {
	// Name of the pod's persistent volume claim.
	Name string `json:"name"`
	// DevicePath is the device path in the container.
	DevicePath string `json:"devicePath"`
}

// Probe is a health check of a container.
type Probe struct {
	// The action taken to probe.
	ProbeHandler `json:",inline"`
	// InitialDelaySeconds after the container starts before probing.
	InitialDelaySeconds int32 `json:"initialDelaySeconds,omitempty"`
	// TimeoutSeconds of one probe (default 1).
	TimeoutSeconds int32 `json:"timeoutSeconds,omitempty"`
	// PeriodSeconds between probes (default 10).
	PeriodSeconds int32 `json:"periodSeconds,omitempty"`
	// SuccessThreshold is how many successes after a failure count as success (default 1).
	SuccessThreshold int32 `json:"successThreshold,omitempty"`
	// FailureThreshold is how many failures count as failure (default 3).
	FailureThreshold int32 `json:"failureThreshold,omitempty"`
	// TerminationGracePeriodSeconds overrides the pod's grace period when the probe kills.
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`
}

// ProbeHandler is the action of a probe. Exactly one is set.
type ProbeHandler struct {
	// Exec runs a command in the container; exit status 0 is success.
	Exec *ExecAction `json:"exec,omitempty"`
	// HTTPGet sends a GET request; a status in [200, 400) is success.
	HTTPGet *HTTPGetAction `json:"httpGet,omitempty"`
	// TCPSocket opens a connection; success if it opens.
	TCPSocket *TCPSocketAction `json:"tcpSocket,omitempty"`
	// GRPC calls the gRPC health checking protocol.
	GRPC *GRPCAction `json:"grpc,omitempty"`
}

// LifecycleHandler is the action of a lifecycle hook. Exactly one is set.
type LifecycleHandler struct {
	// Exec runs a command in the container.
	Exec *ExecAction `json:"exec,omitempty"`
	// HTTPGet sends a GET request.
	HTTPGet *HTTPGetAction `json:"httpGet,omitempty"`
	// TCPSocket is deprecated and kept for compatibility.
	TCPSocket *TCPSocketAction `json:"tcpSocket,omitempty"`
	// Sleep pauses for a while.
	Sleep *SleepAction `json:"sleep,omitempty"`
}

// Lifecycle holds the hooks run after a container starts and before it stops.
type Lifecycle struct {
	// PostStart runs right after the container is created.
	PostStart *LifecycleHandler `json:"postStart,omitempty"`
	// PreStop runs before the container is terminated.
	PreStop *LifecycleHandler `json:"preStop,omitempty"`
}

// ExecAction runs a command.
type ExecAction struct {
	// Command line, not run in a shell.
	Command []string `json:"command,omitempty"`
}

// HTTPGetAction sends an HTTP GET.
type HTTPGetAction struct {
	// Path of the request.
	Path string `json:"path,omitempty"`
	// Port number or name.
	Port intstr.IntOrString `json:"port"`
	// Host to connect to (default the pod IP).
	Host string `json:"host,omitempty"`
	// Scheme is HTTP (default) or HTTPS.
	Scheme URIScheme `json:"scheme,omitempty"`
	// HTTPHeaders are custom request headers.
	HTTPHeaders []HTTPHeader `json:"httpHeaders,omitempty"`
}

// HTTPHeader is one HTTP header.
type HTTPHeader struct {
	// Name of the header.
	Name string `json:"name"`
	// Value of the header.
	Value string `json:"value"`
}

// TCPSocketAction opens a TCP connection.
type TCPSocketAction struct {
	// Port number or name.
	Port intstr.IntOrString `json:"port"`
	// Host to connect to (default the pod IP).
	Host string `json:"host,omitempty"`
}

// GRPCAction calls the gRPC health checking protocol.
type GRPCAction struct {
	// Port number of the gRPC service.
	Port int32 `json:"port"`
	// Service is the name sent in the HealthCheckRequest (default "").
	Service *string `json:"service"`
}

// SleepAction pauses.
type SleepAction struct {
	// Seconds to sleep.
	Seconds int64 `json:"seconds"`
}

// SecurityContext holds the security attributes of a container. Set fields override the pod's.
type SecurityContext struct {
	// Capabilities added and dropped.
	Capabilities *Capabilities `json:"capabilities,omitempty"`
	// Privileged runs the container as root on the host.
	Privileged *bool `json:"privileged,omitempty"`
	// SELinuxOptions is the SELinux context.
	SELinuxOptions *SELinuxOptions `json:"seLinuxOptions,omitempty"`
	// WindowsOptions are Windows-specific settings.
	WindowsOptions *WindowsSecurityContextOptions `json:"windowsOptions,omitempty"`
	// RunAsUser is the UID of the container's entrypoint.
	RunAsUser *int64 `json:"runAsUser,omitempty"`
	// RunAsGroup is the GID of the container's entrypoint.
	RunAsGroup *int64 `json:"runAsGroup,omitempty"`
	// RunAsNonRoot requires a non-root UID.
	RunAsNonRoot *bool `json:"runAsNonRoot,omitempty"`
	// ReadOnlyRootFilesystem mounts the root filesystem read-only.
	ReadOnlyRootFilesystem *bool `json:"readOnlyRootFilesystem,omitempty"`
	// AllowPrivilegeEscalation controls the no_new_privs flag.
	AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation,omitempty"`
	// ProcMount is Default or Unmasked.
	ProcMount *ProcMountType `json:"procMount,omitempty"`
	// SeccompProfile is the seccomp profile.
	SeccompProfile *SeccompProfile `json:"seccompProfile,omitempty"`
	// AppArmorProfile is the AppArmor profile.
	AppArmorProfile *AppArmorProfile `json:"appArmorProfile,omitempty"`
}

// Capability is a POSIX capability name (NET_ADMIN, SYS_TIME, ...).
type Capability string

// Capabilities are the POSIX capabilities added to and dropped from a container.
type Capabilities struct {
	// Add lists added capabilities.
	Add []Capability `json:"add,omitempty"`
	// Drop lists dropped capabilities.
	Drop []Capability `json:"drop,omitempty"`
}

// SELinuxOptions is an SELinux context.
type SELinuxOptions struct {
	// User label.
	User string `json:"user,omitempty"`
	// Role label.
	Role string `json:"role,omitempty"`
	// Type label.
	Type string `json:"type,omitempty"`
	// Level label.
	Level string `json:"level,omitempty"`
}

// WindowsSecurityContextOptions are Windows-specific security settings.
type WindowsSecurityContextOptions struct {
	// GMSACredentialSpecName names the GMSA credential spec to use.
	GMSACredentialSpecName *string `json:"gmsaCredentialSpecName,omitempty"`
	// GMSACredentialSpec is the content of the GMSA credential spec.
	GMSACredentialSpec *string `json:"gmsaCredentialSpec,omitempty"`
	// RunAsUserName is the Windows user of the entrypoint.
	RunAsUserName *string `json:"runAsUserName,omitempty"`
	// HostProcess runs the container as a Windows host process.
	HostProcess *bool `json:"hostProcess,omitempty"`
}

// SeccompProfile selects a seccomp profile.
type SeccompProfile struct {
	// Type is Localhost, RuntimeDefault or Unconfined.
	Type SeccompProfileType `json:"type"`
	// LocalhostProfile is the profile's path on the node, for Type Localhost.
	LocalhostProfile *string `json:"localhostProfile,omitempty"`
}

// AppArmorProfile selects an AppArmor profile.
type AppArmorProfile struct {
	// Type is Localhost, RuntimeDefault or Unconfined.
	Type AppArmorProfileType `json:"type"`
	// LocalhostProfile is the profile's name on the node, for Type Localhost.
	LocalhostProfile *string `json:"localhostProfile,omitempty"`
}

// PodSecurityContext holds pod-level security attributes.
type PodSecurityContext struct {
	// SELinuxOptions applied to all containers.
	SELinuxOptions *SELinuxOptions `json:"seLinuxOptions,omitempty"`
	// WindowsOptions applied to all containers.
	WindowsOptions *WindowsSecurityContextOptions `json:"windowsOptions,omitempty"`
	// RunAsUser is the UID of the containers' entrypoints.
	RunAsUser *int64 `json:"runAsUser,omitempty"`
	// RunAsGroup is the GID of the containers' entrypoints.
	RunAsGroup *int64 `json:"runAsGroup,omitempty"`
	// RunAsNonRoot requires non-root UIDs.
	RunAsNonRoot *bool `json:"runAsNonRoot,omitempty"`
	// SupplementalGroups are added to each container's first process.
	SupplementalGroups []int64 `json:"supplementalGroups,omitempty"`
	// SupplementalGroupsPolicy is Merge (default) or Strict.
	SupplementalGroupsPolicy *SupplementalGroupsPolicy `json:"supplementalGroupsPolicy,omitempty"`
	// FSGroup owns the pod's volumes.
	FSGroup *int64 `json:"fsGroup,omitempty"`
	// Sysctls set for the pod.
	Sysctls []Sysctl `json:"sysctls,omitempty"`
	// FSGroupChangePolicy is OnRootMismatch or Always (default).
	FSGroupChangePolicy *PodFSGroupChangePolicy `json:"fsGroupChangePolicy,omitempty"`
	// SeccompProfile applied to all containers.
	SeccompProfile *SeccompProfile `json:"seccompProfile,omitempty"`
	// AppArmorProfile applied to all containers.
	AppArmorProfile *AppArmorProfile `json:"appArmorProfile,omitempty"`
	// SELinuxChangePolicy is Recursive or MountOption.
	SELinuxChangePolicy *PodSELinuxChangePolicy `json:"seLinuxChangePolicy,omitempty"`
}

// Sysctl is one kernel parameter.
type Sysctl struct {
	// Name of the parameter.
	Name string `json:"name"`
	// Value of the parameter.
	Value string `json:"value"`
}

// HostAlias is one entry of the pod's hosts file.
type HostAlias struct {
	// IP address of the entry.
	IP string `json:"ip"`
	// Hostnames of the IP.
	Hostnames []string `json:"hostnames,omitempty"`
}

// PodDNSConfig adds DNS parameters to a pod.
type PodDNSConfig struct {
	// Nameservers are DNS server IPs.
	Nameservers []string `json:"nameservers,omitempty"`
	// Searches are DNS search domains.
	Searches []string `json:"searches,omitempty"`
	// Options are resolver options.
	Options []PodDNSConfigOption `json:"options,omitempty"`
}

// PodDNSConfigOption is one resolver option.
type PodDNSConfigOption struct {
	// Name of the option.
	Name string `json:"name,omitempty"`
	// Value of the option.
	Value *string `json:"value,omitempty"`
}

// PodReadinessGate names a pod condition that must be true for readiness.
type PodReadinessGate struct {
	// ConditionType is the condition's type.
	ConditionType PodConditionType `json:"conditionType"`
}

// PodOS names the operating system of a pod.
type PodOS struct {
	// Name is linux or windows.
	Name OSName `json:"name"`
}

// PodSchedulingGate holds a pod back from scheduling.
type PodSchedulingGate struct {
	// Name of the gate, unique within the pod.
	Name string `json:"name"`
}

// PodResourceClaim names a ResourceClaim a pod's containers may use.
type PodResourceClaim struct {
	// Name of this claim within the pod.
	Name string `json:"name"`
	// ResourceClaimName names an existing ResourceClaim.
	ResourceClaimName *string `json:"resourceClaimName,omitempty"`
	// ResourceClaimTemplateName names a template from which a claim is made per pod.
	ResourceClaimTemplateName *string `json:"resourceClaimTemplateName,omitempty"`
}

// PodStatus is the observed state of a pod.
type PodStatus struct {
	// ObservedGeneration is the pod generation this status reflects.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Phase is a summary of where the pod is in its lifecycle.
	Phase PodPhase `json:"phase,omitempty"`
	// Conditions are the current service state of the pod.
	Conditions []PodCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
	// Message says why the pod is in its condition.
	Message string `json:"message,omitempty"`
	// Reason is a CamelCase reason for the pod's state (Evicted, ...).
	Reason string `json:"reason,omitempty"`
	// NominatedNodeName is the node preemption made room on for this pod.
	NominatedNodeName string `json:"nominatedNodeName,omitempty"`
	// HostIP is the primary IP of the pod's node.
	HostIP string `json:"hostIP,omitempty"`
	// HostIPs are the IPs of the pod's node; the first equals HostIP.
	HostIPs []HostIP `json:"hostIPs,omitempty" patchStrategy:"merge" patchMergeKey:"ip"`
	// PodIP is the primary IP of the pod.
	PodIP string `json:"podIP,omitempty"`
	// PodIPs are the IPs of the pod; the first equals PodIP.
	PodIPs []PodIP `json:"podIPs,omitempty" patchStrategy:"merge" patchMergeKey:"ip"`
	// StartTime is when the node agent acknowledged the pod.
	StartTime *meta.Time `json:"startTime,omitempty"`
	// InitContainerStatuses are the statuses of the init containers.
	InitContainerStatuses []ContainerStatus `json:"initContainerStatuses,omitempty"`
	// ContainerStatuses are the statuses of the containers.
	ContainerStatuses []ContainerStatus `json:"containerStatuses,omitempty"`
	// QOSClass is the quality of service class of the pod.
	QOSClass PodQOSClass `json:"qosClass,omitempty"`
	// EphemeralContainerStatuses are the statuses of the ephemeral containers.
	EphemeralContainerStatuses []ContainerStatus `json:"ephemeralContainerStatuses,omitempty"`
	// Resize is the state of an in-place resize (deprecated in favor of conditions).
	Resize PodResizeStatus `json:"resize,omitempty"`
	// ResourceClaimStatuses map the pod's resource claims to the generated claims.
	ResourceClaimStatuses []PodResourceClaimStatus `json:"resourceClaimStatuses,omitempty" patchStrategy:"merge,retainKeys" patchMergeKey:"name"`
}

// PodCondition is one condition of a pod.
type PodCondition struct {
	// Type of the condition.
	Type PodConditionType `json:"type"`
	// ObservedGeneration is the pod generation the condition was set for.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// LastProbeTime is when the condition was last probed.
	LastProbeTime meta.Time `json:"lastProbeTime,omitempty"`
	// LastTransitionTime is when the status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable message about the last transition.
	Message string `json:"message,omitempty"`
}

// HostIP is an IP address of a pod's node.
type HostIP struct {
	// IP address.
	IP string `json:"ip"`
}

// PodIP is an IP address of a pod.
type PodIP struct {
	// IP address.
	IP string `json:"ip"`
}

// PodResourceClaimStatus names the ResourceClaim generated for a pod resource claim.
type PodResourceClaimStatus struct {
	// Name of the pod resource claim.
	Name string `json:"name"`
	// ResourceClaimName is the generated claim's name; nil if none was needed.
	ResourceClaimName *string `json:"resourceClaimName,omitempty"`
}

// ContainerStatus is the observed state of one container.
type ContainerStatus struct {
	// Name of the container.
	Name string `json:"name"`
	// State is the container's current state.
	State ContainerState `json:"state,omitempty"`
	// LastTerminationState is the state of the container's last termination.
	LastTerminationState ContainerState `json:"lastState,omitempty"`
	// Ready is whether the container passes its readiness probe.
	Ready bool `json:"ready"`
	// RestartCount is how many times the container restarted.
	RestartCount int32 `json:"restartCount"`
	// Image the container runs.
	Image string `json:"image"`
	// ImageID is the image's digest reference.
	ImageID string `json:"imageID"`
	// ContainerID is "<runtime>://<id>".
	ContainerID string `json:"containerID,omitempty"`
	// Started is whether the container passed its startup probe.
	Started *bool `json:"started,omitempty"`
	// AllocatedResources are the resources the node allocated to the container.
	AllocatedResources ResourceList `json:"allocatedResources,omitempty"`
	// Resources are the requests and limits actually applied.
	Resources *ResourceRequirements `json:"resources,omitempty"`
	// VolumeMounts are the mounts as they are.
	VolumeMounts []VolumeMountStatus `json:"volumeMounts,omitempty" patchStrategy:"merge" patchMergeKey:"mountPath"`
	// User is the identity the container's first process runs as.
	User *ContainerUser `json:"user,omitempty"`
	// AllocatedResourcesStatus is the health of the allocated devices.
	AllocatedResourcesStatus []ResourceStatus `json:"allocatedResourcesStatus,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
}

// ContainerState is the state of a container. At most one is set; none means waiting.
type ContainerState struct {
	// Waiting is set while the container has not started.
	Waiting *ContainerStateWaiting `json:"waiting,omitempty"`
	// Running is set while the container runs.
	Running *ContainerStateRunning `json:"running,omitempty"`
	// Terminated is set once the container has exited.
	Terminated *ContainerStateTerminated `json:"terminated,omitempty"`
}

// ContainerStateWaiting says why a container is not running yet.
type ContainerStateWaiting struct {
	// Reason is a CamelCase reason (ContainerCreating, CrashLoopBackOff, ...).
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable message.
	Message string `json:"message,omitempty"`
}

// ContainerStateRunning says since when a container runs.
type ContainerStateRunning struct {
	// StartedAt is when the container last (re)started.
	StartedAt meta.Time `json:"startedAt,omitempty"`
}

// ContainerStateTerminated says how a container ended.
type ContainerStateTerminated struct {
	// ExitCode of the container's last run.
	ExitCode int32 `json:"exitCode"`
	// Signal that killed the container, if any.
	Signal int32 `json:"signal,omitempty"`
	// Reason is a CamelCase reason (Completed, Error, OOMKilled, ...).
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable message.
	Message string `json:"message,omitempty"`
	// StartedAt is when the run started.
	StartedAt meta.Time `json:"startedAt,omitempty"`
	// FinishedAt is when the run ended.
	FinishedAt meta.Time `json:"finishedAt,omitempty"`
	// ContainerID is "<runtime>://<id>" of the run.
	ContainerID string `json:"containerID,omitempty"`
}

// VolumeMountStatus is the state of a volume mount.
type VolumeMountStatus struct {
	// Name of the volume.
	Name string `json:"name"`
	// MountPath in the container.
	MountPath string `json:"mountPath"`
	// ReadOnly is whether the mount is read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// RecursiveReadOnly is Disabled or Enabled.
	RecursiveReadOnly *RecursiveReadOnlyMode `json:"recursiveReadOnly,omitempty"`
}

// ContainerUser is the identity a container's first process runs as.
type ContainerUser struct {
	// Linux identity.
	Linux *LinuxContainerUser `json:"linux,omitempty"`
}

// LinuxContainerUser is a Linux process identity.
type LinuxContainerUser struct {
	// UID of the process.
	UID int64 `json:"uid"`
	// GID of the process.
	GID int64 `json:"gid"`
	// SupplementalGroups of the process.
	SupplementalGroups []int64 `json:"supplementalGroups,omitempty"`
}

// ResourceStatus is the health of the devices allocated for one resource.
type ResourceStatus struct {
	// Name of the resource.
	Name ResourceName `json:"name"`
	// Resources lists the devices and their health.
	Resources []ResourceHealth `json:"resources,omitempty"`
}

// ResourceID identifies a device of a resource.
type ResourceID string

// ResourceHealth is the health of one device.
type ResourceHealth struct {
	// ResourceID of the device.
	ResourceID ResourceID `json:"resourceID"`
	// Health is Healthy, Unhealthy or Unknown.
	Health ResourceHealthStatus `json:"health,omitempty"`
}

// Binding binds an object to another, such as a pod to a node; it is posted to a pod's binding
// subresource by the scheduler.
type Binding struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata; the name is the bound pod's.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Target is the object to bind to (a Node).
	Target ObjectReference `json:"target"`
}
