package backend

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
	"github.com/cellkit/cellkit/store"
)

// Resource is a store.Resource checked and ready for use by a backend.
type Resource struct {
	store.Resource
	typ          reflect.Type
	validateName validation.ValidateNameFunc
	sizer        sizer
	// IndexPos maps an indexed field name to its position in Indexes.
	IndexPos map[string]int
}

// NewResources checks a backend's resource list: every resource named once, with New set and
// returning a non-nil pointer, and a non-empty kind.
func NewResources(list []store.Resource) (map[schema.GroupResource]*Resource, error) {
	out := make(map[schema.GroupResource]*Resource, len(list))
	for i, r := range list {
		if r.GroupResource.Resource == "" {
			return nil, fmt.Errorf("resource %d: empty resource name", i)
		}
		if _, dup := out[r.GroupResource]; dup {
			return nil, fmt.Errorf("resource %s: listed twice", r.GroupResource)
		}
		if r.New == nil {
			return nil, fmt.Errorf("resource %s: New is nil", r.GroupResource)
		}
		sample := r.New()
		if sample == nil || reflect.ValueOf(sample).Kind() != reflect.Pointer || reflect.ValueOf(sample).IsNil() {
			return nil, fmt.Errorf("resource %s: New must return a non-nil pointer, got %T", r.GroupResource, sample)
		}
		if r.Kind.Kind == "" || r.Kind.Version == "" {
			return nil, fmt.Errorf("resource %s: Kind needs a version and a kind, got %q", r.GroupResource, r.Kind.String())
		}
		rr := &Resource{Resource: r, typ: reflect.TypeOf(sample), validateName: r.ValidateName, IndexPos: map[string]int{}}
		if rr.validateName == nil {
			rr.validateName = validation.NameIsDNSSubdomain
		}
		for j, f := range r.Indexes {
			if f == "" {
				return nil, fmt.Errorf("resource %s: empty index name", r.GroupResource)
			}
			if _, dup := rr.IndexPos[f]; dup {
				return nil, fmt.Errorf("resource %s: index %q listed twice", r.GroupResource, f)
			}
			rr.IndexPos[f] = j
		}
		out[r.GroupResource] = rr
	}
	return out, nil
}

// UnknownResource is the error for a resource the store does not hold.
func UnknownResource(op string, gr schema.GroupResource) error {
	return apierrors.NewBadRequest(fmt.Sprintf("store: %s: unknown resource %q", op, gr.String()))
}

// CheckKind checks that obj has the resource's Go type and, when set, its apiVersion and kind,
// and fills in apiVersion and kind when empty. obj must be the backend's own copy.
func (r *Resource) CheckKind(op string, obj runtime.MetaObject) error {
	if obj == nil || reflect.ValueOf(obj).IsNil() {
		return apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: nil object", op, r.GroupResource))
	}
	if t := reflect.TypeOf(obj); t != r.typ {
		return apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: object of type %v cannot be stored as %s, want %v",
			op, r.GroupResource, t, r.GroupResource, r.typ))
	}
	ok := obj.GetObjectKind()
	gvk := ok.GroupVersionKind()
	switch {
	case gvk.Empty():
		ok.SetGroupVersionKind(r.Kind)
	case gvk != r.Kind:
		av, k := gvk.ToAPIVersionAndKind()
		wav, wk := r.Kind.ToAPIVersionAndKind()
		return apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: object has apiVersion %q and kind %q, want %q and %q",
			op, r.GroupResource, av, k, wav, wk))
	}
	return nil
}

// CheckNames validates the name (or, when name is empty and generateName allowed, the
// generateName prefix) and the namespace of m, and returns an Invalid error listing every
// problem.
func (r *Resource) CheckNames(op string, m *meta.ObjectMeta, allowGenerate bool) error {
	var errs field.ErrorList
	md := func() *field.Path { return field.NewPath("metadata") } // built only on failure
	switch {
	case m.Name != "":
		for _, msg := range r.validateName(m.Name, false) {
			errs = append(errs, field.Invalid(md().Child("name"), m.Name, msg))
		}
	case allowGenerate && m.GenerateName != "":
		for _, msg := range r.validateName(m.GenerateName, true) {
			errs = append(errs, field.Invalid(md().Child("generateName"), m.GenerateName, msg))
		}
	case allowGenerate:
		errs = append(errs, field.Required(md().Child("name"), "name or generateName is required"))
	default:
		errs = append(errs, field.Required(md().Child("name"), "name is required"))
	}
	if r.Namespaced {
		if m.Namespace == "" {
			errs = append(errs, field.Required(md().Child("namespace"), "namespace is required for "+r.GroupResource.String()))
		} else {
			for _, msg := range validation.ValidateNamespaceName(m.Namespace, false) {
				errs = append(errs, field.Invalid(md().Child("namespace"), m.Namespace, msg))
			}
		}
	} else if m.Namespace != "" {
		errs = append(errs, field.Forbidden(md().Child("namespace"), "not allowed on cluster-scoped resource "+r.GroupResource.String()))
	}
	if len(errs) == 0 {
		return nil
	}
	name := m.Name
	if name == "" {
		name = m.GenerateName
	}
	return apierrors.NewInvalid(r.Kind.GroupKind(), name, errs)
}

// CheckScope checks the namespace argument of a Get, List, Watch or Delete: a cluster-scoped
// resource takes none, and a given namespace must be a valid one. An invalid namespace can hold
// nothing, so reads report it as a BadRequest rather than an empty result.
func (r *Resource) CheckScope(op, namespace string) error {
	if !r.Namespaced && namespace != "" {
		return apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: cluster-scoped resource takes no namespace, got %q", op, r.GroupResource, namespace))
	}
	if namespace != "" {
		if msgs := validation.ValidateNamespaceName(namespace, false); len(msgs) > 0 {
			return apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: invalid namespace %q: %s", op, r.GroupResource, namespace, msgs[0]))
		}
	}
	return nil
}

// Fields returns the selectable fields of obj: metadata.name, metadata.namespace and the
// resource's own.
func (r *Resource) Fields(obj runtime.MetaObject) fields.Set {
	m := obj.GetObjectMeta()
	var set fields.Set
	if r.Resource.Fields != nil {
		set = r.Resource.Fields(obj)
	}
	if set == nil {
		set = make(fields.Set, 2)
	}
	set["metadata.name"] = m.Name
	set["metadata.namespace"] = m.Namespace
	return set
}

// IndexValues returns the values of the resource's indexed fields for obj, in Indexes order, or
// nil when the resource has no index.
func (r *Resource) IndexValues(obj runtime.MetaObject) []string {
	if len(r.Indexes) == 0 || obj == nil {
		return nil
	}
	set := r.Resource.Fields(obj)
	out := make([]string, len(r.Indexes))
	for i, f := range r.Indexes {
		out[i] = set[f]
	}
	return out
}

// countWriter counts the bytes written to it.
type countWriter struct{ n int }

func (w *countWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// CheckSize fails with RequestEntityTooLarge when the JSON encoding of obj exceeds limit bytes
// (limit <= 0 disables the check). It first bounds the size from above with a walk of the
// object (see sizer) and encodes, into a counter keeping no copy, only objects whose bound
// exceeds the limit.
func (r *Resource) CheckSize(op string, obj runtime.MetaObject, limit int) error {
	if limit <= 0 {
		return nil
	}
	if b, ok := r.sizer.bound(reflect.ValueOf(obj), 0); ok && b <= limit {
		return nil
	}
	return CheckSize(op, r.GroupResource, obj, limit)
}

// CheckSize fails with RequestEntityTooLarge when the JSON encoding of obj exceeds limit bytes
// (limit <= 0 disables the check). It encodes into a counter, keeping no copy.
func CheckSize(op string, gr schema.GroupResource, obj runtime.MetaObject, limit int) error {
	if limit <= 0 {
		return nil
	}
	var w countWriter
	if err := json.NewEncoder(&w).Encode(obj); err != nil {
		return apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: object cannot be encoded: %v", op, gr, err))
	}
	if n := w.n - 1; n > limit { // the encoder adds a newline
		return apierrors.NewRequestEntityTooLargeError(fmt.Sprintf("store: %s %s %q: object is %d bytes, limit is %d",
			op, gr, obj.GetObjectMeta().Name, n, limit))
	}
	return nil
}

// CheckPreconditions checks p against the stored object's metadata; a mismatch is a Conflict.
func CheckPreconditions(op string, gr schema.GroupResource, cur *meta.ObjectMeta, p *meta.Preconditions) error {
	if p == nil {
		return nil
	}
	if p.UID != nil && *p.UID != cur.UID {
		return apierrors.NewConflict(gr, cur.Name, fmt.Errorf("store: %s: precondition failed: UID in precondition: %s, UID in object meta: %s", op, *p.UID, cur.UID))
	}
	if p.ResourceVersion != nil && *p.ResourceVersion != cur.ResourceVersion {
		return apierrors.NewConflict(gr, cur.Name, fmt.Errorf("store: %s: precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %s", op, *p.ResourceVersion, cur.ResourceVersion))
	}
	return nil
}

// ParseRevision parses a resourceVersion given by a caller: the decimal form FormatRevision
// writes (no sign, no leading zero). An empty string is 0.
func ParseRevision(op string, gr schema.GroupResource, rv string) (int64, error) {
	if rv == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(rv, 10, 64)
	if err != nil || n <= 0 || rv[0] < '1' || rv[0] > '9' { // canonical: what FormatRevision writes
		return 0, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: invalid resourceVersion %q", op, gr, rv))
	}
	return n, nil
}

// FormatRevision is the resourceVersion string of a revision.
func FormatRevision(rev int64) string { return strconv.FormatInt(rev, 10) }
