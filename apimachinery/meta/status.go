package meta

import "github.com/cellkit/cellkit/apimachinery/schema"

// Condition is the standard shape of a status condition (metav1.Condition).
type Condition struct {
	Type               string          `json:"type"`
	Status             ConditionStatus `json:"status"`
	ObservedGeneration int64           `json:"observedGeneration,omitempty"`
	LastTransitionTime Time            `json:"lastTransitionTime"`
	Reason             string          `json:"reason"`
	Message            string          `json:"message"`
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
	Status  string         `json:"status,omitempty"`
	Message string         `json:"message,omitempty"`
	Reason  StatusReason   `json:"reason,omitempty"`
	Details *StatusDetails `json:"details,omitempty"`
	Code    int32          `json:"code,omitempty"`
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
	Name              string        `json:"name,omitempty"`
	Group             string        `json:"group,omitempty"`
	Kind              string        `json:"kind,omitempty"`
	UID               UID           `json:"uid,omitempty"`
	Causes            []StatusCause `json:"causes,omitempty"`
	RetryAfterSeconds int32         `json:"retryAfterSeconds,omitempty"`
}

// StatusCause is one cause of a failure, usually one invalid field.
type StatusCause struct {
	Type    CauseType `json:"reason,omitempty"`
	Message string    `json:"message,omitempty"`
	Field   string    `json:"field,omitempty"`
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
