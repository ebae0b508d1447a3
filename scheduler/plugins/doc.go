// Package plugins holds the in-tree scheduling plugins with kube-scheduler's semantics and
// messages: PrioritySort, SchedulingGates, NodeName, NodeUnschedulable, NodePorts,
// NodeResourcesFit (LeastAllocated, MostAllocated, RequestedToCapacityRatio; extended
// resources, overhead, init and sidecar containers), NodeResourcesBalancedAllocation,
// NodeAffinity, TaintToleration, PodTopologySpread (hard and soft, minDomains, inclusion
// policies, matchLabelKeys, default constraints), InterPodAffinity (both directions,
// namespaces and namespace selectors), ImageLocality, DefaultPreemption and DefaultBinder.
//
// Use NewRegistry for the factories and DefaultProfile for kube-scheduler's default plugin set
// and score weights (the volume plugins are absent: cellkit has no volume binding):
//
//	reg := plugins.NewRegistry(plugins.RegistryOptions{Binder: myStoreBinder})
//	prof, _ := plugins.WithArgs(plugins.DefaultProfile(), plugins.NameNodeResourcesFit,
//		&plugins.NodeResourcesFitArgs{ScoringStrategy: &plugins.ScoringStrategy{Type: plugins.MostAllocated}})
//	f, err := framework.New(reg, prof, framework.Options{})
//
// Plugins keep no state between cycles; what they compute in PreFilter or PreScore lives in the
// CycleState and is only read by Filter and Score, so those are safe to call concurrently.
// DefaultPreemption proposes victims and a nominated node; evicting them is the caller's job.
package plugins
