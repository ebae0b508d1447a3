package v1

import "github.com/cellkit/cellkit/apimachinery/meta"

// PodLogOptions are the query of a request to a pod's log subresource (kubectl logs).
type PodLogOptions struct {
	meta.TypeMeta `json:",inline"`
	// Container whose log to return; may be omitted when the pod has one container.
	Container string `json:"container,omitempty"`
	// Follow streams the log as it is written.
	Follow bool `json:"follow,omitempty"`
	// Previous returns the log of the previous, terminated container instance.
	Previous bool `json:"previous,omitempty"`
	// SinceSeconds returns only lines newer than this many seconds; exclusive with SinceTime.
	SinceSeconds *int64 `json:"sinceSeconds,omitempty"`
	// SinceTime returns only lines written at or after this time; exclusive with SinceSeconds.
	SinceTime *meta.Time `json:"sinceTime,omitempty"`
	// Timestamps prefixes every line with its RFC 3339 timestamp.
	Timestamps bool `json:"timestamps,omitempty"`
	// TailLines returns only this many lines from the end.
	TailLines *int64 `json:"tailLines,omitempty"`
	// LimitBytes stops the output after this many bytes.
	LimitBytes *int64 `json:"limitBytes,omitempty"`
	// InsecureSkipTLSVerifyBackend skips verifying the node agent's certificate.
	InsecureSkipTLSVerifyBackend bool `json:"insecureSkipTLSVerifyBackend,omitempty"`
	// Stream is All (default), Stdout or Stderr.
	Stream *string `json:"stream,omitempty"`
}

// The values of PodLogOptions.Stream.
const (
	LogStreamStdout = "Stdout"
	LogStreamStderr = "Stderr"
	LogStreamAll    = "All"
)

// PodExecOptions are the query of a request to a pod's exec subresource.
type PodExecOptions struct {
	meta.TypeMeta `json:",inline"`
	// Stdin redirects the standard input stream.
	Stdin bool `json:"stdin,omitempty"`
	// Stdout redirects the standard output stream.
	Stdout bool `json:"stdout,omitempty"`
	// Stderr redirects the standard error stream.
	Stderr bool `json:"stderr,omitempty"`
	// TTY allocates a terminal.
	TTY bool `json:"tty,omitempty"`
	// Container to run the command in.
	Container string `json:"container,omitempty"`
	// Command line to run.
	Command []string `json:"command"`
}

// PodAttachOptions are the query of a request to a pod's attach subresource.
type PodAttachOptions struct {
	meta.TypeMeta `json:",inline"`
	// Stdin redirects the standard input stream.
	Stdin bool `json:"stdin,omitempty"`
	// Stdout redirects the standard output stream.
	Stdout bool `json:"stdout,omitempty"`
	// Stderr redirects the standard error stream.
	Stderr bool `json:"stderr,omitempty"`
	// TTY allocates a terminal.
	TTY bool `json:"tty,omitempty"`
	// Container to attach to.
	Container string `json:"container,omitempty"`
}

// PodPortForwardOptions are the query of a request to a pod's portforward subresource.
type PodPortForwardOptions struct {
	meta.TypeMeta `json:",inline"`
	// Ports to forward.
	Ports []int32 `json:"ports,omitempty"`
}

// PodProxyOptions are the query of a request to a pod's proxy subresource.
type PodProxyOptions struct {
	meta.TypeMeta `json:",inline"`
	// Path of the request sent to the pod.
	Path string `json:"path,omitempty"`
}

// NodeProxyOptions are the query of a request to a node's proxy subresource.
type NodeProxyOptions struct {
	meta.TypeMeta `json:",inline"`
	// Path of the request sent to the node.
	Path string `json:"path,omitempty"`
}

// ServiceProxyOptions are the query of a request to a service's proxy subresource.
type ServiceProxyOptions struct {
	meta.TypeMeta `json:",inline"`
	// Path of the request sent to the service.
	Path string `json:"path,omitempty"`
}
