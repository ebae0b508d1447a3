// Package workqueue compares cellkit's workqueue with
// k8s.io/client-go/util/workqueue on the same workloads, side by side in one
// `go test -bench` run. Each workload runs as two sub-benchmarks,
// impl=cellkit and impl=client-go; TestMain prints a table with the ratios
// after the benchmarks finish. See docs/performance.md for figures.
package workqueue
