// Package cluster wires cellkit's parts into one running orchestrator inside a process: a store
// backend wrapped in the registry (the API server's object lifecycle), the scheduler, one or more
// controller managers (replicaset, deployment, garbage collector and node lifecycle controllers,
// under leader election), and N node agents with hollow runtimes. Every component talks to the
// others only through the store, as separate processes would.
//
// Each component can be stopped and started on its own while the others keep running, which is
// what the orchestrator's scenario and chaos tests do: stopping a node agent is a node failure (its
// hollow runtime keeps "running" the containers, like a machine cut off from the network),
// stopping a controller manager lets a standby replica take over through leader election.
//
// # Usage
//
//	c, err := cluster.New(cluster.Options{Backend: backend, Scheme: scheme, Nodes: 3})
//	err = c.Start(ctx)            // every component running
//	defer c.Stop()                // stops them all, returns the first failure
//	c.StopAgent("node-2")         // a node failure
//	err = c.Eventually(ctx, time.Minute, "replacement pods running", cond)
//
// # Time
//
// Options.Clock drives every component. With a *clock.Fake, Eventually advances the clock in
// small steps (Options.Tick) while it polls its condition, pausing briefly in real time between
// steps so that the components' goroutines react to each step; with the real clock it just polls.
// Timings holds the durations that decide how fast the cluster reacts to failures; its zero value
// means Kubernetes' defaults, and DemoTimings makes a cluster that heals in seconds.
//
// # Concurrency
//
// Start, Stop and the Stop/Start methods of components may be called from any goroutine, but are
// serialised internally. Stop returns only when every goroutine the cluster started has ended.
package cluster
