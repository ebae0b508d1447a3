package controller

import (
	"context"
	"fmt"
	"slices"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
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

// UpdateStatus applies set to a fresh copy of the object and writes it, retrying from a fresh
// read on conflicts, so a status write never overwrites a concurrent change with stale data.
// set must only change status fields (the store has no separate status subresource) and
// must be repeatable; when it changes nothing, nothing is written. It returns the current
// object.
func UpdateStatus[T runtime.MetaObject](ctx context.Context, c store.Typed[T], namespace, name string, set func(cur T)) (T, error) {
	out, err := c.GuaranteedUpdate(ctx, namespace, name, func(cur T) (T, error) {
		set(cur)
		return cur, nil
	}, store.UpdateOptions{})
	if err != nil {
		var zero T
		return zero, fmt.Errorf("update status of %s/%s: %w", namespace, name, err)
	}
	return out, nil
}
