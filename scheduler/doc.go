// Package scheduler is the driver around the pure scheduling core (package framework): it
// watches pods and nodes in a store through informers, keeps a cache with assumed pods
// (package cache) and a scheduling queue (package queue), runs one scheduling cycle at a time,
// and binds pods asynchronously by writing spec.nodeName to the store.
//
// The usage loop:
//
//	s, err := scheduler.New(scheduler.Options{Store: st, Parallelism: 4})
//	err = s.Run(ctx) // until ctx ends; every goroutine it started has ended when it returns
//
// A cycle pops the highest-priority pod, evaluates it against the cache's snapshot under the
// cache lock (informer updates wait for the cycle), and on success assumes the pod in the
// cache before the binding goroutine writes it; the next cycle already accounts for it. The
// binding is a GuaranteedUpdate that sets spec.nodeName only if the pod still has the same UID
// and no node, so a pod is never bound twice, even by two schedulers. A failed binding forgets
// the assumed pod and requeues it. A pod that fits nowhere gets the condition PodScheduled=False
// with kube-scheduler's message; if preemption found room, the victims are deleted (with a UID
// precondition), the pod's status.nominatedNodeName is set and the nomination is counted by
// later cycles. Node events and deletions of bound pods move unschedulable pods back to be
// retried; a ticker on Options.Clock flushes backoff and expires unconfirmed assumed pods.
//
// Limits: two schedulers sharing nodes each account only for the pods they observe, so they
// can over-commit a node between a binding and its observation (as kube-scheduler can); Permit
// plugins that ask to wait are treated as rejections; every cluster event requeues every
// unschedulable pod (plugins do not yet declare the events that matter to them).
package scheduler
