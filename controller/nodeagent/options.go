package nodeagent

import (
	"errors"
	"fmt"
	"hash/fnv"
	goruntime "runtime"
	"time"

	"github.com/go-logr/logr"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	"github.com/cellkit/cellkit/apimachinery/resource"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/validation"
	"github.com/cellkit/cellkit/internal/clock"
)

// Defaults of Options, and the kubelet's fixed values the agent follows.
const (
	// DefaultLeaseDuration is the leaseDurationSeconds of the node's Lease (the kubelet's 40 s).
	DefaultLeaseDuration = 40 * time.Second
	// DefaultRenewInterval is how often the Lease is renewed (a quarter of the duration).
	DefaultRenewInterval = 10 * time.Second
	// DefaultStatusUpdateFrequency is how often the node's status is posted.
	DefaultStatusUpdateFrequency = 10 * time.Second
	// DefaultSyncPeriod is how often every pod is synced even when nothing told the agent
	// about a change (the kubelet's syncFrequency, one minute).
	DefaultSyncPeriod = time.Minute
	// DefaultPort is the kubelet port published in the node's daemonEndpoints.
	DefaultPort = 10250
	// DefaultVersion is the kubeletVersion published in the node's nodeInfo.
	DefaultVersion = "v1.33.0-cellkit"
	// LeaseNamespace is the namespace of node leases.
	LeaseNamespace = "kube-node-lease"
	// InitialBackOff and MaxBackOff bound the crash-loop back-off of a restarting container;
	// BackOffResetAfter is how long a container must run for its back-off to start over.
	InitialBackOff    = 10 * time.Second
	MaxBackOff        = 300 * time.Second
	BackOffResetAfter = 2 * MaxBackOff
)

// Well-known node labels the agent sets.
const (
	LabelHostname = "kubernetes.io/hostname"
	LabelOS       = "kubernetes.io/os"
	LabelArch     = "kubernetes.io/arch"
)

// ErrInvalidOptions: the options given to New are not valid.
var ErrInvalidOptions = errors.New("invalid node agent options")

// EventRecorder records Events about objects; *record.Recorder of package controller/record
// implements it.
type EventRecorder interface {
	Eventf(obj runtime.MetaObject, eventType, reason, format string, args ...any)
}

// Options configure an Agent. The zero value of every field but NodeName and Runtime is a
// documented default.
type Options struct {
	// NodeName is the name of the node (a DNS subdomain). Required.
	NodeName string
	// Runtime runs the pods' containers. Required.
	Runtime Runtime
	// Capacity of the node. cpu, memory, ephemeral-storage and pods it leaves out default to
	// 4, 16Gi, 100Gi and 110 (a node always reports the four).
	Capacity corev1.ResourceList
	// Allocatable is the part of Capacity pods may request; resources it leaves out are
	// allocatable in full.
	Allocatable corev1.ResourceList
	// Labels are added to the node's labels, with kubernetes.io/hostname (the node name),
	// kubernetes.io/os (linux) and kubernetes.io/arch (the Go architecture).
	Labels map[string]string
	// Taints are the node's taints at registration (like the kubelet's --register-with-taints;
	// the taints of a node that exists already are left alone).
	Taints []corev1.Taint
	// Addresses of the node. Default an InternalIP derived from the node name (in 10.0.0.0/8)
	// and the Hostname. The first InternalIP is the hostIP of pods.
	Addresses []corev1.NodeAddress
	// Port is the kubelet endpoint published in daemonEndpoints. Default DefaultPort.
	Port int32
	// Version is the kubeletVersion of nodeInfo. Default DefaultVersion.
	Version string
	// Clock drives heartbeats, back-off, probes and grace periods. Default the real clock.
	Clock clock.Clock
	// Logger receives the agent's logs. Default discard.
	Logger logr.Logger
	// Recorder, when set, receives Events (Started, Killing, BackOff, Unhealthy, ...).
	Recorder EventRecorder
	// LeaseDuration is the leaseDurationSeconds of the Lease. Default DefaultLeaseDuration.
	LeaseDuration time.Duration
	// RenewInterval is how often the Lease is renewed. Default DefaultRenewInterval.
	RenewInterval time.Duration
	// StatusUpdateFrequency is how often the node status is posted. Default
	// DefaultStatusUpdateFrequency.
	StatusUpdateFrequency time.Duration
	// SyncPeriod is how often every pod is synced without a cause. Default DefaultSyncPeriod.
	SyncPeriod time.Duration
	// RetryInterval is how long the agent waits before retrying a failed write or runtime
	// call. Default one second.
	RetryInterval time.Duration
}

func (o *Options) setDefaults() error {
	var errs []error
	if o.NodeName == "" {
		errs = append(errs, errors.New("NodeName is required"))
	} else if msgs := validation.NameIsDNSSubdomain(o.NodeName, false); len(msgs) > 0 {
		errs = append(errs, fmt.Errorf("NodeName %q: %v", o.NodeName, msgs))
	}
	if o.Runtime == nil {
		errs = append(errs, errors.New("Runtime is required"))
	}
	for name, d := range map[string]*time.Duration{
		"LeaseDuration": &o.LeaseDuration, "RenewInterval": &o.RenewInterval,
		"StatusUpdateFrequency": &o.StatusUpdateFrequency, "SyncPeriod": &o.SyncPeriod,
		"RetryInterval": &o.RetryInterval,
	} {
		if *d < 0 {
			errs = append(errs, fmt.Errorf("%s must not be negative, got %v", name, *d))
		}
	}
	if o.LeaseDuration > 0 && o.LeaseDuration < time.Second {
		errs = append(errs, fmt.Errorf("LeaseDuration must be at least 1s, got %v", o.LeaseDuration))
	}
	if o.Port < 0 {
		errs = append(errs, fmt.Errorf("Port must not be negative, got %d", o.Port))
	}
	for name, q := range o.Capacity {
		if q.Sign() < 0 {
			errs = append(errs, fmt.Errorf("Capacity[%s] is negative", name))
		}
	}
	for name, q := range o.Allocatable {
		if q.Sign() < 0 {
			errs = append(errs, fmt.Errorf("Allocatable[%s] is negative", name))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalidOptions, errors.Join(errs...))
	}
	defaults := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("4"),
		corev1.ResourceMemory:           resource.MustParse("16Gi"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
		corev1.ResourcePods:             resource.MustParse("110"),
	}
	o.Capacity = o.Capacity.DeepCopy()
	if o.Capacity == nil {
		o.Capacity = corev1.ResourceList{}
	}
	for name, q := range defaults {
		if _, ok := o.Capacity[name]; !ok {
			o.Capacity[name] = q
		}
	}
	o.Allocatable = o.Allocatable.DeepCopy()
	if o.Allocatable == nil {
		o.Allocatable = corev1.ResourceList{}
	}
	for name, q := range o.Capacity {
		if _, ok := o.Allocatable[name]; !ok {
			o.Allocatable[name] = q.DeepCopy()
		}
	}
	labels := map[string]string{}
	for k, v := range o.Labels {
		labels[k] = v
	}
	labels[LabelHostname] = o.NodeName
	labels[LabelOS] = "linux"
	labels[LabelArch] = goruntime.GOARCH
	o.Labels = labels
	o.Taints = append([]corev1.Taint(nil), o.Taints...)
	if len(o.Addresses) == 0 {
		h := fnv.New32a()
		h.Write([]byte(o.NodeName))
		v := h.Sum32()
		o.Addresses = []corev1.NodeAddress{
			{Type: corev1.NodeInternalIP, Address: fmt.Sprintf("10.%d.%d.%d", byte(v>>16), byte(v>>8), 1+byte(v)%254)},
			{Type: corev1.NodeHostName, Address: o.NodeName},
		}
	} else {
		o.Addresses = append([]corev1.NodeAddress(nil), o.Addresses...)
	}
	if o.Port == 0 {
		o.Port = DefaultPort
	}
	if o.Version == "" {
		o.Version = DefaultVersion
	}
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	if o.LeaseDuration == 0 {
		o.LeaseDuration = DefaultLeaseDuration
	}
	if o.RenewInterval == 0 {
		o.RenewInterval = DefaultRenewInterval
	}
	if o.StatusUpdateFrequency == 0 {
		o.StatusUpdateFrequency = DefaultStatusUpdateFrequency
	}
	if o.SyncPeriod == 0 {
		o.SyncPeriod = DefaultSyncPeriod
	}
	if o.RetryInterval == 0 {
		o.RetryInterval = time.Second
	}
	return nil
}
