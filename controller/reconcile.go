package controller

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Request names the object a reconcile is about: its namespace (empty for cluster-scoped
// objects) and name. It carries no state on purpose: a reconciler reads the current state of
// the object (from a cache or the store) when it runs, so many changes of one object collapse
// into one reconcile.
type Request struct {
	Namespace string
	Name      string
}

// String returns "namespace/name", or "name" for a cluster-scoped object.
func (r Request) String() string {
	if r.Namespace == "" {
		return r.Name
	}
	return r.Namespace + "/" + r.Name
}

// Result is the outcome of a reconcile that returned no error. The zero value means done:
// the item is forgotten by the rate limiter and reconciled again only when something changes.
type Result struct {
	// RequeueAfter, when positive, reconciles the item again after this long (on the
	// controller's clock), even if nothing changes. The rate limiter's backoff is reset.
	RequeueAfter time.Duration
}

// Reconciler drives the world towards the desired state of the item it is given. It is called
// with a key of type T (usually Request) and must be level-based: it looks at the current state
// and acts on that, never on the event that caused the call, because events are merged, may be
// missed while the process is down, and are replayed as resyncs.
//
// Returning an error retries the item with the rate limiter's backoff; returning an error
// wrapped with Terminal records it and does not retry; returning Result.RequeueAfter schedules
// another reconcile. The context is cancelled when the controller stops or the per-reconcile
// timeout passes.
type Reconciler[T comparable] interface {
	Reconcile(ctx context.Context, item T) (Result, error)
}

// Func adapts a function to Reconciler.
type Func[T comparable] func(ctx context.Context, item T) (Result, error)

// Reconcile calls f.
func (f Func[T]) Reconcile(ctx context.Context, item T) (Result, error) { return f(ctx, item) }

var _ Reconciler[Request] = Func[Request](nil)

var (
	// ErrTerminal is matched (errors.Is) by every error wrapped with Terminal.
	ErrTerminal = errors.New("terminal reconcile error")
	// ErrReconcileTimeout is the cause of the context of a reconcile that ran longer than
	// Options.ReconcileTimeout (context.Cause).
	ErrReconcileTimeout = errors.New("reconcile timed out")
	// ErrStarted is returned by Run when the controller was already started, and by builder
	// methods used after Build.
	ErrStarted = errors.New("controller already started")
	// ErrInvalidOptions is wrapped by every error about invalid options or builder mistakes.
	ErrInvalidOptions = errors.New("invalid controller options")
	// ErrNotSynced is wrapped by the error of Run when the sources did not sync in time.
	ErrNotSynced = errors.New("caches did not sync")
)

type terminalError struct{ err error }

func (e terminalError) Error() string { return "terminal: " + e.err.Error() }
func (e terminalError) Unwrap() error { return e.err }
func (e terminalError) Is(target error) bool {
	return target == ErrTerminal
}

// Terminal marks err as terminal: the controller records it (log and metric) and forgets the
// item instead of retrying it. Use it for errors that retrying cannot fix, such as an invalid
// spec; the item is reconciled again when it changes. Terminal(nil) is nil.
func Terminal(err error) error {
	if err == nil {
		return nil
	}
	return terminalError{err: err}
}

// IsTerminal reports whether err was marked with Terminal.
func IsTerminal(err error) bool { return errors.Is(err, ErrTerminal) }

// PanicError is the error a reconcile that panicked is turned into. The item is retried like
// after any other error.
type PanicError struct {
	// Value is what was passed to panic.
	Value any
	// Stack is the stack of the panicking goroutine.
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("reconcile panicked: %v", e.Value) }

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
