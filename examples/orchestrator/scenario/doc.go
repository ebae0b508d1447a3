// Package scenario is the orchestrator's narrated story and the checks behind it. Run plays it
// on a started cluster.Cluster: create a Deployment, scale it, roll out a new template, roll back,
// lose a node and get it back, delete the Deployment; after each step it waits until the cluster
// converged (within a bound of cluster time) and prints the cluster as tables. Up only brings the
// Deployment up, and on a store that already holds it (a restart on the disk backend) just waits
// for the cluster to converge again.
//
// A Monitor watches the namespace during the whole run and checks invariants at every state the
// store goes through, not just at the end of each step: pods never move between nodes, and during
// a rollout the ReplicaSets never ask for more than replicas+maxSurge pods and the available pods
// never drop below replicas-maxUnavailable.
//
// Concurrency: Run and Up use the cluster from the calling goroutine; a Monitor has its own
// goroutine, ended by Stop.
package scenario
