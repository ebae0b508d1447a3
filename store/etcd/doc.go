// Package etcd is the etcd backend of the store contract (package store): objects live in an
// etcd cluster, reached through a go.etcd.io/etcd/client/v3 client, so that many control-plane
// processes share one durable, replicated store. It passes the store/storetest conformance
// suite against a real etcd.
//
// # Usage
//
//	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}})
//	s, err := etcd.New(etcd.Options{Client: cli, Resources: resources})
//	pods := store.For[*corev1.Pod](s, schema.GroupResource{Resource: "pods"})
//	l, err := pods.List(ctx, "default", store.ListOptions{Limit: 500})
//	w, err := pods.Watch(ctx, "default", store.WatchOptions{Revision: l.Revision})
//
// The caller owns the client and closes it after the store's last use; the store holds no
// goroutine of its own beyond one per open watch, which Stop or the watch's context ends.
//
// # Layout
//
// An object is stored at "<prefix>/<path>/<namespace>/<name>" ("<prefix>/<path>/<name>" for
// cluster-scoped resources), where prefix is Options.Prefix ("/registry" by default, as
// Kubernetes) and path is the resource for the core group ("pods") and "<group>/<resource>"
// for other groups ("apps/deployments"). Kubernetes itself puts custom resources and
// aggregated APIs at "/registry/<group>/<resource>" but most built-in resources of named
// groups without the group ("/registry/deployments"), and renames a few (nodes are
// "/registry/minions", services "/registry/services/specs"); Options.ResourcePrefixes gives
// that exact layout when a store must share keys with a Kubernetes cluster. The value is the
// object's JSON (with apiVersion and kind, without resourceVersion; Kubernetes stores
// built-ins as protobuf by default), and the key's ModRevision is the resourceVersion.
//
// # Guarantees and how they map to etcd
//
//   - Revisions are etcd's revisions: one counter for the whole etcd keyspace. Writes outside
//     the store's prefix (another application sharing the cluster) take revisions too, so
//     consecutive writes of the store may skip revisions; everything else in the contract
//     holds.
//   - Create is a transaction putting the key if its CreateRevision is 0; Update, Delete with
//     preconditions and GuaranteedUpdate compare the ModRevision they read, and a failed
//     compare returns the newer value in the same round trip, from which GuaranteedUpdate
//     retries. Every write is strictly serializable, as etcd's transactions are.
//   - Latest reads are etcd's linearizable reads; Any reads are serializable reads served by
//     the member the client talks to (possibly behind the cluster); NotOlderThan reads the
//     latest state and checks its revision; Exact reads at the revision (WithRev).
//   - A paginated List reads every page at the revision of its first page (the continue
//     token carries it), until etcd compacts that revision (then Expired). Selectors are
//     applied by the store on the values read: a selective List reads the whole range.
//     Items come in etcd key order, which is the contract's (namespace, name) order except
//     across namespaces where one extends another with '-': "a-b" sorts before "a" because
//     '-' sorts before the '/' that ends a namespace in the key.
//   - Every Watch is its own etcd watch stream from the revision after the one asked for,
//     with previous values, so selector transitions are typed (entering is ADDED, leaving is
//     DELETED with the last matching state) and DELETED events carry the last state.
//     Bookmarks are etcd progress notifications, requested on RequestProgress and every
//     bookmark interval of the store's clock; etcd answers them only once the watch has
//     caught up, and they are repeated until it has. Compaction of a revision the watch
//     still needs ends it with an Expired error; so does a change whose previous value etcd
//     could no longer send.
//   - Compact is etcd's Compact and affects the whole keyspace. Stats counts keys with
//     count-only reads; etcd does not report its compaction point, so the store remembers the
//     highest it saw and asks etcd (a read at that revision, then a watch from revision 1
//     whose cancellation names it) only when someone compacted further.
//
// Errors are API errors (package apimachinery/errors): etcd's "compacted" is Expired (410),
// "future revision" TooLargeResourceVersion, "request too large" RequestEntityTooLarge, "too
// many requests" TooManyRequests, lost leaders and timeouts ServerTimeout, an unreachable
// cluster ServiceUnavailable, values that do not decode InternalError (errors.Is ErrCorrupt).
//
// # Concurrency
//
// A Store is safe for concurrent use by any number of goroutines, and any number of Stores
// (in one process or many) may share an etcd cluster and a prefix: etcd's transactions are
// the only synchronization they need.
package etcd
