package registry

import (
	"context"
	"slices"
	"time"

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

// The finalizers a deletion's propagation policy adds.
const (
	// FinalizerOrphan is added by PropagationPolicy Orphan: the garbage collector removes the
	// owner references of the dependents, then this finalizer.
	FinalizerOrphan = validation.FinalizerOrphanDependents
	// FinalizerForeground is added by PropagationPolicy Foreground: the garbage collector
	// deletes the blocking dependents, then removes this finalizer.
	FinalizerForeground = validation.FinalizerDeleteDependents
)

// deleteOptionsKind names DeleteOptions in Invalid errors about them.
var deleteOptionsKind = schema.GroupKind{Group: "meta.k8s.io", Kind: "DeleteOptions"}

// deleteAction is what a Delete does after looking at the stored object.
type deleteAction int

const (
	keep   deleteAction = iota // return the stored object unchanged
	write                      // write the updated object (deletion started or shortened)
	remove                     // remove the object from the backend
)

// Delete implements store.Interface with Kubernetes' deletion lifecycle (see the package
// documentation): the propagation policy's finalizer is added; an object with finalizers is
// kept with a deletion timestamp and returned as updated; a pod bound to a node that is not
// finished is deleted gracefully (deletionTimestamp = now + grace); a Delete of an object
// already being deleted returns it unchanged, shortens its grace period, or removes it when
// nothing holds it any more; everything else is removed, and Delete returns its last state
// with the resourceVersion of the removal. Preconditions are checked against the stored
// object. The status subresource does not serve Delete (MethodNotSupported).
func (r *Registry) Delete(ctx context.Context, gr schema.GroupResource, namespace, name string, opts store.DeleteOptions) (runtime.MetaObject, error) {
	const op = "delete"
	main, err := r.mainOnly(op, "delete", gr)
	if err != nil {
		return nil, err
	}
	if p := opts.PropagationPolicy; p != nil {
		switch *p {
		case meta.DeletePropagationOrphan, meta.DeletePropagationBackground, meta.DeletePropagationForeground:
		default:
			return nil, apierrors.NewInvalid(deleteOptionsKind, "", field.ErrorList{field.NotSupported(field.NewPath("propagationPolicy"), *p,
				[]string{string(meta.DeletePropagationForeground), string(meta.DeletePropagationBackground), string(meta.DeletePropagationOrphan)})})
		}
	}
	grace := opts.GracePeriodSeconds
	if grace != nil && *grace < 0 {
		one := int64(1) // Kubernetes treats a negative grace period as one second
		grace = &one
	}
	for {
		if err := ctxErr(ctx, op, gr); err != nil {
			return nil, err
		}
		cur, err := r.backend.Get(ctx, main, namespace, name, store.GetOptions{})
		if err != nil {
			return nil, err
		}
		m := cur.GetObjectMeta()
		if err := backend.CheckPreconditions(op, main, m, opts.Preconditions); err != nil {
			return nil, err
		}
		uid, rv := m.UID, m.ResourceVersion
		var out runtime.MetaObject
		switch r.planDelete(main, cur, grace, opts.PropagationPolicy) {
		case keep:
			return cur, nil
		case write:
			out, err = r.backend.Update(ctx, main, cur)
			if err == nil {
				r.log.V(4).Info("deletion started", "resource", main.String(), "namespace", namespace, "name", name,
					"deletionTimestamp", out.GetObjectMeta().DeletionTimestamp, "finalizers", out.GetObjectMeta().Finalizers)
			}
		case remove:
			out, err = r.backend.Delete(ctx, main, namespace, name, store.DeleteOptions{Preconditions: &meta.Preconditions{UID: &uid, ResourceVersion: &rv}})
			if err == nil {
				r.log.V(4).Info("removed", "resource", main.String(), "namespace", namespace, "name", name)
			}
		}
		if apierrors.IsConflict(err) {
			continue // written in between: decide again on the new state (the caller's preconditions included)
		}
		return out, err
	}
}

// planDelete decides what a Delete does with cur (the caller's copy of the stored object,
// which it updates for the write action).
func (r *Registry) planDelete(gr schema.GroupResource, cur runtime.MetaObject, grace *int64, policy *meta.DeletionPropagation) deleteAction {
	m := cur.GetObjectMeta()
	now := r.clock.Now()
	before := deletionState{m.DeletionTimestamp, m.DeletionGracePeriodSeconds, slices.Clone(m.Finalizers)}

	graceful := false // the object gets (or keeps) a grace period to run out
	var period int64
	if m.DeletionTimestamp != nil {
		if old := m.DeletionGracePeriodSeconds; old != nil && *old > 0 {
			if grace == nil || *grace >= *old {
				return keep // graceful deletion pending; only a shorter grace period changes it
			}
			ts := meta.NewTime(m.DeletionTimestamp.Add(time.Duration(*grace-*old) * time.Second))
			m.DeletionTimestamp = &ts
			period = *grace
			m.DeletionGracePeriodSeconds = &period
			graceful = true
		}
	} else if pod, ok := cur.(*corev1.Pod); ok && gr == podsResource {
		period = podGracePeriod(pod, grace)
		ts := meta.NewTime(now.Add(time.Duration(period) * time.Second).Truncate(time.Second))
		m.DeletionTimestamp = &ts
		m.DeletionGracePeriodSeconds = &period
		if m.Generation > 0 {
			m.Generation++
		}
		graceful = true
	}

	applyPropagation(m, policy)
	pending := len(m.Finalizers) > 0
	if !graceful {
		if !pending {
			return remove
		}
		markDeleting(m, now)
		if ns, ok := cur.(*corev1.Namespace); ok {
			ns.Status.Phase = corev1.NamespaceTerminating
		}
		if before.equal(m) {
			return keep
		}
		return write
	}
	if pending || period > 0 {
		return write
	}
	return remove
}

// podGracePeriod is the grace period of a pod's deletion: the requested one, else the pod's
// terminationGracePeriodSeconds, else 30; 0 for a pod not bound to a node or already
// finished (Succeeded or Failed), whose containers run nowhere.
func podGracePeriod(pod *corev1.Pod, grace *int64) int64 {
	period := corev1.DefaultTerminationGracePeriodSeconds
	switch {
	case grace != nil:
		period = *grace
	case pod.Spec.TerminationGracePeriodSeconds != nil:
		period = *pod.Spec.TerminationGracePeriodSeconds
	}
	if pod.Spec.NodeName == "" || pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		period = 0
	}
	if period < 0 {
		period = 1
	}
	return period
}

// applyPropagation adds and removes the garbage collector's finalizers as the policy says:
// Orphan wants "orphan", Foreground "foregroundDeletion", Background neither; nil leaves the
// finalizers alone.
func applyPropagation(m *meta.ObjectMeta, policy *meta.DeletionPropagation) {
	if policy == nil {
		return
	}
	var want, drop []string
	switch *policy {
	case meta.DeletePropagationOrphan:
		want, drop = []string{FinalizerOrphan}, []string{FinalizerForeground}
	case meta.DeletePropagationForeground:
		want, drop = []string{FinalizerForeground}, []string{FinalizerOrphan}
	default:
		drop = []string{FinalizerOrphan, FinalizerForeground}
	}
	if slices.ContainsFunc(m.Finalizers, func(f string) bool { return slices.Contains(drop, f) }) {
		m.Finalizers = slices.DeleteFunc(slices.Clone(m.Finalizers), func(f string) bool { return slices.Contains(drop, f) })
	}
	for _, f := range want {
		if !slices.Contains(m.Finalizers, f) {
			m.Finalizers = append(slices.Clone(m.Finalizers), f)
		}
	}
}

// markDeleting starts the deletion of an object that has no grace period (or whose grace
// period ran out) but finalizers: deletionTimestamp now (an earlier one is kept), grace period
// zero, and, when deletion starts here, the generation bumped.
func markDeleting(m *meta.ObjectMeta, now time.Time) {
	if m.DeletionTimestamp == nil && m.Generation > 0 {
		m.Generation++
	}
	if m.DeletionTimestamp == nil || m.DeletionTimestamp.After(now) {
		ts := meta.NewTime(now.Truncate(time.Second))
		m.DeletionTimestamp = &ts
	}
	zero := int64(0)
	m.DeletionGracePeriodSeconds = &zero
}

// deletionState is the part of the metadata a Delete may change, to tell whether it did.
type deletionState struct {
	ts         *meta.Time
	grace      *int64
	finalizers []string
}

func (d deletionState) equal(m *meta.ObjectMeta) bool {
	return d.ts.Equal(m.DeletionTimestamp) && equalInt64(d.grace, m.DeletionGracePeriodSeconds) && slices.Equal(d.finalizers, m.Finalizers)
}
