package meta

import "github.com/cellkit/cellkit/apimachinery/schema"

// TypeMeta holds the apiVersion and kind of an object on the wire. Every built-in type embeds it
// with `json:",inline"`.
type TypeMeta struct {
	// Kind is the kind in CamelCase ("Pod", "DeploymentList").
	Kind string `json:"kind,omitempty"`
	// APIVersion is "group/version", or just "version" for the core group ("v1", "apps/v1").
	APIVersion string `json:"apiVersion,omitempty"`
}

// GetObjectKind lets every type that embeds TypeMeta report its kind.
func (t *TypeMeta) GetObjectKind() schema.ObjectKind { return t }

// GroupVersionKind parses apiVersion and kind.
func (t *TypeMeta) GroupVersionKind() schema.GroupVersionKind {
	return schema.FromAPIVersionAndKind(t.APIVersion, t.Kind)
}

// SetGroupVersionKind sets apiVersion and kind.
func (t *TypeMeta) SetGroupVersionKind(gvk schema.GroupVersionKind) {
	t.APIVersion, t.Kind = gvk.ToAPIVersionAndKind()
}

// ObjectMeta is the metadata every persisted object carries.
type ObjectMeta struct {
	// Name is unique among objects of one resource in one namespace and cannot change.
	Name string `json:"name,omitempty"`
	// GenerateName, when Name is empty, is the prefix the server completes with a random suffix.
	GenerateName string `json:"generateName,omitempty"`
	// Namespace is the namespace of a namespaced object; empty for cluster-scoped ones.
	Namespace string `json:"namespace,omitempty"`
	// SelfLink is deprecated and no longer set by servers; it is kept for wire compatibility.
	SelfLink string `json:"selfLink,omitempty"`
	// UID is set by the server on create and never reused.
	UID UID `json:"uid,omitempty"`
	// ResourceVersion is the opaque revision of the object's last write, set by the store; an
	// update that carries it succeeds only if the object has not changed since.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// Generation counts changes of the desired state (spec); the server increments it.
	Generation int64 `json:"generation,omitempty"`
	// CreationTimestamp is set by the server on create.
	CreationTimestamp Time `json:"creationTimestamp,omitempty"`
	// DeletionTimestamp is set by the server when deletion was requested but finalizers or a
	// grace period keep the object around; it cannot be unset.
	DeletionTimestamp *Time `json:"deletionTimestamp,omitempty"`
	// DeletionGracePeriodSeconds is the grace period granted when DeletionTimestamp was set.
	DeletionGracePeriodSeconds *int64 `json:"deletionGracePeriodSeconds,omitempty"`
	// Labels are identifying key/value pairs that selectors match (see the labels package).
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations are non-identifying key/value pairs for tools and controllers.
	Annotations map[string]string `json:"annotations,omitempty"`
	// OwnerReferences name the objects this one depends on; garbage collection follows them.
	OwnerReferences []OwnerReference `json:"ownerReferences,omitempty" patchStrategy:"merge" patchMergeKey:"uid"`
	// Finalizers must all be removed before a deleted object goes away.
	Finalizers []string `json:"finalizers,omitempty" patchStrategy:"merge"`
	// ManagedFields records which field manager set which fields (server-side apply).
	ManagedFields []ManagedFieldsEntry `json:"managedFields,omitempty"`
}

// GetObjectMeta gives access to the metadata of every type that embeds ObjectMeta.
func (m *ObjectMeta) GetObjectMeta() *ObjectMeta { return m }

// UID is a unique identifier of an object over its whole life (a UUID in practice).
type UID string

// OwnerReference points at an object that owns this one. Garbage collection follows it.
type OwnerReference struct {
	// APIVersion and Kind are the owner's type.
	APIVersion string `json:"apiVersion"`
	// Kind is the owner's kind.
	Kind string `json:"kind"`
	// Name is the owner's name, in the dependent's namespace (or cluster-scoped).
	Name string `json:"name"`
	// UID is the owner's UID; a reference to a deleted and recreated owner does not match.
	UID UID `json:"uid"`
	// Controller marks the managing controller; at most one reference may set it.
	Controller *bool `json:"controller,omitempty"`
	// BlockOwnerDeletion keeps a foreground deletion of the owner waiting for this dependent.
	BlockOwnerDeletion *bool `json:"blockOwnerDeletion,omitempty"`
}

// ManagedFieldsEntry records which manager owns which fields (server-side apply).
type ManagedFieldsEntry struct {
	// Manager names the field manager (kubectl, a controller).
	Manager string `json:"manager,omitempty"`
	// Operation is "Apply" or "Update".
	Operation string `json:"operation,omitempty"`
	// APIVersion is the version of the object the field set refers to.
	APIVersion string `json:"apiVersion,omitempty"`
	// Time is when the manager last changed its fields.
	Time *Time `json:"time,omitempty"`
	// FieldsType is the format of the field set; "FieldsV1" is the only one.
	FieldsType string `json:"fieldsType,omitempty"`
	// FieldsV1 is the field set.
	FieldsV1 *FieldsV1 `json:"fieldsV1,omitempty"`
	// Subresource is the subresource the manager wrote through ("" for the main resource).
	Subresource string `json:"subresource,omitempty"`
}

// FieldsV1 is the raw JSON of a managed-fields set.
type FieldsV1 struct {
	// Raw is the JSON document, kept as written.
	Raw []byte `json:"-"`
}

// ListMeta is the metadata of a list: the revision it reflects and the pagination cursor.
type ListMeta struct {
	// SelfLink is deprecated and no longer set by servers; it is kept for wire compatibility.
	SelfLink string `json:"selfLink,omitempty"`
	// ResourceVersion is the revision the list shows; a watch started from it misses nothing.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// Continue, when not empty, is the opaque token that fetches the next page.
	Continue string `json:"continue,omitempty"`
	// RemainingItemCount, when set, is how many items the following pages hold.
	RemainingItemCount *int64 `json:"remainingItemCount,omitempty"`
}

// GetListMeta gives access to the metadata of every list type that embeds ListMeta.
func (m *ListMeta) GetListMeta() *ListMeta { return m }

// LabelSelector is the structured form of a label selector used in specs. The labels package
// converts it to and from a labels.Selector.
type LabelSelector struct {
	// MatchLabels requires each key to have exactly the value.
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
	// MatchExpressions must all hold as well. An empty selector matches everything.
	MatchExpressions []LabelSelectorRequirement `json:"matchExpressions,omitempty"`
}

// LabelSelectorOperator is In, NotIn, Exists or DoesNotExist.
type LabelSelectorOperator string

// The operators of a LabelSelectorRequirement.
const (
	LabelSelectorOpIn           LabelSelectorOperator = "In"
	LabelSelectorOpNotIn        LabelSelectorOperator = "NotIn"
	LabelSelectorOpExists       LabelSelectorOperator = "Exists"
	LabelSelectorOpDoesNotExist LabelSelectorOperator = "DoesNotExist"
)

// LabelSelectorRequirement is one expression of a LabelSelector.
type LabelSelectorRequirement struct {
	// Key is the label key the requirement is about.
	Key string `json:"key" patchStrategy:"merge" patchMergeKey:"key"`
	// Operator relates the key to Values.
	Operator LabelSelectorOperator `json:"operator"`
	// Values must be non-empty for In and NotIn and empty for Exists and DoesNotExist.
	Values []string `json:"values,omitempty"`
}
