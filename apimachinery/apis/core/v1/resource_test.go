package v1

import (
	"testing"

	"github.com/cellkit/cellkit/apimachinery/resource"
)

func TestResourceListAccessors(t *testing.T) {
	list := ResourceList{
		ResourceCPU:              resource.MustParse("1500m"),
		ResourceMemory:           resource.MustParse("2Gi"),
		ResourcePods:             resource.MustParse("110"),
		ResourceStorage:          resource.MustParse("10G"),
		ResourceEphemeralStorage: resource.MustParse("20Gi"),
	}
	tests := []struct {
		name   string
		get    func(ResourceList) *resource.Quantity
		want   string
		format resource.Format // of the zero value when missing
	}{
		{"Cpu", ResourceList.Cpu, "1500m", resource.DecimalSI},
		{"Memory", ResourceList.Memory, "2Gi", resource.BinarySI},
		{"Pods", ResourceList.Pods, "110", resource.DecimalSI},
		{"Storage", ResourceList.Storage, "10G", resource.BinarySI},
		{"StorageEphemeral", ResourceList.StorageEphemeral, "20Gi", resource.BinarySI},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.get(list).String(); got != tc.want {
				t.Errorf("present: got %s, want %s", got, tc.want)
			}
			zero := tc.get(ResourceList{})
			if !zero.IsZero() || zero.Format != tc.format {
				t.Errorf("missing: got %s (format %s), want 0 in %s", zero, zero.Format, tc.format)
			}
			if !tc.get(nil).IsZero() {
				t.Error("nil list: want a zero quantity")
			}
		})
	}
}

func TestResourceListNameReturnsACopy(t *testing.T) {
	list := ResourceList{ResourceCPU: resource.MustParse("1")}
	if q := list.Name("example.com/gpu"); q != nil {
		t.Errorf("missing resource: got %v, want nil", q)
	}
	q := list.Name(ResourceCPU)
	q.Add(resource.MustParse("1"))
	if got := list[ResourceCPU]; got.String() != "1" {
		t.Errorf("changing the returned quantity changed the list to %s", got.String())
	}
	if q.String() != "2" {
		t.Errorf("returned quantity = %s, want 2", q)
	}
}

func TestSchemeGroupVersion(t *testing.T) {
	gv := SchemeGroupVersion()
	if gv.String() != "v1" || gv.Group != "" {
		t.Errorf("SchemeGroupVersion() = %+v (%s), want the core group at v1", gv, gv)
	}
}
