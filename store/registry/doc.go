// Package registry adds the Kubernetes API server's object lifecycle to any store backend.
//
// A backend (store/memory, store/disk, store/etcd) stores objects without interpreting them.
// A Registry wraps one and implements store.Interface itself, so informers, controllers, the
// scheduler and the REST server use it unchanged, and every write through it follows the
// rules controllers rely on:
//
//	reg, err := registry.New(backend, registry.Options{Scheme: scheme, Clock: clk})
//	pods := store.For[*corev1.Pod](reg, schema.GroupResource{Resource: "pods"})
//	status := store.For[*corev1.Pod](reg, schema.GroupResource{Resource: "pods/status"})
//
// # Create
//
// The object is defaulted with the scheme (runtime.Scheme.Default); its deletion state is
// cleared and its generation is 1. The status a client sent is reset for the kinds whose
// status only the system writes (Kubernetes' PrepareForCreate): deployments, replica sets,
// stateful sets, daemon sets, jobs, cron jobs, replication controllers, services, autoscalers,
// disruption budgets and quotas get an empty status; pods start in phase Pending with their
// status.qosClass (Guaranteed, Burstable or BestEffort, from cpu and memory), namespaces
// Active, persistent volumes and claims Pending; nodes keep theirs. Pods get the NoExecute
// tolerations of node.kubernetes.io/not-ready and node.kubernetes.io/unreachable with
// tolerationSeconds Options.DefaultTolerationSeconds (default 300), unless a toleration
// already covers the taint (same key or empty key, effect NoExecute or empty): Kubernetes'
// DefaultTolerationSeconds admission plugin. A generateName becomes a name here (a prefix of
// at most 58 characters and 5 random ones; a taken name is replaced up to 8 times). Then the
// kind is validated with the Validate<Kind> function of its apimachinery/apis package; a
// failure is Invalid (422) with one cause per field error. Kinds without validation functions
// (and types the registry does not know) are stored without kind validation. An object in a
// namespace being deleted (phase Terminating) is refused with Forbidden and a status cause of
// type NamespaceTerminating, as Kubernetes' NamespaceLifecycle admission does; a namespace
// that does not exist is no obstacle (Kubernetes would refuse).
//
// # Update and GuaranteedUpdate
//
// The request is defaulted (except on the status subresource), then:
//   - On a resource with a status subresource, the status in the request is ignored: the
//     stored status is kept.
//   - uid, creationTimestamp, generateName and resourceVersion come from the stored object (a
//     different non-empty uid is a Conflict; a stale resourceVersion is a Conflict, an empty
//     one makes Update unconditional).
//   - metadata.generation is the stored one, plus one when anything outside metadata and
//     status changed (for deployments, also when annotations changed, as in Kubernetes).
//     Fields are compared with reflect.DeepEqual and, when that differs, by their JSON
//     encoding, so nil and empty slices or two spellings of a quantity are no change. The
//     caller cannot set the generation.
//   - The deletion state cannot be changed, as in Kubernetes (rest.BeforeUpdate, then
//     metadata validation): the stored deletionTimestamp always wins (a request that clears or
//     moves it is corrected silently); a deletionGracePeriodSeconds left empty keeps the stored
//     one, a different one is Invalid; setting either on an object not being deleted is
//     Invalid. No finalizer may be added to an object being deleted (Invalid, "no new
//     finalizers can be added if the object is being deleted"); removing finalizers is always
//     allowed.
//   - Pods: spec.nodeName may go from "" to a node (binding) once and never change after
//     (Invalid); binding a pod being deleted is a Conflict. Binding alone does not bump the
//     generation (Kubernetes binds through pods/binding, outside the update rules).
//   - The kind's Validate<Kind>Update function runs (Invalid).
//
// When an update removes the last finalizer of an object being deleted whose grace period is
// zero (every object but a pod in graceful deletion), the registry removes the object right
// after writing it, and Update or GuaranteedUpdate returns its final state: the object as
// removed, with the resourceVersion of the removal. A Get afterwards is NotFound. Watchers see
// the update (Modified, no finalizers) and then the removal (Deleted).
//
// # The status subresource
//
// The resources whose scheme registration lists a "status" subresource (pods, nodes,
// namespaces, services, persistent volumes and claims, replication controllers, quotas,
// deployments, replica sets, stateful sets, daemon sets, jobs, cron jobs, autoscalers,
// disruption budgets; not config maps, secrets, leases or events) have one, named by the
// resource with "/status": {Group: "apps", Resource: "deployments/status"}. Update and
// GuaranteedUpdate on it change only the status: everything else is kept from the stored
// object, the generation does not change, and resourceVersion preconditions apply as usual.
// Get on it returns the whole object, like the main resource. Create, Delete, List and Watch
// on it fail with MethodNotSupported (405), as on the Kubernetes API server; any other
// subresource, or "/status" of a resource without one, is a BadRequest.
//
// # Delete
//
// store.DeleteOptions carry Preconditions (checked against the stored object; Conflict),
// GracePeriodSeconds (negative counts as 1) and PropagationPolicy. The policy's finalizer is
// added: Orphan adds "orphan", Foreground "foregroundDeletion" (each removes the other),
// Background removes both; nil leaves the finalizers alone. Then:
//   - A pod bound to a node and not finished (phase neither Succeeded nor Failed) is deleted
//     gracefully: deletionTimestamp = now + grace (GracePeriodSeconds, else
//     spec.terminationGracePeriodSeconds, else 30) and deletionGracePeriodSeconds = grace; the
//     node agent stops its containers and deletes it again with GracePeriodSeconds 0, which
//     removes it. Unbound and finished pods get grace 0.
//   - An object with finalizers is not removed: it gets deletionTimestamp now and
//     deletionGracePeriodSeconds 0, and Delete returns it as updated. It is removed when an
//     update drops its last finalizer (see above). A namespace kept this way gets phase
//     Terminating.
//   - Setting the deletion timestamp bumps the generation, as in Kubernetes.
//   - Otherwise the object is removed at once, and Delete returns its last state with the
//     resourceVersion of the removal (grace 0 removes without writing a deletionTimestamp
//     first).
//
// A Delete of an object already being deleted returns it unchanged while its grace period
// runs, unless GracePeriodSeconds is shorter: then the deletion timestamp moves earlier by the
// difference, and with grace 0 and no finalizers the object is removed. An object being
// deleted with grace 0 is removed when it has no finalizers; otherwise only a change of the
// policy's finalizers is written.
//
// Not modelled: the namespace's spec.finalizers "kubernetes" and the removal of a namespace's
// contents (namespaces are otherwise ordinary objects); dry runs; managed fields.
//
// # Concurrency and ownership
//
// A Registry is safe for concurrent use; it holds no lock of its own. Every decision is made
// on a fresh read of the object and written with that read's resourceVersion as precondition,
// so a concurrent write makes the backend refuse and the registry decide again on the new
// state (Update with a resourceVersion and Delete with preconditions fail with Conflict
// instead, as they asked). Objects passed in are never modified; objects returned are the
// caller's own. List, Watch, Compact and Stats pass through to the backend, and the backend's
// watches are returned as they are (a store.ProgressRequester stays one). Writing to the
// backend directly bypasses every rule above.
//
// # Cost
//
// An Update reads the object first (one backend Get), copies and defaults the request,
// compares the spec and runs the kind's validation before the backend's write; a
// GuaranteedUpdate copies the object it reads once more. On the memory backend that is about
// 2.5 times the CPU of the bare store's Update for pods and deployments (validation is most of
// it), 1.6 times for a status GuaranteedUpdate and 1.7 times for a pod's create and delete
// (BenchmarkUpdate, BenchmarkStatusGuaranteedUpdate, BenchmarkCreateDelete). Reads, lists and
// watches cost nothing extra.
package registry
