package v1

// Well-known namespaces.
const (
	// NamespaceDefault is the namespace of objects created without one.
	NamespaceDefault = "default"
	// NamespaceAll is the empty namespace, meaning all namespaces in lists and watches.
	NamespaceAll = ""
	// NamespaceSystem is the namespace of system components.
	NamespaceSystem = "kube-system"
	// NamespacePublic is readable by everyone.
	NamespacePublic = "kube-public"
	// NamespaceNodeLease holds the nodes' heartbeat leases.
	NamespaceNodeLease = "kube-node-lease"
)

// DefaultSchedulerName is the scheduler of pods whose spec names none.
const DefaultSchedulerName = "default-scheduler"

// Well-known node labels.
const (
	LabelHostname       = "kubernetes.io/hostname"
	LabelTopologyZone   = "topology.kubernetes.io/zone"
	LabelTopologyRegion = "topology.kubernetes.io/region"
	LabelOSStable       = "kubernetes.io/os"
	LabelArchStable     = "kubernetes.io/arch"
	LabelInstanceType   = "node.kubernetes.io/instance-type"
)

// Taint keys set by the node lifecycle controller and the node agent.
const (
	TaintNodeNotReady           = "node.kubernetes.io/not-ready"
	TaintNodeUnreachable        = "node.kubernetes.io/unreachable"
	TaintNodeUnschedulable      = "node.kubernetes.io/unschedulable"
	TaintNodeMemoryPressure     = "node.kubernetes.io/memory-pressure"
	TaintNodeDiskPressure       = "node.kubernetes.io/disk-pressure"
	TaintNodePIDPressure        = "node.kubernetes.io/pid-pressure"
	TaintNodeNetworkUnavailable = "node.kubernetes.io/network-unavailable"
	TaintNodeOutOfService       = "node.kubernetes.io/out-of-service"
)

// Event types.
const (
	EventTypeNormal  = "Normal"
	EventTypeWarning = "Warning"
)

// ConditionStatus is True, False or Unknown.
type ConditionStatus string

// The values of ConditionStatus.
const (
	ConditionTrue    ConditionStatus = "True"
	ConditionFalse   ConditionStatus = "False"
	ConditionUnknown ConditionStatus = "Unknown"
)

// PodPhase is a summary of where a pod is in its lifecycle.
type PodPhase string

// The values of PodPhase.
const (
	// PodPending: accepted, but not all containers run yet (includes scheduling and pulling).
	PodPending PodPhase = "Pending"
	// PodRunning: bound to a node, all containers created, at least one running.
	PodRunning PodPhase = "Running"
	// PodSucceeded: all containers exited 0 and will not restart.
	PodSucceeded PodPhase = "Succeeded"
	// PodFailed: all containers exited, at least one with failure.
	PodFailed PodPhase = "Failed"
	// PodUnknown: the pod's state could not be obtained.
	PodUnknown PodPhase = "Unknown"
)

// PodConditionType is the type of a pod condition.
type PodConditionType string

// The built-in pod condition types.
const (
	// PodScheduled: the pod is bound to a node.
	PodScheduled PodConditionType = "PodScheduled"
	// PodReadyToStartContainers: the sandbox and network are ready.
	PodReadyToStartContainers PodConditionType = "PodReadyToStartContainers"
	// PodInitialized: all init containers completed.
	PodInitialized PodConditionType = "Initialized"
	// ContainersReady: all containers are ready.
	ContainersReady PodConditionType = "ContainersReady"
	// PodReady: the pod can serve requests and is added to service endpoints.
	PodReady PodConditionType = "Ready"
	// DisruptionTarget: the pod is about to be terminated by a disruption.
	DisruptionTarget PodConditionType = "DisruptionTarget"
	// PodResizePending: an in-place resize cannot be granted yet.
	PodResizePending PodConditionType = "PodResizePending"
	// PodResizeInProgress: an in-place resize is being applied.
	PodResizeInProgress PodConditionType = "PodResizeInProgress"
)

// Reasons of pod conditions.
const (
	// PodReasonUnschedulable: the scheduler cannot place the pod now.
	PodReasonUnschedulable = "Unschedulable"
	// PodReasonSchedulingGated: scheduling gates hold the pod.
	PodReasonSchedulingGated = "SchedulingGated"
	// PodReasonSchedulerError: scheduling failed with an error.
	PodReasonSchedulerError = "SchedulerError"
	// PodReasonTerminationByKubelet: the node agent terminates the pod.
	PodReasonTerminationByKubelet = "TerminationByKubelet"
	// PodReasonPreemptionByScheduler: the scheduler preempts the pod.
	PodReasonPreemptionByScheduler = "PreemptionByScheduler"
)

// PodQOSClass is the quality of service class of a pod.
type PodQOSClass string

// The values of PodQOSClass.
const (
	PodQOSGuaranteed PodQOSClass = "Guaranteed"
	PodQOSBurstable  PodQOSClass = "Burstable"
	PodQOSBestEffort PodQOSClass = "BestEffort"
)

// PodResizeStatus is the state of an in-place resize.
type PodResizeStatus string

// The values of PodResizeStatus.
const (
	PodResizeStatusProposed   PodResizeStatus = "Proposed"
	PodResizeStatusInProgress PodResizeStatus = "InProgress"
	PodResizeStatusDeferred   PodResizeStatus = "Deferred"
	PodResizeStatusInfeasible PodResizeStatus = "Infeasible"
)

// RestartPolicy says when a pod's containers are restarted.
type RestartPolicy string

// The values of RestartPolicy.
const (
	RestartPolicyAlways    RestartPolicy = "Always"
	RestartPolicyOnFailure RestartPolicy = "OnFailure"
	RestartPolicyNever     RestartPolicy = "Never"
)

// ContainerRestartPolicy is the restart policy of one init container; Always makes a sidecar.
type ContainerRestartPolicy string

// The values of ContainerRestartPolicy.
const (
	ContainerRestartPolicyAlways ContainerRestartPolicy = "Always"
)

// DNSPolicy says how a pod's DNS is set up.
type DNSPolicy string

// The values of DNSPolicy.
const (
	// DNSClusterFirstWithHostNet uses cluster DNS even with host networking.
	DNSClusterFirstWithHostNet DNSPolicy = "ClusterFirstWithHostNet"
	// DNSClusterFirst uses cluster DNS, falling back to the node's (the default).
	DNSClusterFirst DNSPolicy = "ClusterFirst"
	// DNSDefault uses the node's DNS configuration.
	DNSDefault DNSPolicy = "Default"
	// DNSNone uses only PodSpec.DNSConfig.
	DNSNone DNSPolicy = "None"
)

// PreemptionPolicy says whether a pod may preempt lower-priority pods.
type PreemptionPolicy string

// The values of PreemptionPolicy.
const (
	PreemptLowerPriority PreemptionPolicy = "PreemptLowerPriority"
	PreemptNever         PreemptionPolicy = "Never"
)

// Protocol is a network protocol.
type Protocol string

// The values of Protocol.
const (
	ProtocolTCP  Protocol = "TCP"
	ProtocolUDP  Protocol = "UDP"
	ProtocolSCTP Protocol = "SCTP"
)

// PullPolicy says when an image is pulled.
type PullPolicy string

// The values of PullPolicy.
const (
	PullAlways       PullPolicy = "Always"
	PullNever        PullPolicy = "Never"
	PullIfNotPresent PullPolicy = "IfNotPresent"
)

// TerminationMessagePolicy says where a container's termination message comes from.
type TerminationMessagePolicy string

// The values of TerminationMessagePolicy.
const (
	TerminationMessageReadFile              TerminationMessagePolicy = "File"
	TerminationMessageFallbackToLogsOnError TerminationMessagePolicy = "FallbackToLogsOnError"
)

// TerminationMessagePathDefault is the default TerminationMessagePath.
const TerminationMessagePathDefault = "/dev/termination-log"

// ResourceResizeRestartPolicy says whether resizing a resource restarts the container.
type ResourceResizeRestartPolicy string

// The values of ResourceResizeRestartPolicy.
const (
	NotRequired      ResourceResizeRestartPolicy = "NotRequired"
	RestartContainer ResourceResizeRestartPolicy = "RestartContainer"
)

// RecursiveReadOnlyMode says whether a read-only mount is recursively read-only.
type RecursiveReadOnlyMode string

// The values of RecursiveReadOnlyMode.
const (
	RecursiveReadOnlyDisabled   RecursiveReadOnlyMode = "Disabled"
	RecursiveReadOnlyIfPossible RecursiveReadOnlyMode = "IfPossible"
	RecursiveReadOnlyEnabled    RecursiveReadOnlyMode = "Enabled"
)

// MountPropagationMode says how mounts propagate between host and container.
type MountPropagationMode string

// The values of MountPropagationMode.
const (
	MountPropagationNone            MountPropagationMode = "None"
	MountPropagationHostToContainer MountPropagationMode = "HostToContainer"
	MountPropagationBidirectional   MountPropagationMode = "Bidirectional"
)

// URIScheme is the scheme of an HTTP probe.
type URIScheme string

// The values of URIScheme.
const (
	URISchemeHTTP  URIScheme = "HTTP"
	URISchemeHTTPS URIScheme = "HTTPS"
)

// ProcMountType says how /proc is mounted.
type ProcMountType string

// The values of ProcMountType.
const (
	DefaultProcMount  ProcMountType = "Default"
	UnmaskedProcMount ProcMountType = "Unmasked"
)

// SeccompProfileType is the kind of a seccomp profile.
type SeccompProfileType string

// The values of SeccompProfileType.
const (
	SeccompProfileTypeUnconfined     SeccompProfileType = "Unconfined"
	SeccompProfileTypeRuntimeDefault SeccompProfileType = "RuntimeDefault"
	SeccompProfileTypeLocalhost      SeccompProfileType = "Localhost"
)

// AppArmorProfileType is the kind of an AppArmor profile.
type AppArmorProfileType string

// The values of AppArmorProfileType.
const (
	AppArmorProfileTypeUnconfined     AppArmorProfileType = "Unconfined"
	AppArmorProfileTypeRuntimeDefault AppArmorProfileType = "RuntimeDefault"
	AppArmorProfileTypeLocalhost      AppArmorProfileType = "Localhost"
)

// SupplementalGroupsPolicy says how supplemental groups are computed.
type SupplementalGroupsPolicy string

// The values of SupplementalGroupsPolicy.
const (
	SupplementalGroupsPolicyMerge  SupplementalGroupsPolicy = "Merge"
	SupplementalGroupsPolicyStrict SupplementalGroupsPolicy = "Strict"
)

// PodFSGroupChangePolicy says when volume ownership is changed to the FSGroup.
type PodFSGroupChangePolicy string

// The values of PodFSGroupChangePolicy.
const (
	FSGroupChangeOnRootMismatch PodFSGroupChangePolicy = "OnRootMismatch"
	FSGroupChangeAlways         PodFSGroupChangePolicy = "Always"
)

// PodSELinuxChangePolicy says how SELinux labels are applied to volumes.
type PodSELinuxChangePolicy string

// The values of PodSELinuxChangePolicy.
const (
	SELinuxChangePolicyRecursive   PodSELinuxChangePolicy = "Recursive"
	SELinuxChangePolicyMountOption PodSELinuxChangePolicy = "MountOption"
)

// OSName is an operating system name.
type OSName string

// The values of OSName.
const (
	Linux   OSName = "linux"
	Windows OSName = "windows"
)

// ResourceHealthStatus is the health of a device.
type ResourceHealthStatus string

// The values of ResourceHealthStatus.
const (
	ResourceHealthStatusHealthy   ResourceHealthStatus = "Healthy"
	ResourceHealthStatusUnhealthy ResourceHealthStatus = "Unhealthy"
	ResourceHealthStatusUnknown   ResourceHealthStatus = "Unknown"
)

// NodeSelectorOperator relates a node selector key to its values.
type NodeSelectorOperator string

// The values of NodeSelectorOperator.
const (
	NodeSelectorOpIn           NodeSelectorOperator = "In"
	NodeSelectorOpNotIn        NodeSelectorOperator = "NotIn"
	NodeSelectorOpExists       NodeSelectorOperator = "Exists"
	NodeSelectorOpDoesNotExist NodeSelectorOperator = "DoesNotExist"
	NodeSelectorOpGt           NodeSelectorOperator = "Gt"
	NodeSelectorOpLt           NodeSelectorOperator = "Lt"
)

// TolerationOperator relates a toleration's key to its value.
type TolerationOperator string

// The values of TolerationOperator.
const (
	TolerationOpExists TolerationOperator = "Exists"
	TolerationOpEqual  TolerationOperator = "Equal"
)

// TaintEffect is what a taint does to pods that do not tolerate it.
type TaintEffect string

// The values of TaintEffect.
const (
	// TaintEffectNoSchedule keeps new pods off the node.
	TaintEffectNoSchedule TaintEffect = "NoSchedule"
	// TaintEffectPreferNoSchedule makes the scheduler avoid the node.
	TaintEffectPreferNoSchedule TaintEffect = "PreferNoSchedule"
	// TaintEffectNoExecute also evicts running pods.
	TaintEffectNoExecute TaintEffect = "NoExecute"
)

// UnsatisfiableConstraintAction says what happens when a spread constraint cannot be met.
type UnsatisfiableConstraintAction string

// The values of UnsatisfiableConstraintAction.
const (
	DoNotSchedule  UnsatisfiableConstraintAction = "DoNotSchedule"
	ScheduleAnyway UnsatisfiableConstraintAction = "ScheduleAnyway"
)

// NodeInclusionPolicy says whether a node attribute limits the domains of a spread constraint.
type NodeInclusionPolicy string

// The values of NodeInclusionPolicy.
const (
	NodeInclusionPolicyIgnore NodeInclusionPolicy = "Ignore"
	NodeInclusionPolicyHonor  NodeInclusionPolicy = "Honor"
)

// HostPathType checks or creates what is at a host path.
type HostPathType string

// The values of HostPathType.
const (
	HostPathUnset             HostPathType = ""
	HostPathDirectoryOrCreate HostPathType = "DirectoryOrCreate"
	HostPathDirectory         HostPathType = "Directory"
	HostPathFileOrCreate      HostPathType = "FileOrCreate"
	HostPathFile              HostPathType = "File"
	HostPathSocket            HostPathType = "Socket"
	HostPathCharDev           HostPathType = "CharDevice"
	HostPathBlockDev          HostPathType = "BlockDevice"
)

// StorageMedium is the medium of an emptyDir volume.
type StorageMedium string

// The values of StorageMedium.
const (
	StorageMediumDefault   StorageMedium = ""
	StorageMediumMemory    StorageMedium = "Memory"
	StorageMediumHugePages StorageMedium = "HugePages"
)

// PersistentVolumeAccessMode is how a volume can be mounted.
type PersistentVolumeAccessMode string

// The values of PersistentVolumeAccessMode.
const (
	ReadWriteOnce    PersistentVolumeAccessMode = "ReadWriteOnce"
	ReadOnlyMany     PersistentVolumeAccessMode = "ReadOnlyMany"
	ReadWriteMany    PersistentVolumeAccessMode = "ReadWriteMany"
	ReadWriteOncePod PersistentVolumeAccessMode = "ReadWriteOncePod"
)

// PersistentVolumeReclaimPolicy says what happens to a volume released by its claim.
type PersistentVolumeReclaimPolicy string

// The values of PersistentVolumeReclaimPolicy.
const (
	PersistentVolumeReclaimRecycle PersistentVolumeReclaimPolicy = "Recycle"
	PersistentVolumeReclaimDelete  PersistentVolumeReclaimPolicy = "Delete"
	PersistentVolumeReclaimRetain  PersistentVolumeReclaimPolicy = "Retain"
)

// PersistentVolumeMode is Block or Filesystem.
type PersistentVolumeMode string

// The values of PersistentVolumeMode.
const (
	PersistentVolumeBlock      PersistentVolumeMode = "Block"
	PersistentVolumeFilesystem PersistentVolumeMode = "Filesystem"
)

// PersistentVolumePhase is the phase of a persistent volume.
type PersistentVolumePhase string

// The values of PersistentVolumePhase.
const (
	VolumePending   PersistentVolumePhase = "Pending"
	VolumeAvailable PersistentVolumePhase = "Available"
	VolumeBound     PersistentVolumePhase = "Bound"
	VolumeReleased  PersistentVolumePhase = "Released"
	VolumeFailed    PersistentVolumePhase = "Failed"
)

// PersistentVolumeClaimPhase is the phase of a claim.
type PersistentVolumeClaimPhase string

// The values of PersistentVolumeClaimPhase.
const (
	ClaimPending PersistentVolumeClaimPhase = "Pending"
	ClaimBound   PersistentVolumeClaimPhase = "Bound"
	ClaimLost    PersistentVolumeClaimPhase = "Lost"
)

// PersistentVolumeClaimConditionType is the type of a claim condition.
type PersistentVolumeClaimConditionType string

// The built-in claim condition types.
const (
	PersistentVolumeClaimResizing                PersistentVolumeClaimConditionType = "Resizing"
	PersistentVolumeClaimFileSystemResizePending PersistentVolumeClaimConditionType = "FileSystemResizePending"
	PersistentVolumeClaimVolumeModifyingVolume   PersistentVolumeClaimConditionType = "ModifyingVolume"
	PersistentVolumeClaimVolumeModifyVolumeError PersistentVolumeClaimConditionType = "ModifyVolumeError"
)

// ClaimResourceStatus is the state of a resize of one resource of a claim.
type ClaimResourceStatus string

// The values of ClaimResourceStatus.
const (
	PersistentVolumeClaimControllerResizeInProgress ClaimResourceStatus = "ControllerResizeInProgress"
	PersistentVolumeClaimControllerResizeInfeasible ClaimResourceStatus = "ControllerResizeInfeasible"
	PersistentVolumeClaimNodeResizePending          ClaimResourceStatus = "NodeResizePending"
	PersistentVolumeClaimNodeResizeInProgress       ClaimResourceStatus = "NodeResizeInProgress"
	PersistentVolumeClaimNodeResizeInfeasible       ClaimResourceStatus = "NodeResizeInfeasible"
)

// PersistentVolumeClaimModifyVolumeStatus is the state of a VolumeAttributesClass change.
type PersistentVolumeClaimModifyVolumeStatus string

// The values of PersistentVolumeClaimModifyVolumeStatus.
const (
	PersistentVolumeClaimModifyVolumePending    PersistentVolumeClaimModifyVolumeStatus = "Pending"
	PersistentVolumeClaimModifyVolumeInProgress PersistentVolumeClaimModifyVolumeStatus = "InProgress"
	PersistentVolumeClaimModifyVolumeInfeasible PersistentVolumeClaimModifyVolumeStatus = "Infeasible"
)

// NodePhase is the deprecated phase of a node.
type NodePhase string

// The values of NodePhase.
const (
	NodePending    NodePhase = "Pending"
	NodeRunning    NodePhase = "Running"
	NodeTerminated NodePhase = "Terminated"
)

// NodeConditionType is the type of a node condition.
type NodeConditionType string

// The built-in node condition types.
const (
	// NodeReady: the node agent is healthy and ready to accept pods.
	NodeReady NodeConditionType = "Ready"
	// NodeMemoryPressure: the node is low on memory.
	NodeMemoryPressure NodeConditionType = "MemoryPressure"
	// NodeDiskPressure: the node is low on disk.
	NodeDiskPressure NodeConditionType = "DiskPressure"
	// NodePIDPressure: the node is low on process IDs.
	NodePIDPressure NodeConditionType = "PIDPressure"
	// NodeNetworkUnavailable: the node's network is not configured.
	NodeNetworkUnavailable NodeConditionType = "NetworkUnavailable"
)

// NodeAddressType is the type of a node address.
type NodeAddressType string

// The values of NodeAddressType.
const (
	NodeHostName    NodeAddressType = "Hostname"
	NodeInternalIP  NodeAddressType = "InternalIP"
	NodeExternalIP  NodeAddressType = "ExternalIP"
	NodeInternalDNS NodeAddressType = "InternalDNS"
	NodeExternalDNS NodeAddressType = "ExternalDNS"
)

// NamespacePhase is the phase of a namespace.
type NamespacePhase string

// The values of NamespacePhase.
const (
	NamespaceActive      NamespacePhase = "Active"
	NamespaceTerminating NamespacePhase = "Terminating"
)

// FinalizerKubernetes is the namespace finalizer of the namespace controller.
const FinalizerKubernetes FinalizerName = "kubernetes"

// NamespaceConditionType is the type of a namespace condition.
type NamespaceConditionType string

// The built-in namespace condition types.
const (
	NamespaceDeletionDiscoveryFailure NamespaceConditionType = "NamespaceDeletionDiscoveryFailure"
	NamespaceDeletionContentFailure   NamespaceConditionType = "NamespaceDeletionContentFailure"
	NamespaceDeletionGVParsingFailure NamespaceConditionType = "NamespaceDeletionGroupVersionParsingFailure"
	NamespaceContentRemaining         NamespaceConditionType = "NamespaceContentRemaining"
	NamespaceFinalizersRemaining      NamespaceConditionType = "NamespaceFinalizersRemaining"
)

// ServiceType is how a service is exposed.
type ServiceType string

// The values of ServiceType.
const (
	ServiceTypeClusterIP    ServiceType = "ClusterIP"
	ServiceTypeNodePort     ServiceType = "NodePort"
	ServiceTypeLoadBalancer ServiceType = "LoadBalancer"
	ServiceTypeExternalName ServiceType = "ExternalName"
)

// ClusterIPNone makes a service headless.
const ClusterIPNone = "None"

// ServiceAffinity is the session affinity of a service.
type ServiceAffinity string

// The values of ServiceAffinity.
const (
	ServiceAffinityClientIP ServiceAffinity = "ClientIP"
	ServiceAffinityNone     ServiceAffinity = "None"
)

// ServiceExternalTrafficPolicy routes external traffic cluster-wide or node-locally.
type ServiceExternalTrafficPolicy string

// The values of ServiceExternalTrafficPolicy.
const (
	ServiceExternalTrafficPolicyCluster ServiceExternalTrafficPolicy = "Cluster"
	ServiceExternalTrafficPolicyLocal   ServiceExternalTrafficPolicy = "Local"
)

// ServiceInternalTrafficPolicy routes internal traffic cluster-wide or node-locally.
type ServiceInternalTrafficPolicy string

// The values of ServiceInternalTrafficPolicy.
const (
	ServiceInternalTrafficPolicyCluster ServiceInternalTrafficPolicy = "Cluster"
	ServiceInternalTrafficPolicyLocal   ServiceInternalTrafficPolicy = "Local"
)

// IPFamily is an IP protocol family.
type IPFamily string

// The values of IPFamily.
const (
	IPv4Protocol IPFamily = "IPv4"
	IPv6Protocol IPFamily = "IPv6"
)

// IPFamilyPolicy says how many IP families a service gets.
type IPFamilyPolicy string

// The values of IPFamilyPolicy.
const (
	IPFamilyPolicySingleStack      IPFamilyPolicy = "SingleStack"
	IPFamilyPolicyPreferDualStack  IPFamilyPolicy = "PreferDualStack"
	IPFamilyPolicyRequireDualStack IPFamilyPolicy = "RequireDualStack"
)

// LoadBalancerIPMode says how traffic reaches a load balancer IP.
type LoadBalancerIPMode string

// The values of LoadBalancerIPMode.
const (
	LoadBalancerIPModeVIP   LoadBalancerIPMode = "VIP"
	LoadBalancerIPModeProxy LoadBalancerIPMode = "Proxy"
)

// ReplicationControllerConditionType is the type of a replication controller condition.
type ReplicationControllerConditionType string

// The built-in replication controller condition types.
const (
	ReplicationControllerReplicaFailure ReplicationControllerConditionType = "ReplicaFailure"
)

// SecretType fixes the keys a secret must have.
type SecretType string

// The values of SecretType.
const (
	SecretTypeOpaque              SecretType = "Opaque"
	SecretTypeServiceAccountToken SecretType = "kubernetes.io/service-account-token"
	SecretTypeDockercfg           SecretType = "kubernetes.io/dockercfg"
	SecretTypeDockerConfigJSON    SecretType = "kubernetes.io/dockerconfigjson"
	SecretTypeBasicAuth           SecretType = "kubernetes.io/basic-auth"
	SecretTypeSSHAuth             SecretType = "kubernetes.io/ssh-auth"
	SecretTypeTLS                 SecretType = "kubernetes.io/tls"
	SecretTypeBootstrapToken      SecretType = "bootstrap.kubernetes.io/token"
)

// ResourceQuotaScope narrows the objects a quota counts.
type ResourceQuotaScope string

// The values of ResourceQuotaScope.
const (
	ResourceQuotaScopeTerminating               ResourceQuotaScope = "Terminating"
	ResourceQuotaScopeNotTerminating            ResourceQuotaScope = "NotTerminating"
	ResourceQuotaScopeBestEffort                ResourceQuotaScope = "BestEffort"
	ResourceQuotaScopeNotBestEffort             ResourceQuotaScope = "NotBestEffort"
	ResourceQuotaScopePriorityClass             ResourceQuotaScope = "PriorityClass"
	ResourceQuotaScopeCrossNamespacePodAffinity ResourceQuotaScope = "CrossNamespacePodAffinity"
	ResourceQuotaScopeVolumeAttributesClass     ResourceQuotaScope = "VolumeAttributesClass"
)

// ScopeSelectorOperator relates a quota scope to its values.
type ScopeSelectorOperator string

// The values of ScopeSelectorOperator.
const (
	ScopeSelectorOpIn           ScopeSelectorOperator = "In"
	ScopeSelectorOpNotIn        ScopeSelectorOperator = "NotIn"
	ScopeSelectorOpExists       ScopeSelectorOperator = "Exists"
	ScopeSelectorOpDoesNotExist ScopeSelectorOperator = "DoesNotExist"
)

// LimitType is the kind of object a limit range item applies to.
type LimitType string

// The values of LimitType.
const (
	LimitTypePod                   LimitType = "Pod"
	LimitTypeContainer             LimitType = "Container"
	LimitTypePersistentVolumeClaim LimitType = "PersistentVolumeClaim"
)
