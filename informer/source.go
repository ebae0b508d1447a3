package informer

import (
	"context"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/store"
)

// Source is where an informer lists and watches the objects of one resource: the List and
// Watch of the store contract (store.Interface) with the resource fixed. An in-process store
// becomes a Source through ForResource; a remote client of the Kubernetes REST protocol
// implements it directly.
//
// A Source must keep the promises of store.Interface: a List reports the revision it reflects,
// a Watch from a revision delivers every later change in revision order, and a revision that
// is too old is reported as an Expired (410) error, from Watch or as an Error event.
type Source interface {
	List(ctx context.Context, namespace string, opts store.ListOptions) (*store.List, error)
	Watch(ctx context.Context, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error)
}

// ForResource returns the Source of resource gr of s.
func ForResource(s store.Interface, gr schema.GroupResource) Source {
	return resourceSource{s: s, gr: gr}
}

type resourceSource struct {
	s  store.Interface
	gr schema.GroupResource
}

func (r resourceSource) List(ctx context.Context, namespace string, opts store.ListOptions) (*store.List, error) {
	return r.s.List(ctx, r.gr, namespace, opts)
}

func (r resourceSource) Watch(ctx context.Context, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	return r.s.Watch(ctx, r.gr, namespace, opts)
}

// SourceFuncs adapts a pair of functions to Source.
type SourceFuncs struct {
	ListFunc  func(ctx context.Context, namespace string, opts store.ListOptions) (*store.List, error)
	WatchFunc func(ctx context.Context, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error)
}

// List calls ListFunc.
func (f SourceFuncs) List(ctx context.Context, namespace string, opts store.ListOptions) (*store.List, error) {
	return f.ListFunc(ctx, namespace, opts)
}

// Watch calls WatchFunc.
func (f SourceFuncs) Watch(ctx context.Context, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	return f.WatchFunc(ctx, namespace, opts)
}

var (
	_ Source = resourceSource{}
	_ Source = SourceFuncs{}
)
