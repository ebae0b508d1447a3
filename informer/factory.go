package informer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
)

// Sources gives the Source of a resource. StoreSources adapts a store.
type Sources interface {
	Source(gr schema.GroupResource) (Source, error)
}

// StoreSources returns the Sources of every resource of s.
func StoreSources(s store.Interface) Sources { return storeSources{s} }

type storeSources struct{ s store.Interface }

func (s storeSources) Source(gr schema.GroupResource) (Source, error) {
	return ForResource(s.s, gr), nil
}

// FactoryOptions configure a Factory; they apply to every informer it creates. The zero value
// of every field is the default of the Options field of the same name.
type FactoryOptions struct {
	// Transform is applied to every object of every informer before caching (see
	// Options.Transform); it must return an object of the type it was given.
	Transform func(obj runtime.MetaObject) (runtime.MetaObject, error)
	// InitialList is Options.InitialList of every informer.
	InitialList InitialList
	// PageSize is Options.PageSize of every informer.
	PageSize int64
	// SharedObjects is Options.SharedObjects of every informer.
	SharedObjects bool
	// LabelIndex is Options.LabelIndex of every informer.
	LabelIndex bool
	// Backoff is Options.Backoff of every informer.
	Backoff Backoff
	// MinWatchTimeout is Options.MinWatchTimeout of every informer.
	MinWatchTimeout time.Duration
	// Clock is Options.Clock of every informer.
	Clock clock.Clock
	// Seed, when not zero, seeds each informer's randomness (for reproducible tests).
	Seed uint64
	// Logger is Options.Logger of every informer (each adds its name).
	Logger logr.Logger
	// Metrics is Options.Metrics of every informer; each reports under its resource name.
	Metrics MetricsProvider
	// WatchErrorHandler is called with the resource and error of every list or watch failure.
	WatchErrorHandler func(gr schema.GroupResource, err error)
}

// Scope says which objects of a resource a shared informer holds.
type Scope struct {
	// Namespace, empty for every namespace.
	Namespace string
	// Labels and Fields select objects; nil selects every object.
	Labels labels.Selector
	Fields fields.Selector
}

type factoryKey struct {
	gr             schema.GroupResource
	ns             string
	labels, fields string
}

type runnable interface {
	Syncer
	Run(ctx context.Context) error
}

type factoryEntry struct {
	typ     reflect.Type
	inf     runnable
	started bool
}

// Factory shares informers: one per resource, type, namespace and selectors, whoever asks for
// it. Ask for informers with Shared, add handlers, then Start them all and WaitForSync. It is
// safe for concurrent use.
type Factory struct {
	sources Sources
	opts    FactoryOptions

	mu      sync.Mutex
	entries map[factoryKey]*factoryEntry
	order   []factoryKey
	wg      sync.WaitGroup
}

// NewFactory returns a factory whose informers read from sources.
func NewFactory(sources Sources, opts FactoryOptions) (*Factory, error) {
	if sources == nil {
		return nil, errorf("nil sources")
	}
	if _, err := opts.Backoff.withDefaults(); err != nil {
		return nil, err
	}
	if opts.MinWatchTimeout < 0 {
		return nil, errorf("negative MinWatchTimeout %v", opts.MinWatchTimeout)
	}
	return &Factory{sources: sources, opts: opts, entries: map[factoryKey]*factoryEntry{}}, nil
}

func selectorString(s interface {
	Empty() bool
	String() string
}) string {
	if s == nil || s.Empty() {
		return ""
	}
	return s.String()
}

// Shared returns the informer of resource gr and scope, creating it on first use. Every caller
// asking for the same resource, namespace and selectors gets the same informer. It fails with
// ErrTypeMismatch when that informer holds another type than T.
func Shared[T runtime.MetaObject](f *Factory, gr schema.GroupResource, scope Scope) (*Informer[T], error) {
	key := factoryKey{gr: gr, ns: scope.Namespace, labels: selectorString(scope.Labels), fields: selectorString(scope.Fields)}
	typ := reflect.TypeFor[T]()
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.entries[key]; ok {
		inf, ok := e.inf.(*Informer[T])
		if !ok {
			return nil, fmt.Errorf("informer: shared informer of %s: %w: it holds %v, asked for %v", gr, ErrTypeMismatch, e.typ, typ)
		}
		return inf, nil
	}
	src, err := f.sources.Source(gr)
	if err != nil {
		return nil, fmt.Errorf("informer: shared informer of %s: %w", gr, err)
	}
	o := Options[T]{
		Name:            gr.String(),
		Namespace:       scope.Namespace,
		Labels:          scope.Labels,
		Fields:          scope.Fields,
		InitialList:     f.opts.InitialList,
		PageSize:        f.opts.PageSize,
		SharedObjects:   f.opts.SharedObjects,
		LabelIndex:      f.opts.LabelIndex,
		Backoff:         f.opts.Backoff,
		Clock:           f.opts.Clock,
		Logger:          f.opts.Logger,
		Metrics:         f.opts.Metrics,
		MinWatchTimeout: f.opts.MinWatchTimeout,
	}
	if f.opts.Seed != 0 {
		o.Rand = rand.New(rand.NewPCG(f.opts.Seed, uint64(len(f.order))))
	}
	if f.opts.WatchErrorHandler != nil {
		h := f.opts.WatchErrorHandler
		o.WatchErrorHandler = func(err error) { h(gr, err) }
	}
	if tr := f.opts.Transform; tr != nil {
		o.Transform = func(obj T) (T, error) {
			out, err := tr(obj)
			if err != nil {
				return obj, err
			}
			t, ok := out.(T)
			if !ok {
				return obj, fmt.Errorf("%w: transform returned %T, want %T", ErrTypeMismatch, out, obj)
			}
			return t, nil
		}
	}
	inf, err := New[T](src, o)
	if err != nil {
		return nil, fmt.Errorf("informer: shared informer of %s: %w", gr, err)
	}
	f.entries[key] = &factoryEntry{typ: typ, inf: inf}
	f.order = append(f.order, key)
	return inf, nil
}

// Start runs every informer that is not running yet, each in its own goroutine, until ctx is
// done. Informers created after Start are started by the next call to Start.
func (f *Factory) Start(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range f.order {
		e := f.entries[k]
		if e.started {
			continue
		}
		e.started = true
		f.wg.Add(1)
		go func(inf runnable) {
			defer f.wg.Done()
			_ = inf.Run(ctx) // the only error is ErrStarted, which e.started rules out
		}(e.inf)
	}
}

// WaitForSync blocks until every started informer has synced, or ctx is done.
func (f *Factory) WaitForSync(ctx context.Context) error {
	f.mu.Lock()
	var syncers []Syncer
	for _, k := range f.order {
		if e := f.entries[k]; e.started {
			syncers = append(syncers, e.inf)
		}
	}
	f.mu.Unlock()
	return WaitForSync(ctx, syncers...)
}

// Wait blocks until every informer started by Start has stopped (after their context ended).
func (f *Factory) Wait() { f.wg.Wait() }

// Unsynced names the started informers that have not synced yet, in the order they were
// created: the resource, then the namespace and selectors when set (for example
// "pods namespace=shop fields=spec.nodeName=node-1"). It is empty once every started
// informer has synced; a manager uses it to say what did not sync in time.
func (f *Factory) Unsynced() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, k := range f.order {
		e := f.entries[k]
		if !e.started || e.inf.HasSynced() {
			continue
		}
		name := k.gr.String()
		if k.ns != "" {
			name += " namespace=" + k.ns
		}
		if k.labels != "" {
			name += " labels=" + k.labels
		}
		if k.fields != "" {
			name += " fields=" + k.fields
		}
		out = append(out, name)
	}
	return out
}
