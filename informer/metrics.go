package informer

// MetricsProvider creates the metrics of informers. An informer calls each New method once, in
// New, with its Options.Name. Implementations must be safe for concurrent use and cheap: the
// metrics are updated on the informer's delivery path.
type MetricsProvider interface {
	// NewListsMetric counts the lists started (one per full list, whatever its pages).
	NewListsMetric(name string) CounterMetric
	// NewListDurationMetric observes the seconds a full list took, pages and caching included.
	NewListDurationMetric(name string) HistogramMetric
	// NewWatchesMetric counts the watches started.
	NewWatchesMetric(name string) CounterMetric
	// NewWatchDurationMetric observes the seconds a watch stayed open.
	NewWatchDurationMetric(name string) HistogramMetric
	// NewEventsMetric counts the watch events applied to the cache (bookmarks excluded).
	NewEventsMetric(name string) CounterMetric
	// NewItemsMetric is the number of objects in the cache.
	NewItemsMetric(name string) GaugeMetric
	// NewLastRevisionMetric is the newest revision the cache reflects.
	NewLastRevisionMetric(name string) GaugeMetric
	// NewErrorsMetric counts failed lists and watches.
	NewErrorsMetric(name string) CounterMetric
}

// CounterMetric is a value that only goes up.
type CounterMetric interface{ Inc() }

// GaugeMetric is a value that is set.
type GaugeMetric interface{ Set(v float64) }

// HistogramMetric records observations in seconds.
type HistogramMetric interface{ Observe(seconds float64) }

type noopMetric struct{}

func (noopMetric) Inc()            {}
func (noopMetric) Set(float64)     {}
func (noopMetric) Observe(float64) {}

type metrics struct {
	lists, watches, events, errors CounterMetric
	listDur, watchDur              HistogramMetric
	items, lastRev                 GaugeMetric
}

func newMetrics(p MetricsProvider, name string) *metrics {
	if p == nil {
		n := noopMetric{}
		return &metrics{lists: n, watches: n, events: n, errors: n, listDur: n, watchDur: n, items: n, lastRev: n}
	}
	return &metrics{
		lists:    p.NewListsMetric(name),
		listDur:  p.NewListDurationMetric(name),
		watches:  p.NewWatchesMetric(name),
		watchDur: p.NewWatchDurationMetric(name),
		events:   p.NewEventsMetric(name),
		items:    p.NewItemsMetric(name),
		lastRev:  p.NewLastRevisionMetric(name),
		errors:   p.NewErrorsMetric(name),
	}
}
