package controller

import (
	"context"
	"fmt"
	"slices"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

func isNotFoundOrConflict(err error) bool {
	// Conflict here means a failed UID precondition: the object was replaced.
	return apierrors.IsNotFound(err) || apierrors.IsConflict(err)
}

// AddFinalizer adds finalizer to the object obj names, read-modify-write with retry on
// conflicts and the object's UID as precondition. It writes nothing when the finalizer is
// already there, and refuses (returning the object unchanged) to add one to an object being
// deleted. It returns the current object.
func AddFinalizer[T runtime.MetaObject](ctx context.Context, c store.Typed[T], obj T, finalizer string) (T, error) {
	return updateFinalizers(ctx, c, obj, "add finalizer", func(m *meta.ObjectMeta) {
		if m.DeletionTimestamp == nil && !slices.Contains(m.Finalizers, finalizer) {
			m.Finalizers = append(slices.Clone(m.Finalizers), finalizer)
		}
	})
}

// RemoveFinalizer removes finalizer from the object obj names, with the same retry and
// precondition as AddFinalizer. It writes nothing when the finalizer is absent.
func RemoveFinalizer[T runtime.MetaObject](ctx context.Context, c store.Typed[T], obj T, finalizer string) (T, error) {
	return updateFinalizers(ctx, c, obj, "remove finalizer", func(m *meta.ObjectMeta) {
		if slices.Contains(m.Finalizers, finalizer) {
			m.Finalizers = slices.DeleteFunc(slices.Clone(m.Finalizers), func(f string) bool { return f == finalizer })
		}
	})
}

func updateFinalizers[T runtime.MetaObject](ctx context.Context, c store.Typed[T], obj T, op string, fn func(*meta.ObjectMeta)) (T, error) {
	m := obj.GetObjectMeta()
	uid := m.UID
	opts := store.UpdateOptions{}
	if uid != "" {
		opts.Preconditions = &meta.Preconditions{UID: &uid}
	}
	out, err := c.GuaranteedUpdate(ctx, m.Namespace, m.Name, func(cur T) (T, error) {
		fn(cur.GetObjectMeta())
		return cur, nil
	}, opts)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s on %s/%s: %w", op, m.Namespace, m.Name, err)
	}
	return out, nil
}

// StatusSubresources is implemented by stores that serve a status subresource (store/registry
// does): HasStatus reports whether writes to gr ignore status, so that status must be written
// through the "<resource>/status" resource.
type StatusSubresources interface {
	HasStatus(gr schema.GroupResource) bool
}

// StatusOf returns the typed view through which the status of c's objects is written: the
// "<resource>/status" resource when c's store serves a status subresource for it (writes there
// change only status, as in Kubernetes), else c itself.
func StatusOf[T runtime.MetaObject](c store.Typed[T]) store.Typed[T] {
	if ss, ok := c.Store().(StatusSubresources); ok && ss.HasStatus(c.Resource()) {
		gr := c.Resource()
		gr.Resource += "/status"
		return store.For[T](c.Store(), gr)
	}
	return c
}

// UpdateStatus applies set to a fresh copy of the object and writes it, retrying from a fresh
// read on conflicts, so a status write never overwrites a concurrent change with stale data.
// When the store serves a status subresource for the resource (see StatusOf), the write goes
// there and only status changes are kept; otherwise set must only change status fields. set
// must be repeatable; when it changes nothing, nothing is written. It returns the current
// object.
func UpdateStatus[T runtime.MetaObject](ctx context.Context, c store.Typed[T], namespace, name string, set func(cur T)) (T, error) {
	out, err := StatusOf(c).GuaranteedUpdate(ctx, namespace, name, func(cur T) (T, error) {
		set(cur)
		return cur, nil
	}, store.UpdateOptions{})
	if err != nil {
		var zero T
		return zero, fmt.Errorf("update status of %s/%s: %w", namespace, name, err)
	}
	return out, nil
}
