package controller

import (
	"maps"

	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// Predicate filters the events of a source before they reach the queue. Create sees objects
// that appeared (including those of an initial list), Update sees changes (and resyncs, where
// old and new are the same object), Delete sees objects that went away. An event is enqueued
// only when every predicate of its source returns true. Predicates must be pure and fast:
// they run on the informer's delivery goroutine.
type Predicate[T runtime.MetaObject] interface {
	Create(obj T) bool
	Update(old, new T) bool
	Delete(obj T) bool
}

// PredicateFuncs adapts functions to Predicate; a nil function accepts every event.
type PredicateFuncs[T runtime.MetaObject] struct {
	CreateFunc func(obj T) bool
	UpdateFunc func(old, new T) bool
	DeleteFunc func(obj T) bool
}

// Create calls CreateFunc, or returns true when it is nil.
func (p PredicateFuncs[T]) Create(obj T) bool { return p.CreateFunc == nil || p.CreateFunc(obj) }

// Update calls UpdateFunc, or returns true when it is nil.
func (p PredicateFuncs[T]) Update(old, new T) bool {
	return p.UpdateFunc == nil || p.UpdateFunc(old, new)
}

// Delete calls DeleteFunc, or returns true when it is nil.
func (p PredicateFuncs[T]) Delete(obj T) bool { return p.DeleteFunc == nil || p.DeleteFunc(obj) }

var _ Predicate[runtime.MetaObject] = PredicateFuncs[runtime.MetaObject]{}

// GenerationChanged accepts creates, deletes, and updates that changed metadata.generation
// (that is, the spec). Status-only updates and resyncs are dropped.
func GenerationChanged[T runtime.MetaObject]() Predicate[T] {
	return PredicateFuncs[T]{UpdateFunc: func(old, new T) bool {
		return old.GetObjectMeta().Generation != new.GetObjectMeta().Generation
	}}
}

// LabelsChanged accepts creates, deletes, and updates that changed the labels.
func LabelsChanged[T runtime.MetaObject]() Predicate[T] {
	return PredicateFuncs[T]{UpdateFunc: func(old, new T) bool {
		return !maps.Equal(old.GetObjectMeta().Labels, new.GetObjectMeta().Labels)
	}}
}

// AnnotationsChanged accepts creates, deletes, and updates that changed the annotations.
func AnnotationsChanged[T runtime.MetaObject]() Predicate[T] {
	return PredicateFuncs[T]{UpdateFunc: func(old, new T) bool {
		return !maps.Equal(old.GetObjectMeta().Annotations, new.GetObjectMeta().Annotations)
	}}
}

// ResourceVersionChanged accepts creates, deletes, and updates that changed the
// resourceVersion: every real change, but no resync.
func ResourceVersionChanged[T runtime.MetaObject]() Predicate[T] {
	return PredicateFuncs[T]{UpdateFunc: func(old, new T) bool {
		return old.GetObjectMeta().ResourceVersion != new.GetObjectMeta().ResourceVersion
	}}
}

// And accepts an event when every predicate accepts it (and with none).
func And[T runtime.MetaObject](preds ...Predicate[T]) Predicate[T] {
	return PredicateFuncs[T]{
		CreateFunc: func(obj T) bool { return all(preds, func(p Predicate[T]) bool { return p.Create(obj) }) },
		UpdateFunc: func(old, new T) bool { return all(preds, func(p Predicate[T]) bool { return p.Update(old, new) }) },
		DeleteFunc: func(obj T) bool { return all(preds, func(p Predicate[T]) bool { return p.Delete(obj) }) },
	}
}

// Or accepts an event when at least one predicate accepts it (none with no predicates).
func Or[T runtime.MetaObject](preds ...Predicate[T]) Predicate[T] {
	return PredicateFuncs[T]{
		CreateFunc: func(obj T) bool { return anyOf(preds, func(p Predicate[T]) bool { return p.Create(obj) }) },
		UpdateFunc: func(old, new T) bool { return anyOf(preds, func(p Predicate[T]) bool { return p.Update(old, new) }) },
		DeleteFunc: func(obj T) bool { return anyOf(preds, func(p Predicate[T]) bool { return p.Delete(obj) }) },
	}
}

// Not accepts exactly the events p rejects.
func Not[T runtime.MetaObject](p Predicate[T]) Predicate[T] {
	return PredicateFuncs[T]{
		CreateFunc: func(obj T) bool { return !p.Create(obj) },
		UpdateFunc: func(old, new T) bool { return !p.Update(old, new) },
		DeleteFunc: func(obj T) bool { return !p.Delete(obj) },
	}
}

func all[T runtime.MetaObject](preds []Predicate[T], f func(Predicate[T]) bool) bool {
	for _, p := range preds {
		if !f(p) {
			return false
		}
	}
	return true
}

func anyOf[T runtime.MetaObject](preds []Predicate[T], f func(Predicate[T]) bool) bool {
	for _, p := range preds {
		if f(p) {
			return true
		}
	}
	return false
}
