package v1_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	discoveryv1 "github.com/cellkit/cellkit/apimachinery/apis/discovery/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
	"github.com/cellkit/cellkit/internal/apitest"
)

// fe is the part of a field error the tests compare: its type and path.
type fe struct {
	Type  field.ErrorType
	Field string
}

func summarize(errs field.ErrorList) []fe {
	var out []fe
	for _, e := range errs {
		out = append(out, fe{e.Type, e.Field})
	}
	return out
}

func vptr[T any](v T) *T { return &v }

func slice() *discoveryv1.EndpointSlice {
	s := &discoveryv1.EndpointSlice{
		ObjectMeta:  meta.ObjectMeta{Name: "web-abc", Namespace: "default"},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"10.0.0.1"}, NodeName: vptr("node-1"), Zone: vptr("zone-a")}},
		Ports:       []discoveryv1.EndpointPort{{Name: vptr("http"), Port: vptr(int32(8080))}},
	}
	discoveryv1.DefaultEndpointSlice(s)
	return s
}

func TestValidateEndpointSlice(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*discoveryv1.EndpointSlice)
		want   []fe
	}{
		{name: "valid", mutate: func(*discoveryv1.EndpointSlice) {}},
		{name: "address type", mutate: func(s *discoveryv1.EndpointSlice) { s.AddressType = "IPv5" },
			want: []fe{{field.ErrorTypeNotSupported, "addressType"}}},
		{name: "address of the wrong family and none", mutate: func(s *discoveryv1.EndpointSlice) {
			s.Endpoints = append(s.Endpoints, discoveryv1.Endpoint{Addresses: []string{"fd00::1"}}, discoveryv1.Endpoint{})
		}, want: []fe{{field.ErrorTypeInvalid, "endpoints[1].addresses[0]"}, {field.ErrorTypeRequired, "endpoints[2].addresses"}}},
		{name: "ports", mutate: func(s *discoveryv1.EndpointSlice) {
			s.Ports = append(s.Ports, discoveryv1.EndpointPort{Name: vptr("http"), Protocol: vptr(corev1.Protocol("QUIC")), Port: vptr(int32(70000))})
		}, want: []fe{{field.ErrorTypeDuplicate, "ports[1].name"}, {field.ErrorTypeNotSupported, "ports[1].protocol"}, {field.ErrorTypeInvalid, "ports[1].port"}}},
		{name: "hostname and node name", mutate: func(s *discoveryv1.EndpointSlice) {
			s.Endpoints[0].Hostname = vptr("a.b")
			s.Endpoints[0].NodeName = vptr("Node_1")
		}, want: []fe{{field.ErrorTypeInvalid, "endpoints[0].hostname"}, {field.ErrorTypeInvalid, "endpoints[0].nodeName"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := slice()
			tt.mutate(s)
			if diff := cmp.Diff(tt.want, summarize(discoveryv1.ValidateEndpointSlice(s))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	old := slice()
	old.ResourceVersion = "1"
	n := old.DeepCopy()
	n.AddressType = discoveryv1.AddressTypeFQDN
	n.Endpoints[0].Addresses = []string{"web.example.com"}
	if diff := cmp.Diff([]fe{{field.ErrorTypeInvalid, "addressType"}}, summarize(discoveryv1.ValidateEndpointSliceUpdate(n, old))); diff != "" {
		t.Errorf("address type change (-want +got):\n%s", diff)
	}
}

func TestDefaultEndpointSlice(t *testing.T) {
	s := runtime.NewScheme()
	if err := discoveryv1.RegisterDefaults(s); err != nil {
		t.Fatal(err)
	}
	got := &discoveryv1.EndpointSlice{Ports: []discoveryv1.EndpointPort{{Port: vptr(int32(80))}, {Name: vptr("dns"), Protocol: vptr(corev1.ProtocolUDP)}}}
	s.Default(got)
	want := []discoveryv1.EndpointPort{
		{Name: vptr(""), Protocol: vptr(corev1.ProtocolTCP), Port: vptr(int32(80))},
		{Name: vptr("dns"), Protocol: vptr(corev1.ProtocolUDP)},
	}
	if diff := cmp.Diff(want, got.Ports); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	again := got.DeepCopy()
	s.Default(again)
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("not idempotent:\n%s", diff)
	}
}

func TestTestdataValidatesAfterDefaulting(t *testing.T) {
	docs, err := apitest.ReadManifests("testdata/endpointslice.yaml", "EndpointSlice")
	if err != nil || len(docs) == 0 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	for _, d := range docs {
		var s discoveryv1.EndpointSlice
		if err := apitest.DecodeStrict(d.JSON, &s); err != nil {
			t.Fatal(err)
		}
		if s.Namespace == "" {
			s.Namespace = "default"
		}
		discoveryv1.DefaultEndpointSlice(&s)
		if errs := discoveryv1.ValidateEndpointSlice(&s); len(errs) > 0 {
			t.Errorf("document %d: %v", d.Index, errs.ToAggregate())
		}
	}
}
