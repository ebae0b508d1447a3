package v1

import (
	"testing"

	"github.com/cellkit/cellkit/internal/deepcopygen/deepcopytest"
)

// TestDeepCopyEveryType fills every type of the package with random data, deep-copies it,
// checks the copy is equal and shares no memory, mutates every element of the copy and checks the
// original did not change. It fails when a type with a generated deep copy is missing here.
func TestDeepCopyEveryType(t *testing.T) {
	deepcopytest.CheckPackage(t, ".", deepcopytest.Options{Seeds: 3},
		&AWSElasticBlockStoreVolumeSource{}, &Affinity{}, &AppArmorProfile{}, &AttachedVolume{}, &Binding{},
		&CSIPersistentVolumeSource{}, &CSIVolumeSource{}, &Capabilities{}, &ClientIPConfig{}, &ClusterTrustBundleProjection{},
		&ConfigMap{}, &ConfigMapEnvSource{}, &ConfigMapKeySelector{}, &ConfigMapList{}, &ConfigMapNodeConfigSource{},
		&ConfigMapProjection{}, &ConfigMapVolumeSource{}, &Container{}, &ContainerImage{}, &ContainerPort{},
		&ContainerResizePolicy{}, &ContainerState{}, &ContainerStateRunning{}, &ContainerStateTerminated{}, &ContainerStateWaiting{},
		&ContainerStatus{}, &ContainerUser{}, &DaemonEndpoint{}, &DownwardAPIProjection{}, &DownwardAPIVolumeFile{},
		&DownwardAPIVolumeSource{}, &EmptyDirVolumeSource{}, &EndpointAddress{}, &EndpointPort{}, &EndpointSubset{},
		&Endpoints{}, &EndpointsList{}, &EnvFromSource{}, &EnvVar{}, &EnvVarSource{},
		&EphemeralContainer{}, &EphemeralContainerCommon{}, &EphemeralVolumeSource{}, &Event{}, &EventList{},
		&EventSeries{}, &EventSource{}, &ExecAction{}, &FCVolumeSource{}, &GCEPersistentDiskVolumeSource{},
		&GRPCAction{}, &HTTPGetAction{}, &HTTPHeader{}, &HostAlias{}, &HostIP{},
		&HostPathVolumeSource{}, &ISCSIPersistentVolumeSource{}, &ISCSIVolumeSource{}, &ImageVolumeSource{}, &KeyToPath{},
		&Lifecycle{}, &LifecycleHandler{}, &LimitRange{}, &LimitRangeItem{}, &LimitRangeList{},
		&LimitRangeSpec{}, &LinuxContainerUser{}, &LoadBalancerIngress{}, &LoadBalancerStatus{}, &LocalObjectReference{},
		&LocalVolumeSource{}, &ModifyVolumeStatus{}, &NFSVolumeSource{}, &Namespace{}, &NamespaceCondition{},
		&NamespaceList{}, &NamespaceSpec{}, &NamespaceStatus{}, &Node{}, &NodeAddress{},
		&NodeAffinity{}, &NodeCondition{}, &NodeConfigSource{}, &NodeConfigStatus{}, &NodeDaemonEndpoints{},
		&NodeFeatures{}, &NodeList{}, &NodeProxyOptions{}, &PodAttachOptions{}, &PodExecOptions{},
		&PodLogOptions{}, &PodPortForwardOptions{}, &PodProxyOptions{}, &ServiceProxyOptions{}, &NodeRuntimeHandler{}, &NodeRuntimeHandlerFeatures{}, &NodeSelector{},
		&NodeSelectorRequirement{}, &NodeSelectorTerm{}, &NodeSpec{}, &NodeStatus{}, &NodeSwapStatus{},
		&NodeSystemInfo{}, &ObjectFieldSelector{}, &ObjectReference{}, &PersistentVolume{}, &PersistentVolumeClaim{},
		&PersistentVolumeClaimCondition{}, &PersistentVolumeClaimList{}, &PersistentVolumeClaimSpec{}, &PersistentVolumeClaimStatus{}, &PersistentVolumeClaimTemplate{},
		&PersistentVolumeClaimVolumeSource{}, &PersistentVolumeList{}, &PersistentVolumeSource{}, &PersistentVolumeSpec{}, &PersistentVolumeStatus{},
		&Pod{}, &PodAffinity{}, &PodAffinityTerm{}, &PodAntiAffinity{}, &PodCondition{},
		&PodDNSConfig{}, &PodDNSConfigOption{}, &PodIP{}, &PodList{}, &PodOS{},
		&PodReadinessGate{}, &PodResourceClaim{}, &PodResourceClaimStatus{}, &PodSchedulingGate{}, &PodSecurityContext{},
		&PodSpec{}, &PodStatus{}, &PodTemplate{}, &PodTemplateList{}, &PodTemplateSpec{},
		&PortStatus{}, &PreferredSchedulingTerm{}, &Probe{}, &ProbeHandler{}, &ProjectedVolumeSource{},
		&ReplicationController{}, &ReplicationControllerCondition{}, &ReplicationControllerList{}, &ReplicationControllerSpec{}, &ReplicationControllerStatus{},
		&ResourceClaim{}, &ResourceFieldSelector{}, &ResourceHealth{}, new(ResourceList), &ResourceQuota{},
		&ResourceQuotaList{}, &ResourceQuotaSpec{}, &ResourceQuotaStatus{}, &ResourceRequirements{}, &ResourceStatus{},
		&SELinuxOptions{}, &ScopeSelector{}, &ScopedResourceSelectorRequirement{}, &SeccompProfile{}, &Secret{},
		&SecretEnvSource{}, &SecretKeySelector{}, &SecretList{}, &SecretProjection{}, &SecretReference{},
		&SecretVolumeSource{}, &SecurityContext{}, &Service{}, &ServiceAccount{}, &ServiceAccountList{},
		&ServiceAccountTokenProjection{}, &ServiceList{}, &ServicePort{}, &ServiceSpec{}, &ServiceStatus{},
		&SessionAffinityConfig{}, &SleepAction{}, &Sysctl{}, &TCPSocketAction{}, &Taint{},
		&Toleration{}, &TopologySpreadConstraint{}, &TypedLocalObjectReference{}, &TypedObjectReference{}, &Volume{},
		&VolumeDevice{}, &VolumeMount{}, &VolumeMountStatus{}, &VolumeNodeAffinity{}, &VolumeProjection{},
		&VolumeResourceRequirements{}, &VolumeSource{}, &WeightedPodAffinityTerm{}, &WindowsSecurityContextOptions{},
	)
}
