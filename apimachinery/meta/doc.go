// Package meta holds the metadata every API object carries and the small types shared by all
// API groups, with Kubernetes' JSON field names: TypeMeta (apiVersion and kind), ObjectMeta (name,
// namespace, uid, resourceVersion, labels, owner references, ...), ListMeta, Time and MicroTime
// (RFC 3339 in UTC at second or microsecond precision, null when zero), Condition, Status and the
// request options of list, get, create, update, patch and delete.
//
// It also holds the helpers controllers use on that metadata. Conditions: SetStatusCondition
// updates a condition in place and moves its LastTransitionTime only when the status changes, at
// the time the caller passes in (there is no hidden clock); FindStatusCondition,
// RemoveStatusCondition and the IsStatusCondition predicates read them. Owner references:
// NewControllerRef makes the reference a controller sets on what it creates, GetControllerOf and
// IsControlledBy read it back.
//
// The usual loop of a controller:
//
//	ref := meta.NewControllerRef(&rs.ObjectMeta, rsKind)
//	pod.OwnerReferences = append(pod.OwnerReferences, *ref)
//	...
//	meta.SetStatusCondition(&rs.Status.Conditions, meta.Condition{Type: "Ready", Status: meta.ConditionTrue,
//		Reason: "AllReplicasReady"}, clock.Now())
//
// # Concurrency and ownership
//
// The types are plain values with no internal locking; the helpers change the slice or object they
// are given and nothing else. Share objects between goroutines only read-only, and deep-copy
// (DeepCopy, generated in zz_generated.deepcopy.go) before changing an object you do not own.
package meta
