package framework

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
)

// Defaults the scheduler assumes, for scoring only, for a container that requests no CPU or
// no memory (kube-scheduler's non-zero requests), so that many request-less pods do not all
// land on one node.
const (
	DefaultMilliCPURequest int64 = 100               // 0.1 core
	DefaultMemoryRequest   int64 = 200 * 1024 * 1024 // 200 MiB
)

// Resource is an amount of each compute resource in integer units: CPU in millicores, memory
// and ephemeral storage in bytes, pods as a count, and extended (scalar) resources in their
// integer value.
type Resource struct {
	MilliCPU         int64
	Memory           int64
	EphemeralStorage int64
	AllowedPodNumber int64
	// Scalar holds every other resource (extended resources such as example.com/gpu,
	// hugepages-*). Nil when there are none.
	Scalar map[corev1.ResourceName]int64
}

// NewResource converts a ResourceList.
func NewResource(rl corev1.ResourceList) Resource {
	var r Resource
	r.AddList(rl)
	return r
}

// AddList adds every quantity of rl.
func (r *Resource) AddList(rl corev1.ResourceList) {
	for name, q := range rl {
		switch name {
		case corev1.ResourceCPU:
			r.MilliCPU += q.MilliValue()
		case corev1.ResourceMemory:
			r.Memory += q.Value()
		case corev1.ResourceEphemeralStorage:
			r.EphemeralStorage += q.Value()
		case corev1.ResourcePods:
			r.AllowedPodNumber += q.Value()
		default:
			r.AddScalar(name, q.Value())
		}
	}
}

// AddScalar adds v of the extended resource name.
func (r *Resource) AddScalar(name corev1.ResourceName, v int64) {
	if r.Scalar == nil {
		r.Scalar = make(map[corev1.ResourceName]int64)
	}
	r.Scalar[name] += v
}

// Add adds o to r.
func (r *Resource) Add(o Resource) {
	r.MilliCPU += o.MilliCPU
	r.Memory += o.Memory
	r.EphemeralStorage += o.EphemeralStorage
	r.AllowedPodNumber += o.AllowedPodNumber
	for k, v := range o.Scalar {
		r.AddScalar(k, v)
	}
}

// Sub subtracts o from r.
func (r *Resource) Sub(o Resource) {
	r.MilliCPU -= o.MilliCPU
	r.Memory -= o.Memory
	r.EphemeralStorage -= o.EphemeralStorage
	r.AllowedPodNumber -= o.AllowedPodNumber
	for k, v := range o.Scalar {
		r.AddScalar(k, -v)
	}
}

// SetMax raises every amount of r to at least the one of o.
func (r *Resource) SetMax(o Resource) {
	r.MilliCPU = max(r.MilliCPU, o.MilliCPU)
	r.Memory = max(r.Memory, o.Memory)
	r.EphemeralStorage = max(r.EphemeralStorage, o.EphemeralStorage)
	r.AllowedPodNumber = max(r.AllowedPodNumber, o.AllowedPodNumber)
	for k, v := range o.Scalar {
		if v > r.Scalar[k] {
			if r.Scalar == nil {
				r.Scalar = make(map[corev1.ResourceName]int64)
			}
			r.Scalar[k] = v
		}
	}
}

// Clone returns a deep copy.
func (r Resource) Clone() Resource {
	c := r
	if r.Scalar != nil {
		c.Scalar = make(map[corev1.ResourceName]int64, len(r.Scalar))
		for k, v := range r.Scalar {
			c.Scalar[k] = v
		}
	}
	return c
}

// Get returns the amount of name.
func (r Resource) Get(name corev1.ResourceName) int64 {
	switch name {
	case corev1.ResourceCPU:
		return r.MilliCPU
	case corev1.ResourceMemory:
		return r.Memory
	case corev1.ResourceEphemeralStorage:
		return r.EphemeralStorage
	case corev1.ResourcePods:
		return r.AllowedPodNumber
	default:
		return r.Scalar[name]
	}
}

// IsRestartableInit reports whether an init container is a sidecar (restartPolicy Always):
// it keeps running beside the regular containers.
func IsRestartableInit(c *corev1.Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// PodRequests computes what a pod needs of a node, as Kubernetes does: the sum of the regular
// containers plus the sidecar init containers, or the largest need of any init container
// (counting the sidecars started before it) if that is larger, plus the pod overhead. With
// nonZero, a container that requests no CPU or no memory counts DefaultMilliCPURequest or
// DefaultMemoryRequest for it (used for scoring only).
func PodRequests(pod *corev1.Pod, nonZero bool) Resource {
	var sum Resource
	for i := range pod.Spec.Containers {
		sum.Add(containerRequests(&pod.Spec.Containers[i], nonZero))
	}
	var sidecars, initMax Resource
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		req := containerRequests(c, nonZero)
		if IsRestartableInit(c) {
			sidecars.Add(req)
			initMax.SetMax(sidecars)
			continue
		}
		req.Add(sidecars)
		initMax.SetMax(req)
	}
	sum.Add(sidecars)
	sum.SetMax(initMax)
	if pod.Spec.Overhead != nil {
		sum.AddList(pod.Spec.Overhead)
	}
	return sum
}

func containerRequests(c *corev1.Container, nonZero bool) Resource {
	r := NewResource(c.Resources.Requests)
	if nonZero {
		if _, ok := c.Resources.Requests[corev1.ResourceCPU]; !ok {
			r.MilliCPU = DefaultMilliCPURequest
		}
		if _, ok := c.Resources.Requests[corev1.ResourceMemory]; !ok {
			r.Memory = DefaultMemoryRequest
		}
	}
	return r
}
