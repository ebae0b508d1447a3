// Package errors provides the API errors of cellkit: the errors stores, servers and clients
// return, each carrying a Kubernetes Status (reason, HTTP code, message and details) so that it
// crosses the wire unchanged and means the same on both sides. Import it as apierrors.
//
// A server or store builds errors with the constructors, whose messages are Kubernetes' own
// (`pods "web" not found`, `Operation cannot be fulfilled on pods "web": the object has been
// modified; please apply your changes to the latest version and try again`); a caller asks what
// happened with the predicates, which see through fmt.Errorf("%w") wrapping and errors.Join:
//
//	pod, err := store.Get(ctx, key)
//	switch {
//	case apierrors.IsNotFound(err):
//		// create it
//	case apierrors.IsConflict(err):
//		// re-read and retry
//	case err != nil:
//		return fmt.Errorf("get pod: %w", err)
//	}
//
// A REST server writes ToStatus(err) as the response body with StatusCodeForError(err) as the
// HTTP code; a client turns the Status it decodes back into an error with FromObject, so that
// IsNotFound and friends work on remote errors as on local ones. Invalid errors carry one cause
// per field error of a validation field.ErrorList.
//
// The predicates trust the reason first; for reasons Kubernetes does not know (an empty reason
// from an old server or a proxy) they fall back to the HTTP code, as client-go does.
//
// Concurrency and ownership: a *StatusError is immutable once returned and safe to share
// between goroutines; Status returns a deep copy. The package has no state.
package errors
