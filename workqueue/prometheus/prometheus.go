package prometheus

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	prom "github.com/prometheus/client_golang/prometheus"

	"github.com/cellkit/cellkit/workqueue"
)

// DefaultBuckets are the histogram buckets used when Options leaves Buckets
// nil: 10ns to 10s by factors of ten, as in Kubernetes.
var DefaultBuckets = []float64{1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10}

// ErrInvalidOptions is wrapped by errors for invalid Options.
var ErrInvalidOptions = errors.New("invalid options")

// Options configures [New].
type Options struct {
	// Registerer receives the collectors. Required.
	Registerer prom.Registerer
	// Buckets of the two duration histograms, in seconds and increasing.
	// Nil means DefaultBuckets.
	Buckets []float64
}

// Provider is a workqueue.MetricsProvider backed by Prometheus collectors.
type Provider struct {
	depth   *prom.GaugeVec
	adds    *prom.CounterVec
	latency *prom.HistogramVec
	work    *prom.HistogramVec
	retries *prom.CounterVec
	proc    *processingCollector
}

var _ workqueue.MetricsProvider = (*Provider)(nil)

// New creates the collectors and registers them into opts.Registerer. It
// returns an error wrapping ErrInvalidOptions for bad options, or the
// registration error (for example prometheus.AlreadyRegisteredError when the
// registry already holds workqueue metrics).
func New(opts Options) (*Provider, error) {
	const op = "workqueue/prometheus: new provider"
	if opts.Registerer == nil {
		return nil, fmt.Errorf("%s: %w: nil registerer", op, ErrInvalidOptions)
	}
	buckets := opts.Buckets
	if buckets == nil {
		buckets = DefaultBuckets
	}
	if len(buckets) == 0 || !sort.Float64sAreSorted(buckets) {
		return nil, fmt.Errorf("%s: %w: buckets must be non-empty and increasing", op, ErrInvalidOptions)
	}
	for i := 1; i < len(buckets); i++ {
		if buckets[i] == buckets[i-1] {
			return nil, fmt.Errorf("%s: %w: duplicate bucket %v", op, ErrInvalidOptions, buckets[i])
		}
	}
	labels := []string{"name"}
	p := &Provider{
		depth: prom.NewGaugeVec(prom.GaugeOpts{
			Name: "workqueue_depth",
			Help: "Current depth of workqueue",
		}, labels),
		adds: prom.NewCounterVec(prom.CounterOpts{
			Name: "workqueue_adds_total",
			Help: "Total number of adds handled by workqueue",
		}, labels),
		latency: prom.NewHistogramVec(prom.HistogramOpts{
			Name:    "workqueue_queue_duration_seconds",
			Help:    "How long in seconds an item stays in workqueue before being requested.",
			Buckets: buckets,
		}, labels),
		work: prom.NewHistogramVec(prom.HistogramOpts{
			Name:    "workqueue_work_duration_seconds",
			Help:    "How long in seconds processing an item from workqueue takes.",
			Buckets: buckets,
		}, labels),
		retries: prom.NewCounterVec(prom.CounterOpts{
			Name: "workqueue_retries_total",
			Help: "Total number of retries handled by workqueue",
		}, labels),
		proc: &processingCollector{
			unfinished: prom.NewDesc("workqueue_unfinished_work_seconds",
				"How many seconds of work has done that is in progress and hasn't been observed by work_duration. "+
					"Large values indicate stuck threads. One can deduce the number of stuck threads by observing "+
					"the rate at which this increases.", labels, nil),
			longest: prom.NewDesc("workqueue_longest_running_processor_seconds",
				"How many seconds has the longest running processor for workqueue been running.", labels, nil),
			reports: map[string]func() workqueue.Processing{},
		},
	}
	for _, c := range []prom.Collector{p.depth, p.adds, p.latency, p.work, p.retries, p.proc} {
		if err := opts.Registerer.Register(c); err != nil {
			return nil, fmt.Errorf("%s: register: %w", op, err)
		}
	}
	return p, nil
}

// NewDepthMetric implements workqueue.MetricsProvider.
func (p *Provider) NewDepthMetric(name string) workqueue.GaugeMetric {
	return p.depth.WithLabelValues(name)
}

// NewAddsMetric implements workqueue.MetricsProvider.
func (p *Provider) NewAddsMetric(name string) workqueue.CounterMetric {
	return p.adds.WithLabelValues(name)
}

// NewLatencyMetric implements workqueue.MetricsProvider.
func (p *Provider) NewLatencyMetric(name string) workqueue.HistogramMetric {
	return p.latency.WithLabelValues(name)
}

// NewWorkDurationMetric implements workqueue.MetricsProvider.
func (p *Provider) NewWorkDurationMetric(name string) workqueue.HistogramMetric {
	return p.work.WithLabelValues(name)
}

// NewRetriesMetric implements workqueue.MetricsProvider.
func (p *Provider) NewRetriesMetric(name string) workqueue.CounterMetric {
	return p.retries.WithLabelValues(name)
}

// NewProcessingMetrics implements workqueue.MetricsProvider: report is
// called on every scrape.
func (p *Provider) NewProcessingMetrics(name string, report func() workqueue.Processing) {
	p.proc.mu.Lock()
	p.proc.reports[name] = report
	p.proc.mu.Unlock()
}

// processingCollector emits the two in-flight gauges from the queues'
// reports at scrape time.
type processingCollector struct {
	unfinished, longest *prom.Desc
	mu                  sync.Mutex
	reports             map[string]func() workqueue.Processing
}

func (c *processingCollector) Describe(ch chan<- *prom.Desc) {
	ch <- c.unfinished
	ch <- c.longest
}

func (c *processingCollector) Collect(ch chan<- prom.Metric) {
	c.mu.Lock()
	names := make([]string, 0, len(c.reports))
	reports := make([]func() workqueue.Processing, 0, len(c.reports))
	for name, r := range c.reports {
		names = append(names, name)
		reports = append(reports, r)
	}
	c.mu.Unlock()
	for i, r := range reports {
		p := r()
		ch <- constGauge(c.unfinished, p.UnfinishedSeconds, names[i])
		ch <- constGauge(c.longest, p.LongestRunningSeconds, names[i])
	}
}

func constGauge(d *prom.Desc, v float64, name string) prom.Metric {
	m, err := prom.NewConstMetric(d, prom.GaugeValue, v, name)
	if err != nil {
		return prom.NewInvalidMetric(d, err)
	}
	return m
}
