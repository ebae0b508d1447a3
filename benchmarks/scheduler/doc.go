// Package scheduler holds a scheduler_perf-style harness: kube-scheduler's standard workloads
// run in-process against the real cellkit driver, informers and the memory store, binding
// writes included. It reports pods per second, p50/p99 per-pod scheduling latency (creation to
// observed binding) and, for bin packing, the nodes used against the lower bound.
package scheduler
