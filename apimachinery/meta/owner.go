package meta

import "github.com/cellkit/cellkit/apimachinery/schema"

// GetControllerOf returns a copy of the owner reference of m that has Controller set to true, or
// nil. Kubernetes allows at most one such reference per object; the first one wins.
func GetControllerOf(m *ObjectMeta) *OwnerReference {
	if m == nil {
		return nil
	}
	for i := range m.OwnerReferences {
		if ref := &m.OwnerReferences[i]; ref.Controller != nil && *ref.Controller {
			return ref.DeepCopy()
		}
	}
	return nil
}

// ControllerRef returns the owner reference of m that has Controller set to true, or nil, like
// GetControllerOf, but without copying it: the result points into m.OwnerReferences and must be
// treated as read-only. It is the cheap form for the hot paths of controllers that only compare
// the reference's UID, kind or name (a claim over thousands of pods per sync).
func ControllerRef(m *ObjectMeta) *OwnerReference {
	if m == nil {
		return nil
	}
	for i := range m.OwnerReferences {
		if ref := &m.OwnerReferences[i]; ref.Controller != nil && *ref.Controller {
			return ref
		}
	}
	return nil
}

// IsControlledBy reports whether obj's controller reference points at owner, by UID.
func IsControlledBy(obj, owner *ObjectMeta) bool {
	ref := ControllerRef(obj)
	return ref != nil && owner != nil && owner.UID != "" && ref.UID == owner.UID
}

// NewControllerRef returns an owner reference to owner, of kind gvk, with Controller and
// BlockOwnerDeletion set: the reference a controller puts on the objects it creates.
func NewControllerRef(owner *ObjectMeta, gvk schema.GroupVersionKind) *OwnerReference {
	apiVersion, kind := gvk.ToAPIVersionAndKind()
	yes, block := true, true
	return &OwnerReference{
		APIVersion:         apiVersion,
		Kind:               kind,
		Name:               owner.Name,
		UID:                owner.UID,
		Controller:         &yes,
		BlockOwnerDeletion: &block,
	}
}
