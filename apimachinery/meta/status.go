package meta

import "github.com/cellkit/cellkit/apimachinery/schema"

// Condition is the standard shape of a status condition (metav1.Condition).
type Condition struct {
	// Type names the condition in CamelCase ("Ready", "Available").
	Type string `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// ObservedGeneration is the metadata.generation the condition was computed from.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// LastTransitionTime is when Status last changed (SetStatusCondition keeps it otherwise).
	LastTransitionTime Time `json:"lastTransitionTime"`
	// Reason is a CamelCase machine-readable cause of the last transition.
	Reason string `json:"reason"`
	// Message is a human-readable explanation; it may be empty.
	Message string `json:"message"`
}

// ConditionStatus is True, False or Unknown.
type ConditionStatus string

// The values of ConditionStatus.
const (
	ConditionTrue    ConditionStatus = "True"
	ConditionFalse   ConditionStatus = "False"
	ConditionUnknown ConditionStatus = "Unknown"
)

// Status is the result of an API call that returns no object, and the body of every API error.
type Status struct {
	TypeMeta `json:",inline"`
	ListMeta `json:"metadata,omitempty"`
	// Status is "Success" or "Failure".
	Status string `json:"status,omitempty"`
	// Message is a human-readable description.
	Message string `json:"message,omitempty"`
	// Reason is the machine-readable reason of a failure; empty when unknown.
	Reason StatusReason `json:"reason,omitempty"`
	// Details, when set, say which object the status is about and why.
	Details *StatusDetails `json:"details,omitempty"`
	// Code is the HTTP status code of the response (0 when not set).
	Code int32 `json:"code,omitempty"`
}

// The values of Status.Status.
const (
	StatusSuccess = "Success"
	StatusFailure = "Failure"
)

// StatusReason is a machine-readable reason for a failure (NotFound, Conflict, ...).
type StatusReason string

// StatusDetails names the object an error is about and the causes of an Invalid error.
type StatusDetails struct {
	// Name is the name of the object, when there is one.
	Name string `json:"name,omitempty"`
	// Group is the API group of the object's resource.
	Group string `json:"group,omitempty"`
	// Kind is the resource (for example "pods") or kind the error is about.
	Kind string `json:"kind,omitempty"`
	// UID is the object's UID, when known.
	UID UID `json:"uid,omitempty"`
	// Causes detail an Invalid error field by field.
	Causes []StatusCause `json:"causes,omitempty"`
	// RetryAfterSeconds, when positive, is how long a client should wait before retrying.
	RetryAfterSeconds int32 `json:"retryAfterSeconds,omitempty"`
}

// StatusCause is one cause of a failure, usually one invalid field.
type StatusCause struct {
	// Type is the machine-readable kind of cause (sent as "reason" on the wire).
	Type CauseType `json:"reason,omitempty"`
	// Message is a human-readable description of the cause.
	Message string `json:"message,omitempty"`
	// Field is the path of the field the cause is about ("spec.containers[0].image").
	Field string `json:"field,omitempty"`
}

// CauseType is the machine-readable kind of a StatusCause (FieldValueRequired, ...).
type CauseType string

// DeepCopyObject makes Status an API object (runtime.Object, an alias of schema.Object), so
// that error events of watches and error responses carry it like any other kind. It is written
// by hand because the deep-copy generator cannot emit it here: runtime imports meta.
func (s *Status) DeepCopyObject() schema.Object {
	if s == nil {
		return nil
	}
	return s.DeepCopy()
}
