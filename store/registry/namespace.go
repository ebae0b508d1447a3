package registry

import (
	"context"
	"fmt"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// NamespaceTerminatingCause is the status cause type of a Create refused because its namespace
// is being deleted, as Kubernetes' NamespaceLifecycle admission reports it.
const NamespaceTerminatingCause meta.CauseType = "NamespaceTerminating"

var namespacesResource = schema.GroupResource{Resource: "namespaces"}

// admitNamespace refuses the creation of an object in a namespace that is being deleted
// (phase Terminating or a deletion timestamp): Forbidden with a NamespaceTerminating cause. A
// namespace that does not exist (or a backend without namespaces) admits everything: unlike
// Kubernetes, the registry does not require namespaces to be created first.
func (r *Registry) admitNamespace(ctx context.Context, gr schema.GroupResource, namespace string) error {
	if namespace == "" || gr == namespacesResource {
		return nil
	}
	obj, err := r.backend.Get(ctx, namespacesResource, "", namespace, store.GetOptions{})
	if err != nil {
		return nil // no such namespace, or no namespaces at all; Create reports ctx errors itself
	}
	ns, ok := obj.(*corev1.Namespace)
	if !ok || (ns.Status.Phase != corev1.NamespaceTerminating && ns.DeletionTimestamp == nil) {
		return nil
	}
	e := apierrors.NewForbidden(gr, "", fmt.Errorf("unable to create new content in namespace %s because it is being terminated", namespace))
	if e.ErrStatus.Details == nil {
		e.ErrStatus.Details = &meta.StatusDetails{}
	}
	e.ErrStatus.Details.Causes = append(e.ErrStatus.Details.Causes, meta.StatusCause{
		Type: NamespaceTerminatingCause, Message: fmt.Sprintf("namespace %s is being terminated", namespace), Field: "metadata.namespace",
	})
	return e
}
