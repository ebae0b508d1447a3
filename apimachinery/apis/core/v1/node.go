package v1

import "github.com/cellkit/cellkit/apimachinery/meta"

// Node is a worker machine that runs pods.
type Node struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the configuration of the node.
	Spec NodeSpec `json:"spec,omitempty"`
	// Status is the most recently observed state of the node.
	Status NodeStatus `json:"status,omitempty"`
}

// NodeList is a list of Nodes.
type NodeList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the nodes.
	Items []Node `json:"items"`
}

// NodeSpec is the configuration of a node.
type NodeSpec struct {
	// PodCIDR is the pod IP range of the node.
	PodCIDR string `json:"podCIDR,omitempty"`
	// PodCIDRs are the pod IP ranges, one per IP family; the first equals PodCIDR.
	PodCIDRs []string `json:"podCIDRs,omitempty" patchStrategy:"merge"`
	// ProviderID is the cloud provider's ID of the node: <provider>://<id>.
	ProviderID string `json:"providerID,omitempty"`
	// Unschedulable keeps new pods off the node (cordon).
	Unschedulable bool `json:"unschedulable,omitempty"`
	// Taints repel pods that do not tolerate them.
	Taints []Taint `json:"taints,omitempty"`
	// ConfigSource is deprecated and ignored.
	ConfigSource *NodeConfigSource `json:"configSource,omitempty"`
	// DoNotUseExternalID is deprecated and ignored.
	DoNotUseExternalID string `json:"externalID,omitempty"`
}

// NodeConfigSource is the deprecated dynamic kubelet configuration source.
type NodeConfigSource struct {
	// ConfigMap holding the configuration.
	ConfigMap *ConfigMapNodeConfigSource `json:"configMap,omitempty"`
}

// ConfigMapNodeConfigSource names a config map holding a node's configuration.
type ConfigMapNodeConfigSource struct {
	// Namespace of the config map.
	Namespace string `json:"namespace"`
	// Name of the config map.
	Name string `json:"name"`
	// UID of the config map.
	UID meta.UID `json:"uid,omitempty"`
	// ResourceVersion of the config map.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// KubeletConfigKey is the key holding the configuration.
	KubeletConfigKey string `json:"kubeletConfigKey"`
}

// NodeStatus is the observed state of a node.
type NodeStatus struct {
	// Capacity is the total of each resource of the node.
	Capacity ResourceList `json:"capacity,omitempty"`
	// Allocatable is the part of Capacity available to pods.
	Allocatable ResourceList `json:"allocatable,omitempty"`
	// Phase is deprecated.
	Phase NodePhase `json:"phase,omitempty"`
	// Conditions are the node's current conditions (Ready, MemoryPressure, ...).
	Conditions []NodeCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
	// Addresses reachable for the node.
	Addresses []NodeAddress `json:"addresses,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
	// DaemonEndpoints are the ports of the node agent.
	DaemonEndpoints NodeDaemonEndpoints `json:"daemonEndpoints,omitempty"`
	// NodeInfo identifies the node's software.
	NodeInfo NodeSystemInfo `json:"nodeInfo,omitempty"`
	// Images present on the node.
	Images []ContainerImage `json:"images,omitempty"`
	// VolumesInUse are the attachable volumes in use.
	VolumesInUse []UniqueVolumeName `json:"volumesInUse,omitempty"`
	// VolumesAttached are the volumes attached to the node.
	VolumesAttached []AttachedVolume `json:"volumesAttached,omitempty"`
	// Config is the deprecated dynamic configuration status.
	Config *NodeConfigStatus `json:"config,omitempty"`
	// RuntimeHandlers available on the node.
	RuntimeHandlers []NodeRuntimeHandler `json:"runtimeHandlers,omitempty"`
	// Features the node supports.
	Features *NodeFeatures `json:"features,omitempty"`
}

// NodeCondition is one condition of a node.
type NodeCondition struct {
	// Type of the condition.
	Type NodeConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// LastHeartbeatTime is when the condition was last reported.
	LastHeartbeatTime meta.Time `json:"lastHeartbeatTime,omitempty"`
	// LastTransitionTime is when the status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable message.
	Message string `json:"message,omitempty"`
}

// NodeAddress is one address of a node.
type NodeAddress struct {
	// Type is Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.
	Type NodeAddressType `json:"type"`
	// Address is the value.
	Address string `json:"address"`
}

// NodeDaemonEndpoints are the ports of the daemons on a node.
type NodeDaemonEndpoints struct {
	// KubeletEndpoint is the node agent's port.
	KubeletEndpoint DaemonEndpoint `json:"kubeletEndpoint,omitempty"`
}

// DaemonEndpoint is a port of a daemon.
type DaemonEndpoint struct {
	// Port number.
	Port int32 `json:"Port"`
}

// NodeSystemInfo identifies the software of a node.
type NodeSystemInfo struct {
	// MachineID of the node (/etc/machine-id).
	MachineID string `json:"machineID"`
	// SystemUUID of the node.
	SystemUUID string `json:"systemUUID"`
	// BootID changes on every boot.
	BootID string `json:"bootID"`
	// KernelVersion from uname -r.
	KernelVersion string `json:"kernelVersion"`
	// OSImage is the OS name and version.
	OSImage string `json:"osImage"`
	// ContainerRuntimeVersion is <runtime>://<version>.
	ContainerRuntimeVersion string `json:"containerRuntimeVersion"`
	// KubeletVersion is the node agent's version.
	KubeletVersion string `json:"kubeletVersion"`
	// KubeProxyVersion is deprecated.
	KubeProxyVersion string `json:"kubeProxyVersion"`
	// OperatingSystem is linux or windows.
	OperatingSystem string `json:"operatingSystem"`
	// Architecture is the GOARCH of the node.
	Architecture string `json:"architecture"`
	// Swap describes the node's swap memory.
	Swap *NodeSwapStatus `json:"swap,omitempty"`
}

// NodeSwapStatus describes a node's swap memory.
type NodeSwapStatus struct {
	// Capacity of swap in bytes.
	Capacity *int64 `json:"capacity,omitempty"`
}

// ContainerImage is an image present on a node.
type ContainerImage struct {
	// Names (tags and digests) of the image.
	Names []string `json:"names"`
	// SizeBytes of the image.
	SizeBytes int64 `json:"sizeBytes,omitempty"`
}

// UniqueVolumeName names an attachable volume uniquely.
type UniqueVolumeName string

// AttachedVolume is a volume attached to a node.
type AttachedVolume struct {
	// Name of the volume.
	Name UniqueVolumeName `json:"name"`
	// DevicePath where the volume is available.
	DevicePath string `json:"devicePath"`
}

// NodeConfigStatus is the deprecated dynamic configuration status.
type NodeConfigStatus struct {
	// Assigned configuration.
	Assigned *NodeConfigSource `json:"assigned,omitempty"`
	// Active configuration.
	Active *NodeConfigSource `json:"active,omitempty"`
	// LastKnownGood configuration.
	LastKnownGood *NodeConfigSource `json:"lastKnownGood,omitempty"`
	// Error from the configuration.
	Error string `json:"error,omitempty"`
}

// NodeRuntimeHandler is a runtime handler of a node.
type NodeRuntimeHandler struct {
	// Name of the handler; empty for the default.
	Name string `json:"name"`
	// Features of the handler.
	Features *NodeRuntimeHandlerFeatures `json:"features,omitempty"`
}

// NodeRuntimeHandlerFeatures are the features of a runtime handler.
type NodeRuntimeHandlerFeatures struct {
	// RecursiveReadOnlyMounts is supported.
	RecursiveReadOnlyMounts *bool `json:"recursiveReadOnlyMounts,omitempty"`
	// UserNamespaces are supported.
	UserNamespaces *bool `json:"userNamespaces,omitempty"`
}

// NodeFeatures are features a node supports.
type NodeFeatures struct {
	// SupplementalGroupsPolicy is supported.
	SupplementalGroupsPolicy *bool `json:"supplementalGroupsPolicy,omitempty"`
}

// Namespace groups names: objects of namespaced kinds live in exactly one namespace.
type Namespace struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec holds the namespace's finalizers.
	Spec NamespaceSpec `json:"spec,omitempty"`
	// Status is the namespace's phase.
	Status NamespaceStatus `json:"status,omitempty"`
}

// NamespaceList is a list of Namespaces.
type NamespaceList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the namespaces.
	Items []Namespace `json:"items"`
}

// FinalizerName names a namespace finalizer.
type FinalizerName string

// NamespaceSpec holds the finalizers of a namespace.
type NamespaceSpec struct {
	// Finalizers must all be removed before the namespace is deleted.
	Finalizers []FinalizerName `json:"finalizers,omitempty"`
}

// NamespaceStatus is the observed state of a namespace.
type NamespaceStatus struct {
	// Phase is Active or Terminating.
	Phase NamespacePhase `json:"phase,omitempty"`
	// Conditions of the namespace.
	Conditions []NamespaceCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
}

// NamespaceCondition is one condition of a namespace.
type NamespaceCondition struct {
	// Type of the condition.
	Type NamespaceConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// LastTransitionTime is when the status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable message.
	Message string `json:"message,omitempty"`
}
