package v1

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
)

// GroupName is the API group of this package.
const GroupName = "discovery.k8s.io"

// Well-known labels of EndpointSlices.
const (
	// LabelServiceName names the Service a slice belongs to.
	LabelServiceName = "kubernetes.io/service-name"
	// LabelManagedBy names the controller or entity that manages a slice.
	LabelManagedBy = "endpointslice.kubernetes.io/managed-by"
	// LabelSkipMirror, set to "true" on an Endpoints object, stops it from being mirrored into
	// EndpointSlices.
	LabelSkipMirror = "endpointslice.kubernetes.io/skip-mirror"
)

// EndpointSlice is a set of endpoints of one address type, with the ports they share.
type EndpointSlice struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitempty"`
	// AddressType is the type of every address in the slice; it cannot change.
	AddressType AddressType `json:"addressType"`
	// Endpoints are the endpoints, at most 1000.
	Endpoints []Endpoint `json:"endpoints"`
	// Ports are the ports every endpoint exposes, at most 100. No ports means none are
	// exposed; a port with nil Port means every port.
	Ports []EndpointPort `json:"ports"`
}

// AddressType is the kind of address an EndpointSlice holds.
type AddressType string

// The address types.
const (
	// AddressTypeIPv4 is an IPv4 address.
	AddressTypeIPv4 = AddressType(corev1.IPv4Protocol)
	// AddressTypeIPv6 is an IPv6 address.
	AddressTypeIPv6 = AddressType(corev1.IPv6Protocol)
	// AddressTypeFQDN is a fully qualified domain name (deprecated by Kubernetes).
	AddressTypeFQDN = AddressType("FQDN")
)

// Endpoint is one backend of a Service.
type Endpoint struct {
	// Addresses are the addresses of the endpoint, of the slice's AddressType; consumers use
	// the first.
	Addresses []string `json:"addresses"`
	// Conditions are the readiness of the endpoint.
	Conditions EndpointConditions `json:"conditions,omitempty"`
	// Hostname is the DNS label of the endpoint.
	Hostname *string `json:"hostname,omitempty"`
	// TargetRef is the object behind the endpoint, usually a Pod.
	TargetRef *corev1.ObjectReference `json:"targetRef,omitempty"`
	// DeprecatedTopology is the topology of the endpoint from the v1beta1 API; not written by
	// current controllers.
	DeprecatedTopology map[string]string `json:"deprecatedTopology,omitempty"`
	// NodeName is the node that hosts the endpoint.
	NodeName *string `json:"nodeName,omitempty"`
	// Zone is the zone of the endpoint.
	Zone *string `json:"zone,omitempty"`
	// Hints are routing hints for topology-aware routing.
	Hints *EndpointHints `json:"hints,omitempty"`
}

// EndpointConditions are the readiness of an endpoint. A nil field means unknown; consumers
// treat an unknown Ready as ready.
type EndpointConditions struct {
	// Ready says the endpoint should receive traffic. It is false while terminating.
	Ready *bool `json:"ready,omitempty"`
	// Serving says the endpoint answers requests, terminating or not.
	Serving *bool `json:"serving,omitempty"`
	// Terminating says the endpoint is shutting down.
	Terminating *bool `json:"terminating,omitempty"`
}

// EndpointHints say where an endpoint should be consumed.
type EndpointHints struct {
	// ForZones are the zones whose clients should use the endpoint.
	ForZones []ForZone `json:"forZones,omitempty"`
	// ForNodes are the nodes whose clients should use the endpoint.
	ForNodes []ForNode `json:"forNodes,omitempty"`
}

// ForZone names a zone in EndpointHints.
type ForZone struct {
	// Name is the zone name.
	Name string `json:"name"`
}

// ForNode names a node in EndpointHints.
type ForNode struct {
	// Name is the node name.
	Name string `json:"name"`
}

// EndpointPort is a port every endpoint of a slice exposes.
type EndpointPort struct {
	// Name is the port's name, matching a Service port name; "" for an unnamed port.
	Name *string `json:"name,omitempty"`
	// Protocol is TCP, UDP or SCTP; TCP when unset.
	Protocol *corev1.Protocol `json:"protocol,omitempty"`
	// Port is the port number; nil means every port.
	Port *int32 `json:"port,omitempty"`
	// AppProtocol is the application protocol, such as "http" or "kubernetes.io/h2c".
	AppProtocol *string `json:"appProtocol,omitempty"`
}

// EndpointSliceList is a list of EndpointSlice objects.
type EndpointSliceList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitempty"`
	// Items are the endpoint slices.
	Items []EndpointSlice `json:"items"`
}
