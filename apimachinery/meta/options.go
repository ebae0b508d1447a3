package meta

// ResourceVersionMatch says how a List interprets ResourceVersion.
type ResourceVersionMatch string

// The values of ResourceVersionMatch.
const (
	// ResourceVersionMatchNotOlderThan returns data at least as new as ResourceVersion.
	ResourceVersionMatchNotOlderThan ResourceVersionMatch = "NotOlderThan"
	// ResourceVersionMatchExact returns data at exactly ResourceVersion.
	ResourceVersionMatchExact ResourceVersionMatch = "Exact"
)

// ListOptions are the query of a list or watch request.
type ListOptions struct {
	TypeMeta `json:",inline"`
	// LabelSelector restricts the result by labels, in the syntax labels.Parse reads.
	LabelSelector string `json:"labelSelector,omitempty"`
	// FieldSelector restricts the result by fields, in the syntax fields.ParseSelector reads.
	FieldSelector string `json:"fieldSelector,omitempty"`
	// Watch turns the list into a watch of changes.
	Watch bool `json:"watch,omitempty"`
	// AllowWatchBookmarks lets the server send BOOKMARK events; clients must not assume it will.
	AllowWatchBookmarks bool `json:"allowWatchBookmarks,omitempty"`
	// ResourceVersion: for a list, "" means the latest state, "0" any state the server has, and
	// another value a state at least that new (or exactly it, see ResourceVersionMatch); for a
	// watch, the revision after which events start.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// ResourceVersionMatch says how a list interprets a non-empty ResourceVersion; empty means
	// NotOlderThan.
	ResourceVersionMatch ResourceVersionMatch `json:"resourceVersionMatch,omitempty"`
	// TimeoutSeconds bounds the duration of a list or watch call.
	TimeoutSeconds *int64 `json:"timeoutSeconds,omitempty"`
	// Limit, when positive, is the page size of a list; the response's Continue gets the rest.
	Limit int64 `json:"limit,omitempty"`
	// Continue is the token of a previous page's ListMeta.Continue.
	Continue string `json:"continue,omitempty"`
	// SendInitialEvents asks a watch to start with an ADDED event per existing object and a
	// BOOKMARK annotated k8s.io/initial-events-end once they are all sent.
	SendInitialEvents *bool `json:"sendInitialEvents,omitempty"`
}

// GetOptions are the query of a get request. ResourceVersion "" means latest, "0" means any.
type GetOptions struct {
	TypeMeta `json:",inline"`
	// ResourceVersion is "" for the latest state, "0" for any state the server has, or a
	// revision the state must be at least as new as.
	ResourceVersion string `json:"resourceVersion,omitempty"`
}

// DryRunAll asks the server to run every stage of a request but not to persist it.
const DryRunAll = "All"

// CreateOptions are the query of a create request.
type CreateOptions struct {
	TypeMeta `json:",inline"`
	// DryRun, when it holds DryRunAll, runs the request without persisting it.
	DryRun []string `json:"dryRun,omitempty"`
	// FieldManager names the actor making the change, for managed fields.
	FieldManager string `json:"fieldManager,omitempty"`
	// FieldValidation is "Ignore", "Warn" or "Strict": what the server does with unknown or
	// duplicate fields in the body.
	FieldValidation string `json:"fieldValidation,omitempty"`
}

// UpdateOptions are the query of an update request.
type UpdateOptions struct {
	TypeMeta `json:",inline"`
	// DryRun, when it holds DryRunAll, runs the request without persisting it.
	DryRun []string `json:"dryRun,omitempty"`
	// FieldManager names the actor making the change, for managed fields.
	FieldManager string `json:"fieldManager,omitempty"`
	// FieldValidation is "Ignore", "Warn" or "Strict", as in CreateOptions.
	FieldValidation string `json:"fieldValidation,omitempty"`
}

// PatchOptions are the query of a patch request.
type PatchOptions struct {
	TypeMeta `json:",inline"`
	// DryRun, when it holds DryRunAll, runs the request without persisting it.
	DryRun []string `json:"dryRun,omitempty"`
	// Force, for an apply patch, takes over fields other managers own instead of failing with
	// a conflict.
	Force *bool `json:"force,omitempty"`
	// FieldManager names the actor making the change; required for apply patches.
	FieldManager string `json:"fieldManager,omitempty"`
	// FieldValidation is "Ignore", "Warn" or "Strict", as in CreateOptions.
	FieldValidation string `json:"fieldValidation,omitempty"`
}

// DeletionPropagation says what happens to the dependents of a deleted object.
type DeletionPropagation string

// The values of DeletionPropagation.
const (
	// DeletePropagationOrphan leaves dependents in place and removes their owner references.
	DeletePropagationOrphan DeletionPropagation = "Orphan"
	// DeletePropagationBackground deletes the owner now and the dependents afterwards.
	DeletePropagationBackground DeletionPropagation = "Background"
	// DeletePropagationForeground deletes the dependents first, then the owner.
	DeletePropagationForeground DeletionPropagation = "Foreground"
)

// Preconditions must hold for a delete to go ahead.
type Preconditions struct {
	// UID, when set, must be the object's UID.
	UID *UID `json:"uid,omitempty"`
	// ResourceVersion, when set, must be the object's resourceVersion.
	ResourceVersion *string `json:"resourceVersion,omitempty"`
}

// DeleteOptions are the body or query of a delete request.
type DeleteOptions struct {
	TypeMeta `json:",inline"`
	// GracePeriodSeconds overrides the object's grace period; 0 deletes at once, nil uses the
	// type's default.
	GracePeriodSeconds *int64 `json:"gracePeriodSeconds,omitempty"`
	// Preconditions must hold or the delete fails with a Conflict.
	Preconditions *Preconditions `json:"preconditions,omitempty"`
	// OrphanDependents is deprecated in favour of PropagationPolicy; it may not be set with it.
	OrphanDependents *bool `json:"orphanDependents,omitempty"`
	// PropagationPolicy says what happens to dependents; nil means the resource's default.
	PropagationPolicy *DeletionPropagation `json:"propagationPolicy,omitempty"`
	// DryRun, when it holds DryRunAll, runs the request without persisting it.
	DryRun []string `json:"dryRun,omitempty"`
}
