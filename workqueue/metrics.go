package workqueue

// MetricsProvider creates the metrics of queues. A queue calls each New
// method once, in [New], with its Options.Name. Implementations must be safe
// for concurrent use; the metrics they return are updated while the queue's
// lock is held, so they must be cheap and must not call back into the queue.
// Package workqueue/prometheus provides a Prometheus adapter; without a
// provider a queue records no metrics and skips the clock reads they need.
type MetricsProvider interface {
	// NewDepthMetric returns the gauge of items ready to be handed out.
	NewDepthMetric(name string) GaugeMetric
	// NewAddsMetric returns the counter of adds that queued an item
	// (merged duplicates are not counted).
	NewAddsMetric(name string) CounterMetric
	// NewLatencyMetric returns the histogram of seconds an item waited
	// between becoming ready and being handed out.
	NewLatencyMetric(name string) HistogramMetric
	// NewWorkDurationMetric returns the histogram of seconds between Get
	// and Done.
	NewWorkDurationMetric(name string) HistogramMetric
	// NewRetriesMetric returns the counter of rate-limited adds.
	NewRetriesMetric(name string) CounterMetric
	// NewProcessingMetrics registers report, which the provider calls
	// whenever it needs the current in-flight figures (for example on each
	// scrape). report is safe for concurrent use and cheap relative to a
	// scrape: it visits each in-flight item once.
	NewProcessingMetrics(name string, report func() Processing)
}

// Processing describes the items being processed at one instant.
type Processing struct {
	// UnfinishedSeconds is the sum over in-flight items of the seconds
	// since they were handed out (workqueue_unfinished_work_seconds).
	UnfinishedSeconds float64
	// LongestRunningSeconds is the age of the oldest in-flight item
	// (workqueue_longest_running_processor_seconds).
	LongestRunningSeconds float64
}

// GaugeMetric is a value that goes up and down.
type GaugeMetric interface {
	Inc()
	Dec()
}

// CounterMetric is a value that only goes up.
type CounterMetric interface {
	Inc()
}

// HistogramMetric records observations in seconds.
type HistogramMetric interface {
	Observe(seconds float64)
}

// queueMetrics holds the metrics of one queue; a nil *queueMetrics records
// nothing.
type queueMetrics struct {
	depth   GaugeMetric
	adds    CounterMetric
	latency HistogramMetric
	work    HistogramMetric
	retries CounterMetric
}

func newQueueMetrics(p MetricsProvider, name string) *queueMetrics {
	return &queueMetrics{
		depth:   p.NewDepthMetric(name),
		adds:    p.NewAddsMetric(name),
		latency: p.NewLatencyMetric(name),
		work:    p.NewWorkDurationMetric(name),
		retries: p.NewRetriesMetric(name),
	}
}
