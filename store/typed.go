package store

import (
	"context"
	"fmt"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
)

// Typed is the typed view of one resource of a store: every method takes and returns T (a
// pointer type such as *corev1.Pod), so callers never cast. It is a small value; copy it freely.
// Its methods have the semantics of the Interface methods of the same name.
type Typed[T runtime.MetaObject] struct {
	s  Interface
	gr schema.GroupResource
}

// For returns the typed view of resource gr of s. The resource must hold objects of type T; an
// object of another type coming out of the store is reported as an error, never a panic.
func For[T runtime.MetaObject](s Interface, gr schema.GroupResource) Typed[T] {
	return Typed[T]{s: s, gr: gr}
}

// Store returns the untyped store behind t.
func (t Typed[T]) Store() Interface { return t.s }

// Resource returns the resource t reads and writes.
func (t Typed[T]) Resource() schema.GroupResource { return t.gr }

// TypedList is the result of Typed.List.
type TypedList[T runtime.MetaObject] struct {
	// Items are the objects, in key order; the caller owns them.
	Items []T
	// Revision, Continue and RemainingItemCount are those of List.
	Revision           int64
	Continue           string
	RemainingItemCount *int64
}

func (t Typed[T]) cast(op string, obj runtime.MetaObject, err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	out, ok := obj.(T)
	if !ok {
		return zero, fmt.Errorf("store: %s %s: object of type %T, want %T", op, t.gr, obj, zero)
	}
	return out, nil
}

// Create stores a new object; see Interface.Create.
func (t Typed[T]) Create(ctx context.Context, obj T) (T, error) {
	out, err := t.s.Create(ctx, t.gr, obj)
	return t.cast("create", out, err)
}

// Get reads one object; see Interface.Get.
func (t Typed[T]) Get(ctx context.Context, namespace, name string, opts GetOptions) (T, error) {
	out, err := t.s.Get(ctx, t.gr, namespace, name, opts)
	return t.cast("get", out, err)
}

// List reads many objects; see Interface.List.
func (t Typed[T]) List(ctx context.Context, namespace string, opts ListOptions) (*TypedList[T], error) {
	l, err := t.s.List(ctx, t.gr, namespace, opts)
	if err != nil {
		return nil, err
	}
	out := &TypedList[T]{
		Items:              make([]T, len(l.Items)),
		Revision:           l.Revision,
		Continue:           l.Continue,
		RemainingItemCount: l.RemainingItemCount,
	}
	for i, o := range l.Items {
		if out.Items[i], err = t.cast("list", o, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Update replaces an object; see Interface.Update.
func (t Typed[T]) Update(ctx context.Context, obj T) (T, error) {
	out, err := t.s.Update(ctx, t.gr, obj)
	return t.cast("update", out, err)
}

// GuaranteedUpdate reads, modifies with fn and writes an object, retrying on conflicts; see
// Interface.GuaranteedUpdate.
func (t Typed[T]) GuaranteedUpdate(ctx context.Context, namespace, name string, fn func(current T) (T, error), opts UpdateOptions) (T, error) {
	out, err := t.s.GuaranteedUpdate(ctx, t.gr, namespace, name, t.untyped(fn), opts)
	return t.cast("guaranteed update", out, err)
}

// GuaranteedUpdateShared is GuaranteedUpdate for callers that treat every object as
// immutable: fn must not modify current and hands the object it returns over to the store,
// and the returned object must not be modified (see SharedUpdater for the exact rules). On a
// backend that implements SharedUpdater no object is copied; on any other it is
// GuaranteedUpdate (whose copies satisfy the same rules).
func (t Typed[T]) GuaranteedUpdateShared(ctx context.Context, namespace, name string, fn func(current T) (T, error), opts UpdateOptions) (T, error) {
	su, ok := t.s.(SharedUpdater)
	if !ok {
		return t.GuaranteedUpdate(ctx, namespace, name, fn, opts)
	}
	out, err := su.GuaranteedUpdateShared(ctx, t.gr, namespace, name, t.untyped(fn), opts)
	return t.cast("guaranteed update", out, err)
}

// untyped turns a typed update function into the store's UpdateFunc.
func (t Typed[T]) untyped(fn func(current T) (T, error)) UpdateFunc {
	return func(cur runtime.MetaObject) (runtime.MetaObject, error) {
		c, err := t.cast("guaranteed update", cur, nil)
		if err != nil {
			return nil, err
		}
		return fn(c)
	}
}

// Delete removes an object; see Interface.Delete.
func (t Typed[T]) Delete(ctx context.Context, namespace, name string, opts DeleteOptions) (T, error) {
	out, err := t.s.Delete(ctx, t.gr, namespace, name, opts)
	return t.cast("delete", out, err)
}

// Watch streams changes; see Interface.Watch. The typed stream ends with an Error event if the
// store ever produced an object of another type. When the backend's watch implements
// ProgressRequester, so does the returned one.
func (t Typed[T]) Watch(ctx context.Context, namespace string, opts WatchOptions) (watch.Interface[T], error) {
	w, err := t.s.Watch(ctx, t.gr, namespace, opts)
	if err != nil {
		return nil, err
	}
	typed := watch.Objects[T](ctx, w)
	if p, ok := w.(ProgressRequester); ok {
		return progressWatch[T]{Interface: typed, p: p}, nil
	}
	return typed, nil
}

// progressWatch is a typed watch that forwards RequestProgress to the untyped one it reads.
type progressWatch[T any] struct {
	watch.Interface[T]
	p ProgressRequester
}

// RequestProgress implements ProgressRequester.
func (w progressWatch[T]) RequestProgress() { w.p.RequestProgress() }
