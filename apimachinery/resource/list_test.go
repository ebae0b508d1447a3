package resource

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type resourceName string

type resourceList map[resourceName]Quantity

func list(kv ...string) resourceList {
	out := resourceList{}
	for i := 0; i < len(kv); i += 2 {
		out[resourceName(kv[i])] = MustParse(kv[i+1])
	}
	return out
}

// texts prints a list for comparison, so that tests also pin the formats.
func texts(l resourceList) map[resourceName]string {
	if l == nil {
		return nil
	}
	out := map[resourceName]string{}
	for k, v := range l {
		out[k] = v.String()
	}
	return out
}

func TestListArithmetic(t *testing.T) {
	tests := []struct {
		name          string
		a, b          resourceList
		add, sub, max map[resourceName]string
	}{
		{
			name: "same names",
			a:    list("cpu", "1", "memory", "1Gi"),
			b:    list("cpu", "500m", "memory", "512Mi"),
			add:  map[resourceName]string{"cpu": "1500m", "memory": "1536Mi"},
			sub:  map[resourceName]string{"cpu": "500m", "memory": "512Mi"},
			max:  map[resourceName]string{"cpu": "1", "memory": "1Gi"},
		},
		{
			name: "disjoint names",
			a:    list("cpu", "2"),
			b:    list("pods", "110"),
			add:  map[resourceName]string{"cpu": "2", "pods": "110"},
			sub:  map[resourceName]string{"cpu": "2", "pods": "-110"},
			max:  map[resourceName]string{"cpu": "2", "pods": "110"},
		},
		{
			name: "nil left",
			a:    nil,
			b:    list("cpu", "100m"),
			add:  map[resourceName]string{"cpu": "100m"},
			sub:  map[resourceName]string{"cpu": "-100m"},
			max:  map[resourceName]string{"cpu": "100m"},
		},
		{
			name: "both nil",
			add:  map[resourceName]string{},
			sub:  map[resourceName]string{},
			max:  map[resourceName]string{},
		},
		{
			name: "max picks the larger across formats",
			a:    list("memory", "1G"),
			b:    list("memory", "1Gi"),
			add:  map[resourceName]string{"memory": "2073741824"},
			sub:  map[resourceName]string{"memory": "-73741824"},
			max:  map[resourceName]string{"memory": "1Gi"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := texts(tc.a)
			beforeB := texts(tc.b)
			if diff := cmp.Diff(tc.add, texts(Add(tc.a, tc.b))); diff != "" {
				t.Errorf("Add (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.sub, texts(Sub(tc.a, tc.b))); diff != "" {
				t.Errorf("Sub (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.max, texts(Max(tc.a, tc.b))); diff != "" {
				t.Errorf("Max (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, texts(tc.a)); diff != "" {
				t.Errorf("an argument was modified (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(beforeB, texts(tc.b)); diff != "" {
				t.Errorf("an argument was modified (-before +after):\n%s", diff)
			}
		})
	}
}

func TestListComparisons(t *testing.T) {
	tests := []struct {
		name     string
		a, b     resourceList
		equal    bool
		lessOrEq bool
		exceeded []resourceName
	}{
		{"equal across formats", list("cpu", "1", "memory", "1Gi"), list("cpu", "1000m", "memory", "1073741824"), true, true, nil},
		{"fits", list("cpu", "500m"), list("cpu", "1", "memory", "1Gi"), false, true, nil},
		{"too much cpu", list("cpu", "2", "memory", "1Mi"), list("cpu", "1", "memory", "1Gi"), false, false, []resourceName{"cpu"}},
		{"missing name counts as zero", list("nvidia.com/gpu", "1", "cpu", "1"), list("cpu", "1"), false, false, []resourceName{"nvidia.com/gpu"}},
		{"zero request of a missing name fits", list("ephemeral-storage", "0"), list("cpu", "1"), false, true, nil},
		{"zero and missing are not Equal", list("cpu", "0"), resourceList{}, false, true, nil},
		{"several exceeded, sorted", list("pods", "2", "cpu", "3", "memory", "1Gi"), list("pods", "1", "cpu", "1", "memory", "1Gi"), false, false, []resourceName{"cpu", "pods"}},
		{"both empty", nil, resourceList{}, true, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Equal(tc.a, tc.b); got != tc.equal {
				t.Errorf("Equal = %t, want %t", got, tc.equal)
			}
			if got := Equal(tc.b, tc.a); got != tc.equal {
				t.Errorf("Equal (swapped) = %t, want %t", got, tc.equal)
			}
			if got := LessOrEqual(tc.a, tc.b); got != tc.lessOrEq {
				t.Errorf("LessOrEqual = %t, want %t", got, tc.lessOrEq)
			}
			if diff := cmp.Diff(tc.exceeded, Exceeded(tc.a, tc.b)); diff != "" {
				t.Errorf("Exceeded (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListZeroNamesClone(t *testing.T) {
	l := list("memory", "1Gi", "cpu", "100m", "pods", "0")
	if diff := cmp.Diff([]resourceName{"cpu", "memory", "pods"}, Names(l)); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	z := Zero(l)
	if diff := cmp.Diff(map[resourceName]string{"cpu": "0", "memory": "0", "pods": "0"}, texts(z)); diff != "" {
		t.Errorf("Zero (-want +got):\n%s", diff)
	}
	if z["memory"].Format != BinarySI {
		t.Errorf("Zero lost the format: %s", z["memory"].Format)
	}
	if !IsZero(z) || IsZero(l) || !IsZero(resourceList(nil)) {
		t.Errorf("IsZero: zero %t, l %t, nil %t", IsZero(z), IsZero(l), IsZero(resourceList(nil)))
	}
	if Zero(resourceList(nil)) != nil || Clone(resourceList(nil)) != nil {
		t.Errorf("nil lists should stay nil")
	}

	big := list("storage", "123456789012345678901234")
	c := Clone(big)
	q := c["storage"]
	q.Add(MustParse("1"))
	c["storage"] = q
	if got := big["storage"].String(); got != "123456789012345678901234" {
		t.Errorf("changing the clone changed the original: %s", got)
	}
}
