package framework

import (
	"reflect"
	"testing"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/resource"
)

// fill sets v to a non-zero value, filling pointers, one-element slices and maps, and the
// exported fields of structs, down to a few levels.
func fill(v reflect.Value, depth int) {
	if !v.CanSet() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		if depth < 4 {
			fill(v.Elem(), depth+1)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		if depth < 4 {
			fill(v.Index(0), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		if depth < 4 {
			fill(e, depth+1)
		}
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(resource.Quantity{}) {
			v.Set(reflect.ValueOf(resource.MustParse("3")))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && depth < 4 {
				fill(v.Field(i), depth+1)
			}
		}
	}
}

// TestSpecEqualComparesEveryField: a spec that differs from another in any one field of
// PodSpec, or of one of its containers or init containers, is not equal to it; filled the
// same way, the two are. A field added to PodSpec or Container and not to specEqual fails
// here.
func TestSpecEqualComparesEveryField(t *testing.T) {
	base := func() corev1.PodSpec {
		return corev1.PodSpec{Containers: []corev1.Container{{Name: "c"}}, InitContainers: []corev1.Container{{Name: "i"}}}
	}
	check := func(what string, set func(s *corev1.PodSpec)) {
		t.Helper()
		a, b, c := base(), base(), base()
		set(&b)
		set(&c)
		if specEqual(&a, &b) {
			t.Errorf("%s: a spec differing in it is equal", what)
		}
		if !specEqual(&b, &c) || !specEqual(&b, b.DeepCopy()) {
			t.Errorf("%s: equally filled specs are not equal", what)
		}
	}
	st := reflect.TypeOf(corev1.PodSpec{})
	for i := 0; i < st.NumField(); i++ {
		check("PodSpec."+st.Field(i).Name, func(s *corev1.PodSpec) { fill(reflect.ValueOf(s).Elem().Field(i), 0) })
	}
	ct := reflect.TypeOf(corev1.Container{})
	for i := 0; i < ct.NumField(); i++ {
		check("Containers[0]."+ct.Field(i).Name, func(s *corev1.PodSpec) { fill(reflect.ValueOf(&s.Containers[0]).Elem().Field(i), 0) })
		check("InitContainers[0]."+ct.Field(i).Name, func(s *corev1.PodSpec) { fill(reflect.ValueOf(&s.InitContainers[0]).Elem().Field(i), 0) })
	}
}

// TestSpecEqualCases: specEqual on realistic specs; equal specs must have equal equivalence
// class keys (the same JSON).
func TestSpecEqualCases(t *testing.T) {
	q := resource.MustParse
	spec := func() corev1.PodSpec {
		sec := int64(30)
		return corev1.PodSpec{
			Containers: []corev1.Container{{Name: "c", Image: "app", Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: q("100m"), corev1.ResourceMemory: q("500Mi")}}}},
			Tolerations: []corev1.Toleration{{Key: "k", Operator: corev1.TolerationOpExists, TolerationSeconds: &sec}},
			Affinity: &corev1.Affinity{PodAntiAffinity: &corev1.PodAntiAffinity{RequiredDuringSchedulingIgnoredDuringExecution: []corev1.PodAffinityTerm{
				{TopologyKey: "h", LabelSelector: &meta.LabelSelector{MatchLabels: map[string]string{"a": "b"}}}}}},
			NodeSelector: map[string]string{"disk": "ssd"},
		}
	}
	tests := []struct {
		name   string
		change func(s *corev1.PodSpec)
		equal  bool
	}{
		{"identical", func(*corev1.PodSpec) {}, true},
		{"same quantity written otherwise: same canonical text", func(s *corev1.PodSpec) {
			s.Containers[0].Resources.Requests[corev1.ResourceCPU] = q("0.1")
		}, true},
		{"same value in another format", func(s *corev1.PodSpec) {
			s.Containers[0].Resources.Requests[corev1.ResourceMemory] = q("524288000")
		}, false},
		{"same quantity, same text", func(s *corev1.PodSpec) {
			s.Containers[0].Resources.Requests[corev1.ResourceCPU] = q("100m")
		}, true},
		{"other request", func(s *corev1.PodSpec) { s.Containers[0].Resources.Requests[corev1.ResourceCPU] = q("200m") }, false},
		{"toleration seconds", func(s *corev1.PodSpec) { v := int64(31); s.Tolerations[0].TolerationSeconds = &v }, false},
		{"anti-affinity selector", func(s *corev1.PodSpec) {
			s.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].LabelSelector.MatchLabels["a"] = "c"
		}, false},
		{"empty node selector instead of one", func(s *corev1.PodSpec) { s.NodeSelector = map[string]string{} }, false},
		{"nil tolerations", func(s *corev1.PodSpec) { s.Tolerations = nil }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := spec(), spec()
			tc.change(&b)
			got := specEqual(&a, &b)
			if got != tc.equal {
				t.Errorf("specEqual = %v, want %v", got, tc.equal)
			}
			ka, err1 := EquivalenceClass(&corev1.Pod{Spec: a})
			kb, err2 := EquivalenceClass(&corev1.Pod{Spec: b})
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if got && ka != kb {
				t.Error("equal specs with different class keys")
			}
		})
	}
}
