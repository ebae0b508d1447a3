package controller

// CounterMetric is a value that only goes up.
type CounterMetric interface{ Inc() }

// GaugeMetric is a value that goes up and down.
type GaugeMetric interface {
	Inc()
	Dec()
}

// HistogramMetric records observations in seconds.
type HistogramMetric interface{ Observe(seconds float64) }

// Results of reconciles, the values of the result dimension of NewReconcilesMetric.
const (
	ResultSuccess       = "success"        // done, no error
	ResultRequeueAfter  = "requeue_after"  // done, RequeueAfter set
	ResultError         = "error"          // error, retried with backoff
	ResultTerminalError = "terminal_error" // terminal error, not retried
)

// MetricsProvider creates the metrics of controllers. A controller calls each New method once
// per name (and result), in New, with its Options.Name. Implementations must be safe for
// concurrent use and cheap. Package controller/prometheus provides an adapter using the metric
// names controller-runtime dashboards know.
type MetricsProvider interface {
	// NewReconcilesMetric counts reconciles that ended with result (one of the Result
	// constants).
	NewReconcilesMetric(name, result string) CounterMetric
	// NewReconcileErrorsMetric counts reconciles that returned an error (terminal or not).
	NewReconcileErrorsMetric(name string) CounterMetric
	// NewTerminalErrorsMetric counts reconciles that returned a terminal error.
	NewTerminalErrorsMetric(name string) CounterMetric
	// NewPanicsMetric counts reconciles that panicked.
	NewPanicsMetric(name string) CounterMetric
	// NewReconcileTimeMetric observes the seconds each reconcile took.
	NewReconcileTimeMetric(name string) HistogramMetric
	// NewActiveWorkersMetric is the number of workers running a reconcile.
	NewActiveWorkersMetric(name string) GaugeMetric
}

type noopMetric struct{}

func (noopMetric) Inc()            {}
func (noopMetric) Dec()            {}
func (noopMetric) Observe(float64) {}

type metrics struct {
	results   map[string]CounterMetric
	errors    CounterMetric
	terminal  CounterMetric
	panics    CounterMetric
	duration  HistogramMetric
	active    GaugeMetric
	noClockUs bool
}

func newMetrics(p MetricsProvider, name string) *metrics {
	m := &metrics{results: map[string]CounterMetric{}}
	results := []string{ResultSuccess, ResultRequeueAfter, ResultError, ResultTerminalError}
	if p == nil {
		for _, r := range results {
			m.results[r] = noopMetric{}
		}
		m.errors, m.terminal, m.panics, m.duration, m.active = noopMetric{}, noopMetric{}, noopMetric{}, noopMetric{}, noopMetric{}
		m.noClockUs = true
		return m
	}
	for _, r := range results {
		m.results[r] = p.NewReconcilesMetric(name, r)
	}
	m.errors = p.NewReconcileErrorsMetric(name)
	m.terminal = p.NewTerminalErrorsMetric(name)
	m.panics = p.NewPanicsMetric(name)
	m.duration = p.NewReconcileTimeMetric(name)
	m.active = p.NewActiveWorkersMetric(name)
	return m
}
