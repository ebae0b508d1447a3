package framework

import (
	"errors"
	"fmt"
	"strings"
)

// Code is the outcome class of a plugin call.
type Code int

// The status codes, with the meanings kube-scheduler gives them.
const (
	// Success: the plugin accepts. A nil *Status is Success too.
	Success Code = iota
	// Error: an internal error; the pod is retried, the cycle is aborted.
	Error
	// Unschedulable: the pod does not fit now, but preemption or a cluster change may help.
	Unschedulable
	// UnschedulableAndUnresolvable: the pod does not fit and preempting pods on that node
	// cannot change it.
	UnschedulableAndUnresolvable
	// Wait: a Permit plugin asks the pod to wait before binding.
	Wait
	// Skip: the plugin has nothing to do for this pod (PreFilter, PreScore, Bind).
	Skip
)

var codeNames = [...]string{"Success", "Error", "Unschedulable", "UnschedulableAndUnresolvable", "Wait", "Skip"}

// String returns the name of the code.
func (c Code) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("Code(%d)", int(c))
}

// Status is the result of a plugin call: a code, human-readable reasons, the error for code
// Error, and the plugin that produced it. A nil *Status means Success; every method accepts a
// nil receiver.
type Status struct {
	code    Code
	reasons []string
	err     error
	plugin  string
}

// NewStatus returns a status with the code and reasons.
func NewStatus(code Code, reasons ...string) *Status {
	s := &Status{code: code, reasons: reasons}
	if code == Error {
		s.err = errors.New(strings.Join(reasons, ", "))
	}
	return s
}

// AsStatus wraps err in a status with code Error; a nil err gives nil (Success).
func AsStatus(err error) *Status {
	if err == nil {
		return nil
	}
	return &Status{code: Error, reasons: []string{err.Error()}, err: err}
}

// Code returns the status code; Success for nil.
func (s *Status) Code() Code {
	if s == nil {
		return Success
	}
	return s.code
}

// Reasons returns the reasons (shared; do not modify).
func (s *Status) Reasons() []string {
	if s == nil {
		return nil
	}
	return s.reasons
}

// Message joins the reasons with ", ".
func (s *Status) Message() string {
	if s == nil {
		return ""
	}
	return strings.Join(s.reasons, ", ")
}

// Plugin names the plugin that produced the status, "" if unknown.
func (s *Status) Plugin() string {
	if s == nil {
		return ""
	}
	return s.plugin
}

// WithPlugin returns s with the plugin that produced it recorded. s itself is never changed
// (plugins may return shared statuses from concurrent Filter calls): a copy is returned
// unless s already names that plugin. Nil stays nil.
func (s *Status) WithPlugin(name string) *Status {
	if s == nil || s.plugin == name {
		return s
	}
	c := *s
	c.plugin = name
	return &c
}

// IsSuccess reports code Success.
func (s *Status) IsSuccess() bool { return s.Code() == Success }

// IsSkip reports code Skip.
func (s *Status) IsSkip() bool { return s.Code() == Skip }

// IsWait reports code Wait.
func (s *Status) IsWait() bool { return s.Code() == Wait }

// IsRejected reports Unschedulable or UnschedulableAndUnresolvable.
func (s *Status) IsRejected() bool {
	c := s.Code()
	return c == Unschedulable || c == UnschedulableAndUnresolvable
}

// AsError returns nil for Success and Skip, the wrapped error for Error, and an error
// carrying the message otherwise. The error matches ErrUnschedulable for rejections.
func (s *Status) AsError() error {
	switch s.Code() {
	case Success, Skip:
		return nil
	case Error:
		return s.err
	case Unschedulable, UnschedulableAndUnresolvable:
		return fmt.Errorf("%w: %s", ErrUnschedulable, s.Message())
	default:
		return fmt.Errorf("%s: %s", s.code, s.Message())
	}
}

// Equal compares code, reasons and plugin (not the error's identity).
func (s *Status) Equal(o *Status) bool {
	if s.Code() != o.Code() || s.Plugin() != o.Plugin() {
		return false
	}
	a, b := s.Reasons(), o.Reasons()
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// String renders the status for logs and test failures.
func (s *Status) String() string {
	if s == nil {
		return "Success"
	}
	if s.plugin != "" {
		return fmt.Sprintf("%s(%s): %s", s.code, s.plugin, s.Message())
	}
	return fmt.Sprintf("%s: %s", s.code, s.Message())
}

// ErrUnschedulable is matched (errors.Is) by every error that says a pod does not fit.
var ErrUnschedulable = errors.New("pod is unschedulable")
