package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/cellkit/cellkit/apimachinery/schema"
)

// Scheme maps kinds to Go types and back, maps kinds to the resources that serve them, and holds
// defaulting functions per Go type. Build one with NewScheme and register everything before
// sharing it; every method is safe for concurrent use, and lookups never block each other.
//
// A Go type may be registered under several kinds (the same struct in two versions); a kind maps
// to exactly one Go type.
type Scheme struct {
	mu sync.RWMutex

	gvkToType map[schema.GroupVersionKind]reflect.Type
	// typeToGVK lists the kinds of a Go type (struct type, not pointer) in registration order.
	typeToGVK map[reflect.Type][]schema.GroupVersionKind
	// listOf maps a list kind to the kind of its items.
	listOf map[schema.GroupVersionKind]schema.GroupVersionKind
	// versions lists the versions of each group in priority order.
	versions map[string][]string

	defaulters map[reflect.Type][]func(Object)

	res resourceIndex
}

// NewScheme returns an empty scheme.
func NewScheme() *Scheme {
	return &Scheme{
		gvkToType:  map[schema.GroupVersionKind]reflect.Type{},
		typeToGVK:  map[reflect.Type][]schema.GroupVersionKind{},
		listOf:     map[schema.GroupVersionKind]schema.GroupVersionKind{},
		versions:   map[string][]string{},
		defaulters: map[reflect.Type][]func(Object){},
		res:        newResourceIndex(),
	}
}

// structType returns the struct type behind a non-nil pointer to a struct.
func structType(obj Object) (reflect.Type, error) {
	if obj == nil {
		return nil, errors.New("object is nil")
	}
	t := reflect.TypeOf(obj)
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%v is not a pointer to a struct", t)
	}
	return t.Elem(), nil
}

// AddKnownTypes registers each object's Go type in gv under the Go type's name as the kind
// (a *Pod registers kind "Pod"). A type whose name ends in "List" is also recorded as the list kind
// of the kind without the suffix. Registering the same kind with the same type again is a no-op;
// with a different type it is an error. Either every object is registered or none is.
func (s *Scheme) AddKnownTypes(gv schema.GroupVersion, objs ...Object) error {
	gvks := make([]schema.GroupVersionKind, len(objs))
	for i, obj := range objs {
		t, err := structType(obj)
		if err != nil {
			return fmt.Errorf("runtime: add known types to %q: %w: %w", gv.String(), ErrInvalidRegistration, err)
		}
		gvks[i] = gv.WithKind(t.Name())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, obj := range objs {
		if err := s.checkKnownTypeLocked(gvks[i], obj); err != nil {
			return err
		}
	}
	for i, obj := range objs {
		s.addKnownTypeLocked(gvks[i], obj)
	}
	return nil
}

// AddKnownTypeWithName registers obj's Go type under an explicit kind, for types whose Go name is
// not their kind.
func (s *Scheme) AddKnownTypeWithName(gvk schema.GroupVersionKind, obj Object) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkKnownTypeLocked(gvk, obj); err != nil {
		return err
	}
	s.addKnownTypeLocked(gvk, obj)
	return nil
}

func (s *Scheme) checkKnownTypeLocked(gvk schema.GroupVersionKind, obj Object) error {
	t, err := structType(obj)
	if err != nil {
		return fmt.Errorf("runtime: add known type %v: %w: %w", gvk, ErrInvalidRegistration, err)
	}
	if gvk.Version == "" || gvk.Kind == "" {
		return fmt.Errorf("runtime: add known type %v: %w: version and kind must not be empty", gvk, ErrInvalidRegistration)
	}
	if old, ok := s.gvkToType[gvk]; ok && old != t {
		return fmt.Errorf("runtime: add known type %v: %w: kind already maps to %v, not %v", gvk,
			ErrInvalidRegistration, old, t)
	}
	return nil
}

func (s *Scheme) addKnownTypeLocked(gvk schema.GroupVersionKind, obj Object) {
	t := reflect.TypeOf(obj).Elem()
	if _, ok := s.gvkToType[gvk]; ok {
		return
	}
	s.gvkToType[gvk] = t
	s.typeToGVK[t] = append(s.typeToGVK[t], gvk)
	if !slices.Contains(s.versions[gvk.Group], gvk.Version) {
		s.versions[gvk.Group] = append(s.versions[gvk.Group], gvk.Version)
	}
	if item, ok := itemKind(gvk); ok {
		s.listOf[gvk] = item
	}
}

// itemKind returns the item kind of a list kind by the "<Kind>List" convention.
func itemKind(gvk schema.GroupVersionKind) (schema.GroupVersionKind, bool) {
	const suffix = "List"
	if len(gvk.Kind) <= len(suffix) || gvk.Kind[len(gvk.Kind)-len(suffix):] != suffix {
		return schema.GroupVersionKind{}, false
	}
	return gvk.GroupVersion().WithKind(gvk.Kind[:len(gvk.Kind)-len(suffix)]), true
}

// SetVersionPriority orders the versions of one group, most preferred first. Resource lookups by
// name prefer the first version that serves the resource. All versions must be of one group and
// already registered; versions not named keep their relative order after the named ones. Without
// a call, versions are preferred in the order they were first registered.
func (s *Scheme) SetVersionPriority(gvs ...schema.GroupVersion) error {
	if len(gvs) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	group := gvs[0].Group
	known := s.versions[group]
	order := make([]string, 0, len(known))
	for _, gv := range gvs {
		if gv.Group != group {
			return fmt.Errorf("runtime: set version priority: %w: versions of groups %q and %q mixed",
				ErrInvalidRegistration, group, gv.Group)
		}
		if !slices.Contains(known, gv.Version) {
			return fmt.Errorf("runtime: set version priority: %w", &NotRegisteredError{Op: "set version priority",
				GVK: gv.WithKind("")})
		}
		if slices.Contains(order, gv.Version) {
			return fmt.Errorf("runtime: set version priority: %w: version %q named twice", ErrInvalidRegistration, gv.Version)
		}
		order = append(order, gv.Version)
	}
	for _, v := range known {
		if !slices.Contains(order, v) {
			order = append(order, v)
		}
	}
	s.versions[group] = order
	return nil
}

// PrioritizedVersions returns the registered versions of group, most preferred first.
func (s *Scheme) PrioritizedVersions(group string) []schema.GroupVersion {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]schema.GroupVersion, len(s.versions[group]))
	for i, v := range s.versions[group] {
		out[i] = schema.GroupVersion{Group: group, Version: v}
	}
	return out
}

// New returns a new zero object of the Go type registered for gvk. Its TypeMeta is left empty.
func (s *Scheme) New(gvk schema.GroupVersionKind) (Object, error) {
	s.mu.RLock()
	t, ok := s.gvkToType[gvk]
	s.mu.RUnlock()
	if !ok {
		return nil, &NotRegisteredError{Op: "new", GVK: gvk}
	}
	return reflect.New(t).Interface().(Object), nil
}

// Recognizes reports whether gvk is registered.
func (s *Scheme) Recognizes(gvk schema.GroupVersionKind) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.gvkToType[gvk]
	return ok
}

// IsListKind reports whether gvk is a registered list kind, and if so the kind of its items. The
// item kind need not be registered (a ReviewList without Review).
func (s *Scheme) IsListKind(gvk schema.GroupVersionKind) (item schema.GroupVersionKind, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	item, ok = s.listOf[gvk]
	return item, ok
}

// ListKindFor returns the registered list kind whose items are of kind gvk ("PodList" for "Pod").
func (s *Scheme) ListKindFor(gvk schema.GroupVersionKind) (schema.GroupVersionKind, bool) {
	l := gvk.GroupVersion().WithKind(gvk.Kind + "List")
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.listOf[l]
	return l, ok
}

// selfDescribing is implemented by the objects of this package whose kind is whatever they carry
// (List, Unstructured, UnstructuredList) rather than fixed by their Go type.
type selfDescribing interface{ selfDescribing() }

// ObjectKinds returns every kind obj's Go type is registered under, in registration order.
// Objects whose kind lives in the object itself (*Unstructured, *UnstructuredList, *List) report
// the kind they carry; that kind need not be registered.
func (s *Scheme) ObjectKinds(obj Object) ([]schema.GroupVersionKind, error) {
	if _, ok := obj.(selfDescribing); ok {
		gvk := obj.GetObjectKind().GroupVersionKind()
		if gvk.Kind == "" || gvk.Version == "" {
			return nil, fmt.Errorf("runtime: object kinds of %T: %w", obj, ErrMissingKind)
		}
		return []schema.GroupVersionKind{gvk}, nil
	}
	t, err := structType(obj)
	if err != nil {
		return nil, fmt.Errorf("runtime: object kinds: %w", err)
	}
	s.mu.RLock()
	gvks := slices.Clone(s.typeToGVK[t])
	s.mu.RUnlock()
	if len(gvks) == 0 {
		return nil, &NotRegisteredError{Op: "object kind", Type: reflect.TypeOf(obj)}
	}
	return gvks, nil
}

// ObjectKind returns the kind of obj from its Go type. When the type is registered under several
// kinds, the kind obj carries in its TypeMeta wins if it is one of them; otherwise the first
// registered kind is returned.
func (s *Scheme) ObjectKind(obj Object) (schema.GroupVersionKind, error) {
	gvks, err := s.ObjectKinds(obj)
	if err != nil {
		return schema.GroupVersionKind{}, err
	}
	if len(gvks) > 1 {
		if own := obj.GetObjectKind().GroupVersionKind(); slices.Contains(gvks, own) {
			return own, nil
		}
	}
	return gvks[0], nil
}

// KnownKinds returns every registered kind, sorted by group, version and kind.
func (s *Scheme) KnownKinds() []schema.GroupVersionKind {
	s.mu.RLock()
	out := make([]schema.GroupVersionKind, 0, len(s.gvkToType))
	for gvk := range s.gvkToType {
		out = append(out, gvk)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, compareGVK)
	return out
}

// KnownType returns the Go struct type registered for gvk.
func (s *Scheme) KnownType(gvk schema.GroupVersionKind) (reflect.Type, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.gvkToType[gvk]
	return t, ok
}

func compareGVK(a, b schema.GroupVersionKind) int {
	if a.Group != b.Group {
		return cmpString(a.Group, b.Group)
	}
	if a.Version != b.Version {
		return cmpString(a.Version, b.Version)
	}
	return cmpString(a.Kind, b.Kind)
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// AddDefaultingFunc registers fn to run on every object of obj's Go type when Default is called.
// Several functions for one type run in registration order. fn receives the object to change in
// place; it is called only with objects of obj's type.
func (s *Scheme) AddDefaultingFunc(obj Object, fn func(Object)) error {
	t, err := structType(obj)
	if err != nil {
		return fmt.Errorf("runtime: add defaulting func: %w: %w", ErrInvalidRegistration, err)
	}
	if fn == nil {
		return fmt.Errorf("runtime: add defaulting func for %v: %w: func is nil", t, ErrInvalidRegistration)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaulters[t] = append(s.defaulters[t], fn)
	return nil
}

// Default runs the defaulting functions registered for obj's Go type, in order, and reports
// whether there were any. Objects of types without defaulting functions are left alone.
func (s *Scheme) Default(obj Object) bool {
	t, err := structType(obj)
	if err != nil {
		return false
	}
	s.mu.RLock()
	fns := s.defaulters[t]
	s.mu.RUnlock()
	for _, fn := range fns {
		fn(obj)
	}
	return len(fns) > 0
}

// SchemeBuilder collects registration functions, usually one per API package, and applies them to
// a scheme. API packages expose `func AddToScheme(*runtime.Scheme) error` built with one.
type SchemeBuilder []func(*Scheme) error

// NewSchemeBuilder returns a builder of the given functions.
func NewSchemeBuilder(funcs ...func(*Scheme) error) SchemeBuilder { return funcs }

// Register appends functions to the builder.
func (sb *SchemeBuilder) Register(funcs ...func(*Scheme) error) { *sb = append(*sb, funcs...) }

// AddToScheme applies every function in order and returns all their errors joined.
func (sb SchemeBuilder) AddToScheme(s *Scheme) error {
	var errs []error
	for _, fn := range sb {
		if err := fn(s); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
