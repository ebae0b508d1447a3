package scheduler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	coordinationv1 "github.com/cellkit/cellkit/apimachinery/apis/coordination/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/scheduler/cache"
	"github.com/cellkit/cellkit/scheduler/framework"
	"github.com/cellkit/cellkit/store"
)

// Defaults of the node reservation protocol (see the package documentation).
const (
	// DefaultReservationNamespace holds the per-node reservation leases.
	DefaultReservationNamespace = "kube-system"
	// DefaultReservationTTL is how long a reservation holds a node's resources for a pod that
	// is not bound yet.
	DefaultReservationTTL = 30 * time.Second
	// ReservationLeasePrefix starts the name of every node's reservation lease.
	ReservationLeasePrefix = "scheduler-node-"
	// ReservationsAnnotation holds a lease's reservations (a JSON list).
	ReservationsAnnotation = "scheduler.cellkit.io/reservations"
)

// ErrNodeFull: the node has no room for the pod once the pods bound to it in the store and the
// reservations of every scheduler are counted (another scheduler took the room meanwhile).
var ErrNodeFull = errors.New("node has no room left for the pod")

var leasesGR = schema.GroupResource{Group: coordinationv1.GroupName, Resource: "leases"}

// reservation is a pod's claim on a node's resources between the decision and the binding.
type reservation struct {
	UID     string                `json:"uid"`
	Pod     string                `json:"pod"`
	CPU     int64                 `json:"cpu,omitempty"`
	Memory  int64                 `json:"memory,omitempty"`
	Storage int64                 `json:"ephemeralStorage,omitempty"`
	Scalar  map[string]int64      `json:"scalar,omitempty"`
	Ports   []reservationHostPort `json:"ports,omitempty"`
	Expires time.Time             `json:"expires"`
	// Bound: a reserver saw the pod bound to the node; the entry stays (its expiry no
	// longer matters) until a reserver reading the store sees the pod gone or finished.
	Bound bool `json:"bound,omitempty"`

	node string // the lease's node, not stored
}

type reservationHostPort struct {
	IP       string `json:"ip"`
	Protocol string `json:"protocol"`
	Port     int32  `json:"port"`
}

// newReservation is pod's reservation of r, its requests (framework.PodRequests without
// defaults), until expires.
func newReservation(pod *corev1.Pod, r framework.Resource, expires time.Time) reservation {
	res := reservation{UID: string(pod.UID), Pod: pod.Namespace + "/" + pod.Name, CPU: r.MilliCPU, Memory: r.Memory, Storage: r.EphemeralStorage, Expires: expires.UTC()}
	for k, v := range r.Scalar {
		if res.Scalar == nil {
			res.Scalar = map[string]int64{}
		}
		res.Scalar[string(k)] = v
	}
	for _, hp := range framework.PodHostPorts(pod) {
		res.Ports = append(res.Ports, reservationHostPort{IP: hp.IP, Protocol: string(hp.Protocol), Port: hp.Port})
	}
	return res
}

// resource is what the reservation holds; negative amounts (a ledger written by someone
// else) count as zero, so that a bad entry can never make room.
func (r *reservation) resource() framework.Resource {
	out := framework.Resource{MilliCPU: max(0, r.CPU), Memory: max(0, r.Memory), EphemeralStorage: max(0, r.Storage)}
	for k, v := range r.Scalar {
		out.AddScalar(corev1.ResourceName(k), max(0, v))
	}
	return out
}

func (r *reservation) hostPorts() []framework.HostPort {
	out := make([]framework.HostPort, len(r.Ports))
	for i, p := range r.Ports {
		out[i] = framework.HostPort{IP: p.IP, Protocol: corev1.Protocol(p.Protocol), Port: p.Port}
	}
	return out
}

func decodeReservations(l *coordinationv1.Lease) ([]reservation, error) {
	raw, ok := l.Annotations[ReservationsAnnotation]
	if !ok || raw == "" {
		return nil, nil
	}
	var rs []reservation
	if err := json.Unmarshal([]byte(raw), &rs); err != nil {
		return nil, fmt.Errorf("decode reservations of lease %s/%s: %w", l.Namespace, l.Name, err)
	}
	return rs, nil
}

func encodeReservations(l *coordinationv1.Lease, rs []reservation) error {
	if len(rs) == 0 {
		delete(l.Annotations, ReservationsAnnotation)
		return nil
	}
	b, err := json.Marshal(rs)
	if err != nil {
		return fmt.Errorf("encode reservations of lease %s/%s: %w", l.Namespace, l.Name, err)
	}
	if l.Annotations == nil {
		l.Annotations = map[string]string{}
	}
	l.Annotations[ReservationsAnnotation] = string(b)
	return nil
}

// nodeView is what the reserver reads from the scheduler's cache (cache.Cache.NodePods).
type nodeView interface {
	NodePods(node string) (cache.NodeView, bool)
}

// reserver implements the node reservation protocol on a store.
type reserver struct {
	pods      store.Typed[*corev1.Pod]
	nodes     store.Typed[*corev1.Node]
	leases    store.Typed[*coordinationv1.Lease]
	namespace string
	ttl       time.Duration
	now       func() time.Time
	// view, when set, lets a reservation be checked against the scheduler's cache and the
	// ledger alone (see the package documentation); nil always reads the store.
	view nodeView
	// storeChecks counts the reservations checked against the store (for tests).
	storeChecks atomic.Int64
	// known holds the nodes whose lease this reserver saw exist (node name -> struct{}), so
	// that a first reservation creates the lease at once; a node's entry goes with the node.
	known sync.Map
}

func leaseName(node string) string { return ReservationLeasePrefix + node }

// reserve claims room for pod on node, atomically with respect to every other scheduler that
// follows the protocol: in one compare-and-swap of the node's lease it checks that pod fits
// (pod count, cpu, memory, ephemeral storage, extended resources, host ports) beside the
// ledger's reservations and the pods on the node, and adds pod's reservation. The pods on the
// node come from the scheduler's cache when the ledger allows it (checkCached), else from the
// store (checkStore). It returns the reservation's expiry; the pod must be bound before it.
func (r *reserver) reserve(ctx context.Context, pod *corev1.Pod, node string) (time.Time, error) {
	expires := r.now().Add(r.ttl)
	var mine reservation
	haveMine := false
	update := func(l *coordinationv1.Lease) (*coordinationv1.Lease, error) {
		rs, err := decodeReservations(l)
		if err != nil {
			return nil, err
		}
		view, inCache := assumedView(ctx, pod, node)
		if !inCache && r.view != nil {
			view, inCache = r.view.NodePods(node)
		}
		if !haveMine { // once: the pod's requests, from the cache's assumed pod if it has it
			mine, haveMine = newReservation(pod, podRequests(view, pod), expires), true
		}
		kept, ok := r.checkCached(rs, mine, view, inCache)
		if !ok {
			r.storeChecks.Add(1)
			if kept, err = r.checkStore(ctx, rs, mine, pod, node); err != nil {
				return nil, err
			}
		}
		kept = append(kept, mine)
		next := *l // shared update: l is never modified, next gets its own annotations
		next.Annotations = maps.Clone(l.Annotations)
		if err := encodeReservations(&next, kept); err != nil {
			return nil, err
		}
		return &next, nil
	}
	// A node whose lease this reserver never saw probably has none yet: create it first
	// rather than fail an update with NotFound. Either way the same check runs.
	_, seen := r.known.Load(node)
	for {
		if seen {
			_, err := r.leases.GuaranteedUpdateShared(ctx, r.namespace, leaseName(node), update, store.UpdateOptions{})
			if err == nil {
				return expires, nil
			}
			if !apierrors.IsNotFound(err) {
				return time.Time{}, err
			}
		}
		// The node's first reservation: create the lease (and run the same check on it).
		l := &coordinationv1.Lease{ObjectMeta: meta.ObjectMeta{Namespace: r.namespace, Name: leaseName(node)}}
		l, err := update(l)
		if err != nil {
			return time.Time{}, err
		}
		_, err = r.leases.Create(ctx, l)
		if err == nil {
			r.known.Store(node, struct{}{})
			return expires, nil
		} else if !apierrors.IsAlreadyExists(err) {
			return time.Time{}, fmt.Errorf("reserve %s on %s: %w", mine.Pod, node, err)
		}
		// Someone created it meanwhile: update it instead.
		r.known.Store(node, struct{}{})
		seen = true
	}
}

// forget drops what the reserver remembers of node (it was deleted).
func (r *reserver) forget(node string) { r.known.Delete(node) }

// viewKey is the context key of the cache's view of a node taken when the pod being bound
// was assumed on it (withAssumedView).
type viewKey struct{}

type assumedNodeView struct {
	uid  string
	node string
	view cache.NodeView
}

// withAssumedView returns ctx carrying the cache's view of node taken when pod was assumed on
// it (cache.Cache.AssumePodInfo), so that the reservation need not wait for the cache's lock,
// which a scheduling cycle holds: the binding proceeds while the next cycle runs.
func withAssumedView(ctx context.Context, pod *corev1.Pod, view cache.NodeView) context.Context {
	return context.WithValue(ctx, viewKey{}, &assumedNodeView{uid: string(pod.UID), node: pod.Spec.NodeName, view: view})
}

// assumedView returns the view withAssumedView put in ctx for pod on node, if any.
func assumedView(ctx context.Context, pod *corev1.Pod, node string) (cache.NodeView, bool) {
	v, ok := ctx.Value(viewKey{}).(*assumedNodeView)
	if !ok || v.uid != string(pod.UID) || v.node != node || v.view.Node == nil {
		return cache.NodeView{}, false
	}
	return v.view, true
}

// checkCached checks mine against the ledger's reservations rs and the pods the cache places
// on node, and returns the reservations to keep; ok is false when the store must decide
// instead: no cache, the node unknown to it, a reservation that expired unconfirmed (its pod
// may have been bound before the expiry without the cache knowing yet), or mine not fitting
// (the store may show that some reservations hold nothing any more). Every reservation is
// counted unless the cache has its pod on the node (then it counts as that pod); one whose
// pod the cache shows bound there is marked Bound.
func (r *reserver) checkCached(rs []reservation, mine reservation, view cache.NodeView, inCache bool) ([]reservation, bool) {
	if !inCache {
		return nil, false
	}
	alloc := view.Allocatable
	var used framework.Resource
	var ports framework.HostPorts // made at the first port: most pods use none
	addPort := func(hp framework.HostPort) {
		if ports == nil {
			ports = framework.HostPorts{}
		}
		ports[hp]++
	}
	count := int64(0)
	for _, np := range view.Pods {
		p := np.Pod
		if string(p.UID) == mine.UID {
			continue
		}
		used.Add(np.Requests)
		count++
		for _, hp := range framework.PodHostPorts(p) {
			addPort(hp)
		}
	}
	// placed says whether the cache has a ledger entry's pod on the node (and whether as
	// assumed): a scan for the few pods of a typical node, a map beyond.
	var byUID map[string]bool
	if len(view.Pods) > 16 {
		byUID = make(map[string]bool, len(view.Pods))
		for _, np := range view.Pods {
			byUID[string(np.Pod.UID)] = np.Assumed
		}
	}
	placed := func(uid string) (assumed, ok bool) {
		if byUID != nil {
			assumed, ok = byUID[uid]
			return assumed, ok
		}
		for _, np := range view.Pods {
			if string(np.Pod.UID) == uid {
				return np.Assumed, true
			}
		}
		return false, false
	}
	now := r.now()
	kept := make([]reservation, 0, len(rs)+1)
	for _, x := range rs {
		if x.UID == mine.UID {
			continue // ours being renewed
		}
		if a, inCache := placed(x.UID); inCache {
			if !a {
				x.Bound = true
			}
			kept = append(kept, x) // counted as the cache's pod
			continue
		}
		if !x.Bound && !now.Before(x.Expires) {
			return nil, false
		}
		kept = append(kept, x)
		used.Add(x.resource())
		count++
		for _, hp := range x.hostPorts() {
			addPort(hp)
		}
	}
	if fitsAfter(alloc, used, count, ports, mine) != "" {
		return nil, false
	}
	return kept, true
}

// podRequests returns pod's requests: those the cache computed when it placed the pod on the
// viewed node (the assumed pod being bound), else computed here.
func podRequests(view cache.NodeView, pod *corev1.Pod) framework.Resource {
	for _, np := range view.Pods {
		if np.Pod.UID == pod.UID {
			return np.Requests
		}
	}
	return framework.PodRequests(pod, false)
}

// checkStore checks mine against the node and the pods bound to it read from the store (after
// the lease) and the ledger's reservations rs, and returns the reservations to keep: those of
// pods bound to the node (marked Bound, counted through the store), and those not expired and
// not known to hold nothing. A reservation is dropped when its pod finished, when it expired
// unbound, or when its pod was deleted or bound elsewhere.
func (r *reserver) checkStore(ctx context.Context, rs []reservation, mine reservation, pod *corev1.Pod, node string) ([]reservation, error) {
	n, err := r.nodes.Get(ctx, "", node, store.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("reserve %s on %s: %w", mine.Pod, node, err)
	}
	onNode, err := r.pods.List(ctx, "", store.ListOptions{Fields: fields.OneTermEqualSelector("spec.nodeName", node)})
	if err != nil {
		return nil, fmt.Errorf("reserve %s on %s: %w", mine.Pod, node, err)
	}
	alloc := framework.NewResource(n.Status.Allocatable)
	var used framework.Resource
	ports := framework.HostPorts{}
	count := int64(0)
	bound := map[string]bool{} // UID -> running (false: finished)
	for _, p := range onNode.Items {
		finished := p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
		bound[string(p.UID)] = !finished
		if finished || p.UID == pod.UID {
			continue
		}
		used.Add(framework.PodRequests(p, false))
		count++
		for _, hp := range framework.PodHostPorts(p) {
			ports[hp]++
		}
	}
	now := r.now()
	kept := make([]reservation, 0, len(rs)+1)
	for _, x := range rs {
		x.node = node
		if x.UID == mine.UID {
			continue // ours being renewed
		}
		if running, ok := bound[x.UID]; ok {
			if running {
				x.Bound = true
				kept = append(kept, x) // counted through the store
			}
			continue
		}
		if !x.Bound && !now.Before(x.Expires) {
			continue // expired unbound: never bound through it
		}
		if gone, err := r.goneOrElsewhere(ctx, x); err != nil {
			return nil, fmt.Errorf("reserve %s on %s: %w", mine.Pod, node, err)
		} else if gone {
			continue
		}
		kept = append(kept, x)
		used.Add(x.resource())
		count++
		for _, hp := range x.hostPorts() {
			ports[hp]++
		}
	}
	if why := fitsAfter(alloc, used, count, ports, mine); why != "" {
		return nil, fmt.Errorf("reserve %s on %s: %s: %w", mine.Pod, node, why, ErrNodeFull)
	}
	return kept, nil
}

// goneOrElsewhere reports whether a reservation's pod, not listed on the node, was deleted
// (it can never be bound through this reservation: a new pod of the same name has a new UID),
// finished, or is bound to another node; either way its reservation holds nothing any more.
// It reads after the lease, so a pod bound to the node after the list is seen as bound here
// and its reservation is kept, which only over-counts.
func (r *reserver) goneOrElsewhere(ctx context.Context, x reservation) (bool, error) {
	ns, name, _ := strings.Cut(x.Pod, "/")
	p, err := r.pods.Get(ctx, ns, name, store.GetOptions{})
	if apierrors.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	finished := p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
	return string(p.UID) != x.UID || finished || p.Spec.NodeName != "" && p.Spec.NodeName != x.node, nil
}

// fitsAfter says why a reservation does not fit on a node with alloc allocatable, used in
// use by count pods and ports taken ("" when it fits).
func fitsAfter(alloc, used framework.Resource, count int64, ports framework.HostPorts, x reservation) string {
	if count+1 > alloc.AllowedPodNumber {
		return "too many pods"
	}
	need := x.resource()
	check := []struct {
		name        string
		want, u, al int64
	}{
		{"cpu", need.MilliCPU, used.MilliCPU, alloc.MilliCPU},
		{"memory", need.Memory, used.Memory, alloc.Memory},
		{"ephemeral-storage", need.EphemeralStorage, used.EphemeralStorage, alloc.EphemeralStorage},
	}
	for _, c := range check {
		if c.want > 0 && c.want > c.al-c.u {
			return "insufficient " + c.name
		}
	}
	names := make([]string, 0, len(x.Scalar))
	for k := range x.Scalar {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		rn := corev1.ResourceName(k)
		if w := x.Scalar[k]; w > 0 && w > alloc.Scalar[rn]-used.Scalar[rn] {
			return "insufficient " + k
		}
	}
	for _, hp := range x.hostPorts() {
		if ports.Conflicts(hp) {
			return "host port " + strconv.Itoa(int(hp.Port)) + " in use"
		}
	}
	return ""
}

// release drops pod's reservation on node (its binding failed for sure). Errors are returned
// for logging only: an unreleased reservation expires.
func (r *reserver) release(ctx context.Context, pod *corev1.Pod, node string) error {
	_, err := r.leases.GuaranteedUpdateShared(ctx, r.namespace, leaseName(node), func(l *coordinationv1.Lease) (*coordinationv1.Lease, error) {
		rs, err := decodeReservations(l)
		if err != nil {
			return nil, err
		}
		kept := rs[:0:0]
		for _, x := range rs {
			if x.UID != string(pod.UID) {
				kept = append(kept, x)
			}
		}
		if len(kept) == len(rs) {
			return l, nil
		}
		next := *l // shared update: l is never modified
		next.Annotations = maps.Clone(l.Annotations)
		if err := encodeReservations(&next, kept); err != nil {
			return nil, err
		}
		return &next, nil
	}, store.UpdateOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
