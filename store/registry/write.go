package registry

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
	"github.com/cellkit/cellkit/store"
	"github.com/cellkit/cellkit/store/internal/backend"
)

// Name generation, as Kubernetes does it: a prefix of at most 58 characters, then 5 random
// characters from an alphabet without vowels and look-alikes. A generated name that is taken
// is replaced, up to generateAttempts times.
const (
	generatedSuffixLength  = 5
	maxGeneratedNameLength = 63 - generatedSuffixLength
	generateAttempts       = 8
	nameAlphabet           = "bcdfghjklmnpqrstvwxz2456789"
)

func generateName(prefix string) string {
	if len(prefix) > maxGeneratedNameLength {
		prefix = prefix[:maxGeneratedNameLength]
	}
	b := make([]byte, 0, len(prefix)+generatedSuffixLength)
	b = append(b, prefix...)
	for range generatedSuffixLength {
		b = append(b, nameAlphabet[rand.IntN(len(nameAlphabet))])
	}
	return string(b)
}

// Create implements store.Interface: it defaults the object with the scheme, clears the
// deletion state, resets the status of kinds whose status only the system writes, adds the
// default tolerations to pods, validates the result (Invalid) and stores it. A generateName
// is turned into a name here, so that validation sees the real name; a generated name that is
// taken is replaced. An object in a namespace being deleted is refused (Forbidden, cause
// NamespaceTerminating). The caller's object is never modified. The status subresource does not
// serve Create (MethodNotSupported).
func (r *Registry) Create(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	main, err := r.mainOnly("create", "create", gr)
	if err != nil {
		return nil, err
	}
	if isNil(obj) {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("registry: create %s: object is nil", gr))
	}
	o, ok := obj.DeepCopyObject().(runtime.MetaObject)
	if !ok {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("registry: create %s: %T copies to an object without metadata", gr, obj))
	}
	m := o.GetObjectMeta()
	m.DeletionTimestamp = nil
	m.DeletionGracePeriodSeconds = nil
	m.Generation = 1
	r.scheme.Default(o)
	resetStatus(o)
	if pod, ok := o.(*corev1.Pod); ok && main == podsResource {
		r.addDefaultTolerations(pod)
	}
	if err := r.admitNamespace(ctx, main, m.Namespace); err != nil {
		return nil, err
	}
	generate := m.Name == "" && m.GenerateName != ""
	for attempt := 1; ; attempt++ {
		if generate {
			m.Name = generateName(m.GenerateName)
		}
		if v, ok := r.validators[reflect.TypeOf(o)]; ok {
			if errs := v.create(o); len(errs) > 0 {
				return nil, r.invalid(main, o, errs)
			}
		}
		out, err := r.backend.Create(ctx, main, o)
		if generate && attempt < generateAttempts && apierrors.IsAlreadyExists(err) {
			continue
		}
		return out, err
	}
}

// invalid builds the Invalid (422) error of obj.
func (r *Registry) invalid(gr schema.GroupResource, obj runtime.MetaObject, errs field.ErrorList) error {
	t := reflect.TypeOf(obj)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	gk := schema.GroupKind{Group: gr.Group, Kind: t.Name()}
	if gvk, err := r.scheme.ObjectKind(obj); err == nil {
		gk = gvk.GroupKind()
	}
	return apierrors.NewInvalid(gk, obj.GetObjectMeta().Name, errs)
}

// Update implements store.Interface with the update rules of the package documentation. With
// a resourceVersion the update happens only on that version (else Conflict); without one it is
// unconditional and retried over concurrent writes. On "<resource>/status" only the status of
// obj is used. When the update removes the last finalizer of an object being deleted (with a
// zero grace period), the object is removed and Update returns its final state, carrying the
// resourceVersion of the removal.
func (r *Registry) Update(ctx context.Context, gr schema.GroupResource, obj runtime.MetaObject) (runtime.MetaObject, error) {
	const op = "update"
	main, status, err := r.target(op, gr)
	if err != nil {
		return nil, err
	}
	if isNil(obj) {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("registry: update %s: object is nil", gr))
	}
	m := obj.GetObjectMeta()
	want := m.ResourceVersion
	if _, err := backend.ParseRevision(op, gr, want); err != nil {
		return nil, err
	}
	var in runtime.MetaObject // the caller's object, copied once (defaulting changes it)
	for {
		if err := ctxErr(ctx, op, gr); err != nil {
			return nil, err
		}
		cur, err := r.backend.Get(ctx, main, m.Namespace, m.Name, store.GetOptions{})
		if err != nil {
			return nil, err
		}
		cm := cur.GetObjectMeta()
		if want != "" && want != cm.ResourceVersion {
			return nil, apierrors.NewConflict(main, m.Name, fmt.Errorf("registry: %s: %s (resourceVersion %s, current %s)", op, apierrors.OptimisticLockErrorMsg, want, cm.ResourceVersion))
		}
		if m.UID != "" && m.UID != cm.UID {
			return nil, apierrors.NewConflict(main, m.Name, fmt.Errorf("registry: %s: UID %s does not match the stored object's %s", op, m.UID, cm.UID))
		}
		if reflect.TypeOf(obj) != reflect.TypeOf(cur) {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("registry: %s %s %q: object is a %T, the stored one a %T", op, gr, m.Name, obj, cur))
		}
		var next runtime.MetaObject
		if status {
			next = r.withStatusOf(cur, obj)
		} else {
			if in == nil {
				c, ok := obj.DeepCopyObject().(runtime.MetaObject)
				if !ok {
					return nil, apierrors.NewBadRequest(fmt.Sprintf("registry: %s %s: %T copies to an object without metadata", op, gr, obj))
				}
				in = c
				r.scheme.Default(in)
			}
			next = shallowCopy(in)
		}
		next, err = r.prepareUpdate(main, status, next, cur)
		if err != nil {
			return nil, err
		}
		out, err := r.backend.Update(ctx, main, next)
		if err != nil {
			if want == "" && apierrors.IsConflict(err) {
				continue // unconditional: a write got in between our read and write
			}
			return nil, err
		}
		return r.removeIfFinalized(ctx, main, out)
	}
}

// GuaranteedUpdate implements store.Interface: fn gets a copy of the stored object; what it
// returns goes through the same rules as Update before the backend writes it (on
// "<resource>/status", only its status is used). As with Update, an update that removes the
// last finalizer of an object being deleted removes it and returns its final state.
func (r *Registry) GuaranteedUpdate(ctx context.Context, gr schema.GroupResource, namespace, name string, fn store.UpdateFunc, opts store.UpdateOptions) (runtime.MetaObject, error) {
	const op = "guaranteed update"
	main, status, err := r.target(op, gr)
	if err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, apierrors.NewBadRequest(fmt.Sprintf("registry: %s %s %q: update function is nil", op, gr, name))
	}
	out, err := r.backend.GuaranteedUpdate(ctx, main, namespace, name, func(cur runtime.MetaObject) (runtime.MetaObject, error) {
		old := cur.DeepCopyObject().(runtime.MetaObject)
		next, err := fn(cur)
		if err != nil {
			return nil, err
		}
		if isNil(next) {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("registry: %s %s %q: update function returned nil", op, gr, name))
		}
		if reflect.TypeOf(next) != reflect.TypeOf(old) {
			return nil, apierrors.NewBadRequest(fmt.Sprintf("registry: %s %s %q: update function returned a %T, the stored object is a %T", op, gr, name, next, old))
		}
		if status {
			next = r.withStatusOf(old, next)
		} else {
			r.scheme.Default(next)
		}
		return r.prepareUpdate(main, status, next, old)
	}, opts)
	if err != nil {
		return nil, err
	}
	return r.removeIfFinalized(ctx, main, out)
}

// prepareUpdate applies the update rules to next, the object to write over old (both of the
// same Go type; next may be modified, old is not): the stored status is kept on resources
// with a status subresource; uid, creation time and generateName come from old; so does a set
// deletionTimestamp, and a deletionGracePeriodSeconds the request leaves empty (setting either
// on an object not being deleted, or another grace period, is Invalid, as is adding finalizers
// during deletion); pods may be bound once; the generation is old's, plus
// one when the spec changed (binding alone does not count); then the kind's update validation runs. next gets old's
// resourceVersion, the precondition of the write.
func (r *Registry) prepareUpdate(gr schema.GroupResource, status bool, next, old runtime.MetaObject) (runtime.MetaObject, error) {
	nm, om := next.GetObjectMeta(), old.GetObjectMeta()
	if !status && r.status[gr] {
		r.copyStatus(next, old)
	}
	nm.ResourceVersion = om.ResourceVersion
	nm.UID = om.UID
	nm.CreationTimestamp = om.CreationTimestamp
	if nm.GenerateName == "" {
		nm.GenerateName = om.GenerateName
	}
	var errs field.ErrorList
	md := field.NewPath("metadata")
	if om.DeletionTimestamp != nil {
		nm.DeletionTimestamp = om.DeletionTimestamp // an update never moves or clears it
		var added []string
		for _, f := range nm.Finalizers {
			if !slices.Contains(om.Finalizers, f) && !slices.Contains(added, f) {
				added = append(added, f)
			}
		}
		if len(added) > 0 {
			errs = append(errs, field.Forbidden(md.Child("finalizers"),
				fmt.Sprintf("no new finalizers can be added if the object is being deleted, found new finalizers %q", added)))
		}
	}
	if om.DeletionGracePeriodSeconds != nil && nm.DeletionGracePeriodSeconds == nil {
		nm.DeletionGracePeriodSeconds = om.DeletionGracePeriodSeconds
	}
	if !nm.DeletionTimestamp.Equal(om.DeletionTimestamp) {
		errs = append(errs, field.Invalid(md.Child("deletionTimestamp"), nm.DeletionTimestamp, validation.FieldImmutableErrorMsg))
	}
	if !equalInt64(nm.DeletionGracePeriodSeconds, om.DeletionGracePeriodSeconds) {
		errs = append(errs, field.Invalid(md.Child("deletionGracePeriodSeconds"), nm.DeletionGracePeriodSeconds, validation.FieldImmutableErrorMsg))
	}
	validateOld := old // old as the rules compare next with it
	if pod, ok := next.(*corev1.Pod); ok && gr == podsResource {
		op := old.(*corev1.Pod)
		switch {
		case pod.Spec.NodeName == op.Spec.NodeName:
		case op.Spec.NodeName != "":
			errs = append(errs, field.Invalid(field.NewPath("spec", "nodeName"), pod.Spec.NodeName,
				fmt.Sprintf("pod is already bound to node %q; it may not be changed", op.Spec.NodeName)))
		case op.DeletionTimestamp != nil:
			return nil, apierrors.NewConflict(gr, om.Name, fmt.Errorf("registry: update: pod %s is being deleted, cannot be assigned to a host", om.Name))
		default: // binding: the one change of nodeName update validation must accept
			bound := shallowCopy(op).(*corev1.Pod)
			bound.Spec.NodeName = pod.Spec.NodeName
			validateOld = bound
		}
	}
	nm.Generation = om.Generation
	if !status && r.generationChanged(next, validateOld) {
		nm.Generation++ // binding alone is no spec change, as with Kubernetes' pods/binding
	}
	if len(errs) == 0 {
		if v, ok := r.validators[reflect.TypeOf(next)]; ok {
			errs = v.update(next, validateOld)
		}
	}
	if len(errs) > 0 {
		return nil, r.invalid(gr, next, errs)
	}
	return next, nil
}

// generationChanged reports whether an update of old to next bumps the generation: a change
// outside metadata and status, or, for deployments, a change of annotations (which the
// deployment controller copies to its replica sets), as Kubernetes does.
func (r *Registry) generationChanged(next, old runtime.MetaObject) bool {
	if d, ok := next.(*appsv1.Deployment); ok {
		if !mapsEqual(d.Annotations, old.GetObjectMeta().Annotations) {
			return true
		}
	}
	return r.specChanged(next, old)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func equalInt64(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// finalized reports whether m is an object whose deletion is complete but for its removal: a
// deletion timestamp, no finalizers and a zero (or missing) grace period.
func finalized(m *meta.ObjectMeta) bool {
	return m.DeletionTimestamp != nil && len(m.Finalizers) == 0 &&
		(m.DeletionGracePeriodSeconds == nil || *m.DeletionGracePeriodSeconds == 0)
}

// removeIfFinalized removes written, the result of a write, when it is finalized, and returns
// its final state (the backend's delete result). When someone else removed it first, written
// is returned.
func (r *Registry) removeIfFinalized(ctx context.Context, gr schema.GroupResource, written runtime.MetaObject) (runtime.MetaObject, error) {
	cur := written
	for {
		m := cur.GetObjectMeta()
		if !finalized(m) {
			return written, nil
		}
		uid, rv := m.UID, m.ResourceVersion
		out, err := r.backend.Delete(ctx, gr, m.Namespace, m.Name, store.DeleteOptions{Preconditions: &meta.Preconditions{UID: &uid, ResourceVersion: &rv}})
		switch {
		case err == nil:
			r.log.V(4).Info("removed object after its last finalizer", "resource", gr.String(), "namespace", m.Namespace, "name", m.Name)
			return out, nil
		case apierrors.IsNotFound(err):
			return written, nil
		case !apierrors.IsConflict(err):
			return nil, err
		}
		// A write got in between (a status update, say): look again.
		if err := ctxErr(ctx, "update", gr); err != nil {
			return nil, err
		}
		cur, err = r.backend.Get(ctx, gr, m.Namespace, m.Name, store.GetOptions{})
		if apierrors.IsNotFound(err) {
			return written, nil
		}
		if err != nil {
			return nil, err
		}
		if cur.GetObjectMeta().UID != uid {
			return written, nil
		}
	}
}
