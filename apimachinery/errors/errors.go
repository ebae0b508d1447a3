package errors

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// The reasons of API errors, with Kubernetes' wire strings (metav1.StatusReason values).
const (
	// StatusReasonUnknown means the server gave no reason; the HTTP code may say more.
	StatusReasonUnknown meta.StatusReason = ""
	// StatusReasonUnauthorized (401): the request carries no valid credentials.
	StatusReasonUnauthorized meta.StatusReason = "Unauthorized"
	// StatusReasonForbidden (403): the caller may not perform the action.
	StatusReasonForbidden meta.StatusReason = "Forbidden"
	// StatusReasonNotFound (404): the object does not exist.
	StatusReasonNotFound meta.StatusReason = "NotFound"
	// StatusReasonAlreadyExists (409): an object of that name already exists.
	StatusReasonAlreadyExists meta.StatusReason = "AlreadyExists"
	// StatusReasonConflict (409): the write lost a race (a stale resourceVersion or UID).
	StatusReasonConflict meta.StatusReason = "Conflict"
	// StatusReasonGone (410): the resource is gone with no forwarding address.
	StatusReasonGone meta.StatusReason = "Gone"
	// StatusReasonInvalid (422): the object failed validation; the causes name the fields.
	StatusReasonInvalid meta.StatusReason = "Invalid"
	// StatusReasonServerTimeout (500): the server could not finish in time; retry after
	// Details.RetryAfterSeconds.
	StatusReasonServerTimeout meta.StatusReason = "ServerTimeout"
	// StatusReasonStoreReadError (500): stored data could not be read or decoded.
	StatusReasonStoreReadError meta.StatusReason = "StorageReadError"
	// StatusReasonTimeout (504): the request timed out; it may still complete.
	StatusReasonTimeout meta.StatusReason = "Timeout"
	// StatusReasonTooManyRequests (429): the client must slow down.
	StatusReasonTooManyRequests meta.StatusReason = "TooManyRequests"
	// StatusReasonBadRequest (400): the request itself is malformed.
	StatusReasonBadRequest meta.StatusReason = "BadRequest"
	// StatusReasonMethodNotAllowed (405): the verb is not supported on the resource.
	StatusReasonMethodNotAllowed meta.StatusReason = "MethodNotAllowed"
	// StatusReasonNotAcceptable (406): no media type of the Accept header can be served.
	StatusReasonNotAcceptable meta.StatusReason = "NotAcceptable"
	// StatusReasonRequestEntityTooLarge (413): the request body is too large.
	StatusReasonRequestEntityTooLarge meta.StatusReason = "RequestEntityTooLarge"
	// StatusReasonUnsupportedMediaType (415): the Content-Type of the body is not supported.
	StatusReasonUnsupportedMediaType meta.StatusReason = "UnsupportedMediaType"
	// StatusReasonInternalError (500): an unexpected server failure.
	StatusReasonInternalError meta.StatusReason = "InternalError"
	// StatusReasonExpired (410): the requested history (a resourceVersion) was compacted away;
	// relist.
	StatusReasonExpired meta.StatusReason = "Expired"
	// StatusReasonServiceUnavailable (503): the service is not available right now.
	StatusReasonServiceUnavailable meta.StatusReason = "ServiceUnavailable"
)

// The types of Status causes, with Kubernetes' wire strings (metav1.CauseType values). The
// field-level ones equal the field.ErrorType of the same meaning.
const (
	CauseTypeFieldValueNotFound       meta.CauseType = "FieldValueNotFound"
	CauseTypeFieldValueRequired       meta.CauseType = "FieldValueRequired"
	CauseTypeFieldValueDuplicate      meta.CauseType = "FieldValueDuplicate"
	CauseTypeFieldValueInvalid        meta.CauseType = "FieldValueInvalid"
	CauseTypeFieldValueNotSupported   meta.CauseType = "FieldValueNotSupported"
	CauseTypeForbidden                meta.CauseType = "FieldValueForbidden"
	CauseTypeTooLong                  meta.CauseType = "FieldValueTooLong"
	CauseTypeTooMany                  meta.CauseType = "FieldValueTooMany"
	CauseTypeInternal                 meta.CauseType = "InternalError"
	CauseTypeTypeInvalid              meta.CauseType = "FieldValueTypeInvalid"
	CauseTypeUnexpectedServerResponse meta.CauseType = "UnexpectedServerResponse"
	CauseTypeFieldManagerConflict     meta.CauseType = "FieldManagerConflict"
	CauseTypeResourceVersionTooLarge  meta.CauseType = "ResourceVersionTooLarge"
)

// OptimisticLockErrorMsg is the text of the error a store gives NewConflict when an update or
// delete carried a stale resourceVersion; Kubernetes clients recognise it.
const OptimisticLockErrorMsg = "the object has been modified; please apply your changes to the latest version and try again"

// knownReasons are the reasons the predicates trust over the HTTP code.
func knownReason(r meta.StatusReason) bool {
	switch r {
	case StatusReasonUnauthorized, StatusReasonForbidden, StatusReasonNotFound,
		StatusReasonAlreadyExists, StatusReasonConflict, StatusReasonGone, StatusReasonInvalid,
		StatusReasonServerTimeout, StatusReasonStoreReadError, StatusReasonTimeout,
		StatusReasonTooManyRequests, StatusReasonBadRequest, StatusReasonMethodNotAllowed,
		StatusReasonNotAcceptable, StatusReasonRequestEntityTooLarge,
		StatusReasonUnsupportedMediaType, StatusReasonInternalError, StatusReasonExpired,
		StatusReasonServiceUnavailable:
		return true
	}
	return false
}

// APIStatus is implemented by errors that carry a Status: *StatusError, and any error type of
// a caller that wants the predicates of this package to understand it.
type APIStatus interface {
	Status() meta.Status
}

// StatusError is an API error: a Status with Status "Failure", a reason and an HTTP code. It is
// what stores, servers and clients return, and what travels on the wire. Use the constructors;
// treat a StatusError as immutable once returned.
type StatusError struct {
	// ErrStatus is the Status as it travels on the wire.
	ErrStatus meta.Status
}

var (
	_ error     = (*StatusError)(nil)
	_ APIStatus = (*StatusError)(nil)
)

// Error returns the message of the Status, in Kubernetes' wording (`pods "web" not found`).
func (e *StatusError) Error() string {
	if e.ErrStatus.Message != "" {
		return e.ErrStatus.Message
	}
	if e.ErrStatus.Reason != "" {
		return fmt.Sprintf("%s (code %d)", e.ErrStatus.Reason, e.ErrStatus.Code)
	}
	return fmt.Sprintf("the server responded with the status code %d but did not return more information", e.ErrStatus.Code)
}

// Status returns a deep copy of the Status, with kind and apiVersion set, ready to be written
// as a response body.
func (e *StatusError) Status() meta.Status {
	s := *e.ErrStatus.DeepCopy()
	if s.Kind == "" {
		s.Kind = "Status"
	}
	if s.APIVersion == "" {
		s.APIVersion = "v1"
	}
	return s
}

// newStatus builds a failure StatusError.
func newStatus(code int, reason meta.StatusReason, message string, details *meta.StatusDetails) *StatusError {
	return &StatusError{ErrStatus: meta.Status{
		TypeMeta: meta.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   meta.StatusFailure,
		Code:     int32(code),
		Reason:   reason,
		Message:  message,
		Details:  details,
	}}
}

// resourceDetails names an object by its resource (Kubernetes puts the resource in "kind").
func resourceDetails(gr schema.GroupResource, name string) *meta.StatusDetails {
	return &meta.StatusDetails{Group: gr.Group, Kind: gr.Resource, Name: name}
}

// NewNotFound reports that the named object of resource gr does not exist (404):
// `pods "web" not found`, `deployments.apps "web" not found`.
func NewNotFound(gr schema.GroupResource, name string) *StatusError {
	return newStatus(http.StatusNotFound, StatusReasonNotFound,
		fmt.Sprintf("%s %q not found", gr.String(), name), resourceDetails(gr, name))
}

// NewAlreadyExists reports that an object of that name already exists (409):
// `pods "web" already exists`.
func NewAlreadyExists(gr schema.GroupResource, name string) *StatusError {
	return newStatus(http.StatusConflict, StatusReasonAlreadyExists,
		fmt.Sprintf("%s %q already exists", gr.String(), name), resourceDetails(gr, name))
}

// NewGenerateNameConflict reports that the server could not generate a unique name from
// generateName (409, AlreadyExists); the client may retry after retryAfterSeconds.
func NewGenerateNameConflict(gr schema.GroupResource, name string, retryAfterSeconds int) *StatusError {
	d := resourceDetails(gr, name)
	d.RetryAfterSeconds = int32(retryAfterSeconds)
	return newStatus(http.StatusConflict, StatusReasonAlreadyExists,
		fmt.Sprintf("%s %q already exists, the server was not able to generate a unique name for the object", gr.String(), name), d)
}

// NewConflict reports that a write to the named object lost a race (409): `Operation cannot be
// fulfilled on pods "web": <err>`. Stores pass errors.New(OptimisticLockErrorMsg) for a stale
// resourceVersion.
func NewConflict(gr schema.GroupResource, name string, err error) *StatusError {
	return newStatus(http.StatusConflict, StatusReasonConflict,
		fmt.Sprintf("Operation cannot be fulfilled on %s %q: %v", gr.String(), name, err), resourceDetails(gr, name))
}

// NewApplyConflict reports server-side apply conflicts (409, Conflict) with one cause per
// conflicting field manager.
func NewApplyConflict(causes []meta.StatusCause, message string) *StatusError {
	return newStatus(http.StatusConflict, StatusReasonConflict, message,
		&meta.StatusDetails{Causes: append([]meta.StatusCause(nil), causes...)})
}

// NewUnauthorized reports missing or invalid credentials (401). An empty reason gives
// "not authorized".
func NewUnauthorized(reason string) *StatusError {
	if reason == "" {
		reason = "not authorized"
	}
	return newStatus(http.StatusUnauthorized, StatusReasonUnauthorized, reason, nil)
}

// NewForbidden reports that the caller may not act on the object (403):
// `pods "web" is forbidden: <err>`, `pods is forbidden: <err>` without a name, and
// `forbidden: <err>` without a resource.
func NewForbidden(gr schema.GroupResource, name string, err error) *StatusError {
	var msg string
	switch {
	case gr == schema.GroupResource{}:
		msg = fmt.Sprintf("forbidden: %v", err)
	case name == "":
		msg = fmt.Sprintf("%s is forbidden: %v", gr.String(), err)
	default:
		msg = fmt.Sprintf("%s %q is forbidden: %v", gr.String(), name, err)
	}
	return newStatus(http.StatusForbidden, StatusReasonForbidden, msg, resourceDetails(gr, name))
}

// NewGone reports that the resource is no longer available (410, Gone). Prefer
// NewResourceExpired for compacted history.
func NewGone(message string) *StatusError {
	return newStatus(http.StatusGone, StatusReasonGone, message, nil)
}

// NewResourceExpired reports that the requested history has been compacted (410, Expired), as
// a watch or list from a too old resourceVersion gets; clients relist.
func NewResourceExpired(message string) *StatusError {
	return newStatus(http.StatusGone, StatusReasonExpired, message, nil)
}

// NewInvalid reports that the named object of kind gk failed validation (422), with one cause
// per field error: `Pod "web" is invalid: spec.containers[0].image: Required value`. Several
// errors are listed as `[err1, err2]`.
func NewInvalid(gk schema.GroupKind, name string, errs field.ErrorList) *StatusError {
	causes := make([]meta.StatusCause, 0, len(errs))
	for _, fe := range errs {
		if fe == nil {
			continue
		}
		causes = append(causes, meta.StatusCause{
			Type:    meta.CauseType(fe.Type),
			Message: fe.ErrorBody(),
			Field:   fe.Field,
		})
	}
	msg := fmt.Sprintf("%s %q is invalid", gk.String(), name)
	if agg := errs.ToAggregate(); agg != nil {
		msg = fmt.Sprintf("%s: %v", msg, agg)
	}
	return newStatus(http.StatusUnprocessableEntity, StatusReasonInvalid, msg,
		&meta.StatusDetails{Group: gk.Group, Kind: gk.Kind, Name: name, Causes: causes})
}

// NewBadRequest reports a malformed request (400); reason is the message.
func NewBadRequest(reason string) *StatusError {
	return newStatus(http.StatusBadRequest, StatusReasonBadRequest, reason, nil)
}

// NewMethodNotSupported reports a verb the resource does not support (405):
// `watch is not supported on resources of kind "bindings"`.
func NewMethodNotSupported(gr schema.GroupResource, action string) *StatusError {
	return newStatus(http.StatusMethodNotAllowed, StatusReasonMethodNotAllowed,
		fmt.Sprintf("%s is not supported on resources of kind %q", action, gr.String()),
		&meta.StatusDetails{Group: gr.Group, Kind: gr.Resource})
}

// NewTooManyRequests asks the client to retry after retryAfterSeconds (429); message is the
// message as given.
func NewTooManyRequests(message string, retryAfterSeconds int) *StatusError {
	return newStatus(http.StatusTooManyRequests, StatusReasonTooManyRequests, message,
		&meta.StatusDetails{RetryAfterSeconds: int32(retryAfterSeconds)})
}

// NewTooManyRequestsError reports a rejected request (429): `Too many requests: <message>`.
func NewTooManyRequestsError(message string) *StatusError {
	return newStatus(http.StatusTooManyRequests, StatusReasonTooManyRequests,
		fmt.Sprintf("Too many requests: %s", message), nil)
}

// NewTimeoutError reports a request that timed out but may still complete (504):
// `Timeout: <message>`.
func NewTimeoutError(message string, retryAfterSeconds int) *StatusError {
	return newStatus(http.StatusGatewayTimeout, StatusReasonTimeout, fmt.Sprintf("Timeout: %s", message),
		&meta.StatusDetails{RetryAfterSeconds: int32(retryAfterSeconds)})
}

// NewTooLargeResourceVersion reports a read at a resourceVersion the store has not reached yet
// (504, Timeout, with a ResourceVersionTooLarge cause), as the Kubernetes watch cache and
// storage do: `Timeout: Too large resource version: 12, current: 10`. Clients retry after
// retryAfterSeconds; IsTooLargeResourceVersion recognises it.
func NewTooLargeResourceVersion(requested, current uint64, retryAfterSeconds int) *StatusError {
	e := NewTimeoutError(fmt.Sprintf("Too large resource version: %d, current: %d", requested, current), retryAfterSeconds)
	e.ErrStatus.Details.Causes = []meta.StatusCause{{
		Type:    CauseTypeResourceVersionTooLarge,
		Message: "Too large resource version",
	}}
	return e
}

// NewServerTimeout reports that the operation on the resource could not be completed in time
// (500, ServerTimeout): `The get operation against pods could not be completed at this time,
// please try again.` Details.Name holds the operation.
func NewServerTimeout(gr schema.GroupResource, operation string, retryAfterSeconds int) *StatusError {
	d := resourceDetails(gr, operation)
	d.RetryAfterSeconds = int32(retryAfterSeconds)
	return newStatus(http.StatusInternalServerError, StatusReasonServerTimeout,
		fmt.Sprintf("The %s operation against %s could not be completed at this time, please try again.", operation, gr.String()), d)
}

// NewInternalError reports an unexpected server failure (500): `Internal error occurred:
// <err>`, with err's message as the cause.
func NewInternalError(err error) *StatusError {
	return newStatus(http.StatusInternalServerError, StatusReasonInternalError,
		fmt.Sprintf("Internal error occurred: %v", err),
		&meta.StatusDetails{Causes: []meta.StatusCause{{Message: err.Error()}}})
}

// NewRequestEntityTooLargeError reports a request body over the server's limit (413):
// `Request entity too large: <message>`.
func NewRequestEntityTooLargeError(message string) *StatusError {
	return newStatus(http.StatusRequestEntityTooLarge, StatusReasonRequestEntityTooLarge,
		fmt.Sprintf("Request entity too large: %s", message), nil)
}

// NewUnsupportedMediaType reports a request body in a media type the server does not read
// (415), listing those it does, as the Kubernetes API server words it.
func NewUnsupportedMediaType(accepted ...string) *StatusError {
	return newStatus(http.StatusUnsupportedMediaType, StatusReasonUnsupportedMediaType,
		"the body of the request was in an unknown format - accepted media types include: "+strings.Join(accepted, ", "), nil)
}

// NewNotAcceptable reports that no media type of the request's Accept header can be served
// (406), listing those that can.
func NewNotAcceptable(accepted ...string) *StatusError {
	return newStatus(http.StatusNotAcceptable, StatusReasonNotAcceptable,
		"only the following media types are accepted: "+strings.Join(accepted, ", "), nil)
}

// NewServiceUnavailable reports that the service cannot serve right now (503); reason is the
// message.
func NewServiceUnavailable(reason string) *StatusError {
	return newStatus(http.StatusServiceUnavailable, StatusReasonServiceUnavailable, reason, nil)
}

// NewGenericServerResponse builds the error a client reports for an HTTP error response that
// carried no Status body: the reason follows from the code (a 409 to a POST is AlreadyExists),
// the message is Kubernetes' generic wording, suffixed with the verb, resource and name when
// known. isUnexpectedResponse adds an UnexpectedServerResponse cause holding serverMessage.
func NewGenericServerResponse(code int, verb string, gr schema.GroupResource, name, serverMessage string, retryAfterSeconds int, isUnexpectedResponse bool) *StatusError {
	reason := StatusReasonUnknown
	message := fmt.Sprintf("the server responded with the status code %d but did not return more information", code)
	switch code {
	case http.StatusConflict:
		reason = StatusReasonConflict
		if verb == http.MethodPost {
			reason = StatusReasonAlreadyExists
		}
		message = "the server reported a conflict"
	case http.StatusNotFound:
		reason = StatusReasonNotFound
		message = "the server could not find the requested resource"
	case http.StatusBadRequest:
		reason = StatusReasonBadRequest
		message = "the server rejected our request for an unknown reason"
	case http.StatusUnauthorized:
		reason = StatusReasonUnauthorized
		message = "the server has asked for the client to provide credentials"
	case http.StatusForbidden:
		reason = StatusReasonForbidden
		message = serverMessage
	case http.StatusNotAcceptable:
		reason = StatusReasonNotAcceptable
		message = serverMessage
		if serverMessage == "" || serverMessage == "unknown" {
			message = "the server was unable to respond with a content type that the client supports"
		}
	case http.StatusUnsupportedMediaType:
		reason = StatusReasonUnsupportedMediaType
		message = serverMessage
	case http.StatusMethodNotAllowed:
		reason = StatusReasonMethodNotAllowed
		message = "the server does not allow this method on the requested resource"
	case http.StatusUnprocessableEntity:
		reason = StatusReasonInvalid
		message = "the server rejected our request due to an error in our request"
	case http.StatusServiceUnavailable:
		reason = StatusReasonServiceUnavailable
		message = "the server is currently unable to handle the request"
	case http.StatusGatewayTimeout:
		reason = StatusReasonTimeout
		message = "the server was unable to return a response in the time allotted, but may still be processing the request"
	case http.StatusTooManyRequests:
		reason = StatusReasonTooManyRequests
		message = "the server has received too many requests and has asked us to try again later"
	default:
		if code >= 500 {
			reason = StatusReasonInternalError
			message = fmt.Sprintf("an error on the server (%q) has prevented the request from succeeding", serverMessage)
		}
	}
	if gr != (schema.GroupResource{}) {
		if name != "" {
			message = fmt.Sprintf("%s (%s %s %s)", message, strings.ToLower(verb), gr.String(), name)
		} else {
			message = fmt.Sprintf("%s (%s %s)", message, strings.ToLower(verb), gr.String())
		}
	}
	d := resourceDetails(gr, name)
	d.RetryAfterSeconds = int32(retryAfterSeconds)
	if isUnexpectedResponse {
		d.Causes = []meta.StatusCause{{Type: CauseTypeUnexpectedServerResponse, Message: serverMessage}}
	}
	return newStatus(code, reason, message, d)
}

// FromObject turns a Status received over the wire back into an error: nil when the Status
// reports success, else a *StatusError holding a copy of it, so that the predicates of this
// package work on it. A failure without a code gets 500, as the API server would send it.
func FromObject(s meta.Status) error {
	if s.Status == meta.StatusSuccess {
		return nil
	}
	out := *s.DeepCopy()
	if out.Status == "" {
		out.Status = meta.StatusFailure
	}
	if out.Code == 0 {
		out.Code = http.StatusInternalServerError
	}
	return &StatusError{ErrStatus: out}
}

// ToStatus returns the Status a server writes for err: the Status of the first APIStatus in
// err's tree (with kind, apiVersion, status and code filled in when missing), a 500 with an
// empty reason and err's message for other errors, and a Success with code 200 for nil.
func ToStatus(err error) meta.Status {
	if err == nil {
		return meta.Status{TypeMeta: meta.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: meta.StatusSuccess, Code: http.StatusOK}
	}
	s, ok := find(err, func(meta.Status) bool { return true })
	if !ok {
		return meta.Status{
			TypeMeta: meta.TypeMeta{Kind: "Status", APIVersion: "v1"},
			Status:   meta.StatusFailure,
			Code:     http.StatusInternalServerError,
			Reason:   StatusReasonUnknown,
			Message:  err.Error(),
		}
	}
	s = *s.DeepCopy()
	s.Kind, s.APIVersion = "Status", "v1"
	if s.Status == "" {
		s.Status = meta.StatusFailure
	}
	if s.Code == 0 {
		if s.Status == meta.StatusSuccess {
			s.Code = http.StatusOK
		} else {
			s.Code = http.StatusInternalServerError
		}
	}
	return s
}
