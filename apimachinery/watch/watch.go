package watch

import (
	"encoding/json"
	"errors"
	"fmt"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
)

// EventType is the kind of change an Event reports. The values are Kubernetes' wire strings.
type EventType string

// The event types of a watch stream.
const (
	// Added: the object was created, or entered the watched set (for example through a
	// selector change), or is part of the initial state of a watch that asked for it.
	Added EventType = "ADDED"
	// Modified: the object was updated and is still in the watched set.
	Modified EventType = "MODIFIED"
	// Deleted: the object was deleted, or left the watched set. Object is its last state.
	Deleted EventType = "DELETED"
	// Bookmark: no change; Object carries only the resourceVersion the stream has reached
	// (and, for the end of initial events, the k8s.io/initial-events-end annotation).
	Bookmark EventType = "BOOKMARK"
	// Error: the stream failed. Status describes why; the stream ends after it.
	Error EventType = "ERROR"
)

// Valid reports whether t is one of the five event types.
func (t EventType) Valid() bool {
	switch t {
	case Added, Modified, Deleted, Bookmark, Error:
		return true
	}
	return false
}

// Event is one entry of a watch stream.
//
// For every type but Error, Object is the object the event is about. For Error, Status is the
// failure (a meta.Status with code, reason and message, as Kubernetes sends it) and Object is the
// same *meta.Status when T can hold it (T = any, or a type *meta.Status satisfies), otherwise the
// zero T. Use NewError to build error events and ErrorStatus to read them, so both cases work.
type Event[T any] struct {
	// Type is Added, Modified, Deleted, Bookmark or Error.
	Type EventType
	// Object is the object after the change (before it, for Deleted); see above for Error.
	Object T
	// Status is set on Error events only.
	Status *meta.Status
}

// ObjectEvent is the untyped event that stores and the REST layer pass around.
type ObjectEvent = Event[runtime.Object]

// NewError returns an Error event carrying status. It sets Object to status too when T can hold
// a *meta.Status.
func NewError[T any](status *meta.Status) Event[T] {
	ev := Event[T]{Type: Error, Status: status}
	if o, ok := any(status).(T); ok {
		ev.Object = o
	}
	return ev
}

// ErrorStatus returns the failure an Error event carries, from Status or, when Status is nil,
// from an Object that is a *meta.Status. It returns nil for every other event.
func (e Event[T]) ErrorStatus() *meta.Status {
	if e.Type != Error {
		return nil
	}
	if e.Status != nil {
		return e.Status
	}
	if st, ok := any(e.Object).(*meta.Status); ok {
		return st
	}
	return nil
}

// MarshalJSON encodes the event in Kubernetes' watch wire form {"type":...,"object":...}. The
// object of an Error event is its Status.
func (e Event[T]) MarshalJSON() ([]byte, error) {
	var obj any = e.Object
	if e.Type == Error {
		if st := e.ErrorStatus(); st != nil {
			obj = st
		}
	}
	b, err := json.Marshal(struct {
		Type   EventType `json:"type"`
		Object any       `json:"object"`
	}{e.Type, obj})
	if err != nil {
		return nil, fmt.Errorf("watch: encode %s event: %w", e.Type, err)
	}
	return b, nil
}

// Interface is a stream of events.
//
// ResultChan returns the same channel on every call; it is closed when the stream ends, because
// the producer finished, failed (after an Error event), or Stop was called. Stop is idempotent,
// safe to call from any goroutine (including concurrently with a receive), never blocks for long,
// and after it returns the channel is closed promptly, possibly after events that were already
// buffered. A consumer that stops reading must call Stop so that the producer can let go.
type Interface[T any] interface {
	ResultChan() <-chan Event[T]
	Stop()
}

// ObjectInterface is the untyped watch that stores and the REST layer return.
type ObjectInterface = Interface[runtime.Object]

// Errors returned by the helpers of this package.
var (
	// ErrStopped: the watch was stopped by its consumer (Stop or context cancellation).
	ErrStopped = errors.New("watch stopped")
	// ErrClosed: the stream ended before the caller got what it waited for.
	ErrClosed = errors.New("watch closed")
)

// SlowWatcherStatus is the Status of the Error event a Broadcaster sends to a watcher whose
// buffer of the given size overflowed: Kubernetes' TooManyRequests (429) with a retry after one
// second, the error on which clients such as client-go's reflector resume the watch from the
// last resourceVersion they received, without a relist. See IsSlowWatcher.
func SlowWatcherStatus(buffer int) *meta.Status {
	st := apierrors.NewTooManyRequests(fmt.Sprintf("watcher fell more than %d events behind and was closed; "+
		"resume the watch from the last resourceVersion received", buffer), 1).Status()
	return &st
}

// IsSlowWatcher reports whether ev is the Error event a Broadcaster sends to a watcher it closed
// for falling behind (any TooManyRequests Error event). The watcher recovers by starting a new
// watch from the last resourceVersion it received.
func IsSlowWatcher[T any](ev Event[T]) bool {
	st := ev.ErrorStatus()
	return st != nil && apierrors.IsTooManyRequests(apierrors.FromObject(*st))
}

// EventError returns the error an Error event reports, usable with the predicates of package
// apimachinery/errors (IsResourceExpired, IsGone, IsTooManyRequests, ...); nil for other events.
func EventError[T any](ev Event[T]) error {
	if ev.Type != Error {
		return nil
	}
	st := ev.ErrorStatus()
	if st == nil {
		return apierrors.NewInternalError(errors.New("watch error event without a status"))
	}
	return apierrors.FromObject(*st)
}
