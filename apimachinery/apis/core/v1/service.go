package v1

import (
	"github.com/cellkit/cellkit/apimachinery/intstr"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// Service is a named abstraction of a set of pods, with a stable virtual IP and ports.
type Service struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Spec is the behavior of the service.
	Spec ServiceSpec `json:"spec,omitempty"`
	// Status is the observed state, such as the load balancer.
	Status ServiceStatus `json:"status,omitempty"`
}

// ServiceList is a list of Services.
type ServiceList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the services.
	Items []Service `json:"items"`
}

// ServiceSpec is the behavior of a service.
type ServiceSpec struct {
	// Ports the service exposes.
	Ports []ServicePort `json:"ports,omitempty" patchStrategy:"merge" patchMergeKey:"port"`
	// Selector picks the pods traffic goes to; nil means the endpoints are managed by hand.
	Selector map[string]string `json:"selector,omitempty"`
	// ClusterIP is the virtual IP; "None" makes a headless service.
	ClusterIP string `json:"clusterIP,omitempty"`
	// ClusterIPs are the virtual IPs, one per IP family; the first equals ClusterIP.
	ClusterIPs []string `json:"clusterIPs,omitempty"`
	// Type is ClusterIP (default), NodePort, LoadBalancer or ExternalName.
	Type ServiceType `json:"type,omitempty"`
	// ExternalIPs also route to the service.
	ExternalIPs []string `json:"externalIPs,omitempty"`
	// SessionAffinity is None (default) or ClientIP.
	SessionAffinity ServiceAffinity `json:"sessionAffinity,omitempty"`
	// LoadBalancerIP is deprecated.
	LoadBalancerIP string `json:"loadBalancerIP,omitempty"`
	// LoadBalancerSourceRanges restrict the clients of the load balancer.
	LoadBalancerSourceRanges []string `json:"loadBalancerSourceRanges,omitempty"`
	// ExternalName is the DNS name an ExternalName service aliases.
	ExternalName string `json:"externalName,omitempty"`
	// ExternalTrafficPolicy is Cluster or Local.
	ExternalTrafficPolicy ServiceExternalTrafficPolicy `json:"externalTrafficPolicy,omitempty"`
	// HealthCheckNodePort serves health checks for ExternalTrafficPolicy Local.
	HealthCheckNodePort int32 `json:"healthCheckNodePort,omitempty"`
	// PublishNotReadyAddresses includes unready pods in the endpoints.
	PublishNotReadyAddresses bool `json:"publishNotReadyAddresses,omitempty"`
	// SessionAffinityConfig configures session affinity.
	SessionAffinityConfig *SessionAffinityConfig `json:"sessionAffinityConfig,omitempty"`
	// IPFamilies of the service (IPv4, IPv6).
	IPFamilies []IPFamily `json:"ipFamilies,omitempty"`
	// IPFamilyPolicy is SingleStack, PreferDualStack or RequireDualStack.
	IPFamilyPolicy *IPFamilyPolicy `json:"ipFamilyPolicy,omitempty"`
	// AllocateLoadBalancerNodePorts says whether a LoadBalancer gets node ports (default true).
	AllocateLoadBalancerNodePorts *bool `json:"allocateLoadBalancerNodePorts,omitempty"`
	// LoadBalancerClass selects the load balancer implementation.
	LoadBalancerClass *string `json:"loadBalancerClass,omitempty"`
	// InternalTrafficPolicy is Cluster or Local.
	InternalTrafficPolicy *ServiceInternalTrafficPolicy `json:"internalTrafficPolicy,omitempty"`
	// TrafficDistribution expresses a preference for how traffic is spread (PreferClose).
	TrafficDistribution *string `json:"trafficDistribution,omitempty"`
}

// ServicePort is one port of a service.
type ServicePort struct {
	// Name is unique within the service; required when there are several ports.
	Name string `json:"name,omitempty"`
	// Protocol is TCP (default), UDP or SCTP.
	Protocol Protocol `json:"protocol,omitempty"`
	// AppProtocol is the application protocol (http, kubernetes.io/h2c, ...).
	AppProtocol *string `json:"appProtocol,omitempty"`
	// Port the service exposes.
	Port int32 `json:"port"`
	// TargetPort is the pods' port number or name (default Port).
	TargetPort intstr.IntOrString `json:"targetPort,omitempty"`
	// NodePort on every node, for NodePort and LoadBalancer services.
	NodePort int32 `json:"nodePort,omitempty"`
}

// SessionAffinityConfig configures session affinity.
type SessionAffinityConfig struct {
	// ClientIP configures ClientIP affinity.
	ClientIP *ClientIPConfig `json:"clientIP,omitempty"`
}

// ClientIPConfig configures ClientIP session affinity.
type ClientIPConfig struct {
	// TimeoutSeconds of a sticky session (default 10800).
	TimeoutSeconds *int32 `json:"timeoutSeconds,omitempty"`
}

// ServiceStatus is the observed state of a service.
type ServiceStatus struct {
	// LoadBalancer is the state of the load balancer.
	LoadBalancer LoadBalancerStatus `json:"loadBalancer,omitempty"`
	// Conditions of the service.
	Conditions []meta.Condition `json:"conditions,omitempty" patchStrategy:"merge" patchMergeKey:"type"`
}

// LoadBalancerStatus is the state of a load balancer.
type LoadBalancerStatus struct {
	// Ingress are the load balancer's entry points.
	Ingress []LoadBalancerIngress `json:"ingress,omitempty"`
}

// LoadBalancerIngress is an entry point of a load balancer.
type LoadBalancerIngress struct {
	// IP of the entry point.
	IP string `json:"ip,omitempty"`
	// Hostname of the entry point.
	Hostname string `json:"hostname,omitempty"`
	// IPMode is VIP or Proxy.
	IPMode *LoadBalancerIPMode `json:"ipMode,omitempty"`
	// Ports of the entry point.
	Ports []PortStatus `json:"ports,omitempty"`
}

// PortStatus is the state of a port of a load balancer.
type PortStatus struct {
	// Port number.
	Port int32 `json:"port"`
	// Protocol of the port.
	Protocol Protocol `json:"protocol"`
	// Error is a CamelCase reason when the port is not working.
	Error *string `json:"error,omitempty"`
}

// Endpoints are the addresses that implement a service.
type Endpoints struct {
	meta.TypeMeta `json:",inline"`
	// Standard object metadata; the name is the service's.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// Subsets group addresses by the ports they serve.
	Subsets []EndpointSubset `json:"subsets,omitempty"`
}

// EndpointsList is a list of Endpoints.
type EndpointsList struct {
	meta.TypeMeta `json:",inline"`
	// Standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the endpoints.
	Items []Endpoints `json:"items"`
}

// EndpointSubset is a group of addresses that serve the same ports.
type EndpointSubset struct {
	// Addresses that are ready.
	Addresses []EndpointAddress `json:"addresses,omitempty"`
	// NotReadyAddresses are not ready yet or failed their readiness probe.
	NotReadyAddresses []EndpointAddress `json:"notReadyAddresses,omitempty"`
	// Ports served by the addresses.
	Ports []EndpointPort `json:"ports,omitempty"`
}

// EndpointAddress is one address of an endpoint.
type EndpointAddress struct {
	// IP of the endpoint.
	IP string `json:"ip"`
	// Hostname of the endpoint.
	Hostname string `json:"hostname,omitempty"`
	// NodeName hosting the endpoint.
	NodeName *string `json:"nodeName,omitempty"`
	// TargetRef is the object (a pod) behind the endpoint.
	TargetRef *ObjectReference `json:"targetRef,omitempty"`
}

// EndpointPort is a port of an endpoint.
type EndpointPort struct {
	// Name matches the service port's name.
	Name string `json:"name,omitempty"`
	// Port number.
	Port int32 `json:"port"`
	// Protocol is TCP (default), UDP or SCTP.
	Protocol Protocol `json:"protocol,omitempty"`
	// AppProtocol is the application protocol.
	AppProtocol *string `json:"appProtocol,omitempty"`
}
