package v1

import "github.com/cellkit/cellkit/apimachinery/runtime"

// RegisterDefaults registers the defaulting functions of policy/v1 with s. Kubernetes defaults
// no field of a PodDisruptionBudget or an Eviction (an unset unhealthyPodEvictionPolicy means
// IfHealthyBudget and stays unset), so there are none to register; the function exists so that
// every group is wired the same way.
func RegisterDefaults(s *runtime.Scheme) error {
	_ = s
	return nil
}
