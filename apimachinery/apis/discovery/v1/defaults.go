package v1

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// DefaultEndpointSlice gives every port an empty name and protocol TCP when they are unset, as
// the Kubernetes API server does. It only sets unset fields, so applying it twice equals
// applying it once.
func DefaultEndpointSlice(s *EndpointSlice) {
	if s == nil {
		return
	}
	for i := range s.Ports {
		p := &s.Ports[i]
		if p.Name == nil {
			empty := ""
			p.Name = &empty
		}
		if p.Protocol == nil {
			tcp := corev1.ProtocolTCP
			p.Protocol = &tcp
		}
	}
}

// RegisterDefaults registers DefaultEndpointSlice with s, for the kind and every item of its
// list.
func RegisterDefaults(s *runtime.Scheme) error {
	if err := s.AddDefaultingFunc(&EndpointSlice{}, func(o runtime.Object) { DefaultEndpointSlice(o.(*EndpointSlice)) }); err != nil {
		return err
	}
	return s.AddDefaultingFunc(&EndpointSliceList{}, func(o runtime.Object) {
		for i := range o.(*EndpointSliceList).Items {
			DefaultEndpointSlice(&o.(*EndpointSliceList).Items[i])
		}
	})
}
