package controller

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/informer"
)

// Source is a stream of events about objects of one Go type: the objects of the resource the
// scheme maps that type to, read through a shared informer of the builder's factory. Create
// one with Object.
type Source interface {
	objectType() reflect.Type
	resolveIn(s *runtime.Scheme) (runtime.ResourceInfo, error)
	bind(b *binding) (informer.Syncer, error)
}

// Handler turns the objects of a Watches source into requests. Create one with MapFunc.
type Handler interface {
	objectType() reflect.Type
}

// Kind is the Source of the objects of type T. The zero value is not usable; call Object.
type Kind[T runtime.MetaObject] struct {
	preds []Predicate[T]
	scope informer.Scope
}

// Object returns the source of the objects of type T, filtered by preds.
func Object[T runtime.MetaObject](preds ...Predicate[T]) *Kind[T] {
	return &Kind[T]{preds: preds}
}

// InNamespace restricts the source to the objects of namespace ns.
func (k *Kind[T]) InNamespace(ns string) *Kind[T] { k.scope.Namespace = ns; return k }

// Matching restricts the source to the objects whose labels match sel.
func (k *Kind[T]) Matching(sel labels.Selector) *Kind[T] { k.scope.Labels = sel; return k }

func (k *Kind[T]) objectType() reflect.Type { return reflect.TypeFor[T]() }

func (k *Kind[T]) resolveIn(s *runtime.Scheme) (runtime.ResourceInfo, error) { return resolve[T](s) }

type mapFunc[T runtime.MetaObject] func(obj T) []Request

func (mapFunc[T]) objectType() reflect.Type { return reflect.TypeFor[T]() }

// MapFunc returns a Handler that enqueues the requests fn returns for an object (for an
// update, those of the old and of the new object). fn runs on the informer's delivery
// goroutine: it must be fast and must not modify obj.
func MapFunc[T runtime.MetaObject](fn func(obj T) []Request) Handler { return mapFunc[T](fn) }

type role uint8

const (
	roleFor role = iota
	roleOwns
	roleWatches
)

func (r role) String() string {
	return [...]string{"for", "owns", "watches"}[r]
}

type binding struct {
	factory *informer.Factory
	scheme  *runtime.Scheme
	role    role
	owner   runtime.ResourceInfo // the For resource, for Owns
	handler Handler
	ctl     *Controller[Request]
	resync  time.Duration
	name    string // filled in by bind: "role group/resource"
}

// resolve finds T's kind and resource in the scheme.
func resolve[T runtime.MetaObject](s *runtime.Scheme) (runtime.ResourceInfo, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Pointer {
		return runtime.ResourceInfo{}, fmt.Errorf("type %v is not a pointer", t)
	}
	obj, ok := reflect.New(t.Elem()).Interface().(T)
	if !ok {
		return runtime.ResourceInfo{}, fmt.Errorf("type %v cannot be created", t)
	}
	gvk, err := s.ObjectKind(obj)
	if err != nil {
		return runtime.ResourceInfo{}, fmt.Errorf("kind of %v: %w", t, err)
	}
	info, err := s.ResourceForKind(gvk)
	if err != nil {
		return runtime.ResourceInfo{}, fmt.Errorf("resource of %v: %w", gvk, err)
	}
	return info, nil
}

func (k *Kind[T]) bind(b *binding) (informer.Syncer, error) {
	info, err := resolve[T](b.scheme)
	if err != nil {
		return nil, err
	}
	gr := info.GroupVersionResource.GroupResource()
	b.name = b.role.String() + " " + gr.String()
	var mapper func(T) []Request
	switch b.role {
	case roleFor:
		mapper = func(obj T) []Request {
			m := obj.GetObjectMeta()
			return []Request{{Namespace: m.Namespace, Name: m.Name}}
		}
	case roleOwns:
		owner := b.owner
		mapper = func(obj T) []Request {
			m := obj.GetObjectMeta()
			ref := meta.ControllerRef(m)
			if ref == nil || ref.Kind != owner.Kind {
				return nil
			}
			gv, err := schema.ParseGroupVersion(ref.APIVersion)
			if err != nil || gv.Group != owner.Group {
				return nil
			}
			ns := m.Namespace
			if !owner.Namespaced {
				ns = ""
			}
			return []Request{{Namespace: ns, Name: ref.Name}}
		}
	case roleWatches:
		fn, ok := b.handler.(mapFunc[T])
		if !ok {
			return nil, fmt.Errorf("handler for %v does not match source of %v", b.handler.objectType(), reflect.TypeFor[T]())
		}
		if fn == nil {
			return nil, errors.New("nil map function")
		}
		mapper = fn
	}
	inf, err := informer.Shared[T](b.factory, gr, k.scope)
	if err != nil {
		return nil, err
	}
	ctl := b.ctl
	emit := func(reqs []Request, low bool) {
		for _, r := range reqs {
			if low {
				ctl.EnqueueLow(r)
			} else {
				ctl.Enqueue(r)
			}
		}
	}
	preds := And(k.preds...)
	h := informer.HandlerFuncs[T]{
		AddFunc: func(obj T, initial bool) {
			if preds.Create(obj) {
				emit(mapper(obj), initial)
			}
		},
		UpdateFunc: func(old, new T) {
			if !preds.Update(old, new) {
				return
			}
			resync := any(old) == any(new)
			if !resync && b.role != roleFor {
				emit(mapper(old), false)
			}
			emit(mapper(new), resync)
		},
		DeleteFunc: func(d informer.Deleted[T]) {
			if preds.Delete(d.Object) {
				emit(mapper(d.Object), false)
			}
		},
	}
	return inf.AddHandler(h, informer.HandlerOptions{ResyncPeriod: b.resync})
}

// Builder assembles a controller that reads like a sentence:
//
//	c, err := controller.NewBuilder(factory, scheme).
//		Named("widgets").
//		For(controller.Object[*Widget](controller.GenerationChanged[*Widget]())).
//		Owns(controller.Object[*Gizmo]()).
//		Watches(controller.Object[*Node](), controller.MapFunc(widgetsOnNode)).
//		WithOptions(controller.Options[controller.Request]{Workers: 4}).
//		Build(reconciler)
//
// For names the primary objects (each change enqueues the object itself), Owns the objects
// it controls (each change enqueues the controlling owner, found by the controller reference,
// when it is of the For kind), Watches any other objects mapped to requests by a function.
// Kinds and resources come from the scheme. Mistakes are collected and reported by Build,
// which also adds the event handlers to shared informers of the factory; starting the
// factory (or the manager) and running the controller remain the caller's.
//
// A Builder is not safe for concurrent use and builds one controller.
type Builder struct {
	factory *informer.Factory
	scheme  *runtime.Scheme
	name    string
	forSrc  Source
	owns    []Source
	watches []watchSpec
	opts    Options[Request]
	resync  time.Duration
	errs    []error
	built   bool
}

type watchSpec struct {
	src Source
	h   Handler
}

// NewBuilder starts a controller whose sources are shared informers of factory, with kinds
// and resources looked up in scheme.
func NewBuilder(factory *informer.Factory, scheme *runtime.Scheme) *Builder {
	b := &Builder{factory: factory, scheme: scheme}
	if factory == nil {
		b.errs = append(b.errs, errors.New("nil informer factory"))
	}
	if scheme == nil {
		b.errs = append(b.errs, errors.New("nil scheme"))
	}
	return b
}

// Named names the controller (in logs, metrics and its queue). Default: the lowercased kind
// of the For objects.
func (b *Builder) Named(name string) *Builder {
	if name == "" {
		b.errs = append(b.errs, errors.New("empty name"))
	}
	b.name = name
	return b
}

// For sets the primary objects: a change of one enqueues its own namespace/name. Required,
// exactly once.
func (b *Builder) For(src Source) *Builder {
	switch {
	case src == nil:
		b.errs = append(b.errs, errors.New("for: nil source"))
	case b.forSrc != nil:
		b.errs = append(b.errs, fmt.Errorf("for: called twice (%v, then %v)", b.forSrc.objectType(), src.objectType()))
	default:
		b.forSrc = src
	}
	return b
}

// Owns adds objects controlled by the For objects: a change of one enqueues the owner named
// by its controller reference, when that owner is of the For kind.
func (b *Builder) Owns(src Source) *Builder {
	if src == nil {
		b.errs = append(b.errs, errors.New("owns: nil source"))
		return b
	}
	b.owns = append(b.owns, src)
	return b
}

// Watches adds any other objects: h (from MapFunc, over the same object type as src) maps
// each of them to the requests to enqueue.
func (b *Builder) Watches(src Source, h Handler) *Builder {
	switch {
	case src == nil:
		b.errs = append(b.errs, errors.New("watches: nil source"))
	case h == nil:
		b.errs = append(b.errs, fmt.Errorf("watches %v: nil handler", src.objectType()))
	case h.objectType() != src.objectType():
		b.errs = append(b.errs, fmt.Errorf("watches %v: handler is for %v", src.objectType(), h.objectType()))
	default:
		b.watches = append(b.watches, watchSpec{src: src, h: h})
	}
	return b
}

// WithOptions sets the controller's options; Name is overridden by Named (or the default).
func (b *Builder) WithOptions(opts Options[Request]) *Builder {
	b.opts = opts
	return b
}

// WithResync makes every source resync every d: each cached object is enqueued again, at low
// priority, so the controller re-checks the world. Zero (the default) means no resync.
func (b *Builder) WithResync(d time.Duration) *Builder {
	if d < 0 || (d > 0 && d < informer.MinResyncPeriod) {
		b.errs = append(b.errs, fmt.Errorf("resync period %v: must be 0 or at least %v", d, informer.MinResyncPeriod))
	}
	b.resync = d
	return b
}

// Build reports every mistake made with the builder (wrapping ErrInvalidOptions), or creates
// the controller with r and adds its event handlers to the factory's shared informers. Run
// waits for those handlers to sync.
func (b *Builder) Build(r Reconciler[Request]) (*Controller[Request], error) {
	if b.built {
		return nil, fmt.Errorf("build controller: %w", ErrStarted)
	}
	errs := append([]error(nil), b.errs...)
	if b.forSrc == nil {
		errs = append(errs, errors.New("for: no primary objects (call For)"))
	}
	if r == nil {
		errs = append(errs, errors.New("nil reconciler"))
	}
	var owner runtime.ResourceInfo
	if b.forSrc != nil && b.scheme != nil {
		var err error
		owner, err = b.forSrc.resolveIn(b.scheme)
		if err != nil {
			errs = append(errs, fmt.Errorf("for: %w", err))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("build controller %q: %w: %w", b.name, ErrInvalidOptions, errors.Join(errs...))
	}
	opts := b.opts
	opts.Name = b.name
	if opts.Name == "" {
		opts.Name = strings.ToLower(owner.Kind)
	}
	ctl, err := New[Request](r, opts)
	if err != nil {
		return nil, fmt.Errorf("build controller: %w", err)
	}
	type bound struct {
		src  Source
		role role
		h    Handler
	}
	all := []bound{{src: b.forSrc, role: roleFor}}
	for _, s := range b.owns {
		all = append(all, bound{src: s, role: roleOwns})
	}
	for _, w := range b.watches {
		all = append(all, bound{src: w.src, role: roleWatches, h: w.h})
	}
	// Resolve every source before adding any handler, so a mistake leaves no handler behind.
	for _, x := range all {
		if _, err := x.src.resolveIn(b.scheme); err != nil {
			errs = append(errs, fmt.Errorf("%v %v: %w", x.role, x.src.objectType(), err))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("build controller %q: %w: %w", opts.Name, ErrInvalidOptions, errors.Join(errs...))
	}
	for _, x := range all {
		bd := &binding{factory: b.factory, scheme: b.scheme, role: x.role, owner: owner, handler: x.h, ctl: ctl, resync: b.resync}
		syncer, err := x.src.bind(bd)
		if err != nil {
			return nil, fmt.Errorf("build controller %q: %v %v: %w", opts.Name, x.role, x.src.objectType(), err)
		}
		ctl.WaitFor(bd.name, syncer)
	}
	b.built = true
	return ctl, nil
}
