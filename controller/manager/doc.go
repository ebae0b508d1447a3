// Package manager runs the controllers of one process: it owns the shared informer factory of
// a store, starts the informers, waits for their caches (naming what did not sync in time),
// runs runnables with or without leadership, serves /healthz, /readyz and Prometheus /metrics,
// and shuts everything down within a bound.
//
// # Usage
//
//	m, err := manager.New(manager.Options{Store: s, Scheme: scheme, Addr: ":8080",
//		LeaderElection: &manager.LeaderElection{Namespace: "kube-system", Name: "widgets", Identity: host}})
//	c, err := controller.NewBuilder(m.Factory(), m.Scheme()).For(...).Build(r)
//	err = m.Add(c)
//	err = m.Run(ctx) // the first fatal error, or nil after ctx ended and everything stopped
//
// # Lifecycle
//
// Run starts every informer of the factory and waits (Options.CacheSyncTimeout) for the caches
// of every runnable that reports them (controllers do) and of the factory. It then starts the
// runnables that do not need leadership (see WithoutLeaderElection) and, once this replica
// leads (at once without Options.LeaderElection), the others. Caches are warm before
// leadership, so a new leader starts reconciling without a full list. When the lease is lost
// the leader-only runnables are cancelled and waited for before the election may let another
// replica lead, and Run fails with leaderelection.ErrLeadershipLost: a replica that lost its
// lease restarts rather than carries on with stale beliefs.
//
// The first fatal error (a runnable's non-nil error, lost leadership, caches not synced, the
// HTTP server failing) cancels every runnable; Run waits for them at most
// Options.ShutdownTimeout (then fails with ErrShutdownTimeout naming the stuck ones, whose
// goroutines are left behind), stops the informers and the HTTP server, and returns that first
// error.
//
// # Concurrency and ownership
//
// Add runnables before Run; Run is called once and returns only when everything it started
// has stopped (except runnables that ignored the shutdown bound). The manager keeps no global
// state: metrics go to its own registry (Registry), time to Options.Clock.
package manager
