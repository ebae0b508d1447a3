// Package schedulertest supports testing schedulers: fluent Pod and Node builders, a seeded
// random cluster generator, and Model, an independent oracle of Kubernetes placement rules
// that shares no code with the plugins it checks.
//
// The usage loop: generate a cluster with RandomCluster(rand.New(rand.NewPCG(seed, 0)), cfg),
// feed its nodes and bound pods to both the scheduler and NewModel, and for every decision ask
// the model: Feasible(pod, node) for each placement, CheckFitMessage for each pod left
// pending (it must fit nowhere and its message must only name true reasons), and
// CheckInvariants at the end (no over-committed node, no violated anti-affinity). Record
// evictions with Remove and placements with Add.
//
// A Model is not safe for concurrent use. Builders return copies of what they built, but the
// label and request maps of one builder are shared by the objects it returns.
package schedulertest
