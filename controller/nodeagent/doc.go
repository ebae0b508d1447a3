// Package nodeagent is cellkit's node agent: a kubelet with Kubernetes semantics that runs
// the pods bound to one node through a pluggable container Runtime.
//
// An Agent registers its Node (labels, taints, capacity, allocatable, addresses, nodeInfo,
// daemonEndpoints and the Ready, MemoryPressure, DiskPressure and PIDPressure conditions),
// renews its Lease in the kube-node-lease namespace every RenewInterval, and posts the node's
// status every StatusUpdateFrequency through the nodes/status subresource. It watches only the
// pods bound to its node (its own informer with the field selector spec.nodeName=<node>,
// served by the store's index) and drives each through the Runtime: a sandbox per pod, init
// containers one at a time, then the containers; restarts after exits under the pod's restart
// policy with the kubelet's crash-loop back-off (immediately the first time, then 10 s
// doubling to 5 min, reset after a container ran 10 minutes; reason CrashLoopBackOff);
// readiness, liveness and startup probes run by the runtime on the clock, honouring
// initialDelaySeconds, periodSeconds, successThreshold and failureThreshold. It reports phase,
// conditions (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled) with
// transition times, container statuses, IPs, startTime and qosClass through pods/status.
//
// Admission is the kubelet's: a pod whose requests do not fit the allocatable resources left
// by the pods admitted before it (or that exceeds the pods capacity) fails with reason
// OutOfcpu, OutOfmemory, OutOfpods, ...; a pod whose nodeSelector or required node affinity
// does not match the node's labels fails with NodeAffinity. Pods present at start are admitted
// in creation order.
//
// Deletion is the API server's graceful protocol: a pod with a deletionTimestamp has its
// containers stopped with the pod's deletionGracePeriodSeconds, its final status written, and
// is then deleted with GracePeriodSeconds 0 and a UID precondition (which removes it); a
// second delete with a shorter grace period cuts a running stop short. A pod the store removed
// outright has its containers stopped (with its terminationGracePeriodSeconds) and its sandbox
// removed, and is forgotten. A changed image restarts its container; activeDeadlineSeconds
// fails the pod with reason DeadlineExceeded.
//
// # Usage
//
//	rt, _ := hollow.New(hollow.Options{})
//	agent, err := nodeagent.New(reg, nodeagent.Options{NodeName: "node-1", Runtime: rt})
//	go agent.Run(ctx) // returns once every goroutine it started has stopped
//
// reg is a store wrapped by store/registry: status writes go to the nodes/status and
// pods/status subresources, and deletion follows the registry's graceful protocol.
//
// # Restarts
//
// Run returns with the containers still running in the runtime, as a stopped kubelet leaves
// them. A later Run with the same runtime adopts them: same containers, restart counts read
// from the runtime (the attempt of each container). With a runtime that lost them (a fresh
// one, or a hollow runtime after Crash and Restart: the node rebooted), the agent does what
// the kubelet does after a reboot: it creates a new sandbox and new containers, carries the
// restart counts over from the pod's stored status (the kubelet reads them from its log
// directory) and counts the re-creation of a container that had run as one restart; the lost
// container shows as lastState terminated with reason ContainerStatusUnknown (exit code 137).
// A pod with restartPolicy Never whose containers were lost fails.
//
// # Concurrency and ownership
//
// Each pod has its own worker goroutine, the only one that touches that pod's state, so a slow
// stop or start delays only its pod. Admission decisions are serialised. Every wait (lease,
// status, back-off, probes, grace periods in the runtime) uses Options.Clock. The agent never
// modifies objects from its informer's cache. Runtime implementations must be safe for
// concurrent use; package runtimetest checks any of them.
package nodeagent
