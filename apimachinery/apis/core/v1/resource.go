package v1

import "github.com/cellkit/cellkit/apimachinery/resource"

// ResourceName names a resource: cpu, memory, pods, ephemeral-storage, storage, an extended
// resource such as example.com/gpu, or a quota key such as requests.cpu.
type ResourceName string

// Resource names of compute resources.
const (
	// ResourceCPU is CPU in cores (500m = half a core).
	ResourceCPU ResourceName = "cpu"
	// ResourceMemory is memory in bytes.
	ResourceMemory ResourceName = "memory"
	// ResourceStorage is volume size in bytes.
	ResourceStorage ResourceName = "storage"
	// ResourceEphemeralStorage is local ephemeral storage in bytes.
	ResourceEphemeralStorage ResourceName = "ephemeral-storage"
	// ResourcePods is the number of pods a node can run.
	ResourcePods ResourceName = "pods"
)

// Resource names used by resource quotas.
const (
	ResourceServices                 ResourceName = "services"
	ResourceReplicationControllers   ResourceName = "replicationcontrollers"
	ResourceQuotas                   ResourceName = "resourcequotas"
	ResourceSecrets                  ResourceName = "secrets"
	ResourceConfigMaps               ResourceName = "configmaps"
	ResourcePersistentVolumeClaims   ResourceName = "persistentvolumeclaims"
	ResourceServicesNodePorts        ResourceName = "services.nodeports"
	ResourceServicesLoadBalancers    ResourceName = "services.loadbalancers"
	ResourceRequestsCPU              ResourceName = "requests.cpu"
	ResourceRequestsMemory           ResourceName = "requests.memory"
	ResourceRequestsStorage          ResourceName = "requests.storage"
	ResourceRequestsEphemeralStorage ResourceName = "requests.ephemeral-storage"
	ResourceLimitsCPU                ResourceName = "limits.cpu"
	ResourceLimitsMemory             ResourceName = "limits.memory"
	ResourceLimitsEphemeralStorage   ResourceName = "limits.ephemeral-storage"
)

// ResourceList maps resource names to quantities.
type ResourceList map[ResourceName]resource.Quantity

// Name returns the quantity of name, or nil if the list has none. The result is a copy: changing
// it does not change the list.
func (rl ResourceList) Name(name ResourceName) *resource.Quantity {
	q, ok := rl[name]
	if !ok {
		return nil
	}
	q = q.DeepCopy()
	return &q
}

// Cpu returns the CPU quantity, or a zero quantity in the decimal SI format if there is none.
func (rl ResourceList) Cpu() *resource.Quantity { return rl.orZero(ResourceCPU, resource.DecimalSI) }

// Memory returns the memory quantity, or a zero quantity in the binary SI format if there is none.
func (rl ResourceList) Memory() *resource.Quantity {
	return rl.orZero(ResourceMemory, resource.BinarySI)
}

// Storage returns the storage quantity, or a zero quantity in the binary SI format if there is
// none.
func (rl ResourceList) Storage() *resource.Quantity {
	return rl.orZero(ResourceStorage, resource.BinarySI)
}

// StorageEphemeral returns the ephemeral-storage quantity, or a zero quantity in the binary SI
// format if there is none.
func (rl ResourceList) StorageEphemeral() *resource.Quantity {
	return rl.orZero(ResourceEphemeralStorage, resource.BinarySI)
}

// Pods returns the pods quantity, or a zero quantity in the decimal SI format if there is none.
func (rl ResourceList) Pods() *resource.Quantity { return rl.orZero(ResourcePods, resource.DecimalSI) }

func (rl ResourceList) orZero(name ResourceName, format resource.Format) *resource.Quantity {
	if q := rl.Name(name); q != nil {
		return q
	}
	return &resource.Quantity{Format: format}
}
