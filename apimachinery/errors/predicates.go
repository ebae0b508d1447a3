package errors

import (
	"net/http"

	"github.com/cellkit/cellkit/apimachinery/meta"
)

// statusOf returns the Status of err itself (not of what it wraps), without copying a
// *StatusError's status.
func statusOf(err error) (meta.Status, bool) {
	switch e := err.(type) {
	case *StatusError:
		if e == nil {
			return meta.Status{}, false
		}
		return e.ErrStatus, true
	case APIStatus:
		return e.Status(), true
	}
	return meta.Status{}, false
}

// find walks err's tree depth-first, in the order errors.As does (through Unwrap() error and
// Unwrap() []error, so through fmt.Errorf("%w") and errors.Join), and returns the first Status
// that match accepts.
func find(err error, match func(meta.Status) bool) (meta.Status, bool) {
	for err != nil {
		if s, ok := statusOf(err); ok && match(s) {
			return s, true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if s, ok := find(e, match); ok {
					return s, true
				}
			}
			return meta.Status{}, false
		default:
			return meta.Status{}, false
		}
	}
	return meta.Status{}, false
}

// any reports whether some Status in err's tree matches.
func anyStatus(err error, match func(meta.Status) bool) bool {
	_, ok := find(err, match)
	return ok
}

// is builds the usual predicate: the reason matches, or the reason is not one Kubernetes knows
// and the HTTP code matches.
func is(err error, reason meta.StatusReason, code int32) bool {
	return anyStatus(err, func(s meta.Status) bool {
		return s.Reason == reason || (!knownReason(s.Reason) && s.Code == code)
	})
}

// hasReason reports whether some Status in err's tree has the reason.
func hasReason(err error, reason meta.StatusReason) bool {
	return anyStatus(err, func(s meta.Status) bool { return s.Reason == reason })
}

// All predicates below look at every API status in err's tree: they see through
// fmt.Errorf("%w", ...) and errors.Join, and are false for nil.

// IsNotFound reports whether err says an object does not exist (NotFound, or an unknown
// reason with code 404).
func IsNotFound(err error) bool { return is(err, StatusReasonNotFound, http.StatusNotFound) }

// IsAlreadyExists reports whether err says an object of that name already exists.
func IsAlreadyExists(err error) bool { return hasReason(err, StatusReasonAlreadyExists) }

// IsConflict reports whether err says a write lost a race (Conflict, or an unknown reason with
// code 409).
func IsConflict(err error) bool { return is(err, StatusReasonConflict, http.StatusConflict) }

// IsInvalid reports whether err says an object failed validation (Invalid, or an unknown reason
// with code 422).
func IsInvalid(err error) bool {
	return is(err, StatusReasonInvalid, http.StatusUnprocessableEntity)
}

// IsGone reports whether err says the resource is gone (Gone, or an unknown reason with code
// 410). Compacted history is reported as Expired: see IsResourceExpired.
func IsGone(err error) bool { return is(err, StatusReasonGone, http.StatusGone) }

// IsResourceExpired reports whether err says the requested history was compacted (Expired).
func IsResourceExpired(err error) bool { return hasReason(err, StatusReasonExpired) }

// IsNotAcceptable reports whether err rejects the Accept header (NotAcceptable, or an unknown
// reason with code 406).
func IsNotAcceptable(err error) bool {
	return is(err, StatusReasonNotAcceptable, http.StatusNotAcceptable)
}

// IsUnsupportedMediaType reports whether err rejects the Content-Type (UnsupportedMediaType,
// or an unknown reason with code 415).
func IsUnsupportedMediaType(err error) bool {
	return is(err, StatusReasonUnsupportedMediaType, http.StatusUnsupportedMediaType)
}

// IsMethodNotSupported reports whether err rejects the verb (MethodNotAllowed, or an unknown
// reason with code 405).
func IsMethodNotSupported(err error) bool {
	return is(err, StatusReasonMethodNotAllowed, http.StatusMethodNotAllowed)
}

// IsServiceUnavailable reports whether err says the service is unavailable
// (ServiceUnavailable, or an unknown reason with code 503).
func IsServiceUnavailable(err error) bool {
	return is(err, StatusReasonServiceUnavailable, http.StatusServiceUnavailable)
}

// IsBadRequest reports whether err says the request is malformed (BadRequest, or an unknown
// reason with code 400).
func IsBadRequest(err error) bool { return is(err, StatusReasonBadRequest, http.StatusBadRequest) }

// IsUnauthorized reports whether err asks for credentials (Unauthorized, or an unknown reason
// with code 401).
func IsUnauthorized(err error) bool {
	return is(err, StatusReasonUnauthorized, http.StatusUnauthorized)
}

// IsForbidden reports whether err denies the action (Forbidden, or an unknown reason with code
// 403).
func IsForbidden(err error) bool { return is(err, StatusReasonForbidden, http.StatusForbidden) }

// IsTimeout reports whether err says the request timed out (Timeout, or an unknown reason with
// code 504).
func IsTimeout(err error) bool { return is(err, StatusReasonTimeout, http.StatusGatewayTimeout) }

// IsServerTimeout reports whether err asks the client to retry an operation the server could
// not finish (ServerTimeout). No HTTP code alone implies it.
func IsServerTimeout(err error) bool { return hasReason(err, StatusReasonServerTimeout) }

// IsInternalError reports whether err is an unexpected server failure (InternalError, or an
// unknown reason with code 500).
func IsInternalError(err error) bool {
	return is(err, StatusReasonInternalError, http.StatusInternalServerError)
}

// IsTooManyRequests reports whether err asks the client to slow down (TooManyRequests, or code
// 429 whatever the reason, as in Kubernetes).
func IsTooManyRequests(err error) bool {
	return anyStatus(err, func(s meta.Status) bool {
		return s.Reason == StatusReasonTooManyRequests || s.Code == http.StatusTooManyRequests
	})
}

// IsRequestEntityTooLarge reports whether err rejects the size of the request body
// (RequestEntityTooLarge, or code 413 whatever the reason, as in Kubernetes).
func IsRequestEntityTooLarge(err error) bool {
	return anyStatus(err, func(s meta.Status) bool {
		return s.Reason == StatusReasonRequestEntityTooLarge || s.Code == http.StatusRequestEntityTooLarge
	})
}

// IsStoreReadError reports whether err says stored data could not be read (StorageReadError).
func IsStoreReadError(err error) bool { return hasReason(err, StatusReasonStoreReadError) }

// IsUnexpectedServerError reports whether err comes from a response that was not in the API's
// format (it has an UnexpectedServerResponse cause).
func IsUnexpectedServerError(err error) bool {
	return HasStatusCause(err, CauseTypeUnexpectedServerResponse)
}

// IsTooLargeResourceVersion reports whether err is a Timeout for a resourceVersion the server
// has not reached yet (see NewTooLargeResourceVersion).
func IsTooLargeResourceVersion(err error) bool {
	return anyStatus(err, func(s meta.Status) bool {
		return (s.Reason == StatusReasonTimeout || (!knownReason(s.Reason) && s.Code == http.StatusGatewayTimeout)) &&
			hasCause(s, CauseTypeResourceVersionTooLarge)
	})
}

func hasCause(s meta.Status, t meta.CauseType) bool {
	if s.Details == nil {
		return false
	}
	for _, c := range s.Details.Causes {
		if c.Type == t {
			return true
		}
	}
	return false
}

// HasStatusCause reports whether some API status in err's tree has a cause of type t.
func HasStatusCause(err error, t meta.CauseType) bool {
	return anyStatus(err, func(s meta.Status) bool { return hasCause(s, t) })
}

// StatusCause returns the first cause of type t of the API statuses in err's tree.
func StatusCause(err error, t meta.CauseType) (meta.StatusCause, bool) {
	s, ok := find(err, func(s meta.Status) bool { return hasCause(s, t) })
	if !ok {
		return meta.StatusCause{}, false
	}
	for _, c := range s.Details.Causes {
		if c.Type == t {
			return c, true
		}
	}
	return meta.StatusCause{}, false
}

// SuggestsClientDelay returns the delay in seconds the first API status in err's tree asks
// for: always for ServerTimeout (even zero), and for any other reason when RetryAfterSeconds
// is positive. It says nothing about whether to retry at all.
func SuggestsClientDelay(err error) (int, bool) {
	s, ok := find(err, func(meta.Status) bool { return true })
	if !ok || s.Details == nil {
		return 0, false
	}
	if s.Reason == StatusReasonServerTimeout || s.Details.RetryAfterSeconds > 0 {
		return int(s.Details.RetryAfterSeconds), true
	}
	return 0, false
}

// ReasonForError returns the reason of the first API status in err's tree, or
// StatusReasonUnknown when there is none (or err is nil).
func ReasonForError(err error) meta.StatusReason {
	s, _ := find(err, func(meta.Status) bool { return true })
	return s.Reason
}

// StatusCodeForError returns the HTTP status code a server answers err with: the code of the
// first API status in err's tree (500 when that status has none), 500 for other errors, and 200
// for nil.
func StatusCodeForError(err error) int {
	if err == nil {
		return http.StatusOK
	}
	s, ok := find(err, func(meta.Status) bool { return true })
	if !ok || s.Code == 0 {
		return http.StatusInternalServerError
	}
	return int(s.Code)
}
