package v1

import (
	"net"
	"strings"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// Limits of EndpointSlices that Kubernetes enforces.
const (
	// MaxEndpoints is the most endpoints one slice may hold.
	MaxEndpoints = 1000
	// MaxAddresses is the most addresses one endpoint may have.
	MaxAddresses = 100
	// MaxPorts is the most ports one slice may list.
	MaxPorts = 20000
)

// ValidateEndpointSlice checks an endpoint slice as the Kubernetes API server does: namespaced
// metadata with a DNS-subdomain name; a known address type; 1 to 100 addresses per endpoint,
// each of the slice's type; valid hostnames, node names and zones; ports with unique DNS-label
// names, supported protocols and numbers in range.
func ValidateEndpointSlice(s *EndpointSlice) field.ErrorList {
	errs := validation.ValidateObjectMeta(&s.ObjectMeta, true, validation.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(errs, validateBody(s)...)
}

// ValidateEndpointSliceUpdate checks an update of an endpoint slice: the address type may not
// change.
func ValidateEndpointSliceUpdate(n, o *EndpointSlice) field.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&n.ObjectMeta, &o.ObjectMeta, field.NewPath("metadata"))
	errs = append(errs, validateBody(n)...)
	return append(errs, validation.ValidateImmutableField(n.AddressType, o.AddressType, field.NewPath("addressType"))...)
}

func validateBody(s *EndpointSlice) field.ErrorList {
	var errs field.ErrorList
	ap := field.NewPath("addressType")
	switch s.AddressType {
	case AddressTypeIPv4, AddressTypeIPv6, AddressTypeFQDN:
	case "":
		errs = append(errs, field.Required(ap, ""))
	default:
		errs = append(errs, field.NotSupported(ap, s.AddressType, []string{string(AddressTypeIPv4), string(AddressTypeIPv6), string(AddressTypeFQDN)}))
	}
	ep := field.NewPath("endpoints")
	if len(s.Endpoints) > MaxEndpoints {
		errs = append(errs, field.TooMany(ep, len(s.Endpoints), MaxEndpoints))
	}
	for i, e := range s.Endpoints {
		p := ep.Index(i)
		adp := p.Child("addresses")
		switch {
		case len(e.Addresses) == 0:
			errs = append(errs, field.Required(adp, "must contain at least 1 address"))
		case len(e.Addresses) > MaxAddresses:
			errs = append(errs, field.TooMany(adp, len(e.Addresses), MaxAddresses))
		}
		for j, a := range e.Addresses {
			errs = append(errs, validateAddress(a, s.AddressType, adp.Index(j))...)
		}
		if e.Hostname != nil {
			for _, msg := range validation.IsDNS1123Label(*e.Hostname) {
				errs = append(errs, field.Invalid(p.Child("hostname"), *e.Hostname, msg))
			}
		}
		if e.NodeName != nil {
			for _, msg := range validation.IsDNS1123Subdomain(*e.NodeName) {
				errs = append(errs, field.Invalid(p.Child("nodeName"), *e.NodeName, msg))
			}
		}
		if e.Zone != nil {
			for _, msg := range validation.IsValidLabelValue(*e.Zone) {
				errs = append(errs, field.Invalid(p.Child("zone"), *e.Zone, msg))
			}
		}
		errs = append(errs, validation.ValidateLabels(e.DeprecatedTopology, p.Child("deprecatedTopology"))...)
		if h := e.Hints; h != nil {
			for k, z := range h.ForZones {
				for _, msg := range validation.IsValidLabelValue(z.Name) {
					errs = append(errs, field.Invalid(p.Child("hints", "forZones").Index(k).Child("name"), z.Name, msg))
				}
			}
			for k, n := range h.ForNodes {
				for _, msg := range validation.IsDNS1123Subdomain(n.Name) {
					errs = append(errs, field.Invalid(p.Child("hints", "forNodes").Index(k).Child("name"), n.Name, msg))
				}
			}
		}
	}
	pp := field.NewPath("ports")
	if len(s.Ports) > MaxPorts {
		errs = append(errs, field.TooMany(pp, len(s.Ports), MaxPorts))
	}
	names := map[string]bool{}
	for i, port := range s.Ports {
		p := pp.Index(i)
		name := ""
		if port.Name != nil {
			name = *port.Name
		}
		if name != "" {
			for _, msg := range validation.IsDNS1123Label(name) {
				errs = append(errs, field.Invalid(p.Child("name"), name, msg))
			}
		}
		if names[name] {
			errs = append(errs, field.Duplicate(p.Child("name"), name))
		}
		names[name] = true
		if port.Protocol == nil {
			errs = append(errs, field.Required(p.Child("protocol"), ""))
		} else {
			switch *port.Protocol {
			case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
			default:
				errs = append(errs, field.NotSupported(p.Child("protocol"), *port.Protocol,
					[]string{string(corev1.ProtocolSCTP), string(corev1.ProtocolTCP), string(corev1.ProtocolUDP)}))
			}
		}
		if port.Port != nil && (*port.Port < 0 || *port.Port > 65535) {
			errs = append(errs, field.Invalid(p.Child("port"), *port.Port, validation.InclusiveRangeError(0, 65535)))
		}
		if port.AppProtocol != nil {
			for _, msg := range validation.IsQualifiedName(*port.AppProtocol) {
				errs = append(errs, field.Invalid(p.Child("appProtocol"), *port.AppProtocol, msg))
			}
		}
	}
	return errs
}

func validateAddress(a string, t AddressType, p *field.Path) field.ErrorList {
	switch t {
	case AddressTypeIPv4:
		ip := net.ParseIP(a)
		if ip == nil || ip.To4() == nil || strings.Contains(a, ":") {
			return field.ErrorList{field.Invalid(p, a, "must be a valid IPv4 address")}
		}
	case AddressTypeIPv6:
		ip := net.ParseIP(a)
		if ip == nil || !strings.Contains(a, ":") {
			return field.ErrorList{field.Invalid(p, a, "must be a valid IPv6 address")}
		}
	case AddressTypeFQDN:
		var errs field.ErrorList
		for _, msg := range validation.IsDNS1123Subdomain(a) {
			errs = append(errs, field.Invalid(p, a, msg))
		}
		return errs
	}
	return nil
}
