package errors

import (
	"encoding/json"
	stderrors "errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

var (
	pods        = schema.GroupResource{Resource: "pods"}
	deployments = schema.GroupResource{Group: "apps", Resource: "deployments"}
)

func TestConstructors(t *testing.T) {
	tests := []struct {
		name    string
		err     *StatusError
		code    int32
		reason  meta.StatusReason
		message string
		details *meta.StatusDetails
	}{
		{
			name: "NotFound core", err: NewNotFound(pods, "web"),
			code: 404, reason: StatusReasonNotFound, message: `pods "web" not found`,
			details: &meta.StatusDetails{Name: "web", Kind: "pods"},
		},
		{
			name: "NotFound grouped", err: NewNotFound(deployments, "web"),
			code: 404, reason: StatusReasonNotFound, message: `deployments.apps "web" not found`,
			details: &meta.StatusDetails{Name: "web", Group: "apps", Kind: "deployments"},
		},
		{
			name: "AlreadyExists", err: NewAlreadyExists(pods, "web"),
			code: 409, reason: StatusReasonAlreadyExists, message: `pods "web" already exists`,
			details: &meta.StatusDetails{Name: "web", Kind: "pods"},
		},
		{
			name: "GenerateNameConflict", err: NewGenerateNameConflict(pods, "web-x7k2p", 1),
			code: 409, reason: StatusReasonAlreadyExists,
			message: `pods "web-x7k2p" already exists, the server was not able to generate a unique name for the object`,
			details: &meta.StatusDetails{Name: "web-x7k2p", Kind: "pods", RetryAfterSeconds: 1},
		},
		{
			name: "Conflict", err: NewConflict(pods, "web", stderrors.New(OptimisticLockErrorMsg)),
			code: 409, reason: StatusReasonConflict,
			message: `Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again`,
			details: &meta.StatusDetails{Name: "web", Kind: "pods"},
		},
		{
			name: "ApplyConflict", err: NewApplyConflict([]meta.StatusCause{{Type: CauseTypeFieldManagerConflict, Message: `conflict with "kubectl"`, Field: ".spec.replicas"}}, "Apply failed with 1 conflict"),
			code: 409, reason: StatusReasonConflict, message: "Apply failed with 1 conflict",
			details: &meta.StatusDetails{Causes: []meta.StatusCause{{Type: CauseTypeFieldManagerConflict, Message: `conflict with "kubectl"`, Field: ".spec.replicas"}}},
		},
		{
			name: "Unauthorized", err: NewUnauthorized(""),
			code: 401, reason: StatusReasonUnauthorized, message: "not authorized",
		},
		{
			name: "Unauthorized with reason", err: NewUnauthorized("token expired"),
			code: 401, reason: StatusReasonUnauthorized, message: "token expired",
		},
		{
			name: "Forbidden named", err: NewForbidden(pods, "web", stderrors.New(`User "bob" cannot get resource "pods"`)),
			code: 403, reason: StatusReasonForbidden, message: `pods "web" is forbidden: User "bob" cannot get resource "pods"`,
			details: &meta.StatusDetails{Name: "web", Kind: "pods"},
		},
		{
			name: "Forbidden unnamed", err: NewForbidden(deployments, "", stderrors.New("no")),
			code: 403, reason: StatusReasonForbidden, message: `deployments.apps is forbidden: no`,
			details: &meta.StatusDetails{Group: "apps", Kind: "deployments"},
		},
		{
			name: "Forbidden without resource", err: NewForbidden(schema.GroupResource{}, "", stderrors.New("no")),
			code: 403, reason: StatusReasonForbidden, message: `forbidden: no`,
			details: &meta.StatusDetails{},
		},
		{
			name: "Gone", err: NewGone("the resource is gone"),
			code: 410, reason: StatusReasonGone, message: "the resource is gone",
		},
		{
			name: "ResourceExpired", err: NewResourceExpired("too old resource version: 1 (5)"),
			code: 410, reason: StatusReasonExpired, message: "too old resource version: 1 (5)",
		},
		{
			name: "Invalid without errors", err: NewInvalid(schema.GroupKind{Kind: "Pod"}, "web", nil),
			code: 422, reason: StatusReasonInvalid, message: `Pod "web" is invalid`,
			details: &meta.StatusDetails{Name: "web", Kind: "Pod", Causes: []meta.StatusCause{}},
		},
		{
			name: "BadRequest", err: NewBadRequest("the object provided is unrecognized"),
			code: 400, reason: StatusReasonBadRequest, message: "the object provided is unrecognized",
		},
		{
			name: "MethodNotSupported", err: NewMethodNotSupported(schema.GroupResource{Resource: "bindings"}, "watch"),
			code: 405, reason: StatusReasonMethodNotAllowed, message: `watch is not supported on resources of kind "bindings"`,
			details: &meta.StatusDetails{Kind: "bindings"},
		},
		{
			name: "TooManyRequests", err: NewTooManyRequests("slow down", 3),
			code: 429, reason: StatusReasonTooManyRequests, message: "slow down",
			details: &meta.StatusDetails{RetryAfterSeconds: 3},
		},
		{
			name: "TooManyRequestsError", err: NewTooManyRequestsError("limit reached"),
			code: 429, reason: StatusReasonTooManyRequests, message: "Too many requests: limit reached",
		},
		{
			name: "Timeout", err: NewTimeoutError("request did not complete within 60s", 2),
			code: 504, reason: StatusReasonTimeout, message: "Timeout: request did not complete within 60s",
			details: &meta.StatusDetails{RetryAfterSeconds: 2},
		},
		{
			name: "TooLargeResourceVersion", err: NewTooLargeResourceVersion(12, 10, 1),
			code: 504, reason: StatusReasonTimeout, message: "Timeout: Too large resource version: 12, current: 10",
			details: &meta.StatusDetails{RetryAfterSeconds: 1, Causes: []meta.StatusCause{{Type: CauseTypeResourceVersionTooLarge, Message: "Too large resource version"}}},
		},
		{
			name: "ServerTimeout", err: NewServerTimeout(pods, "get", 5),
			code: 500, reason: StatusReasonServerTimeout,
			message: "The get operation against pods could not be completed at this time, please try again.",
			details: &meta.StatusDetails{Name: "get", Kind: "pods", RetryAfterSeconds: 5},
		},
		{
			name: "InternalError", err: NewInternalError(stderrors.New("etcd is down")),
			code: 500, reason: StatusReasonInternalError, message: "Internal error occurred: etcd is down",
			details: &meta.StatusDetails{Causes: []meta.StatusCause{{Message: "etcd is down"}}},
		},
		{
			name: "RequestEntityTooLarge", err: NewRequestEntityTooLargeError("limit is 3145728"),
			code: 413, reason: StatusReasonRequestEntityTooLarge, message: "Request entity too large: limit is 3145728",
		},
		{
			name: "UnsupportedMediaType", err: NewUnsupportedMediaType("application/json", "application/yaml"),
			code: 415, reason: StatusReasonUnsupportedMediaType,
			message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml",
		},
		{
			name: "NotAcceptable", err: NewNotAcceptable("application/json"),
			code: 406, reason: StatusReasonNotAcceptable, message: "only the following media types are accepted: application/json",
		},
		{
			name: "ServiceUnavailable", err: NewServiceUnavailable("the server is shutting down"),
			code: 503, reason: StatusReasonServiceUnavailable, message: "the server is shutting down",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := meta.Status{
				TypeMeta: meta.TypeMeta{Kind: "Status", APIVersion: "v1"},
				Status:   meta.StatusFailure,
				Code:     tc.code,
				Reason:   tc.reason,
				Message:  tc.message,
				Details:  tc.details,
			}
			if diff := cmp.Diff(want, tc.err.Status()); diff != "" {
				t.Errorf("Status (-want +got):\n%s", diff)
			}
			if tc.err.Error() != tc.message {
				t.Errorf("Error() = %q, want %q", tc.err.Error(), tc.message)
			}
			if got := StatusCodeForError(tc.err); got != int(tc.code) {
				t.Errorf("StatusCodeForError = %d, want %d", got, tc.code)
			}
			if got := ReasonForError(fmt.Errorf("wrapped: %w", tc.err)); got != tc.reason {
				t.Errorf("ReasonForError = %q, want %q", got, tc.reason)
			}
		})
	}
}

func TestInvalidCauses(t *testing.T) {
	spec := field.NewPath("spec")
	errs := field.ErrorList{
		field.Required(spec.Child("containers").Index(0).Child("image"), ""),
		field.Invalid(spec.Child("replicas"), -1, "must be greater than or equal to 0"),
	}
	err := NewInvalid(schema.GroupKind{Group: "apps", Kind: "Deployment"}, "web", errs)
	s := err.Status()
	if s.Code != http.StatusUnprocessableEntity || s.Reason != StatusReasonInvalid {
		t.Fatalf("code, reason = %d, %s", s.Code, s.Reason)
	}
	wantMsg := `Deployment.apps "web" is invalid: [spec.containers[0].image: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]`
	if s.Message != wantMsg {
		t.Errorf("message:\n got %s\nwant %s", s.Message, wantMsg)
	}
	want := &meta.StatusDetails{
		Name: "web", Group: "apps", Kind: "Deployment",
		Causes: []meta.StatusCause{
			{Type: CauseTypeFieldValueRequired, Message: "Required value", Field: "spec.containers[0].image"},
			{Type: CauseTypeFieldValueInvalid, Message: "Invalid value: -1: must be greater than or equal to 0", Field: "spec.replicas"},
		},
	}
	if diff := cmp.Diff(want, s.Details); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}

	one := NewInvalid(schema.GroupKind{Kind: "Pod"}, "web", errs[:1])
	if got, want := one.Error(), `Pod "web" is invalid: spec.containers[0].image: Required value`; got != want {
		t.Errorf("single error message = %q, want %q", got, want)
	}
	c, ok := StatusCause(fmt.Errorf("create: %w", err), CauseTypeFieldValueInvalid)
	if !ok || c.Field != "spec.replicas" {
		t.Errorf("StatusCause = %+v, %t", c, ok)
	}
}

// TestWireJSON pins the bodies to what kube-apiserver sends for the same errors.
func TestWireJSON(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "NotFound",
			err:  NewNotFound(pods, "web"),
			want: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web\" not found","reason":"NotFound","details":{"name":"web","kind":"pods"},"code":404}`,
		},
		{
			name: "Conflict",
			err:  NewConflict(pods, "web", stderrors.New(OptimisticLockErrorMsg)),
			want: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on pods \"web\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"web","kind":"pods"},"code":409}`,
		},
		{
			name: "Invalid",
			err: NewInvalid(schema.GroupKind{Group: "apps", Kind: "Deployment"}, "web", field.ErrorList{
				field.Invalid(field.NewPath("spec", "replicas"), -1, "must be greater than or equal to 0"),
			}),
			want: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0","reason":"Invalid","details":{"name":"web","group":"apps","kind":"Deployment","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"}]},"code":422}`,
		},
		{
			name: "Expired",
			err:  NewResourceExpired("too old resource version: 1 (5)"),
			want: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}`,
		},
		{
			name: "plain error",
			err:  stderrors.New("boom"),
			want: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"boom","code":500}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := json.Marshal(ToStatus(tc.err))
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != tc.want {
				t.Errorf("JSON:\n got %s\nwant %s", data, tc.want)
			}
			// A client decoding the body gets an error with the same meaning back.
			var s meta.Status
			if err := json.Unmarshal(data, &s); err != nil {
				t.Fatal(err)
			}
			back := FromObject(s)
			if back == nil || back.Error() != tc.err.Error() || ReasonForError(back) != ReasonForError(tc.err) || StatusCodeForError(back) != StatusCodeForError(tc.err) {
				t.Errorf("FromObject = %v (%s, %d)", back, ReasonForError(back), StatusCodeForError(back))
			}
		})
	}
}

func TestFromObject(t *testing.T) {
	if err := FromObject(meta.Status{Status: meta.StatusSuccess, Code: 200}); err != nil {
		t.Errorf("success gave %v", err)
	}
	details := &meta.StatusDetails{Name: "web", Kind: "pods"}
	in := meta.Status{Status: meta.StatusFailure, Reason: StatusReasonNotFound, Code: 404, Message: `pods "web" not found`, Details: details}
	err := FromObject(in)
	if !IsNotFound(err) {
		t.Errorf("IsNotFound(FromObject(NotFound status)) = false")
	}
	details.Name = "changed"
	var se *StatusError
	if !stderrors.As(err, &se) || se.ErrStatus.Details.Name != "web" {
		t.Errorf("FromObject aliases the caller's details: %+v", se)
	}
	// A failure without a code or status gets 500 and Failure; an unknown reason with a known
	// code is still understood by the predicates.
	bare := FromObject(meta.Status{Message: "teapot"})
	if StatusCodeForError(bare) != 500 || !IsInternalError(bare) {
		t.Errorf("bare failure: code %d, internal %t", StatusCodeForError(bare), IsInternalError(bare))
	}
	custom := FromObject(meta.Status{Status: meta.StatusFailure, Reason: "SomethingNew", Code: 404})
	if !IsNotFound(custom) {
		t.Errorf("unknown reason with 404 is not NotFound")
	}
	known := FromObject(meta.Status{Status: meta.StatusFailure, Reason: StatusReasonForbidden, Code: 404})
	if IsNotFound(known) {
		t.Errorf("a known reason must win over the code")
	}
}

// otherStatus is an APIStatus that is not a *StatusError.
type otherStatus struct{ s meta.Status }

func (o otherStatus) Error() string       { return o.s.Message }
func (o otherStatus) Status() meta.Status { return o.s }

func TestPredicates(t *testing.T) {
	type predicate struct {
		name string
		fn   func(error) bool
	}
	all := []predicate{
		{"IsNotFound", IsNotFound},
		{"IsAlreadyExists", IsAlreadyExists},
		{"IsConflict", IsConflict},
		{"IsInvalid", IsInvalid},
		{"IsGone", IsGone},
		{"IsResourceExpired", IsResourceExpired},
		{"IsForbidden", IsForbidden},
		{"IsUnauthorized", IsUnauthorized},
		{"IsBadRequest", IsBadRequest},
		{"IsTimeout", IsTimeout},
		{"IsServerTimeout", IsServerTimeout},
		{"IsTooManyRequests", IsTooManyRequests},
		{"IsInternalError", IsInternalError},
		{"IsMethodNotSupported", IsMethodNotSupported},
		{"IsRequestEntityTooLarge", IsRequestEntityTooLarge},
		{"IsUnsupportedMediaType", IsUnsupportedMediaType},
		{"IsNotAcceptable", IsNotAcceptable},
		{"IsServiceUnavailable", IsServiceUnavailable},
		{"IsTooLargeResourceVersion", IsTooLargeResourceVersion},
		{"IsUnexpectedServerError", IsUnexpectedServerError},
		{"IsStoreReadError", IsStoreReadError},
	}
	tests := []struct {
		name string
		err  error
		true []string
	}{
		{"NotFound", NewNotFound(pods, "web"), []string{"IsNotFound"}},
		{"AlreadyExists", NewAlreadyExists(pods, "web"), []string{"IsAlreadyExists"}},
		{"Conflict", NewConflict(pods, "web", stderrors.New(OptimisticLockErrorMsg)), []string{"IsConflict"}},
		{"Invalid", NewInvalid(schema.GroupKind{Kind: "Pod"}, "web", nil), []string{"IsInvalid"}},
		{"Gone", NewGone("gone"), []string{"IsGone"}},
		{"Expired", NewResourceExpired("too old"), []string{"IsResourceExpired"}},
		{"Forbidden", NewForbidden(pods, "web", stderrors.New("no")), []string{"IsForbidden"}},
		{"Unauthorized", NewUnauthorized(""), []string{"IsUnauthorized"}},
		{"BadRequest", NewBadRequest("bad"), []string{"IsBadRequest"}},
		{"Timeout", NewTimeoutError("slow", 1), []string{"IsTimeout"}},
		{"TooLargeResourceVersion", NewTooLargeResourceVersion(5, 3, 1), []string{"IsTimeout", "IsTooLargeResourceVersion"}},
		{"ServerTimeout", NewServerTimeout(pods, "list", 1), []string{"IsServerTimeout"}},
		{"TooManyRequests", NewTooManyRequests("slow down", 1), []string{"IsTooManyRequests"}},
		{"InternalError", NewInternalError(stderrors.New("boom")), []string{"IsInternalError"}},
		{"MethodNotSupported", NewMethodNotSupported(pods, "patch"), []string{"IsMethodNotSupported"}},
		{"RequestEntityTooLarge", NewRequestEntityTooLargeError("big"), []string{"IsRequestEntityTooLarge"}},
		{"UnsupportedMediaType", NewUnsupportedMediaType("application/json"), []string{"IsUnsupportedMediaType"}},
		{"NotAcceptable", NewNotAcceptable("application/json"), []string{"IsNotAcceptable"}},
		{"ServiceUnavailable", NewServiceUnavailable("down"), []string{"IsServiceUnavailable"}},
		{"StoreReadError", FromObject(meta.Status{Status: meta.StatusFailure, Reason: StatusReasonStoreReadError, Code: 500}), []string{"IsStoreReadError"}},
		{"unknown reason 429", FromObject(meta.Status{Status: meta.StatusFailure, Code: 429}), []string{"IsTooManyRequests"}},
		{"known reason with 429 code", FromObject(meta.Status{Status: meta.StatusFailure, Reason: StatusReasonForbidden, Code: 429}), []string{"IsForbidden", "IsTooManyRequests"}},
		{"unknown reason 413", FromObject(meta.Status{Status: meta.StatusFailure, Code: 413}), []string{"IsRequestEntityTooLarge"}},
		{"unknown reason 410", FromObject(meta.Status{Status: meta.StatusFailure, Code: 410}), []string{"IsGone"}},
		{"unknown reason 504 with cause", FromObject(meta.Status{Status: meta.StatusFailure, Code: 504, Details: &meta.StatusDetails{Causes: []meta.StatusCause{{Type: CauseTypeResourceVersionTooLarge}}}}), []string{"IsTimeout", "IsTooLargeResourceVersion"}},
		{"generic 404", NewGenericServerResponse(404, "GET", pods, "web", "", 0, true), []string{"IsNotFound", "IsUnexpectedServerError"}},
		{"generic 409 on POST", NewGenericServerResponse(409, "POST", pods, "web", "", 0, false), []string{"IsAlreadyExists"}},
		{"generic 409 on PUT", NewGenericServerResponse(409, "PUT", pods, "web", "", 0, false), []string{"IsConflict"}},
		{"generic 502", NewGenericServerResponse(502, "GET", pods, "", "bad gateway", 0, false), []string{"IsInternalError"}},
		{"other APIStatus type", otherStatus{meta.Status{Reason: StatusReasonNotFound, Code: 404}}, []string{"IsNotFound"}},
		{"plain error", stderrors.New("boom"), nil},
		{"nil", nil, nil},
		{"typed nil StatusError", (*StatusError)(nil), nil},
	}
	wrappers := []struct {
		name string
		wrap func(error) error
	}{
		{"bare", func(e error) error { return e }},
		{"wrapped", func(e error) error { return fmt.Errorf("get pod: %w", e) }},
		{"wrapped twice", func(e error) error { return fmt.Errorf("reconcile: %w", fmt.Errorf("get pod: %w", e)) }},
		{"joined after a plain error", func(e error) error { return stderrors.Join(stderrors.New("first"), e) }},
		{"joined after another API error", func(e error) error {
			return stderrors.Join(NewBadRequest("unrelated"), fmt.Errorf("second: %w", e))
		}},
	}
	for _, tc := range tests {
		for _, w := range wrappers {
			if tc.err == nil && w.name != "bare" {
				continue // wrapping nil makes no error: only the bare case applies
			}
			t.Run(tc.name+"/"+w.name, func(t *testing.T) {
				err := w.wrap(tc.err)
				want := map[string]bool{}
				for _, n := range tc.true {
					want[n] = true
				}
				if w.name == "joined after another API error" {
					want["IsBadRequest"] = true
				}
				for _, p := range all {
					if got := p.fn(err); got != want[p.name] {
						t.Errorf("%s(%v) = %t, want %t", p.name, err, got, want[p.name])
					}
				}
			})
		}
	}
}

func TestReasonAndCodeForPlainErrors(t *testing.T) {
	if r := ReasonForError(stderrors.New("x")); r != StatusReasonUnknown {
		t.Errorf("ReasonForError(plain) = %q", r)
	}
	if r := ReasonForError(nil); r != StatusReasonUnknown {
		t.Errorf("ReasonForError(nil) = %q", r)
	}
	if c := StatusCodeForError(nil); c != 200 {
		t.Errorf("StatusCodeForError(nil) = %d", c)
	}
	if c := StatusCodeForError(stderrors.New("x")); c != 500 {
		t.Errorf("StatusCodeForError(plain) = %d", c)
	}
	// The first API status in the tree decides.
	joined := stderrors.Join(stderrors.New("x"), NewNotFound(pods, "a"), NewConflict(pods, "a", stderrors.New("y")))
	if r, c := ReasonForError(joined), StatusCodeForError(joined); r != StatusReasonNotFound || c != 404 {
		t.Errorf("joined: %s %d", r, c)
	}
	if ToStatus(nil).Status != meta.StatusSuccess || ToStatus(nil).Code != 200 {
		t.Errorf("ToStatus(nil) = %+v", ToStatus(nil))
	}
}

func TestSuggestsClientDelay(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		seconds int
		ok      bool
	}{
		{"server timeout", NewServerTimeout(pods, "get", 0), 0, true},
		{"server timeout with delay", fmt.Errorf("x: %w", NewServerTimeout(pods, "get", 7)), 7, true},
		{"too many requests", NewTooManyRequests("slow", 3), 3, true},
		{"timeout without delay", NewTimeoutError("slow", 0), 0, false},
		{"not found", NewNotFound(pods, "web"), 0, false},
		{"plain", stderrors.New("x"), 0, false},
	}
	for _, tc := range tests {
		s, ok := SuggestsClientDelay(tc.err)
		if s != tc.seconds || ok != tc.ok {
			t.Errorf("%s: SuggestsClientDelay = %d, %t; want %d, %t", tc.name, s, ok, tc.seconds, tc.ok)
		}
	}
}

func TestGenericServerResponseMessages(t *testing.T) {
	tests := []struct {
		code    int
		verb    string
		gr      schema.GroupResource
		name    string
		server  string
		message string
		reason  meta.StatusReason
	}{
		{404, "GET", pods, "web", "", "the server could not find the requested resource (get pods web)", StatusReasonNotFound},
		{404, "GET", pods, "", "", "the server could not find the requested resource (get pods)", StatusReasonNotFound},
		{404, "GET", schema.GroupResource{}, "", "", "the server could not find the requested resource", StatusReasonNotFound},
		{403, "DELETE", deployments, "web", "denied", "denied (delete deployments.apps web)", StatusReasonForbidden},
		{406, "GET", schema.GroupResource{}, "", "unknown", "the server was unable to respond with a content type that the client supports", StatusReasonNotAcceptable},
		{500, "GET", schema.GroupResource{}, "", "oops", `an error on the server ("oops") has prevented the request from succeeding`, StatusReasonInternalError},
		{418, "GET", schema.GroupResource{}, "", "", "the server responded with the status code 418 but did not return more information", StatusReasonUnknown},
		{504, "GET", schema.GroupResource{}, "", "", "the server was unable to return a response in the time allotted, but may still be processing the request", StatusReasonTimeout},
	}
	for _, tc := range tests {
		err := NewGenericServerResponse(tc.code, tc.verb, tc.gr, tc.name, tc.server, 0, false)
		if err.Error() != tc.message || err.ErrStatus.Reason != tc.reason || int(err.ErrStatus.Code) != tc.code {
			t.Errorf("%d %s: %q %s %d", tc.code, tc.verb, err.Error(), err.ErrStatus.Reason, err.ErrStatus.Code)
		}
	}
}

func TestStatusIsACopy(t *testing.T) {
	err := NewInternalError(stderrors.New("boom"))
	s := err.Status()
	s.Details.Causes[0].Message = "changed"
	if err.ErrStatus.Details.Causes[0].Message != "boom" {
		t.Errorf("Status() shares details with the error")
	}
}

func TestErrorWithoutMessage(t *testing.T) {
	tests := []struct {
		s    meta.Status
		want string
	}{
		{meta.Status{Reason: StatusReasonNotFound, Code: 404}, "NotFound (code 404)"},
		{meta.Status{Code: 418}, "the server responded with the status code 418 but did not return more information"},
	}
	for _, tc := range tests {
		if got := (&StatusError{ErrStatus: tc.s}).Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestGenericServerResponseReasons(t *testing.T) {
	tests := []struct {
		code   int
		verb   string
		reason meta.StatusReason
		msg    string
	}{
		{400, "GET", StatusReasonBadRequest, "the server rejected our request for an unknown reason"},
		{401, "GET", StatusReasonUnauthorized, "the server has asked for the client to provide credentials"},
		{403, "GET", StatusReasonForbidden, "server says no"},
		{404, "GET", StatusReasonNotFound, "the server could not find the requested resource"},
		{405, "GET", StatusReasonMethodNotAllowed, "the server does not allow this method on the requested resource"},
		{406, "GET", StatusReasonNotAcceptable, "server says no"},
		{409, "POST", StatusReasonAlreadyExists, "the server reported a conflict"},
		{409, "PATCH", StatusReasonConflict, "the server reported a conflict"},
		{415, "GET", StatusReasonUnsupportedMediaType, "server says no"},
		{422, "GET", StatusReasonInvalid, "the server rejected our request due to an error in our request"},
		{429, "GET", StatusReasonTooManyRequests, "the server has received too many requests and has asked us to try again later"},
		{503, "GET", StatusReasonServiceUnavailable, "the server is currently unable to handle the request"},
		{504, "GET", StatusReasonTimeout, "the server was unable to return a response in the time allotted, but may still be processing the request"},
		{500, "GET", StatusReasonInternalError, `an error on the server ("server says no") has prevented the request from succeeding`},
		{302, "GET", StatusReasonUnknown, "the server responded with the status code 302 but did not return more information"},
	}
	for _, tc := range tests {
		err := NewGenericServerResponse(tc.code, tc.verb, schema.GroupResource{}, "", "server says no", 4, false)
		s := err.Status()
		if s.Reason != tc.reason || s.Message != tc.msg || int(s.Code) != tc.code {
			t.Errorf("%d %s: %s %q %d; want %s %q", tc.code, tc.verb, s.Reason, s.Message, s.Code, tc.reason, tc.msg)
		}
		if s.Details == nil || s.Details.RetryAfterSeconds != 4 || len(s.Details.Causes) != 0 {
			t.Errorf("%d: details %+v", tc.code, s.Details)
		}
	}
	unexpected := NewGenericServerResponse(500, "GET", schema.GroupResource{}, "", "<html>", 0, true)
	if c, ok := StatusCause(unexpected, CauseTypeUnexpectedServerResponse); !ok || c.Message != "<html>" {
		t.Errorf("unexpected-response cause = %+v, %t", c, ok)
	}
	if _, ok := StatusCause(unexpected, CauseTypeFieldValueInvalid); ok {
		t.Errorf("found a cause that is not there")
	}
}

func TestToStatusFillsIn(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want meta.Status
	}{
		{
			name: "APIStatus without kind, status or code",
			err:  otherStatus{meta.Status{Reason: StatusReasonNotFound, Message: "gone"}},
			want: meta.Status{TypeMeta: meta.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: meta.StatusFailure, Code: 500, Reason: StatusReasonNotFound, Message: "gone"},
		},
		{
			name: "success without code",
			err:  otherStatus{meta.Status{Status: meta.StatusSuccess}},
			want: meta.Status{TypeMeta: meta.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: meta.StatusSuccess, Code: 200},
		},
		{
			name: "wrapped StatusError keeps its fields",
			err:  fmt.Errorf("x: %w", NewGone("bye")),
			want: meta.Status{TypeMeta: meta.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: meta.StatusFailure, Code: 410, Reason: StatusReasonGone, Message: "bye"},
		},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, ToStatus(tc.err)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	// A StatusError built by hand, without kind, still reports one.
	bare := &StatusError{ErrStatus: meta.Status{Status: meta.StatusFailure, Code: 404, Reason: StatusReasonNotFound}}
	if s := bare.Status(); s.Kind != "Status" || s.APIVersion != "v1" {
		t.Errorf("Status() kind/apiVersion = %q/%q", s.Kind, s.APIVersion)
	}
	// nil entries of an ErrorList are ignored.
	inv := NewInvalid(schema.GroupKind{Kind: "Pod"}, "p", field.ErrorList{nil, field.Required(field.NewPath("spec"), "")})
	if n := len(inv.ErrStatus.Details.Causes); n != 1 {
		t.Errorf("causes = %d, want 1", n)
	}
}
