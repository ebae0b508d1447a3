// Package leaderelection elects one leader among candidates through a coordination/v1 Lease
// object in any store (memory, disk, etcd, or a remote server through its client), so that
// only one replica of a controller acts at a time.
//
// # Protocol
//
// Every RetryPeriod a candidate reads the Lease. It takes the lease when it does not exist,
// has no holder, or has not changed for the holder's leaseDurationSeconds since the candidate
// first saw its current version (times are measured on the candidate's own clock from the
// moment it observed a change, never compared with the holder's clock). Every write is an
// update with the resourceVersion just read, so of several candidates only one wins a race.
// The leader renews every RetryPeriod; when no renewal succeeded for RenewDeadline it stops
// leading. Because RenewDeadline < LeaseDuration, a leader that cannot renew stops its
// leader-only work before any other candidate may take over.
//
// Failover: after the leader's last renewal, another candidate leads within LeaseDuration
// plus up to two RetryPeriods (one to observe the last renewal, one of polling granularity);
// within LeaseDuration + RetryPeriod when LeaseDuration is a multiple of RetryPeriod. With
// ReleaseOnCancel a leader that stops on purpose clears the holder, and the next candidate
// takes over at its next attempt.
//
// # Usage
//
//	e, err := leaderelection.New(leaderelection.Options{
//		Client: leaderelection.ForStore(s), Namespace: "kube-system", Name: "my-controller",
//		Identity: hostname, ReleaseOnCancel: true,
//		Callbacks: leaderelection.Callbacks{OnStartedLeading: runControllers},
//	})
//	err = e.Run(ctx) // returns when ctx ends (nil) or leadership is lost (ErrLeadershipLost)
//
// # Concurrency and ownership
//
// Run owns its goroutines and the OnStartedLeading goroutine; it returns only after
// OnStartedLeading returned and OnStoppedLeading was called. An Elector runs once; a process
// that lost leadership starts a new Elector (or exits). IsLeader and Leader are safe for
// concurrent use. Time comes from Options.Clock, so tests drive elections with a fake clock.
package leaderelection
