package nodelifecycle

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-logr/logr"

	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/workqueue"
)

// Defaults of Options, the values of Kubernetes' kube-controller-manager flags of the same
// meaning.
const (
	// DefaultMonitorPeriod is how often node health is checked (--node-monitor-period).
	DefaultMonitorPeriod = 5 * time.Second
	// DefaultGracePeriod is how long a node may go without a heartbeat before its Ready
	// condition becomes Unknown (--node-monitor-grace-period).
	DefaultGracePeriod = 40 * time.Second
	// DefaultStartupGracePeriod is how long a node that never reported may stay without a
	// Ready condition before it is marked Unknown (--node-startup-grace-period).
	DefaultStartupGracePeriod = 60 * time.Second
	// DefaultEvictionRate is the rate, in nodes per second, at which nodes of a healthy zone
	// are tainted for eviction (--node-eviction-rate).
	DefaultEvictionRate = 0.1
	// DefaultSecondaryEvictionRate is the rate of a partially disrupted zone larger than
	// LargeClusterSizeThreshold (--secondary-node-eviction-rate).
	DefaultSecondaryEvictionRate = 0.01
	// DefaultLargeClusterSizeThreshold is the zone size above which a partially disrupted zone
	// still evicts, at the secondary rate (--large-cluster-size-threshold).
	DefaultLargeClusterSizeThreshold = 50
	// DefaultUnhealthyZoneThreshold is the fraction of not-ready nodes (at least three) from
	// which a zone is partially disrupted (--unhealthy-zone-threshold).
	DefaultUnhealthyZoneThreshold = 0.55
	// DefaultWorkers is the number of pods evicted at once.
	DefaultWorkers = 4
)

// ErrInvalidOptions is wrapped by the error New returns for invalid options.
var ErrInvalidOptions = errors.New("invalid node lifecycle options")

// ErrStarted is returned by Run when it was called before.
var ErrStarted = errors.New("node lifecycle controller already started")

// EventRecorder records Events about objects. *record.Recorder (package controller/record)
// implements it.
type EventRecorder interface {
	Eventf(obj runtime.MetaObject, eventType, reason, format string, args ...any)
}

// Options configure a Controller. The zero value of every field is its documented default.
type Options struct {
	// Workers is the number of pods the taint-based eviction handles at once. Default
	// DefaultWorkers; negative is invalid.
	Workers int
	// Clock is the time source of every period, grace period, rate limit and toleration.
	// Default the real clock.
	Clock clock.Clock
	// Logger receives the controller's logs: node state changes and evictions at V(1), each
	// pass at V(4). Default discard.
	Logger logr.Logger
	// Events, when set, records Events where Kubernetes records them: RegisteredNode,
	// RemovingNode and NodeNotReady on nodes, NodeNotReady on their pods, TaintManagerEviction
	// on pods marked for deletion or spared.
	Events EventRecorder
	// Metrics and QueueMetrics, when set, receive the metrics of the controller's two worker
	// pools, named "nodelifecycle-eviction" (one item per pod) and "nodelifecycle-noschedule"
	// (one item per node): the manager's ControllerMetrics and QueueMetrics. Default none.
	Metrics      controller.MetricsProvider
	QueueMetrics workqueue.MetricsProvider

	// MonitorPeriod is how often every node's health is checked. Default
	// DefaultMonitorPeriod.
	MonitorPeriod time.Duration
	// GracePeriod is how long a node that has reported may go without a heartbeat (a Lease
	// renewal or a new lastHeartbeatTime of its Ready condition, whichever is later, as
	// observed by this controller on Clock) before its conditions become Unknown. Default
	// DefaultGracePeriod; it must exceed MonitorPeriod.
	GracePeriod time.Duration
	// StartupGracePeriod is the same for a node that never posted a Ready condition, counted
	// from its creation. Default DefaultStartupGracePeriod.
	StartupGracePeriod time.Duration

	// EvictionRate is how many nodes per second a zone in state Normal (or a fully disrupted
	// zone while others are not) has their not-ready/unreachable NoExecute taint applied,
	// starting the eviction of their pods. Default DefaultEvictionRate.
	EvictionRate float64
	// SecondaryEvictionRate is the rate of a partially disrupted zone with more than
	// LargeClusterSizeThreshold nodes; smaller partially disrupted zones do not evict.
	// Default DefaultSecondaryEvictionRate; negative means 0 (no eviction in partially
	// disrupted zones at all).
	SecondaryEvictionRate float64
	// LargeClusterSizeThreshold is the number of nodes of a zone up to which a partial
	// disruption stops evictions there instead of slowing them. Default
	// DefaultLargeClusterSizeThreshold.
	LargeClusterSizeThreshold int
	// UnhealthyZoneThreshold is the fraction of not-ready nodes (with at least three of them)
	// at or above which a zone is partially disrupted. Default DefaultUnhealthyZoneThreshold;
	// it must be in (0, 1].
	UnhealthyZoneThreshold float64
}

func (o Options) withDefaults() (Options, error) {
	if o.Clock == nil {
		o.Clock = clock.Real()
	}
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.MonitorPeriod == 0 {
		o.MonitorPeriod = DefaultMonitorPeriod
	}
	if o.GracePeriod == 0 {
		o.GracePeriod = DefaultGracePeriod
	}
	if o.StartupGracePeriod == 0 {
		o.StartupGracePeriod = DefaultStartupGracePeriod
	}
	if o.EvictionRate == 0 {
		o.EvictionRate = DefaultEvictionRate
	}
	if o.SecondaryEvictionRate == 0 {
		o.SecondaryEvictionRate = DefaultSecondaryEvictionRate // negative stays: it means 0
	}
	if o.LargeClusterSizeThreshold == 0 {
		o.LargeClusterSizeThreshold = DefaultLargeClusterSizeThreshold
	}
	if o.UnhealthyZoneThreshold == 0 {
		o.UnhealthyZoneThreshold = DefaultUnhealthyZoneThreshold
	}
	var errs []error
	if o.Workers < 0 {
		errs = append(errs, fmt.Errorf("workers %d is negative", o.Workers))
	}
	if o.MonitorPeriod < 0 {
		errs = append(errs, fmt.Errorf("monitor period %v is negative", o.MonitorPeriod))
	}
	if o.GracePeriod <= o.MonitorPeriod {
		errs = append(errs, fmt.Errorf("grace period %v must exceed the monitor period %v", o.GracePeriod, o.MonitorPeriod))
	}
	if o.StartupGracePeriod < 0 {
		errs = append(errs, fmt.Errorf("startup grace period %v is negative", o.StartupGracePeriod))
	}
	if o.EvictionRate < 0 {
		errs = append(errs, fmt.Errorf("eviction rate %v is negative", o.EvictionRate))
	}
	if o.LargeClusterSizeThreshold < 0 {
		errs = append(errs, fmt.Errorf("large cluster size threshold %d is negative", o.LargeClusterSizeThreshold))
	}
	if !(o.UnhealthyZoneThreshold > 0 && o.UnhealthyZoneThreshold <= 1) {
		errs = append(errs, fmt.Errorf("unhealthy zone threshold %v is not in (0, 1]", o.UnhealthyZoneThreshold))
	}
	if len(errs) > 0 {
		return o, fmt.Errorf("nodelifecycle: new: %w: %w", ErrInvalidOptions, errors.Join(errs...))
	}
	return o, nil
}
