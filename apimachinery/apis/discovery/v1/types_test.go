package v1_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	discoveryv1 "github.com/cellkit/cellkit/apimachinery/apis/discovery/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/apitest"
)

func TestDeepCopy(t *testing.T) {
	apitest.RunDeepCopy(t, ".", []apitest.Case{
		apitest.DeepCopyCase((*discoveryv1.EndpointSlice).DeepCopy),
		apitest.DeepCopyCase((*discoveryv1.Endpoint).DeepCopy),
		apitest.DeepCopyCase((*discoveryv1.EndpointConditions).DeepCopy),
		apitest.DeepCopyCase((*discoveryv1.EndpointHints).DeepCopy),
		apitest.DeepCopyCase((*discoveryv1.ForZone).DeepCopy),
		apitest.DeepCopyCase((*discoveryv1.ForNode).DeepCopy),
		apitest.DeepCopyCase((*discoveryv1.EndpointPort).DeepCopy),
		apitest.DeepCopyCase((*discoveryv1.EndpointSliceList).DeepCopy),
	}, apitest.Options{})
}

func TestManifests(t *testing.T) {
	apitest.CheckManifests[discoveryv1.EndpointSlice](t, filepath.Join("testdata", "endpointslice.yaml"), "EndpointSlice", 4)
}

// Conditions are tri-state: nil (unknown), true and false must each survive a round trip, since
// consumers treat an unknown Ready as ready.
func TestConditionsTriState(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{in: `{}`, want: `{}`},
		{in: `{"ready":false}`, want: `{"ready":false}`},
		{in: `{"ready":true,"serving":false,"terminating":true}`, want: `{"ready":true,"serving":false,"terminating":true}`},
		{in: `{"ready":null}`, want: `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var c discoveryv1.EndpointConditions
			if err := apitest.DecodeStrict([]byte(tt.in), &c); err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("round trip of %s = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestRequiredListsAreWritten(t *testing.T) {
	got, err := json.Marshal(discoveryv1.EndpointSlice{AddressType: discoveryv1.AddressTypeIPv4})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"metadata":{"creationTimestamp":null},"addressType":"IPv4","endpoints":null,"ports":null}`
	if string(got) != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
	if discoveryv1.AddressTypeIPv6 != "IPv6" || discoveryv1.AddressTypeFQDN != "FQDN" {
		t.Errorf("address types = %q, %q", discoveryv1.AddressTypeIPv6, discoveryv1.AddressTypeFQDN)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"kind":"EndpointSlice","addressType":"IPv4","endpoints":[{"addresses":["10.0.0.1"],"conditions":{"ready":true},"targetRef":{"kind":"Pod","name":"p"},"hints":{"forZones":[{"name":"a"}]}}],"ports":[{"port":80,"protocol":"TCP"}]}`))
	f.Add([]byte(`{"addressType":"FQDN","endpoints":null,"ports":[{"name":null,"port":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := apitest.CheckJSONStable(data, (*discoveryv1.EndpointSlice).DeepCopy); err != nil {
			t.Fatal(err)
		}
		if err := apitest.CheckJSONStable(data, (*discoveryv1.EndpointSliceList).DeepCopy); err != nil {
			t.Fatal(err)
		}
	})
}

func ExampleEndpointSlice() {
	ready, port := true, int32(8080)
	slice := discoveryv1.EndpointSlice{
		ObjectMeta:  meta.ObjectMeta{Name: "web-1", Labels: map[string]string{discoveryv1.LabelServiceName: "web"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"10.1.2.3"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
		Ports:       []discoveryv1.EndpointPort{{Port: &port}},
	}
	out, _ := json.Marshal(slice.Endpoints)
	fmt.Println(string(out))
	fmt.Println(slice.Labels[discoveryv1.LabelServiceName])
	// Output:
	// [{"addresses":["10.1.2.3"],"conditions":{"ready":true}}]
	// web
}
