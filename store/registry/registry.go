package registry

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-logr/logr"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/watch"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
)

// DefaultTolerationSeconds is how long pods tolerate the not-ready and unreachable NoExecute
// taints when Options.DefaultTolerationSeconds is nil: 300 seconds, the default of the
// Kubernetes DefaultTolerationSeconds admission plugin.
const DefaultTolerationSeconds int64 = 300

// StatusSubresource is the suffix that names the status subresource of a resource:
// {Resource: "deployments" + StatusSubresource}.
const StatusSubresource = "/status"

// Options configure a Registry.
type Options struct {
	// Scheme knows the kinds, their defaulting functions and which resources have a status
	// subresource. Required.
	Scheme *runtime.Scheme
	// Clock gives the time of deletion timestamps. Nil means the real clock.
	Clock clock.Clock
	// Logger receives V(4) lines about deletions. The zero value discards.
	Logger logr.Logger
	// DefaultTolerationSeconds is the tolerationSeconds of the not-ready and unreachable
	// NoExecute tolerations added to pods on create. Nil means DefaultTolerationSeconds (300);
	// a negative value adds no tolerations (the admission plugin switched off); 0 adds
	// tolerations that let the pod be evicted at once.
	DefaultTolerationSeconds *int64
}

// Registry is a store.Interface that adds the Kubernetes API server's object lifecycle to a
// backend store. See the package documentation for the rules. Build one with New.
type Registry struct {
	backend    store.Interface
	scheme     *runtime.Scheme
	clock      clock.Clock
	log        logr.Logger
	tolerate   bool  // add the default tolerations to new pods
	tolSeconds int64 // their tolerationSeconds

	// status holds the resources whose scheme registration lists a status subresource.
	status map[schema.GroupResource]bool
	// validators are the kind validation functions, by Go type.
	validators map[reflect.Type]validator
	// shapes caches, per Go type, where the status and the spec-like fields are.
	shapes sync.Map // reflect.Type -> *shape
}

var _ store.Interface = (*Registry)(nil)

// New returns a Registry over backend. It fails when backend or opts.Scheme is nil.
func New(backend store.Interface, opts Options) (*Registry, error) {
	if backend == nil {
		return nil, fmt.Errorf("registry: new: backend is nil")
	}
	if opts.Scheme == nil {
		return nil, fmt.Errorf("registry: new: Options.Scheme is nil")
	}
	r := &Registry{
		backend:    backend,
		scheme:     opts.Scheme,
		clock:      opts.Clock,
		log:        opts.Logger,
		tolerate:   true,
		tolSeconds: DefaultTolerationSeconds,
		status:     map[schema.GroupResource]bool{},
		validators: builtinValidators(),
	}
	if r.clock == nil {
		r.clock = clock.Real()
	}
	if r.log.GetSink() == nil {
		r.log = logr.Discard()
	}
	if s := opts.DefaultTolerationSeconds; s != nil {
		r.tolerate = *s >= 0
		r.tolSeconds = *s
	}
	for _, info := range opts.Scheme.Resources() {
		if info.HasSubresource("status") {
			r.status[info.GroupResource()] = true
		}
	}
	return r, nil
}

// Backend returns the store the registry wraps.
func (r *Registry) Backend() store.Interface { return r.backend }

// HasStatus reports whether gr (a main resource such as {Resource: "pods"}) has a status
// subresource, as the scheme registered it.
func (r *Registry) HasStatus(gr schema.GroupResource) bool { return r.status[gr] }

// target splits gr into the main resource and whether it names the status subresource. Any
// other subresource, or "/status" of a resource without one, is a BadRequest.
func (r *Registry) target(op string, gr schema.GroupResource) (schema.GroupResource, bool, error) {
	res, sub, found := strings.Cut(gr.Resource, "/")
	if !found {
		return gr, false, nil
	}
	main := schema.GroupResource{Group: gr.Group, Resource: res}
	if sub != "status" {
		return gr, false, apierrors.NewBadRequest(fmt.Sprintf("registry: %s %s: unknown subresource %q (only status is served)", op, gr, sub))
	}
	if !r.status[main] {
		return gr, false, apierrors.NewBadRequest(fmt.Sprintf("registry: %s %s: %s has no status subresource", op, gr, main))
	}
	return main, true, nil
}

// mainOnly resolves gr for the verbs the status subresource does not serve.
func (r *Registry) mainOnly(op, verb string, gr schema.GroupResource) (schema.GroupResource, error) {
	main, status, err := r.target(op, gr)
	if err != nil {
		return gr, err
	}
	if status {
		return gr, apierrors.NewMethodNotSupported(gr, verb)
	}
	return main, nil
}

// Get implements store.Interface. On the status subresource it returns the whole object, as
// the main resource does.
func (r *Registry) Get(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.GetOptions) (runtime.MetaObject, error) {
	main, _, err := r.target("get", gr)
	if err != nil {
		return nil, err
	}
	return r.backend.Get(ctx, main, namespace, name, opts)
}

// List implements store.Interface by passing through to the backend. The status subresource
// does not serve it (MethodNotSupported, as the Kubernetes API server).
func (r *Registry) List(ctx context.Context, gr schema.GroupResource, namespace string, opts store.ListOptions) (*store.List, error) {
	main, err := r.mainOnly("list", "list", gr)
	if err != nil {
		return nil, err
	}
	return r.backend.List(ctx, main, namespace, opts)
}

// Watch implements store.Interface by passing through to the backend; the backend's watch is
// returned as it is, so a store.ProgressRequester stays one. The status subresource does not
// serve it (MethodNotSupported).
func (r *Registry) Watch(ctx context.Context, gr schema.GroupResource, namespace string, opts store.WatchOptions) (watch.Interface[runtime.Object], error) {
	main, err := r.mainOnly("watch", "watch", gr)
	if err != nil {
		return nil, err
	}
	return r.backend.Watch(ctx, main, namespace, opts)
}

// Compact implements store.Interface by passing through to the backend.
func (r *Registry) Compact(ctx context.Context, revision int64) error {
	return r.backend.Compact(ctx, revision)
}

// Stats implements store.Interface by passing through to the backend.
func (r *Registry) Stats(ctx context.Context) (store.Stats, error) {
	return r.backend.Stats(ctx)
}

// isNil reports whether obj is nil or a typed nil pointer.
func isNil(obj runtime.Object) bool {
	if obj == nil {
		return true
	}
	v := reflect.ValueOf(obj)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func ctxErr(ctx context.Context, op string, gr schema.GroupResource) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("registry: %s %s: %w", op, gr, err)
	}
	return nil
}
