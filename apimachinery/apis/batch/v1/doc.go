// Package v1 holds the batch/v1 API types: Job (pods that run to completion, with retries,
// indexes, failure and success policies) and CronJob (a Job template created on a cron
// schedule). Field names, JSON tags, pointer-ness and patch strategies follow Kubernetes
// exactly.
//
// Usage: import as batchv1. The job controller creates pods from Spec.Template until
// Spec.Completions pods succeed (or one, for a work queue), retries failures up to
// Spec.BackoffLimit, and records progress in Status; the cronjob controller creates a Job from
// Spec.JobTemplate at each time of Spec.Schedule that Spec.ConcurrencyPolicy allows.
//
// Concurrency and ownership: values are plain data with no locking. A value read from a shared
// cache must not be modified; DeepCopy it first. The deep-copy methods are generated into
// zz_generated.deepcopy.go by internal/deepcopygen; run `go generate` after changing a type.
package v1

//go:generate go run github.com/cellkit/cellkit/internal/deepcopygen
//go:generate go run github.com/cellkit/cellkit/internal/interngen
