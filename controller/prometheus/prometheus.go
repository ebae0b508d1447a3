// Package prometheus adapts controller.MetricsProvider to Prometheus with the metric names
// controller-runtime dashboards know: controller_runtime_reconcile_total{controller,result},
// controller_runtime_reconcile_errors_total, controller_runtime_terminal_reconcile_errors_total,
// controller_runtime_reconcile_panics_total, controller_runtime_reconcile_time_seconds and
// controller_runtime_active_workers, each labelled with the controller's name.
//
// Usage:
//
//	reg := prom.NewRegistry()
//	metrics, err := ctlprom.New(ctlprom.Options{Registerer: reg})
//	c, err := controller.New(r, controller.Options[controller.Request]{Name: "widgets", Metrics: metrics})
//
// Concurrency and ownership: a Provider is safe for concurrent use. It registers its
// collectors into the Registerer given to New, never into the global registry; controllers
// sharing a name share their series.
package prometheus

import (
	"errors"
	"fmt"

	prom "github.com/prometheus/client_golang/prometheus"

	"github.com/cellkit/cellkit/controller"
)

// DefaultBuckets are the buckets of the reconcile time histogram, in seconds
// (controller-runtime's).
var DefaultBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
	1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60}

// ErrInvalidOptions is wrapped by the errors of New.
var ErrInvalidOptions = errors.New("invalid options")

// Options configure New.
type Options struct {
	// Registerer receives the collectors. Required.
	Registerer prom.Registerer
	// Buckets of the reconcile time histogram. Nil means DefaultBuckets.
	Buckets []float64
}

// Provider is a controller.MetricsProvider backed by Prometheus collectors.
type Provider struct {
	total, errors, terminal, panics *prom.CounterVec
	duration                        *prom.HistogramVec
	active                          *prom.GaugeVec
}

var _ controller.MetricsProvider = (*Provider)(nil)

// New registers the collectors into opts.Registerer and returns the provider.
func New(opts Options) (*Provider, error) {
	if opts.Registerer == nil {
		return nil, fmt.Errorf("new controller metrics: %w: registerer is required", ErrInvalidOptions)
	}
	buckets := opts.Buckets
	if buckets == nil {
		buckets = DefaultBuckets
	}
	p := &Provider{
		total: prom.NewCounterVec(prom.CounterOpts{Name: "controller_runtime_reconcile_total",
			Help: "Total number of reconciliations per controller and result."}, []string{"controller", "result"}),
		errors: prom.NewCounterVec(prom.CounterOpts{Name: "controller_runtime_reconcile_errors_total",
			Help: "Total number of reconciliation errors per controller."}, []string{"controller"}),
		terminal: prom.NewCounterVec(prom.CounterOpts{Name: "controller_runtime_terminal_reconcile_errors_total",
			Help: "Total number of terminal reconciliation errors per controller."}, []string{"controller"}),
		panics: prom.NewCounterVec(prom.CounterOpts{Name: "controller_runtime_reconcile_panics_total",
			Help: "Total number of reconciliation panics per controller."}, []string{"controller"}),
		duration: prom.NewHistogramVec(prom.HistogramOpts{Name: "controller_runtime_reconcile_time_seconds",
			Help: "Length of time per reconciliation per controller.", Buckets: buckets}, []string{"controller"}),
		active: prom.NewGaugeVec(prom.GaugeOpts{Name: "controller_runtime_active_workers",
			Help: "Number of currently used workers per controller."}, []string{"controller"}),
	}
	for _, c := range []prom.Collector{p.total, p.errors, p.terminal, p.panics, p.duration, p.active} {
		if err := opts.Registerer.Register(c); err != nil {
			return nil, fmt.Errorf("new controller metrics: register: %w", err)
		}
	}
	return p, nil
}

// NewReconcilesMetric implements controller.MetricsProvider.
func (p *Provider) NewReconcilesMetric(name, result string) controller.CounterMetric {
	return p.total.WithLabelValues(name, result)
}

// NewReconcileErrorsMetric implements controller.MetricsProvider.
func (p *Provider) NewReconcileErrorsMetric(name string) controller.CounterMetric {
	return p.errors.WithLabelValues(name)
}

// NewTerminalErrorsMetric implements controller.MetricsProvider.
func (p *Provider) NewTerminalErrorsMetric(name string) controller.CounterMetric {
	return p.terminal.WithLabelValues(name)
}

// NewPanicsMetric implements controller.MetricsProvider.
func (p *Provider) NewPanicsMetric(name string) controller.CounterMetric {
	return p.panics.WithLabelValues(name)
}

// NewReconcileTimeMetric implements controller.MetricsProvider.
func (p *Provider) NewReconcileTimeMetric(name string) controller.HistogramMetric {
	return p.duration.WithLabelValues(name)
}

// NewActiveWorkersMetric implements controller.MetricsProvider.
func (p *Provider) NewActiveWorkersMetric(name string) controller.GaugeMetric {
	return p.active.WithLabelValues(name)
}
