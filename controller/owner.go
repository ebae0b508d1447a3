package controller

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// AlreadyOwnedError is returned by SetControllerRef when the object already has another
// controller.
type AlreadyOwnedError struct {
	Object string
	Owner  meta.OwnerReference
}

func (e *AlreadyOwnedError) Error() string {
	return fmt.Sprintf("object %s is already controlled by %s %s (uid %s)", e.Object, e.Owner.Kind, e.Owner.Name, e.Owner.UID)
}

// SetControllerRef makes owner (of kind gvk) the controller of owned, replacing a reference
// to the same owner. It fails with *AlreadyOwnedError when owned has another controller.
func SetControllerRef(owned, owner *meta.ObjectMeta, gvk schema.GroupVersionKind) error {
	ref := meta.NewControllerRef(owner, gvk)
	if cur := meta.GetControllerOf(owned); cur != nil && cur.UID != owner.UID {
		return &AlreadyOwnedError{Object: owned.Namespace + "/" + owned.Name, Owner: *cur}
	}
	owned.OwnerReferences = slices.DeleteFunc(owned.OwnerReferences, func(r meta.OwnerReference) bool { return r.UID == owner.UID })
	owned.OwnerReferences = append(owned.OwnerReferences, *ref)
	return nil
}

// Claim describes the owner of a set of children, for ClaimChildren.
type Claim struct {
	// Owner is the would-be controller, with its UID; Kind is its kind.
	Owner runtime.MetaObject
	Kind  schema.GroupVersionKind
	// Selector picks the children the owner should control.
	Selector labels.Selector
	// CanAdopt, when set, is called once before the first adoption; an error stops every
	// adoption (typically: re-read the owner from the store, uncached, and fail when its UID
	// changed or it is being deleted).
	CanAdopt func(ctx context.Context) error
}

// ClaimChildren reconciles the ownership of candidates (typically every object of the
// namespace from a cache) with the claim and returns the children the owner controls
// afterwards:
//
//   - a child controlled by the owner (same UID) that still matches the selector is kept;
//     one that no longer matches is orphaned (its controller reference removed), unless
//     the owner is being deleted;
//   - an orphan that matches is adopted (controller reference added), unless the owner or the
//     child is being deleted or CanAdopt fails;
//   - a child of another controller is left alone.
//
// Writes go through GuaranteedUpdate with the child's UID as precondition, so a child deleted
// and recreated meanwhile is not touched, and re-check ownership on the fresh object, so a
// concurrent adoption by someone else wins. Objects deleted meanwhile are skipped. The first
// other error is returned along with the children claimed so far.
func ClaimChildren[T runtime.MetaObject](ctx context.Context, c store.Typed[T], claim Claim, candidates []T) ([]T, error) {
	om := claim.Owner.GetObjectMeta()
	ownerDeleting := om.DeletionTimestamp != nil
	var out []T
	canAdopt := claim.CanAdopt
	adoptChecked := false
	var adoptErr error
	for _, child := range candidates {
		cm := child.GetObjectMeta()
		ref := meta.ControllerRef(cm)
		matches := claim.Selector == nil || claim.Selector.Matches(labels.Set(cm.Labels))
		switch {
		case ref != nil && ref.UID == om.UID:
			if matches || ownerDeleting {
				out = append(out, child)
				continue
			}
			if _, err := release(ctx, c, child, om.UID); err != nil {
				return out, err
			}
		case ref != nil:
			continue
		default:
			if !matches || ownerDeleting || cm.DeletionTimestamp != nil {
				continue
			}
			if !adoptChecked {
				adoptChecked = true
				if canAdopt != nil {
					adoptErr = canAdopt(ctx)
				}
			}
			if adoptErr != nil {
				return out, fmt.Errorf("adopt %s/%s: %w", cm.Namespace, cm.Name, adoptErr)
			}
			adopted, ok, err := adopt(ctx, c, child, claim)
			if err != nil {
				return out, err
			}
			if ok {
				out = append(out, adopted)
			}
		}
	}
	return out, nil
}

var errNotOurs = errors.New("ownership changed")

func adopt[T runtime.MetaObject](ctx context.Context, c store.Typed[T], child T, claim Claim) (T, bool, error) {
	cm := child.GetObjectMeta()
	uid := cm.UID
	out, err := c.GuaranteedUpdate(ctx, cm.Namespace, cm.Name, func(cur T) (T, error) {
		m := cur.GetObjectMeta()
		if meta.ControllerRef(m) != nil || m.DeletionTimestamp != nil {
			return cur, errNotOurs
		}
		if err := SetControllerRef(m, claim.Owner.GetObjectMeta(), claim.Kind); err != nil {
			return cur, err
		}
		return cur, nil
	}, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &uid}})
	return skipGone(out, err, "adopt", cm)
}

func release[T runtime.MetaObject](ctx context.Context, c store.Typed[T], child T, owner meta.UID) (T, error) {
	cm := child.GetObjectMeta()
	uid := cm.UID
	out, err := c.GuaranteedUpdate(ctx, cm.Namespace, cm.Name, func(cur T) (T, error) {
		m := cur.GetObjectMeta()
		m.OwnerReferences = slices.DeleteFunc(slices.Clone(m.OwnerReferences), func(r meta.OwnerReference) bool { return r.UID == owner })
		return cur, nil
	}, store.UpdateOptions{Preconditions: &meta.Preconditions{UID: &uid}})
	out, _, err = skipGone(out, err, "orphan", cm)
	return out, err
}

// skipGone turns "the object is gone or changed hands" into a skip.
func skipGone[T runtime.MetaObject](out T, err error, op string, cm *meta.ObjectMeta) (T, bool, error) {
	var zero T
	switch {
	case err == nil:
		return out, true, nil
	case errors.Is(err, errNotOurs), isNotFoundOrConflict(err):
		return zero, false, nil
	default:
		return zero, false, fmt.Errorf("%s %s/%s: %w", op, cm.Namespace, cm.Name, err)
	}
}
