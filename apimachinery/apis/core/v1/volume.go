package v1

import (
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// Volume is a named volume of a pod.
type Volume struct {
	// Name is unique within the pod (a DNS label).
	Name string `json:"name"`
	// VolumeSource is where the volume's data comes from; exactly one is set.
	VolumeSource `json:",inline"`
}

// VolumeSource is the source of a pod volume. Exactly one field is set.
type VolumeSource struct {
	// HostPath is a file or directory of the node.
	HostPath *HostPathVolumeSource `json:"hostPath,omitempty"`
	// EmptyDir is a temporary directory that lives as long as the pod.
	EmptyDir *EmptyDirVolumeSource `json:"emptyDir,omitempty"`
	// GCEPersistentDisk is a deprecated in-tree GCE disk.
	GCEPersistentDisk *GCEPersistentDiskVolumeSource `json:"gcePersistentDisk,omitempty"`
	// AWSElasticBlockStore is a deprecated in-tree AWS disk.
	AWSElasticBlockStore *AWSElasticBlockStoreVolumeSource `json:"awsElasticBlockStore,omitempty"`
	// Secret populates the volume from a secret.
	Secret *SecretVolumeSource `json:"secret,omitempty"`
	// NFS mounts an NFS export.
	NFS *NFSVolumeSource `json:"nfs,omitempty"`
	// ISCSI mounts an iSCSI disk.
	ISCSI *ISCSIVolumeSource `json:"iscsi,omitempty"`
	// PersistentVolumeClaim mounts the volume bound to a claim.
	PersistentVolumeClaim *PersistentVolumeClaimVolumeSource `json:"persistentVolumeClaim,omitempty"`
	// DownwardAPI exposes pod fields as files.
	DownwardAPI *DownwardAPIVolumeSource `json:"downwardAPI,omitempty"`
	// FC mounts a Fibre Channel disk.
	FC *FCVolumeSource `json:"fc,omitempty"`
	// ConfigMap populates the volume from a config map.
	ConfigMap *ConfigMapVolumeSource `json:"configMap,omitempty"`
	// Projected combines secrets, config maps, downward API and tokens in one directory.
	Projected *ProjectedVolumeSource `json:"projected,omitempty"`
	// CSI is an ephemeral volume of a CSI driver.
	CSI *CSIVolumeSource `json:"csi,omitempty"`
	// Ephemeral is a per-pod volume provisioned from a claim template.
	Ephemeral *EphemeralVolumeSource `json:"ephemeral,omitempty"`
	// Image mounts the content of an OCI image or artifact.
	Image *ImageVolumeSource `json:"image,omitempty"`
}

// PersistentVolumeSource is the source of a persistent volume. Exactly one field is set.
type PersistentVolumeSource struct {
	// GCEPersistentDisk is a deprecated in-tree GCE disk.
	GCEPersistentDisk *GCEPersistentDiskVolumeSource `json:"gcePersistentDisk,omitempty"`
	// AWSElasticBlockStore is a deprecated in-tree AWS disk.
	AWSElasticBlockStore *AWSElasticBlockStoreVolumeSource `json:"awsElasticBlockStore,omitempty"`
	// HostPath is a directory of a node (single-node testing only).
	HostPath *HostPathVolumeSource `json:"hostPath,omitempty"`
	// NFS is an NFS export.
	NFS *NFSVolumeSource `json:"nfs,omitempty"`
	// ISCSI is an iSCSI disk.
	ISCSI *ISCSIPersistentVolumeSource `json:"iscsi,omitempty"`
	// FC is a Fibre Channel disk.
	FC *FCVolumeSource `json:"fc,omitempty"`
	// Local is a local disk of a node; the volume needs node affinity.
	Local *LocalVolumeSource `json:"local,omitempty"`
	// CSI is a volume of a CSI driver.
	CSI *CSIPersistentVolumeSource `json:"csi,omitempty"`
}

// HostPathVolumeSource is a file or directory on the node.
type HostPathVolumeSource struct {
	// Path on the node.
	Path string `json:"path"`
	// Type checks or creates what is at Path.
	Type *HostPathType `json:"type,omitempty"`
}

// EmptyDirVolumeSource is a temporary directory.
type EmptyDirVolumeSource struct {
	// Medium is "" (the node's default) or Memory (tmpfs).
	Medium StorageMedium `json:"medium,omitempty"`
	// SizeLimit bounds the storage the directory may use.
	SizeLimit *resource.Quantity `json:"sizeLimit,omitempty"`
}

// GCEPersistentDiskVolumeSource is a GCE persistent disk.
type GCEPersistentDiskVolumeSource struct {
	// PDName is the disk's name in GCE.
	PDName string `json:"pdName"`
	// FSType is the filesystem type (ext4, xfs, ...).
	FSType string `json:"fsType,omitempty"`
	// Partition to mount; 0 for the whole disk.
	Partition int32 `json:"partition,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// AWSElasticBlockStoreVolumeSource is an AWS EBS volume.
type AWSElasticBlockStoreVolumeSource struct {
	// VolumeID is the EBS volume's ID.
	VolumeID string `json:"volumeID"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// Partition to mount; 0 for the whole volume.
	Partition int32 `json:"partition,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// SecretVolumeSource populates a volume from a secret: each key becomes a file.
type SecretVolumeSource struct {
	// SecretName names the secret in the pod's namespace.
	SecretName string `json:"secretName,omitempty"`
	// Items select keys and their paths; all keys when empty.
	Items []KeyToPath `json:"items,omitempty"`
	// DefaultMode of the files (default 0644).
	DefaultMode *int32 `json:"defaultMode,omitempty"`
	// Optional allows the secret to be missing.
	Optional *bool `json:"optional,omitempty"`
}

// KeyToPath maps a key to a file path.
type KeyToPath struct {
	// Key to project.
	Key string `json:"key"`
	// Path of the file, relative to the volume.
	Path string `json:"path"`
	// Mode of the file.
	Mode *int32 `json:"mode,omitempty"`
}

// NFSVolumeSource is an NFS export.
type NFSVolumeSource struct {
	// Server is the NFS server's host name or IP.
	Server string `json:"server"`
	// Path exported by the server.
	Path string `json:"path"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// ISCSIVolumeSource is an iSCSI disk.
type ISCSIVolumeSource struct {
	// TargetPortal is IP or IP:port of the target.
	TargetPortal string `json:"targetPortal"`
	// IQN is the target's iSCSI qualified name.
	IQN string `json:"iqn"`
	// Lun is the target's LUN number.
	Lun int32 `json:"lun"`
	// ISCSIInterface is the interface name (default "default").
	ISCSIInterface string `json:"iscsiInterface,omitempty"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// Portals are more target portals.
	Portals []string `json:"portals,omitempty"`
	// DiscoveryCHAPAuth enables CHAP discovery authentication.
	DiscoveryCHAPAuth bool `json:"chapAuthDiscovery,omitempty"`
	// SessionCHAPAuth enables CHAP session authentication.
	SessionCHAPAuth bool `json:"chapAuthSession,omitempty"`
	// SecretRef names the CHAP secret.
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// InitiatorName is a custom initiator name.
	InitiatorName *string `json:"initiatorName,omitempty"`
}

// ISCSIPersistentVolumeSource is an iSCSI disk of a persistent volume.
type ISCSIPersistentVolumeSource struct {
	// TargetPortal is IP or IP:port of the target.
	TargetPortal string `json:"targetPortal"`
	// IQN is the target's iSCSI qualified name.
	IQN string `json:"iqn"`
	// Lun is the target's LUN number.
	Lun int32 `json:"lun"`
	// ISCSIInterface is the interface name (default "default").
	ISCSIInterface string `json:"iscsiInterface,omitempty"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// Portals are more target portals.
	Portals []string `json:"portals,omitempty"`
	// DiscoveryCHAPAuth enables CHAP discovery authentication.
	DiscoveryCHAPAuth bool `json:"chapAuthDiscovery,omitempty"`
	// SessionCHAPAuth enables CHAP session authentication.
	SessionCHAPAuth bool `json:"chapAuthSession,omitempty"`
	// SecretRef names the CHAP secret, in any namespace.
	SecretRef *SecretReference `json:"secretRef,omitempty"`
	// InitiatorName is a custom initiator name.
	InitiatorName *string `json:"initiatorName,omitempty"`
}

// FCVolumeSource is a Fibre Channel disk.
type FCVolumeSource struct {
	// TargetWWNs are the target world wide names.
	TargetWWNs []string `json:"targetWWNs,omitempty"`
	// Lun is the target's LUN number.
	Lun *int32 `json:"lun,omitempty"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// WWIDs are volume world wide identifiers, exclusive with TargetWWNs and Lun.
	WWIDs []string `json:"wwids,omitempty"`
}

// PersistentVolumeClaimVolumeSource mounts the volume bound to a claim in the pod's namespace.
type PersistentVolumeClaimVolumeSource struct {
	// ClaimName names the claim.
	ClaimName string `json:"claimName"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// DownwardAPIVolumeSource exposes pod fields as files.
type DownwardAPIVolumeSource struct {
	// Items are the files.
	Items []DownwardAPIVolumeFile `json:"items,omitempty"`
	// DefaultMode of the files (default 0644).
	DefaultMode *int32 `json:"defaultMode,omitempty"`
}

// DownwardAPIVolumeFile is one file of a downward API volume.
type DownwardAPIVolumeFile struct {
	// Path of the file, relative to the volume.
	Path string `json:"path"`
	// FieldRef selects a pod field (metadata.labels, metadata.annotations, ...).
	FieldRef *ObjectFieldSelector `json:"fieldRef,omitempty"`
	// ResourceFieldRef selects a container resource.
	ResourceFieldRef *ResourceFieldSelector `json:"resourceFieldRef,omitempty"`
	// Mode of the file.
	Mode *int32 `json:"mode,omitempty"`
}

// ConfigMapVolumeSource populates a volume from a config map: each key becomes a file.
type ConfigMapVolumeSource struct {
	// The config map's name.
	LocalObjectReference `json:",inline"`
	// Items select keys and their paths; all keys when empty.
	Items []KeyToPath `json:"items,omitempty"`
	// DefaultMode of the files (default 0644).
	DefaultMode *int32 `json:"defaultMode,omitempty"`
	// Optional allows the config map to be missing.
	Optional *bool `json:"optional,omitempty"`
}

// ProjectedVolumeSource projects several sources into one directory.
type ProjectedVolumeSource struct {
	// Sources are the projections.
	Sources []VolumeProjection `json:"sources"`
	// DefaultMode of the files (default 0644).
	DefaultMode *int32 `json:"defaultMode,omitempty"`
}

// VolumeProjection is one source of a projected volume. Exactly one field is set.
type VolumeProjection struct {
	// Secret projects keys of a secret.
	Secret *SecretProjection `json:"secret,omitempty"`
	// DownwardAPI projects pod fields.
	DownwardAPI *DownwardAPIProjection `json:"downwardAPI,omitempty"`
	// ConfigMap projects keys of a config map.
	ConfigMap *ConfigMapProjection `json:"configMap,omitempty"`
	// ServiceAccountToken projects a bound service account token.
	ServiceAccountToken *ServiceAccountTokenProjection `json:"serviceAccountToken,omitempty"`
	// ClusterTrustBundle projects certificates of ClusterTrustBundle objects.
	ClusterTrustBundle *ClusterTrustBundleProjection `json:"clusterTrustBundle,omitempty"`
}

// SecretProjection projects keys of a secret.
type SecretProjection struct {
	// The secret's name.
	LocalObjectReference `json:",inline"`
	// Items select keys and their paths; all keys when empty.
	Items []KeyToPath `json:"items,omitempty"`
	// Optional allows the secret to be missing.
	Optional *bool `json:"optional,omitempty"`
}

// ConfigMapProjection projects keys of a config map.
type ConfigMapProjection struct {
	// The config map's name.
	LocalObjectReference `json:",inline"`
	// Items select keys and their paths; all keys when empty.
	Items []KeyToPath `json:"items,omitempty"`
	// Optional allows the config map to be missing.
	Optional *bool `json:"optional,omitempty"`
}

// DownwardAPIProjection projects pod fields.
type DownwardAPIProjection struct {
	// Items are the files.
	Items []DownwardAPIVolumeFile `json:"items,omitempty"`
}

// ServiceAccountTokenProjection projects a bound service account token.
type ServiceAccountTokenProjection struct {
	// Audience of the token (default the API server's).
	Audience string `json:"audience,omitempty"`
	// ExpirationSeconds is the requested token lifetime (default 1 hour).
	ExpirationSeconds *int64 `json:"expirationSeconds,omitempty"`
	// Path of the token file, relative to the volume.
	Path string `json:"path"`
}

// ClusterTrustBundleProjection projects certificates of ClusterTrustBundle objects.
type ClusterTrustBundleProjection struct {
	// Name selects one bundle by name.
	Name *string `json:"name,omitempty"`
	// SignerName selects bundles by signer.
	SignerName *string `json:"signerName,omitempty"`
	// LabelSelector narrows the bundles of SignerName.
	LabelSelector *meta.LabelSelector `json:"labelSelector,omitempty"`
	// Optional allows no bundle to match.
	Optional *bool `json:"optional,omitempty"`
	// Path of the file, relative to the volume.
	Path string `json:"path"`
}

// CSIVolumeSource is an inline ephemeral volume of a CSI driver.
type CSIVolumeSource struct {
	// Driver is the CSI driver's name.
	Driver string `json:"driver"`
	// ReadOnly mounts read-only.
	ReadOnly *bool `json:"readOnly,omitempty"`
	// FSType is the filesystem type.
	FSType *string `json:"fsType,omitempty"`
	// VolumeAttributes are driver-specific properties.
	VolumeAttributes map[string]string `json:"volumeAttributes,omitempty"`
	// NodePublishSecretRef names a secret passed to the driver.
	NodePublishSecretRef *LocalObjectReference `json:"nodePublishSecretRef,omitempty"`
}

// CSIPersistentVolumeSource is a persistent volume of a CSI driver.
type CSIPersistentVolumeSource struct {
	// Driver is the CSI driver's name.
	Driver string `json:"driver"`
	// VolumeHandle is the driver's ID of the volume.
	VolumeHandle string `json:"volumeHandle"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// VolumeAttributes are driver-specific properties.
	VolumeAttributes map[string]string `json:"volumeAttributes,omitempty"`
	// ControllerPublishSecretRef names a secret for ControllerPublishVolume.
	ControllerPublishSecretRef *SecretReference `json:"controllerPublishSecretRef,omitempty"`
	// NodeStageSecretRef names a secret for NodeStageVolume.
	NodeStageSecretRef *SecretReference `json:"nodeStageSecretRef,omitempty"`
	// NodePublishSecretRef names a secret for NodePublishVolume.
	NodePublishSecretRef *SecretReference `json:"nodePublishSecretRef,omitempty"`
	// ControllerExpandSecretRef names a secret for ControllerExpandVolume.
	ControllerExpandSecretRef *SecretReference `json:"controllerExpandSecretRef,omitempty"`
	// NodeExpandSecretRef names a secret for NodeExpandVolume.
	NodeExpandSecretRef *SecretReference `json:"nodeExpandSecretRef,omitempty"`
}

// LocalVolumeSource is a local disk, partition or directory of a node.
type LocalVolumeSource struct {
	// Path on the node.
	Path string `json:"path"`
	// FSType is the filesystem type, for block devices.
	FSType *string `json:"fsType,omitempty"`
}

// EphemeralVolumeSource is a per-pod volume provisioned from a claim template and deleted with
// the pod.
type EphemeralVolumeSource struct {
	// VolumeClaimTemplate is the claim created for the pod.
	VolumeClaimTemplate *PersistentVolumeClaimTemplate `json:"volumeClaimTemplate,omitempty"`
}

// PersistentVolumeClaimTemplate describes the claim of an ephemeral volume.
type PersistentVolumeClaimTemplate struct {
	// Labels and annotations copied to the claim.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec of the claim.
	Spec PersistentVolumeClaimSpec `json:"spec"`
}

// ImageVolumeSource mounts the content of an OCI image or artifact.
type ImageVolumeSource struct {
	// Reference is the image or artifact reference.
	Reference string `json:"reference,omitempty"`
	// PullPolicy is Always, Never or IfNotPresent.
	PullPolicy PullPolicy `json:"pullPolicy,omitempty"`
}

// PersistentVolume is a piece of storage provisioned by an administrator or a provisioner.
type PersistentVolume struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec describes the volume.
	Spec PersistentVolumeSpec `json:"spec,omitempty"`
	// Status is the volume's phase.
	Status PersistentVolumeStatus `json:"status,omitempty"`
}

// PersistentVolumeList is a list of PersistentVolumes.
type PersistentVolumeList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the volumes.
	Items []PersistentVolume `json:"items"`
}

// PersistentVolumeSpec describes a persistent volume.
type PersistentVolumeSpec struct {
	// Capacity of the volume (storage).
	Capacity ResourceList `json:"capacity,omitempty"`
	// PersistentVolumeSource is where the storage is.
	PersistentVolumeSource `json:",inline"`
	// AccessModes the volume supports.
	AccessModes []PersistentVolumeAccessMode `json:"accessModes,omitempty"`
	// ClaimRef is the claim bound to the volume.
	ClaimRef *ObjectReference `json:"claimRef,omitempty"`
	// PersistentVolumeReclaimPolicy is Retain, Delete or Recycle.
	PersistentVolumeReclaimPolicy PersistentVolumeReclaimPolicy `json:"persistentVolumeReclaimPolicy,omitempty"`
	// StorageClassName is the class the volume belongs to.
	StorageClassName string `json:"storageClassName,omitempty"`
	// MountOptions passed to mount.
	MountOptions []string `json:"mountOptions,omitempty"`
	// VolumeMode is Filesystem (default) or Block.
	VolumeMode *PersistentVolumeMode `json:"volumeMode,omitempty"`
	// NodeAffinity limits the nodes the volume can be used from.
	NodeAffinity *VolumeNodeAffinity `json:"nodeAffinity,omitempty"`
	// VolumeAttributesClassName names the VolumeAttributesClass of the volume.
	VolumeAttributesClassName *string `json:"volumeAttributesClassName,omitempty"`
}

// VolumeNodeAffinity limits the nodes a volume can be used from.
type VolumeNodeAffinity struct {
	// Required must hold.
	Required *NodeSelector `json:"required,omitempty"`
}

// PersistentVolumeStatus is the observed state of a persistent volume.
type PersistentVolumeStatus struct {
	// Phase is Pending, Available, Bound, Released or Failed.
	Phase PersistentVolumePhase `json:"phase,omitempty"`
	// Message is a human-readable message.
	Message string `json:"message,omitempty"`
	// Reason is a CamelCase reason for a failure.
	Reason string `json:"reason,omitempty"`
	// LastPhaseTransitionTime is when the phase last changed.
	LastPhaseTransitionTime *meta.Time `json:"lastPhaseTransitionTime,omitempty"`
}

// PersistentVolumeClaim is a user's request for storage.
type PersistentVolumeClaim struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the requested storage.
	Spec PersistentVolumeClaimSpec `json:"spec,omitempty"`
	// Status is the claim's binding state.
	Status PersistentVolumeClaimStatus `json:"status,omitempty"`
}

// PersistentVolumeClaimList is a list of PersistentVolumeClaims.
type PersistentVolumeClaimList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the claims.
	Items []PersistentVolumeClaim `json:"items"`
}

// PersistentVolumeClaimSpec is the storage a claim requests.
type PersistentVolumeClaimSpec struct {
	// AccessModes the volume must support.
	AccessModes []PersistentVolumeAccessMode `json:"accessModes,omitempty"`
	// Selector narrows the volumes that can bind.
	Selector *meta.LabelSelector `json:"selector,omitempty"`
	// Resources are the minimum (requests.storage) and maximum size.
	Resources VolumeResourceRequirements `json:"resources,omitempty"`
	// VolumeName binds to a specific volume.
	VolumeName string `json:"volumeName,omitempty"`
	// StorageClassName is the class required; nil means the default class, "" none.
	StorageClassName *string `json:"storageClassName,omitempty"`
	// VolumeMode is Filesystem (default) or Block.
	VolumeMode *PersistentVolumeMode `json:"volumeMode,omitempty"`
	// DataSource populates the volume from a snapshot or another claim.
	DataSource *TypedLocalObjectReference `json:"dataSource,omitempty"`
	// DataSourceRef populates the volume from any object, possibly in another namespace.
	DataSourceRef *TypedObjectReference `json:"dataSourceRef,omitempty"`
	// VolumeAttributesClassName names the VolumeAttributesClass requested.
	VolumeAttributesClassName *string `json:"volumeAttributesClassName,omitempty"`
}

// VolumeResourceRequirements are the storage requests and limits of a claim.
type VolumeResourceRequirements struct {
	// Limits are the maximum amounts allowed.
	Limits ResourceList `json:"limits,omitempty"`
	// Requests are the minimum amounts needed.
	Requests ResourceList `json:"requests,omitempty"`
}

// TypedObjectReference points at an object of any group, optionally in another namespace.
type TypedObjectReference struct {
	// APIGroup of the object; empty for the core group.
	APIGroup *string `json:"apiGroup"`
	// Kind of the object.
	Kind string `json:"kind"`
	// Name of the object.
	Name string `json:"name"`
	// Namespace of the object; the claim's when empty.
	Namespace *string `json:"namespace,omitempty"`
}

// PersistentVolumeClaimStatus is the observed state of a claim.
type PersistentVolumeClaimStatus struct {
	// Phase is Pending, Bound or Lost.
	Phase PersistentVolumeClaimPhase `json:"phase,omitempty"`
	// AccessModes of the bound volume.
	AccessModes []PersistentVolumeAccessMode `json:"accessModes,omitempty"`
	// Capacity of the bound volume.
	Capacity ResourceList `json:"capacity,omitempty"`
	// Conditions of the claim (Resizing, FileSystemResizePending, ...).
	Conditions []PersistentVolumeClaimCondition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
	// AllocatedResources are the amounts allocated during a resize.
	AllocatedResources ResourceList `json:"allocatedResources,omitempty"`
	// AllocatedResourceStatuses are the states of resizes per resource.
	AllocatedResourceStatuses map[ResourceName]ClaimResourceStatus `json:"allocatedResourceStatuses,omitempty"`
	// CurrentVolumeAttributesClassName is the class currently applied.
	CurrentVolumeAttributesClassName *string `json:"currentVolumeAttributesClassName,omitempty"`
	// ModifyVolumeStatus is the state of a class change.
	ModifyVolumeStatus *ModifyVolumeStatus `json:"modifyVolumeStatus,omitempty"`
}

// PersistentVolumeClaimCondition is one condition of a claim.
type PersistentVolumeClaimCondition struct {
	// Type of the condition.
	Type PersistentVolumeClaimConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// LastProbeTime is when the condition was last probed.
	LastProbeTime meta.Time `json:"lastProbeTime,omitempty"`
	// LastTransitionTime is when the status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitempty"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable message.
	Message string `json:"message,omitempty"`
}

// ModifyVolumeStatus is the state of a VolumeAttributesClass change.
type ModifyVolumeStatus struct {
	// TargetVolumeAttributesClassName is the class being applied.
	TargetVolumeAttributesClassName string `json:"targetVolumeAttributesClassName,omitempty"`
	// Status is Pending, InProgress or Infeasible.
	Status PersistentVolumeClaimModifyVolumeStatus `json:"status"`
}
