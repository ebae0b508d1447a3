// Package store compares cellkit's durable store backend (store/disk, bbolt with group
// commit) with a single-node etcd (embedded go.etcd.io/etcd/server/v3 on loopback, driven
// through cellkit's store/etcd backend) on the same write workload, side by side in one
// `go test -bench` run. Both fsync every acknowledged write. Each workload runs as
// impl=disk and impl=etcd with 1, 16 and 256 concurrent writers; TestMain prints the write
// throughputs and the disk/etcd ratio after the benchmarks finish. See docs/performance.md.
package store
