// Package prometheus adapts workqueue metrics to Prometheus
// (github.com/prometheus/client_golang) under the metric names Kubernetes
// users already dashboard, each labelled with the queue's name:
//
//	workqueue_depth                              gauge
//	workqueue_adds_total                         counter
//	workqueue_queue_duration_seconds             histogram
//	workqueue_work_duration_seconds              histogram
//	workqueue_unfinished_work_seconds            gauge
//	workqueue_longest_running_processor_seconds  gauge
//	workqueue_retries_total                      counter
//
// Usage: create one Provider per registry and pass it to every queue:
//
//	reg := prometheus.NewRegistry()
//	metrics, err := wqprom.New(wqprom.Options{Registerer: reg})
//	q, err := workqueue.New(workqueue.Options[string]{Name: "pods", Metrics: metrics})
//
// The provider registers its collectors into the Registerer the caller
// passes, never into the global registry. The two in-flight gauges are
// computed at scrape time from the queue itself, so they are exact and need
// no background goroutine.
//
// Concurrency and ownership: a Provider is safe for concurrent use. Queue
// names must be unique per Provider: queues sharing a name share their
// series, and the later queue's in-flight report replaces the earlier one.
// The Provider keeps a reference to every queue that registered an
// in-flight report for as long as the Provider lives.
package prometheus
