package v1

import (
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// DefaultPriorityClass sets preemptionPolicy PreemptLowerPriority, as the Kubernetes API
// server does. It only sets an unset field, so applying it twice equals applying it once.
func DefaultPriorityClass(pc *PriorityClass) {
	if pc == nil {
		return
	}
	if pc.PreemptionPolicy == nil {
		p := corev1.PreemptLowerPriority
		pc.PreemptionPolicy = &p
	}
}

// RegisterDefaults registers DefaultPriorityClass with s, for PriorityClass and every item of
// PriorityClassList.
func RegisterDefaults(s *runtime.Scheme) error {
	if err := s.AddDefaultingFunc(&PriorityClass{}, func(o runtime.Object) { DefaultPriorityClass(o.(*PriorityClass)) }); err != nil {
		return err
	}
	return s.AddDefaultingFunc(&PriorityClassList{}, func(o runtime.Object) {
		for i := range o.(*PriorityClassList).Items {
			DefaultPriorityClass(&o.(*PriorityClassList).Items[i])
		}
	})
}
