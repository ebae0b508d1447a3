package deployment

import "errors"

var (
	// ErrInvalidOptions is wrapped by New for options it rejects.
	ErrInvalidOptions = errors.New("invalid deployment controller options")
	// ErrNilTemplate is returned by TemplateHash for a nil template.
	ErrNilTemplate = errors.New("nil pod template")
	// ErrInvalidStrategy is wrapped by ResolveFenceposts (and reported by the controller,
	// without retrying) for a rolling-update budget that is negative, not a count or a
	// percentage, or zero for both maxSurge and maxUnavailable.
	ErrInvalidStrategy = errors.New("invalid deployment strategy")
	// ErrInvalidAnnotation is wrapped by Revision for an annotation that is not a number.
	ErrInvalidAnnotation = errors.New("invalid deployment annotation")
	// ErrHashCollision is returned by a reconcile that found another ReplicaSet under the name
	// of the new one; the Deployment's status.collisionCount was bumped and the reconcile is
	// retried with the next hash.
	ErrHashCollision = errors.New("replica set name collision")
)

// ErrProgressDeadlineExceeded is returned by RolloutStatus for a Deployment whose Progressing
// condition says ProgressDeadlineExceeded, as kubectl rollout status fails then.
var ErrProgressDeadlineExceeded = errors.New("deployment exceeded its progress deadline")
