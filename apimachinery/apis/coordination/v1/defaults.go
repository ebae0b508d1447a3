package v1

import "github.com/cellkit/cellkit/apimachinery/runtime"

// RegisterDefaults registers the defaulting functions of coordination/v1 with s. Kubernetes
// defaults no field of a Lease, so there are none to register; the function exists so that
// every group is wired the same way.
func RegisterDefaults(s *runtime.Scheme) error {
	_ = s
	return nil
}
